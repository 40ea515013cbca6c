"""The engine: one work unit, a block of repetitions run over the whole sample-size grid.

Why it is fast (every step is exact; nothing is approximated):

1. **Closed-form excess risk.** Features are i.i.d. N(0, 1), so the excess risk of a linear
   predictor with coefficients ``b`` over the optimal one is ``||b − β||²`` exactly (plus,
   for the expert, the variance of the true features it omits, which ``||b − β||²`` already
   contains when ``b`` is zero there). No test set is drawn.
2. **Sufficient statistics instead of rows.** Every estimator needs only ``G = XᵀX``,
   ``Xᵀε`` (hence ``Xᵀy = Gβ + Xᵀε``) and, for cross-validation, ``εᵀε``. The data set of a
   repetition grows along the grid (the sample at ``n₁`` is the first ``n₁`` rows of the sample
   at ``n₂``), so these statistics are accumulated increment by increment.
3. **Wishart increments by the Bartlett decomposition.** An increment of ``m ≥ p`` rows adds
   ``ΔG ~ Wishart(m, I_p)``. Writing ``ΔX = Q R`` (QR), ``ΔG = RᵀR`` with ``R`` upper triangular,
   ``R_ii² ~ χ²(m − i + 1)``, ``R_ij ~ N(0, 1)`` above the diagonal, ``Q`` independent of ``R``
   (Bartlett 1933). Then ``ΔXᵀΔε = Rᵀ(Qᵀ Δε) = σ·Rᵀz`` with ``z ~ N(0, I_p)`` independent of
   ``R``, and ``Δεᵀ Δε = σ²(||z||² + χ²(m − p))``. In the index-reversed form used here
   (``L = JRᵀJ``, lower triangular with ``L_ii² ~ χ²(m − p + i)``), ``ΔG = LᵀL`` is one call
   to LAPACK ``dlauum``: ``p³/3`` FLOP instead of ``m·p²`` for multiplying the rows.
   Increments smaller than ``p`` rows are drawn as rows and added with BLAS ``dsyrk``.
4. **Rows while n ≤ p.** Before the sample outgrows the feature count no model needs the
   ``p × p`` Gram matrix (the flexible OLS is undefined and the Lasso works on rows), so the
   rows are kept and the Gram matrix is formed once, when the grid first passes ``p``.
5. **Cheap small models.** The oracle's and expert's fits need only the top-left block of
   ``G`` over the relevant and the expert's wrong features; they are solved for the whole grid
   in one batched call.
6. **Exact sparse Lasso with warm starts** along the grid (:mod:`._lasso`).
7. **Mixed precision where it is exact**: from ``n = 1.5p`` on the flexible OLS is solved with
   a float32 Cholesky refined to float64 accuracy (:func:`solve_gram`).

Every block runs on one BLAS thread, so its numbers are bit-identical whatever runs it.

Gram matrices are kept as their lower triangle in Fortran order with a zero upper triangle:
that is what ``dsyrk``/``dlauum`` write, what ``dpotrf`` reads, and what
:class:`._lasso.GramProblem` expects.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

import numpy as np
from scipy.linalg import blas, lapack

from dlcost.simulation._lasso import (
    GramProblem,
    LassoSolution,
    RowsProblem,
    solve_lasso,
    symmetric_from_lower,
)
from dlcost.simulation._settings import CV_ALPHA_MULTIPLIERS, SimulationSettings
from dlcost.simulation._threads import single_blas_thread
from dlcost.simulation.flop import cholesky_flop, gram_flop, ols_flop, xty_flop

#: The four estimators, in the order of the result arrays.
MODELS: tuple[str, ...] = ("oracle", "expert", "flexible", "lasso")


@dataclass
class BlockResult:
    """The numbers of one work unit (repetitions ``rep_start`` to ``rep_stop − 1``).

    ``excess[r, m, k]`` is the excess MSE over the optimal predictor divided by ``σ²``, for
    repetition ``rep_start + r``, model ``MODELS[m]`` and sample size ``n_grid[k]`` (NaN where
    the model is undefined); ``flop`` the FLOP of that fit (:mod:`.flop`).
    """

    rep_start: int
    rep_stop: int
    excess: np.ndarray
    flop: np.ndarray
    lasso_alpha: np.ndarray
    engine_flop: float
    seconds: float


def _rows_in_fold(n: int, fold: int, folds: int) -> int:
    """How many of the rows ``0 … n − 1`` fall in ``fold`` (row ``i`` is in fold ``i % folds``)."""
    return max(0, (n - fold + folds - 1) // folds)


def _symmetric_times_prefix(gram_lower: np.ndarray, v: np.ndarray) -> np.ndarray:
    """``G @ w`` where ``w`` is ``v`` on the first ``len(v)`` coordinates and zero elsewhere."""
    s = v.shape[0]
    out = gram_lower[:, :s] @ v
    out[:s] += v @ gram_lower[:s, :s] - np.diagonal(gram_lower)[:s] * v
    return out


def _symmetric_block(gram_lower: np.ndarray, size: int) -> np.ndarray:
    """The full top-left ``size × size`` block of ``G``."""
    return symmetric_from_lower(gram_lower[:size, :size])


@functools.lru_cache(maxsize=4)
def _strict_lower_flat(p: int) -> np.ndarray:
    """Flat positions of the strict lower triangle in a Fortran-ordered ``p × p`` array."""
    rows, cols = np.tril_indices(p, -1)
    return cols * p + rows


class _FoldStatistics:
    """``XᵀX`` (lower), ``Xᵀε``, ``εᵀε`` and row counts of a growing sample, per CV fold."""

    def __init__(self, rows: np.ndarray, noise: np.ndarray, folds: int) -> None:
        p: int = int(rows.shape[1])
        self.p = p
        self.folds = folds
        self.grams: list[np.ndarray] = []
        self.x_eps = np.zeros((folds, p))
        self.eps2 = np.zeros(folds)
        self.counts = np.zeros(folds, dtype=np.int64)
        self.engine_flop = 0.0
        self._factor: np.ndarray | None = None  # Bartlett factor, reused (upper stays zero)
        for f in range(folds):
            x_f, e_f = rows[f::folds], noise[f::folds]
            if x_f.shape[0]:
                gram = blas.dsyrk(1.0, np.asfortranarray(x_f.T), trans=0, lower=1)
            else:
                gram = np.zeros((p, p), order="F")
            self.grams.append(np.asfortranarray(gram))
            self.x_eps[f] = e_f @ x_f
            self.eps2[f] = e_f @ e_f
            self.counts[f] = x_f.shape[0]
            self.engine_flop += gram_flop(x_f.shape[0], p) + xty_flop(x_f.shape[0], p)

    def grow(self, rng: np.random.Generator, n_from: int, n_to: int, sigma: float) -> None:
        """Add rows ``n_from … n_to − 1`` (drawn here), fold by fold."""
        p = self.p
        for f in range(self.folds):
            m = _rows_in_fold(n_to, f, self.folds) - _rows_in_fold(n_from, f, self.folds)
            if m >= p:
                self._add_wishart(rng, f, m, sigma)
            elif m > 0:
                x_new = rng.standard_normal((m, p))
                e = sigma * rng.standard_normal(m)
                # x_new.T is Fortran-ordered, so BLAS reads it without a copy.
                self.grams[f] = blas.dsyrk(
                    1.0, x_new.T, beta=1.0, c=self.grams[f], trans=0, lower=1, overwrite_c=1
                )
                self.x_eps[f] += e @ x_new
                self.eps2[f] += e @ e
                self.engine_flop += gram_flop(m, p) + xty_flop(m, p)
            self.counts[f] += m

    def _add_wishart(self, rng: np.random.Generator, fold: int, m: int, sigma: float) -> None:
        p = self.p
        if self._factor is None:
            self._factor = np.zeros((p, p), order="F")
        factor = self._factor  # dlauum overwrites its lower triangle; the upper stays zero
        lower = _strict_lower_flat(p)
        factor.T.reshape(-1)[lower] = rng.standard_normal(lower.size)
        factor[np.diag_indices(p)] = np.sqrt(rng.chisquare(m - p + np.arange(1, p + 1)))
        z = rng.standard_normal(p)
        self.x_eps[fold] += sigma * blas.dtrmv(factor, z, lower=1, trans=1)
        rest = rng.chisquare(m - p) if m > p else 0.0
        self.eps2[fold] += sigma**2 * (z @ z + rest)
        product, info = lapack.dlauum(factor, lower=1, overwrite_c=1)
        if info != 0:  # pragma: no cover - dlauum fails only on invalid arguments
            raise RuntimeError(f"LAPACK dlauum failed with info={info}")
        self.grams[fold] += product
        self.engine_flop += cholesky_flop(p) + p * p

    def total(self) -> tuple[np.ndarray, np.ndarray, float]:
        """``G``, ``Xᵀε`` and ``εᵀε`` of all rows so far."""
        if self.folds == 1:
            return self.grams[0], self.x_eps[0], float(self.eps2[0])
        gram = self.grams[0].copy(order="F")
        for g in self.grams[1:]:
            gram += g
        self.engine_flop += (self.folds - 1) * self.p**2
        return gram, self.x_eps.sum(axis=0), float(self.eps2.sum())


#: From this many rows per feature on, the flexible OLS is solved in mixed precision
#: (:func:`solve_gram`). There ``G = XᵀX`` is well conditioned: its eigenvalues lie near
#: ``(√n ± √p)²`` (Marchenko–Pastur), a condition number of about 100 at ``n = 1.5p``, so a
#: float32 factor is a good enough preconditioner that refinement reaches float64 accuracy in
#: two or three steps. Nearer ``n = p`` the condition number explodes and float64 is used.
MIXED_PRECISION_MIN_RATIO = 1.5
#: Refinement stops once a correction is below this fraction of the solution (the error left
#: is then about ``cond(G) · 6e-8`` times smaller still: at the float64 rounding level).
REFINE_RTOL = 1e-12
#: Refinement steps before giving up on float32 and factoring in float64 instead.
REFINE_MAX_STEPS = 5


def _cholesky_solve32(factor32: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """``(LLᵀ)⁻¹ rhs`` in float32 by two BLAS ``strsv`` calls (OpenBLAS's ``spotrs`` takes four
    times as long for one right-hand side)."""
    half = blas.strsv(factor32, rhs.astype(np.float32), lower=1, overwrite_x=1)
    return blas.strsv(factor32, half, lower=1, trans=1, overwrite_x=1)


def solve_gram(
    gram_lower: np.ndarray, rhs: np.ndarray, *, mixed: bool
) -> tuple[np.ndarray | None, float]:
    """``G⁻¹ rhs`` for ``G`` given by its lower triangle; ``None`` if ``G`` is not positive
    definite. Returns the solution and the FLOP spent.

    With ``mixed``, ``G`` is factored in float32 (a single-precision Cholesky runs at about
    twice the speed of a double one) and the solution refined with float64 residuals
    ``r = rhs − G x`` (classical mixed-precision iterative refinement): each step shrinks the
    error by about ``cond(G) · 6e-8``, and the loop ends only once a correction is below
    ``REFINE_RTOL`` of the solution, so the result equals the float64 Cholesky solution to
    rounding (``tests/simulation/test_simulation_mixed.py`` checks it against ``dpotrf``).
    Should float32 fail (not positive definite in single precision, or no convergence), it
    falls back to the float64 factorization, so the outcome never depends on luck.
    """
    p = rhs.shape[0]
    flop = 0.0
    if mixed:
        factor32, info = lapack.spotrf(
            gram_lower.astype(np.float32, order="F"), lower=1, clean=0, overwrite_a=1
        )
        flop += cholesky_flop(p)
        if info == 0:
            x = _cholesky_solve32(factor32, rhs).astype(np.float64)
            flop += 2.0 * p * p
            for _ in range(REFINE_MAX_STEPS):
                residual = blas.dsymv(-1.0, gram_lower, x, beta=1.0, y=rhs, lower=1)
                step = _cholesky_solve32(factor32, residual)
                x += step
                flop += 4.0 * p * p
                if np.max(np.abs(step)) <= REFINE_RTOL * np.max(np.abs(x)):
                    return x, flop
    factor, info = lapack.dpotrf(gram_lower, lower=1, clean=0)
    flop += cholesky_flop(p) + 2.0 * p * p
    if info != 0:
        return None, flop
    return lapack.dpotrs(factor, rhs, lower=1)[0], flop


def _universal_alpha(sigma: float, p: int, n: int) -> float:
    return sigma * float(np.sqrt(2.0 * np.log(p) / n))


@dataclass
class _LassoFit:
    solution: LassoSolution
    alpha: float
    flop: float


def _lasso_cv_rows(
    x: np.ndarray,
    y: np.ndarray,
    folds: int,
    alphas: np.ndarray,
    start: LassoSolution | None,
) -> _LassoFit:
    """Cross-validated Lasso on rows: pick alpha by K-fold error, refit on all rows."""
    n = x.shape[0]
    fold_of_row = np.arange(n) % folds
    errors = np.zeros(alphas.size)
    flop = 0.0
    for f in range(folds):
        held = fold_of_row == f
        train = RowsProblem(x[~held], y[~held])
        x_val, y_val = x[held], y[held]
        sol = None
        for i, a in enumerate(alphas):
            sol = solve_lasso(train, float(a), start=sol)
            residual = y_val - x_val[:, sol.active] @ sol.coef
            errors[i] += residual @ residual
            flop += 2.0 * x_val.shape[0] * (sol.active.size + 1)
        flop += train.flop
    best = float(alphas[int(np.argmin(errors))])
    full = RowsProblem(x, y)
    solution = solve_lasso(full, best, start=start)
    return _LassoFit(solution, best, flop + full.flop)


def _lasso_cv_gram(
    stats: _FoldStatistics,
    gram: np.ndarray,
    xty: np.ndarray,
    beta: np.ndarray,
    n: int,
    alphas: np.ndarray,
    start: LassoSolution | None,
) -> _LassoFit:
    """Cross-validated Lasso from per-fold sufficient statistics."""
    s = beta.shape[0]
    p = stats.p
    errors = np.zeros(alphas.size)
    flop = gram_flop(n, p) + xty_flop(n, p) + stats.folds * p * p
    for f in range(stats.folds):
        g_f = stats.grams[f]
        xty_f = _symmetric_times_prefix(g_f, beta) + stats.x_eps[f]
        yty_f = (
            beta @ _symmetric_block(g_f, s) @ beta + 2 * beta @ stats.x_eps[f, :s] + stats.eps2[f]
        )
        train = GramProblem(gram - g_f, xty - xty_f, n - int(stats.counts[f]))
        sol = None
        for i, a in enumerate(alphas):
            sol = solve_lasso(train, float(a), start=sol)
            act = sol.active
            sub = g_f[np.ix_(act, act)]
            quad = sol.coef @ (sub + sub.T - np.diag(np.diagonal(sub))) @ sol.coef
            errors[i] += yty_f - 2 * sol.coef @ xty_f[act] + quad
            flop += 2.0 * act.size * (act.size + 1)
        flop += train.flop
    best = float(alphas[int(np.argmin(errors))])
    full = GramProblem(gram, xty, n)
    solution = solve_lasso(full, best, start=start)
    return _LassoFit(solution, best, flop + full.flop)


def simulate_repetition(
    settings: SimulationSettings, rep: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """One repetition over the grid.

    Returns ``(excess (M, K), flop (M, K), lasso_alpha (K,), engine_flop)``.
    """
    rng = np.random.default_rng(np.random.SeedSequence(settings.seed, spawn_key=(rep,)))
    p, s, sigma = settings.features, settings.relevant, float(settings.noise_sd)
    correct, wrong = settings.expert_correct or 0, settings.expert_wrong
    u = s + wrong  # the relevant features, then the expert's wrong ones
    grid = settings.n_grid
    k_points = grid.size
    cv = settings.lasso_alpha == "cv"
    folds = settings.cv_folds if cv else 1
    beta = rng.standard_normal(s) if settings.coefficients == "gaussian" else np.ones(s)

    excess = np.full((len(MODELS), k_points), np.nan)
    flop = np.full((len(MODELS), k_points), np.nan)
    alphas_used = np.full(k_points, np.nan)
    gram_u = np.zeros((k_points, u, u))
    xty_u = np.zeros((k_points, u))
    engine_flop = 0.0

    n_rows = int(grid[grid <= p].max()) if np.any(grid <= p) else 0
    rows = np.empty((n_rows, p))
    noise = np.empty(n_rows)
    stats: _FoldStatistics | None = None
    lasso_start: LassoSolution | None = None
    n_prev = 0
    for k, n_np in enumerate(grid):
        n = int(n_np)
        universal = _universal_alpha(sigma, p, n)
        if n <= p:
            rng.standard_normal(out=rows[n_prev:n])  # the same draws as a new array, no copy
            noise[n_prev:n] = sigma * rng.standard_normal(n - n_prev)
            x = rows[:n]
            y = x[:, :s] @ beta + noise[:n]
            x_u = x[:, :u]
            gram_u[k] = x_u.T @ x_u
            xty_u[k] = y @ x_u
            engine_flop += gram_flop(n, u) + xty_flop(n, u) + 2.0 * n * s
            if cv:
                fit = _lasso_cv_rows(
                    x, y, folds, universal * np.array(CV_ALPHA_MULTIPLIERS), lasso_start
                )
            else:
                on_rows = RowsProblem(x, y)
                solution = solve_lasso(on_rows, universal, start=lasso_start)
                fit = _LassoFit(solution, universal, on_rows.flop)
        else:
            if stats is None:
                stats = _FoldStatistics(rows[:n_prev], noise[:n_prev], folds)
                rows, noise = np.empty((0, p)), np.empty(0)  # no longer needed
            stats.grow(rng, n_prev, n, sigma)
            gram, x_eps, _ = stats.total()
            xty = _symmetric_times_prefix(gram, beta) + x_eps
            gram_u[k] = _symmetric_block(gram, u)
            xty_u[k] = xty[:u]
            delta, solve_flop = solve_gram(gram, x_eps, mixed=n >= MIXED_PRECISION_MIN_RATIO * p)
            if delta is not None:
                excess[2, k] = delta @ delta / sigma**2
                flop[2, k] = ols_flop(n, p)
            engine_flop += solve_flop
            if cv:
                fit = _lasso_cv_gram(
                    stats,
                    gram,
                    xty,
                    beta,
                    n,
                    universal * np.array(CV_ALPHA_MULTIPLIERS),
                    lasso_start,
                )
            else:
                on_gram = GramProblem(gram, xty, n)
                solution = solve_lasso(on_gram, universal, start=lasso_start)
                fit = _LassoFit(
                    solution, universal, gram_flop(n, p) + xty_flop(n, p) + on_gram.flop
                )
        lasso_start = fit.solution
        coef = fit.solution.dense(p)
        coef[:s] -= beta
        excess[3, k] = coef @ coef / sigma**2
        flop[3, k] = fit.flop
        alphas_used[k] = fit.alpha
        # The engine did the solver's work but drew the Gram matrix instead of forming it.
        engine_flop += fit.flop - (gram_flop(n, p) + xty_flop(n, p) if n > p else 0.0)
        n_prev = n
    if stats is not None:
        engine_flop += stats.engine_flop

    beta_u = np.zeros(u)
    beta_u[:s] = beta
    subsets = {
        0: np.arange(s),
        1: np.concatenate([np.arange(correct), np.arange(s, s + wrong)]).astype(np.intp),
    }
    for m, subset in subsets.items():
        ok = grid > subset.size
        if not ok.any():
            continue
        a = gram_u[ok][:, subset][:, :, subset]
        b = np.linalg.solve(a, xty_u[ok][:, subset, None])[..., 0]
        err = np.broadcast_to(-beta_u, (b.shape[0], u)).copy()
        err[:, subset] += b
        excess[m, ok] = np.einsum("ij,ij->i", err, err) / sigma**2
        flop[m, ok] = ols_flop(grid[ok].astype(float), subset.size)
    return excess, flop, alphas_used, engine_flop


def simulate_block(settings: SimulationSettings, rep_start: int, rep_stop: int) -> BlockResult:
    """Run repetitions ``rep_start … rep_stop − 1``; the result depends only on the settings.

    The block runs on one BLAS thread whatever the caller's setting: a multi-threaded BLAS
    splits a product differently from call to call and can round its last bit differently,
    so only one thread makes the serial, process and Ray backends bit-identical.
    """
    with single_blas_thread():
        return _simulate_block(settings, rep_start, rep_stop)


def _simulate_block(settings: SimulationSettings, rep_start: int, rep_stop: int) -> BlockResult:
    started = time.perf_counter()
    count = rep_stop - rep_start
    k_points = settings.n_grid.size
    excess = np.empty((count, len(MODELS), k_points))
    flop = np.empty((count, len(MODELS), k_points))
    alphas = np.empty((count, k_points))
    engine_flop = 0.0
    for i, rep in enumerate(range(rep_start, rep_stop)):
        excess[i], flop[i], alphas[i], rep_flop = simulate_repetition(settings, rep)
        engine_flop += rep_flop
    return BlockResult(
        rep_start=rep_start,
        rep_stop=rep_stop,
        excess=excess,
        flop=flop,
        lasso_alpha=alphas,
        engine_flop=engine_flop,
        seconds=time.perf_counter() - started,
    )
