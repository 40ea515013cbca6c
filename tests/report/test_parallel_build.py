"""The parallel build (worker pool: figures, the simulation, a section) writes the same bytes
as a build in one process."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from tests.report.conftest import SIMULATION_REPS


def _serial(report_db: Path, out_dir: Path, cache_dir: Path) -> Any:
    from dlcost.report import ReportSettings, build_report

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DLCOST_CACHE_DIR", str(cache_dir))
        return build_report(ReportSettings(
            out_dir=out_dir, sources=("builtin", "test"), seed=0, db_path=report_db,
            simulation_reps=SIMULATION_REPS, parallel=False,
        ))


def _summary(result: Any) -> str:
    """The --json summary without timings, with the output folder taken out."""
    summary = result.to_dict()
    summary.pop("timings")
    for section in summary["sections"]:
        section.pop("seconds")
    return json.dumps(summary, sort_keys=True).replace(str(result.out_dir), "OUT")


@pytest.mark.slow
def test_parallel_and_serial_builds_write_the_same_bytes(
    built_report: Any, report_db: Path, tmp_path: Path
) -> None:
    from dlcost.parallel import usable_cpus

    serial = _serial(report_db, tmp_path / "serial", tmp_path / "cache")
    assert serial.timings["figures_in_worker"] is False
    assert {s["built_in"] for s in serial.timings["sections"].values()} == {"main"}
    if usable_cpus() > 1:  # on one CPU both builds are serial; the comparison still holds
        assert built_report.timings["figures_in_worker"] is True
        assert built_report.timings["sections"]["frontier"]["built_in"] == "worker"
    # Every figure drawn exactly once, by one process or the other (cold caches).
    n_figures = sum(len(s.figures()) for s in built_report.sections)
    for result in (built_report, serial):
        t = result.timings
        assert t["figures_drawn_here"] + t["figures_drawn_in_worker"] == n_figures
        assert "worker_fallbacks" not in t
    parallel_files = sorted(p.relative_to(built_report.out_dir) for p in built_report.files)
    serial_files = sorted(p.relative_to(serial.out_dir) for p in serial.files)
    assert parallel_files == serial_files
    assert any(str(p).startswith("figures/") for p in serial_files)
    for rel in serial_files:
        assert (built_report.out_dir / rel).read_bytes() == (serial.out_dir / rel).read_bytes(), \
            rel
    assert _summary(built_report) == _summary(serial)


def test_a_figure_from_a_worker_travels_back_unchanged() -> None:
    """A worker's section comes back through pickle: its figures frozen as the JSON the
    original serializes to, so the page and the figure cache see the same bytes."""
    import plotly.graph_objects as go

    from dlcost.report.model import FrozenFigure
    from dlcost.report.render import figure_json

    fig = go.Figure([go.Scatter(x=[1, 2, 3], y=[3, 1, 2], name="a")])
    fig.update_layout(height=420, template="simple_white", title={"text": "t"})
    frozen = pickle.loads(pickle.dumps(FrozenFigure.of(fig)))
    assert figure_json(frozen) == figure_json(fig)
    assert frozen.to_json() == fig.to_json()
    assert frozen.to_plotly_json() == fig.to_plotly_json()
    assert frozen.height == 420


@pytest.mark.slow
def test_worker_sections_pickle(built_report: Any) -> None:
    """Every section marked for the worker can be sent back (no lambdas in its columns)."""
    from dataclasses import replace

    from dlcost.report.model import FrozenFigure, ReportFigure
    from dlcost.report.sections import SECTIONS

    sections = {s.id: s for s in built_report.sections}
    for spec in SECTIONS:
        if not spec.worker:
            continue
        section = sections[spec.id]
        frozen = replace(section, blocks=[
            replace(b, figure=FrozenFigure.of(b.figure)) if isinstance(b, ReportFigure) else b
            for b in section.blocks])
        back = pickle.loads(pickle.dumps(frozen))
        assert [b.id for b in back.tables()] == [b.id for b in section.tables()]
        for before, after in zip(section.tables(), back.tables(), strict=True):
            assert after.frame.equals(before.frame)
