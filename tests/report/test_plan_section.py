"""The 'What would it take' section, on the embedded snapshots (Epoch's LM hub included)."""

from __future__ import annotations

import pytest

from dlcost.report.context import ReportContext, ReportSettings
from dlcost.report.model import ReportFigure, ReportTable, Unavailable
from dlcost.report.sections.plan import LOADS, what_would_it_take
from dlcost.store import open_db


@pytest.fixture(scope="module")
def section():  # type: ignore[no-untyped-def]
    with open_db(":memory:") as db:
        yield what_would_it_take(ReportContext.open(db, ReportSettings(seed=0)))


def test_plans_levers_figure_and_life_cost(section) -> None:  # type: ignore[no-untyped-def]
    tables = {b.id: b for b in section.blocks if isinstance(b, ReportTable)}
    plans = tables["table-plan"].frame
    assert "ImageNet" in " ".join(plans["benchmark"])
    for key in ("no-algorithmic-progress", "hardware-stalls", "flat-budget",
                "efficient-architecture"):
        assert key in plans.columns
    assert any(isinstance(b, ReportFigure) and b.id == "fig-plan-levers"
               for b in section.blocks)
    life = tables["table-life-cost"].frame
    assert len(life) == 2 * len(LOADS)
    gpt3 = life[life["model"] == "GPT-3 175B"]
    assert gpt3["training_mwh"].iloc[0] == pytest.approx(1287, rel=0.005)
    # Ten times the load, ten times sooner.
    days = gpt3["overtake_days"].to_numpy()
    assert days[0] / days[1] == pytest.approx(10.0)


def test_mmlu_is_planned_from_the_shipped_hub(section) -> None:  # type: ignore[no-untyped-def]
    tables = {b.id: b for b in section.blocks if isinstance(b, ReportTable)}
    plans = tables["table-plan"].frame
    assert "MMLU" in set(plans["benchmark"])
    assert "score 95%" in set(plans["target"])
    missing = [b for b in section.blocks if isinstance(b, Unavailable)]
    assert not [b for b in missing if "mmlu" in b.what]
    # A benchmark whose fit says compute does not help is said to be unplannable, not guessed.
    for b in missing:
        assert "slope" in b.reason or "no " in b.reason
