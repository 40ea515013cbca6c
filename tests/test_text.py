"""Exports are safe to open; control and bidi characters never reach the terminal or the report."""

from __future__ import annotations

import csv
import doctest
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import dlcost.text
from dlcost.cli.main import app
from dlcost.store import ResultsDB
from dlcost.store.batch import ImportBatch
from dlcost.text import FORMULA_PREFIXES, UNSAFE, neutralize_cell, neutralize_frame, sanitize

EVIL_MODEL = "=HYPERLINK(\"http://x\",\"ResNet\")"
BIDI_MODEL = "abc\u202efdp.exe"
ANSI_MODEL = "Net\x1b[2J[bold]X[/bold]"


def test_doctests() -> None:
    result = doctest.testmod(dlcost.text)
    assert result.attempted >= 5 and result.failed == 0


@given(st.text())
def test_sanitize_leaves_nothing_unsafe(text: str) -> None:
    for escape in (True, False):
        clean = sanitize(text, escape=escape)
        assert UNSAFE.search(clean) is None
        assert "\n" not in clean and "\t" not in clean and "\r" not in clean


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Zl", "Zp"))))
def test_sanitize_keeps_ordinary_text(text: str) -> None:
    assert sanitize(text) == text


@given(st.one_of(st.text(), st.floats(allow_nan=False), st.integers()))
def test_neutralized_cells_never_start_a_formula(value: object) -> None:
    out = neutralize_cell(value)
    if isinstance(value, str):
        assert not out.startswith(FORMULA_PREFIXES)
        assert out in (value, "'" + value)
    else:
        assert out == value


def test_neutralize_frame_touches_text_only() -> None:
    frame = pd.DataFrame({"model": ["=1+1", "ResNet", None], "score": [-1.0, 2.0, 3.0],
                          "@col": ["+x", "-y", "\tz"]})
    out = neutralize_frame(frame)
    assert out["model"].tolist()[:2] == ["'=1+1", "ResNet"]
    assert out["model"].isna().tolist() == [False, False, True]
    assert out["score"].tolist() == [-1.0, 2.0, 3.0]
    assert list(out.columns) == ["model", "score", "'@col"]
    assert out["'@col"].tolist() == ["'+x", "'-y", "'\tz"]
    assert frame["model"].tolist()[0] == "=1+1"  # the input is unchanged


@pytest.fixture
def hostile_store(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.duckdb"
    batch = ImportBatch(source="test", import_key="test", path=None, sha256="0" * 64)
    for i, model in enumerate((EVIL_MODEL, BIDI_MODEL, ANSI_MODEL)):
        batch.add_result({"benchmark": "imagenet", "task": "image classification",
                          "metric": "top1", "model": model, "score": 70.0 + i,
                          "error": 0.30 - i / 100, "year": 2021, "paper_title": f"@paper {i}"})
    with ResultsDB(path, builtin=False) as db:
        db.write(batch)
    return path


def test_export_neutralizes_formulas_unless_raw(hostile_store: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "export.csv"
    result = runner.invoke(app, ["--db", str(hostile_store), "data", "export", "-s", "test",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {r["model"] for r in rows} == {"'" + EVIL_MODEL, BIDI_MODEL, ANSI_MODEL}
    assert {r["paper_title"] for r in rows} == {"'@paper 0", "'@paper 1", "'@paper 2"}
    raw = runner.invoke(app, ["--db", str(hostile_store), "data", "export", "-s", "test",
                              "--raw-cells", "-o", str(out)])
    assert raw.exit_code == 0, raw.output
    assert {r["model"] for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))} \
        == {EVIL_MODEL, BIDI_MODEL, ANSI_MODEL}


def test_terminal_output_escapes_control_and_bidi(hostile_store: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["--db", str(hostile_store), "data", "list", "-s", "test"],
                           env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "\u202e" not in result.stdout and "\x1b" not in result.stdout
    assert "abc\\u202efdp.exe" in result.stdout
    assert "Net\\x1b[2J[bold]X[/bold]" in result.stdout  # markup in data is shown, not applied
    listed = runner.invoke(app, ["--db", str(hostile_store), "data", "list", "-s", "test",
                                 "--json"])
    rid = next(r["id"] for r in json.loads(listed.stdout)
               if r["model"] == BIDI_MODEL)
    shown = runner.invoke(app, ["--db", str(hostile_store), "data", "show", rid])
    assert shown.exit_code == 0, shown.output
    assert "\u202e" not in shown.stdout and "abc\\u202efdp.exe" in shown.stdout


def test_report_tables_are_neutralized(tmp_path: Path) -> None:
    from dlcost.report.build import write_table
    from dlcost.report.model import ReportTable

    frame = pd.DataFrame({"model": [EVIL_MODEL, "ResNet"], "flop": [-1.0, 2.0]})
    table = ReportTable(id="t", title="T", frame=frame, columns=[], maker="test")
    safe = pd.read_csv(write_table(table, tmp_path / "safe"))
    assert safe["model"].tolist() == ["'" + EVIL_MODEL, "ResNet"]
    assert safe["flop"].tolist() == [-1.0, 2.0]
    raw = pd.read_csv(write_table(table, tmp_path / "raw", raw_csv=True))
    assert raw["model"].tolist() == [EVIL_MODEL, "ResNet"]
