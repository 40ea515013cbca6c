"""Calibrated intervals for ``project``, ``trend`` and ``forecast`` (``--interval calibrated``).

Each projection is backtested on the same data with the same kind of model, and its nominal
interval is rescaled by the conformal quantile of that backtest's standardized out-of-sample
residuals (:class:`dlcost.backtest.Calibration`), at the horizon the projection reaches:

- ``forecast`` (best error at a year): the ``time`` backtest of the benchmark; horizon = years
  from the last record to the year (3 and beyond pooled into 3);
- ``trend compute``: the ``growth`` backtest of frontier training compute; the calibrated
  prediction of the compute of a frontier model 1, 2 and 3 years after the data end;
- ``project`` (compute for a target error): the ``curve`` backtest; the calibrated prediction
  band of the curve, inverted at the target error to first order (x ± q·sd/b in log10 FLOP).

The planner calls :func:`calibration_for` and applies :meth:`Calibration.widen` itself.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from dlcost.backtest.rolling import curve_backtest, growth_backtest, time_backtest
from dlcost.backtest.scoring import Calibration, horizon_key, t_quantile
from dlcost.exceptions import InvalidParameterError

if TYPE_CHECKING:
    from dlcost.fitting import BaseScalingFit
    from dlcost.projection import Forecast, Projection
    from dlcost.store.db import ResultsDB
    from dlcost.trends import TrendResult

INTERVALS = ("nominal", "calibrated")
KINDS = ("curve", "time", "growth")


def check_interval(interval: str) -> str:
    """``--interval``: ``nominal`` or ``calibrated``; else an error naming both."""
    key = interval.strip().lower()
    if key not in INTERVALS:
        raise InvalidParameterError(f"--interval must be nominal or calibrated, got {interval!r}")
    return key


def calibration_for(db: ResultsDB, target: str, kind: str, *,
                    sources: Sequence[str] | None = None,
                    measure: str = "hardware_burden_consolidated") -> Calibration:
    """The calibration of ``kind`` (``curve``, ``time`` or ``growth``) for ``target`` (a
    benchmark id, or ``compute`` for growth), from a fresh backtest on ``db``."""
    if kind == "curve":
        comp = curve_backtest(db, target, sources=sources, measure=measure)
    elif kind == "time":
        comp = time_backtest(db, target, sources=sources)
    elif kind == "growth":
        comp = growth_backtest(db, target, sources=sources)
    else:
        raise InvalidParameterError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    return comp.calibration()


def _horizon(years: float) -> int:
    return horizon_key(max(1, math.ceil(years)))


def calibrate_forecast(db: ResultsDB, result: Forecast, *,
                       sources: Sequence[str] | None = None) -> dict[str, Any]:
    """The forecast's error interval, nominal and calibrated (``forecast --interval``)."""
    cal = calibration_for(db, result.benchmark, "time", sources=sources)
    h = _horizon(result.year - result.trend.end_)
    lo, hi = cal.widen(*result.error_ci, result.confidence, h, df=result.trend.df_resid_)
    return {"method": "split-conformal on the backtest of the best-error trend",
            "horizon": h, "n_calibration": cal.n(h) or cal.n(),
            "factor": cal.factor(result.confidence, h, result.trend.df_resid_),
            "error_ci_nominal": list(result.error_ci), "error_ci": [lo, hi],
            "notes": cal.notes}


def calibrate_trend(db: ResultsDB, result: TrendResult, *,
                    sources: Sequence[str] | None = None) -> dict[str, Any]:
    """Predictions 1–3 years past the data's end, nominal and calibrated (``trend``)."""
    if result.quantity.key != "compute":
        raise InvalidParameterError(
            "calibrated intervals exist for the training-compute trend only (the one dlcost "
            f"backtests); {result.quantity.key!r} has none. Use --interval nominal")
    cal = calibration_for(db, "compute", "growth", sources=sources)
    fit = result.fit
    level = fit.confidence
    rows = []
    for h in (1, 2, 3):
        when = fit.end_ + h
        lo, hi = fit.predict_interval(when, kind="prediction")
        clo, chi = cal.widen(lo, hi, level, h, df=fit.df_resid_)
        rows.append({"horizon": h, "year": when, "value": float(fit.predict(when)),
                     "nominal": [lo, hi], "calibrated": [clo, chi],
                     "factor": cal.factor(level, h, fit.df_resid_)})
    return {"method": "split-conformal on the backtest of frontier training compute",
            "confidence": level, "n_calibration": cal.n(), "predictions": rows,
            "notes": cal.notes}


def calibrate_projection(db: ResultsDB, projection: Projection, fit: BaseScalingFit, *,
                         confidence: float, sources: Sequence[str] | None = None,
                         measure: str = "hardware_burden_consolidated") -> dict[str, Any]:
    """Calibrated compute intervals of every target of a projection (``project``)."""
    if (fit.form != "poly" or fit.variant != "ols" or fit.xtx_inv_ is None
            or fit.resid_var_ is None):
        raise InvalidParameterError(
            "calibrated intervals are backtested for the paper's fit (--form poly --variant "
            "ols) only; use --interval nominal for other forms and variants")
    bench = fit.benchmark_ or ""
    cal = calibration_for(db, bench, "curve", sources=sources, measure=measure)
    q = cal.quantile(confidence)
    nominal_t = float(t_quantile(confidence, fit.df_resid_))
    resid_var = float(fit.resid_var_)
    cov = fit.xtx_inv_ * resid_var
    rows = []
    for row in projection.targets:
        x = math.log10(row.flop) if row.flop > 0 and math.isfinite(row.flop) else math.nan
        u = np.array([1.0, x])
        sd = math.sqrt(float(u @ cov @ u) + resid_var) if math.isfinite(x) else \
            math.nan
        half = q * sd / fit.slope_
        rows.append({"label": row.label, "error": row.error, "flop": row.flop,
                     "flop_pi_nominal": list(row.flop_pi),
                     "flop_ci": [10.0 ** (x - half), 10.0 ** (x + half)]
                     if math.isfinite(half) else [None, None]})
    return {"method": "split-conformal on the backtest of the compute–error curve, "
                      "inverted to first order",
            "confidence": confidence, "quantile": q, "nominal_t": nominal_t,
            "n_calibration": cal.n(), "targets": rows, "notes": cal.notes}
