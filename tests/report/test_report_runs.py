"""The report draws the user's tracked runs on their benchmark's curve and places them."""

from __future__ import annotations

import math
from typing import Any

import pytest
from tests.report.conftest import small_store

from dlcost.report import ReportSettings
from dlcost.report.context import ReportContext


def store_with_a_run() -> tuple[Any, str]:
    """Twelve ImageNet results (error a power of the burden) and one tracked run at 1e17 FLOP."""
    from dlcost.track import EnergyReading, RunTracker, TrackerConfig, store_run

    db = small_store()

    class Meter:
        method = "fake"

        def start(self) -> None: ...

        def stop(self) -> EnergyReading:
            return EnergyReading(0.5, "fake")

    ticks = iter([0.0, 1e17 / 1e12])
    run = RunTracker(TrackerConfig(model="my-net", benchmark="imagenet", score=62.0,
                                   chip="V100", peak_flop_per_s=1e12, chip_count=1,
                                   flop="manual", store=False),
                     hardware_readers=[], energy_meters=[Meter()], clock=lambda: next(ticks))
    run.start()
    record = run.stop()
    return db, store_run(record, db=db)


@pytest.fixture
def ctx() -> Any:
    db, _ = store_with_a_run()
    yield ReportContext.open(db, ReportSettings(sources=("small",), seed=0))
    db.close()


def test_runs_are_drawn_and_placed_but_not_fitted(ctx: ReportContext) -> None:
    from dlcost.plotting.report_figures import to_matplotlib
    from dlcost.report.sections.benchmarks import benchmarks

    section = benchmarks(ctx)
    fit = ctx.fits()["imagenet"].poly
    assert fit.n_ == 12  # the run is not among the fitted points
    figure = next(b for b in section.blocks if getattr(b, "id", "") == "fig-scaling-imagenet")
    stars = [t for t in figure.figure.data if t.name == "Your runs (dlcost track)"]
    assert len(stars) == 1
    assert list(stars[0].x) == pytest.approx([1e17])
    assert list(stars[0].y) == pytest.approx([math.log10(1 / 0.38)])
    assert figure.maker.endswith("scaling_figure_with_runs")
    table = next(t for t in section.tables() if t.id == "table-runs-imagenet")
    row = table.frame.iloc[0]
    trend = 10 ** ((math.log10(1 / 0.38) - fit.intercept_) / fit.slope_)
    assert row["multiple"] == pytest.approx(1e17 / trend, rel=1e-9)
    assert (row["model"], row["energy_method"], row["kwh"]) == ("my-net", "fake", 0.5)
    prose = " ".join(p for b in section.blocks if hasattr(b, "paragraphs") for p in b.paragraphs)
    assert "my-net" in prose and "the trend's compute" in prose
    to_matplotlib(figure.figure)  # the static PNG/SVG export takes the extra trace


def test_no_runs_no_extra_blocks() -> None:
    from dlcost.report.sections.benchmarks import benchmarks
    from dlcost.store import ResultsDB

    db, rid = store_with_a_run()
    db.con.execute("DELETE FROM results WHERE source = 'runs'")
    context = ReportContext.open(db, ReportSettings(sources=("small",), seed=0))
    section = benchmarks(context)
    assert not [t for t in section.tables() if t.id.startswith("table-runs")]
    assert isinstance(db, ResultsDB) and rid.startswith("run-")
    db.close()
