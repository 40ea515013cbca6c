"""On a fresh store (builtin + the shipped snapshots) the report's first sections show the
paper's data beside all data to date, name their data, and the provenance lists every
snapshot with its date, SHA-256, licence and attribution."""

from __future__ import annotations

from typing import Any

import pytest

from dlcost.report import ReportSettings
from dlcost.report.context import ReportContext
from dlcost.store import ResultsDB, seed
from dlcost.store.snapshots import shipped


@pytest.fixture(scope="module")
def ctx() -> Any:
    db = ResultsDB(":memory:")
    seed(db)
    context = ReportContext.open(db, ReportSettings(seed=0))
    yield context
    db.close()


def _text(section: Any) -> str:
    return " ".join(p for b in section.blocks for p in getattr(b, "paragraphs", []))


def test_defaults_are_combined_and_the_paper_beside_it(ctx: ReportContext) -> None:
    assert ctx.sources == ["combined"]
    assert ctx.paper is not None and ctx.paper.sources == ["futuretech"]
    assert ctx.data_label().startswith("all data to date (combined: ")
    assert ctx.paper.paper is None


def test_headline_shows_both_halving_costs(ctx: ReportContext) -> None:
    from dlcost.report.sections.headline import headline

    section = headline(ctx)
    assert "Data: all data to date (combined" in _text(section)
    [table] = [t for t in section.tables() if t.id == "table-halving-paper-vs-today"]
    imagenet = table.frame.set_index("benchmark").loc["imagenet"]
    # The paper's figure (METHODS.md §3: b = 0.0908 on n = 102, 2^(1/b) ≈ 2,070×) beside ours.
    assert imagenet.paper_n == 102 and round(imagenet.paper_slope_b, 4) == 0.0908
    assert 2_000 < imagenet.paper_halving_factor < 2_100
    assert imagenet.today_n > imagenet.paper_n
    assert imagenet.paper_shown == "2,074×"
    assert set(table.frame.benchmark) == {"imagenet", "coco", "squad1.1", "conll2003",
                                          "wmt14-en-fr", "wmt14-en-de"}


def test_sections_two_and_three_show_both(ctx: ReportContext) -> None:
    from dlcost.report.sections.benchmarks import benchmarks
    from dlcost.report.sections.projections import projections

    fits = benchmarks(ctx)
    assert "table-fits-paper-vs-today" in [t.id for t in fits.tables()]
    assert "Data: all data to date" in _text(fits)
    proj = projections(ctx)
    [table] = [t for t in proj.tables() if t.id == "table-projections-paper-vs-today"]
    row = table.frame.query("benchmark == 'imagenet' and column == 'target 1'").iloc[0]
    assert row.paper_error == row.today_error == 0.05  # the paper's 5 % target on both
    assert row.paper_flop > 0 and row.today_flop > 0


def test_thin_fits_are_not_headlined() -> None:
    from dlcost.report.model import Cards
    from dlcost.report.sections.headline import headline

    db = ResultsDB(":memory:")
    seed(db, only=["builtin"])
    small = ReportContext.open(db, ReportSettings(sources=("builtin",), seed=0))
    cards = [c for b in headline(small).blocks if isinstance(b, Cards) for c in b.cards]
    coco = next(c for c in cards if c.title == "MS COCO")
    assert coco.value == "too few results to say"
    assert "fewer than 10" in coco.detail and "n = 5" in coco.detail
    db.close()


def test_provenance_lists_every_snapshot(ctx: ReportContext) -> None:
    from dlcost.report.sections.provenance import snapshots_frame

    frame = snapshots_frame(ctx)
    assert list(frame.snapshot) == [s.name for s in shipped()]
    for snap, row in zip(shipped(), frame.itertuples(), strict=True):
        assert row.date.startswith(snap.date)
        assert all(f["sha256"] in row.files_sha256 for f in snap.files)
        assert row.licence == snap.licence and row.attribution == snap.attribution
        assert row.in_store.startswith("snapshot")
    assert set(frame.licence) == {"GPL-3.0", "CC BY 4.0"}
