"""Which chips a run uses, matched to the accelerator catalogue.

Readers sit behind one small interface, :class:`HardwareReader`, so that tests swap in fakes:

- :class:`NVMLReader` — NVIDIA GPUs through NVML (the ``nvidia-ml-py`` package, imported
  lazily), restricted to ``CUDA_VISIBLE_DEVICES`` when it is set;
- :class:`CPUInfoReader` — the CPU model, sockets, cores, clock and vector units from
  ``/proc/cpuinfo`` (Linux).

:func:`detect_hardware` asks them in that order and matches the first that sees something to
:func:`dlcost.data.accelerators.get_chip`. A CPU the catalogue lacks gets a peak derived from
its cores × clock × FP32 FLOP per cycle of its widest vector unit (the constants are cited in
:mod:`dlcost.assumptions`), with an :class:`~dlcost.exceptions.ApproximationWarning`.
"""

from __future__ import annotations

import contextlib
import os
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from dlcost import assumptions as A
from dlcost.exceptions import ApproximationWarning, UnknownHardwareError
from dlcost.formatting import si as format_si

#: ``Hardware.peak_reason`` of a peak the user gave.
USER_PEAK = "peak given by the user"


@dataclass(frozen=True)
class Device:
    """One chip a reader sees: its name as the driver gives it, and what else it knows."""

    name: str
    kind: str  # "gpu" | "cpu"
    index: int | None = None
    #: CPUs only: cores, clock and vector-unit flags (for a derived peak).
    cores: int | None = None
    clock_hz: float | None = None
    flags: frozenset[str] = field(default_factory=frozenset)


class HardwareReader(Protocol):
    """Lists the chips of one kind that the run can use."""

    name: str

    def devices(self) -> list[Device]:
        """The chips in use (an empty list when there are none or the reader cannot see)."""
        ...


def visible_gpu_indices(count: int, env: str | None = None) -> list[int]:
    """GPU indices ``CUDA_VISIBLE_DEVICES`` leaves visible (all ``count`` when unset).

    Only integer lists are understood; UUIDs or an unparsable value keep every GPU (and the
    detection says so).
    """
    value = os.environ.get("CUDA_VISIBLE_DEVICES") if env is None else env
    if value is None:
        return list(range(count))
    value = value.strip()
    if value == "":
        return []
    picked = []
    for part in value.split(","):
        part = part.strip()
        if not re.fullmatch(r"\d+", part):
            return list(range(count))
        if int(part) < count:
            picked.append(int(part))
    return picked


class NVMLReader:
    """NVIDIA GPUs via NVML; ``module`` is the ``pynvml`` module (injected by tests)."""

    name = "nvml"

    def __init__(self, module: Any = None) -> None:
        self._nvml = module
        self._ready = False

    def _lib(self) -> Any:
        if self._nvml is None:
            import pynvml

            self._nvml = pynvml
        if not self._ready:
            self._nvml.nvmlInit()
            self._ready = True
        return self._nvml

    def devices(self) -> list[Device]:
        try:
            nvml = self._lib()
        except Exception:  # no driver, no library, no GPU: nothing to see
            return []
        out = []
        for i in visible_gpu_indices(int(nvml.nvmlDeviceGetCount())):
            name = nvml.nvmlDeviceGetName(nvml.nvmlDeviceGetHandleByIndex(i))
            out.append(Device(name=name.decode() if isinstance(name, bytes) else str(name),
                              kind="gpu", index=i))
        return out

    def energy_mj(self, index: int) -> float:
        """Total energy the GPU has drawn since the driver loaded, in millijoules (Volta+)."""
        nvml = self._lib()
        return float(nvml.nvmlDeviceGetTotalEnergyConsumption(
            nvml.nvmlDeviceGetHandleByIndex(index)))


class CPUInfoReader:
    """The CPU from ``/proc/cpuinfo`` (``path`` may point at a saved copy, for tests)."""

    name = "cpuinfo"

    def __init__(self, path: str | Path = "/proc/cpuinfo") -> None:
        self.path = Path(path)

    def devices(self) -> list[Device]:
        try:
            text = self.path.read_text(errors="replace")
        except OSError:
            return []
        blocks = [b for b in text.split("\n\n") if b.strip()]
        sockets: dict[str, dict[str, Any]] = {}
        for block in blocks:
            info = {}
            for line in block.splitlines():
                key, _, value = line.partition(":")
                info[key.strip()] = value.strip()
            if "model name" not in info:
                continue
            sock = sockets.setdefault(info.get("physical id", "0"), {"logical": 0, **info})
            sock["logical"] += 1
        out = []
        for i, (_, info) in enumerate(sorted(sockets.items())):
            mhz = _float(info.get("cpu MHz"))
            out.append(Device(
                name=info["model name"], kind="cpu", index=i,
                cores=int(_float(info.get("cpu cores")) or info["logical"]),
                clock_hz=_clock_from_name(info["model name"]) or (mhz * 1e6 if mhz else None),
                flags=frozenset(info.get("flags", "").split()),
            ))
        return out


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _clock_from_name(name: str) -> float | None:
    """The base clock printed in an Intel model name (``… CPU @ 2.70GHz``)."""
    match = re.search(r"@\s*([\d.]+)\s*GHz", name)
    return float(match[1]) * 1e9 if match else None


def clean_cpu_name(name: str) -> str:
    """``Intel(R) Xeon(R) Platinum 8168 CPU @ 2.70GHz`` → ``Intel Xeon Platinum 8168``."""
    text = re.sub(r"\((R|TM|r|tm)\)", "", name)
    text = re.sub(r"@.*$", "", text)
    text = re.sub(r"\b\d+-Core\b|\bProcessor\b|\bCPU\b", "", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Hardware:
    """The chips charged for a run and where each figure came from.

    ``peak_flop_per_s`` is the hardware-burden peak per chip (Thompson et al.: FP32 for GPUs
    and CPUs); ``catalogue_name`` is ``None`` when the chip is not in the catalogue.
    """

    detected_name: str | None
    catalogue_name: str | None
    kind: str
    count: float
    peak_flop_per_s: float | None
    peak_reason: str
    tdp_w: float | None
    reader: str
    notes: tuple[str, ...] = ()
    #: Epoch AI's training peak (dense FP16/BF16 tensor where the chip has it, else FP32), for
    #: the model-FLOP utilization; ``None`` for a chip the catalogue lacks.
    training_peak_flop_per_s: float | None = None
    training_peak_reason: str | None = None

    @property
    def label(self) -> str:
        return self.catalogue_name or self.detected_name or "unknown chip"

    def to_dict(self) -> dict[str, Any]:
        return {
            "detected_name": self.detected_name, "catalogue_name": self.catalogue_name,
            "kind": self.kind, "count": self.count, "peak_flop_per_s": self.peak_flop_per_s,
            "peak_reason": self.peak_reason, "tdp_w": self.tdp_w, "reader": self.reader,
            "notes": list(self.notes),
            "training_peak_flop_per_s": self.training_peak_flop_per_s,
            "training_peak_reason": self.training_peak_reason,
        }


def default_readers() -> list[HardwareReader]:
    return [NVMLReader(), CPUInfoReader()]


def derived_cpu_peak(device: Device) -> tuple[float, str] | None:
    """Peak FP32 FLOP/s of a CPU from cores × clock × FLOP per cycle, and the sentence why."""
    if not device.cores or not device.clock_hz:
        return None
    flags = device.flags
    if "avx512f" in flags:
        per_cycle = A.CPU_FP32_FLOP_PER_CYCLE_AVX512
    elif "avx2" in flags and "fma" in flags:
        per_cycle = A.CPU_FP32_FLOP_PER_CYCLE_AVX2
    elif "avx" in flags:
        per_cycle = A.CPU_FP32_FLOP_PER_CYCLE_AVX
    else:
        per_cycle = A.CPU_FP32_FLOP_PER_CYCLE_SSE
    peak = device.cores * device.clock_hz * per_cycle.value
    reason = (f"{device.name} is not in the catalogue: peak FP32 derived as {device.cores} "
              f"cores × {format_si(device.clock_hz, 'Hz')} × {per_cycle.describe()} = "
              f"{format_si(peak, 'FLOP/s')} (an upper bound: fewer FMA units or a lower "
              "all-core clock give less)")
    return peak, reason


def _partial_cpu_note(devices: Sequence[Device], name: str) -> list[str]:
    """Say so when this process may use fewer cores than the whole chips it is charged for."""
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return []
    cores = sum(d.cores or 0 for d in devices)
    if cores and usable < cores:
        return [f"this process may use {usable} of the {cores} cores of {len(devices)} × {name}; "
                "the hardware burden counts whole chips (Thompson et al.'s convention)"]
    return []


def detect_hardware(
    *,
    chip: str | None = None,
    chip_count: float | None = None,
    peak_flop_per_s: float | None = None,
    tdp_w: float | None = None,
    readers: Sequence[HardwareReader] | None = None,
) -> Hardware:
    """The chips to charge: the user's ``chip`` if given, else the first reader that sees one.

    GPUs win over the CPU (a GPU run is charged for its GPUs, as in Thompson et al.'s data).
    A detected chip the catalogue does not know keeps its driver name; a GPU then has no peak
    (hardware burden cannot be computed without ``peak_flop_per_s``), a CPU a derived one.
    """
    from dlcost.data.accelerators import get_chip

    notes: list[str] = []
    devices: list[Device] = []
    reader_name = "user"
    if chip is None:
        for reader in readers if readers is not None else default_readers():
            try:
                found = reader.devices()
            except Exception as exc:  # a reader must never stop the run
                notes.append(f"{reader.name} could not read the hardware: {exc}")
                continue
            if found:
                devices, reader_name = found, reader.name
                break
    name = chip if chip is not None else (devices[0].name if devices else None)
    kind = devices[0].kind if devices else "gpu"
    if len({d.name for d in devices}) > 1:
        notes.append(f"several chip models seen ({', '.join(sorted({d.name for d in devices}))}); "
                     f"all are charged as {devices[0].name}")
    count = float(chip_count if chip_count is not None else (len(devices) or 1))
    if chip is not None and chip_count is None:
        notes.append("chip count defaulted to 1 (pass chip_count)")
    if name is None:
        return Hardware(None, None, "unknown", count, peak_flop_per_s,
                        USER_PEAK if peak_flop_per_s else "no chip detected",
                        tdp_w, reader_name, tuple([*notes, "no chip detected"]))
    catalogue = None
    with contextlib.suppress(UnknownHardwareError):
        catalogue = get_chip(name if kind != "cpu" or chip else clean_cpu_name(name))
    if catalogue is not None and catalogue.kind == "cpu" and devices:
        notes.extend(_partial_cpu_note(devices, catalogue.name))
    if catalogue is not None:
        kind = catalogue.kind
        peak = catalogue.burden_peak()
        reason = peak.reason
        peak_value: float | None = peak.flop_per_s
        if peak_flop_per_s is not None:
            peak_value, reason = peak_flop_per_s, USER_PEAK
        training = catalogue.training_peak()
        return Hardware(name, catalogue.name, kind, count, peak_value, reason,
                        tdp_w if tdp_w is not None else catalogue.tdp_w, reader_name,
                        tuple(notes), training.flop_per_s, training.reason)
    if peak_flop_per_s is not None:
        return Hardware(name, None, kind, count, peak_flop_per_s, USER_PEAK,
                        tdp_w, reader_name, tuple([*notes, f"{name} is not in the catalogue"]))
    if devices and kind == "cpu":
        derived = derived_cpu_peak(devices[0])
        if derived is not None:
            warnings.warn(derived[1], ApproximationWarning, stacklevel=3)
            return Hardware(name, None, "cpu", count, derived[0], derived[1], tdp_w,
                            reader_name, tuple(notes))
    return Hardware(name, None, kind, count, None,
                    f"{name} is not in the catalogue and no peak was given: no hardware burden "
                    "(pass chip= a catalogue name, or peak_flop_per_s=)",
                    tdp_w, reader_name, tuple(notes))
