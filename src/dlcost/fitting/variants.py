"""The regression variants of a scaling fit, one small strategy class each.

A variant decides three things, and nothing else: which rows take part (:meth:`Variant.rows`;
the frontier is a row filter), the design matrix (:meth:`Variant.design`; the time variant adds
a year column), and how the coefficients are solved, once and per bootstrap resample
(:meth:`Variant.solve`, :meth:`Variant.refit`; the quantile variant uses quantile regression).
:class:`~dlcost.fitting.models.BaseScalingFit` does the rest the same way for all of them.

Add a variant by subclassing :class:`Variant` and listing it in :data:`VARIANT_TYPES`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from dlcost import formatting as fmt
from dlcost.exceptions import ConvergenceWarning, FitError
from dlcost.fitting.data import state_of_the_art
from dlcost.stats import ols, quantile_irls, weighted_ols_batch

FloatArray = NDArray[np.float64]
#: Fewest points a two-coefficient fit takes (one more per extra coefficient).
MIN_POINTS = 3
#: Iteration limit of the quantile regression, the reference (statsmodels' QuantReg) and the
#: batched bootstrap refits alike.
QUANTREG_MAX_ITER = 5000


TOO_FEW_POINTS = (
    "a {form} fit needs at least {need} points with both an error and a compute value; "
    "{got} given{values}. Try: 1. another compute measure (--measure "
    "hardware_burden_consolidated or network_operations); 2. more sources (--data all); "
    "3. the 'ols' variant, which uses every result."
)
NO_SPREAD = (
    "every point has the same compute ({value:.3g} FLOP), so no slope can be fitted. "
    "Try another compute measure or more sources (--data all)."
)


def check_points(compute: FloatArray, error: FloatArray, *, need: int, form: str) -> None:
    """Refuse data a fit cannot use, quoting the offending values (:class:`FitError`)."""
    if len(compute) < need:
        values = ""
        if len(compute):
            pairs = ", ".join(f"({fmt.quantity(c, 'FLOP')}, {e:.4g})" for c, e in
                              zip(compute, error, strict=True))
            values = f": {pairs}"
        raise FitError(TOO_FEW_POINTS.format(form=form, need=need,
                                             got=len(compute), values=values))
    bad_c = ~(np.isfinite(compute) & (compute > 0))
    if bad_c.any():
        raise FitError(
            f"compute must be positive and finite; got {compute[bad_c][:5].tolist()} "
            f"(rows {np.flatnonzero(bad_c)[:5].tolist()}). Drop those rows first."
        )
    bad_e = ~(np.isfinite(error) & (error > 0) & (error < 1))
    if bad_e.any():
        raise FitError(
            f"errors must lie in (0, 1); got {error[bad_e][:5].tolist()} (rows "
            f"{np.flatnonzero(bad_e)[:5].tolist()}). An error is 1 − score/100."
        )
    if np.ptp(np.log10(compute)) == 0:
        raise FitError(NO_SPREAD.format(value=compute[0]))


@dataclass(frozen=True)
class Solution:
    """Coefficients of one fit and their statistics.

    Least-squares variants have a likelihood (``llf``, ``aic``, ``bic``), a residual variance
    and ``(XᵀX)⁻¹`` (for prediction intervals); quantile regression has none of these: they
    are ``None``, not NaN, and ``r2`` is Koenker and Machado's pseudo R² (``r2_kind``).
    """

    coef: FloatArray
    bse: FloatArray
    cov: FloatArray
    df_resid: int
    r2: float
    r2_kind: str = "R²"
    xtx_inv: FloatArray | None = None
    resid_var: float | None = None
    llf: float | None = None
    aic: float | None = None
    bic: float | None = None
    #: Warnings the solver raised (also re-issued as :class:`ConvergenceWarning` etc.).
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Refits:
    """Coefficients of every bootstrap resample; how many stopped before converging."""

    coef: FloatArray
    n_not_converged: int = 0


class Variant:
    """Ordinary least squares on every row (the base variant)."""

    name: ClassVar[str] = "ols"
    description: ClassVar[str] = "ordinary least squares on every result"
    #: The fit needs a year column (time trend, or ordering results for the frontier).
    needs_year: ClassVar[bool] = False
    #: The design has a year column after the constant and log10 compute.
    year_term: ClassVar[bool] = False
    least_squares: ClassVar[bool] = True

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    @property
    def min_points(self) -> int:
        return MIN_POINTS + (1 if self.year_term else 0)

    def param_names(self) -> list[str]:
        return ["intercept", "log10_compute"] + (["year"] if self.year_term else [])

    def rows(self, frame: pd.DataFrame, *, error_col: str, year_col: str) -> pd.DataFrame:
        """The rows this variant fits (all of them)."""
        return frame

    def design(self, x: FloatArray, year: FloatArray | None, base_year: int) -> FloatArray:
        cols = [np.ones_like(x), x]
        if self.year_term:
            assert year is not None
            cols.append(year - base_year)
        return np.column_stack(cols)

    def solve(self, X: FloatArray, y: FloatArray) -> Solution:
        res = ols(X, y)
        return Solution(coef=res.params, bse=res.bse, cov=res.cov, df_resid=res.df_resid,
                        r2=res.rsquared, xtx_inv=res.xtx_inv, resid_var=res.scale,
                        llf=res.llf, aic=res.aic, bic=res.bic)

    def refit(self, X: FloatArray, y: FloatArray, weights: FloatArray) -> Refits:
        return Refits(weighted_ols_batch(X, y, weights))


class Time(Variant):
    """OLS with a year trend: P = a + b·log10(C) + c·(year − base year)."""

    name = "time"
    description = "OLS with a year trend: P = a + b·log10(C) + c·(year − 2012)"
    needs_year = True
    year_term = True

    def rows(self, frame: pd.DataFrame, *, error_col: str, year_col: str) -> pd.DataFrame:
        lacking = frame[year_col].isna()
        if lacking.any():
            raise FitError(
                f"the time variant needs a year for every point; {int(lacking.sum())} "
                f"lack one (rows {list(frame.index[lacking])[:5]})"
            )
        return frame


class Frontier(Variant):
    """OLS on state-of-the-art results only: a row filter in front of OLS.

    A ``state_of_the_art`` column, if present, chooses the rows (it was computed over every
    result, also those without compute); otherwise it is computed from the rows given.
    """

    name = "frontier"
    description = "OLS on state-of-the-art results only (each beat every earlier one)"
    needs_year = True

    def rows(self, frame: pd.DataFrame, *, error_col: str, year_col: str) -> pd.DataFrame:
        if "state_of_the_art" in frame:
            keep = frame["state_of_the_art"].astype(bool)
        else:
            keep = state_of_the_art(frame, error_col=error_col)
        return frame[keep]


class Quantile(Variant):
    """The frontier by linear quantile regression at quantile ``q`` of *error*.

    ``q=0.1`` is the 10th percentile of error (the best results at each compute), i.e. the
    90th percentile of P. Solved by statsmodels' ``QuantReg`` (the reference); the bootstrap
    refits every resample at once (:func:`dlcost.stats.quantile_irls`) and counts those that
    reached the iteration limit.
    """

    name = "quantile"
    description = "frontier by quantile regression (the q-th quantile of error, default 0.1)"
    least_squares = False

    def __init__(self, q: float = 0.1) -> None:
        self.q = q

    def __repr__(self) -> str:
        return f"Quantile(q={self.q:g})"

    def solve(self, X: FloatArray, y: FloatArray) -> Solution:
        import statsmodels.api as sm
        from statsmodels.tools.sm_exceptions import IterationLimitWarning

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = sm.QuantReg(y, X).fit(q=1.0 - self.q, max_iter=QUANTREG_MAX_ITER)
        messages = []
        for w in caught:
            text = str(w.message)
            messages.append(text)
            if issubclass(w.category, IterationLimitWarning):
                warnings.warn(
                    f"the quantile regression stopped at its iteration limit "
                    f"({QUANTREG_MAX_ITER}) before converging: {text}",
                    ConvergenceWarning, stacklevel=4)
            else:
                warnings.warn(f"statsmodels (quantile regression): {text}", w.category,
                              stacklevel=4)
        return Solution(coef=np.asarray(res.params, dtype=float),
                        bse=np.asarray(res.bse, dtype=float),
                        cov=np.asarray(res.cov_params(), dtype=float),
                        df_resid=int(res.df_resid), r2=float(res.prsquared),
                        r2_kind="pseudo R²", warnings=messages)

    def refit(self, X: FloatArray, y: FloatArray, weights: FloatArray) -> Refits:
        batch = quantile_irls(X, y, weights, 1.0 - self.q, max_iter=QUANTREG_MAX_ITER)
        if batch.n_not_converged:
            warnings.warn(
                f"{batch.n_not_converged} of {len(weights)} bootstrap resamples of the quantile "
                "regression stopped at the iteration limit before converging; their last "
                "iterates are used", ConvergenceWarning, stacklevel=4)
        return Refits(batch.params, batch.n_not_converged)


#: name → strategy class, in the order the CLI lists them.
VARIANT_TYPES: dict[str, type[Variant]] = {
    v.name: v for v in (Variant, Time, Quantile, Frontier)
}
#: name → one-line description (the CLI's help and the docs).
VARIANTS: dict[str, str] = {name: v.description for name, v in VARIANT_TYPES.items()}


def make_variant(variant: str | Variant, *, quantile: float = 0.1) -> Variant:
    """The strategy for ``variant`` (a name, or a :class:`Variant` passed through)."""
    if isinstance(variant, Variant):
        return variant
    if variant not in VARIANT_TYPES:
        raise FitError(f"unknown variant {variant!r}; choose one of {', '.join(VARIANTS)}")
    if variant == Quantile.name:
        return Quantile(quantile)
    return VARIANT_TYPES[variant]()
