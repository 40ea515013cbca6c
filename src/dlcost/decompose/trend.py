"""Growth per year of training compute and of its hardware drivers, across many models.

Following Epoch AI's decomposition (Jan 2025, "Training compute growth is driven by larger
clusters, longer training, and better hardware"; METHODS.md §6), each of

- training compute (FLOP, as reported),
- hardware FLOP/s per chip (the chip's training peak from the accelerator catalogue),
- hardware quantity (chips),
- training time (seconds),
- their product (peak × chips × time, on models that have all three)

is fitted log-linearly against publication date: log10(y) = a + g·year, growth per year
10^g. Intervals come from bootstrapping models (rows) with replacement — each component is
refitted on the models of the resample that have it, all resamples at once
(:func:`dlcost.stats.weighted_ols_batch`). Each driver's share of the growth is its log
growth over the sum of the three drivers' log growths, per resample.

The model selection mirrors Epoch's: notable models, not fine-tuned from a base model, in the
top ``top_n`` by training compute at the time of their release, published ``since`` onwards.
Epoch's estimates (10th / median / 90th percentile, n = 500 bootstraps): hardware FLOP/s
1.36 / 1.41 / 1.48, quantity 1.5 / 1.69 / 1.91, training time 1.37 / 1.53 / 1.71, training
compute 3.74 / 4.17 / 4.62 per year (:data:`EPOCH_2025`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dlcost import stats
from dlcost.exceptions import FitError, InvalidParameterError, UnknownHardwareError
from dlcost.trends.selection import rolling_top
from dlcost.validation import Interval, Optional, validate

if TYPE_CHECKING:
    from dlcost.store.db import ResultsDB

COMPONENTS: dict[str, str] = {
    "training_compute": "training compute (FLOP)",
    "hardware_flop_per_s": "hardware FLOP/s per chip",
    "hardware_quantity": "hardware quantity (chips)",
    "training_time": "training time",
    "combined": "peak × chips × time (models with all three)",
}
DRIVERS = ("hardware_flop_per_s", "hardware_quantity", "training_time")

#: Epoch AI, Jan 2025, growth per year: (10th percentile, median, 90th percentile).
EPOCH_2025: dict[str, tuple[float, float, float]] = {
    "hardware_flop_per_s": (1.36, 1.41, 1.48),
    "hardware_quantity": (1.5, 1.69, 1.91),
    "training_time": (1.37, 1.53, 1.71),
    "combined": (3.58, 4.27, 4.93),
    "training_compute": (3.74, 4.17, 4.62),
}
EPOCH_2025_URL = "https://epoch.ai/data-insights/training-compute-decomposition"
MIN_MODELS = 3
#: Declared constraints of :func:`trend` (:mod:`dlcost.validation`).
TREND_CONSTRAINTS = {
    "n_boot": Interval(int, 1, None),
    "confidence": Interval(float, 0, 1, closed="neither"),
    "since": Optional(Interval(float, None, None)),
    "until": Optional(Interval(float, None, None)),
    "top_n": Optional(Interval(int, 1, None)),
}


@dataclass(frozen=True)
class GrowthRate:
    """Growth per year of one component: 10^slope of log10(y) on the year."""

    component: str
    growth_per_year: float
    ci: tuple[float, float]
    n: int
    slope_log10: float
    epoch_2025: tuple[float, float, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"component": self.component, "label": COMPONENTS[self.component],
                "growth_per_year": self.growth_per_year, "ci": list(self.ci), "n": self.n,
                "slope_log10": self.slope_log10,
                "epoch_2025": list(self.epoch_2025) if self.epoch_2025 else None}


@dataclass
class TrendDecomposition:
    """Growth per year of each component, the drivers' shares, and how models were chosen."""

    rates: dict[str, GrowthRate]
    shares: dict[str, tuple[float, tuple[float, float]]]
    confidence: float
    n_boot: int
    n_models: int
    selection: dict[str, Any]
    data: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        lo_q = (1.0 - self.confidence) / 2.0
        rows = []
        for key, r in self.rates.items():
            epoch = r.epoch_2025
            rows.append({
                "component": key, "label": COMPONENTS[key], "n": r.n,
                "growth_per_year": r.growth_per_year,
                f"p{100 * lo_q:g}": r.ci[0], f"p{100 * (1 - lo_q):g}": r.ci[1],
                "share": self.shares.get(key, (np.nan, (np.nan, np.nan)))[0],
                "epoch_2025_median": epoch[1] if epoch else np.nan,
            })
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        return {
            "confidence": self.confidence, "n_boot": self.n_boot, "n_models": self.n_models,
            "rates": {k: r.to_dict() for k, r in self.rates.items()},
            "shares": {k: {"share": s, "ci": list(ci)} for k, (s, ci) in self.shares.items()},
            "selection": self.selection, "notes": self.notes,
            "epoch_2025_source": EPOCH_2025_URL,
        }


def _decimal_year(frame: pd.DataFrame) -> pd.Series:
    dates = pd.to_datetime(frame["date"], errors="coerce")
    frac = (dates.dt.day_of_year - 1) / 365.25
    out = dates.dt.year + frac
    return out.where(dates.notna(), frame["year"].astype(float))


def _peaks(chips: pd.Series) -> tuple[pd.Series, list[str]]:
    from dlcost.data.accelerators import get_chip

    cache: dict[str, float] = {}
    unknown: set[str] = set()
    for name in chips.dropna().unique():
        try:
            cache[name] = get_chip(str(name)).training_peak().flop_per_s
        except UnknownHardwareError:
            unknown.add(str(name))
    notes = []
    if unknown:
        notes.append(f"{len(unknown)} chip name(s) not in the accelerator catalogue, their "
                     f"models' peak left out: {', '.join(sorted(unknown)[:8])}"
                     f"{' …' if len(unknown) > 8 else ''}")
    return chips.map(cache).astype(float), notes


@dataclass(frozen=True)
class TrendSelection:
    """Which models a trend is fitted on; the defaults follow Epoch AI (2025).

    ``sources``: ``None`` is :func:`default_trend_sources` (Epoch's models when imported).
    ``since``/``until``: decimal publication years (``until`` exclusive). ``top_n``: keep
    models in the rolling top N by training compute at release (``None``: all).
    ``notable_only``: Epoch's notable models only. ``exclude_finetuned``: drop models
    fine-tuned from a base model.
    """

    sources: tuple[str, ...] | None = None
    since: float | None = 2018.0
    until: float | None = None
    top_n: int | None = 10
    notable_only: bool = True
    exclude_finetuned: bool = True

    @classmethod
    def from_options(cls, selection: TrendSelection | None, options: dict[str, Any]
                     ) -> TrendSelection:
        """``selection`` with keyword ``options`` (the names of the fields) applied."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise InvalidParameterError(
                f"unknown trend selection option(s) {', '.join(unknown)}; the options are "
                f"{', '.join(sorted(known))}"
            )
        values = {**asdict(selection or cls()), **options}
        if values["sources"] is not None:
            values["sources"] = tuple(values["sources"])
        validate(values, TREND_CONSTRAINTS, owner="TrendSelection")
        return cls(**values)


def default_trend_sources(db: ResultsDB) -> list[str]:
    """Epoch AI's models when they are imported (the trend needs models with training
    facts), else the store's default sources (:meth:`ResultsDB.default_sources`)."""
    return ["epoch"] if "epoch" in db.sources() else db.default_sources()


def trend_data(
    db: ResultsDB, selection: TrendSelection | None = None, **options: Any
) -> tuple[pd.DataFrame, dict[str, Any], list[str]]:
    """Per model: decimal year and the log10 of each component (NaN where unknown).

    ``selection`` (a :class:`TrendSelection`) and keyword ``options`` (its field names)
    choose the models. Returns the frame, the selection used and notes. Reads
    ``db.results`` rows without a benchmark (model datasets such as Epoch's) and their
    training phases.
    """
    chosen = TrendSelection.from_options(selection, options)
    sources = (list(chosen.sources) if chosen.sources is not None
               else default_trend_sources(db))
    since, until, top_n = chosen.since, chosen.until, chosen.top_n
    notable_only, exclude_finetuned = chosen.notable_only, chosen.exclude_finetuned
    rows = db.results(sources=sources)
    rows = rows[rows["benchmark"].isna()].copy()
    if rows.empty:
        raise FitError(
            "no model rows (results without a benchmark) in the chosen sources; import Epoch "
            "AI's models: `dlcost data import epoch PATH`"
        )
    notes: list[str] = []
    attrs = rows["attributes"].map(lambda t: json.loads(t) if isinstance(t, str) and t else {})
    if notable_only:
        flags = attrs.map(lambda a: a.get("notable"))
        if flags.notna().any():
            rows = rows[flags.fillna(False).astype(bool)]
            attrs = attrs[rows.index]
        else:
            notes.append("no 'notable' flag in the store: every model kept")
    if exclude_finetuned:
        base = attrs.map(lambda a: a.get("base_model"))
        if base.notna().any():
            keep = base.isna() | (base.astype(str).str.strip() == "")
            notes.append(f"{int((~keep).sum())} model(s) fine-tuned from a base model dropped")
            rows = rows[keep]
        else:
            notes.append("the store records no base model: fine-tuned models could not be "
                         "dropped (Epoch drops them)")
    rows = rows.assign(when=_decimal_year(rows))
    compute = rows["training_compute"].astype(float)
    if top_n:
        top = rolling_top(compute.where(compute > 0), rows["when"], top_n)
        rows = rows[top]
    if since is not None:
        rows = rows[rows["when"] >= since]
    if until is not None:
        rows = rows[rows["when"] < until]
    phases = db.phases(sources=sources)
    phases = phases[phases["result_id"].isin(rows["id"])]
    phases = phases[phases["chip_index"] == 0].drop_duplicates("result_id")
    phases = phases.set_index("result_id")
    peak_catalogue, peak_notes = _peaks(phases["chip"])
    notes += peak_notes
    stated = phases["peak_flop_per_s"].astype(float)
    peak = stated.where(stated.notna(), peak_catalogue)
    wall = phases["time_kind"].eq("wall")
    frame = pd.DataFrame({
        "id": rows["id"].to_numpy(), "model": rows["model"].to_numpy(),
        "year": rows["when"].to_numpy(dtype=float),
    })
    ids = rows["id"]
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["training_compute"] = np.log10(rows["training_compute"].astype(float).to_numpy())
        frame["hardware_flop_per_s"] = np.log10(peak.reindex(ids).to_numpy(dtype=float))
        frame["hardware_quantity"] = np.log10(
            phases["chip_count"].astype(float).reindex(ids).to_numpy())
        frame["training_time"] = np.log10(
            phases["seconds"].astype(float).where(wall).reindex(ids).to_numpy())
    frame["combined"] = (frame["hardware_flop_per_s"] + frame["hardware_quantity"]
                         + frame["training_time"])
    frame = frame.replace([np.inf, -np.inf], np.nan)
    used = {"sources": db.resolve_sources(sources), "since": since, "until": until,
            "top_n": top_n,
            "notable_only": notable_only, "exclude_finetuned": exclude_finetuned}
    return frame, used, notes


def trend(
    db: ResultsDB,
    selection: TrendSelection | None = None,
    *,
    n_boot: int = 500,
    confidence: float = 0.8,
    random_state: int | np.random.Generator | None = None,
    **options: Any,
) -> TrendDecomposition:
    """Growth per year of training compute and its drivers (module docstring).

    Defaults follow Epoch AI (2025): notable, non-fine-tuned models in the rolling top 10 by
    training compute, since 2018; 500 bootstraps; 80 % intervals (10th–90th percentile).
    ``until`` (exclusive, decimal year) cuts the data to an earlier vintage. The model
    selection is a :class:`TrendSelection` and/or its fields as keywords (``since=2015``).
    """
    validate({"n_boot": n_boot, "confidence": confidence}, TREND_CONSTRAINTS, owner="trend")
    frame, used, notes = trend_data(db, selection, **options)
    n = len(frame)
    if n < MIN_MODELS:
        raise FitError(f"only {n} model(s) left after the selection {used}; widen it "
                       "(earlier --since, larger --top-n)")
    rng = (random_state if isinstance(random_state, np.random.Generator)
           else np.random.default_rng(random_state))
    counts = stats.bootstrap_counts(n, n_boot, rng).astype(float)
    year = frame["year"].to_numpy(dtype=float)
    X = np.column_stack([np.ones(n), year])
    tail = (1.0 - confidence) / 2.0
    rates: dict[str, GrowthRate] = {}
    boot_slopes: dict[str, np.ndarray] = {}
    for key in COMPONENTS:
        y = frame[key].to_numpy(dtype=float)
        have = ~np.isnan(y)
        if have.sum() < MIN_MODELS or np.ptp(year[have]) == 0:
            notes.append(f"{COMPONENTS[key]}: only {int(have.sum())} model(s) have it; no trend")
            continue
        point = stats.ols(X[have], y[have]).params[1]
        w = counts * have[None, :]
        slopes = stats.weighted_ols_batch(X, np.where(have, y, 0.0), w)[:, 1]
        boot_slopes[key] = slopes
        lo, hi = np.nanquantile(slopes, [tail, 1.0 - tail])
        rates[key] = GrowthRate(component=key, growth_per_year=float(10.0 ** point),
                                ci=(float(10.0 ** lo), float(10.0 ** hi)),
                                n=int(have.sum()), slope_log10=float(point),
                                epoch_2025=EPOCH_2025.get(key))
    shares: dict[str, tuple[float, tuple[float, float]]] = {}
    if all(k in rates for k in DRIVERS):
        total = sum(rates[k].slope_log10 for k in DRIVERS)
        boot_total = sum(boot_slopes[k] for k in DRIVERS)
        for k in DRIVERS:
            with np.errstate(divide="ignore", invalid="ignore"):
                boot_share = boot_slopes[k] / boot_total
            lo, hi = np.nanquantile(boot_share, [tail, 1.0 - tail])
            shares[k] = (rates[k].slope_log10 / total, (float(lo), float(hi)))
    return TrendDecomposition(rates=rates, shares=shares, confidence=confidence, n_boot=n_boot,
                              n_models=n, selection=used, data=frame, notes=notes)
