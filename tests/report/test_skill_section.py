"""The 'Was the paper right?' section: numbers, the reliability diagram, the skill table."""

from __future__ import annotations

from dlcost.report.context import ReportContext, ReportSettings
from dlcost.report.model import Prose, ReportFigure, ReportTable, Unavailable
from dlcost.report.sections.skill import skill
from dlcost.store import ResultsDB, open_db, seed_builtin


def test_on_the_embedded_data_every_part_appears() -> None:
    with open_db(":memory:") as db:
        section = skill(ReportContext.open(db, ReportSettings(seed=0)))
    tables = {b.id: b for b in section.blocks if isinstance(b, ReportTable)}
    figures = [b.id for b in section.blocks if isinstance(b, ReportFigure)]
    prose = " ".join(p for b in section.blocks if isinstance(b, Prose) for p in b.paragraphs)
    assert not [b for b in section.blocks if isinstance(b, Unavailable)]
    assert "fig-reliability" in figures
    lm = tables["table-lm-extrapolation"].frame
    bbh = lm[lm["benchmark"] == "BIG-Bench Hard"].iloc[0]
    assert bbh["owen_1"] == 6.0 and bbh["n_1"] >= 10
    calibrated = tables["table-calibrated"].frame
    assert len(calibrated) == 4
    assert (calibrated["calibrated_lo"] < calibrated["value"]).all()
    assert (calibrated["value"] < calibrated["calibrated_hi"]).all()
    assert "91.0 %" in prose and "CoCa" in prose and "9.0% error" in prose
    paper = tables["table-paper-right"].frame
    assert set(paper["vintage"]) == {"paper (July 2020)", "article (October 2021)"}
    skill_table = tables["table-skill"].frame
    assert {"imagenet/curve", "imagenet/time", "compute/growth"} <= set(skill_table["target"])
    assert (skill_table["n"] > 0).all()


def test_without_data_it_says_why() -> None:
    with ResultsDB(":memory:") as db:
        seed_builtin(db)
        section = skill(ReportContext.open(db, ReportSettings(seed=0)))
    reasons = [b for b in section.blocks if isinstance(b, Unavailable)]
    assert any(b.what == "a backtest" for b in reasons)
