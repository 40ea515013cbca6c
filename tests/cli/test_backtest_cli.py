"""``dlcost backtest``: the acceptance commands, offline on the embedded data."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from dlcost.cli.main import app

runner = CliRunner()


def _json(*args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, ["backtest", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_imagenet_futuretech_json() -> None:
    doc = _json("imagenet", "--data", "futuretech")
    assert doc["target"] == "imagenet"
    kinds = {c["kind"]: c for c in doc["components"]}
    assert set(kinds) == {"curve", "time"}
    for comp in kinds.values():
        assert comp["n_origins"] >= 3
        assert comp["n_forecasts"] == len(comp["forecasts"])
        cover = comp["metrics"]["all"]["coverage"]["0.8"]
        assert 0.0 <= cover["achieved"] <= 1.0
        # every forecast was made from an origin before it was published
        assert all(f["date"] >= f["origin"] + 1 for f in comp["forecasts"])
        assert {f["horizon"] for f in comp["forecasts"]} <= {1, 2, 3}
    curve = kinds["curve"]["metrics"]["all"]
    assert curve["n"] >= 20
    assert 0.7 <= curve["coverage"]["0.8"]["calibrated_loo"] <= 0.9


def test_compute_json() -> None:
    doc = _json("compute")
    (comp,) = doc["components"]
    assert comp["kind"] == "growth"
    m = comp["metrics"]["all"]
    assert m["n"] >= 20
    assert 0.7 <= m["coverage"]["0.8"]["calibrated_loo"] <= 0.9
    assert m["mae_log10"] < m["mae_log10_last_value"]


def test_paper_json_states_imagenet_case() -> None:
    doc = _json("--paper", "--data", "futuretech")
    case = doc["imagenet"]
    assert case["best_model"] == "CoCa"
    assert abs(case["best_error"] - 0.09) < 1e-9  # 91.0 % top-1 in FutureTech's data
    assert case["forecast_error"] == 0.05
    assert case["flop_for_target"] > case["best_model_flop"]
    assert {c["vintage"] for c in doc["checks"]} == {"paper (July 2020)",
                                                      "article (October 2021)"}


def test_errors_are_one_line() -> None:
    result = runner.invoke(app, ["backtest", "nosuch"])
    assert result.exit_code == 1
    assert "Error: unknown backtest target 'nosuch'" in result.output
    result = runner.invoke(app, ["backtest"])
    assert result.exit_code == 1
    assert "give a TARGET" in result.output


def test_text_output() -> None:
    result = runner.invoke(app, ["backtest", "imagenet", "--data", "futuretech"])
    assert result.exit_code == 0, result.output
    assert "origins" in result.output and "scored" in result.output


def _run_json(*args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_trend_interval_calibrated() -> None:
    doc = _run_json("trend", "compute", "--frontier-top", "10", "--since", "2010",
                    "--interval", "calibrated")
    block = doc["calibrated"]
    assert [p["horizon"] for p in block["predictions"]] == [1, 2, 3]
    for p in block["predictions"]:
        lo, hi = p["calibrated"]
        assert lo < p["value"] < hi
        # the nominal interval rescaled in log scale by the reported factor
        nlo, nhi = p["nominal"]
        assert abs((hi / lo) - (nhi / nlo) ** p["factor"]) / (hi / lo) < 1e-9


def test_forecast_interval_calibrated() -> None:
    doc = _run_json("forecast", "imagenet", "--data", "futuretech", "--boot", "50",
                    "--interval", "calibrated")
    block = doc["calibrated"]
    assert block["error_ci_nominal"] == doc["error_ci"]
    lo, hi = block["error_ci"]
    assert lo < doc["error"] < hi


def test_project_interval_calibrated() -> None:
    doc = _run_json("project", "imagenet", "--data", "futuretech", "--boot", "50",
                    "--interval", "calibrated")["projections"][0]
    rows = doc["calibrated"]["targets"]
    assert [r["error"] for r in rows] == [t["error"] for t in doc["targets"]]
    for r in rows:
        assert r["flop_ci"][0] < r["flop"] < r["flop_ci"][1]


def test_interval_refused_where_not_backtested() -> None:
    result = runner.invoke(app, ["trend", "cost", "--interval", "calibrated"])
    assert result.exit_code == 1
    assert "training-compute trend only" in result.output
