"""``dlcost report`` through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from dlcost.cli.main import app

runner = CliRunner()
SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "schemas"


@pytest.mark.slow
def test_report_writes_the_page_and_prints_one_json_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    out = tmp_path / "report"
    result = runner.invoke(app, ["report", "--data", "builtin", "--out", str(out), "--seed",
                                 "3", "--json", "--open"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    schema = json.loads((SCHEMAS / "report.schema.json").read_text())
    errors = sorted(Draft202012Validator(schema).iter_errors(summary), key=str)
    assert not errors, f"report: {errors[0]}"  # the documented shape (docs/schemas/)
    assert summary["index_html"] == str(out / "index.html")
    assert summary["sources"] == ["builtin"] and summary["seed"] == 3
    assert summary["full"] is False
    from dlcost.report.sections import SECTIONS

    assert [s["id"] for s in summary["sections"]] == [
        *(spec.id for spec in SECTIONS), "provenance"]
    for path in summary["files"]:
        assert Path(path).is_file(), path
    assert {"total_s", "render_s", "sections"} <= set(summary["timings"])
    assert opened == [(out / "index.html").resolve().as_uri()]
    # The progress display went to stderr, leaving stdout to the JSON document.
    assert result.stdout.lstrip().startswith("{")


def test_report_refuses_a_folder_that_is_not_a_report(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = runner.invoke(app, ["report", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {tmp_path} exists, is not empty and does not hold "
                                    "a dlcost report")
    assert result.stderr.count("\n") == 1
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_report_names_an_unknown_source(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--data", "builtin,nosuchsource", "--out",
                                 str(tmp_path / "r")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no data from source 'nosuchsource' in ")
    assert "available: builtin" in result.stderr
