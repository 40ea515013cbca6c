"""``dlcost hardware list`` and ``dlcost hardware show`` through the real command line."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from dlcost.cli.main import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_list_json_has_every_chip_and_its_burden_peak() -> None:
    code, out, err = run("hardware", "list", "--json")
    assert (code, err) == (0, "")
    chips = json.loads(out)
    assert len(chips) == 61
    by_name = {c["name"]: c for c in chips}
    gtx = by_name["GeForce GTX 580"]
    assert gtx["burden_peak"]["flop_per_s"] == 1.581056e12
    assert gtx["burden_peak"]["precision"] == "fp32"
    assert gtx["peak_flop_per_s"] == {"fp32": 1.581056e12}
    assert gtx["release_date"] == "2010-11-09"
    assert by_name["Cloud TPU v3"]["unit"] == "device"
    assert by_name["Tesla V100 SXM2"]["training_peak"]["flop_per_s"] == 125e12


def test_list_filters_by_kind() -> None:
    code, out, _ = run("hardware", "list", "--kind", "tpu", "--json")
    assert code == 0
    names = [c["name"] for c in json.loads(out)]
    assert names == ["TPU v2", "TPU v3", "TPU v4", "TPU v5e", "TPU v5p", "TPU v6e",
                     "Cloud TPU v2", "Cloud TPU v3", "Cloud TPU v4"]


def test_list_refuses_an_unknown_kind() -> None:
    code, _, err = run("hardware", "list", "--kind", "fpga")
    assert code == 1  # usage errors exit 1 with one line, like every other error
    assert err.startswith("Error: Invalid value for '--kind'")
    assert err.count("\n") == 1 and "hardware list --help" in err


def test_list_table_for_humans() -> None:
    code, out, _ = run("hardware", "list", "--kind", "gpu")
    assert code == 0
    assert "Accelerator catalogue: 43 rows, dense peak TFLOP/s per unit" in out
    assert "Tesla K80 [board]" in out
    assert "GeForce GTX 580" in out


def test_show_json_gives_all_fields_and_the_rule() -> None:
    code, out, err = run("hardware", "show", "Tesla V100-SXM2-32GB", "--json")
    assert (code, err) == (0, "")
    chip = json.loads(out)
    assert chip["name"] == "Tesla V100 SXM2"
    assert {"aliases", "kind", "manufacturer", "release_date", "unit", "cores_per_unit",
            "peak_flop_per_s", "tdp_w", "launch_price_usd", "source_url", "source_note",
            "notes", "burden_peak", "training_peak"} <= set(chip)
    assert chip["burden_peak"] == {
        "flop_per_s": 15.7e12,
        "precision": "fp32",
        "reason": "peak FP32 used for Tesla V100 SXM2 "
                  "(Thompson et al. convention for GPUs and CPUs)",
    }
    assert chip["training_peak"]["precision"] == "fp16_tensor"


def test_show_table_for_humans() -> None:
    code, out, _ = run("hardware", "show", "Cloud TPU v3")
    assert code == 0
    flat = " ".join(out.split())
    assert "hardware-burden peak" in flat
    assert "420 TFLOP/s" in flat
    assert "cores per unit" in flat


@pytest.mark.parametrize("extra", [(), ("--json",)])
def test_show_unknown_name_is_one_error_line(extra: tuple[str, ...]) -> None:
    code, out, err = run("hardware", "show", "GTX 5800", *extra)
    assert code == 1
    assert out == ""
    assert err == (
        "Error: unknown hardware 'GTX 5800': not in dlcost's accelerator catalogue (61 chips). "
        "Closest matches: 'GeForce GTX 580', 'GeForce GTX 980', 'GeForce GTX 680'. "
        "Run `dlcost hardware list` to see every chip and its aliases, or add a row to "
        "src/dlcost/data/accelerators.csv (its README says how).\n"
    )
