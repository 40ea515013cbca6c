"""One section of the report, built on its own from a small store, computes only what it reads."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from tests.report.conftest import small_store

from dlcost.report import ReportSettings
from dlcost.report.context import ReportContext


@pytest.fixture
def ctx() -> Any:
    db = small_store()
    yield ReportContext.open(db, ReportSettings(sources=("small",), seed=0))
    db.close()


def computed(ctx: ReportContext) -> set[str]:
    """The shared results the context has computed so far (cached properties)."""
    return {name for name in ("benchmark_fits", "halving", "projections") if name in vars(ctx)}


def test_the_headline_builds_alone(ctx: ReportContext) -> None:
    from dlcost.report.sections.headline import headline

    section = headline(ctx)
    assert section.id == "headline"
    assert [t.id for t in section.tables()] == ["table-halving-cost"]
    assert computed(ctx) == {"benchmark_fits", "halving"}  # no projections were made
    assert ctx.simulation is None  # nor was the simulation started
    assert [r.benchmark for r in ctx.halving] == ["imagenet", "imagenet"]


def test_the_projections_build_alone(ctx: ReportContext) -> None:
    from dlcost.report.sections.projections import projections

    section = projections(ctx)
    frame = section.tables()[0].frame
    assert set(frame["column"]) == {"today", "target 1", "target 2"}
    assert list(frame["error"][frame["column"] != "today"].unique()) == [0.05, 0.01]
    assert computed(ctx) == {"benchmark_fits", "projections"}
    assert ctx.simulation is None


def test_shared_results_are_made_once(ctx: ReportContext) -> None:
    assert ctx.projections is ctx.projections
    assert ctx.fits() is ctx.benchmark_fits
    first = ctx.projections.entries[0]
    assert first.fit is ctx.fits()["imagenet"].poly


def test_a_stopped_simulation_ends_its_thread(ctx: ReportContext) -> None:
    """The background run is a future: stopping it cancels it and joins its thread."""
    from dlcost.report.context import BackgroundSimulation
    from dlcost.simulation import SimulationSettings

    run = BackgroundSimulation(SimulationSettings(features=20, relevant=2, reps=2, n_min=4,
                                                  n_max=200, n_points=3))
    run.stop()
    assert run.future.done()


def test_the_simulation_result_comes_through_the_future(
    ctx: ReportContext, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DLCOST_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(ReportContext, "simulation_settings", lambda self: _tiny())
    result = ctx.simulation_result()
    assert ctx.simulation is not None and ctx.simulation.future.done()
    assert result.excess.shape[0] == 2


def _tiny() -> Any:
    from dlcost.simulation import SimulationSettings

    return SimulationSettings(features=20, relevant=2, reps=2, n_min=4, n_max=200, n_points=3)


def test_a_simulation_whose_worker_died_runs_here(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build's worker died with the simulation queued: the run is made in this process."""
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    from dlcost.report.context import BackgroundSimulation
    from dlcost.simulation import run_simulation

    class DeadPool:
        def submit(self, *args: Any, **kwargs: Any) -> Future[Any]:
            future: Future[Any] = Future()
            future.set_exception(BrokenProcessPool("worker died"))
            return future

    monkeypatch.setenv("DLCOST_CACHE_DIR", str(tmp_path))
    run = BackgroundSimulation(_tiny(), DeadPool())  # type: ignore[arg-type]
    result = run.result()
    reference = run_simulation(_tiny(), workers=1)
    assert np.array_equal(result.excess, reference.excess, equal_nan=True)
