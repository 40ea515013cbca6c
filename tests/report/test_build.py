"""The built report: its files, determinism, escaping, and numbers that are the library's."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from dlcost.exceptions import DlcostError
from dlcost.report import ReportSettings, build_report
from dlcost.report.build import MANIFEST, _remove_stale

SECTION_IDS = ["headline", "benchmarks", "projections", "hardware", "growth", "frontier", "skill",
               "plan", "theory", "provenance"]


def test_writes_the_page_every_figure_and_every_table(built_report: Any) -> None:
    out: Path = built_report.out_dir
    summary = built_report.to_dict()
    assert [s["id"] for s in summary["sections"]] == SECTION_IDS
    page = (out / "index.html").read_text(encoding="utf-8")
    for section in built_report.sections:
        assert f'id="{section.id}"' in page
        for figure in section.figures():
            for fmt in ("png", "svg"):
                path = out / "figures" / f"{figure.id}.{fmt}"
                assert path.stat().st_size > 1000, path
            assert f'id="{figure.id}-plot"' in page
        for table in section.tables():
            frame = pd.read_csv(out / "tables" / f"{table.id}.csv")
            assert list(frame.columns) == list(map(str, table.frame.columns))
    figures = {f for s in summary["sections"] for f in s["figures"]}
    assert {"fig-halving-cost", "fig-scaling-imagenet", "fig-simulation"} <= figures
    manifest = json.loads((out / MANIFEST).read_text())
    assert sorted(manifest["files"]) == sorted(
        str(Path(p).relative_to(out)) for p in summary["files"] if Path(p).name != MANIFEST)
    # plotly.js is inlined exactly once, and nothing is loaded from elsewhere.
    assert page.count("plotly.js v") <= 2 and len(re.findall(r"<script>", page)) == 2
    assert not re.search(r"<script[^>]+src=", page)
    assert set(summary["timings"]) >= {"sections", "render_s", "total_s"}


def test_tables_are_byte_identical_for_the_same_data_and_seed(
    built_report: Any, rebuild: Any, tmp_path: Path
) -> None:
    again = rebuild(tmp_path / "again", tmp_path / "cache")
    first = sorted((built_report.out_dir / "tables").glob("*.csv"))
    second = sorted((again.out_dir / "tables").glob("*.csv"))
    assert [p.name for p in first] == [p.name for p in second] and first
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_the_seed_drives_the_bootstrap(report_db: Path) -> None:
    from dlcost.report.context import ReportContext
    from dlcost.store import open_db

    intervals = []
    with open_db(report_db) as db:
        for seed in (0, 1):
            ctx = ReportContext.open(db, ReportSettings(sources=("builtin",), seed=seed))
            fit = ctx.fits()["imagenet"].poly
            intervals.append(fit.boot_conf_int().to_numpy())
    assert not np.allclose(intervals[0], intervals[1])


def test_hostile_strings_are_text(built_report: Any, hostile: dict[str, str]) -> None:
    page = (built_report.out_dir / "index.html").read_text(encoding="utf-8")
    assert hostile["model"] not in page  # neither raw in the HTML nor raw in a script element
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the points table shows it
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page  # the figure data hold it
    body = page.split("<script>")[0]
    assert "</script><script>alert(2)" not in body
    assert 'href="javascript:' not in page
    points = pd.read_csv(built_report.out_dir / "tables" / "table-points-imagenet.csv")
    row = points[points["model"] == hostile["model"]]
    assert len(row) == 1
    assert row["paper_title"].iloc[0] == hostile["title"]
    assert row["paper_url"].iloc[0] == hostile["url"]


@pytest.mark.filterwarnings("ignore::dlcost.exceptions.ExtrapolationWarning")
def test_numbers_are_the_librarys(built_report: Any, report_db: Path) -> None:
    """The headline and projection tables hold what the library's API returns."""
    from dlcost.fitting import fit_data, scaling_data
    from dlcost.projection import halving_cost, project
    from dlcost.report.sections.projections import PAPER_TARGETS, PRESET
    from dlcost.store import open_db

    tables = built_report.out_dir / "tables"
    halving = pd.read_csv(tables / "table-halving-cost.csv")
    projections = pd.read_csv(tables / "table-projections.csv")
    with open_db(report_db) as db:
        data = scaling_data(db, "imagenet", sources=["builtin", "test"])
    fit = fit_data(data, form="poly", n_boot=10, random_state=0)
    row = halving[(halving["benchmark"] == "imagenet") & (halving["form"] == "poly")]
    assert row["halving_factor"].iloc[0] == halving_cost(fit).factor
    assert row["slope_b"].iloc[0] == fit.slope_ and row["n"].iloc[0] == fit.n_
    expected = project(fit, PAPER_TARGETS["imagenet"], preset=PRESET)
    got = projections[(projections["benchmark"] == "imagenet")
                      & (projections["form"] == "poly")]
    assert got["flop"].tolist() == [r.flop for r in expected.rows]
    assert got["usd"].tolist() == [r.usd for r in expected.rows]


def test_missing_parts_say_why(built_report: Any) -> None:
    summary = built_report.to_dict()
    missing = [u for s in summary["sections"] for u in s["unavailable"]]
    for item in missing:
        assert item["what"] and item["reason"]
    page = (built_report.out_dir / "index.html").read_text(encoding="utf-8")
    assert page.count("Not available:") == len(missing)


def test_refuses_to_write_into_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "thesis.tex").write_text("precious")
    with pytest.raises(DlcostError, match="does not hold a dlcost report"):
        build_report(ReportSettings(out_dir=tmp_path))
    assert (tmp_path / "thesis.tex").read_text() == "precious"


def test_a_rebuild_removes_only_its_own_stale_files(tmp_path: Path) -> None:
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "old.png").write_bytes(b"x")
    (tmp_path / "figures" / "kept.png").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("mine")
    outside = tmp_path.parent / "outside.txt"
    outside.write_text("not yours")
    _remove_stale(tmp_path, ["figures/old.png", "figures/kept.png", "../outside.txt"],
                  {"figures/kept.png"})
    assert not (tmp_path / "figures" / "old.png").exists()
    assert (tmp_path / "figures" / "kept.png").exists()
    assert (tmp_path / "notes.txt").exists() and outside.exists()
