"""The accelerator catalogue and cloud price table: lookups, conventions, and cross-checks.

The cross-checks compare the catalogue with two independent tables in ``DLCOST_SHARED_DATA``:
Epoch AI's ``ml_hardware.csv`` and the peaks the paper's authors typed into the FutureTech 2022
data. Every difference above 10 % must be listed, with its reason, in an expectations dict here.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import math
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlcost.data import accelerators
from dlcost.data.accelerators import (
    ACCELERATORS_CSV,
    CLOUD_PRICES_CSV,
    PRECISIONS,
    Chip,
    catalogue_frame,
    cloud_price,
    cloud_prices_frame,
    get_chip,
    list_chips,
)
from dlcost.exceptions import (
    DataFormatError,
    DlcostError,
    EstimationError,
    UnknownHardwareError,
)

TOLERANCE = 0.10
PatchTable = Callable[[str, str], None]


# --------------------------------------------------------------------------- lookups


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Tesla V100-SXM2-32GB", "Tesla V100 SXM2"),
        ("Tesla V100 SXM2 32 GB", "Tesla V100 SXM2"),
        ("NVIDIA V100", "Tesla V100 SXM2"),
        ("V100", "Tesla V100 SXM2"),
        ("v100", "Tesla V100 SXM2"),
        ("Tesla V100 PCIe 32 GB", "Tesla V100 PCIe"),
        ("Cloud TPU v3", "Cloud TPU v3"),
        ("TPU v3", "TPU v3"),
        ("Google TPU v3", "TPU v3"),
        ("GTX 580", "GeForce GTX 580"),
        ("GeForce GTX 580", "GeForce GTX 580"),
        ("NVIDIA GeForce GTX-580", "GeForce GTX 580"),
        ("  geforce   gtx 580 GPU ", "GeForce GTX 580"),
        ("P100", "Tesla P100 PCIe"),
        ("A100", "A100 SXM4 40GB"),
        ("H100", "H100 SXM5"),
        ("Titan X", "GeForce GTX TITAN X"),
        ("TITAN X (Pascal)", "TITAN X (Pascal)"),
        ("Titan Xp", "TITAN Xp"),
        ("Tesla K40c ", "Tesla K40"),
        ("K80", "Tesla K80"),
        ("Intel Silver 4112", "Xeon Silver 4112"),
        ("NVIDIA GeForce RTX 2080 Ti 11GB", "GeForce RTX 2080 Ti"),
        ("AMD Radeon Instinct MI250X", "Instinct MI250X"),
        ("Google TPU v6e Trillium", "TPU v6e"),
    ],
)
def test_lookup_by_name_or_alias(query: str, expected: str) -> None:
    assert get_chip(query).name == expected


def test_unknown_name_lists_closest_matches() -> None:
    with pytest.raises(UnknownHardwareError) as caught:
        get_chip("GTX 5800")
    assert str(caught.value) == (
        "unknown hardware 'GTX 5800': not in dlcost's accelerator catalogue (61 chips). "
        "Closest matches: 'GeForce GTX 580', 'GeForce GTX 980', 'GeForce GTX 680'. "
        "Run `dlcost hardware list` to see every chip and its aliases, or add a row to "
        "src/dlcost/data/accelerators.csv (its README says how)."
    )
    assert isinstance(caught.value, KeyError)
    assert isinstance(caught.value, DlcostError)


def test_unknown_name_without_close_match() -> None:
    with pytest.raises(UnknownHardwareError, match=r"No name in the catalogue is close\."):
        get_chip("Apple M1 Ultra")


@given(data=st.data())
def test_lookup_ignores_case_and_punctuation(data: st.DataObject) -> None:
    """Any alias, re-cased and with its word boundaries re-punctuated, names the same chip."""
    chip = data.draw(st.sampled_from(list_chips()))
    alias = data.draw(st.sampled_from((chip.name, *chip.aliases)))
    words = re.findall(r"[0-9A-Za-z]+", alias)
    separators = data.draw(st.lists(st.sampled_from(["", " ", "-", "_", "  ", "/"]),
                                    min_size=len(words), max_size=len(words)))
    cases = data.draw(st.lists(st.booleans(), min_size=len(words), max_size=len(words)))
    mangled = "".join(sep + (w.upper() if up else w.lower())
                      for sep, w, up in zip(separators, words, cases, strict=True))
    assert get_chip(mangled) is chip


def test_names_and_aliases_are_unique() -> None:
    seen: dict[str, str] = {}
    for chip in list_chips():
        for alias in (chip.name, *chip.aliases):
            key = re.sub(r"[^0-9a-z]", "", alias.lower())
            assert seen.setdefault(key, chip.name) == chip.name, alias


def test_list_chips_by_kind() -> None:
    kinds = {kind: len(list_chips(kind)) for kind in ("gpu", "tpu", "cpu", "asic")}
    assert kinds == {"gpu": 43, "tpu": 9, "cpu": 8, "asic": 1}
    assert sum(kinds.values()) == len(list_chips()) == 61
    assert "61 rows: 43 GPUs, 9 TPU rows, 8 CPUs, 1 matrix ASIC" in (accelerators.__doc__ or "")
    with pytest.raises(ValueError, match="kind must be one of"):
        list_chips("fpga")


# --------------------------------------------------------------------------- table content


def test_every_row_is_sourced_and_has_a_positive_peak() -> None:
    for chip in list_chips():
        assert chip.source_url.startswith("https://"), chip.name
        assert chip.source_note, chip.name
        headline = chip.peak_flop_per_s.get("fp32") or chip.peak_flop_per_s.get("fp16_tensor")
        assert headline is not None and headline > 0, chip.name
        assert set(chip.peak_flop_per_s) <= set(PRECISIONS)
        if chip.kind == "tpu":
            assert chip.cores_per_unit in (1, 2, 8), chip.name
        else:
            assert chip.cores_per_unit is None, chip.name


def test_dense_figures_only() -> None:
    """The often-quoted 1,979 TFLOP/s of an H100 is the 2:4-sparse rate; 989.5 is dense."""
    h100 = get_chip("H100 SXM5").peak_flop_per_s
    assert h100["fp16_tensor"] == pytest.approx(989.5e12, rel=1e-3)
    assert h100["tf32"] == pytest.approx(494.5e12, rel=1e-3)
    assert h100["fp8"] == pytest.approx(1979e12, rel=1e-3)
    assert get_chip("A100").peak_flop_per_s["fp16_tensor"] == pytest.approx(312e12)
    assert get_chip("MI300X").peak_flop_per_s["fp16_tensor"] == pytest.approx(1307.4e12)
    assert get_chip("B200").peak_flop_per_s["fp16_tensor"] == pytest.approx(2.25e15)


def test_precision_ratios_rule_out_mixed_sparse_columns() -> None:
    """Dense FP8 is 2x dense FP16/BF16 and dense TF32 half of it on every chip that lists both.

    A sparse figure in one column (twice the dense one) would break one of these ratios.
    """
    checked = 0
    for chip in list_chips():
        peaks = chip.peak_flop_per_s
        if "fp16_tensor" in peaks and "fp8" in peaks:
            assert peaks["fp8"] / peaks["fp16_tensor"] == pytest.approx(2, rel=0.01), chip.name
            checked += 1
        if "fp16_tensor" in peaks and "tf32" in peaks:
            assert peaks["tf32"] / peaks["fp16_tensor"] == pytest.approx(0.5, rel=0.01), chip.name
            checked += 1
    assert checked >= 15


def test_tensor_peaks_exceed_fp32() -> None:
    for chip in list_chips():
        peaks = chip.peak_flop_per_s
        if "fp32" in peaks and "fp16_tensor" in peaks:
            assert peaks["fp16_tensor"] > peaks["fp32"], chip.name


# --------------------------------------------------------------------------- conventions


def test_burden_peak_gtx_580() -> None:
    peak = get_chip("GTX 580").burden_peak()
    assert peak.flop_per_s == pytest.approx(1.58e12, rel=1e-3)
    assert peak.precision == "fp32"
    assert peak.reason == (
        "peak FP32 used for GeForce GTX 580 (Thompson et al. convention for GPUs and CPUs)"
    )


@pytest.mark.parametrize(
    ("name", "flop_per_s", "precision"),
    [
        ("P100", 9.3e12, "fp32"),
        ("Tesla P100 SXM2", 10.6e12, "fp32"),
        ("V100", 15.7e12, "fp32"),
        ("Tesla V100 PCIe", 14e12, "fp32"),
        ("Cloud TPU v3", 420e12, "fp16_tensor"),
        ("Cloud TPU v2", 180e12, "fp16_tensor"),
        ("Cloud TPU v4", 1100e12, "fp16_tensor"),
        ("TPU v3", 123e12, "fp16_tensor"),
        ("Gaudi2", 432e12, "fp16_tensor"),
        ("Xeon E5-2690 v4", 1164.8e9, "fp32"),
    ],
)
def test_burden_peak(name: str, flop_per_s: float, precision: str) -> None:
    peak = get_chip(name).burden_peak()
    assert peak.flop_per_s == pytest.approx(flop_per_s)
    assert peak.precision == precision


def test_burden_peak_tpu_reason() -> None:
    assert get_chip("Cloud TPU v3").burden_peak().reason == (
        "peak dense FP16/BF16 tensor used for Cloud TPU v3 "
        "(Thompson et al. convention for TPUs and other matrix ASICs)"
    )


def test_burden_fallback_is_named() -> None:
    chip = dataclasses.replace(get_chip("A100"), peak_flop_per_s={"tf32": 156e12,
                                                                   "fp16_tensor": 312e12})
    peak = chip.burden_peak()
    assert (peak.flop_per_s, peak.precision) == (156e12, "tf32")
    assert peak.reason == (
        "peak TF32 tensor used for A100 SXM4 40GB: the catalogue has no peak FP32 for it "
        "(Thompson et al. convention for GPUs and CPUs; fallback order "
        "fp32 → tf32 → fp16_tensor → fp8)"
    )


def test_no_peak_at_all_is_an_estimation_error() -> None:
    chip = dataclasses.replace(get_chip("A100"), peak_flop_per_s={})
    with pytest.raises(EstimationError, match="no peak FLOP/s at any precision"):
        chip.burden_peak()
    with pytest.raises(EstimationError):
        chip.training_peak()


@pytest.mark.parametrize(
    ("name", "flop_per_s", "precision"),
    [
        ("V100", 125e12, "fp16_tensor"),
        ("A100", 312e12, "fp16_tensor"),
        ("H100", 989.5e12, "fp16_tensor"),
        ("P100", 9.3e12, "fp32"),
        ("K80", 8.736e12, "fp32"),
        ("TPU v4", 275e12, "fp16_tensor"),
    ],
)
def test_training_peak(name: str, flop_per_s: float, precision: str) -> None:
    peak = get_chip(name).training_peak()
    assert peak.flop_per_s == pytest.approx(flop_per_s)
    assert peak.precision == precision
    assert "Epoch AI convention" in peak.reason
    assert "fallback" not in peak.reason


def test_per_core_peak() -> None:
    device = get_chip("Cloud TPU v3")
    assert device.per_core_peak(device.burden_peak()) == pytest.approx(52.5e12)
    chip = get_chip("TPU v3")
    assert chip.per_core_peak(chip.burden_peak()) == pytest.approx(61.5e12)
    gpu = get_chip("V100")
    with pytest.raises(EstimationError, match="how many cores one chip has"):
        gpu.per_core_peak(gpu.burden_peak())


def test_chip_is_hashable_and_serialisable() -> None:
    chip = get_chip("Cloud TPU v3")
    assert {chip: 1}[get_chip("v3-8")] == 1
    as_dict = chip.to_dict()
    assert as_dict["release_date"] == "2018-05-18"
    assert as_dict["peak_flop_per_s"] == {"fp16_tensor": 420e12}
    assert set(as_dict) == {f.name for f in dataclasses.fields(Chip)}


# --------------------------------------------------------------------------- loading


def test_tables_are_package_data() -> None:
    """Both CSVs are found through importlib.resources, as an installed wheel would serve them."""
    package = resources.files("dlcost.data")
    for name in (ACCELERATORS_CSV, CLOUD_PRICES_CSV, "README.md"):
        assert package.joinpath(name).is_file(), name
    header = package.joinpath(ACCELERATORS_CSV).read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("name,aliases,kind,manufacturer,release_date,unit,")


def test_catalogue_frame_is_a_fresh_copy() -> None:
    frame = catalogue_frame()
    assert frame.shape == (61, 16)
    assert frame.loc[frame.name == "GeForce GTX 580", "peak_fp32_flop_per_s"].item() == 1.581056e12
    assert math.isnan(frame.loc[frame.name == "GeForce GTX 580", "peak_fp8_flop_per_s"].item())
    frame.loc[:, "name"] = "changed"
    assert catalogue_frame().name.iloc[0] == "GeForce GTX 580"
    prices = cloud_prices_frame()
    assert set(prices.pricing) == {"on-demand", "1yr", "3yr"}
    assert not prices.duplicated(["chip", "year", "pricing"]).any()


def _replace_row(text: str, name: str, column: str, value: str) -> str:
    rows = list(csv.DictReader(io.StringIO(text)))
    for row in rows:
        if row["name"] == name:
            row[column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_malformed_table_names_file_row_and_column(patched_table: PatchTable) -> None:
    text = accelerators._read_text(ACCELERATORS_CSV)
    patched_table(ACCELERATORS_CSV, _replace_row(text, "GeForce GTX 680", "kind", "fpga"))
    with pytest.raises(DataFormatError) as caught:
        get_chip("V100")
    assert str(caught.value) == (
        "accelerators.csv, row 3, column 'kind': got 'fpga', expected one of "
        "['gpu', 'tpu', 'cpu', 'asic']"
    )


def test_alias_shared_by_two_chips_is_refused(patched_table: PatchTable) -> None:
    text = accelerators._read_text(ACCELERATORS_CSV)
    patched_table(ACCELERATORS_CSV, _replace_row(text, "Tesla V100 PCIe", "aliases", "V100"))
    with pytest.raises(DataFormatError, match="also names 'Tesla V100 PCIe'"):
        list_chips()


def test_negative_peak_is_refused(patched_table: PatchTable) -> None:
    text = accelerators._read_text(ACCELERATORS_CSV)
    patched_table(ACCELERATORS_CSV,
                  _replace_row(text, "TITAN V", "peak_fp32_flop_per_s", "-1.5e13"))
    with pytest.raises(DataFormatError, match=r"row 14, column 'peak_fp32_flop_per_s'"):
        list_chips()


# --------------------------------------------------------------------------- cloud prices


def test_cloud_price_exact_year() -> None:
    price = cloud_price("V100", 2018)
    assert price.chip == "Tesla V100 SXM2"
    assert price.usd_per_chip_hour == 3.06
    assert price.fallback is None
    assert price.row["vendor"] == "Amazon Web Services"
    assert price.row["source_url"].startswith("https://web.archive.org/")


def test_cloud_price_nearest_year_fallback() -> None:
    price = cloud_price("TPU v3", 2023, pricing="3yr")
    assert (price.year, price.row["year"], price.usd_per_chip_hour) == (2023, "2021", 0.9)
    assert price.fallback == (
        "no 3yr price for TPU v3 in 2023; used 2021, the nearest year with one "
        "(Google Cloud, 2021-03-07)"
    )


def test_cloud_price_tie_goes_to_the_earlier_year() -> None:
    # A100 SXM4 40GB has on-demand prices for 2021, 2022, 2024 and 2025: 2023 is a tie.
    assert cloud_price("A100", 2023).row["year"] == "2022"
    assert cloud_price("A100", 2030).row["year"] == "2025"
    assert cloud_price("A100", 2000).row["year"] == "2021"


def test_cloud_price_units_follow_the_catalogue() -> None:
    """K80 prices are per board (2 GK210 GPUs); Cloud TPU prices per 4-chip device."""
    assert cloud_price("K80", 2017).usd_per_chip_hour == pytest.approx(2 * 0.90)
    device, chip = cloud_price("Cloud TPU v3", 2019), cloud_price("TPU v3", 2019)
    assert device.usd_per_chip_hour == pytest.approx(4 * chip.usd_per_chip_hour) == 8.0


def test_cloud_price_errors() -> None:
    with pytest.raises(ValueError, match="pricing must be one of"):
        cloud_price("V100", 2019, pricing="spot")
    with pytest.raises(EstimationError, match="no on-demand cloud price for GeForce GTX 580"):
        cloud_price("GTX 580", 2012)
    with pytest.raises(UnknownHardwareError):
        cloud_price("V1000", 2019)


def test_cloud_prices_cover_the_main_training_chips() -> None:
    priced = {get_chip(c).name for c in cloud_prices_frame().chip}
    for name in ("K80", "P100", "V100", "T4", "A100", "H100", "TPU v2", "TPU v3", "TPU v4",
                 "TPU v5e", "TPU v5p"):
        assert get_chip(name).name in priced, name


# --------------------------------------------------------------------------- cross-checks

#: (catalogue chip, precision) → why the catalogue differs from Epoch AI by more than 10 %.
EPOCH_EXPECTED_DIFFERENCES = {
    ("B200", "fp32"): "Epoch lists 62.08 TFLOP/s; NVIDIA's HGX B200 table gives 600 TFLOP/s for "
                      "8 GPUs = 75 per GPU",
    ("GeForce RTX 2080 Ti", "fp16_tensor"): "Epoch lists the Founders Edition FP16-accumulate "
                                            "rate (113.8); the catalogue keeps the reference-"
                                            "clock FP32-accumulate rate (53.8) of mixed-"
                                            "precision training",
}
_EPOCH_COLUMNS = {
    "fp32": "FP32 (single precision) performance (FLOP/s)",
    "fp16_tensor": "Tensor-FP16/BF16 performance (FLOP/s)",
}


@pytest.mark.shared_data
def test_agrees_with_epoch_ml_hardware(shared_data: Path) -> None:
    epoch = pd.read_csv(shared_data / "epoch_ml_hardware" / "ml_hardware.csv")
    differences: dict[tuple[str, str], str] = {}
    compared: set[str] = set()
    for _, row in epoch.iterrows():
        try:
            chip = get_chip(row["Hardware name"])
        except UnknownHardwareError:
            continue
        for precision, column in _EPOCH_COLUMNS.items():
            theirs, ours = row[column], chip.peak_flop_per_s.get(precision)
            if pd.isna(theirs) or ours is None:
                continue
            compared.add(chip.name)
            if abs(ours / theirs - 1) > TOLERANCE:
                differences[(chip.name, precision)] = (
                    f"{row['Hardware name']}: Epoch {theirs:.4g}, catalogue {ours:.4g}")
    assert set(differences) == set(EPOCH_EXPECTED_DIFFERENCES), differences
    assert len(compared) >= 40


#: (model name as written, peak GFLOP/s as written) → why the authors' peak differs by >10 %.
FUTURETECH_EXPECTED_DIFFERENCES = {
    ("GeForce Titan X", "1.10E+04"): "the authors gave every 'Titan X' the Pascal card's "
                                     "11 TFLOP/s; generic 'Titan X' is the 2015 Maxwell card",
    ("GeForce GTX Titan X", "1.10E+04"): "'GTX' Titan X is the Maxwell card (6.6 TFLOP/s)",
    ("GeForce GTX Titan Black", "5.12E+03"): "base clock (889 MHz); catalogue: boost (980 MHz)",
    ("Quadro RTX 8000", "1.34E+04"): "the RTX 2080 Ti's figure; the RTX 8000 datasheet says 16.3",
    ("Tesla K40", "3.52E+03"): "the K20's figure, typed for a K40 (PReLU-net row)",
    ("Tesla K40", "4.29E+03"): "base clock (745 MHz); catalogue: highest boost clock (875 MHz)",
    ("Tesla K40", "4291.2"): "base clock (745 MHz); catalogue: highest boost clock (875 MHz)",
    ("Tesla K80", "5.60E+03"): "one board at the 560 MHz base clock; catalogue: boost (875 MHz)",
    ("Tesla K80", "5600"): "one board at the 560 MHz base clock; catalogue: boost (875 MHz)",
    ("Tesla K80", "4.11E+03"): "one GK210 (half a board) at an 823 MHz application clock",
    ("Tesla V100 PCIe 32 GB", "9526"): "the P100 PCIe figure, typed for a V100 (DynamicConv row)",
    ("Intel Xeon Platinum 8168", "2.07E+03"): "32 FLOP/cycle (AVX2 rate); the chip has two "
                                              "AVX-512 FMA units, 64 FLOP/cycle",
    ("Cloud TPU v3", "8"): "a device count typed into the peak column (WMT14 En-De)",
    ("Cloud TPU v3", "32"): "a device count typed into the peak column (WMT14 En-De)",
    ("Cloud TPU v3", "128"): "a device count typed into the peak column (WMT14 En-De)",
}
#: Entries of a ``*_model`` column that are not hardware names.
FUTURETECH_NOT_A_NAME = {
    "4.20E+05": "the Cloud TPU v3 peak typed into the CPU-model column of three WMT14 En-De rows",
}


def _futuretech_hardware(folder: Path) -> list[tuple[str, str | None]]:
    """(model name, peak GFLOP/s as written or None) for every hardware cell of the 6 CSVs."""
    cells = []
    for path in sorted(folder.glob("*.csv")):
        frame = pd.read_csv(path, skiprows=[1, 2, 3], dtype=str)
        for column in frame.columns:
            if not re.fullmatch(r"(pre|fine)?training_(gpu|tpu|cpu)_model", column):
                continue
            peaks = frame[column.replace("_model", "_ptp_gflops")]
            for model, peak in zip(frame[column], peaks, strict=True):
                if isinstance(model, str) and model.strip():
                    cells.append((model.strip(), peak if isinstance(peak, str) else None))
    return cells


@pytest.mark.shared_data
def test_every_futuretech_hardware_name_resolves(shared_data: Path) -> None:
    cells = _futuretech_hardware(shared_data / "futuretech_2022")
    names = {model for model, _ in cells}
    assert len(cells) > 250
    unresolved = set()
    for name in names:
        try:
            get_chip(name)
        except UnknownHardwareError:
            unresolved.add(name)
    assert unresolved == set(FUTURETECH_NOT_A_NAME)


@pytest.mark.shared_data
def test_burden_peak_agrees_with_futuretech(shared_data: Path) -> None:
    differences = {}
    compared = 0
    for model, peak in _futuretech_hardware(shared_data / "futuretech_2022"):
        if model in FUTURETECH_NOT_A_NAME or peak is None:
            continue
        theirs = float(peak) * 1e9
        ours = get_chip(model).burden_peak().flop_per_s
        compared += 1
        if abs(ours / theirs - 1) > TOLERANCE:
            differences[(model, peak)] = f"authors {theirs:.4g}, catalogue {ours:.4g}"
    assert compared > 250
    assert set(differences) == set(FUTURETECH_EXPECTED_DIFFERENCES), differences


@pytest.mark.shared_data
def test_cloud_prices_match_epoch_hardware_prices(shared_data: Path) -> None:
    """Every price not derived here (device rows are 4 x chip rows) is in Epoch's table.

    K80 rows are per board, i.e. twice Epoch's per-GK210 price; TPU v2's 1.125 is the listed
    USD 4.50 per 4-chip device, which Epoch rounds to 1.13.
    """
    epoch = pd.read_csv(shared_data / "epoch_training_cost_trends" / "hardware_prices.csv")
    epoch_columns = {"on-demand": "Price per chip-hour (on-demand)",
                     "1yr": "Price per chip-hour (1-year CUD)",
                     "3yr": "Price per chip-hour (3-year CUD)"}
    checked = 0
    for _, row in cloud_prices_frame().iterrows():
        if row.chip.startswith("Cloud TPU"):
            continue
        same_day = epoch[(epoch["Price date"] == row.price_date)
                         & epoch["Price source"].str.startswith(row.source_url)]
        assert len(same_day), (row.chip, row.price_date)
        per_unit = 2.0 if row.chip == "Tesla K80" else 1.0
        listed = set(same_day[epoch_columns[row.pricing]].dropna() * per_unit)
        assert any(abs(row.usd_per_chip_hour - v) <= 0.011 for v in listed), (
            row.chip, row.price_date, row.pricing, row.usd_per_chip_hour, listed)
        checked += 1
    assert checked == len(cloud_prices_frame()) - (cloud_prices_frame().chip
                                                   .str.startswith("Cloud TPU").sum())
