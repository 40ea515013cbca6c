"""Hardware detection: /proc/cpuinfo and NVML readers (fakes), catalogue matching, fallbacks."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import pytest

from dlcost import assumptions as A
from dlcost.data.accelerators import get_chip
from dlcost.exceptions import ApproximationWarning
from dlcost.track import CPUInfoReader, Device, NVMLReader, detect_hardware
from dlcost.track.hardware import clean_cpu_name, visible_gpu_indices

XEON_8168 = "Intel(R) Xeon(R) Platinum 8168 CPU @ 2.70GHz"


def test_cpu_names_are_cleaned_and_matched() -> None:
    assert clean_cpu_name(XEON_8168) == "Intel Xeon Platinum 8168"
    assert clean_cpu_name("AMD EPYC 7413 24-Core Processor") == "AMD EPYC 7413"
    assert get_chip(clean_cpu_name("AMD EPYC 7413 24-Core Processor")).name == "EPYC 7413"


def test_cpuinfo_reader_counts_sockets(tmp_path: Path, fakes: Any) -> None:
    path = fakes.write_cpuinfo(tmp_path / "cpuinfo", XEON_8168, sockets=2, cores=24)
    devices = CPUInfoReader(path).devices()
    assert [d.index for d in devices] == [0, 1]
    assert devices[0].cores == 24
    assert devices[0].clock_hz == pytest.approx(2.7e9)  # from the model name, not cpu MHz
    hw = detect_hardware(readers=[CPUInfoReader(path)])
    chip = get_chip("Xeon Platinum 8168")
    assert (hw.catalogue_name, hw.count, hw.kind) == ("Xeon Platinum 8168", 2.0, "cpu")
    assert hw.peak_flop_per_s == chip.burden_peak().flop_per_s
    assert hw.tdp_w == chip.tdp_w
    assert CPUInfoReader(tmp_path / "missing").devices() == []


def test_unknown_cpu_gets_a_derived_peak(tmp_path: Path, fakes: Any) -> None:
    """An unlisted CPU: cores × clock × FP32 FLOP per cycle of its widest vector unit."""
    path = fakes.write_cpuinfo(tmp_path / "cpuinfo", "Intel(R) Xeon(R) Processor", cores=2,
                         mhz=2600.0, flags="fpu sse avx avx2 fma avx512f")
    with pytest.warns(ApproximationWarning, match="not in the catalogue"):
        hw = detect_hardware(readers=[CPUInfoReader(path)])
    assert hw.catalogue_name is None
    assert hw.peak_flop_per_s == pytest.approx(2 * 2.6e9 * A.CPU_FP32_FLOP_PER_CYCLE_AVX512.value)
    assert hw.peak_flop_per_s == pytest.approx(332.8e9)
    path = fakes.write_cpuinfo(tmp_path / "cpuinfo2", "Some CPU", cores=4, mhz=3000.0,
                         flags="fpu sse avx avx2 fma")
    with pytest.warns(ApproximationWarning):
        hw = detect_hardware(readers=[CPUInfoReader(path)])
    assert hw.peak_flop_per_s == pytest.approx(4 * 3e9 * 32)


def test_nvml_reader_sees_visible_gpus(monkeypatch: pytest.MonkeyPatch, fakes: Any) -> None:
    nvml = fakes.pynvml(["NVIDIA H100 80GB HBM3"] * 4)
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "1,3")
    devices = NVMLReader(nvml).devices()
    assert [(d.name, d.index) for d in devices] == [("NVIDIA H100 80GB HBM3", 1),
                                                    ("NVIDIA H100 80GB HBM3", 3)]
    hw = detect_hardware(readers=[NVMLReader(nvml), fakes.Reader([Device("x", "cpu")])])
    assert (hw.catalogue_name, hw.count, hw.reader) == ("H100 SXM5", 2.0, "nvml")
    assert hw.peak_flop_per_s == get_chip("H100 SXM5").burden_peak().flop_per_s
    # Model-FLOP utilization uses the precision models train at (dense BF16 on an H100).
    assert hw.training_peak_flop_per_s == get_chip("H100 SXM5").training_peak().flop_per_s
    assert hw.training_peak_flop_per_s > hw.peak_flop_per_s


def test_visible_gpu_indices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    assert visible_gpu_indices(4) == [0, 1, 2, 3]
    assert visible_gpu_indices(4, "0,2") == [0, 2]
    assert visible_gpu_indices(4, "") == []
    assert visible_gpu_indices(2, "GPU-1234") == [0, 1]  # UUIDs: keep all
    assert visible_gpu_indices(2, "0,5") == [0]


def test_no_nvml_library_means_no_gpu() -> None:
    broken = types.SimpleNamespace(nvmlInit=lambda: (_ for _ in ()).throw(OSError("no driver")))
    assert NVMLReader(broken).devices() == []


def test_user_chip_and_unknown_gpu(fakes: Any) -> None:
    hw = detect_hardware(chip="A100", chip_count=8, readers=[])
    assert (hw.catalogue_name, hw.count, hw.reader) == ("A100 SXM4 40GB", 8.0, "user")
    hw = detect_hardware(readers=[fakes.Reader([Device("Mystery GPU 9000", "gpu", 0)])])
    assert hw.peak_flop_per_s is None
    assert "not in the catalogue" in hw.peak_reason
    hw = detect_hardware(peak_flop_per_s=1e14, tdp_w=300,
                         readers=[fakes.Reader([Device("Mystery GPU 9000", "gpu", 0)])])
    assert (hw.peak_flop_per_s, hw.tdp_w) == (1e14, 300)


def test_a_failing_reader_is_skipped(fakes: Any) -> None:
    hw = detect_hardware(readers=[fakes.Reader([], error=RuntimeError("boom")),
                                  fakes.Reader([Device(XEON_8168, "cpu", 0)])])
    assert hw.catalogue_name == "Xeon Platinum 8168"
    assert any("boom" in n for n in hw.notes)
