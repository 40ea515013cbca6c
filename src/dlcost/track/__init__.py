"""Measure your own training run in the paper's terms and place it on a benchmark's curve.

Public API
----------
- ``dlcost.track(benchmark=…, model=…, **options)`` → :class:`RunTracker`, usable as a context
  manager (``with dlcost.track(...) as run:``), as a decorator (``@dlcost.track(...)``) or
  explicitly (``run.start()`` … ``run.stop()``). This module is itself callable, so
  ``dlcost.track(...)`` and ``dlcost.track.track(...)`` are the same call.
- :class:`TrackerConfig`: every option, checked once (bad ones raise
  :class:`~dlcost.exceptions.TrackerConfigError`).
- ``run.add_flop(n)``, ``run.step()``, ``run.log_score(76.1)``; ``run.record`` after stop.
- :class:`RunRecord`: FLOP counted, hardware burden, utilization, energy and its method,
  dollars and CO₂, with every input and assumption; stored as a result of source ``runs``.
- :func:`list_runs`, :func:`get_run`, :func:`delete_run`; :func:`place_run`,
  :func:`place_runs` (compute multiple against a fitted trend).
- Readers and meters behind interfaces, with fakes in the tests: :class:`HardwareReader`
  (:class:`NVMLReader`, :class:`CPUInfoReader`) and :class:`EnergyMeter`
  (:class:`CodeCarbonMeter`, :class:`NVMLEnergyMeter`, :class:`RAPLMeter`, :class:`TDPMeter`).

Nothing heavy is imported here: PyTorch is imported when a tracker starts counting FLOP.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from dlcost.track.config import ENERGY_METHODS, FLOP_METHODS, TrackerConfig
from dlcost.track.energy import (
    CodeCarbonMeter,
    EnergyMeter,
    EnergyReading,
    MeterUnavailable,
    NVMLEnergyMeter,
    RAPLMeter,
    TDPMeter,
)
from dlcost.track.flop import FlopCount, FlopSampler
from dlcost.track.hardware import (
    CPUInfoReader,
    Device,
    Hardware,
    HardwareReader,
    NVMLReader,
    detect_hardware,
)
from dlcost.track.record import SOURCE, RunRecord
from dlcost.track.runs import (
    Placement,
    delete_run,
    get_run,
    list_runs,
    place_run,
    place_runs,
    run_documents,
    store_run,
)
from dlcost.track.tracker import SIDECAR_ENV, RunTracker, track, track_run

__all__ = [
    "ENERGY_METHODS",
    "FLOP_METHODS",
    "SIDECAR_ENV",
    "SOURCE",
    "CPUInfoReader",
    "CodeCarbonMeter",
    "Device",
    "EnergyMeter",
    "EnergyReading",
    "FlopCount",
    "FlopSampler",
    "Hardware",
    "HardwareReader",
    "MeterUnavailable",
    "NVMLEnergyMeter",
    "NVMLReader",
    "Placement",
    "RAPLMeter",
    "RunRecord",
    "RunTracker",
    "TDPMeter",
    "TrackerConfig",
    "delete_run",
    "detect_hardware",
    "get_run",
    "list_runs",
    "place_run",
    "place_runs",
    "run_documents",
    "store_run",
    "track",
    "track_run",
]


class _CallableModule(types.ModuleType):
    """Lets ``dlcost.track(...)`` call :func:`track` although ``dlcost.track`` is a package."""

    def __call__(self, config: TrackerConfig | None = None, **options: Any) -> RunTracker:
        return track(config, **options)


sys.modules[__name__].__class__ = _CallableModule
