"""Scoring forecasts and calibrating their intervals.

Every forecast a backtest makes is one row of a *forecast table* in a log scale where the
model's uncertainty is symmetric (log10(1/err) for errors, log10(FLOP) for compute):

``mid``
    the point forecast;
``sd``
    the model's standard deviation of a *new* observation there (the prediction standard
    error: line uncertainty and scatter), so the nominal interval at level L is
    ``mid ± t(L, df)·sd``;
``df``
    the residual degrees of freedom of the fit;
``actual``
    what happened.

Metrics (per target and horizon): mean absolute error, bias (mean of forecast − actual),
coverage of the nominal 50/80/95 % intervals, and the interval score of Gneiting & Raftery
(2007, eq. 43): (u − l) + (2/α)(l − y)⁺ + (2/α)(y − u)⁺ for a central (1 − α) interval
[l, u]; lower is better, it rewards narrow intervals and penalises misses.

Calibration (split-conformal by horizon, Vovk et al. 2005; Lei et al. 2018): the standardized
out-of-sample residuals z = (actual − mid)/sd of the backtests give, for each horizon, the
conformal quantile q(L) of |z| (the ⌈(n + 1)L⌉-th smallest of n). The calibrated interval is
``mid ± q(L)·sd``: the model's own shape (wider far from the data), rescaled so that its
coverage matches L on past forecasts. :meth:`Calibration.factor` is q(L)/t(L, df), the
multiplier of a nominal half-width in the log scale.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dlcost.exceptions import InvalidParameterError

#: Levels whose coverage every backtest reports.
LEVELS: tuple[float, ...] = (0.5, 0.8, 0.95)
#: Horizons (years after the origin) scored separately; later ones are pooled into the last.
HORIZONS: tuple[int, ...] = (1, 2, 3)
#: Fewest residuals of a horizon for its own conformal quantile; below, the pooled one is used.
MIN_CALIBRATION = 10


def t_quantile(level: float, df: Any) -> Any:
    """Two-sided Student t quantile for a central interval of ``level``."""
    from dlcost.stats import t_ppf

    return t_ppf(0.5 + level / 2.0, np.maximum(np.asarray(df, dtype=float), 1.0))


def interval_score(lower: Any, upper: Any, actual: Any, level: float) -> Any:
    """Gneiting & Raftery's (2007) interval score of central ``level`` intervals."""
    alpha = 1.0 - level
    lo, hi, y = (np.asarray(v, dtype=float) for v in (lower, upper, actual))
    return (hi - lo) + (2.0 / alpha) * np.clip(lo - y, 0, None) + \
        (2.0 / alpha) * np.clip(y - hi, 0, None)


def conformal_quantile(abs_z: Sequence[float] | np.ndarray, level: float) -> float:
    """The ⌈(n + 1)·level⌉-th smallest |z| (split-conformal); inf when n is too small."""
    z = np.sort(np.asarray(abs_z, dtype=float)[np.isfinite(np.asarray(abs_z, dtype=float))])
    n = len(z)
    if n == 0:
        return math.inf
    k = math.ceil((n + 1) * level)
    return float(z[k - 1]) if k <= n else math.inf


def horizon_key(h: Any) -> int:
    """The horizon a forecast is scored under (later ones pooled into the last)."""
    return int(min(max(int(h), HORIZONS[0]), HORIZONS[-1]))


@dataclass
class Calibration:
    """Conformal quantiles of standardized out-of-sample residuals, per horizon.

    Built by :func:`calibrate` from a forecast table; applied with :meth:`interval`,
    :meth:`factor` or :meth:`widen`.
    """

    target: str
    abs_z: dict[int, np.ndarray]
    df: float
    notes: list[str] = field(default_factory=list)

    @property
    def pooled(self) -> np.ndarray:
        return np.concatenate([v for v in self.abs_z.values()]) if self.abs_z else np.empty(0)

    def n(self, horizon: int | None = None) -> int:
        return len(self.pooled) if horizon is None else len(self.abs_z.get(
            horizon_key(horizon), ()))

    def quantile(self, level: float, horizon: int | None = None) -> float:
        """q(level) of |z| at ``horizon`` (the pooled residuals if that horizon has fewer
        than :data:`MIN_CALIBRATION`)."""
        _check_level(level)
        own = self.abs_z.get(horizon_key(horizon), np.empty(0)) if horizon else np.empty(0)
        return conformal_quantile(own if len(own) >= MIN_CALIBRATION else self.pooled, level)

    def factor(self, level: float, horizon: int | None = None, df: float | None = None) -> float:
        """Multiplier of a nominal half-width (log scale): q(level)/t(level, df)."""
        t = float(t_quantile(level, self.df if df is None else df))
        return self.quantile(level, horizon) / t

    def interval(self, mid: Any, sd: Any, level: float, horizon: int | None = None
                 ) -> tuple[Any, Any]:
        """The calibrated interval ``mid ± q(level)·sd`` (log scale)."""
        q = self.quantile(level, horizon)
        return np.asarray(mid) - q * np.asarray(sd), np.asarray(mid) + q * np.asarray(sd)

    def widen(self, lower: float, upper: float, level: float, horizon: int | None = None,
              *, df: float | None = None, log: bool = True) -> tuple[float, float]:
        """Rescale a nominal interval [lower, upper] about its centre by :meth:`factor`.

        ``log=True`` (positive quantities: FLOP, error) rescales log10 of the bounds, about
        their geometric centre.
        """
        f = self.factor(level, horizon, df)
        if log:
            a, b = math.log10(lower), math.log10(upper)
        else:
            a, b = lower, upper
        mid, half = (a + b) / 2.0, (b - a) / 2.0 * f
        lo, hi = mid - half, mid + half
        return (10.0 ** lo, 10.0 ** hi) if log else (lo, hi)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"target": self.target, "method": "split-conformal by horizon",
                               "n": self.n(), "df": self.df, "horizons": {}}
        for h in HORIZONS:
            out["horizons"][str(h)] = {
                "n": self.n(h),
                "quantile": {f"{lv:g}": self.quantile(lv, h) for lv in LEVELS},
                "factor": {f"{lv:g}": self.factor(lv, h) for lv in LEVELS}}
        out["notes"] = self.notes
        return out


def _check_level(level: float) -> None:
    if not 0.0 < level < 1.0:
        raise InvalidParameterError(f"an interval level must lie in (0, 1), got {level!r}")


def standardized(table: pd.DataFrame) -> pd.Series:
    """z = (actual − mid)/sd of each forecast."""
    return (table["actual"] - table["mid"]) / table["sd"]


def calibrate(table: pd.DataFrame, target: str = "") -> Calibration:
    """Per-horizon conformal quantiles from a forecast table (module docstring)."""
    if table.empty:
        return Calibration(target=target, abs_z={}, df=math.nan,
                           notes=["no scored forecast: nothing to calibrate on"])
    z = standardized(table).abs().to_numpy()
    keys = table["horizon"].map(horizon_key).to_numpy()
    groups = {h: z[keys == h] for h in HORIZONS if (keys == h).any()}
    notes = [f"horizon {h}: {len(v)} residual(s), fewer than {MIN_CALIBRATION}; the pooled "
             "quantile is used" for h, v in groups.items() if len(v) < MIN_CALIBRATION]
    return Calibration(target=target, abs_z=groups, df=float(np.median(table["df"])),
                       notes=notes)


def out_of_sample_quantiles(table: pd.DataFrame, level: float, scheme: str = "loo"
                            ) -> np.ndarray:
    """For each forecast, the conformal quantile of |z| computed *without* it.

    ``scheme="loo"``: from the forecasts of every other origin (cross-conformal by origin:
    a forecast never calibrates itself or its own origin's siblings). ``"sequential"``:
    only from forecasts whose outcome was known at the forecast's origin (the end of the
    origin year) — what a user could have done at the time; NaN when fewer than
    :data:`MIN_CALIBRATION` such residuals exist.
    """
    z = standardized(table).abs().to_numpy()
    keys = table["horizon"].map(horizon_key).to_numpy()
    origin = table["origin"].to_numpy(dtype=float)
    when = table["date"].to_numpy(dtype=float)
    if scheme not in ("loo", "sequential"):
        raise InvalidParameterError(f"scheme must be 'loo' or 'sequential', got {scheme!r}")
    out = np.full(len(table), np.nan)
    # A forecast's pool depends only on its origin and horizon: one quantile per pair.
    done: dict[tuple[float, int], float] = {}
    for i in range(len(table)):
        pair = (float(origin[i]), int(keys[i]))
        if pair not in done:
            # sequential: origin Y is the end of year Y; outcomes dated up to Y + 1 were known
            pool = origin != origin[i] if scheme == "loo" else when <= origin[i] + 1
            same = pool & (keys == keys[i])
            chosen = z[same] if same.sum() >= MIN_CALIBRATION else z[pool]
            done[pair] = (conformal_quantile(chosen, level) if len(chosen) >= MIN_CALIBRATION
                          else math.nan)
        out[i] = done[pair]
    return out


def metrics(table: pd.DataFrame, levels: Sequence[float] = LEVELS) -> dict[str, Any]:
    """MAE, bias, coverage and interval score of a forecast table (log scale), with the
    naive baselines' MAE and the coverage achieved after calibration (out of sample)."""
    n = len(table)
    out: dict[str, Any] = {"n": n}
    if n == 0:
        return out
    err = table["mid"] - table["actual"]
    out["mae_log10"] = float(err.abs().mean())
    out["bias_log10"] = float(err.mean())
    if "mid_units" in table and table["mid_units"].notna().any():
        d = (table["mid_units"] - table["actual_units"]).dropna()
        out["mae_units"] = float(d.abs().mean())
        out["bias_units"] = float(d.mean())
    for base in ("last_value", "constant_growth"):
        col = f"naive_{base}"
        if col in table and table[col].notna().any():
            ok = table[col].notna()
            out[f"mae_log10_{base}"] = float((table.loc[ok, col] - table.loc[ok, "actual"])
                                             .abs().mean())
            out[f"mae_log10_model_same_rows_{base}"] = float(err[ok].abs().mean())
            out[f"n_{base}"] = int(ok.sum())
    coverage: dict[str, Any] = {}
    for level in levels:
        half = t_quantile(level, table["df"].to_numpy()) * table["sd"].to_numpy()
        lo, hi = table["mid"].to_numpy() - half, table["mid"].to_numpy() + half
        y = table["actual"].to_numpy()
        entry: dict[str, Any] = {
            "nominal": level,
            "achieved": float(np.mean((y >= lo) & (y <= hi))),
            "interval_score": float(np.mean(interval_score(lo, hi, y, level))),
        }
        absz = standardized(table).abs().to_numpy()
        for scheme in ("loo", "sequential"):
            q = out_of_sample_quantiles(table, level, scheme)
            ok = ~np.isnan(q)
            if ok.any():
                sd = table["sd"].to_numpy()[ok]
                mid = table["mid"].to_numpy()[ok]
                entry[f"calibrated_{scheme}"] = float(np.mean(absz[ok] <= q[ok]))
                entry[f"calibrated_{scheme}_n"] = int(ok.sum())
                entry[f"calibrated_{scheme}_interval_score"] = float(np.mean(interval_score(
                    mid - q[ok] * sd, mid + q[ok] * sd, y[ok], level)))
        coverage[f"{level:g}"] = entry
    out["coverage"] = coverage
    return out


def metrics_by_horizon(table: pd.DataFrame) -> dict[str, Any]:
    """:func:`metrics` for every horizon and for all forecasts together."""
    out: dict[str, Any] = {"all": metrics(table)}
    if table.empty:
        return out
    keys = table["horizon"].map(horizon_key)
    for h in HORIZONS:
        part = table[keys == h]
        if len(part):
            out[str(h)] = metrics(part)
    return out
