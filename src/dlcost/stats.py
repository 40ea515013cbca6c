"""Least squares and quantile regression in closed form, one sample or many at once.

Shared by :mod:`dlcost.fitting` (scaling fits and their bootstrap) and :mod:`dlcost.decompose`
(growth trends); it depends on numpy alone (and scipy.special for the quantiles), so every
layer may use it.

The bootstrap refits a regression thousands of times. Looping over resamples in Python and
calling statsmodels each time costs milliseconds per resample; here a resample is a row of a
``(n_boot, n)`` matrix of counts (how often each row was drawn), and every resample is solved
at once from weighted normal equations — a few array operations for all of them.

Weighted by counts, the normal equations of a resample are ``(Xᵀ W X) β = Xᵀ W y``, which is
exactly OLS on the resampled rows (a row drawn twice counts twice).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

#: Resamples whose design has (numerically) no spread in a regressor cannot be solved; their
#: coefficients are NaN. The threshold is relative to the scale of ``XᵀWX``.
_SINGULAR_RTOL = 1e-10


def t_ppf(q: Any, df: Any) -> Any:
    """Student t quantile: ``scipy.stats.t.ppf(q, df)`` bit for bit (the routine it calls,
    ``scipy.special.stdtrit``), without importing ``scipy.stats`` (~0.45 s)."""
    from scipy.special import stdtrit

    return stdtrit(df, q)


def norm_ppf(q: Any) -> Any:
    """Standard normal quantile: ``scipy.stats.norm.ppf(q)`` bit for bit (its routine,
    ``scipy.special.ndtri``), without importing ``scipy.stats``."""
    from scipy.special import ndtri

    return ndtri(q)


def pow10(x: float) -> float:
    """10**x as a float; beyond the float range (≈1e308) it is inf, not an OverflowError."""
    with np.errstate(over="ignore"):
        return float(np.power(10.0, x))


def percentile_interval(samples: FloatArray, level: float) -> tuple[float, float]:
    """Central percentile interval at ``level`` of bootstrap samples.

    Resamples that failed (NaN) are left out, ±inf are kept; an empty sample gives NaNs.
    """
    finite_or_inf = samples[~np.isnan(samples)]
    if finite_or_inf.size == 0:
        return (float("nan"), float("nan"))
    tail = (1.0 - level) / 2.0
    with np.errstate(invalid="ignore"):  # inf − inf while interpolating: handled below
        lo, hi = np.quantile(finite_or_inf, [tail, 1.0 - tail])
    # Interpolating between two infinities gives NaN; the bound is then that infinity.
    if np.isnan(lo):
        lo = -np.inf
    if np.isnan(hi):
        hi = np.inf
    return float(lo), float(hi)


@dataclass(frozen=True)
class OLSResult:
    """Ordinary least squares with a constant, plain (non-robust) standard errors.

    Matches ``statsmodels.OLS(y, X).fit()``: ``params``, ``bse``, ``rsquared``, ``llf``,
    ``aic``, ``bic``, ``cov_params()`` (``cov``) and ``df_resid``.
    """

    params: FloatArray
    bse: FloatArray
    cov: FloatArray
    #: (XᵀX)⁻¹, the covariance up to the residual variance (for prediction intervals).
    xtx_inv: FloatArray
    ssr: float
    rsquared: float
    nobs: int
    df_resid: int
    llf: float
    aic: float
    bic: float

    @property
    def scale(self) -> float:
        """Residual variance s² = SSR / (n − p)."""
        return self.ssr / self.df_resid


def ols(X: FloatArray, y: FloatArray) -> OLSResult:
    """Fit y = Xβ by least squares; ``X`` includes the constant column.

    The log-likelihood assumes Gaussian errors with variance SSR/n (as statsmodels does), so
    AIC = −2 llf + 2p and BIC = −2 llf + p log n with p the number of coefficients.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, p = X.shape
    params, r = _qr_solve(X, y)
    resid = y - X @ params
    ssr = float(resid @ resid)
    centered = y - y.mean()
    sst = float(centered @ centered)
    df_resid = n - p
    r_inv = np.linalg.inv(r)
    xtx_inv = r_inv @ r_inv.T
    cov = xtx_inv * (ssr / df_resid)
    with np.errstate(divide="ignore"):  # a perfect fit has SSR = 0 and llf = +inf
        llf = -n / 2.0 * (np.log(2.0 * np.pi) + np.log(ssr / n) + 1.0)
    return OLSResult(
        params=params,
        bse=np.sqrt(np.diag(cov)),
        cov=cov,
        xtx_inv=xtx_inv,
        ssr=ssr,
        rsquared=1.0 - ssr / sst if sst > 0 else float("nan"),
        nobs=n,
        df_resid=df_resid,
        llf=float(llf),
        aic=float(-2.0 * llf + 2.0 * p),
        bic=float(-2.0 * llf + p * np.log(n)),
    )


def _qr_solve(X: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    q, r = np.linalg.qr(X)
    params: FloatArray = np.linalg.solve(r, q.T @ y)
    return params, r


def ols_params(X: FloatArray, y: FloatArray) -> FloatArray:
    """The coefficients of :func:`ols`, bit for bit, without its statistics (for loops that
    refit many subsets and need only the coefficients, e.g. leave-one-out)."""
    return _qr_solve(np.asarray(X, dtype=float), np.asarray(y, dtype=float))[0]


def bootstrap_counts(n: int, n_boot: int, rng: np.random.Generator) -> NDArray[np.int64]:
    """``(n_boot, n)`` counts: how many times each of ``n`` rows is drawn in each resample.

    Rows are drawn uniformly with replacement, ``n`` per resample; the draws come as one
    ``(n_boot, n)`` array of indices, turned into counts with a single ``bincount``.
    """
    idx = rng.integers(0, n, size=(n_boot, n))
    return counts_from_indices(idx, n)


def counts_from_indices(idx: NDArray[np.integer], n: int) -> NDArray[np.int64]:
    """Counts per row from a ``(n_boot, m)`` array of row indices in ``[0, n)``."""
    n_boot = idx.shape[0]
    offsets = (np.arange(n_boot, dtype=np.int64) * n)[:, None]
    flat = (idx.astype(np.int64) + offsets).ravel()
    return np.bincount(flat, minlength=n_boot * n).reshape(n_boot, n)


def weighted_ols_batch(X: FloatArray, y: FloatArray, weights: FloatArray) -> FloatArray:
    """Coefficients of weighted least squares for each row of ``weights``, all at once.

    Parameters
    ----------
    X : (n, p) design with the constant column.
    y : (n,) response.
    weights : (B, n) non-negative weights (bootstrap counts, or counts × an availability mask).

    Returns
    -------
    (B, p) coefficients; NaN for a resample whose design is singular (e.g. one distinct x).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    W = np.asarray(weights, dtype=float)
    n, p = X.shape
    const = _constant_column(X)
    if p == 2 and const == 0:
        return _simple_regression_batch(X[:, 1], y, W)
    # Centre the columns to keep the normal equations well conditioned (log10 FLOP ≈ 20).
    shift = X.mean(axis=0)
    shift[np.all(X[0] == X, axis=0)] = 0.0  # leave the constant column alone
    Xc = X - shift
    outer = (Xc[:, :, None] * Xc[:, None, :]).reshape(n, p * p)
    xtwx = (W @ outer).reshape(-1, p, p)
    xtwy = W @ (Xc * y[:, None])
    scale = np.abs(xtwx).reshape(-1, p * p).max(axis=1)
    det = np.linalg.det(xtwx)
    singular = ~(np.abs(det) > _SINGULAR_RTOL * np.maximum(scale, 1e-300) ** p)
    xtwx[singular] = np.eye(p)
    beta = np.linalg.solve(xtwx, xtwy[:, :, None])[:, :, 0]
    beta[singular] = np.nan
    # Undo the centring: the intercept absorbs shift · slopes.
    if const is not None:
        beta[:, const] -= beta @ shift
    return beta


def _simple_regression_batch(x: FloatArray, y: FloatArray, W: FloatArray) -> FloatArray:
    """y = a + b·x for each row of weights: five weighted sums, no matrix solve.

    b = Σw(x−x̄)(y−ȳ) / Σw(x−x̄)², a = ȳ − b x̄, with x and y centred on their plain means
    first so that the sums do not cancel (log10 FLOP is about 20).
    """
    xm, ym = x.mean(), y.mean()
    xc, yc = x - xm, y - ym
    s0 = W.sum(axis=1)
    sx = W @ xc
    sy = W @ yc
    sxx = W @ (xc * xc)
    sxy = W @ (xc * yc)
    with np.errstate(divide="ignore", invalid="ignore"):
        mx, my = sx / s0, sy / s0
        vxx = sxx - s0 * mx * mx
        slope = (sxy - s0 * mx * my) / vxx
    singular = ~(vxx > _SINGULAR_RTOL * np.maximum(sxx, 1e-300))
    slope = np.where(singular, np.nan, slope)
    intercept = (my + ym) - slope * (mx + xm)
    return np.column_stack([intercept, slope])


def _constant_column(X: FloatArray) -> int | None:
    for j in range(X.shape[1]):
        if np.all(X[:, j] == X[0, j]) and X[0, j] == 1.0:
            return j
    return None


@dataclass(frozen=True)
class QuantileBatch:
    """Quantile-regression coefficients for many resamples, and which of them converged.

    A resample that reached ``max_iter`` keeps its last iterate in ``params`` (usually close);
    ``converged`` says which did not, so callers can count and report them.
    """

    params: FloatArray
    converged: NDArray[np.bool_]

    @property
    def n_not_converged(self) -> int:
        """Resamples that were solvable but stopped at the iteration limit."""
        solvable = ~np.isnan(self.params).any(axis=1)
        return int(np.count_nonzero(solvable & ~self.converged))


def quantile_irls_batch(
    X: FloatArray, y: FloatArray, weights: FloatArray, q: float, **options: Any
) -> FloatArray:
    """Linear quantile regression at quantile ``q`` for each row of ``weights``, all at once.

    The coefficients of :func:`quantile_irls` (same ``max_iter``, ``tol``), which also says
    which resamples converged.
    """
    return quantile_irls(X, y, weights, q, **options).params


def quantile_irls(
    X: FloatArray,
    y: FloatArray,
    weights: FloatArray,
    q: float,
    *,
    max_iter: int = 1000,
    tol: float = 1e-6,
) -> QuantileBatch:
    """Linear quantile regression at quantile ``q`` for each row of ``weights``, all at once.

    Iteratively reweighted least squares on the check loss, as ``statsmodels.QuantReg`` does
    (same residual floor of 1e-6 and the same stopping rule on the change in β), but with
    every resample advancing together. Rows of ``weights`` are bootstrap counts.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    W = np.asarray(weights, dtype=float)
    beta = weighted_ols_batch(X, y, W)
    bad = np.asarray(np.isnan(beta).any(axis=1), dtype=bool)
    beta[bad] = 0.0
    active = np.logical_not(bad)
    for _ in range(max_iter):
        if not active.any():
            break
        b = beta[active]
        resid = y[None, :] - b @ X.T
        small = np.abs(resid) < 1e-6
        resid = np.where(small, np.where(resid < 0, -1e-6, 1e-6), resid)
        check = np.where(resid < 0, 1.0 - q, q) / np.abs(resid)
        new = weighted_ols_batch(X, y, W[active] * check)
        new = np.where(np.isnan(new), b, new)
        change = np.max(np.abs(new - b), axis=1)
        beta[active] = new
        still = change > tol
        idx = np.flatnonzero(active)
        active[idx[~still]] = False
    beta[bad] = np.nan
    # Still active after max_iter: did not meet the stopping rule.
    return QuantileBatch(params=beta, converged=np.logical_not(active))


#: Cells (resamples × rows) drawn and solved at once by :func:`bootstrap_index_chunks`: 32 MB
#: per int64/float64 array. A chunk's working set is about 3 such arrays for least squares and
#: 6 for the quantile IRLS (measured with tracemalloc), so the peak stays under 300 MB
#: whatever the number of resamples (only the (n_boot, p) coefficients grow with it). Large
#: enough that dlcost's default bootstraps (2,000 resamples of ≤ 2,000 rows) are one chunk.
BOOT_CHUNK_CELLS = 1 << 22


def bootstrap_chunk_sizes(n: int, n_boot: int, chunk_cells: int | None = None) -> list[int]:
    """Resamples per chunk: as many as fit in ``chunk_cells`` cells (at least one)."""
    cells = BOOT_CHUNK_CELLS if chunk_cells is None else chunk_cells
    per = max(1, cells // max(n, 1))
    return [min(per, n_boot - start) for start in range(0, n_boot, per)]


def bootstrap_index_chunks(
    n: int, n_boot: int, rng: np.random.Generator, chunk_cells: int | None = None
) -> Iterator[NDArray[np.int64]]:
    """The ``(n_boot, n)`` row draws of :func:`bootstrap_counts`, a few resamples at a time.

    The generator is consumed in the same order as one ``rng.integers(0, n, (n_boot, n))``
    call, so the concatenated chunks are exactly those draws (a test checks this): chunking
    bounds memory and changes no number.
    """
    for size in bootstrap_chunk_sizes(n, n_boot, chunk_cells):
        yield rng.integers(0, n, size=(size, n))
