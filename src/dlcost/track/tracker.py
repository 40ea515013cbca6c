"""The run tracker: one object, three doors, and nothing it does can stop the training.

Doors::

    with dlcost.track(benchmark="imagenet", model="my-resnet50") as run:   # context manager
        train(); run.log_score(76.1)

    @dlcost.track(benchmark="imagenet", model="my-resnet50")               # decorator
    def train(): ...

    run = RunTracker(TrackerConfig(model="my-resnet50")); run.start(); …; run.stop()

Options are checked when the tracker is built (:class:`~dlcost.track.TrackerConfig`); a bad one
raises :class:`~dlcost.exceptions.TrackerConfigError` before training starts. After that,
every failure inside the tracker — a counter that cannot be read, a FLOP counter that breaks,
a store that cannot be written — is logged on the ``dlcost.track`` logger, noted on the
record, and swallowed. Exceptions raised by the training code pass through untouched.

Under ``dlcost track -- …`` (the environment variable :data:`SIDECAR_ENV` is set) a tracker in
the training process sends its FLOP and score to the ``dlcost track`` process, which measures
the whole process and stores one run, instead of storing its own.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from dlcost.exceptions import TrackerConfigError
from dlcost.track.config import TrackerConfig, check_score
from dlcost.track.energy import (
    CodeCarbonMeter,
    EnergyMeter,
    EnergyReading,
    NVMLEnergyMeter,
    RAPLMeter,
    TDPMeter,
    start_first,
)
from dlcost.track.flop import FlopCount, FlopSampler, torch_available
from dlcost.track.hardware import Hardware, HardwareReader, NVMLReader, detect_hardware

log = logging.getLogger("dlcost.track")

#: Set by ``dlcost track``: a file to which trackers in the child process append their counts.
SIDECAR_ENV = "DLCOST_TRACK_SIDECAR"

F = TypeVar("F", bound=Callable[..., Any])


class SamplerLease:
    """A tracker's window on the process-wide sampler (trackers may nest)."""

    def __init__(self, sampler: FlopSampler) -> None:
        self.sampler = sampler
        self.steps0 = sampler.steps
        self.n0 = len(sampler.sampled)

    def count(self) -> FlopCount:
        s = self.sampler
        return FlopCount(s.steps - self.steps0, tuple(s.sampled[self.n0:]),
                         "manual" if s.manual else "optimizer")


_SAMPLER: FlopSampler | None = None
_LEASES = 0


def acquire_sampler(config: TrackerConfig, count: bool) -> SamplerLease:
    """The process-wide sampler (installed by the outermost tracker) and a window on it."""
    global _SAMPLER, _LEASES
    if _SAMPLER is None:
        _SAMPLER = FlopSampler(warmup_steps=config.warmup_steps,
                               sample_steps=config.sample_steps,
                               sample_every=config.sample_every, count=count)
        _SAMPLER.install()
    _LEASES += 1
    return SamplerLease(_SAMPLER)


def release_sampler(lease: SamplerLease) -> FlopCount:
    """The lease's count; the last lease out uninstalls the sampler."""
    global _SAMPLER, _LEASES
    result = lease.count()
    _LEASES -= 1
    if _LEASES <= 0 and _SAMPLER is lease.sampler:
        _SAMPLER.uninstall()
        _SAMPLER, _LEASES = None, 0
    return result


def _synchronize_accelerator() -> None:
    """Wait for queued GPU work, so that the wall time covers it (CUDA runs asynchronously)."""
    torch = sys.modules.get("torch")
    try:
        if torch is not None and torch.cuda.is_initialized():
            torch.cuda.synchronize()
    except Exception as exc:  # never fatal
        log.warning("dlcost: could not synchronize the GPU before stopping: %s", exc)


def default_energy_meters(config: TrackerConfig, hardware: Hardware,
                          nvml: NVMLReader | None = None) -> list[EnergyMeter]:
    """The meters ``config.energy`` asks for, in the order ``auto`` tries them."""
    meters: dict[str, EnergyMeter] = {
        "codecarbon": CodeCarbonMeter(config.country_iso_code),
        "nvml": NVMLEnergyMeter(nvml or NVMLReader(),
                                _gpu_indices(nvml) if hardware.reader == "nvml" else []),
        "rapl": RAPLMeter(poll_s=config.energy_poll_s),
        "tdp": TDPMeter(hardware.tdp_w, hardware.count, hardware.label),
    }
    if config.energy == "none":
        return []
    if config.energy == "auto":
        return list(meters.values())
    return [meters[config.energy]]


def _gpu_indices(nvml: NVMLReader | None) -> list[int]:
    reader = nvml or NVMLReader()
    return [d.index for d in reader.devices() if d.index is not None]


class RunTracker:
    """Measures one training run and stores it as a result of source ``runs``.

    Parameters
    ----------
    config : TrackerConfig, optional
        All options; keyword arguments (``benchmark=``, ``model=``, …) override its fields.
    hardware_readers : list of HardwareReader, optional
        Replace NVML and ``/proc/cpuinfo`` (tests pass fakes).
    energy_meters : list of EnergyMeter, or a callable ``(config, hardware) -> list``, optional
        Replace the energy methods (tests pass fakes).
    clock : callable
        Seconds, monotonic (default :func:`time.perf_counter`).

    Attributes
    ----------
    record : RunRecord or None
        The finished run, after :meth:`stop`.
    """

    def __init__(
        self,
        config: TrackerConfig | None = None,
        *,
        hardware_readers: Sequence[HardwareReader] | None = None,
        energy_meters: Sequence[EnergyMeter]
        | Callable[[TrackerConfig, Hardware], Sequence[EnergyMeter]] | None = None,
        clock: Callable[[], float] = time.perf_counter,
        **options: Any,
    ) -> None:
        base = config or TrackerConfig()
        unknown = sorted(set(options) - set(TrackerConfig.__dataclass_fields__))
        if unknown:
            raise TrackerConfigError(
                f"unknown tracker option(s) {', '.join(map(repr, unknown))}; see "
                "dlcost.track.TrackerConfig for the options"
            )
        self.config = base.replace(**options) if options else base
        if self.config.flop == "counter" and not torch_available():
            raise TrackerConfigError("flop='counter' needs PyTorch (pip install torch); use "
                                     "flop='manual' with run.add_flop(n) instead")
        self._readers = hardware_readers
        self._meters = energy_meters
        self._clock = clock
        self.record: Any = None
        self._running = False
        self._reset()

    def _reset(self) -> None:
        self._added = 0.0
        self._flop_override: dict[str, Any] | None = None
        self._score = self.config.score
        self._problems: list[str] = []
        self._lease: SamplerLease | None = None
        self._meter: EnergyMeter | None = None
        self._meter_skipped: list[str] = []
        self._hardware: Hardware | None = None
        self._t0 = 0.0
        self._started_at: Any = None

    def __repr__(self) -> str:
        state = "running" if self._running else "stopped" if self.record else "not started"
        return (f"RunTracker(model={self.config.model!r}, benchmark={self.config.benchmark!r}, "
                f"{state})")

    # -- the three doors --------------------------------------------------------------------

    def __enter__(self) -> RunTracker:
        self.start()
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is not None:
            self._note(f"the training raised {exc_type.__name__}: {exc}")
        self.stop(exit_code=None if exc_type is None else 1)

    def __call__(self, func: F) -> F:
        """Use the tracker as a decorator: every call of ``func`` is one tracked run."""

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            tracker = RunTracker(self.config, hardware_readers=self._readers,
                                 energy_meters=self._meters, clock=self._clock)
            with tracker:
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    def start(self) -> RunTracker:
        """Start measuring (wall time, steps and FLOP, chips, energy)."""
        if self._running:
            log.warning("dlcost: this run is already being tracked; start() ignored")
            return self
        from dlcost.track.record import now_utc

        self._reset()
        self._running = True
        self._started_at = now_utc()
        if not self._forwarding:  # under `dlcost track`, that process measures these
            self._safely("detecting the hardware", self._start_hardware)
            self._safely("starting the energy meter", self._start_energy)
        self._safely("starting the FLOP counter", self._start_flop)
        self._t0 = self._clock()
        return self

    def stop(self, *, exit_code: int | None = None,
             command: list[str] | None = None) -> Any:
        """Stop, build the :class:`~dlcost.track.RunRecord`, store it; return it (or ``None``)."""
        if not self._running:
            log.warning("dlcost: stop() called on a tracker that is not running; ignored")
            return self.record
        _synchronize_accelerator()
        seconds = self._clock() - self._t0
        self._running = False
        count = None
        self._flop_errors: list[str] = []
        if self._lease is not None:
            lease, self._lease = self._lease, None
            count = self._safely("reading the FLOP counter", lambda: release_sampler(lease))
            self._flop_errors = list(lease.sampler.errors)
        energy = self._safely("reading the energy meter", self._stop_energy)
        record = self._safely("building the run record",
                              lambda: self._build(seconds, count, energy, exit_code, command))
        self.record = record
        if record is not None and self.config.store:
            if self._forwarding:
                self._safely("sending the counts to dlcost track", lambda: self._forward(record))
            else:
                self._safely("storing the run", lambda: self._store(record))
            record.problems.extend(p for p in self._problems if p not in record.problems)
        return record

    # -- what the training code calls -------------------------------------------------------

    def step(self) -> None:
        """Mark the end of a training step (only needed without a ``torch.optim`` optimizer)."""
        if self._lease is not None:
            self._lease.sampler.manual_step()

    def add_flop(self, flop: float) -> None:
        """Add FLOP the training code counted itself (replaces the automatic count)."""
        if isinstance(flop, bool) or not isinstance(flop, int | float) or not flop >= 0:
            self._note(f"add_flop({flop!r}) ignored: FLOP must be a number ≥ 0")
            return
        self._added += float(flop)

    def log_score(self, score: float) -> None:
        """Record the benchmark score the run reached (76.1 for 76.1 % top-1)."""
        try:
            self._score = check_score(score)
        except TrackerConfigError as exc:
            self._note(f"log_score ignored: {exc}")
        if self.record is not None and self._score is not None:  # after stop: update the store
            self.record.score = self._score
            if self.config.store and not self._forwarding:
                self._safely("storing the score", lambda: self._store(self.record))

    def use_flop(self, flop: dict[str, Any]) -> None:
        """Replace the FLOP part of the record by one counted elsewhere (``dlcost track``)."""
        self._flop_override = flop

    # -- internals --------------------------------------------------------------------------

    @property
    def _forwarding(self) -> bool:
        return bool(os.environ.get(SIDECAR_ENV)) and self.config.store

    def _safely(self, what: str, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except Exception as exc:
            self._note(f"{what} failed: {type(exc).__name__}: {exc}")
            return None

    def _note(self, message: str) -> None:
        log.warning("dlcost: %s", message)
        self._problems.append(message)

    def _start_hardware(self) -> None:
        c = self.config
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            self._hardware = detect_hardware(chip=c.chip, chip_count=c.chip_count,
                                             peak_flop_per_s=c.peak_flop_per_s, tdp_w=c.tdp_w,
                                             readers=self._readers)
        for w in caught:
            log.info("dlcost: %s", w.message)

    def _start_energy(self) -> None:
        hardware = self._hardware or detect_hardware(readers=[])
        if self._meters is None:
            nvml = next((r for r in self._readers or () if isinstance(r, NVMLReader)), None)
            meters = default_energy_meters(self.config, hardware, nvml)
        elif callable(self._meters):
            meters = list(self._meters(self.config, hardware))
        else:
            meters = list(self._meters)
        self._meter, self._meter_skipped = start_first(meters)

    def _stop_energy(self) -> EnergyReading:
        if self._meter is None:
            reason = ("energy measurement is off" if self.config.energy == "none" else
                      "no energy method could run: " + "; ".join(self._meter_skipped))
            return EnergyReading(None, "none", (reason,))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            reading = self._meter.stop()
        for w in caught:
            log.warning("dlcost: %s", w.message)
        if self._meter_skipped:
            reading = EnergyReading(reading.kwh, reading.method,
                                    (*reading.notes, *(f"not used: {s}"
                                                       for s in self._meter_skipped)),
                                    reading.details)
        return reading

    def _start_flop(self) -> None:
        c = self.config
        count = c.flop in ("auto", "counter") and c.flop_per_step is None and torch_available()
        self._lease = acquire_sampler(c, count)

    def _build(self, seconds: float, count: FlopCount | None, energy: EnergyReading | None,
               exit_code: int | None, command: list[str] | None) -> Any:
        from dlcost.track.record import (
            RunRecord,
            burden_part,
            cost_part,
            environment,
            flop_part,
            now_utc,
        )

        ended = now_utc()
        hardware = self._hardware or detect_hardware(readers=[])
        method = self.config.flop
        if method in ("auto", "counter") and not torch_available():
            method = "counter_unavailable"
        errors = self._flop_errors
        flop = self._flop_override or flop_part(count, self._added, self.config.flop_per_step,
                                                method, errors)
        burden = burden_part(hardware, seconds)
        energy = energy or EnergyReading(None, "none", ("the energy meter failed",))
        cost = cost_part(self.config, hardware, burden.get("flop"), energy.kwh, seconds,
                         self.config.price_year or ended.year)
        utilization = mfu = None
        if flop.get("total") and burden.get("flop"):
            utilization = flop["total"] / burden["flop"]
        if flop.get("total") and hardware.training_peak_flop_per_s and seconds > 0:
            mfu = flop["total"] / (hardware.count * hardware.training_peak_flop_per_s * seconds)
        problems = list(self._problems)
        for part in (flop, burden):
            if part.get("problem"):
                problems.append(part["problem"])
        problems += cost.get("problems", [])
        if energy.kwh is None:
            problems.append(f"no energy: {' '.join(energy.notes)}")
        import uuid

        return RunRecord(
            run_id=uuid.uuid4().hex[:12], model=self.config.model,
            benchmark=self.config.benchmark, score=self._score,
            started_at=self._started_at.isoformat(), ended_at=ended.isoformat(),
            wall_seconds=seconds, flop=flop, hardware=hardware.to_dict(), burden=burden,
            utilization=utilization, utilization_training_peak=mfu, energy=energy.to_dict(),
            cost=cost, problems=problems,
            command=command, exit_code=exit_code, config=self.config.to_dict(),
            environment=environment(),
        )

    def _store(self, record: Any) -> None:
        from dlcost.track.runs import store_run

        store_run(record, db_path=self.config.db_path)

    def _forward(self, record: Any) -> None:
        line = {"kind": "tracker", "pid": os.getpid(), "flop": record.flop,
                "score": record.score, "model": self.config.model,
                "benchmark": self.config.benchmark}
        with open(os.environ[SIDECAR_ENV], "a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, default=str) + "\n")


def track(config: TrackerConfig | None = None, **options: Any) -> RunTracker:
    """A :class:`RunTracker`: ``with dlcost.track(benchmark="imagenet", model="x") as run:``.

    Also a decorator (``@dlcost.track(...)``) and, with ``.start()``/``.stop()``, explicit.
    """
    return RunTracker(config, **options)


def track_run(config: TrackerConfig | None = None, **options: Any) -> Callable[[F], F]:
    """Decorator form: ``@track_run(model="x")`` tracks every call of the function."""
    tracker = RunTracker(config, **options)
    return tracker.__call__
