"""The tracker's three doors on a real tiny training run, storage, and crash isolation."""

from __future__ import annotations

from typing import Any

import pytest

import dlcost
from dlcost.data.accelerators import get_chip
from dlcost.exceptions import TrackerConfigError
from dlcost.projection.presets import Hardware, thompson2020
from dlcost.store import ResultsDB
from dlcost.track import (
    RunTracker,
    TrackerConfig,
    get_run,
    list_runs,
    run_documents,
    store_run,
    track_run,
)


def _check_record(doc: dict[str, Any], *, steps: int, step_flop: int) -> None:
    """FLOP, hardware burden, energy with its method, $ and CO₂ are all there and consistent."""
    assert doc["flop"]["total"] == pytest.approx(steps * step_flop, rel=1e-12)
    hw = doc["hardware"]
    assert hw["catalogue_name"] == "Xeon Platinum 8168"
    burden = doc["hardware_burden"]["flop"]
    assert burden == pytest.approx(hw["count"] * hw["peak_flop_per_s"] * doc["wall_seconds"])
    assert doc["utilization"] == pytest.approx(doc["flop"]["total"] / burden)
    training_peak = get_chip("Xeon Platinum 8168").training_peak().flop_per_s
    assert doc["utilization_training_peak"] == pytest.approx(
        doc["flop"]["total"] / (hw["count"] * training_peak * doc["wall_seconds"]))
    assert doc["energy"] == {"kwh": 0.002, "method": "fake", "notes": ["fake meter"],
                             "details": {}}
    preset = Hardware()
    assert doc["cost"]["co2_kg"] == pytest.approx(0.002 * preset.pue * preset.kg_co2_per_kwh)
    # No cloud price for this CPU: the paper's dollars per GFLOP of hardware burden.
    assert doc["cost"]["usd"] == pytest.approx(thompson2020().cost(burden).usd)
    assert doc["cost"]["usd_method"].startswith("thompson2020")


def test_context_manager_stores_a_runs_result(
    tiny_training: Any, xeon_reader: Any, fakes: Any,
) -> None:
    with dlcost.track(benchmark="ImageNet", model="tiny-mlp", hardware_readers=[xeon_reader],
                      energy_meters=[fakes.Meter()]) as run:
        tiny_training(6)
        run.log_score(11.0)
    record = run.record
    assert record.result_id.startswith("run-")
    with ResultsDB() as db:
        doc = get_run(db, record.result_id)
        stored = db.get(record.result_id)
        frame = list_runs(db)
        assert db.default_sources() == ["builtin"]  # runs never enter the fits by default
    _check_record(doc, steps=6, step_flop=fakes.TINY_STEP_FLOP)
    assert (doc["benchmark"], doc["score"], doc["error"]) == ("imagenet", 11.0, 0.89)
    assert stored["source"] == "runs"
    assert stored["phases"][0]["chip"] == "Xeon Platinum 8168"
    methods = {e["method"]: e["flop"] for e in stored["estimates"]}
    assert methods["network_operations"] == pytest.approx(6 * fakes.TINY_STEP_FLOP)
    assert methods["hardware_burden"] == pytest.approx(doc["hardware_burden"]["flop"])
    assert list(frame["id"]) == [record.result_id]


def test_decorator_and_explicit_start_stop(
    tiny_training: Any, xeon_reader: Any, fakes: Any,
) -> None:
    @track_run(model="decorated", hardware_readers=[xeon_reader], energy_meters=[fakes.Meter()])
    def train() -> float:
        return tiny_training(5)

    assert train() == train()  # each call is one run, and the function's value comes back
    run = RunTracker(TrackerConfig(model="explicit", benchmark="imagenet", score=20.0),
                     hardware_readers=[xeon_reader], energy_meters=[fakes.Meter()])
    run.start()
    tiny_training(4)
    record = run.stop()
    _check_record(record.to_dict(), steps=4, step_flop=fakes.TINY_STEP_FLOP)
    with ResultsDB() as db:
        models = sorted(list_runs(db)["model"])
    assert models == ["decorated", "decorated", "explicit"]


def test_training_errors_pass_through_and_the_run_is_kept(xeon_reader: Any, fakes: Any) -> None:
    with pytest.raises(ZeroDivisionError), dlcost.track(
            model="crashing", hardware_readers=[xeon_reader], energy_meters=[fakes.Meter()]) as run:
        1 / 0  # noqa: B018
    assert run.record.exit_code == 1
    assert any("ZeroDivisionError" in p for p in run.record.problems)


def test_measurement_crashes_never_reach_the_training(tiny_training: Any, fakes: Any) -> None:
    """A hardware reader, an energy meter and the store all failing: training still runs."""
    run = RunTracker(TrackerConfig(model="unlucky", db_path="/proc/no/such/dir/x.duckdb"),
                     hardware_readers=[fakes.Reader([], error=RuntimeError("reader broke"))],
                     energy_meters=[fakes.Meter(stop_error=OSError("meter broke"))])
    with run:
        loss = tiny_training(6)
    assert loss > 0
    problems = " | ".join(run.record.problems)
    assert "meter broke" in problems
    assert "storing the run failed" in problems
    assert run.record.flop["total"] == pytest.approx(6 * fakes.TINY_STEP_FLOP)
    assert run.record.energy["kwh"] is None
    # The run waits in a file, and goes into the next store written to.
    assert "the run is saved in" in problems
    with ResultsDB() as db:
        assert [r["model"] for r in run_documents(db)] == []
        store_run(second_run(fakes), db=db)
        assert sorted(r["model"] for r in run_documents(db)) == ["second", "unlucky"]
        assert get_run(db, run.record.run_id)["flop"]["total"] == run.record.flop["total"]


def second_run(fakes: Any) -> Any:
    tracker = RunTracker(TrackerConfig(model="second", store=False, flop="none"),
                         hardware_readers=[], energy_meters=[fakes.Meter()])
    tracker.start()
    return tracker.stop()


def test_user_errors_raise_at_construction() -> None:
    with pytest.raises(TrackerConfigError, match="unknown benchmark 'imagenett'"):
        dlcost.track(benchmark="imagenett")
    with pytest.raises(TrackerConfigError, match="energy='solar'"):
        dlcost.track(energy="solar")
    with pytest.raises(TrackerConfigError, match="sample_every must be"):
        TrackerConfig(sample_every=0)
    with pytest.raises(TrackerConfigError, match="unknown tracker option"):
        dlcost.track(modle="typo")
    with pytest.raises(TrackerConfigError, match="unknown hardware 'Z80'"):
        TrackerConfig(chip="Z80")
    with pytest.raises(TrackerConfigError, match="outside \\(0, 100\\)"):
        TrackerConfig(score=176)


def test_bad_score_later_is_noted_not_raised(xeon_reader: Any, fakes: Any) -> None:
    with dlcost.track(model="m", store=False, hardware_readers=[xeon_reader],
                      energy_meters=[fakes.Meter()]) as run:
        run.log_score(176.0)
    assert run.record.score is None
    assert any("log_score ignored" in p for p in run.record.problems)


def test_nested_trackers_share_one_counter(
    tiny_training: Any, xeon_reader: Any, fakes: Any,
) -> None:
    options = {"store": False, "hardware_readers": [xeon_reader],
               "energy_meters": [fakes.Meter()]}
    with dlcost.track(model="outer", **options) as outer:
        tiny_training(5)
        with dlcost.track(model="inner", sample_every=None, **options) as inner:
            tiny_training(3)
    assert outer.record.flop["steps"] == 8
    assert inner.record.flop["steps"] == 3
    assert outer.record.flop["total"] == pytest.approx(8 * fakes.TINY_STEP_FLOP)
