"""``dlcost data`` and ``dlcost estimate`` through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dlcost.cli.main import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_import_list_and_reimport_futuretech(shared_data: Path) -> None:
    folder = str(shared_data / "futuretech_2022")
    code, out, _ = run("data", "import", "futuretech", folder, "--json")
    assert code == 0, out
    assert json.loads(out)["rows"] == 516
    code, out, _ = run("data", "list", "--source", "futuretech", "--json")
    rows = json.loads(out)
    assert len(rows) == 516
    assert {"id", "benchmark", "model", "year", "score", "error", "source"} <= set(rows[0])
    assert {r["benchmark"] for r in rows} == {"imagenet", "coco", "squad1.1", "conll2003",
                                              "wmt14-en-fr", "wmt14-en-de"}
    run("data", "import", "futuretech", folder)
    code, out, _ = run("data", "list", "--source", "futuretech", "--json")
    assert len(json.loads(out)) == 516
    code, out, _ = run("data", "list", "--benchmark", "conll2003", "-s", "futuretech", "--json")
    assert len(json.loads(out)) == 54
    rid = rows[0]["id"]
    code, out, _ = run("data", "show", rid, "--json")
    shown = json.loads(out)
    assert shown["id"] == rid and "estimates" in shown and "phases" in shown


def test_errors_are_one_line_and_exit_1() -> None:
    code, out, err = run("data", "show", "no-such-id")
    assert code == 1
    assert out == ""
    assert err.startswith("Error: no result with id 'no-such-id' in ")
    assert err.count("\n") == 1
    code, _, err = run("data", "import", "nosuchformat", ".")
    assert code == 1
    assert err.startswith("Error: unknown import format 'nosuchformat'; known formats: ")
    code, _, err = run("data", "list", "--benchmark", "imagenette")
    assert code == 1
    assert err == (
        "Error: unknown benchmark 'imagenette'; known: imagenet, coco, squad1.1, conll2003, "
        "wmt14-en-fr, wmt14-en-de. Did you mean imagenet?\n"
    )


def test_estimate_hardware_alexnet() -> None:
    code, out, _ = run("estimate", "hardware", "--chip", "GTX 580", "--count", "2",
                       "--days", "6", "--json")
    assert code == 0, out
    doc = json.loads(out)
    assert doc["method"] == "hardware_burden"
    assert doc["flop"] == pytest.approx(1.6e18, rel=0.03)


def test_alexnet_to_nasnet_ratio_and_chip_speed_share() -> None:
    """2 × GTX 580 × 5.5 days → 500 × P100 × 4 days: ≈1,100× in all, ≈6× from chip speed."""
    _, a, _ = run("estimate", "hardware", "--chip", "GTX 580", "--count", "2",
                  "--time", "5-6 days", "--json")
    _, b, _ = run("estimate", "hardware", "--chip", "P100", "--count", "500", "--days", "4",
                  "--json")
    alexnet, nasnet = json.loads(a), json.loads(b)
    ratio = nasnet["flop"] / alexnet["flop"]
    assert ratio == pytest.approx(1100, rel=0.1)
    speed = (nasnet["inputs"]["uses"][0]["peak_flop_per_s"]
             / alexnet["inputs"]["uses"][0]["peak_flop_per_s"])
    assert speed == pytest.approx(6, rel=0.1)


def test_estimate_operations() -> None:
    code, out, _ = run("estimate", "operations", "--flops-per-pass", "7e8", "--multiadds",
                       "--epochs", "100", "--examples", "1.28e6", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["flop"] == pytest.approx(5.376e17)
    assert doc["method"] == "network_operations"


def test_estimate_needs_exactly_one_time() -> None:
    code, _, err = run("estimate", "hardware", "--chip", "V100", "--count", "8",
                       "--days", "1", "--hours", "3")
    assert code == 1
    assert err == "Error: give exactly one of --hours, --days or --time (got --hours and --days)\n"


def test_export_formats(tmp_path: Path) -> None:
    out_file = tmp_path / "r.parquet"
    code, _, _ = run("data", "export", "--format", "parquet", "--out", str(out_file))
    assert code == 0 and out_file.stat().st_size > 0
    code, out, _ = run("data", "export", "--format", "json")
    assert code == 0 and isinstance(json.loads(out), list)
    code, _, err = run("data", "export", "--format", "xlsx")
    assert code == 1 and err.startswith("Error: unknown export format 'xlsx'")


def test_help_loads_no_heavy_library() -> None:
    """``--help`` imports only the CLI's small modules (benchmarks/startup.py times it)."""
    import subprocess
    import sys

    probe = ("import sys, runpy; sys.argv = ['dlcost', '--help']\n"
             "try:\n    runpy.run_module('dlcost', run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             "heavy = sorted(m for m in ('numpy', 'pandas', 'scipy', 'duckdb', 'matplotlib')"
             " if m in sys.modules)\n"
             "print('HEAVY', ','.join(heavy))")
    done = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True,
                          text=True)
    assert done.stdout.strip().splitlines()[-1] == "HEAVY"


def test_status_lists_the_imports(shared_data: Path) -> None:
    code, out, _ = run("data", "status", "--json")
    assert code == 0
    doc = json.loads(out)
    # A fresh store: builtin and the shipped snapshots, each with its date and licence.
    assert doc["default_sources"] == ["combined"]
    sources = {s["source"]: s for s in doc["sources"]}
    assert list(sources) == ["builtin", "epoch", "epoch-hardware", "epoch-prices",
                             "epoch_benchmarks", "futuretech"]
    assert (sources["futuretech"]["kind"], sources["futuretech"]["date"],
            sources["futuretech"]["rows"]) == ("snapshot", "2022-08-04", 516)
    assert sources["epoch"]["licence"] == "CC BY 4.0"
    run("data", "import", "futuretech", str(shared_data / "futuretech_2022"))
    doc = json.loads(run("data", "status", "--json")[1])
    assert doc["default_sources"] == ["combined"]
    [futuretech] = [s for s in doc["sources"] if s["source"] == "futuretech"]
    assert (futuretech["kind"], futuretech["rows"]) == ("imported", 516)
    assert futuretech["licence"].startswith("GPL-3.0")
    keys = {i["import_key"]: i["n_rows"] for i in doc["imports"]}
    assert keys["futuretech:imagenet"] == 208
    assert sum(n for k, n in keys.items() if k.startswith("futuretech:")) == 516


def test_estimate_training_compute_in_epochs_convention() -> None:
    """8 V100 for 1 day at 40 % of the 125 TFLOP/s tensor peak (Epoch's convention)."""
    code, out, _ = run("estimate", "hardware", "--chip", "V100", "--count", "8", "--days", "1",
                       "--utilization", "0.4", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["method"] == "training_compute"
    assert doc["flop"] == pytest.approx(0.4 * 8 * 125e12 * 86_400)


def test_combined_reports_matches_and_ambiguities() -> None:
    code, out, _ = run("data", "combined", "--benchmark", "wmt14-en-de", "--json")
    assert code == 0, out
    doc = json.loads(out)
    assert doc["summary"]["rows_by_source"]["futuretech"] == 516
    assert {a["benchmark"] for a in doc["ambiguous"]} == {"wmt14-en-de"}
    assert any(a["model"] == "Transformer (big)" and len(a["candidates"]) == 3
               for a in doc["ambiguous"])


def test_show_prints_every_contributing_source() -> None:
    code, out, _ = run("data", "list", "--source", "builtin", "--benchmark", "imagenet",
                       "--json")
    rid = next(r["id"] for r in json.loads(out) if r["model"] == "AdvProp (EfficientNet-B8)")
    code, out, _ = run("data", "show", rid, "--json")
    view = json.loads(out)["combined"]
    assert {c["source"] for c in view["contributors"]} >= {"builtin", "futuretech"}
    assert view["field_sources"]["score"] == "futuretech"
    code, out, _ = run("data", "show", rid)
    assert code == 0
    assert "Combined result" in out and "score ← futuretech" in out
