"""Language-model benchmarks by rolling origin in time (:mod:`dlcost.backtest.lm`): no later
row reaches a cut-off's fit, counts and thinness, baselines, coverage, calibration after a
break in trend, determinism."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest

from dlcost.backtest import backtest, metrics
from dlcost.backtest.lm import (
    LM_HORIZONS,
    MIN_LM_FORECASTS,
    lm_fit_at,
    lm_origin,
    lm_pieces,
    lm_time_table,
    points_before,
    series_pieces,
)
from dlcost.frontier.data import joined_scores
from dlcost.store import ResultsDB, seed

CUTOFF = 2023.0


@pytest.fixture(scope="module")
def db() -> Iterator[ResultsDB]:
    """A store with the shipped snapshots (Epoch's hub and models tables)."""
    with ResultsDB(":memory:") as store:
        seed(store)
        yield store


@pytest.fixture(scope="module")
def mmlu_scores(db: ResultsDB) -> pd.DataFrame:
    scores = joined_scores(db)
    return scores[scores["benchmark"] == "mmlu"].reset_index(drop=True)


def _perturb_later(scores: pd.DataFrame, cutoff: float) -> pd.DataFrame:
    """Every score published on or after ``cutoff`` changed: halved, at another shot count
    (which would move the standard shot count if it looked ahead), and a new model early in
    name order that would beat every record."""
    from dlcost.frontier.data import decimal_year

    out = scores.copy()
    later = decimal_year(out["date"]) >= cutoff
    assert later.sum() > 20
    out.loc[later, "score"] = out.loc[later, "score"] / 2.0
    out.loc[later, "error"] = 1.0 - out.loc[later, "score"] / 100.0
    out.loc[later, "shots"] = "3"
    extra = out[later].head(1).copy()
    extra["model"] = extra["epoch_model"] = "AAA perfect later model"
    extra["score"], extra["error"] = 99.0, 0.01
    return pd.concat([out, extra], ignore_index=True)


def test_later_rows_do_not_reach_the_fit(db: ResultsDB, mmlu_scores: pd.DataFrame) -> None:
    bumped = _perturb_later(mmlu_scores, CUTOFF)
    a = points_before(db, mmlu_scores, "mmlu", CUTOFF)
    b = points_before(db, bumped, "mmlu", CUTOFF)
    pd.testing.assert_frame_equal(a, b)
    fa, fb = lm_fit_at(a, CUTOFF), lm_fit_at(b, CUTOFF)
    assert fa is not None and fb is not None
    assert (fa.slope_, fa.intercept_, fa.n_, fa.resid_var_) == \
        (fb.slope_, fb.intercept_, fb.n_, fb.resid_var_)
    np.testing.assert_array_equal(fa.cov_, fb.cov_)
    # the whole origin's output (fit summary and forecasts' mid and sd) is bit-identical when
    # only the truth it is scored on is the same
    pa = {p[2]: p for p in lm_pieces(db, mmlu_scores, "mmlu")}
    pb = {p[2]: p for p in lm_pieces(db, bumped, "mmlu")}
    info_a, rows_a = lm_origin((pa[CUTOFF][0], pa[CUTOFF][1], CUTOFF))
    info_b, rows_b = lm_origin((pb[CUTOFF][0], pa[CUTOFF][1], CUTOFF))
    assert info_a == info_b and rows_a == rows_b
    # the check can fail: a later cut-off sees the perturbed rows
    later = CUTOFF + 1.5
    fc = lm_fit_at(points_before(db, mmlu_scores, "mmlu", later), later)
    fd = lm_fit_at(points_before(db, bumped, "mmlu", later), later)
    assert fc is not None and fd is not None
    assert (fc.slope_, fc.intercept_) != (fd.slope_, fd.intercept_)


@pytest.fixture(scope="module")
def mmlu_doc(db: ResultsDB) -> dict:  # type: ignore[type-arg]
    return backtest(db, "mmlu").to_dict()


def test_counts_baselines_and_coverage_on_the_snapshot(mmlu_doc: dict) -> None:  # type: ignore[type-arg]
    comp = next(c for c in mmlu_doc["components"] if c["kind"] == "time")
    assert comp["n_origins"] == len(comp["origins"]) >= 3
    assert comp["n_forecasts"] == sum(o["n_scored"] for o in comp["origins"]) \
        == len(comp["forecasts"])
    assert comp["min_forecasts"] == MIN_LM_FORECASTS
    assert comp["thin"] == (comp["n_forecasts"] < MIN_LM_FORECASTS)
    if comp["thin"]:
        assert comp["notes"][0].startswith(f"thin: {comp['n_forecasts']} scored forecast")
    for f in comp["forecasts"]:
        assert f["horizon_years"] in LM_HORIZONS
        assert f["horizon"] == math.ceil(f["horizon_years"])
        assert 0 < f["actual_units"] <= 100 and f["mid_units"] <= 100
        # the origin is the cut-off minus a year (the backtests' convention)
        assert any(o["origin"] == f["origin"] and o["cutoff"] == f["origin"] + 1
                   for o in comp["origins"])
        assert f["date"] == pytest.approx(f["origin"] + 1 + f["horizon_years"])
    m = comp["metrics"]["all"]
    assert m["n_last_value"] == comp["n_forecasts"]
    assert m["n_constant_growth"] >= 1
    assert np.isfinite(m["mae_log10_last_value"]) and np.isfinite(m["mae_units"])
    for level, e in m["coverage"].items():
        assert e["nominal"] == float(level)
        for key in ("achieved", "calibrated_loo", "calibrated_sequential"):
            if key in e:
                assert 0.0 <= e[key] <= 1.0
    # the compute extrapolation (item d) is still there, beside it
    assert mmlu_doc["extrapolation"]["n_forecasts"] > 0


def test_last_value_baseline_is_the_best_score_so_far(db: ResultsDB,
                                                      mmlu_scores: pd.DataFrame) -> None:
    pieces = lm_pieces(db, mmlu_scores, "mmlu")
    table, _ = lm_time_table(pieces)
    for before, _, cutoff in pieces:
        rows = table[table["origin"] == cutoff - 1]
        if len(rows):
            best = before.loc[before["published"] < cutoff, "error"].min()
            assert (rows["naive_last_value"] == -math.log10(best)).all()


def test_thin_benchmark_says_so(db: ResultsDB) -> None:
    from dlcost.backtest import lm_time_backtest

    comp = backtest(db, "lambada").component("time").to_dict()
    assert comp["thin"] is True and comp["n_forecasts"] < MIN_LM_FORECASTS
    assert "thin:" in comp["notes"][0]
    # the public function gives the same component
    alone = lm_time_backtest(db, "lambada").to_dict()
    assert alone["n_forecasts"] == comp["n_forecasts"] and alone["origins"] == comp["origins"]


def _series(rng: np.random.Generator, slope_after: float) -> pd.DataFrame:
    """Best error log10-linear in time, 2010–2026, slope −0.10/yr, changing at 2018; eight
    models a year scatter above the frontier so that records are sparse, as in real data."""
    year = np.sort(rng.uniform(2010.0, 2026.0, 8 * 16))
    line = np.where(year < 2018.0, -0.10 * (year - 2010.0),
                    -0.80 + slope_after * (year - 2018.0))
    log_err = -0.2 + line + np.abs(rng.normal(0.0, 0.08, len(year)))
    return pd.DataFrame({"name": [f"m{i}" for i in range(len(year))], "published": year,
                         "error": 10.0 ** log_err})


def test_break_in_trend_calibration_moves_coverage_towards_nominal(
        rng: np.random.Generator) -> None:
    table, origins = lm_time_table(series_pieces(_series(rng, slope_after=-0.35)))
    assert len(origins) >= 10 and len(table) >= MIN_LM_FORECASTS
    cover = metrics(table)["coverage"]["0.8"]
    assert cover["achieved"] < 0.65  # the nominal intervals miss after the break
    assert abs(cover["calibrated_loo"] - 0.8) < abs(cover["achieved"] - 0.8)
    assert abs(cover["calibrated_loo"] - 0.8) < 0.1


def test_deterministic_and_backends_agree(rng: np.random.Generator) -> None:
    pieces = series_pieces(_series(rng, slope_after=-0.10))
    a, oa = lm_time_table(pieces)
    b, ob = lm_time_table(pieces)
    pd.testing.assert_frame_equal(a, b)
    assert oa == ob
    c, oc = lm_time_table(pieces, backend="process", workers=2)
    pd.testing.assert_frame_equal(a, c)
    assert oa == oc


def test_cli_json(db: ResultsDB, mmlu_doc: dict) -> None:  # type: ignore[type-arg]
    """``dlcost backtest mmlu --json`` carries the time component and keeps the compute
    extrapolation's numbers (same as ``compute_extrapolation`` alone)."""
    from typer.testing import CliRunner

    from dlcost.backtest import compute_extrapolation
    from dlcost.cli.main import app

    result = CliRunner().invoke(app, ["backtest", "mmlu", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    kinds = [c["kind"] for c in doc["components"]]
    assert kinds == ["time"]
    alone = compute_extrapolation(db, "mmlu").to_dict()["metrics"]
    for k, m in alone.items():
        for key, v in m.items():
            assert doc["extrapolation"]["metrics"][k][key] == pytest.approx(v, rel=1e-11)
    assert doc["components"][0]["n_forecasts"] == \
        mmlu_doc["components"][0]["n_forecasts"]
