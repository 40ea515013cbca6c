"""The feature-sign Lasso solver against scikit-learn's coordinate descent, and its optimality."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.linear_model as sklearn_linear
from scipy.linalg import blas

from dlcost.exceptions import FitError
from dlcost.simulation._lasso import GramProblem, RowsProblem, solve_lasso


def _problem(rng: np.random.Generator, n: int, p: int) -> tuple[np.ndarray, np.ndarray]:
    x = rng.standard_normal((n, p))
    beta = np.zeros(p)
    beta[: min(5, p)] = rng.standard_normal(min(5, p))
    return x, x @ beta + rng.standard_normal(n)


def _objective(x: np.ndarray, y: np.ndarray, coef: np.ndarray, alpha: float) -> float:
    return float(0.5 / x.shape[0] * np.sum((y - x @ coef) ** 2) + alpha * np.abs(coef).sum())


def _gram_lower(x: np.ndarray) -> np.ndarray:
    return blas.dsyrk(1.0, np.asfortranarray(x), trans=1, lower=1)


# (n, p, alpha multiplier of √(2 ln p / n)): n > p, n < p, and n ≪ p with a tiny penalty, where
# more features than data points become active and the null-space step must be taken.
CASES = [(200, 50, 1.0), (200, 50, 0.05), (30, 120, 0.5), (8, 150, 0.05), (12, 40, 0.001)]


@pytest.mark.parametrize(("n", "p", "mult"), CASES)
def test_matches_sklearn_objective(n: int, p: int, mult: float, global_random_seed: int) -> None:
    """Our exact solution is never worse than scikit-learn's converged one.

    Reference: ``sklearn.linear_model.Lasso(alpha, fit_intercept=False, tol=1e-14)``; both
    minimize (1/2n)||y − Xb||² + alpha·||b||₁. The Lasso solution is unique for Gaussian
    designs, so equal objectives mean equal coefficients; compared at rtol 1e-9.
    """
    rng = np.random.default_rng(global_random_seed)
    x, y = _problem(rng, n, p)
    alpha = mult * float(np.sqrt(2 * np.log(p) / n))
    ref = sklearn_linear.Lasso(alpha=alpha, fit_intercept=False, tol=1e-14, max_iter=1_000_000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its tolerance is deliberately beyond reach
        ref.fit(x, y)
    target = _objective(x, y, ref.coef_, alpha)
    rows = solve_lasso(RowsProblem(x, y), alpha)
    gram = solve_lasso(GramProblem(_gram_lower(x), x.T @ y, n), alpha)
    for sol in (rows, gram):
        assert _objective(x, y, sol.dense(p), alpha) <= target * (1 + 1e-9) + 1e-12
    np.testing.assert_allclose(rows.dense(p), gram.dense(p), atol=1e-8)


def test_optimality_conditions_hold(global_random_seed: int) -> None:
    """KKT: |q − Qb| ≤ alpha off the support and = alpha·sign(b) on it."""
    rng = np.random.default_rng(global_random_seed)
    x, y = _problem(rng, 150, 80)
    alpha = 0.1
    sol = solve_lasso(RowsProblem(x, y), alpha)
    b = sol.dense(80)
    grad = x.T @ (y - x @ b) / 150
    on = b != 0
    np.testing.assert_allclose(grad[on], alpha * np.sign(b[on]), rtol=1e-8)
    assert np.all(np.abs(grad[~on]) <= alpha * (1 + 1e-8))


def test_warm_start_reaches_the_same_solution(global_random_seed: int) -> None:
    rng = np.random.default_rng(global_random_seed)
    x, y = _problem(rng, 300, 60)
    gram = GramProblem(_gram_lower(x), x.T @ y, 300)
    start = solve_lasso(gram, 0.3)
    cold = solve_lasso(GramProblem(_gram_lower(x), x.T @ y, 300), 0.05)
    warm = solve_lasso(GramProblem(_gram_lower(x), x.T @ y, 300), 0.05, start=start)
    np.testing.assert_allclose(warm.dense(60), cold.dense(60), atol=1e-10)


def test_large_penalty_gives_zero_and_counts_only_gradients() -> None:
    rng = np.random.default_rng(0)
    x, y = _problem(rng, 50, 20)
    problem = RowsProblem(x, y)
    alpha = float(np.abs(x.T @ y / 50).max()) * 1.01
    sol = solve_lasso(problem, alpha)
    assert sol.active.size == 0
    # q = Xᵀy/n (2np) and one gradient with no active feature (2np).
    assert problem.flop == 2 * (2 * 50 * 20)


def test_gram_problem_reads_only_the_lower_triangle() -> None:
    rng = np.random.default_rng(1)
    x, y = _problem(rng, 100, 30)
    full = x.T @ x
    lower = np.asfortranarray(np.tril(full))
    problem = GramProblem(lower, x.T @ y, 100)
    active = np.array([3, 17, 0])
    coef = np.array([0.5, -1.0, 2.0])
    expected = (x.T @ y - full[:, active] @ coef) / 100
    np.testing.assert_allclose(problem.gradient(active, coef), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(problem.block(active), full[np.ix_(active, active)] / 100)


def test_non_positive_penalty_is_refused() -> None:
    x, y = _problem(np.random.default_rng(2), 10, 5)
    with pytest.raises(FitError, match="must be positive"):
        solve_lasso(RowsProblem(x, y), 0.0)


def test_random_small_problems_converge_to_sklearns_optimum(global_random_seed: int) -> None:
    """Tiny n, many features, penalties from 0.001 to 1 × universal: the degenerate corner."""
    rng = np.random.default_rng(global_random_seed)
    for _ in range(40):
        n, p = int(rng.integers(3, 40)), int(rng.integers(5, 150))
        x, y = _problem(rng, n, p)
        alpha = float(rng.choice([0.001, 0.01, 0.1, 1.0])) * float(np.sqrt(2 * np.log(p) / n))
        ref = sklearn_linear.Lasso(alpha=alpha, fit_intercept=False, tol=1e-14, max_iter=200_000)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref.fit(x, y)
        ours = solve_lasso(RowsProblem(x, y), alpha).dense(p)
        target = _objective(x, y, ref.coef_, alpha)
        assert _objective(x, y, ours, alpha) <= target * (1 + 1e-9) + 1e-12
