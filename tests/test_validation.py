"""Declared parameter constraints: one message template, and the tables generate bad values."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dlcost.exceptions import DlcostError, FitError, InvalidParameterError
from dlcost.validation import Interval, Optional, Options, check, message, validate

SRC = Path(__file__).resolve().parents[1] / "src" / "dlcost"


@pytest.mark.parametrize(
    ("constraint", "described"),
    [
        (Interval(int, 1, None), "an integer ≥ 1"),
        (Interval(float, 0, None, closed="neither"), "a finite number > 0"),
        (Interval(float, 0, 1, closed="right"), "a number in the range (0, 1]"),
        (Interval(int, 2, 10, closed="both"), "an integer in the range [2, 10]"),
        (Options("gaussian", "equal"), "one of 'gaussian', 'equal'"),
        (Optional(Interval(int, 1, None)), "an integer ≥ 1 or None"),
    ],
)
def test_constraints_describe_themselves(constraint, described: str) -> None:  # type: ignore[no-untyped-def]
    assert constraint.describe() == described


def test_one_message_template() -> None:
    text = message("utilization", 1.5, Interval(float, 0, 1, closed="right"),
                   owner="estimate_from_hardware")
    assert text == ("The 'utilization' parameter of estimate_from_hardware must be a number in "
                    "the range (0, 1]. Got 1.5 instead.")
    with pytest.raises(FitError, match=r"^The 'n' setting of S must be an integer ≥ 1\. Got 0"):
        check("n", 0, Interval(int, 1, None), owner="S", kind="setting", error=FitError)


@pytest.mark.parametrize("value", [True, 1.5, "3", None, float("nan")])
def test_an_integer_interval_refuses_other_kinds(value: object) -> None:
    assert not Interval(int, 0, None).is_satisfied_by(value)


def test_declared_tables_reject_the_values_they_generate() -> None:
    """Every constraint of every declared table refuses its own invalid values."""
    from dlcost.decompose.trend import TREND_CONSTRAINTS
    from dlcost.fitting.models import FIT_CONSTRAINTS
    from dlcost.simulation._settings import CONSTRAINTS as SIMULATION_CONSTRAINTS

    for table in (TREND_CONSTRAINTS, FIT_CONSTRAINTS, SIMULATION_CONSTRAINTS):
        for name, constraint in table.items():
            inner = constraint.inner if isinstance(constraint, Optional) else constraint
            for bad in inner.invalid():  # type: ignore[attr-defined]
                if isinstance(constraint, Optional) and bad is None:
                    continue
                with pytest.raises(InvalidParameterError, match=f"The '{name}' parameter"):
                    validate({name: bad}, {name: constraint}, owner="test")


def test_public_entry_points_use_the_template() -> None:
    from dlcost.decompose import TrendSelection
    from dlcost.fitting import PolynomialFit
    from dlcost.simulation import SimulationSettings, SimulationSettingsError

    with pytest.raises(FitError, match=r"The 'quantile' parameter of PolynomialFit must be a "
                                       r"number in the range \(0, 1\)\. Got 1\.5 instead\."):
        PolynomialFit(quantile=1.5)
    with pytest.raises(InvalidParameterError, match="The 'top_n' parameter of TrendSelection"):
        TrendSelection.from_options(None, {"top_n": 0})
    with pytest.raises(SimulationSettingsError, match="The 'lasso_alpha' setting of "):
        SimulationSettings(lasso_alpha="ridge")  # type: ignore[arg-type]


#: Raises of built-in exceptions that never reach a user: caught and re-raised as ours on the
#: next lines, or programming errors (an unknown block type, a LAPACK failure).
ALLOWED_BUILTIN_RAISES = {
    ("data/accelerators.py", "ValueError"),  # caught: becomes DataFormatError
    ("simulation/_runner.py", "ValueError"),  # caught: becomes DataFormatError
    ("report/render.py", "TypeError"),  # a block type the renderer lacks: a bug
    ("simulation/_engine.py", "RuntimeError"),  # LAPACK failed: a bug or a broken install
    ("serialize.py", "TypeError"),  # json's own contract for unknown types
}


def test_no_bare_builtin_or_base_error_is_raised() -> None:
    """Errors are specific classes from dlcost.exceptions, never DlcostError itself."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Raise) or node.exc is None:
                continue
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            name = target.id if isinstance(target, ast.Name) else None
            if name == "DlcostError" or (
                name in ("Exception", "ValueError", "KeyError", "TypeError", "RuntimeError")
                and (rel, name) not in ALLOWED_BUILTIN_RAISES
            ):
                found.append(f"{rel}:{node.lineno}: raise {name}")
    assert not found, "\n".join(found)


def test_every_error_class_refines_a_builtin() -> None:
    import dlcost.exceptions as E

    for obj in vars(E).values():
        if isinstance(obj, type) and issubclass(obj, DlcostError) and obj is not DlcostError:
            refined = [c for c in obj.__mro__ if c.__module__ == "builtins"
                       and c not in (Exception, BaseException, object)]
            assert refined, f"{obj.__name__} refines no built-in exception"
