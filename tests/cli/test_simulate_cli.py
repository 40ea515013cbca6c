"""``dlcost simulate``: the acceptance run at the paper's scale (50 repetitions), JSON, errors.

The acceptance fixture runs ``dlcost simulate --reps 50 --json`` with every other setting at
its default (p = 1,000, s = 10, n from 20 to 20,000 on 15 points) once per session; the tests
below read that one document.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from dlcost.cli import simulate
from dlcost.cli._common import new_app

SMALL_ARGS = [
    "--features",
    "40",
    "--relevant",
    "4",
    "--reps",
    "6",
    "--n-min",
    "8",
    "--n-max",
    "800",
    "--n-points",
    "6",
    "--workers",
    "1",
]


def _app() -> typer.Typer:
    """A root app holding only ``simulate`` (independent of the other command modules)."""
    app = new_app("test root")

    @app.callback()
    def _root() -> None:
        """Test root."""

    simulate.register(app)
    return app


@pytest.fixture(scope="session")
def acceptance(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("simulate-acceptance")
    result = CliRunner().invoke(_app(), ["simulate", "--reps", "50", "--json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return {"doc": json.loads(result.stdout), "out": out}


def _curve(doc: dict[str, Any], model: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m = doc["models"][model]
    return np.array(m["n"]), np.array(m["performance"]), np.array(m["se"])


@pytest.mark.slow
def test_acceptance_run_is_well_formed(acceptance: dict[str, Any]) -> None:
    doc = acceptance["doc"]
    assert set(doc) >= {"settings", "models", "exponents", "crossover_n"}
    assert doc["settings"]["features"] == 1000 and doc["settings"]["reps"] == 50
    for model in ("oracle", "expert", "flexible", "lasso"):
        entry = doc["models"][model]
        lengths = {len(entry[key]) for key in ("n", "performance", "se", "flop")}
        assert len(lengths) == 1
        assert set(doc["exponents"][model]) >= {"data", "compute"}
    assert len(doc["models"]["flexible"]["n"]) == 7  # defined only for n > p = 1000
    assert set(doc["crossover_n"]) == {"flexible_vs_expert", "lasso_vs_expert"}


@pytest.mark.slow
def test_expert_plateaus_while_flexible_models_keep_improving(acceptance: dict[str, Any]) -> None:
    doc = acceptance["doc"]
    _, perf, se = _curve(doc, "expert")
    last = perf[-3:]
    assert last.max() - last.min() <= 2 * se[-3:].max()
    for model in ("flexible", "lasso"):
        _, perf, se = _curve(doc, model)
        steps = np.diff(perf[-3:])
        combined = np.hypot(se[-3:-1], se[-2:])
        assert np.all(steps > 2 * combined), (model, steps, combined)


@pytest.mark.slow
def test_flexible_models_overtake_the_expert(acceptance: dict[str, Any]) -> None:
    doc = acceptance["doc"]
    n_flex, flex, flex_se = _curve(doc, "flexible")
    _, expert, expert_se = _curve(doc, "expert")
    crossing = doc["crossover_n"]["flexible_vs_expert"]
    assert crossing is not None and n_flex[0] <= crossing <= n_flex[-1]
    # Behind the expert at its first point (n just above p), clearly ahead at the last.
    assert flex[0] < expert[-7]
    assert flex[-1] - expert[-1] > 2 * np.hypot(flex_se[-1], expert_se[-1])
    lasso_crossing = doc["crossover_n"]["lasso_vs_expert"]
    assert lasso_crossing is not None and lasso_crossing < crossing


@pytest.mark.slow
def test_measured_exponents_match_the_theory(acceptance: dict[str, Any]) -> None:
    doc = acceptance["doc"]
    oracle = doc["exponents"]["oracle"]
    assert 1.8 <= oracle["data"] <= 2.2
    assert oracle["data_ci"][0] <= oracle["data"] <= oracle["data_ci"][1]
    # The flexible OLS, measured where n ≥ 5p, is close to the asymptotic 2 and far closer
    # than over all its points (where p/(n − p − 1) is far from 1/n).
    flexible = doc["exponents"]["flexible"]
    assert flexible["n_range"][0] >= 5 * 1000
    n, perf, _ = _curve(doc, "flexible")
    slope_all = np.polyfit(np.log10(n), perf, 1)[0]
    assert 2 / slope_all < flexible["data"] <= 2.05
    assert flexible["data"] > 1.6
    # The expert plateaus: its exponent over the improving range is far above 2.
    assert doc["exponents"]["expert"]["data"] is None or doc["exponents"]["expert"]["data"] > 4


@pytest.mark.slow
def test_results_are_cached_as_parquet(acceptance: dict[str, Any]) -> None:
    import pandas as pd

    (run_dir,) = acceptance["out"].glob("simulation-*")
    assert len(list((run_dir / "reps").glob("reps-*.parquet"))) == 5  # 50 reps / 10 per unit
    summary = pd.read_parquet(run_dir / "summary.parquet")
    assert set(summary["model"]) == {"oracle", "expert", "flexible", "lasso"}
    assert json.loads((run_dir / "result.json").read_text())["settings"]["reps"] == 50


def test_rerun_reuses_the_cache_and_gives_the_same_numbers(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["simulate", *SMALL_ARGS, "--json", "--out", str(tmp_path)]
    first = runner.invoke(_app(), args)
    second = runner.invoke(_app(), args)
    assert first.exit_code == second.exit_code == 0
    a, b = json.loads(first.stdout), json.loads(second.stdout)
    assert a["models"] == b["models"]
    assert a["run"]["reps_from_cache"] == 0 and b["run"]["reps_from_cache"] == 6


def test_json_stdout_is_one_document_and_progress_goes_to_stderr(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["simulate", *SMALL_ARGS, "--json", "--out", str(tmp_path)])
    assert result.exit_code == 0
    json.loads(result.stdout)  # nothing but the document on stdout


def test_human_output_shows_tables_and_crossovers(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["simulate", *SMALL_ARGS, "--out", str(tmp_path)])
    assert result.exit_code == 0
    text = result.stdout
    assert "Performance −log10(excess MSE / σ²)" in text
    assert "Exponents of a k-fold smaller RMSE" in text
    assert "overtakes the expert" in text and "oracle R² = 0.800" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--relevant", "0"],
            "Error: The 'relevant' setting of SimulationSettings must be an integer ≥ 1. "
            "Got 0 instead.\n",
        ),
        (
            ["--expert-correct", "12"],
            "Error: The expert cannot have more correct features (12) than there are relevant "
            "ones (10); lower --expert-correct.\n",
        ),
        (["--workers", "0"], "Error: workers must be a positive integer, got 0\n"),
    ],
)
def test_errors_are_one_line(args: list[str], message: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["simulate", *args, "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == message


def test_unknown_choice_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["simulate", "--backend", "spark", "--out", str(tmp_path)])
    assert result.exit_code == 1  # one Error: line, like every other error
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "'spark' is not one of 'process', 'ray'" in result.stderr


def test_ray_backend_without_ray_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "ray", None)  # makes `import ray` fail
    result = CliRunner().invoke(
        _app(), ["simulate", *SMALL_ARGS, "--backend", "ray", "--out", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: the Ray backend needs the optional dependency 'ray': install it with "
        "`pip install 'dlcost[ray]'`, or run with --backend process\n"
    )


def test_root_app_has_the_command(tmp_path: Path) -> None:
    from dlcost.cli.main import app

    result = CliRunner().invoke(app, ["simulate", *SMALL_ARGS, "--json", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["settings"]["features"] == 40
