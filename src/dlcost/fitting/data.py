"""From the results store to the points a scaling fit uses: one compute and one error per model.

Every benchmark goes through the same steps; only the metric differs (:mod:`dlcost.benchmarks`):

1. **Rows** — ``db.results(benchmark, sources)``. ``sources=None`` means everything the user
   imported, else the shipped ``builtin`` data (:meth:`ResultsDB.resolve_sources`).
2. **Duplicates across sources** — the same model reported by several sources for the same
   benchmark (same normalized model name: lower case, letters and digits only) is kept once,
   from the first source in :data:`SOURCE_PRIORITY` (futuretech > builtin >
   computerprogress > pwc, then any other source alphabetically).
3. **Error** — the benchmark's headline error (``error`` column), or ``1 − m/100`` for a
   secondary metric ``m`` from the ``metrics`` JSON (e.g. SQuAD's F1 instead of EM).
4. **State of the art** — a result is marked ``state_of_the_art`` when its error is lower than
   that of every result published strictly earlier (by date where every row has one, else by
   year), over *all* results with an error, before rows without compute are dropped.
5. **Compute** — the chosen measure (:data:`MEASURES`). The consolidated hardware burden fills
   gaps as the 2022 analysis did (METHODS.md §2): fit log10(HB) = c + d·log10(network
   operations) on rows that have both and predict HB for rows that have only network
   operations.
6. Rows without an error in (0, 1) or without positive compute are dropped, and every drop is
   recorded in :attr:`ScalingData.notes`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dlcost.benchmarks import get_benchmark
from dlcost.exceptions import FitError
from dlcost.names import normalize_model_name
from dlcost.stats import ols

if TYPE_CHECKING:
    from dlcost.store.db import ResultsDB

#: Compute measures a fit can use, with a one-line description.
MEASURES: dict[str, str] = {
    "hardware_burden_consolidated": (
        "hardware burden where reported, else imputed from network operations (2022 analysis)"
    ),
    "hardware_burden": "hardware burden (chips × peak FLOP/s × training time), observed only",
    "network_operations": "network operations (FLOP per pass × 3 × examples × epochs)",
    "ops_per_pass": "FLOP of one forward pass on one example",
}

#: Which source's row is kept when several report the same model on the same benchmark.
SOURCE_PRIORITY: tuple[str, ...] = ("futuretech", "builtin", "computerprogress", "pwc")

#: Fewest rows with both hardware burden and network operations for the consolidation fit.
MIN_CONSOLIDATION_PAIRS = 3

_COLUMN = {
    "hardware_burden": "hardware_burden",
    "network_operations": "network_operations",
    "ops_per_pass": "ops_per_pass_flop",
}


@dataclass(frozen=True)
class Consolidation:
    """The log-log fit that imputes hardware burden from network operations.

    log10(HB / FLOP) = ``intercept`` + ``slope`` · log10(NO / FLOP), fitted on ``n_pairs`` rows
    with both. In GFLOP the intercept is ``intercept − 9 (1 − slope)``; predictions are the
    same in either unit.
    """

    intercept: float
    slope: float
    r2: float
    n_pairs: int
    n_imputed: int

    @property
    def intercept_gflop(self) -> float:
        """The intercept when both sides are in GFLOP (as a spreadsheet in GFLOP would give)."""
        return self.intercept - 9.0 * (1.0 - self.slope)

    def predict_flop(self, network_operations_flop: Any) -> Any:
        """Hardware burden (FLOP) predicted from network operations (FLOP)."""
        x = np.log10(np.asarray(network_operations_flop, dtype=float))
        return 10.0 ** (self.intercept + self.slope * x)


@dataclass
class ScalingData:
    """The points of one benchmark ready for a fit, and how they were chosen.

    ``frame`` has one row per model: ``id, source, model, paper_title, paper_url, year, date,
    error, compute_flop, compute_method`` (``observed`` or ``imputed``) and
    ``state_of_the_art``.
    """

    frame: pd.DataFrame
    benchmark: str
    measure: str
    metric: str
    sources: list[str]
    notes: list[str] = field(default_factory=list)
    consolidation: Consolidation | None = None

    def __len__(self) -> int:
        return len(self.frame)


@functools.lru_cache(maxsize=65536)
def _normalized_name(name: Any) -> str:
    """:func:`dlcost.names.normalize_model_name`, remembered (deduplication runs on the same
    few hundred names for every fit, cut-off and vintage)."""
    return normalize_model_name(name)


def deduplicate(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Drop rows of a model that a higher-priority source also reports for the same benchmark.

    The key is (benchmark, normalized model name). Among the sources reporting a key, only
    the rows of the first in :data:`SOURCE_PRIORITY` (then the others alphabetically) are
    kept; rows of one source are never dropped against each other (two papers may name their
    models alike). Returns the kept rows (original order) and how many were dropped.
    """
    if frame.empty:
        return frame, 0
    rank = {s: i for i, s in enumerate(SOURCE_PRIORITY)}
    others = sorted(set(frame["source"]) - set(rank))
    rank.update({s: len(SOURCE_PRIORITY) + i for i, s in enumerate(others)})
    key = frame["benchmark"].astype(str) + "\x1f" + frame["model"].map(_normalized_name)
    source_rank = frame["source"].map(rank)
    best = source_rank.groupby(key).transform("min")
    keep = source_rank == best
    return frame[keep], int((~keep).sum())


def state_of_the_art(frame: pd.DataFrame, *, error_col: str = "error") -> pd.Series:
    """True for results whose error beats every result published strictly earlier.

    Time is the ``date`` when every row has one, else the ``year``. Results of the same
    period do not disqualify each other (the data rarely say which came first). A result
    without a time (no date and no year) cannot be placed and is never state of the art;
    :func:`prepare` drops such rows before calling this.
    """
    result = np.zeros(len(frame), dtype=bool)
    if frame.empty:
        return pd.Series(result, index=frame.index)
    if "date" in frame and frame["date"].notna().all():
        when = pd.to_datetime(frame["date"]).to_numpy().astype("datetime64[ns]").astype(float)
    else:
        year = pd.to_numeric(frame["year"], errors="coerce")
        if "date" in frame:
            year = year.fillna(pd.to_datetime(frame["date"], errors="coerce").dt.year)
        when = year.to_numpy(dtype=float)
    error = frame[error_col].to_numpy(dtype=float)
    placed = np.flatnonzero(~np.isnan(when))
    best_before = np.inf
    for period_time in np.unique(when[placed]):
        period = placed[when[placed] == period_time]
        result[period] = error[period] < best_before
        errors = error[period][~np.isnan(error[period])]
        if errors.size:
            best_before = min(best_before, float(errors.min()))
    return pd.Series(result, index=frame.index)


def _secondary_error(frame: pd.DataFrame, metric: str) -> pd.Series:
    def pick(text: Any) -> float:
        if not isinstance(text, str) or not text:
            return float("nan")
        value = json.loads(text).get(metric)
        return 1.0 - float(value) / 100.0 if value is not None else float("nan")

    return frame["metrics"].map(pick).astype(float)


def consolidate(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series, Consolidation | None]:
    """Consolidated hardware burden (FLOP) and its method per row, and the fit behind it.

    Observed hardware burden is kept; rows with only network operations get the burden
    predicted by log10(HB) = c + d·log10(NO), fitted on the rows that have both. With fewer
    than :data:`MIN_CONSOLIDATION_PAIRS` such rows nothing is imputed (``None``).
    """
    hb = frame["hardware_burden"].astype(float)
    no = frame["network_operations"].astype(float)
    method = pd.Series("observed", index=frame.index, dtype=object).where(hb.notna(), None)
    both = hb.notna() & no.notna() & (hb > 0) & (no > 0)
    only_no = hb.isna() & no.notna() & (no > 0)
    if both.sum() < MIN_CONSOLIDATION_PAIRS or np.ptp(np.log10(no[both])) == 0:
        return hb, method, None
    x = np.log10(no[both].to_numpy())
    y = np.log10(hb[both].to_numpy())
    res = ols(np.column_stack([np.ones_like(x), x]), y)
    fit = Consolidation(
        intercept=float(res.params[0]), slope=float(res.params[1]), r2=res.rsquared,
        n_pairs=int(both.sum()), n_imputed=int(only_no.sum()),
    )
    filled = hb.copy()
    filled[only_no] = fit.predict_flop(no[only_no].to_numpy())
    method[only_no] = "imputed"
    return filled, method, fit


def prepare(
    rows: pd.DataFrame,
    benchmark: str,
    *,
    measure: str = "hardware_burden_consolidated",
    metric: str | None = None,
    sources: Sequence[str] = (),
) -> ScalingData:
    """Turn store rows of one benchmark into fit-ready points (see the module docstring)."""
    bench = get_benchmark(benchmark)
    if measure not in MEASURES:
        raise FitError(
            f"unknown compute measure {measure!r}; choose one of {', '.join(MEASURES)}"
        )
    metric = (metric or bench.metric).lower()
    if metric != bench.metric and metric not in bench.secondary_metrics:
        known = ", ".join((bench.metric, *bench.secondary_metrics))
        raise FitError(f"{bench.name} has no metric {metric!r}; known: {known}")
    notes: list[str] = []
    frame, dropped = deduplicate(rows.reset_index(drop=True))
    if dropped:
        notes.append(
            f"{dropped} duplicate row(s) of the same model from lower-priority sources dropped "
            f"(priority: {' > '.join(SOURCE_PRIORITY)})"
        )
    frame = frame.copy()
    if metric != bench.metric:
        frame["error"] = _secondary_error(frame, metric)
        notes.append(f"error = 1 − {metric}/100 (secondary metric) instead of {bench.metric}")
    has_error = frame["error"].notna() & (frame["error"] > 0) & (frame["error"] < 1)
    if (~has_error).sum():
        notes.append(f"{int((~has_error).sum())} row(s) without an error in (0, 1) dropped")
    frame = frame[has_error].copy()
    dated = pd.to_numeric(frame["year"], errors="coerce").notna()
    if "date" in frame:
        dated |= frame["date"].notna()
    if (~dated).sum():
        notes.append(f"{int((~dated).sum())} undated row(s) (no year or date) dropped")
    frame = frame[dated].copy()
    frame["state_of_the_art"] = state_of_the_art(frame)
    consolidation = None
    if measure == "hardware_burden_consolidated":
        compute, method, consolidation = consolidate(frame)
        if consolidation is None:
            lacking = int((frame["hardware_burden"].isna() & frame["network_operations"].notna())
                          .sum())
            notes.append(
                f"fewer than {MIN_CONSOLIDATION_PAIRS} rows have both hardware burden and "
                "network operations: nothing imputed, the consolidated burden is the observed one"
                + (f" ({lacking} row(s) with only network operations left out)" if lacking else "")
            )
        else:
            notes.append(
                f"hardware burden imputed for {consolidation.n_imputed} row(s) from network "
                f"operations: log10(HB) = {consolidation.intercept:.4f} + "
                f"{consolidation.slope:.4f}·log10(NO) (FLOP; n = {consolidation.n_pairs}, "
                f"R² = {consolidation.r2:.3f})"
            )
    else:
        compute = frame[_COLUMN[measure]].astype(float)
        method = pd.Series("observed", index=frame.index, dtype=object).where(
            compute.notna(), None)
    frame["compute_flop"] = compute
    frame["compute_method"] = method
    usable = frame["compute_flop"].notna() & (frame["compute_flop"] > 0)
    if (~usable).sum():
        notes.append(f"{int((~usable).sum())} row(s) without {measure} dropped")
    frame = frame[usable]
    columns = ["id", "source", "benchmark", "model", "paper_title", "paper_url", "year", "date",
               "error", "compute_flop", "compute_method", "state_of_the_art"]
    out = frame[[c for c in columns if c in frame]].reset_index(drop=True)
    return ScalingData(
        frame=out, benchmark=bench.id, measure=measure, metric=metric,
        sources=list(sources), notes=notes, consolidation=consolidation,
    )


def scaling_data(
    db: ResultsDB,
    benchmark: str,
    *,
    measure: str = "hardware_burden_consolidated",
    metric: str | None = None,
    sources: Sequence[str] | None = None,
) -> ScalingData:
    """The points of ``benchmark`` in ``db`` for a scaling fit (see the module docstring)."""
    from dlcost.fitting.memo import hashable, store_memo

    bench = get_benchmark(benchmark)
    chosen = db.resolve_sources(sources)
    # Kept per store state (a report prepares each benchmark for several sections); a copy.
    memo = store_memo(db)
    key = ("scaling_data", bench.id, measure, metric, tuple(chosen))
    kept = memo.get(key) if hashable(key) else None
    if kept is None:
        rows = db.results(benchmark=bench.id, sources=chosen)
        if rows.empty:
            raise FitError(
                f"no {bench.name} results in the sources {', '.join(chosen)}. Try --data all, "
                "or import the FutureTech data: `dlcost data fetch futuretech`"
            )
        kept = prepare(rows, bench.id, measure=measure, metric=metric, sources=chosen)
        if hashable(key):
            memo[key] = kept
    return replace(kept, frame=kept.frame.copy(), sources=list(kept.sources),
                   notes=list(kept.notes))
