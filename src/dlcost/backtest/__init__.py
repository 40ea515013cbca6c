"""Forecast skill: backtest dlcost's projections and calibrate their intervals (issue #14).

Public API
----------
- :func:`backtest` ``(db, target, sources=…)`` → :class:`BacktestResult`: rolling-origin
  backtests of a benchmark's compute–error curve and best-error trend, or of the growth of
  training compute (``target="compute"``); one :class:`Component` (forecast table, fits per
  origin, metrics by horizon) per kind of forecast.
- :func:`calibrate` ``(table)`` → :class:`Calibration`: split-conformal quantiles of the
  standardized out-of-sample residuals per horizon; ``.factor(level, horizon)`` multiplies a
  nominal log-scale half-width, ``.widen(lo, hi, level, horizon)`` rescales an interval,
  ``.interval(mid, sd, level, horizon)`` builds one. :func:`calibration_for` runs the backtest
  that matches a projection and returns its calibration.
- :func:`metrics`, :func:`metrics_by_horizon`, :func:`interval_score`: MAE, bias, coverage of
  50/80/95 % intervals (nominal and calibrated out of sample), interval score, naive baselines.
- :func:`compute_extrapolation` ``(db, "bbh")`` → :class:`Extrapolation`: Owen-style
  extrapolation in compute for language models (fit below a cut-off, score +1/+2 OOM).
- :func:`lm_time_backtest` ``(db, "mmlu")`` → :class:`Component`: a language-model
  benchmark's best score by rolling origin in time (half-yearly cut-offs, horizons
  :data:`LM_HORIZONS`; fewer than :data:`MIN_LM_FORECASTS` forecasts is ``thin``); also the
  ``time`` component of ``backtest(db, "mmlu")``.
- :func:`paper_check` ``(db)`` → :class:`PaperCheck`: "Was the paper right?" — fits with the
  results before July 2020 and October 2021 set against what came later.
"""

from __future__ import annotations

from dlcost.backtest.apply import (
    INTERVALS,
    calibrate_forecast,
    calibrate_projection,
    calibrate_trend,
    calibration_for,
    check_interval,
)
from dlcost.backtest.extrapolation import (
    OWEN_BBH_1OOM_MAE_PP,
    Extrapolation,
    compute_extrapolation,
    extrapolation_table,
)
from dlcost.backtest.lm import LM_HORIZONS, MIN_LM_FORECASTS, lm_time_backtest
from dlcost.backtest.paper import (
    ARTICLE_CUTOFF,
    PAPER_CUTOFF,
    ImageNetCase,
    PaperCheck,
    VintageCheck,
    paper_check,
)
from dlcost.backtest.rolling import (
    BacktestResult,
    Component,
    backtest,
    curve_backtest,
    curve_fit_at,
    growth_backtest,
    growth_fit_at,
    growth_table,
    time_backtest,
    time_fit_at,
)
from dlcost.backtest.scoring import (
    HORIZONS,
    LEVELS,
    Calibration,
    calibrate,
    conformal_quantile,
    interval_score,
    metrics,
    metrics_by_horizon,
    out_of_sample_quantiles,
)

__all__ = [
    "ARTICLE_CUTOFF",
    "HORIZONS",
    "INTERVALS",
    "LEVELS",
    "LM_HORIZONS",
    "MIN_LM_FORECASTS",
    "OWEN_BBH_1OOM_MAE_PP",
    "PAPER_CUTOFF",
    "BacktestResult",
    "Calibration",
    "Component",
    "Extrapolation",
    "ImageNetCase",
    "PaperCheck",
    "VintageCheck",
    "backtest",
    "calibrate",
    "calibrate_forecast",
    "calibrate_projection",
    "calibrate_trend",
    "calibration_for",
    "check_interval",
    "compute_extrapolation",
    "conformal_quantile",
    "curve_backtest",
    "curve_fit_at",
    "extrapolation_table",
    "growth_backtest",
    "growth_fit_at",
    "growth_table",
    "interval_score",
    "lm_time_backtest",
    "metrics",
    "metrics_by_horizon",
    "out_of_sample_quantiles",
    "paper_check",
    "time_backtest",
    "time_fit_at",
]
