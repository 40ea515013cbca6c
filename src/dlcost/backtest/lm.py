"""Language-model benchmarks by rolling origin in time: the best score reached later.

The paper's benchmarks are backtested by publication date (:mod:`dlcost.backtest.rolling`);
language-model benchmarks were scored only by extrapolation in compute
(:mod:`dlcost.backtest.extrapolation`), as points. This module backtests them in time, with
intervals, through the same code as the paper benchmarks' best-error trend:

- **Cut-offs** every half year (decimal years Y.0 and Y.5, as dlcost's decimal year counts:
  1 January and 2 or 3 July), from the first at which the points
  published before it hold :data:`dlcost.backtest.rolling.MIN_RECORDS` records (state of the
  art). At each cut-off the comparable points (:func:`dlcost.frontier.lm_data`: one score per
  model, distilled models out, models without compute out) are *rebuilt from the scores
  published before it* — the benchmark's standard shot count and each model's pick included —
  so no later row reaches the fit (``tests/backtest/test_backtest_lm.py`` perturbs them).
- **Fit**: :func:`dlcost.backtest.rolling.time_fit_at`, the trend of log10(error) of the
  records on the decimal year (:class:`dlcost.trends.TrendFit`), error = 1 − score.
- **Forecast**: the best score reached by cut-off + h, h = 0.5, 1, 2 years, scored against the
  best of the points published before then (the whole data's points). A horizon is scored when
  it ends by the end of the half-year holding the last result (as the paper benchmarks' trend
  scores the data's last year; that half-year may be incomplete).
- **Scoring** and **calibration**: :func:`dlcost.backtest.scoring.metrics_by_horizon` and
  :func:`dlcost.backtest.scoring.calibrate` unchanged, in log10(1/err); the ``*_units``
  columns are scores in percent, so ``mae_units`` is in score points. The scoring's horizons
  are whole years: the ``horizon`` column is ⌈h⌉ (0.5 and 1 year pool under horizon 1, as a
  result published within the first year does in the paper benchmarks' curve), and
  ``horizon_years`` keeps h.
- **Origin convention**: as everywhere in :mod:`dlcost.backtest`, the table's ``origin`` is
  the cut-off minus one year (origin Y is "the end of Y"), so that the sequential calibration
  scheme knows which outcomes were known at the cut-off; ``cutoff`` and ``cutoff_date`` in
  each origin's summary give the date itself.
- **Baselines**: *last value* carries the best score so far forward; *constant growth* extends
  its change over the :data:`LM_BASELINE_SPAN` year before the cut-off.
- **Thin**: fewer than :data:`MIN_LM_FORECASTS` scored forecasts is marked thin (``thin``
  true, a note); the numbers are printed but should not be trusted.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dlcost.backtest.rolling import (
    MIN_RECORDS,
    Component,
    _pred_sd,
    _run_origins,
    _table,
    time_fit_at,
)
from dlcost.exceptions import FitError
from dlcost.parallel import Backend
from dlcost.trends import TrendFit

if TYPE_CHECKING:
    from dlcost.store.db import ResultsDB

#: Horizons (years after the cut-off) of the best-score forecasts.
LM_HORIZONS: tuple[float, ...] = (0.5, 1.0, 2.0)
#: Step between cut-offs (years).
LM_STEP = 0.5
#: Years before the cut-off over which the constant-growth baseline measures the change of the
#: best score. The language-model series span 2–6 years, so the paper benchmarks' 3-year span
#: (:data:`dlcost.backtest.rolling.BASELINE_SPAN`) would leave most cut-offs without it.
LM_BASELINE_SPAN = 1.0
#: Fewest scored forecasts for a trustworthy summary: issue #14's acceptance asks for
#: calibrated 80 % coverage within 70–90 % on every target with at least 20 scored forecasts.
MIN_LM_FORECASTS = 20


def results_of(frame: pd.DataFrame) -> pd.DataFrame:
    """The points of :func:`dlcost.frontier.lm_data` as backtest results: ``name, published,
    error`` with the error in (0, 1) (a perfect score has no log error)."""
    ok = frame["error"].gt(0) & frame["error"].lt(1) & frame["year"].notna()
    kept = frame[ok]
    return pd.DataFrame({"name": kept["model"].astype(str).to_numpy(),
                         "published": kept["year"].to_numpy(dtype=float),
                         "error": kept["error"].to_numpy(dtype=float)})


def cutoffs(results: pd.DataFrame) -> list[float]:
    """Every half-year cut-off strictly after the first result and before the last."""
    times = results["published"].to_numpy(dtype=float)
    if len(times) == 0:
        return []
    first = math.floor(float(times.min()) / LM_STEP) * LM_STEP + LM_STEP
    last = float(times.max())
    out = []
    c = first
    while c < last:
        out.append(c)
        c += LM_STEP
    return out


def lm_fit_at(before: pd.DataFrame, cutoff: float) -> TrendFit | None:
    """The trend of the best error over the points published before ``cutoff`` (decimal
    year); None while fewer than :data:`dlcost.backtest.rolling.MIN_RECORDS` records."""
    before = before[before["published"] < cutoff]
    # time_fit_at's origin Y fits on what was published before Y + 1
    return time_fit_at(before, cutoff - 1.0) if len(before) else None


def lm_origin(piece: tuple[pd.DataFrame, pd.DataFrame, float],
              ) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """One cut-off: the fit on ``before`` (the points rebuilt from scores published before
    ``cutoff``) and its forecasts of the best score, scored on ``everything``."""
    before, everything, cutoff = piece
    before = before[before["published"] < cutoff]
    origin = cutoff - 1.0
    fit = lm_fit_at(before, cutoff)
    if fit is None:
        return None, []
    times = everything["published"].to_numpy(dtype=float)
    err = everything["error"].to_numpy(dtype=float)
    # As the paper benchmarks' trend scores the data's last year: up to the end of the
    # half-year holding the last result (which may be incomplete; the notes say so).
    end = math.ceil(float(times.max()) / LM_STEP) * LM_STEP
    own = before["error"].to_numpy(dtype=float)
    own_t = before["published"].to_numpy(dtype=float)
    last = -math.log10(float(own.min()))
    earlier = own[own_t < cutoff - LM_BASELINE_SPAN]
    change = (last + math.log10(float(earlier.min()))) / LM_BASELINE_SPAN \
        if len(earlier) else math.nan
    out: list[dict[str, Any]] = []
    for h in LM_HORIZONS:
        when = cutoff + h
        if when > end:
            break
        actual = float(err[times < when].min())
        mid = -(fit.intercept_ + fit.slope_ * when)
        sd = float(_pred_sd(fit.cov_, fit.resid_var_, np.array([when]))[0])
        out.append({"origin": origin, "horizon": math.ceil(h), "name": f"best by {when:.1f}",
                    "date": when, "actual": -math.log10(actual), "mid": mid, "sd": sd,
                    "df": fit.df_resid_, "actual_units": 100 * (1 - actual),
                    "mid_units": 100 * (1 - 10 ** -mid), "naive_last_value": last,
                    "naive_constant_growth": last + change * h, "horizon_years": h})
    if not out:
        return None, []
    return ({"origin": origin, "cutoff": cutoff, "cutoff_date": _iso(cutoff),
             "n_fit": fit.n_, "n_points": len(before),
             "halving_years": fit.doubling_years_ if fit.halving_ else None,
             "n_scored": len(out)}, out)


def _iso(year: float) -> str:
    """The first day on or after a decimal-year cut-off (the first day not fitted)."""
    whole = math.floor(year)
    days = math.ceil((year - whole) * 365.25)
    return f"{pd.Timestamp(year=whole, month=1, day=1) + pd.Timedelta(days=days):%Y-%m-%d}"


def lm_time_table(pieces: Sequence[tuple[pd.DataFrame, pd.DataFrame, float]], *,
                  backend: Backend = "serial", workers: int | None = None,
                  ) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """The forecast table and origin summaries of :func:`lm_origin` over ``pieces``."""
    out, origins = _run_origins(lm_origin, pieces, backend, workers)
    table = _table(out)
    table["horizon_years"] = [r["horizon_years"] for r in out]
    return table, origins


def series_pieces(results: pd.DataFrame) -> list[tuple[pd.DataFrame, pd.DataFrame, float]]:
    """Pieces for :func:`lm_time_table` from one series (each cut-off fits on its rows before
    it): synthetic series and tests."""
    return [(results, results, c) for c in cutoffs(results)]


def points_before(db: ResultsDB, scores: pd.DataFrame, benchmark: str,
                  cutoff: float) -> pd.DataFrame:
    """The points of :func:`dlcost.frontier.lm_data` rebuilt from the joined ``scores``
    published before ``cutoff`` alone (shot count, picks and filters included), as results."""
    from dlcost.frontier.data import decimal_year, lm_data

    rows = scores[scores["benchmark"] == benchmark]
    early = rows[decimal_year(rows["date"]) < cutoff]
    if early.empty:
        return results_of(pd.DataFrame(columns=["model", "year", "error"]))
    return results_of(lm_data(db, benchmark, scores=early).frame)


def lm_pieces(db: ResultsDB, scores: pd.DataFrame, benchmark: str,
              ) -> list[tuple[pd.DataFrame, pd.DataFrame, float]]:
    """The pieces of :func:`lm_time_table` from the joined scores of every benchmark
    (:func:`dlcost.frontier.data.joined_scores`): for every cut-off with enough points, the
    points rebuilt before it and the whole data's points."""
    from dlcost.frontier.data import lm_data

    rows = scores[scores["benchmark"] == benchmark]
    everything = results_of(lm_data(db, benchmark, scores=rows).frame)
    if everything.empty:
        raise FitError(f"{benchmark}: no scored model to backtest")
    pieces = []
    for c in cutoffs(everything):
        before = points_before(db, rows, benchmark, c)
        if len(before) >= MIN_RECORDS:
            pieces.append((before, everything, c))
    return pieces


def score_points_note(table: pd.DataFrame) -> str:
    """Mean absolute error of the forecasts and of both baselines in score points (the
    metrics give the baselines in log10(1/err) only)."""
    def pct(col: str) -> pd.Series:
        return 100 * (1 - 10.0 ** -table[col])

    actual = table["actual_units"]
    model = (table["mid_units"] - actual).abs().mean()
    last = (pct("naive_last_value") - actual).abs().mean()
    growth = (pct("naive_constant_growth") - actual).abs().dropna()
    return (f"MAE in score points: forecast {model:.2f}, last value {last:.2f}, constant "
            f"growth {growth.mean():.2f} (over {len(growth)} with that baseline)"
            if len(growth) else
            f"MAE in score points: forecast {model:.2f}, last value {last:.2f}")


def lm_time_backtest(db: ResultsDB, benchmark: str, *, sources: Sequence[str] | None = None,
                     backend: Backend = "serial", workers: int | None = None) -> Component:
    """The best score of a language-model benchmark by rolling origin in time (module
    docstring); a :class:`Component` of kind ``"time"``."""
    from dlcost.frontier.data import joined_scores, lm_data

    scores = joined_scores(db, sources)
    data = lm_data(db, benchmark, scores=scores)
    bench = data.benchmark
    pieces = lm_pieces(db, scores, bench.id)
    table, origins = lm_time_table(pieces, backend=backend, workers=workers)
    n = len(table)
    notes = [f"the points: {'; '.join(data.filters.describe())}, rebuilt at each cut-off from "
             "the scores published before it",
             f"the data end on {pd.Timestamp(data.frame['date'].max()):%Y-%m-%d}; horizons "
             "are scored up to the end of that half-year, which may be incomplete",
             "horizon 1 pools the 0.5- and 1-year forecasts (horizon_years keeps which)"]
    if n:
        notes.append(score_points_note(table))
    thin = n < MIN_LM_FORECASTS
    if thin:
        notes.insert(0, f"thin: {n} scored forecast(s), fewer than {MIN_LM_FORECASTS}; MAE "
                        "and coverage are too uncertain to trust")
    return Component(target=bench.id, kind="time",
                     label=f"{bench.name}: best score reached half a year to two years "
                           "after a cut-off",
                     scale="log10(1/err)", units="score points", table=table,
                     origins=origins, notes=notes, min_forecasts=MIN_LM_FORECASTS)
