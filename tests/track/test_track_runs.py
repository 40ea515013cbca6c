"""Runs in the store and their place against a benchmark's fitted trend."""

from __future__ import annotations

import math
from typing import Any

import pytest

from dlcost.exceptions import ResultNotFoundError
from dlcost.fitting import fit_benchmark
from dlcost.store import ResultsDB, open_db
from dlcost.track import RunTracker, TrackerConfig, get_run, place_run, place_runs, store_run


def _run(model: str, score: float | None, burden_flop: float, db: ResultsDB,
         meter: Any) -> dict[str, Any]:
    """A stored run whose hardware burden is exactly ``burden_flop`` (1 chip at 1e12 FLOP/s)."""
    ticks = iter([0.0, burden_flop / 1e12])
    tracker = RunTracker(TrackerConfig(model=model, benchmark="imagenet", score=score,
                                       chip="V100", peak_flop_per_s=1e12, chip_count=1,
                                       flop="manual", store=False),
                         hardware_readers=[], energy_meters=[meter],
                         clock=lambda: next(ticks))
    tracker.start()
    tracker.add_flop(burden_flop / 4)
    record = tracker.stop()
    store_run(record, db=db)
    return get_run(db, record.result_id)


def test_placement_in_compute_multiples(fakes: Any) -> None:
    """multiple = run's burden ÷ 10^((log10(1/err) − a) / b), the trend's compute for its error."""
    with open_db() as db:
        fit = fit_benchmark(db, "imagenet")
        a, b = fit.intercept_, fit.slope_
        trend = 10 ** ((math.log10(1 / 0.2) - a) / b)
        above = _run("lean", 80.0, trend / 10, db, fakes.Meter())
        below = _run("wasteful", 80.0, trend * 3, db, fakes.Meter())
        unscored = _run("unscored", None, trend, db, fakes.Meter())
        placed = {p.model: p for p in place_runs(db, fit)}
    assert placed["lean"].multiple == pytest.approx(0.1, rel=1e-9)
    assert placed["wasteful"].multiple == pytest.approx(3.0, rel=1e-9)
    assert "above the trend" in placed["lean"].describe()
    assert "below the trend" in placed["wasteful"].describe()
    assert placed["unscored"].multiple is None
    assert "no score logged" in placed["unscored"].describe()
    assert placed["lean"].predicted_error == pytest.approx(
        10 ** -(a + b * math.log10(trend / 10)), rel=1e-9)
    p = place_run(above, fit)
    assert p.to_dict()["log10_multiple"] == pytest.approx(-1.0)
    assert unscored["score"] is None and below["error"] == pytest.approx(0.2)


def test_runs_stay_out_of_default_and_all_sources(fakes: Any) -> None:
    with ResultsDB() as db:
        _run("r", 50.0, 1e15, db, fakes.Meter())
        assert "runs" in db.sources()
        assert "runs" not in db.resolve_sources(["all"])
        assert db.resolve_sources(["runs"]) == ["runs"]


def test_unknown_run_is_a_typed_error() -> None:
    with ResultsDB() as db, pytest.raises(ResultNotFoundError, match="no tracked run 'nope'"):
        get_run(db, "nope")
