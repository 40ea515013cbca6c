"""The 'How fast it grows' section: on builtin data alone, and with Epoch AI's data."""

from __future__ import annotations

import pytest

from dlcost.report.context import ReportContext, ReportSettings
from dlcost.report.model import ReportFigure, ReportTable, Unavailable
from dlcost.report.sections.growth import TREND_ROWS, growth
from dlcost.store import ResultsDB, open_db, seed_builtin


def blocks(db: ResultsDB) -> dict[str, list[object]]:
    section = growth(ReportContext.open(db, ReportSettings(seed=0)))
    out: dict[str, list[object]] = {"tables": [], "figures": [], "unavailable": []}
    for b in section.blocks:
        if isinstance(b, ReportTable):
            out["tables"].append(b.id)
        elif isinstance(b, ReportFigure):
            out["figures"].append(b.id)
        elif isinstance(b, Unavailable):
            out["unavailable"].append(b.what)
    return out


def test_on_builtin_the_trends_say_why_they_are_missing() -> None:
    with ResultsDB(":memory:") as db:
        seed_builtin(db)  # builtin alone: no shipped snapshots of Epoch's data
        got = blocks(db)
    assert "table-algorithmic-progress" in got["tables"]
    assert "fig-headline-forecast" in got["figures"]
    assert "table-growth" not in got["tables"]
    assert got["unavailable"].count("a growth trend") == len(TREND_ROWS)


def test_with_the_embedded_epoch_data_the_table_and_figure_appear() -> None:
    """A fresh store holds the shipped snapshot of Epoch AI's tables."""
    with open_db(":memory:") as db:
        section = growth(ReportContext.open(db, ReportSettings(seed=0,
                                                               sources=("builtin",))))
    tables = {b.id: b for b in section.blocks if isinstance(b, ReportTable)}
    assert len(tables["table-growth"].frame) == len(TREND_ROWS)
    assert any(isinstance(b, ReportFigure) and b.id == "fig-growth-compute"
               for b in section.blocks)


@pytest.mark.parametrize("row", TREND_ROWS)
def test_trend_rows_name_known_quantities(row: tuple[str, dict[str, object], str]) -> None:
    from dlcost.trends import QUANTITIES

    assert row[0] in QUANTITIES
