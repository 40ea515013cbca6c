"""One dataclass holds every option of a run tracker, checked once at construction.

User errors (an unknown benchmark, a negative sampling interval, an energy method that does not
exist) raise :class:`~dlcost.exceptions.TrackerConfigError` here, before the training starts.
Everything that can go wrong later, while measuring, is logged and swallowed instead.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

from dlcost.exceptions import TrackerConfigError, UnknownBenchmarkError

#: Energy methods, in the order ``"auto"`` tries them.
ENERGY_METHODS = ("codecarbon", "nvml", "rapl", "tdp")
#: FLOP methods: sampled counting with PyTorch, user figures only, or nothing.
FLOP_METHODS = ("auto", "counter", "manual", "none")


@dataclass(frozen=True)
class TrackerConfig:
    """Everything a :class:`~dlcost.track.RunTracker` can be told.

    Parameters
    ----------
    benchmark : str, optional
        One of :data:`dlcost.benchmarks.BENCHMARKS` (``imagenet``, ``coco``, …); needed to place
        the run on a benchmark's curve.
    model : str
        Name of the run's model (default ``"my-run"``).
    score : float, optional
        The benchmark score the run reached, in the benchmark's unit (76.1 for 76.1 % top-1);
        also settable later with ``run.log_score``.
    flop : {"auto", "counter", "manual", "none"}
        ``counter`` counts FLOP with :class:`torch.utils.flop_counter.FlopCounterMode` on a
        sample of steps; ``manual`` uses only ``run.add_flop`` and ``flop_per_step``;
        ``auto`` (default) counts when PyTorch is installed.
    flop_per_step : float, optional
        FLOP of one training step (forward + backward + update) given by the user; multiplied
        by the number of steps. Replaces the counter.
    sample_steps : int
        Number of consecutive steps counted after the warm-up (default 3).
    warmup_steps : int
        Steps left uncounted at the start (default 1: the first step also runs set-up code).
    sample_every : int, optional
        Also count every ``sample_every``-th step (default 1000), to follow a cost that
        changes during training; ``None`` counts only the first sample.
    chip : str, optional
        The chip to charge, by catalogue name, when detection cannot see it (a remote
        accelerator) or names it wrongly. Overrides detection.
    chip_count : float, optional
        How many of ``chip``; default what detection counts, else 1.
    peak_flop_per_s : float, optional
        Peak FLOP/s per chip, for a chip the catalogue lacks.
    tdp_w : float, optional
        Power per chip in W for the ``tdp`` energy fallback, for a chip the catalogue lacks.
    energy : {"auto", "codecarbon", "nvml", "rapl", "tdp", "none"}
        How energy is measured; ``auto`` tries :data:`ENERGY_METHODS` in order.
    energy_poll_s : float
        Seconds between reads of the RAPL counters (they wrap around; default 10).
    country_iso_code : str
        Country CodeCarbon's offline mode is told (it needs one; dlcost's own CO₂ uses
        ``kg_co2_per_kwh``). Default ``"USA"``.
    kg_co2_per_kwh, pue, usd_per_chip_hour : float, optional
        Override the grid intensity, the power usage effectiveness and the price per chip-hour
        of :mod:`dlcost.projection.presets` (``hardware`` preset defaults).
    price_year : int, optional
        Year of the cloud price (default: the year the run ends).
    store : bool
        Write the run to the results store when it stops (default ``True``).
    db_path : str, optional
        Results database (default ``$DLCOST_DB`` or the user data folder).
    notes : str, optional
        Free text stored with the run.
    """

    benchmark: str | None = None
    model: str = "my-run"
    score: float | None = None
    flop: str = "auto"
    flop_per_step: float | None = None
    sample_steps: int = 3
    warmup_steps: int = 1
    sample_every: int | None = 1000
    chip: str | None = None
    chip_count: float | None = None
    peak_flop_per_s: float | None = None
    tdp_w: float | None = None
    energy: str = "auto"
    energy_poll_s: float = 10.0
    country_iso_code: str = "USA"
    kg_co2_per_kwh: float | None = None
    pue: float | None = None
    usd_per_chip_hour: float | None = None
    price_year: int | None = None
    store: bool = True
    db_path: str | None = None
    notes: str | None = None

    def __post_init__(self) -> None:
        if self.benchmark is not None:
            from dlcost.benchmarks import get_benchmark

            try:
                object.__setattr__(self, "benchmark", get_benchmark(self.benchmark).id)
            except UnknownBenchmarkError as exc:
                raise TrackerConfigError(str(exc)) from None
        if not str(self.model).strip():
            raise TrackerConfigError("model must be a non-empty name, e.g. model='my-resnet50'")
        if self.flop not in FLOP_METHODS:
            raise TrackerConfigError(
                f"flop={self.flop!r} is not a FLOP method; choose one of {', '.join(FLOP_METHODS)}"
            )
        if self.energy not in ("auto", "none", *ENERGY_METHODS):
            raise TrackerConfigError(
                f"energy={self.energy!r} is not an energy method; choose auto, none or one of "
                f"{', '.join(ENERGY_METHODS)}"
            )
        for name in ("sample_steps", "warmup_steps"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0:
                raise TrackerConfigError(f"{name} must be a whole number ≥ 0, got {value!r}")
        if self.sample_every is not None and (
            not isinstance(self.sample_every, int) or self.sample_every < 1
        ):
            raise TrackerConfigError(
                f"sample_every must be a whole number ≥ 1 or None, got {self.sample_every!r}"
            )
        for name in ("flop_per_step", "chip_count", "peak_flop_per_s", "tdp_w", "energy_poll_s",
                     "kg_co2_per_kwh", "usd_per_chip_hour"):
            value = getattr(self, name)
            if value is not None and not (isinstance(value, int | float) and value > 0
                                          and math.isfinite(value)):
                raise TrackerConfigError(f"{name} must be a positive number, got {value!r}")
        if self.pue is not None and not (isinstance(self.pue, int | float) and self.pue >= 1):
            raise TrackerConfigError(f"pue must be ≥ 1 (1 means no overhead), got {self.pue!r}")
        if self.score is not None:
            check_score(self.score)
        if self.chip is not None:
            from dlcost.data.accelerators import get_chip
            from dlcost.exceptions import UnknownHardwareError

            if self.peak_flop_per_s is None:
                try:
                    get_chip(self.chip)
                except UnknownHardwareError as exc:
                    raise TrackerConfigError(
                        f"{exc} Or give peak_flop_per_s (and tdp_w) for a chip the catalogue "
                        "lacks."
                    ) from None

    def replace(self, **changes: Any) -> TrackerConfig:
        """A copy with some options changed (checked again)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


def check_score(score: Any) -> float:
    """A score is a finite number in (0, 100): 76.1 for 76.1 % (BLEU in points)."""
    if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
        raise TrackerConfigError(f"score must be a number such as 76.1, got {score!r}")
    if not 0 < score < 100:
        raise TrackerConfigError(
            f"score {score!r} is outside (0, 100): give it in percent (76.1 for 76.1 % top-1) "
            "or BLEU points"
        )
    return float(score)
