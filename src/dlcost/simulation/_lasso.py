"""An exact Lasso solver for the simulation: feature-sign search with warm starts and a FLOP count.

The simulation needs many Lasso fits whose solutions are sparse (a few tens of non-zeros out of
a thousand features) and whose problems change only a little from one sample size to the next.
Feature-sign search (Lee, Battle, Raina & Ng, *Efficient sparse coding algorithms*, NIPS 2006)
suits that: it keeps an active set with signs, solves the small linear system the signs imply,
and adds the worst violator of the optimality conditions one at a time. Each step costs a
gradient (``2·p·|A|`` FLOP from a Gram matrix, ``2·n·p`` from the raw rows) plus a solve of
size ``|A|``, so a fit costs a few gradients instead of the ``p²``-per-sweep of dense
coordinate descent, and it returns the exact solution (up to rounding) rather than one
stopped at a tolerance.

Objective (scikit-learn's ``Lasso`` convention, no intercept)::

    (1 / 2n) · ||y − X b||² + alpha · ||b||₁  =  ½ bᵀQb − qᵀb + alpha·||b||₁ + const,

with ``Q = XᵀX / n`` and ``q = Xᵀy / n``. The two problem classes below give ``Q`` and ``q``
either from rows (``RowsProblem``) or from an accumulated Gram matrix (``GramProblem``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcost.exceptions import FitError


def symmetric_from_lower(lower: np.ndarray) -> np.ndarray:
    """The symmetric matrix whose lower triangle (diagonal included) is ``lower``'s; the
    engine and the Lasso store Gram matrices as their lower triangle only."""
    full = lower + lower.T
    full[np.diag_indices_from(full)] -= np.diagonal(lower)
    return full

#: Violators added per step. Lee et al. add one; adding several keeps every step a descent
#: step (each added coordinate starts at zero with the sign that lowers the objective), and
#: cuts the number of steps when hundreds of features become active (small penalties, as
#: cross-validation tries).
ADD_AT_MOST = 8

#: Relative tolerance of the optimality check |q − Qb|_j ≤ alpha·(1 + tol) on inactive features.
KKT_RTOL = 1e-9

_NOT_CONVERGED = (
    "feature-sign search did not converge after {steps} steps (alpha={alpha:.3g}, "
    "{active} active features of {p}). Likely causes: 1. alpha is so small that more features "
    "than data points are active (the problem is then nearly singular); 2. the design is "
    "degenerate. Try a larger alpha or more data points."
)


class GramProblem:
    """A Lasso problem given by the lower triangle of ``G = XᵀX``, ``c = Xᵀy`` and ``n``.

    Only the lower triangle of ``gram_lower`` is read and its strict upper triangle must be
    zero: the simulation accumulates Gram matrices with BLAS ``syrk`` and LAPACK ``lauum``,
    which write one triangle, and symmetrizing a 1000 × 1000 matrix at every sample size would
    cost more than all the solver's gradients together.
    """

    def __init__(self, gram_lower: np.ndarray, xty: np.ndarray, n: int) -> None:
        self.gram_lower = gram_lower
        self.n = n
        self.q = xty / n
        self.n_features = xty.shape[0]
        self.flop = 0.0

    def gradient(self, active: np.ndarray, coef: np.ndarray) -> np.ndarray:
        """``q − Q b`` for ``b`` supported on ``active``."""
        g = self.q.copy()
        if active.size:
            lower = self.gram_lower
            gb = lower[:, active] @ coef + coef @ lower[active, :]
            gb[active] -= lower[active, active] * coef
            g -= gb / self.n
            self.flop += 2.0 * self.n_features * active.size
        return g

    def block(self, active: np.ndarray) -> np.ndarray:
        """``Q[A, A]``."""
        return symmetric_from_lower(self.gram_lower[np.ix_(active, active)]) / self.n


class RowsProblem:
    """A Lasso problem given by its rows ``X`` (``n × p``) and response ``y``.

    Used while the data set is smaller than the number of features, where forming the
    ``p × p`` Gram matrix would cost more than working with the rows (scikit-learn makes the
    same choice with ``precompute='auto'``).
    """

    def __init__(self, x: np.ndarray, y: np.ndarray) -> None:
        self.x = x
        self.y = y
        self.n, self.n_features = x.shape
        self.q = (y @ x) / self.n
        self.flop = 2.0 * self.n * self.n_features

    def gradient(self, active: np.ndarray, coef: np.ndarray) -> np.ndarray:
        """``Xᵀ(y − X b) / n`` for ``b`` supported on ``active``."""
        residual = self.y - self.x[:, active] @ coef if active.size else self.y
        self.flop += 2.0 * self.n * (self.n_features + active.size)
        return (residual @ self.x) / self.n

    def block(self, active: np.ndarray) -> np.ndarray:
        """``X_Aᵀ X_A / n``."""
        xa = self.x[:, active]
        self.flop += self.n * active.size * (active.size + 1)
        return (xa.T @ xa) / self.n


@dataclass
class LassoSolution:
    """Sparse Lasso coefficients: the active features, their values and the work done."""

    active: np.ndarray
    coef: np.ndarray
    steps: int

    def dense(self, n_features: int) -> np.ndarray:
        """The full coefficient vector."""
        out = np.zeros(n_features)
        out[self.active] = self.coef
        return out


def _objective(
    points: np.ndarray, block: np.ndarray, q_active: np.ndarray, alpha: float
) -> np.ndarray:
    """Lasso objective (up to a constant) at each row of ``points`` (active coordinates only)."""
    return (
        0.5 * ((points @ block) * points).sum(axis=1)
        - points @ q_active
        + alpha * np.abs(points).sum(axis=1)
    )


def _null_step(
    block: np.ndarray, q_active: np.ndarray, coef: np.ndarray, signs: np.ndarray, alpha: float
) -> np.ndarray:
    """Move along the null space of a singular active block until a coefficient reaches zero.

    With more active features than data points, ``Q[A, A]`` is singular and the objective is
    linear along a null vector ``v`` (while the signs hold). Orienting ``v`` downhill and
    stepping to the first zero crossing lowers the objective (or keeps it, when flat) and
    removes one feature, the same device LARS uses to keep at most ``n`` features active.
    """
    null = np.linalg.svd(block)[2][-1]
    slope = (block @ coef - q_active + alpha * signs) @ null
    if slope > 0:
        null = -null
    if not np.any((coef != 0) & (np.sign(null) == -np.sign(coef))):
        null = -null  # flat direction (slope 0): go the way that reaches a zero
    moving_to_zero = (coef != 0) & (np.sign(null) == -np.sign(coef))
    with np.errstate(divide="ignore", invalid="ignore"):
        steps = np.where(moving_to_zero, -coef / null, np.inf)
    first = int(np.argmin(steps))
    moved = coef + steps[first] * null
    moved[first] = 0.0
    return moved


def solve_lasso(
    problem: GramProblem | RowsProblem,
    alpha: float,
    start: LassoSolution | None = None,
    *,
    add_at_most: int = ADD_AT_MOST,
    max_steps: int = 10_000,
) -> LassoSolution:
    """Minimize ``½bᵀQb − qᵀb + alpha·||b||₁`` exactly by feature-sign search.

    ``start`` warm-starts the search from another solution (the previous sample size, or the
    previous alpha on a path); its active set and signs are kept while they stay optimal.
    FLOP spent are added to ``problem.flop``.
    """
    if alpha <= 0:
        raise FitError(f"the Lasso penalty must be positive, got alpha={alpha!r}")
    p = problem.n_features
    q = problem.q
    if start is not None and start.active.size:
        active = start.active.astype(np.intp).copy()
        coef = start.coef.astype(float).copy()
        keep = coef != 0
        active, coef = active[keep], coef[keep]
    else:
        active = np.empty(0, dtype=np.intp)
        coef = np.empty(0)
    signs = np.sign(coef)
    fresh = 0  # features just added at zero, at the end of ``active``, worst violator first
    steps = 0
    while True:
        # Step 1: make the active coefficients optimal for their signs (line searches that
        # drop a coefficient whenever crossing zero lowers the objective).
        while active.size:
            steps += 1
            if steps > max_steps:
                raise FitError(
                    _NOT_CONVERGED.format(steps=max_steps, alpha=alpha, active=active.size, p=p)
                )
            block = problem.block(active)
            q_active = q[active]
            if active.size > problem.n:
                coef = _null_step(block, q_active, coef, signs, alpha)
                fresh = 0
                problem.flop += 4 * active.size**3
                keep = coef != 0
                active, coef = active[keep], coef[keep]
                signs = np.sign(coef)
                continue
            target = np.linalg.solve(block, q_active - alpha * signs)
            problem.flop += active.size**3 / 3 + 2 * active.size**2
            if fresh > 1 and np.any(np.sign(target[-fresh:]) != signs[-fresh:]):
                # A newly added feature would move against its sign, so the step might not
                # descend: fall back to Lee et al.'s single worst violator, which always does.
                active, coef, signs = active[: 1 - fresh], coef[: 1 - fresh], signs[: 1 - fresh]
                fresh = 1
                continue
            fresh = 0
            if np.all(np.sign(target) == signs):
                coef = target
                break
            direction = target - coef
            with np.errstate(divide="ignore", invalid="ignore"):
                crossing = -coef / direction
            candidates = (
                (coef != 0) & (np.sign(target) != np.sign(coef)) & (crossing > 0) & (crossing < 1)
            )
            ts = np.concatenate([crossing[candidates], [1.0]])
            points = coef[None, :] + ts[:, None] * direction[None, :]
            zeroed = np.flatnonzero(candidates)
            for row, feature in enumerate(zeroed):
                points[row, feature] = 0.0
            best = int(np.argmin(_objective(points, block, q_active, alpha)))
            coef = points[best]
            keep = coef != 0
            active, coef = active[keep], coef[keep]
            signs = np.sign(coef)
        # Step 2: check the inactive features; add the worst violators.
        gradient = problem.gradient(active, coef)
        gradient[active] = 0.0
        excess = np.abs(gradient) - alpha * (1 + KKT_RTOL)
        violators = np.flatnonzero(excess > 0)
        if violators.size == 0:
            return LassoSolution(active=active, coef=coef, steps=steps)
        # Several at once only while they fit within n active features: beyond, one at a time,
        # so that the null-space step meets at most one surplus feature, the one just added.
        room = max(1, min(add_at_most, problem.n - active.size))
        violators = violators[np.argsort(-excess[violators], kind="stable")[:room]]
        fresh = violators.size
        active = np.append(active, violators)
        coef = np.append(coef, np.zeros(violators.size))
        signs = np.append(signs, np.sign(gradient[violators]))
