"""Why did one model need more compute than another? Faster chips × more chips × longer runs.

The hardware burden of a training run is chips × peak FLOP/s per chip × seconds, so the ratio
of two runs' burdens factors exactly into three ratios (METHODS.md §6):

    burden B / burden A = (peak_B / peak_A) × (chips_B / chips_A) × (seconds_B / seconds_A)

AlexNet (2 × GTX 580, ~5.5 days) → NASNet-A (500 × P100, 4 days): ≈6× from faster chips, 250×
from more chips, ≈0.73× from time, ≈1,100× in all. Each factor's share of the total is its
log over the log of the total (shares add to 1; a factor below 1 has a negative share).

A model is given as facts (:class:`TrainingSetup`) or named from the store, by result id or
model name; :func:`setup_from_store` explains how a name is matched.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from dlcost import formatting as fmt
from dlcost.exceptions import EstimationError, ResultNotFoundError, UnknownHardwareError
from dlcost.fitting.data import SOURCE_PRIORITY, normalize_model_name
from dlcost.units import SECONDS_PER_DAY

if TYPE_CHECKING:
    from dlcost.store.db import ResultsDB

FACTORS = ("chip_speed", "chip_count", "training_time")
FACTOR_LABELS = {
    "chip_speed": "faster chips (peak FLOP/s per chip)",
    "chip_count": "more chips",
    "training_time": "training time",
}


@dataclass(frozen=True)
class TrainingSetup:
    """One training run: how many of which chip, at what peak, for how long (wall-clock).

    ``peak_flop_per_s=None`` takes the chip's hardware-burden peak from the accelerator
    catalogue (:meth:`Chip.burden_peak`).
    """

    name: str
    chip: str
    chip_count: float
    seconds: float
    peak_flop_per_s: float | None = None
    source: str = "facts"
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for what, value in (("chip_count", self.chip_count), ("seconds", self.seconds)):
            if not (isinstance(value, int | float) and value > 0 and math.isfinite(value)):
                raise EstimationError(f"{self.name}: {what} must be a positive number, "
                                      f"got {value!r}")
        if self.peak_flop_per_s is not None and not self.peak_flop_per_s > 0:
            raise EstimationError(f"{self.name}: peak FLOP/s must be positive, "
                                  f"got {self.peak_flop_per_s!r}")

    def resolved(self) -> TrainingSetup:
        """This setup with the peak filled in from the catalogue if it was not given."""
        if self.peak_flop_per_s is not None:
            return self
        from dlcost.data.accelerators import get_chip

        peak = get_chip(self.chip).burden_peak()
        return TrainingSetup(self.name, self.chip, self.chip_count, self.seconds,
                             peak.flop_per_s, self.source, (*self.notes, peak.reason))

    @property
    def burden_flop(self) -> float:
        """chips × peak × seconds (needs a peak: see :meth:`resolved`)."""
        if self.peak_flop_per_s is None:
            return self.resolved().burden_flop
        return self.chip_count * self.peak_flop_per_s * self.seconds

    def describe(self) -> str:
        setup = self.resolved()
        assert setup.peak_flop_per_s is not None
        return (f"{setup.name}: {setup.chip_count:g} × {setup.chip} @ "
                f"{fmt.si(setup.peak_flop_per_s, 'FLOP/s')} × "
                f"{fmt.duration(setup.seconds)} = {fmt.quantity(setup.burden_flop, 'FLOP')}")

    def to_dict(self) -> dict[str, Any]:
        setup = self.resolved()
        return {"name": setup.name, "chip": setup.chip, "chip_count": setup.chip_count,
                "peak_flop_per_s": setup.peak_flop_per_s, "seconds": setup.seconds,
                "burden_flop": setup.burden_flop, "source": setup.source,
                "notes": list(setup.notes)}


def paper_example() -> tuple[TrainingSetup, TrainingSetup]:
    """Thompson et al.'s worked example, AlexNet → NASNet-A, as facts with their sources.

    AlexNet trained for "five to six days on two GTX 580 3GB GPUs" (Krizhevsky et al. 2012,
    §5; the midpoint is taken). For NASNet-A, Thompson et al. (arXiv:2007.05558, §4) and their
    2022 data count the architecture search — 500 P100 GPUs for 4 days (Zoph et al. 2018,
    arXiv:1707.07012) — as the model's compute. Use it where a store has no training facts
    for the pair (the builtin dataset records the search only in NASNet-A's notes).
    """
    return (
        TrainingSetup("AlexNet", "GTX 580", 2, 5.5 * SECONDS_PER_DAY,
                      source="doi:10.1145/3065386 §5 ('five to six days', midpoint)"),
        TrainingSetup("NASNet-A (architecture search)", "P100", 500, 4 * SECONDS_PER_DAY,
                      source="arXiv:1707.07012, as counted by Thompson et al. 2020 §4",
                      notes=("the architecture search, counted as the model's compute",)),
    )


@dataclass(frozen=True)
class PairDecomposition:
    """The burden ratio of ``b`` over ``a`` and its three factors (module docstring)."""

    a: TrainingSetup
    b: TrainingSetup
    factors: dict[str, float]
    total: float
    notes: tuple[str, ...] = field(default=())

    @property
    def shares(self) -> dict[str, float]:
        """Each factor's log share of the total (they add to 1)."""
        log_total = math.log(self.total)
        if log_total == 0:
            return {k: float("nan") for k in self.factors}
        return {k: math.log(v) / log_total for k, v in self.factors.items()}

    def __str__(self) -> str:
        parts = " × ".join(f"{fmt.multiple(self.factors[k])} {FACTOR_LABELS[k]}" for k in FACTORS)
        return (f"{self.b.name} / {self.a.name}: {fmt.multiple(self.total)} the hardware burden = "
                f"{parts}")

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a.to_dict(), "b": self.b.to_dict(), "total": self.total,
                "factors": dict(self.factors), "shares": self.shares,
                "notes": list(self.notes)}


def decompose_pair(
    a: TrainingSetup | str,
    b: TrainingSetup | str,
    *,
    db: ResultsDB | None = None,
    sources: Sequence[str] | None = None,
) -> PairDecomposition:
    """Split the hardware-burden ratio of run ``b`` over run ``a`` into its three factors.

    ``a`` and ``b`` are :class:`TrainingSetup` facts, or a result id / model name looked up in
    ``db`` (:func:`setup_from_store`).

    >>> alexnet = TrainingSetup("AlexNet", "GTX 580", 2, 5.5 * 86400)
    >>> nasnet = TrainingSetup("NASNet-A", "P100", 500, 4 * 86400)
    >>> d = decompose_pair(alexnet, nasnet)
    >>> {k: round(v, 2) for k, v in d.factors.items()}
    {'chip_speed': 5.88, 'chip_count': 250.0, 'training_time': 0.73}
    >>> round(d.total)
    1069
    """
    setups = []
    for x in (a, b):
        if isinstance(x, TrainingSetup):
            setups.append(x.resolved())
        else:
            if db is None:
                raise EstimationError(
                    f"{x!r} names a model; pass db= to look it up in the store, or give its "
                    "chips, chip count and training time as a TrainingSetup"
                )
            setups.append(setup_from_store(db, x, sources=sources).resolved())
    sa, sb = setups
    assert sa.peak_flop_per_s is not None
    assert sb.peak_flop_per_s is not None
    factors = {
        "chip_speed": sb.peak_flop_per_s / sa.peak_flop_per_s,
        "chip_count": sb.chip_count / sa.chip_count,
        "training_time": sb.seconds / sa.seconds,
    }
    total = factors["chip_speed"] * factors["chip_count"] * factors["training_time"]
    return PairDecomposition(a=sa, b=sb, factors=factors, total=total,
                             notes=(*sa.notes, *sb.notes))


def _candidates(db: ResultsDB, query: str, sources: Sequence[str] | None) -> pd.DataFrame:
    rows = db.results(sources=sources)
    by_id = rows[rows["id"] == query]
    if not by_id.empty:
        return by_id
    key = normalize_model_name(query)
    if not key:
        raise ResultNotFoundError(f"{query!r} is not a model name or result id")
    names = rows["model"].map(normalize_model_name)
    exact = rows[names == key]
    if not exact.empty:
        return exact
    prefixed = rows[names.str.startswith(key)]
    distinct = sorted(set(prefixed["model"]))
    if len({normalize_model_name(m) for m in distinct}) > 1:
        raise ResultNotFoundError(
            f"{query!r} matches several models: {', '.join(map(repr, distinct[:8]))}"
            f"{' …' if len(distinct) > 8 else ''}; give the full name or a result id"
        )
    if prefixed.empty:
        import difflib

        close = difflib.get_close_matches(query, list(dict.fromkeys(rows["model"])), n=5,
                                          cutoff=0.6)
        hint = f" Closest: {', '.join(map(repr, close))}." if close else ""
        raise ResultNotFoundError(
            f"no model named {query!r} in the sources {', '.join(db.resolve_sources(sources))}."
            f"{hint} List models with `dlcost data list`."
        )
    return prefixed


def _phase_setups(name: str, source: str, phases: pd.DataFrame) -> list[TrainingSetup]:
    setups = []
    for row in phases.itertuples(index=False):
        if row.chip is None or pd.isna(row.chip) or pd.isna(row.chip_count) or \
                pd.isna(row.seconds) or row.time_kind != "wall":
            continue
        peak = None if pd.isna(row.peak_flop_per_s) else float(row.peak_flop_per_s)
        try:
            setup = TrainingSetup(name=name, chip=str(row.chip), chip_count=float(row.chip_count),
                                  seconds=float(row.seconds), peak_flop_per_s=peak,
                                  source=source, notes=(f"{row.phase} phase",)).resolved()
        except (UnknownHardwareError, EstimationError):
            continue
        setups.append(setup)
    return setups


def setup_from_store(
    db: ResultsDB, query: str, *, sources: Sequence[str] | None = None
) -> TrainingSetup:
    """The training setup of a stored result, found by id or model name.

    Matching: a result id; else the model name without case, spaces or punctuation
    (``"nasnet-a"`` = ``"NASNet-A"``); else the only model whose name starts with it
    (``"NASNet-A"`` finds ``"NASNET-A(6)"``). Among several results of that model (e.g. one per
    source or benchmark), those with chips, a chip count and a wall-clock training time are
    kept, and the first by source priority (futuretech > builtin > computerprogress > pwc,
    then others) wins. Within a result, the phase and chip kind with the largest burden is
    used; the notes say so when there were others.
    """
    found = _candidates(db, query, sources)
    phases = db.phases(sources=sources)
    rank = {s: i for i, s in enumerate(SOURCE_PRIORITY)}
    found = found.assign(_rank=found["source"].map(lambda s: rank.get(s, len(rank))))
    for row in found.sort_values(["_rank", "year"], kind="stable").itertuples(index=False):
        setups = _phase_setups(str(row.model), str(row.source),
                               phases[phases["result_id"] == row.id])
        if not setups:
            continue
        best = max(setups, key=lambda s: s.burden_flop)
        notes = [f"result {row.id} ({row.source})", *best.notes]
        if len(setups) > 1:
            notes.append(f"{len(setups) - 1} other phase/chip kind(s) of this result not counted")
        return TrainingSetup(best.name, best.chip, best.chip_count, best.seconds,
                             best.peak_flop_per_s, best.source, tuple(notes))
    ids = ", ".join(found["id"].astype(str).tolist()[:5])
    raise EstimationError(
        f"{query!r} ({ids}) has no training phase with chips, a chip count and a wall-clock "
        "training time in the store; give its setup as facts (TrainingSetup)"
    )
