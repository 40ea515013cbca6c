"""The 'How fast it grows' section: on builtin data alone, and with Epoch AI's data."""

from __future__ import annotations

from pathlib import Path

import pytest

from dlcost.report.context import ReportContext, ReportSettings
from dlcost.report.model import ReportFigure, ReportTable, Unavailable
from dlcost.report.sections.growth import TREND_ROWS, growth
from dlcost.store import ResultsDB, open_db


def blocks(db: ResultsDB) -> dict[str, list[object]]:
    section = growth(ReportContext.open(db, ReportSettings(seed=0)))
    out: dict[str, list[object]] = {"tables": [], "figures": [], "unavailable": []}
    for b in section.blocks:
        if isinstance(b, ReportTable):
            out["tables"].append(b.id)
        elif isinstance(b, ReportFigure):
            out["figures"].append(b.id)
        elif isinstance(b, Unavailable):
            out["unavailable"].append(b.reason)
    return out


def test_on_builtin_the_trends_say_why_they_are_missing() -> None:
    with open_db(":memory:") as db:
        got = blocks(db)
    assert "table-algorithmic-progress" in got["tables"]
    assert "fig-headline-forecast" in got["figures"]
    assert "table-growth" not in got["tables"]
    assert len(got["unavailable"]) == len(TREND_ROWS)


def test_with_epoch_data_the_table_and_figure_appear(shared_data: Path) -> None:
    from dlcost.store.importers import import_path

    with open_db(":memory:") as db:
        import_path(db, "epoch", shared_data / "epoch_ai_models")
        import_path(db, "epoch-hardware", shared_data / "epoch_ml_hardware" / "ml_hardware.csv")
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
