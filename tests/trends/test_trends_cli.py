"""``dlcost trend`` through the command line, on a synthetic store."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dlcost.cli.main import app
from dlcost.store import ResultsDB
from dlcost.store.batch import ImportBatch

runner = CliRunner()


@pytest.fixture
def db_file(tmp_path: Path) -> str:
    """A file store with 30 notable models whose compute grows exactly 3× per year."""
    path = tmp_path / "store.duckdb"
    batch = ImportBatch(source="epoch", import_key="epoch:synthetic", path=None, sha256="0")
    for i in range(30):
        date = dt.date(2012, 1, 1) + dt.timedelta(days=120 * i)
        t = date.year + (date.timetuple().tm_yday - 1) / 365.25 - 2012
        rid = batch.add_result({"model": f"model {i}", "date": date, "year": date.year,
                                "attributes": {"notable": True}})
        batch.add_estimates(rid, [], None, reported={"training_compute": 1e20 * 3.0 ** t})
    with ResultsDB(path, builtin=False) as db:
        db.write(batch)
    return str(path)


def test_trend_json_contract(db_file: str) -> None:
    result = runner.invoke(app, ["--db", db_file, "trend", "compute", "--since", "2012-01-01",
                                 "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert list(doc)[:10] == ["quantity", "selection", "n", "start", "end", "growth_per_year",
                              "growth_ci", "doubling_years", "doubling_ci", "confidence"]
    assert doc["growth_per_year"] == pytest.approx(3.0, rel=1e-9)
    assert doc["confidence"] == 0.9 and doc["n"] == 30
    assert doc["selection"]["since"] == "2012-01-01"


def test_trend_table_and_plot(db_file: str, tmp_path: Path) -> None:
    png = tmp_path / "trend.png"
    result = runner.invoke(app, ["--db", db_file, "trend", "compute", "--frontier-top", "3",
                                 "--breakpoint", "--boot", "200", "--plot", str(png)])
    assert result.exit_code == 0, result.output
    assert "×/yr" in result.stdout and "two segments" in result.stdout
    assert "bootstrap" in result.stdout
    assert png.stat().st_size > 0


def test_trend_errors_are_one_line(db_file: str) -> None:
    result = runner.invoke(app, ["--db", db_file, "trend", "speed"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: unknown quantity 'speed'")
    assert result.stderr.count("\n") == 1


def test_fit_time_variant_carries_algorithmic_progress(shared_data: Path, tmp_path: Path) -> None:
    path = str(tmp_path / "ft.duckdb")
    imported = runner.invoke(app, ["--db", path, "data", "import", "futuretech",
                                   str(shared_data / "futuretech_2022")])
    assert imported.exit_code == 0, imported.output
    result = runner.invoke(app, ["--db", path, "fit", "imagenet", "--data", "futuretech",
                                 "--measure", "network_operations", "--variant", "time",
                                 "--json"])
    assert result.exit_code == 0, result.output
    progress = json.loads(result.stdout)["fits"][0]["algorithmic_progress"]
    lo, hi = progress["per_year_ci"]
    assert 1 < lo < progress["per_year"] < hi
    hlo, hhi = progress["halving_months_ci"]
    assert hlo < progress["halving_months"] < hhi
    table = runner.invoke(app, ["--db", path, "fit", "imagenet", "--data", "futuretech",
                                "--measure", "network_operations", "--variant", "time"])
    assert "compute needs halve every" in table.stdout
    assert "Erdil & Besiroglu" in table.stdout
