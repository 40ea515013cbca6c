"""Algorithmic progress from the paper's time-trend regression (METHODS.md §9).

The ``time`` variant fits P = a + b·log10(C) + c·(year − 2012), with P = log10(1/err) (or
1/err). Holding P fixed, one year of progress stands in for c/b decades of compute, so

- the compute-equivalent efficiency gain per year is 10^(c/b);
- the compute needed for a fixed error halves every log10(2)/(c/b) years (× 12 for months).

Intervals: the delta method on (b, c) with their covariance — se(c/b)² = g ᵀ Σ g with
g = (−c/b², 1/b) — and, when the fit has bootstrap resamples, the percentile interval of
c/b over them. Both are on c/b and mapped through the (monotone) transforms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from dlcost.exceptions import FitError
from dlcost.stats import pow10
from dlcost.trends.anchors import ERDIL_BESIROGLU_2022

if TYPE_CHECKING:
    from dlcost.fitting import BaseScalingFit

LOG10_2 = math.log10(2.0)
MONTHS_PER_YEAR = 12


def _halving_months(decades_per_year: float) -> float:
    return MONTHS_PER_YEAR * LOG10_2 / decades_per_year if decades_per_year > 0 else math.inf


def _halving_interval(lo: float, hi: float) -> tuple[float, float]:
    """Halving-time interval from an interval of c/b; unbounded when it reaches 0 or below."""
    return (_halving_months(hi), _halving_months(lo) if lo > 0 else math.inf)


@dataclass(frozen=True)
class AlgorithmicProgress:
    """Compute-equivalent gain per year and halving time of the compute for a fixed error."""

    benchmark: str | None
    decades_per_year: float
    decades_per_year_se: float
    per_year: float
    per_year_ci: tuple[float, float]
    halving_months: float
    halving_months_ci: tuple[float, float]
    confidence: float
    per_year_boot_ci: tuple[float, float] | None = None
    halving_months_boot_ci: tuple[float, float] | None = None
    n_boot: int = 0
    n: int = 0

    def to_dict(self) -> dict[str, Any]:
        """``{"per_year", "per_year_ci", "halving_months", "halving_months_ci", …}``."""
        return {
            "per_year": self.per_year, "per_year_ci": list(self.per_year_ci),
            "halving_months": self.halving_months,
            "halving_months_ci": list(self.halving_months_ci),
            "confidence": self.confidence, "interval": "delta method",
            "decades_of_compute_per_year": self.decades_per_year,
            "decades_of_compute_per_year_se": self.decades_per_year_se,
            "per_year_boot_ci": list(self.per_year_boot_ci) if self.per_year_boot_ci else None,
            "halving_months_boot_ci": (list(self.halving_months_boot_ci)
                                       if self.halving_months_boot_ci else None),
            "n_boot": self.n_boot, "n": self.n,
            "anchor": {k: (list(v) if isinstance(v, tuple) else v)
                       for k, v in ERDIL_BESIROGLU_2022.items()},
        }

    def __str__(self) -> str:
        lo, hi = self.halving_months_ci
        return (f"algorithmic progress: {self.per_year:.3g}× less compute per year for the same "
                f"error ({self.confidence:.0%} CI {self.per_year_ci[0]:.3g}–"
                f"{self.per_year_ci[1]:.3g}); compute needs halve every "
                f"{self.halving_months:.3g} months ({lo:.3g}–{hi:.3g})")


def algorithmic_progress(
    fit: BaseScalingFit, *, confidence: float | None = None
) -> AlgorithmicProgress:
    """The algorithmic progress implied by a fitted ``time``-variant scaling fit.

    ``confidence`` defaults to the fit's (1 − alpha). Bootstrap intervals are added when the
    fit has resamples (``fit.bootstrap(n)`` or ``n_boot=`` when fitting).

    Raises
    ------
    FitError
        If the fit is not the ``time`` variant, or its compute slope b is not positive (then
        compute does not buy error and no compute-equivalence exists).
    """
    if getattr(fit, "variant", None) != "time":
        raise FitError("algorithmic progress needs the time-trend fit (variant 'time'): "
                       "P = a + b·log10(C) + c·(year − 2012)")
    fit._require_fitted()
    boot = getattr(fit, "boot_coef_", None)
    return progress_from_coefficients(
        float(fit.coef_[1]), float(fit.coef_[2]), np.asarray(fit.cov_, dtype=float)[1:3, 1:3],
        df_resid=int(fit.df_resid_), confidence=1.0 - fit.alpha if confidence is None
        else confidence, boot=None if boot is None else boot[:, 1:3],
        benchmark=fit.benchmark_, n=int(fit.n_))


def progress_from_coefficients(
    b: float,
    c: float,
    cov: Any,
    *,
    df_resid: int | None = None,
    confidence: float = 0.95,
    boot: Any = None,
    benchmark: str | None = None,
    n: int = 0,
) -> AlgorithmicProgress:
    """Algorithmic progress from a compute coefficient ``b`` and a year coefficient ``c``.

    For any regression P = … + b·log10(C) + c·year (a benchmark, a capability index):
    ``cov`` is the 2 × 2 covariance of (b, c); ``df_resid`` gives t quantiles (None: normal);
    ``boot`` an optional ``(B, 2)`` array of resampled (b, c).
    """
    from dlcost.stats import norm_ppf, t_ppf

    if not 0 < confidence < 1:
        raise FitError(f"confidence must be in (0, 1), got {confidence!r}")
    if b <= 0:
        raise FitError(f"{benchmark or 'this fit'}: the compute slope b is {b:.4g} ≤ 0, so "
                       "a year of progress has no compute equivalent")
    g = c / b
    grad = np.array([-c / b**2, 1.0 / b])
    cov = np.asarray(cov, dtype=float)
    se = float(math.sqrt(max(float(grad @ cov @ grad), 0.0)))
    q = 0.5 + confidence / 2.0
    t = float(t_ppf(q, df_resid) if df_resid else norm_ppf(q))
    lo, hi = g - t * se, g + t * se
    boot_per_year = boot_halving = None
    n_boot = 0
    if boot is not None:
        boot = np.asarray(boot, dtype=float)
        bb, bc = boot[:, 0], boot[:, 1]
        ok = bb > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            gb = bc[ok] / bb[ok]
        gb = gb[np.isfinite(gb)]
        n_boot = int(boot.shape[0])
        if gb.size:
            tail = (1.0 - confidence) / 2.0
            blo, bhi = (float(v) for v in np.quantile(gb, [tail, 1.0 - tail]))
            boot_per_year = (pow10(blo), pow10(bhi))
            boot_halving = _halving_interval(blo, bhi)
    return AlgorithmicProgress(
        benchmark=benchmark, decades_per_year=g, decades_per_year_se=se,
        per_year=pow10(g), per_year_ci=(pow10(lo), pow10(hi)),
        halving_months=_halving_months(g), halving_months_ci=_halving_interval(lo, hi),
        confidence=confidence, per_year_boot_ci=boot_per_year,
        halving_months_boot_ci=boot_halving, n_boot=n_boot, n=n,
    )
