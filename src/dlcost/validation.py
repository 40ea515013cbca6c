"""Declared parameter constraints, and one message template for every violation.

A function or settings class declares its constraints once, as data::

    CONSTRAINTS = {"n_boot": Interval(int, 1, None), "confidence": Interval(float, 0, 1,
                   closed="neither"), "coefficients": Options("gaussian", "equal")}
    validate({"n_boot": n_boot, ...}, CONSTRAINTS, owner="trend")

and a violation reads, always in the same words (after scikit-learn's ``validate_params``)::

    The 'n_boot' parameter of trend must be an integer ≥ 1. Got 0 instead.

The error class is the caller's (a subclass of :class:`~dlcost.exceptions.DlcostError` and of
``ValueError``), so the CLI prints it as one ``Error: …`` line. The same tables describe the
valid values in docs and can generate invalid ones for tests (:meth:`Interval.invalid`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any, Literal

from dlcost.exceptions import DlcostError, InvalidParameterError

TEMPLATE = "The {name!r} {kind} of {owner} must be {expected}. Got {value!r} instead."


class Constraint:
    """A set of valid values that can say what it holds."""

    def is_satisfied_by(self, value: Any) -> bool:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class Interval(Constraint):
    """Numbers (``type`` ``int`` or ``float``) between ``left`` and ``right`` (``None``: no
    bound); ``closed`` says which ends belong to it. Floats must be finite."""

    type: type[int] | type[float]
    left: float | None
    right: float | None
    closed: Literal["left", "right", "both", "neither"] = "left"

    def is_satisfied_by(self, value: Any) -> bool:
        if isinstance(value, bool):
            return False
        wanted = Integral if self.type is int else Real
        if not isinstance(value, wanted) or not math.isfinite(float(value)):
            return False
        v = float(value)
        if self.left is not None and (
            v < self.left or (v == self.left and self.closed not in ("left", "both"))
        ):
            return False
        return not (self.right is not None and (
            v > self.right or (v == self.right and self.closed not in ("right", "both"))))

    def describe(self) -> str:
        noun = "an integer" if self.type is int else "a finite number"
        if self.left is not None and self.right is not None:
            lo = "[" if self.closed in ("left", "both") else "("
            hi = "]" if self.closed in ("right", "both") else ")"
            noun = "an integer" if self.type is int else "a number"
            return f"{noun} in the range {lo}{self.left:g}, {self.right:g}{hi}"
        if self.left is not None:
            sign = "≥" if self.closed in ("left", "both") else ">"
            return f"{noun} {sign} {self.left:g}"
        if self.right is not None:
            sign = "≤" if self.closed in ("right", "both") else "<"
            return f"{noun} {sign} {self.right:g}"
        return noun

    def invalid(self) -> list[Any]:
        """Values just outside the interval, and one of the wrong kind (for tests)."""
        step = 1 if self.type is int else 1e-9
        out: list[Any] = ["text", float("nan")]
        if self.left is not None:
            out.append(self.type(self.left if self.closed in ("right", "neither")
                                 else self.left - step))
        if self.right is not None:
            out.append(self.type(self.right if self.closed in ("left", "neither")
                                 else self.right + step))
        return out


@dataclass(frozen=True, init=False)
class Options(Constraint):
    """One of a fixed set of values (strings, usually)."""

    values: tuple[Any, ...]

    def __init__(self, *values: Any) -> None:
        object.__setattr__(self, "values", tuple(values))

    def is_satisfied_by(self, value: Any) -> bool:
        return any(value == v and type(value) is type(v) for v in self.values)

    def describe(self) -> str:
        return f"one of {', '.join(map(repr, self.values))}"

    def invalid(self) -> list[Any]:
        return ["not-an-option", None]


@dataclass(frozen=True)
class Optional(Constraint):
    """``None``, or what ``inner`` allows (``None`` meaning "use the default")."""

    inner: Constraint

    def is_satisfied_by(self, value: Any) -> bool:
        return value is None or self.inner.is_satisfied_by(value)

    def describe(self) -> str:
        return f"{self.inner.describe()} or None"


def message(name: str, value: Any, constraint: Constraint, *, owner: str,
            kind: str = "parameter") -> str:
    """The one message a violation gets (:data:`TEMPLATE`)."""
    return TEMPLATE.format(name=name, kind=kind, owner=owner, expected=constraint.describe(),
                           value=value)


def check(
    name: str,
    value: Any,
    constraint: Constraint,
    *,
    owner: str,
    kind: str = "parameter",
    error: type[DlcostError] = InvalidParameterError,
) -> None:
    """Raise ``error`` with :func:`message` if ``value`` breaks ``constraint``."""
    if not constraint.is_satisfied_by(value):
        raise error(message(name, value, constraint, owner=owner, kind=kind))


def validate(
    values: Mapping[str, Any],
    constraints: Mapping[str, Constraint],
    *,
    owner: str,
    kind: str = "parameter",
    error: type[DlcostError] = InvalidParameterError,
) -> None:
    """Check each of ``values`` that has a declared constraint, in the declared order."""
    for name, constraint in constraints.items():
        if name in values:
            check(name, values[name], constraint, owner=owner, kind=kind, error=error)
