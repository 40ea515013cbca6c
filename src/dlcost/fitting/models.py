"""Scaling fits of error against compute: polynomial (power law) and exponential.

Both regress a performance ``P`` on log10 compute by ordinary least squares with a constant
(Thompson et al. 2022; METHODS.md §3):

- :class:`PolynomialFit`: ``P = log10(1/err) = a + b·log10(C)``, i.e. err = 10⁻ᵃ·C⁻ᵇ, so k-fold
  lower error costs k^(1/b) more compute;
- :class:`ExponentialFit`: ``P = 1/err = a + b·log10(C)``, i.e. C = 10^((1/err − a)/b).

Variants (``variant=``, a name or a :mod:`dlcost.fitting.variants` strategy object):

- ``"ols"``: the regression above;
- ``"time"``: adds a year trend, ``P = a + b·log10(C) + c·(year − 2012)``. METHODS.md writes it
  for log10(err); with P = −log10(err) every coefficient just changes sign;
- ``"quantile"``: the frontier by linear quantile regression. ``quantile=0.1`` is the 10th
  percentile of *error* (the best results at each compute), i.e. the 90th percentile of P;
- ``"frontier"``: OLS on state-of-the-art results only (those that beat every earlier one,
  :func:`dlcost.fitting.data.state_of_the_art`).

Options go in the constructor, data in :meth:`fit`, which returns ``self``; learned
attributes end in ``_``. Bootstrap intervals resample rows and refit every resample at once
(:mod:`dlcost.stats`), so 10,000 resamples take milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from dlcost.exceptions import FitError, NotFittedError
from dlcost.fitting._tdist import t_quantile, t_two_sided
from dlcost.fitting.data import Consolidation
from dlcost.fitting.reliability import thin_fit_reasons, verdict
from dlcost.fitting.resample import bootstrap_refits
from dlcost.fitting.variants import MIN_POINTS, VARIANTS, Variant, check_points, make_variant
from dlcost.parallel import Backend
from dlcost.stats import percentile_interval, pow10
from dlcost.validation import Interval, check, validate

__all__ = ["BASE_YEAR", "FORMS", "MIN_POINTS", "VARIANTS", "BaseScalingFit", "ExponentialFit",
           "PolynomialFit", "Provenance", "forms_for", "make_fit"]

#: The year the time variant counts from (AlexNet, METHODS.md §3).
BASE_YEAR = 2012
#: Declared constraints of the constructor (:mod:`dlcost.validation`).
FIT_CONSTRAINTS = {
    "alpha": Interval(float, 0, 1, closed="neither"),
    "quantile": Interval(float, 0, 1, closed="neither"),
    "n_boot": Interval(int, 0, None),
}

def _as_generator(random_state: int | np.random.Generator | None) -> np.random.Generator:
    if isinstance(random_state, np.random.Generator):
        return random_state
    return np.random.default_rng(random_state)


@dataclass(frozen=True)
class Provenance:
    """Where a fit's points came from, passed to :meth:`BaseScalingFit.fit` (projections,
    plots and the report say so)."""

    benchmark: str | None = None
    measure: str | None = None
    metric: str | None = None
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    consolidation: Consolidation | None = None


class BaseScalingFit:
    """What both forms share: the regression, its summary, prediction and inversion.

    Parameters
    ----------
    variant : {"ols", "time", "quantile", "frontier"} or a Variant
        Which regression (module docstring; :mod:`dlcost.fitting.variants`). Default ``"ols"``.
    alpha : float
        1 − confidence level of the intervals (default 0.05: 95 % intervals).
    quantile : float
        Quantile of *error* for ``variant="quantile"`` (default 0.1).
    n_boot : int
        Bootstrap resamples drawn by :meth:`fit` (default 0: none; call :meth:`bootstrap`).
    random_state : int, numpy Generator or None
        Seed of the bootstrap.
    base_year : int
        Year subtracted in the time variant (default 2012).
    """

    #: "poly" or "exp"; set by the subclass.
    form: ClassVar[str] = ""
    form_label: ClassVar[str] = ""
    response_label: ClassVar[str] = ""

    #: Provenance, set by :meth:`fit` from its ``provenance`` (None for a fit on a bare frame).
    benchmark_: str | None
    measure_: str | None
    metric_: str | None
    sources_: list[str] | None
    notes_: list[str] | None
    consolidation_: Consolidation | None

    def __init__(
        self,
        *,
        variant: str | Variant = "ols",
        alpha: float = 0.05,
        quantile: float = 0.1,
        n_boot: int = 0,
        random_state: int | np.random.Generator | None = None,
        base_year: int = BASE_YEAR,
    ) -> None:
        if not FIT_CONSTRAINTS["alpha"].is_satisfied_by(alpha):
            raise FitError(f"alpha must be in (0, 1), got {alpha!r} (0.05 gives 95% intervals)")
        validate({"quantile": quantile, "n_boot": n_boot}, FIT_CONSTRAINTS,
                 owner=type(self).__name__, error=FitError)
        #: The strategy (:class:`dlcost.fitting.variants.Variant`); ``variant`` is its name.
        self.strategy = make_variant(variant, quantile=quantile)
        self.variant = self.strategy.name
        self.alpha = alpha
        self.quantile = quantile
        self.n_boot = n_boot
        self.random_state = random_state
        self.base_year = base_year

    # -- the two forms differ only here -----------------------------------------------------

    @staticmethod
    def response(error: ArrayLike) -> NDArray[np.float64]:
        """Performance P as a function of error."""
        raise NotImplementedError

    @staticmethod
    def error_from_response(p: ArrayLike) -> NDArray[np.float64]:
        """Inverse of :meth:`response`."""
        raise NotImplementedError

    # -- fitting ----------------------------------------------------------------------------

    def fit(
        self,
        data: pd.DataFrame,
        *,
        compute_col: str = "compute_flop",
        error_col: str = "error",
        year_col: str = "year",
        provenance: Provenance | None = None,
    ) -> BaseScalingFit:
        """Fit to ``data`` (one row per result); returns ``self``.

        ``year_col`` is needed by the ``time`` and ``frontier`` variants. With
        ``variant="frontier"``, a ``state_of_the_art`` column, if present, chooses the rows
        (it was computed over every result, also those without compute); otherwise it is
        computed from the rows given. ``provenance`` says where the points came from
        (:func:`dlcost.fitting.fit_data` passes it).
        """
        strategy = self.strategy
        frame = self._select(data, compute_col, error_col, year_col)
        compute = frame[compute_col].to_numpy(dtype=float)
        error = frame[error_col].to_numpy(dtype=float)
        self._check(compute, error)
        x = np.log10(compute)
        y = self.response(error)
        year = frame[year_col].to_numpy(dtype=float) if strategy.year_term else None
        X = strategy.design(x, year, self.base_year)
        self.data_ = frame.reset_index(drop=True)
        self.compute_col_ = compute_col
        self.error_col_ = error_col
        self.year_col_ = year_col
        self._X, self._y = X, y
        self.n_ = len(y)
        self.param_names_ = strategy.param_names()
        solution = strategy.solve(X, y)
        self.coef_ = solution.coef
        self.bse_ = solution.bse
        self.cov_ = solution.cov
        self.xtx_inv_ = solution.xtx_inv
        self.r2_ = solution.r2
        self.r2_kind_ = solution.r2_kind
        self.aic_ = solution.aic
        self.bic_ = solution.bic
        self.llf_ = solution.llf
        self.df_resid_ = solution.df_resid
        self.resid_var_ = solution.resid_var
        self.fit_warnings_ = list(solution.warnings)
        self.log10_compute_range_ = (float(x.min()), float(x.max()))
        self.reliability_reasons_ = thin_fit_reasons(self.n_, self.log10_compute_range_)
        self.best_error_ = float(error.min())
        self.latest_year_ = (float(frame[year_col].max()) if year_col in frame
                             and frame[year_col].notna().any() else float("nan"))
        self._set_provenance(provenance)
        self.boot_coef_: NDArray[np.float64] | None = None
        self.boot_not_converged_ = 0
        if self.n_boot:
            self.bootstrap(self.n_boot, random_state=self.random_state)
        return self

    def _set_provenance(self, provenance: Provenance | None) -> None:
        p = provenance
        self.benchmark_ = p.benchmark if p else None
        self.measure_ = p.measure if p else None
        self.metric_ = p.metric if p else None
        self.sources_ = list(p.sources) if p else None
        self.notes_ = list(p.notes) if p else None
        self.consolidation_ = p.consolidation if p else None

    def _select(
        self, data: pd.DataFrame, compute_col: str, error_col: str, year_col: str
    ) -> pd.DataFrame:
        missing = [c for c in (compute_col, error_col) if c not in data]
        if self.strategy.needs_year and year_col not in data:
            missing.append(year_col)
        if missing:
            raise FitError(
                f"the data lack the column(s) {', '.join(map(repr, missing))}; columns given: "
                f"{', '.join(map(str, data.columns))}"
            )
        return self.strategy.rows(data, error_col=error_col, year_col=year_col)

    def _check(self, compute: NDArray[np.float64], error: NDArray[np.float64]) -> None:
        check_points(compute, error, need=self.strategy.min_points, form=self.form_label)

    # -- bootstrap --------------------------------------------------------------------------

    def bootstrap(self, n_boot: int = 2000, *,
                  random_state: int | np.random.Generator | None = None,
                  backend: Backend = "serial", workers: int | None = None) -> BaseScalingFit:
        """Resample rows ``n_boot`` times and refit every resample at once; returns ``self``.

        Sets ``boot_coef_`` (``n_boot × p``; NaN rows for the rare resample with no spread in
        compute) and ``boot_not_converged_`` (resamples of an iterative variant that stopped at
        the iteration limit; a :class:`~dlcost.exceptions.ConvergenceWarning` says so). Seeded
        by ``random_state`` (an int or a ``numpy.random.Generator``).

        Memory stays under ~300 MB at any ``n_boot`` (chunks, same draws); ``backend``
        ``"process"`` or ``"ray"`` refits chunks in parallel, same numbers
        (:mod:`dlcost.fitting.resample`).
        """
        self._require_fitted()
        check("n_boot", n_boot, Interval(int, 1, None), owner=f"{type(self).__name__}.bootstrap",
              error=FitError)
        rng = _as_generator(random_state)
        self.boot_coef_, self.boot_not_converged_ = bootstrap_refits(
            self.strategy, self._X, self._y, n_boot, rng, backend=backend, workers=workers)
        self.n_boot_ = n_boot
        return self

    # -- reading the fit --------------------------------------------------------------------

    def _require_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise NotFittedError(
                f"this {type(self).__name__} is not fitted yet; call .fit(data) first"
            )

    @property
    def intercept_(self) -> float:
        self._require_fitted()
        return float(self.coef_[0])

    @property
    def slope_(self) -> float:
        self._require_fitted()
        return float(self.coef_[1])

    @property
    def intercept_se_(self) -> float:
        self._require_fitted()
        return float(self.bse_[0])

    @property
    def slope_se_(self) -> float:
        self._require_fitted()
        return float(self.bse_[1])

    @property
    def year_coef_(self) -> float:
        """Year coefficient of the time variant (NaN otherwise)."""
        self._require_fitted()
        return float(self.coef_[2]) if self.strategy.year_term else float("nan")

    def conf_int(self, alpha: float | None = None) -> pd.DataFrame:
        """Normal-theory (t) confidence intervals of the coefficients."""
        self._require_fitted()
        alpha = self.alpha if alpha is None else alpha
        t = t_quantile(1.0 - alpha / 2.0, self.df_resid_)
        level = _pct(1.0 - alpha)
        return pd.DataFrame(
            {f"lower {level}": self.coef_ - t * self.bse_,
             f"upper {level}": self.coef_ + t * self.bse_},
            index=self.param_names_,
        )

    def boot_conf_int(self, alpha: float | None = None) -> pd.DataFrame:
        """Bootstrap percentile intervals of the coefficients (needs :meth:`bootstrap`)."""
        self._require_boot()
        assert self.boot_coef_ is not None
        alpha = self.alpha if alpha is None else alpha
        level = _pct(1.0 - alpha)
        bounds = [percentile_interval(self.boot_coef_[:, j], 1.0 - alpha)
                  for j in range(self.boot_coef_.shape[1])]
        return pd.DataFrame(
            {f"boot lower {level}": [b[0] for b in bounds],
             f"boot upper {level}": [b[1] for b in bounds]},
            index=self.param_names_,
        )

    def _require_boot(self) -> None:
        self._require_fitted()
        if self.boot_coef_ is None:
            raise NotFittedError(
                "no bootstrap yet: call .bootstrap(n_boot, random_state=…) or fit with n_boot > 0"
            )

    @property
    def summary(self) -> pd.DataFrame:
        """Coefficients with standard errors, t, p and intervals (bootstrap ones if drawn)."""
        self._require_fitted()
        t = self.coef_ / self.bse_
        frame = pd.DataFrame(
            {"coef": self.coef_, "se": self.bse_, "t": t,
             "p": [t_two_sided(float(v), self.df_resid_) for v in t]},
            index=self.param_names_,
        )
        frame = frame.join(self.conf_int())
        if self.boot_coef_ is not None:
            frame = frame.join(self.boot_conf_int())
        frame.index.name = f"{self.response_label} ~ log10(compute / FLOP)"
        return frame

    def print_summary(self, decimals: int = 4) -> None:
        """Print :attr:`summary` with the fit statistics."""
        print(repr(self))
        stats = f"{self.r2_kind_} = {self.r2_:.{decimals}f}   n = {self.n_}"
        if self.aic_ is not None and self.bic_ is not None:
            stats += f"   AIC = {self.aic_:.2f}   BIC = {self.bic_:.2f}"
        print(stats)
        print(self.summary.round(decimals).to_string())

    @property
    def reliability_reason_(self) -> str | None:
        """Why the fit is thin (:mod:`dlcost.fitting.reliability`), in one sentence, or None."""
        self._require_fitted()
        return verdict(self.reliability_reasons_)

    reliable_ = property(lambda self: self.reliability_reason_ is None,
                         doc="False for a thin fit: its numbers are shown, never headlined.")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: form, variant, n, coefficients, standard errors, R², AIC, BIC, and
        whether the fit is reliable (``"reliable"``, with the ``"reason"`` when it is not)."""
        self._require_fitted()
        ci = self.conf_int().to_numpy()
        out: dict[str, Any] = {
            "reliable": self.reliable_, "reason": self.reliability_reason_,
            "form": self.form, "variant": self.variant, "n": self.n_,
            "intercept": self.intercept_, "slope": self.slope_,
            "intercept_se": self.intercept_se_, "slope_se": self.slope_se_,
            "intercept_ci": ci[0].tolist(), "slope_ci": ci[1].tolist(),
            "r2": self.r2_, "aic": self.aic_, "bic": self.bic_,
            "confidence": 1.0 - self.alpha,
        }
        if self.strategy.year_term:
            out["year_coef"] = self.year_coef_
            out["year_se"] = float(self.bse_[2])
        if not self.strategy.least_squares:
            out["quantile"] = self.quantile
            out["r2_kind"] = self.r2_kind_
        if self.fit_warnings_:
            out["warnings"] = list(self.fit_warnings_)
        if self.boot_coef_ is not None:
            boot = self.boot_conf_int().to_numpy()
            out["n_boot"] = int(self.boot_coef_.shape[0])
            out["boot_not_converged"] = self.boot_not_converged_
            out["intercept_boot_ci"] = boot[0].tolist()
            out["slope_boot_ci"] = boot[1].tolist()
        return out

    def __repr__(self) -> str:
        if not hasattr(self, "coef_"):
            return f"{type(self).__name__}(variant={self.variant!r}) (not fitted)"
        extra = f", year {self.year_coef_:+.4f}/yr" if self.strategy.year_term else ""
        q = "" if self.strategy.least_squares else f", q={self.quantile:g}"
        return (
            f"{type(self).__name__}({self.response_label} = {self.intercept_:.4f} + "
            f"{self.slope_:.4f}·log10(C){extra}; variant={self.variant!r}{q}, "
            f"n={self.n_}, {self.r2_kind_}={self.r2_:.3f})"
        )

    # -- prediction and inversion -----------------------------------------------------------

    def _year_offset(self, year: float | None) -> float:
        if not self.strategy.year_term:
            return 0.0
        year = self.latest_year_ if year is None else year
        return float(year) - self.base_year

    def _fixed_part(self, coef: NDArray[np.float64], year: float | None) -> Any:
        """Intercept plus the year term: the part of P that does not depend on compute."""
        fixed = coef[..., 0]
        if self.strategy.year_term:
            fixed = fixed + coef[..., 2] * self._year_offset(year)
        return fixed

    def predict(self, compute_flop: ArrayLike, *, year: float | None = None) -> NDArray[np.float64]:
        """Error predicted at ``compute_flop`` (FLOP); the time variant uses ``year``
        (default: the latest year in the data)."""
        self._require_fitted()
        x = np.log10(np.asarray(compute_flop, dtype=float))
        p = self._fixed_part(self.coef_, year) + self.coef_[1] * x
        return self.error_from_response(p)

    def log10_compute_for(
        self,
        error: ArrayLike,
        *,
        year: float | None = None,
        coef: NDArray[np.float64] | None = None,
    ) -> NDArray[np.float64]:
        """log10 of the compute (FLOP) at which the fit reaches ``error``.

        ``coef`` may be a ``(B, p)`` array of coefficients (bootstrap resamples): the result
        is then ``(B, len(error))``. A non-positive slope (more compute does not help) gives
        +inf.
        """
        self._require_fitted()
        c = self.coef_ if coef is None else np.asarray(coef, dtype=float)
        target = self.response(np.asarray(error, dtype=float))
        fixed = np.asarray(self._fixed_part(c, year), dtype=float)
        slope = np.asarray(c[..., 1], dtype=float)
        if c.ndim == 2:
            fixed, slope = fixed[:, None], slope[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            x = (target - fixed) / slope
        return np.where(slope > 0, x, np.inf)

    def compute_for(self, error: float | ArrayLike, *, year: float | None = None) -> Any:
        """Compute (FLOP) at which the fit reaches ``error`` (a float or an array).

        Raises :class:`FitError` when the slope is not positive: the data then say that more
        compute does not lower the error, and no finite compute reaches the target.
        """
        self._require_fitted()
        errors = np.asarray(error, dtype=float)
        if np.any((errors <= 0) | (errors >= 1)):
            raise FitError(f"target errors must lie in (0, 1); got {errors.tolist()}")
        if self.slope_ <= 0:
            raise FitError(
                f"the fitted slope is {self.slope_:.4g} ≤ 0: more compute does not lower the "
                "error in these data, so no compute reaches a lower error. Try another measure "
                "or variant."
            )
        with np.errstate(over="ignore"):  # beyond 1e308 FLOP is inf, and says so
            flop = 10.0 ** self.log10_compute_for(errors, year=year)
        return float(flop) if np.ndim(error) == 0 else flop

    def compute_interval(
        self,
        error: float,
        *,
        kind: Literal["bootstrap", "prediction"] = "bootstrap",
        alpha: float | None = None,
        year: float | None = None,
    ) -> tuple[float, float]:
        """Interval (FLOP) of the compute needed for ``error``.

        ``kind="bootstrap"``: percentile interval of the inverted fit over the bootstrap
        resamples (uncertainty of the *curve*). ``kind="prediction"``: the inverse prediction
        interval — the compute range at which a new model reaching ``error`` would be within
        the scatter of the data (Fieller/Graybill calibration interval; unbounded when the
        slope is not significant at that level). OLS variants only.
        """
        alpha = self.alpha if alpha is None else alpha
        if kind == "bootstrap":
            self._require_boot()
            logs = self.log10_compute_for([error], year=year, coef=self.boot_coef_)[:, 0]
            lo, hi = percentile_interval(logs, 1.0 - alpha)
        else:
            lo, hi = self._inverse_prediction_interval(error, alpha, year)
        return pow10(lo), pow10(hi)

    def _inverse_prediction_interval(
        self, error: float, alpha: float, year: float | None
    ) -> tuple[float, float]:
        self._require_fitted()
        if self.xtx_inv_ is None or self.resid_var_ is None:
            raise FitError(
                "prediction intervals need a least-squares fit; the quantile variant has no "
                "residual variance. Use the bootstrap interval instead."
            )
        t2 = t_quantile(1.0 - alpha / 2.0, self.df_resid_) ** 2 * self.resid_var_
        m = self.xtx_inv_
        u = np.zeros(len(self.coef_))
        u[0] = 1.0
        if self.strategy.year_term:
            u[2] = self._year_offset(year)
        e = np.zeros_like(u)
        e[1] = 1.0
        b = self.slope_
        r = float(self.response(np.asarray(error, dtype=float))) - float(u @ self.coef_)
        # (r − b x)² ≤ t² s² (1 + (u + x e)ᵀ M (u + x e)): a quadratic A x² − 2 B x + C ≤ 0.
        a_ = b * b - t2 * float(e @ m @ e)
        b_ = r * b + t2 * float(u @ m @ e)
        c_ = r * r - t2 * (1.0 + float(u @ m @ u))
        if a_ <= 0:
            return (-math.inf, math.inf)
        disc = b_ * b_ - a_ * c_
        root = math.sqrt(max(disc, 0.0))
        return ((b_ - root) / a_, (b_ + root) / a_)

    def predict_band(
        self, compute_flop: ArrayLike, *, alpha: float | None = None, year: float | None = None
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Bootstrap percentile band of the predicted error at each ``compute_flop``."""
        self._require_boot()
        assert self.boot_coef_ is not None
        alpha = self.alpha if alpha is None else alpha
        x = np.log10(np.asarray(compute_flop, dtype=float))
        p = (np.asarray(self._fixed_part(self.boot_coef_, year))[:, None]
             + self.boot_coef_[:, 1][:, None] * x[None, :])
        tail = alpha / 2.0
        lo_p, hi_p = np.nanquantile(p, [tail, 1.0 - tail], axis=0)
        # Higher performance means lower error: the band flips.
        return self.error_from_response(hi_p), self.error_from_response(lo_p)


class PolynomialFit(BaseScalingFit):
    """Power law: log10(1/err) = a + b·log10(C) (err = 10⁻ᵃ·C⁻ᵇ).

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"compute_flop": [1e18, 1e19, 1e20, 1e21],
    ...                      "error": [0.4, 0.4 * 10**-0.1, 0.4 * 10**-0.2, 0.4 * 10**-0.3]})
    >>> fit = PolynomialFit().fit(data)
    >>> round(fit.slope_, 6)
    0.1
    >>> f"{fit.compute_for(0.2):.3g}"  # half the error of 1e18 FLOP: 2^(1/b) = 1024× more
    '1.02e+21'
    """

    form = "poly"
    form_label = "polynomial"
    response_label = "log10(1/err)"

    @staticmethod
    def response(error: ArrayLike) -> NDArray[np.float64]:
        return -np.log10(np.asarray(error, dtype=float))

    @staticmethod
    def error_from_response(p: ArrayLike) -> NDArray[np.float64]:
        return 10.0 ** (-np.asarray(p, dtype=float))


class ExponentialFit(BaseScalingFit):
    """Exponential: 1/err = a + b·log10(C) (C = 10^((1/err − a)/b))."""

    form = "exp"
    form_label = "exponential"
    response_label = "1/err"

    @staticmethod
    def response(error: ArrayLike) -> NDArray[np.float64]:
        return 1.0 / np.asarray(error, dtype=float)

    @staticmethod
    def error_from_response(p: ArrayLike) -> NDArray[np.float64]:
        with np.errstate(divide="ignore"):
            return 1.0 / np.asarray(p, dtype=float)


FORMS: dict[str, type[BaseScalingFit]] = {"poly": PolynomialFit, "exp": ExponentialFit}


def make_fit(form: str, **options: Any) -> BaseScalingFit:
    """A fit of ``form`` (``"poly"`` or ``"exp"``) with constructor ``options``."""
    if form not in FORMS:
        raise FitError(f"unknown form {form!r}; choose 'poly' (power law) or 'exp' (exponential)")
    return FORMS[form](**options)


def _pct(level: float) -> str:
    text = f"{100 * level:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def forms_for(form: str) -> Sequence[str]:
    """``"both"`` → ``("poly", "exp")``; one form → itself (checked)."""
    if form == "both":
        return ("poly", "exp")
    if form not in FORMS:
        raise FitError(f"unknown form {form!r}; choose poly, exp or both")
    return (form,)
