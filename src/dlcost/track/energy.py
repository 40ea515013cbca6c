"""Energy a run drew, by the best method the machine allows, behind one interface.

Every method is an :class:`EnergyMeter`: ``start()``, then ``stop()`` returns an
:class:`EnergyReading` (kWh, the method's name, notes). In ``"auto"`` mode they are tried in
order, the first that can start wins, and the reasons the others could not are recorded:

1. ``codecarbon`` — CodeCarbon's ``OfflineEmissionsTracker`` (the optional ``codecarbon`` extra):
   CPU, GPU and RAM energy by its own best method;
2. ``nvml`` — the GPUs' cumulative energy counters (``nvmlDeviceGetTotalEnergyConsumption``,
   Volta and later): GPUs only, the host is not counted;
3. ``rapl`` — Intel/AMD RAPL package (and DRAM) counters under ``/sys/class/powercap``, where
   readable: CPU packages only. The counters wrap around, so a background thread reads them
   every ``poll_s`` seconds;
4. ``tdp`` — chips × TDP × wall time, an upper bound, with an
   :class:`~dlcost.exceptions.ApproximationWarning`.
"""

from __future__ import annotations

import logging
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from dlcost.exceptions import ApproximationWarning
from dlcost.units import JOULES_PER_KWH

log = logging.getLogger("dlcost.track")

MJ_PER_J = 1000
UJ_PER_J = 1_000_000


class MeterUnavailable(Exception):
    """This energy method cannot run here (no library, counter unreadable, no TDP)."""


@dataclass(frozen=True)
class EnergyReading:
    """Energy of a run: kWh (``None`` if none could be measured), method, notes, details."""

    kwh: float | None
    method: str
    notes: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kwh": self.kwh, "method": self.method, "notes": list(self.notes),
                "details": dict(self.details)}


class EnergyMeter(Protocol):
    """Measures energy between ``start()`` and ``stop()``."""

    method: str

    def start(self) -> None:
        """Begin; raises :class:`MeterUnavailable` when the method cannot run here."""
        ...

    def stop(self) -> EnergyReading:
        ...


class CodeCarbonMeter:
    """CodeCarbon in offline mode; ``factory`` builds the tracker (injected by tests)."""

    method = "codecarbon"

    def __init__(self, country_iso_code: str = "USA",
                 factory: Callable[..., Any] | None = None) -> None:
        self.country_iso_code = country_iso_code
        self._factory = factory
        self._tracker: Any = None

    def start(self) -> None:
        factory = self._factory
        if factory is None:
            try:
                from codecarbon import OfflineEmissionsTracker
            except ImportError:
                raise MeterUnavailable("CodeCarbon is not installed (pip install "
                                       "'dlcost[codecarbon]')") from None
            factory = OfflineEmissionsTracker
        self._tracker = factory(country_iso_code=self.country_iso_code, save_to_file=False,
                                log_level="error", project_name="dlcost")
        self._tracker.start()

    def stop(self) -> EnergyReading:
        self._tracker.stop()
        data = self._tracker.final_emissions_data
        details = {k: getattr(data, k, None) for k in (
            "cpu_energy", "gpu_energy", "ram_energy", "cpu_model", "gpu_model", "cpu_count",
            "gpu_count", "tracking_mode")}
        import importlib.metadata as md

        try:
            details["codecarbon_version"] = md.version("codecarbon")
        except md.PackageNotFoundError:
            details["codecarbon_version"] = None
        return EnergyReading(float(data.energy_consumed), self.method,
                             ("CodeCarbon offline: CPU + GPU + RAM energy by CodeCarbon's own "
                              "method for each (RAPL, NVML, or its TDP tables)",), details)


class NVMLEnergyMeter:
    """Sum over GPUs of the change in NVML's energy counter (mJ)."""

    method = "nvml"

    def __init__(self, reader: Any, indices: Sequence[int]) -> None:
        self.reader = reader
        self.indices = list(indices)
        self._start: dict[int, float] = {}

    def start(self) -> None:
        if not self.indices:
            raise MeterUnavailable("no NVIDIA GPU in use")
        try:
            self._start = {i: self.reader.energy_mj(i) for i in self.indices}
        except Exception as exc:
            raise MeterUnavailable(f"NVML energy counters unreadable: {exc}") from None

    def stop(self) -> EnergyReading:
        joules = sum(self.reader.energy_mj(i) - mj for i, mj in self._start.items()) / MJ_PER_J
        return EnergyReading(joules / JOULES_PER_KWH, self.method,
                             (f"NVML energy counters of {len(self.indices)} GPU(s); the host's "
                              "CPU and memory are not counted",),
                             {"gpu_indices": self.indices, "joules": joules})


class RAPLMeter:
    """RAPL package and DRAM counters under ``root`` (``/sys/class/powercap``), polled."""

    method = "rapl"

    def __init__(self, root: str | Path = "/sys/class/powercap", poll_s: float = 10.0) -> None:
        self.root = Path(root)
        self.poll_s = poll_s
        self._domains: list[tuple[str, Path, float]] = []
        self._last: dict[str, float] = {}
        self._total_uj = 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _find(self) -> list[tuple[str, Path, float]]:
        domains = []
        for path in sorted(self.root.glob("intel-rapl:*")):
            name = (path / "name").read_text().strip() if (path / "name").exists() else path.name
            top = path.name.count(":") == 1
            if not (top or name == "dram"):
                continue  # core/uncore sub-domains are inside the package figure
            limit = float((path / "max_energy_range_uj").read_text())
            domains.append((f"{path.name} ({name})", path / "energy_uj", limit))
        return domains

    def start(self) -> None:
        try:
            self._domains = self._find()
            if not self._domains:
                raise MeterUnavailable(f"no RAPL domain under {self.root}")
            self._last = {n: float(p.read_text()) for n, p, _ in self._domains}
        except (OSError, ValueError) as exc:
            raise MeterUnavailable(f"RAPL counters unreadable under {self.root}: {exc}") from None
        self._thread = threading.Thread(target=self._loop, name="dlcost-rapl", daemon=True)
        self._thread.start()

    def poll(self) -> None:
        """Read every counter once, adding the change since the last read (wrap-around aware)."""
        with self._lock:
            for name, path, limit in self._domains:
                now = float(path.read_text())
                delta = now - self._last[name]
                if delta < 0:
                    delta += limit
                self._total_uj += delta
                self._last[name] = now

    def _loop(self) -> None:
        while not self._stop.wait(self.poll_s):
            try:
                self.poll()
            except Exception as exc:  # never let the thread die loudly
                log.warning("dlcost: RAPL read failed: %s", exc)

    def stop(self) -> EnergyReading:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.poll()
        joules = self._total_uj / UJ_PER_J
        return EnergyReading(joules / JOULES_PER_KWH, self.method,
                             ("RAPL counters: CPU packages (and DRAM where exposed); GPUs and "
                              "the rest of the machine are not counted",),
                             {"domains": [n for n, _, _ in self._domains], "joules": joules,
                              "poll_s": self.poll_s})


class TDPMeter:
    """chips × TDP × wall time: an upper bound when nothing can be measured."""

    method = "tdp"

    def __init__(self, tdp_w: float | None, count: float, chip: str,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.tdp_w = tdp_w
        self.count = count
        self.chip = chip
        self._clock = clock
        self._t0 = 0.0

    def start(self) -> None:
        if self.tdp_w is None:
            raise MeterUnavailable(f"no TDP known for {self.chip} (pass tdp_w=)")
        self._t0 = self._clock()

    def stop(self) -> EnergyReading:
        seconds = self._clock() - self._t0
        assert self.tdp_w is not None
        joules = self.count * self.tdp_w * seconds
        note = (f"energy = {self.count:g} × {self.chip} TDP {self.tdp_w:g} W × {seconds:.1f} s: "
                "an upper bound (chips seldom draw their TDP throughout), used because no "
                "energy counter was readable")
        warnings.warn(note, ApproximationWarning, stacklevel=2)
        return EnergyReading(joules / JOULES_PER_KWH, self.method, (note,),
                             {"tdp_w": self.tdp_w, "count": self.count, "seconds": seconds})


def start_first(meters: Sequence[EnergyMeter]) -> tuple[EnergyMeter | None, list[str]]:
    """Start the first meter that can run; return it and why each earlier one could not."""
    skipped = []
    for meter in meters:
        try:
            meter.start()
        except MeterUnavailable as exc:
            skipped.append(f"{meter.method}: {exc}")
            continue
        except Exception as exc:  # a broken meter is skipped, never fatal
            skipped.append(f"{meter.method} failed to start: {type(exc).__name__}: {exc}")
            continue
        return meter, skipped
    return None, skipped
