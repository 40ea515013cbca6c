"""``dlcost fit``, ``dlcost project`` and ``dlcost decompose`` through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dlcost.benchmarks import BENCHMARKS
from dlcost.cli.analysis import parse_error
from dlcost.cli.main import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def db_file(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store with FutureTech 2022 and Epoch AI's models, imported through the CLI once."""
    path = str(tmp_path_factory.mktemp("analysis") / "store.duckdb")
    for fmt, folder in (("futuretech", "futuretech_2022"), ("epoch", "epoch_ai_models")):
        code, out, err = run("--db", path, "data", "import", fmt, str(shared_data / folder))
        assert code == 0, out + err
    return path


@pytest.mark.shared_data
def test_fit_prints_all_six_benchmarks_from_one_command(db_file: str) -> None:
    code, out, _ = run("--db", db_file, "fit", "--json")
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == {"fits", "comparisons", "not_available"}
    records = doc["fits"]
    assert [r["benchmark"] for r in records] == list(BENCHMARKS)
    for r in records:
        assert {"benchmark", "measure", "form", "variant", "n", "intercept", "slope",
                "intercept_se", "slope_se", "r2"} <= set(r)
    code, out, _ = run("--db", db_file, "fit", "--all", "--data", "futuretech")
    assert code == 0
    for bench in BENCHMARKS:
        assert bench in out
    assert "0.0908 (0.0060)" in out


@pytest.mark.shared_data
def test_fit_one_benchmark_json_contract(db_file: str) -> None:
    code, out, _ = run("--db", db_file, "fit", "imagenet", "--data", "futuretech", "--json")
    assert code == 0
    (record,) = json.loads(out)["fits"]
    assert record["benchmark"] == "imagenet" and record["form"] == "poly"
    assert record["measure"] == "hardware_burden_consolidated" and record["variant"] == "ols"
    assert record["n"] == 102
    assert round(record["slope"], 4) == 0.0908
    assert round(record["slope_se"], 4) == 0.0060
    assert round(record["r2"], 3) == 0.694
    code, out, _ = run("--db", db_file, "fit", "imagenet", "--form", "both",
                       "--measure", "hardware_burden", "--data", "futuretech", "--json")
    both = json.loads(out)["fits"]
    assert [(r["form"], r["n"]) for r in both] == [("poly", 36), ("exp", 36)]
    assert round(both[0]["slope"], 4) == 0.0933


@pytest.mark.shared_data
def test_fit_variants_and_bootstrap(db_file: str) -> None:
    for variant in ("time", "quantile", "frontier"):
        code, out, err = run("--db", db_file, "fit", "imagenet", "--variant", variant,
                             "--boot", "200", "--json")
        assert code == 0, err
        (record,) = json.loads(out)["fits"]
        assert record["variant"] == variant and record["n_boot"] == 200
        assert record["slope_boot_ci"][0] < record["slope"] < record["slope_boot_ci"][1]


@pytest.mark.shared_data
def test_project_json_contract(db_file: str) -> None:
    code, out, _ = run("--db", db_file, "project", "imagenet", "--error", "5%", "--error", "1%",
                       "--boot", "500", "--json")
    assert code == 0
    (doc,) = json.loads(out)["projections"]
    assert doc["benchmark"] == "imagenet" and doc["form"] == "poly"
    assert doc["preset"] == "thompson2020"
    assert {"error", "flop", "flop_ci", "usd", "co2_kg"} <= set(doc["today"])
    assert [t["error"] for t in doc["targets"]] == [0.05, 0.01]
    for t in doc["targets"]:
        assert {"error", "flop", "flop_ci", "usd", "co2_kg"} <= set(t)
        assert t["flop_ci"][0] < t["flop"] < t["flop_ci"][1]
        assert t["orders_beyond_data"] > 0
    assert doc["targets"][1]["flop"] > doc["targets"][0]["flop"] > doc["today"]["flop"]


@pytest.mark.shared_data
def test_project_table_names_the_preset(db_file: str) -> None:
    code, out, _ = run("--db", db_file, "project", "imagenet", "-e", "5%", "--preset",
                       "hardware", "--chip", "A100", "--year", "2021", "--form", "both",
                       "--boot", "200")
    assert code == 0
    assert "preset hardware" in out
    assert out.count("target 0.05") == 2
    assert "decades beyond data" in out and "halving the error" in out


@pytest.mark.shared_data
def test_decompose_alexnet_nasnet(db_file: str) -> None:
    code, out, _ = run("--db", db_file, "decompose", "AlexNet", "NASNet-A", "--data",
                       "futuretech", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["factors"]["chip_count"] == 250
    assert round(doc["factors"]["chip_speed"]) == 6
    code, out, _ = run("--db", db_file, "decompose", "AlexNet", "NASNet-A", "--data",
                       "futuretech")
    assert "more chips" in out and "250×" in out


@pytest.mark.shared_data
def test_decompose_trend(db_file: str) -> None:
    code, out, err = run("--db", db_file, "decompose", "--trend", "--boot", "100", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert set(doc["rates"]) >= {"training_compute", "hardware_flop_per_s",
                                 "hardware_quantity", "training_time"}
    assert doc["selection"]["sources"] == ["epoch"]
    code, out, _ = run("--db", db_file, "decompose", "--trend", "--boot", "100")
    assert "Epoch 2025" in out


def test_errors_are_one_line(tmp_path: Path) -> None:
    db = str(tmp_path / "empty.duckdb")
    code, out, err = run("--db", db, "fit", "imagenette")
    assert code == 1 and out == ""
    assert err.startswith("Error: unknown benchmark 'imagenette'")
    code, _, err = run("--db", db, "fit", "imagenet", "--variant", "robust")
    assert code == 1
    assert err.startswith("Error: ") and "unknown variant 'robust'" in err
    assert err.count("\n") == 1
    code, _, err = run("--db", db, "decompose", "AlexNet")
    assert code == 1 and "give two models" in err
    code, _, err = run("--db", db, "project", "imagenet", "--preset", "aws")
    assert code == 1 and "unknown cost preset 'aws'" in err


def test_parse_error() -> None:
    assert parse_error("5%") == pytest.approx(0.05)
    assert parse_error("0.05") == pytest.approx(0.05)
    assert parse_error("5") == pytest.approx(0.05)
    import typer

    with pytest.raises(typer.BadParameter):
        parse_error("five")
    with pytest.raises(typer.BadParameter):
        parse_error("150%")


def test_a_warning_is_one_line_on_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    """Library warnings (here a quantile fit stopped at its iteration limit) print as one
    ``Warning: …`` line, not as Python's two-line warning with a source line."""
    from dlcost.fitting import variants

    monkeypatch.setattr(variants, "QUANTREG_MAX_ITER", 1)
    result = CliRunner().invoke(app, ["fit", "imagenet", "--variant", "quantile", "--json"])
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln]
    assert lines and all(ln.startswith("Warning: ") for ln in lines)
    assert any("iteration limit" in ln for ln in lines)
