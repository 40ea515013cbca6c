"""Energy meters behind one interface: RAPL and NVML counters (fakes), TDP, CodeCarbon."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import pytest

from dlcost.exceptions import ApproximationWarning
from dlcost.track import (
    CodeCarbonMeter,
    MeterUnavailable,
    NVMLEnergyMeter,
    NVMLReader,
    RAPLMeter,
    TDPMeter,
)
from dlcost.track.energy import start_first
from dlcost.units import JOULES_PER_KWH


def _rapl(root: Path, name: str, uj: float, limit: float = 1e6, sub: str | None = None) -> Path:
    d = root / name
    d.mkdir(parents=True, exist_ok=True)
    (d / "name").write_text((sub or "package-0") + "\n")
    (d / "energy_uj").write_text(f"{uj:.0f}\n")
    (d / "max_energy_range_uj").write_text(f"{limit:.0f}\n")
    return d / "energy_uj"


def test_rapl_counts_packages_and_dram_and_handles_wraparound(tmp_path: Path) -> None:
    pkg = _rapl(tmp_path, "intel-rapl:0", 900_000)
    core = _rapl(tmp_path, "intel-rapl:0:0", 10, sub="core")  # inside the package: ignored
    dram = _rapl(tmp_path, "intel-rapl:0:1", 5_000, sub="dram")
    meter = RAPLMeter(tmp_path, poll_s=3600)
    meter.start()
    pkg.write_text("950000\n")  # +50 000 µJ
    meter.poll()
    pkg.write_text("20000\n")  # wrapped at 1e6: +70 000 µJ
    core.write_text("999\n")
    dram.write_text("15000\n")  # +10 000 µJ
    reading = meter.stop()
    joules = (50_000 + 70_000 + 10_000) / 1e6
    assert reading.method == "rapl"
    assert reading.kwh == pytest.approx(joules / JOULES_PER_KWH, rel=1e-12)
    assert len(reading.details["domains"]) == 2


def test_rapl_unreadable_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(MeterUnavailable, match="no RAPL domain"):
        RAPLMeter(tmp_path / "nothing").start()


def test_nvml_energy_counters(fakes: Any) -> None:
    nvml = fakes.pynvml(["NVIDIA A100-SXM4-40GB"] * 2, energy_mj=[1_000.0, 5_000.0])
    meter = NVMLEnergyMeter(NVMLReader(nvml), [0, 1])
    meter.start()
    nvml.energy[0] += 3_600_000.0  # 3.6 kJ = 0.001 kWh
    nvml.energy[1] += 7_200_000.0
    reading = meter.stop()
    assert reading.kwh == pytest.approx(0.003, rel=1e-12)
    with pytest.raises(MeterUnavailable):
        NVMLEnergyMeter(NVMLReader(nvml), []).start()


def test_tdp_fallback_warns_and_multiplies() -> None:
    now = iter([100.0, 100.0 + 3600.0])
    meter = TDPMeter(205.0, 2, "Xeon Platinum 8168", clock=lambda: next(now))
    meter.start()
    with pytest.warns(ApproximationWarning, match="upper bound"):
        reading = meter.stop()
    assert reading.kwh == pytest.approx(2 * 205 * 3600 / JOULES_PER_KWH)
    with pytest.raises(MeterUnavailable, match="no TDP"):
        TDPMeter(None, 1, "Mystery").start()


def test_codecarbon_meter_reads_the_offline_tracker() -> None:
    made: dict[str, object] = {}

    class FakeTracker:
        def __init__(self, **kwargs: object) -> None:
            made.update(kwargs)

        def start(self) -> None:
            made["started"] = True

        def stop(self) -> float:
            self.final_emissions_data = types.SimpleNamespace(
                energy_consumed=0.25, cpu_energy=0.2, gpu_energy=0.0, ram_energy=0.05,
                cpu_model="x", gpu_model=None, cpu_count=2, gpu_count=0, tracking_mode="machine")
            return 0.1

    meter = CodeCarbonMeter("FRA", factory=FakeTracker)
    meter.start()
    reading = meter.stop()
    assert (reading.kwh, reading.method) == (0.25, "codecarbon")
    assert made["country_iso_code"] == "FRA" and made["save_to_file"] is False
    assert reading.details["ram_energy"] == 0.05


def test_start_first_records_why_earlier_meters_were_skipped(fakes: Any) -> None:
    FakeMeter = fakes.Meter

    class Broken(FakeMeter):  # type: ignore[misc,valid-type]
        def start(self) -> None:
            raise RuntimeError("driver crashed")

    meter, skipped = start_first([FakeMeter(method="a", unavailable=True),
                                  Broken(method="b"), FakeMeter(method="c")])
    assert meter is not None and meter.method == "c"
    assert skipped == ["a: not here", "b failed to start: RuntimeError: driver crashed"]
    assert start_first([FakeMeter(unavailable=True)])[0] is None
