"""Rolling-origin backtests: fit on what was published up to an origin, score what came after.

For every origin year Y (the origin is the end of Y), each fit sees only results *published*
up to it — a result with only a year counts as published mid-year, as everywhere in dlcost —
and everything derived from the data is recomputed from those rows alone: duplicates across
sources, the imputation of hardware burden from network operations, the state of the art
(records), the running top N of training compute. Nothing published after the origin touches
the fit; ``tests/backtest`` perturbs later rows and checks it.

Three kinds of forecast (issue #14, items a–c), each a forecast table
(:mod:`dlcost.backtest.scoring`):

``curve``
    the paper's compute–error power law, log10(1/err) = a + b·log10(C) (OLS, as the paper):
    the error of each later result given its compute. Horizon: years between the origin and
    the result's publication (1 = published in Y + 1).
``time``
    the best error reached by the end of Y + h (h = 1, 2, 3): the trend of the state of the
    art, log10(err) on the decimal year (:class:`dlcost.trends.TrendFit`), as
    ``dlcost forecast`` extrapolates it.
``growth``
    the training compute of later frontier models (running top 10 of Epoch AI's notable
    models at their release, the selection of Epoch's trend): log10(FLOP) on the decimal year.

Naive baselines, from the same rows: *last value* carries forward the latest level (the
median of the origin year's results, the best error so far, the median frontier compute of
the origin year); *constant growth* extends the change of that level over the three years
before the origin.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dlcost.backtest.extrapolation import Extrapolation, compute_extrapolation
from dlcost.backtest.scoring import (
    HORIZONS,
    Calibration,
    calibrate,
    metrics_by_horizon,
)
from dlcost.benchmarks import BENCHMARKS, get_benchmark, is_lm_benchmark
from dlcost.exceptions import FitError, InvalidParameterError
from dlcost.fitting import deduplicate, make_fit, prepare, state_of_the_art
from dlcost.parallel import Backend, map_ordered
from dlcost.trends import QUANTITIES, TrendFit, decimal_year, rolling_top, trend_rows

if TYPE_CHECKING:
    from dlcost.store.db import ResultsDB

#: Fewest results with compute for a compute–error fit at an origin.
MIN_CURVE_POINTS = 8
#: Fewest records (state of the art) for a time trend at an origin.
MIN_RECORDS = 3
#: Fewest frontier models for a growth trend at an origin.
MIN_GROWTH_POINTS = 10
#: Epoch AI's trends of training compute start in 2010 (the deep-learning era; Sevilla et
#: al. 2022, "Compute Trends Across Three Eras of Machine Learning").
GROWTH_SINCE = 2010.0
#: Epoch AI's usual running top N of frontier models.
FRONTIER_TOP = 10
#: Years before the origin over which the constant-growth baseline measures the change.
BASELINE_SPAN = 3

TABLE_COLUMNS = ["origin", "horizon", "name", "date", "actual", "mid", "sd", "df",
                 "actual_units", "mid_units", "naive_last_value", "naive_constant_growth"]


@dataclass
class Component:
    """One kind of forecast of one target, at every origin: the forecast table and the fits."""

    target: str
    kind: str  # "curve", "time" or "growth"
    label: str
    scale: str  # the log scale of the table
    units: str  # the unit of the *_units columns
    table: pd.DataFrame
    origins: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    #: Fewest forecasts for a trustworthy summary; when set, ``to_dict`` says ``thin``.
    min_forecasts: int | None = None

    @property
    def key(self) -> str:
        return f"{self.target}/{self.kind}"

    def calibration(self) -> Calibration:
        """Split-conformal quantiles from all of this component's forecasts."""
        return calibrate(self.table, target=self.key)

    def metrics(self) -> dict[str, Any]:
        """:func:`metrics_by_horizon` of the table (computed once per table; a copy)."""
        kept = self.__dict__.get("_metrics")
        if kept is None or kept[0] is not self.table:
            kept = (self.table, metrics_by_horizon(self.table))
            self.__dict__["_metrics"] = kept
        return copy.deepcopy(kept[1])

    def to_dict(self, *, forecasts: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "target": self.target, "kind": self.kind, "label": self.label,
            "scale": self.scale, "units": self.units,
            "n_origins": len(self.origins), "n_forecasts": len(self.table),
            "origins": self.origins, "metrics": self.metrics(),
            "calibration": self.calibration().to_dict(), "notes": self.notes,
        }
        if self.min_forecasts is not None:
            out["min_forecasts"] = self.min_forecasts
            out["thin"] = len(self.table) < self.min_forecasts
        if forecasts:
            out["forecasts"] = self.table.to_dict(orient="records")
        return out


@dataclass
class BacktestResult:
    """Every component of one target's backtest."""

    target: str
    components: list[Component]
    sources: list[str]
    notes: list[str] = field(default_factory=list)
    #: Language-model benchmarks: Owen-style extrapolation in compute (item d).
    extrapolation: Extrapolation | None = None

    def component(self, kind: str) -> Component:
        for c in self.components:
            if c.kind == kind:
                return c
        raise InvalidParameterError(f"{self.target} has no {kind!r} backtest; it has "
                                    f"{', '.join(c.kind for c in self.components)}")

    def to_dict(self, *, forecasts: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "target": self.target, "sources": self.sources,
            "components": [c.to_dict(forecasts=forecasts) for c in self.components],
            "notes": self.notes}
        if self.extrapolation is not None:
            out["extrapolation"] = self.extrapolation.to_dict()
        return out


# -- shared helpers -----------------------------------------------------------------------------


def published(rows: pd.DataFrame) -> pd.Series:
    """Decimal year each result was published; a result with only a year is put mid-year."""
    dated = rows["date"].notna()
    year = pd.Series(decimal_year(rows["date"].astype(str).where(dated, None)),
                     index=rows.index)
    return year.where(dated & year.notna(), rows["year"].astype(float) + 0.5)


def _pred_sd(cov: np.ndarray, resid_var: float, x: np.ndarray) -> np.ndarray:
    """Standard deviation of a new observation of a line at ``x`` (intercept, slope)."""
    X = np.column_stack([np.ones_like(x), x])
    return np.sqrt(np.einsum("ij,jk,ik->i", X, cov, X) + resid_var)


def _origins(first: float, last: float) -> list[int]:
    return list(range(math.floor(first), math.floor(last)))


def _level(times: np.ndarray, values: np.ndarray, year: int,
           summary: Callable[[np.ndarray], float]) -> float:
    """``summary`` of the values of the latest year ≤ ``year`` that has any (NaN if none)."""
    for y in range(year, year - BASELINE_SPAN - 5, -1):
        part = values[(times >= y) & (times < y + 1)]
        if len(part):
            return float(summary(part))
    return math.nan


def _baselines(times: np.ndarray, values: np.ndarray, origin: int, horizon: float,
               summary: Callable[[np.ndarray], float] = np.median) -> tuple[float, float]:
    last = _level(times, values, origin, summary)
    before = _level(times, values, origin - BASELINE_SPAN, summary)
    growth = last + (last - before) / BASELINE_SPAN * horizon
    return last, growth



def _run_origins(func: Callable[[Any], tuple[dict[str, Any] | None, list[dict[str, Any]]]],
                 pieces: Sequence[Any], backend: Backend, workers: int | None,
                 ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run every origin's piece on ``backend``; its scored forecasts and origin summaries, in
    origin order (an origin that could not be fitted returns no summary and is left out)."""
    out: list[dict[str, Any]] = []
    origins: list[dict[str, Any]] = []
    for info, scored in map_ordered(func, pieces, backend=backend, workers=workers):
        if info is not None:
            origins.append(info)
            out.extend(scored)
    return out, origins

def _table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=TABLE_COLUMNS).astype(
        {c: float for c in TABLE_COLUMNS if c not in ("name", "horizon", "origin")})


# -- (a) the compute–error curve ----------------------------------------------------------------


def _benchmark_rows(db: ResultsDB, benchmark: str, sources: Sequence[str] | None
                    ) -> tuple[pd.DataFrame, list[str]]:
    chosen = db.resolve_sources(sources)
    rows = db.results(benchmark=benchmark, sources=chosen)
    if rows.empty:
        raise FitError(f"no {get_benchmark(benchmark).name} results in the sources "
                       f"{', '.join(chosen)}; try --data all")
    rows = rows.reset_index(drop=True)
    rows["published"] = published(rows)
    return rows[rows["published"].notna()].reset_index(drop=True), chosen


def curve_fit_at(rows: pd.DataFrame, benchmark: str, origin: int,
                 measure: str = "hardware_burden_consolidated") -> Any:
    """The compute–error fit on the results published up to the end of ``origin`` only
    (duplicates, imputation and the fit recomputed from those rows); None if too thin."""
    before = rows[rows["published"] < origin + 1]
    if before.empty:
        return None
    data = prepare(before.drop(columns="published"), benchmark, measure=measure)
    if len(data.frame) < MIN_CURVE_POINTS:
        return None
    fit = make_fit("poly", variant="ols")
    try:
        fit.fit(data.frame)
    except FitError:
        return None
    return fit


def curve_backtest(db: ResultsDB, benchmark: str, *, sources: Sequence[str] | None = None,
                   measure: str = "hardware_burden_consolidated", backend: Backend = "serial",
                   workers: int | None = None) -> Component:
    """(a) The error of each later result given its compute (module docstring).

    Each origin is refitted on its own (``backend`` ``"process"`` or ``"ray"`` runs the
    origins in parallel; the numbers are the serial ones)."""
    bench = get_benchmark(benchmark)
    rows, _ = _benchmark_rows(db, bench.id, sources)
    everything = prepare(rows.drop(columns="published"), bench.id, measure=measure).frame
    everything["published"] = published(everything)
    notes = [f"targets use the compute the data record for them ({measure}; imputed "
             "compute from the whole data's imputation fit)"]
    pieces = [(rows, bench.id, origin, measure, everything) for origin in
              _origins(float(rows["published"].min()), float(rows["published"].max()))]
    out, origins = _run_origins(_curve_origin, pieces, backend, workers)
    return Component(target=bench.id, kind="curve",
                     label=f"{bench.name}: error of later results given their compute",
                     scale="log10(1/err)", units="percentage points of error",
                     table=_table(out), origins=origins, notes=notes)


def _curve_origin(piece: tuple[pd.DataFrame, str, int, str, pd.DataFrame],
                  ) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """One origin of :func:`curve_backtest`: its fit's summary and its scored forecasts."""
    rows, bench, origin, measure, everything = piece
    fit = curve_fit_at(rows, bench, origin, measure)
    if fit is None:
        return None, []
    times = everything["published"].to_numpy(dtype=float)
    later = everything[(times >= origin + 1) & (times < origin + 1 + HORIZONS[-1])]
    if later.empty:
        return None, []
    resp = -np.log10(everything["error"].to_numpy(dtype=float))
    x = np.log10(later["compute_flop"].to_numpy(dtype=float))
    mid = fit.coef_[0] + fit.coef_[1] * x
    assert fit.xtx_inv_ is not None
    assert fit.resid_var_ is not None
    sd = _pred_sd(fit.xtx_inv_ * fit.resid_var_, fit.resid_var_, x)
    past = times < origin + 1
    info = {"origin": origin, "n_fit": fit.n_, "slope": fit.slope_,
            "intercept": fit.intercept_, "n_scored": len(later)}
    out: list[dict[str, Any]] = []
    for i, r in enumerate(later.itertuples()):
        h = math.floor(r.published - origin - 1) + 1
        last, growth = _baselines(times[past], resp[past], origin, h)
        out.append({"origin": origin, "horizon": h, "name": r.model, "date": r.published,
                    "actual": -math.log10(r.error), "mid": mid[i], "sd": sd[i],
                    "df": fit.df_resid_, "actual_units": 100 * r.error,
                    "mid_units": 100 * 10 ** -mid[i], "naive_last_value": last,
                    "naive_constant_growth": growth})
    return info, out


# -- (b) the time trend of the best error -------------------------------------------------------


def all_results(rows: pd.DataFrame) -> pd.DataFrame:
    """Every result with an error in (0, 1), deduplicated: name, published, error."""
    kept, _ = deduplicate(rows)
    ok = kept["error"].notna() & (kept["error"] > 0) & (kept["error"] < 1)
    kept = kept[ok]
    return pd.DataFrame({"name": kept["model"].to_numpy(),
                         "published": kept["published"].to_numpy(dtype=float),
                         "error": kept["error"].to_numpy(dtype=float)})


def time_fit_at(results: pd.DataFrame, origin: float) -> TrendFit | None:
    """The trend of the state of the art over the results published up to ``origin``."""
    before = results[results["published"] < origin + 1]
    if before.empty:
        return None
    records = before[state_of_the_art(before.rename(columns={"published": "year"})
                                      .assign(date=None)).to_numpy()]
    if len(records) < MIN_RECORDS or np.ptp(records["published"].to_numpy()) == 0:
        return None
    return TrendFit().fit(records["published"].to_numpy(), records["error"].to_numpy())


def time_backtest(db: ResultsDB, benchmark: str, *, sources: Sequence[str] | None = None,
                  backend: Backend = "serial", workers: int | None = None) -> Component:
    """(b) The best error reached by the end of Y + h, h = 1, 2, 3 (module docstring)."""
    bench = get_benchmark(benchmark)
    rows, _ = _benchmark_rows(db, bench.id, sources)
    results = all_results(rows)
    year_only = bool(rows["date"].isna().all())
    last_year = math.floor(results["published"].max())
    # With only years, results sit mid-year: the best "by the end of Y + h" is the trend at
    # the mid-year where every result of Y + h sits; with dates, at the end of the year.
    offset = 0.5 if year_only else 1.0
    notes = [f"the data end in {last_year}; that year may be incomplete"]
    times = results["published"].to_numpy(dtype=float)
    pieces = [(results, origin, last_year, offset)
              for origin in _origins(float(times.min()), float(times.max()))]
    out, origins = _run_origins(_time_origin, pieces, backend, workers)
    return Component(target=bench.id, kind="time",
                     label=f"{bench.name}: best error reached by the end of a later year",
                     scale="log10(1/err)", units="percentage points of error",
                     table=_table(out), origins=origins, notes=notes)


def _time_origin(piece: tuple[pd.DataFrame, int, int, float],
                 ) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """One origin of :func:`time_backtest`: its fit's summary and its scored forecasts."""
    results, origin, last_year, offset = piece
    fit = time_fit_at(results, origin)
    if fit is None:
        return None, []
    times = results["published"].to_numpy(dtype=float)
    err = results["error"].to_numpy(dtype=float)
    best_now = float(err[times < origin + 1].min())
    best_before = err[times < origin + 1 - BASELINE_SPAN]
    out: list[dict[str, Any]] = []
    for h in HORIZONS:
        if origin + h > last_year:
            break
        actual = float(err[times < origin + h + 1].min())
        when = origin + h + offset
        mid = -(fit.intercept_ + fit.slope_ * when)
        sd = float(_pred_sd(fit.cov_, fit.resid_var_, np.array([when]))[0])
        last = -math.log10(best_now)
        growth = (last + (last + math.log10(float(best_before.min())))
                  / BASELINE_SPAN * h) if len(best_before) else math.nan
        out.append({"origin": origin, "horizon": h, "name": f"best by {origin + h}",
                    "date": origin + h + offset, "actual": -math.log10(actual), "mid": mid,
                    "sd": sd, "df": fit.df_resid_, "actual_units": 100 * actual,
                    "mid_units": 100 * 10 ** -mid, "naive_last_value": last,
                    "naive_constant_growth": growth})
    if not out:
        return None, []
    return ({"origin": origin, "n_fit": fit.n_,
             "halving_years": fit.doubling_years_ if fit.halving_ else None,
             "n_scored": len(out)}, out)


# -- (c) growth of training compute -------------------------------------------------------------


def growth_fit_at(rows: pd.DataFrame, origin: int, *, frontier_top: int = FRONTIER_TOP,
                  since: float = GROWTH_SINCE) -> TrendFit | None:
    """The trend of frontier training compute from the models released up to ``origin``;
    the running top N is recomputed from those models alone."""
    before = rows[rows["year"] < origin + 1]
    top = rolling_top(before["value"], before["year"], frontier_top)
    fit_rows = before[top & (before["year"] >= since)]
    if len(fit_rows) < MIN_GROWTH_POINTS or np.ptp(fit_rows["year"].to_numpy()) == 0:
        return None
    return TrendFit().fit(fit_rows["year"].to_numpy(), fit_rows["value"].to_numpy())


def growth_table(rows: pd.DataFrame, *, frontier_top: int = FRONTIER_TOP,
                 since: float = GROWTH_SINCE, backend: Backend = "serial",
                 workers: int | None = None) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """The forecast table of frontier growth from ``rows`` (``name, year, value``): for each
    origin, :func:`growth_fit_at`, scored on the frontier models of the next three years."""
    rows = rows[["name", "year", "value"]].reset_index(drop=True)
    frontier = rolling_top(rows["value"], rows["year"], frontier_top)
    times = rows["year"].to_numpy(dtype=float)
    first = max(since + 3, float(times.min()))
    pieces = [(rows, frontier, origin, frontier_top, since)
              for origin in _origins(first, float(times.max()))]
    out, origins = _run_origins(_growth_origin, pieces, backend, workers)
    return _table(out), origins


def _growth_origin(piece: tuple[pd.DataFrame, pd.Series, int, int, float],
                   ) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """One origin of :func:`growth_table`: its fit's summary and its scored forecasts."""
    rows, frontier, origin, frontier_top, since = piece
    fit = growth_fit_at(rows, origin, frontier_top=frontier_top, since=since)
    if fit is None:
        return None, []
    times = rows["year"].to_numpy(dtype=float)
    logv = np.log10(rows["value"].to_numpy(dtype=float))
    past = (times < origin + 1) & frontier.to_numpy()
    later = rows[frontier & (rows["year"] >= origin + 1)
                 & (rows["year"] < origin + 1 + HORIZONS[-1])]
    if later.empty:
        return None, []
    x = later["year"].to_numpy(dtype=float)
    mid = fit.intercept_ + fit.slope_ * x
    sd = _pred_sd(fit.cov_, fit.resid_var_, x)
    info = {"origin": origin, "n_fit": fit.n_,
            "growth_per_year": fit.growth_per_year_, "n_scored": len(later)}
    out: list[dict[str, Any]] = []
    for i, r in enumerate(later.itertuples()):
        h = math.floor(r.year - origin - 1) + 1
        last, growth = _baselines(times[past], logv[past], origin, r.year - origin - 0.5)
        out.append({"origin": origin, "horizon": h, "name": r.name, "date": r.year,
                    "actual": math.log10(r.value), "mid": mid[i], "sd": sd[i],
                    "df": fit.df_resid_, "actual_units": math.log10(r.value),
                    "mid_units": mid[i], "naive_last_value": last,
                    "naive_constant_growth": growth})
    return info, out


def growth_backtest(db: ResultsDB, quantity: str = "compute", *,
                    sources: Sequence[str] | None = None, frontier_top: int = FRONTIER_TOP,
                    since: float = GROWTH_SINCE, backend: Backend = "serial",
                    workers: int | None = None) -> Component:
    """(c) The training compute of later frontier models (module docstring)."""
    if quantity != "compute":
        raise InvalidParameterError(
            f"backtests of growth trends cover training compute ('compute'), not {quantity!r}")
    data = trend_rows(db, quantity, subset="notable", sources=sources)
    table, origins = growth_table(data.frame, frontier_top=frontier_top, since=since,
                                  backend=backend, workers=workers)
    return Component(target="compute", kind="growth",
                     label=f"training compute of later frontier models (running top "
                           f"{frontier_top}, notable models since {since:g})",
                     scale="log10(FLOP)", units="log10(FLOP)", table=table,
                     origins=origins, notes=list(data.notes))


# -- entry point --------------------------------------------------------------------------------


def backtest(db: ResultsDB, target: str, *, sources: Sequence[str] | None = None,
             measure: str = "hardware_burden_consolidated", backend: Backend = "serial",
             workers: int | None = None) -> BacktestResult:
    """Backtest a benchmark (``imagenet``: the compute–error curve and the time trend of its
    best error), a growth trend (``compute``) or a language-model benchmark (``mmlu``,
    ``bbh``: its best score by rolling origin in time, :mod:`dlcost.backtest.lm`, and
    extrapolation in compute, Owen 2024).

    ``backend``: where the origins' refits run — ``"serial"`` (default), ``"process"`` (local
    processes, ``workers`` of them) or ``"ray"`` (:func:`dlcost.parallel.map_ordered`). Each
    origin depends only on its own rows, so every backend gives the serial numbers."""
    key = target.strip().lower()
    if is_lm_benchmark(key):
        from dlcost.backtest.lm import lm_time_backtest

        ext = compute_extrapolation(db, key, sources=sources)
        comp = lm_time_backtest(db, key, sources=sources, backend=backend, workers=workers)
        return BacktestResult(target=key, components=[comp], sources=list(sources or []),
                              extrapolation=ext, notes=[
                                  "language models: the best score by rolling origin in time "
                                  "(half-yearly cut-offs) and extrapolation in compute"])
    if key in QUANTITIES:
        comp = growth_backtest(db, key, sources=sources, backend=backend, workers=workers)
        return BacktestResult(target=key, components=[comp],
                              sources=db.resolve_sources(sources or ["epoch"]))
    if key not in BENCHMARKS:
        known = ", ".join([*BENCHMARKS, "compute", "or a language-model benchmark (bbh, …)"])
        raise InvalidParameterError(f"unknown backtest target {target!r}; choose one of {known}")
    comps = [curve_backtest(db, key, sources=sources, measure=measure, backend=backend,
                            workers=workers),
             time_backtest(db, key, sources=sources, backend=backend, workers=workers)]
    return BacktestResult(target=key, components=comps, sources=db.resolve_sources(sources))
