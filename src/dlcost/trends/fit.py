"""Log-linear growth over time: how many times larger a quantity gets per year.

:class:`TrendFit` regresses log10(value) on the decimal year (year + (day of year − 1)/365.25)
by ordinary least squares (METHODS.md §8):

- growth per year = 10^slope, with a t interval of the slope (default 90 %, as Epoch AI
  reports) mapped through the same transform;
- doubling time = log10(2)/slope years (a halving time when the quantity falls), its interval
  from the slope's;
- optionally a bootstrap percentile interval (rows resampled, every resample solved at once);
- optionally a two-segment model — a separate line before and after a break year — kept only
  when it predicts held-out points better than one line by more than one standard error of
  the gain (K-fold cross-validation, the break re-chosen inside each training fold), never
  chosen by eye.

Options go in the constructor, data in :meth:`TrendFit.fit`, which returns ``self``; learned
values end in ``_``; :attr:`TrendFit.summary` is a DataFrame; :meth:`TrendFit.predict` and
:meth:`TrendFit.predict_interval` extrapolate to a date.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from dlcost import stats
from dlcost.exceptions import FitError, NotFittedError
from dlcost.validation import Interval, validate

FloatArray = NDArray[np.float64]
LOG10_2 = math.log10(2.0)
#: Epoch AI reports 90 % intervals (METHODS.md §8); ours default to the same level.
DEFAULT_CONFIDENCE = 0.90
MIN_POINTS = 3
DAYS_PER_YEAR = 365.25

#: The constructor's parameters, declared once (:mod:`dlcost.validation`).
CONSTRAINTS = {
    "confidence": Interval(float, 0, 1, closed="neither"),
    "n_boot": Interval(int, 0, None),
    "min_segment": Interval(int, MIN_POINTS, None),
    "n_folds": Interval(int, 2, None),
}

TOO_FEW = (
    "a growth trend needs at least {need} points with a date and a positive value; {got} "
    "left{what}. Try: 1. a wider date window (earlier --since, later --until); 2. a larger "
    "selection (--subset all, a larger --frontier-top, no --domain/--organization filter)."
)
ONE_DATE = "every point has the same date ({date}); no growth per year can be fitted."


def decimal_year(dates: ArrayLike | pd.Series) -> FloatArray:
    """Decimal years: year + (day of year − 1)/365.25; numbers pass through as years.

    Accepts dates, datetimes, ISO strings or decimal years (a mix of strings and floats is
    not accepted). Unparseable entries become NaN.

    >>> decimal_year(["2020-01-01", "2020-07-02"]).round(4).tolist()
    [2020.0, 2020.4983]
    """
    series = pd.Series(np.asarray(dates, dtype=object) if not isinstance(dates, pd.Series)
                       else dates)
    is_time = pd.api.types.is_datetime64_any_dtype(series) or any(
        isinstance(v, dt.date | np.datetime64) for v in series)
    if not is_time:
        numeric = pd.to_numeric(series, errors="coerce")
        if numeric.notna().all() and len(series):
            return numeric.to_numpy(dtype=float)
    stamps = pd.to_datetime(series, errors="coerce")
    out = stamps.dt.year + (stamps.dt.day_of_year - 1) / DAYS_PER_YEAR
    return out.to_numpy(dtype=float)


def date_of(year: float) -> dt.date:
    """The calendar date of a decimal year (inverse of :func:`decimal_year`, to the day)."""
    whole = math.floor(year)
    day = round((year - whole) * DAYS_PER_YEAR)
    return dt.date(whole, 1, 1) + dt.timedelta(days=min(day, 365))


def _generator(random_state: int | np.random.Generator | None) -> np.random.Generator:
    if isinstance(random_state, np.random.Generator):
        return random_state
    return np.random.default_rng(random_state)


def _t(confidence: float, df: int) -> float:
    from dlcost.stats import t_ppf

    return float(t_ppf(0.5 + confidence / 2.0, df))


def doubling_from_slope(slope: float) -> float:
    """Years per doubling (log10(2)/slope); negative for a falling quantity (it halves)."""
    return LOG10_2 / slope if slope != 0 else math.inf


def _doubling_interval(lo: float, hi: float) -> tuple[float, float]:
    """Interval of |doubling time| from the slope's interval [lo, hi].

    When the slope interval contains 0 the quantity may be flat, so the time is unbounded.
    """
    if lo <= 0 <= hi:
        edge = max(abs(lo), abs(hi))
        return (LOG10_2 / edge if edge > 0 else math.inf, math.inf)
    a, b = sorted((abs(lo), abs(hi)))
    return (LOG10_2 / b, LOG10_2 / a)


@dataclass(frozen=True)
class Segment:
    """One line of a (two-segment) trend: its span and growth."""

    start: float
    end: float
    n: int
    slope: float
    intercept: float
    growth_per_year: float
    growth_ci: tuple[float, float]

    def to_dict(self) -> dict[str, Any]:
        return {"start": date_of(self.start).isoformat(), "end": date_of(self.end).isoformat(),
                "n": self.n, "growth_per_year": self.growth_per_year,
                "growth_ci": list(self.growth_ci)}


@dataclass(frozen=True)
class BreakpointModel:
    """The two-segment alternative and whether cross-validation preferred it."""

    break_year: float
    segments: tuple[Segment, Segment]
    cv_mse_one: float
    cv_mse_two: float
    #: Standard error of the mean paired difference of held-out squared errors.
    cv_gain_se: float
    n_folds: int

    @property
    def chosen(self) -> bool:
        """True when the two segments predict held-out points better than one line by more
        than one standard error of the gain (the one-standard-error rule: a more complex
        model must beat the simpler one clearly, not by noise)."""
        return self.cv_mse_one - self.cv_mse_two > self.cv_gain_se

    def to_dict(self) -> dict[str, Any]:
        return {"break": date_of(self.break_year).isoformat(), "chosen": self.chosen,
                "segments": [s.to_dict() for s in self.segments],
                "cv_mse_log10": {"one_segment": self.cv_mse_one,
                                 "two_segment": self.cv_mse_two,
                                 "gain_se": self.cv_gain_se},
                "n_folds": self.n_folds}


class TrendFit:
    """Log-linear trend of a positive quantity over time (module docstring).

    Parameters
    ----------
    confidence : float
        Level of every interval (default 0.90, as Epoch AI reports).
    n_boot : int
        Bootstrap resamples drawn by :meth:`fit` (default 0: t intervals only).
    random_state : int, numpy Generator or None
        Seed of the bootstrap and of the cross-validation folds.
    breakpoint : bool
        Also fit the two-segment model and choose between one and two segments by
        out-of-sample error (default False).
    min_segment : int
        Fewest points on either side of a break (default 5).
    n_folds : int
        Folds of the cross-validation that chooses between one and two segments (default 5).

    Examples
    --------
    >>> fit = TrendFit().fit([2010.0, 2011.0, 2012.0, 2013.0], [1.0, 4.0, 16.0, 64.0])
    >>> round(fit.growth_per_year_, 6), round(fit.doubling_years_, 6)
    (4.0, 0.5)
    """

    def __init__(
        self,
        *,
        confidence: float = DEFAULT_CONFIDENCE,
        n_boot: int = 0,
        random_state: int | np.random.Generator | None = None,
        breakpoint: bool = False,
        min_segment: int = 5,
        n_folds: int = 5,
    ) -> None:
        validate({"confidence": confidence, "n_boot": n_boot, "min_segment": min_segment,
                  "n_folds": n_folds}, CONSTRAINTS, owner="TrendFit", error=FitError)
        self.confidence = confidence
        self.n_boot = n_boot
        self.random_state = random_state
        self.breakpoint = breakpoint
        self.min_segment = min_segment
        self.n_folds = n_folds

    # -- fitting ----------------------------------------------------------------------------

    def fit(
        self,
        dates: ArrayLike | pd.Series,
        values: ArrayLike,
        *,
        names: Sequence[str] | None = None,
    ) -> TrendFit:
        """Fit log10(``values``) on the decimal year of ``dates``; returns ``self``.

        Rows without a date or with a non-positive value are refused (drop them first), so
        that what is fitted is exactly what was given.
        """
        year = decimal_year(dates)
        value = np.asarray(values, dtype=float)
        if year.shape != value.shape:
            raise FitError(f"dates and values differ in length ({len(year)} vs {len(value)})")
        bad = ~(np.isfinite(year) & np.isfinite(value) & (value > 0))
        if bad.any():
            rows = np.flatnonzero(bad)[:5].tolist()
            raise FitError(f"{int(bad.sum())} point(s) lack a date or a positive value (rows "
                           f"{rows}); drop them before fitting")
        if len(value) < MIN_POINTS:
            raise FitError(TOO_FEW.format(need=MIN_POINTS, got=len(value), what=""))
        if np.ptp(year) == 0:
            raise FitError(ONE_DATE.format(date=date_of(float(year[0])).isoformat()))
        y = np.log10(value)
        X = np.column_stack([np.ones_like(year), year])
        res = stats.ols(X, y)
        self.year_ = year
        self.log10_value_ = y
        self.names_ = list(names) if names is not None else None
        self.n_ = len(y)
        self.intercept_ = float(res.params[0])
        self.slope_ = float(res.params[1])
        self.slope_se_ = float(res.bse[1])
        self.cov_ = res.cov
        self.xtx_inv_ = res.xtx_inv
        self.resid_var_ = float(res.scale)
        self.df_resid_ = int(res.df_resid)
        self.r2_ = float(res.rsquared)
        t = _t(self.confidence, self.df_resid_)
        self.slope_ci_ = (self.slope_ - t * self.slope_se_, self.slope_ + t * self.slope_se_)
        self.growth_per_year_ = 10.0 ** self.slope_
        self.growth_ci_ = (10.0 ** self.slope_ci_[0], 10.0 ** self.slope_ci_[1])
        self.doubling_years_ = abs(doubling_from_slope(self.slope_))
        self.doubling_ci_ = _doubling_interval(*self.slope_ci_)
        self.halving_ = self.slope_ < 0
        self.start_ = float(year.min())
        self.end_ = float(year.max())
        self.boot_slopes_: FloatArray | None = None
        self.breakpoint_: BreakpointModel | None = None
        rng = _generator(self.random_state)
        if self.n_boot:
            self._bootstrap(X, y, rng)
        if self.breakpoint:
            self.breakpoint_ = self._fit_breakpoint(year, y, rng)
        return self

    def _bootstrap(self, X: FloatArray, y: FloatArray, rng: np.random.Generator) -> None:
        counts = stats.bootstrap_counts(self.n_, self.n_boot, rng).astype(float)
        coefs = stats.weighted_ols_batch(X, y, counts)
        self.boot_coef_ = coefs
        slopes = coefs[:, 1]
        self.boot_slopes_ = slopes
        tail = (1.0 - self.confidence) / 2.0
        ok = slopes[~np.isnan(slopes)]
        lo, hi = np.quantile(ok, [tail, 1.0 - tail])
        self.boot_slope_ci_ = (float(lo), float(hi))
        self.boot_growth_ci_ = (10.0 ** float(lo), 10.0 ** float(hi))
        self.boot_doubling_ci_ = _doubling_interval(float(lo), float(hi))

    # -- two segments -----------------------------------------------------------------------

    def _best_break(self, year: FloatArray, y: FloatArray) -> float | None:
        """The break year (midway between two dates) that minimises the two lines' SSR.

        Every split is scored at once from cumulative sums of the centred data: a segment's
        SSR is Syy − Sxy²/Sxx over its points, so no regression is refitted per candidate.
        """
        return best_break(year, y, self.min_segment)

    def _segment(self, year: FloatArray, y: FloatArray) -> Segment:
        res = stats.ols(np.column_stack([np.ones_like(year), year]), y)
        slope, se = float(res.params[1]), float(res.bse[1])
        t = _t(self.confidence, int(res.df_resid))
        return Segment(start=float(year.min()), end=float(year.max()), n=len(y), slope=slope,
                       intercept=float(res.params[0]), growth_per_year=10.0 ** slope,
                       growth_ci=(10.0 ** (slope - t * se), 10.0 ** (slope + t * se)))

    def _fit_breakpoint(
        self, year: FloatArray, y: FloatArray, rng: np.random.Generator
    ) -> BreakpointModel | None:
        tau = self._best_break(year, y)
        if tau is None:
            return None
        folds = np.arange(len(y)) % self.n_folds
        rng.shuffle(folds)
        err_one: list[float] = []
        err_two: list[float] = []
        for k in range(self.n_folds):
            test, train = folds == k, folds != k
            yt, xt = y[train], year[train]
            if np.ptp(xt) == 0:
                continue
            one = stats.ols(np.column_stack([np.ones_like(xt), xt]), yt).params
            err_one += list((y[test] - one[0] - one[1] * year[test]) ** 2)
            tk = self._best_break(xt, yt)
            if tk is None:
                err_two += list((y[test] - one[0] - one[1] * year[test]) ** 2)
                continue
            left_k = xt < tk
            pl = stats.ols(np.column_stack([np.ones(left_k.sum()), xt[left_k]]), yt[left_k]).params
            pr = stats.ols(np.column_stack([np.ones((~left_k).sum()), xt[~left_k]]),
                          yt[~left_k]).params
            xs = year[test]
            pred = np.where(xs < tk, pl[0] + pl[1] * xs, pr[0] + pr[1] * xs)
            err_two += list((y[test] - pred) ** 2)
        left = year < tau
        return BreakpointModel(
            break_year=tau,
            segments=(self._segment(year[left], y[left]), self._segment(year[~left], y[~left])),
            cv_mse_one=float(np.mean(err_one)), cv_mse_two=float(np.mean(err_two)),
            cv_gain_se=float(np.std(np.subtract(err_one, err_two), ddof=1)
                             / math.sqrt(len(err_one))),
            n_folds=self.n_folds,
        )

    # -- reading the fit --------------------------------------------------------------------

    def _require_fitted(self) -> None:
        if not hasattr(self, "slope_"):
            raise NotFittedError("this TrendFit is not fitted yet; call .fit(dates, values)")

    def predict(self, when: ArrayLike) -> Any:
        """Value of the one-line trend at ``when`` (dates or decimal years)."""
        self._require_fitted()
        year = decimal_year(np.atleast_1d(np.asarray(when, dtype=object)))
        out = 10.0 ** (self.intercept_ + self.slope_ * year)
        return float(out[0]) if np.ndim(when) == 0 else out

    def predict_interval(
        self,
        when: ArrayLike,
        *,
        kind: Literal["confidence", "prediction"] = "confidence",
        confidence: float | None = None,
    ) -> tuple[Any, Any]:
        """Interval of the trend at ``when``: of the line itself (``"confidence"``) or of a
        new point (``"prediction"``, wider by the scatter about the line)."""
        self._require_fitted()
        level = self.confidence if confidence is None else confidence
        year = decimal_year(np.atleast_1d(np.asarray(when, dtype=object)))
        X = np.column_stack([np.ones_like(year), year])
        var = np.einsum("ij,jk,ik->i", X, self.cov_, X)
        if kind == "prediction":
            var = var + self.resid_var_
        elif kind != "confidence":
            raise FitError(f"kind must be 'confidence' or 'prediction', got {kind!r}")
        half = _t(level, self.df_resid_) * np.sqrt(var)
        mid = self.intercept_ + self.slope_ * year
        lo, hi = 10.0 ** (mid - half), 10.0 ** (mid + half)
        if np.ndim(when) == 0:
            return float(lo[0]), float(hi[0])
        return lo, hi

    @property
    def summary(self) -> pd.DataFrame:
        """Growth per year, doubling (or halving) time and slope, with their intervals."""
        self._require_fitted()
        level = f"{100 * self.confidence:g}%"
        time_label = "halving years" if self.halving_ else "doubling years"
        rows = {
            "growth per year (×)": (self.growth_per_year_, *self.growth_ci_),
            time_label: (self.doubling_years_, *self.doubling_ci_),
            "slope (log10 / year)": (self.slope_, *self.slope_ci_),
        }
        frame = pd.DataFrame.from_dict(rows, orient="index",
                                       columns=["estimate", f"lower {level}", f"upper {level}"])
        if self.boot_slopes_ is not None:
            frame[f"boot lower {level}"] = [self.boot_growth_ci_[0], self.boot_doubling_ci_[0],
                                            self.boot_slope_ci_[0]]
            frame[f"boot upper {level}"] = [self.boot_growth_ci_[1], self.boot_doubling_ci_[1],
                                            self.boot_slope_ci_[1]]
        frame.index.name = f"log10(value) ~ year, n = {self.n_}"
        return frame

    def to_dict(self) -> dict[str, Any]:
        """The ``trend --json`` numbers (without the quantity and selection)."""
        self._require_fitted()
        out: dict[str, Any] = {
            "n": self.n_, "start": date_of(self.start_).isoformat(),
            "end": date_of(self.end_).isoformat(),
            "growth_per_year": self.growth_per_year_, "growth_ci": list(self.growth_ci_),
            "doubling_years": self.doubling_years_, "doubling_ci": list(self.doubling_ci_),
            "confidence": self.confidence, "halving": bool(self.halving_),
            "slope_log10_per_year": self.slope_, "slope_se": self.slope_se_,
            "intercept": self.intercept_, "r2": self.r2_,
        }
        if self.boot_slopes_ is not None:
            out["n_boot"] = self.n_boot
            out["growth_boot_ci"] = list(self.boot_growth_ci_)
            out["doubling_boot_ci"] = list(self.boot_doubling_ci_)
        if self.breakpoint:
            out["breakpoint"] = self.breakpoint_.to_dict() if self.breakpoint_ else None
        return out

    def _repr_html_(self) -> str:
        """The summary as an HTML table (notebooks), under the one-line description."""
        if not hasattr(self, "slope_"):
            return f"<p>{html.escape(repr(self))}</p>"
        return f"<p>{html.escape(repr(self))}</p>" + self.summary.to_html(float_format="%.4g")

    def __repr__(self) -> str:
        if not hasattr(self, "slope_"):
            return "TrendFit() (not fitted)"
        word = "halving" if self.halving_ else "doubling"
        return (f"TrendFit({self.growth_per_year_:.3g}×/yr [{self.growth_ci_[0]:.3g}, "
                f"{self.growth_ci_[1]:.3g}] at {self.confidence:.0%}, {word} every "
                f"{self.doubling_years_:.3g} yr, n={self.n_}, "
                f"{date_of(self.start_).isoformat()} to {date_of(self.end_).isoformat()})")


def _split_ssr(n: Any, sx: Any, sy: Any, sxx: Any, sxy: Any, syy: Any) -> Any:
    """SSR of the least-squares line through points given by their sums (vectorized)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        vxx = sxx - sx * sx / n
        vxy = sxy - sx * sy / n
        vyy = syy - sy * sy / n
        ssr = vyy - vxy * vxy / vxx
    return np.where(vxx > 1e-12 * np.maximum(sxx, 1e-300), np.maximum(ssr, 0.0), np.inf)


def best_break(year: ArrayLike, y: ArrayLike, min_segment: int) -> float | None:
    """The break year that minimises the SSR of two separate lines (None if none fits).

    Candidates lie midway between consecutive distinct years, with at least ``min_segment``
    points on each side.
    """
    x = np.asarray(year, dtype=float)
    v = np.asarray(y, dtype=float)
    order = np.argsort(x, kind="stable")
    x, v = x[order], v[order]
    n = len(x)
    if n < 2 * min_segment:
        return None
    xc, vc = x - x.mean(), v - v.mean()
    parts = np.stack([np.ones(n), xc, vc, xc * xc, xc * vc, vc * vc])
    left = np.cumsum(parts, axis=1)[:, :-1]  # sums over the first k points, k = 1 … n − 1
    right = parts.sum(axis=1)[:, None] - left
    k = np.arange(1, n)
    ok = (x[k - 1] < x[k]) & (k >= min_segment) & (n - k >= min_segment)
    if not ok.any():
        return None
    ssr = _split_ssr(*left) + _split_ssr(*right)
    ssr = np.where(ok, ssr, np.inf)
    i = int(np.argmin(ssr))
    if not np.isfinite(ssr[i]):
        return None
    return float((x[i] + x[i + 1]) / 2.0)


def fit_trend(
    dates: ArrayLike | pd.Series,
    values: ArrayLike,
    *,
    confidence: float = DEFAULT_CONFIDENCE,
    n_boot: int = 0,
    random_state: int | np.random.Generator | None = None,
    breakpoint: bool = False,
    names: Sequence[str] | None = None,
) -> TrendFit:
    """``TrendFit(confidence=…, n_boot=…, …).fit(dates, values)`` in one call."""
    return TrendFit(confidence=confidence, n_boot=n_boot, random_state=random_state,
                    breakpoint=breakpoint).fit(dates, values, names=names)
