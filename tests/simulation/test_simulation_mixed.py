"""The flexible OLS's mixed-precision solve gives the float64 Cholesky solution, to rounding.

The engine factors a well-conditioned Gram matrix in float32 and refines the solution with
float64 residuals (``solve_gram``). These tests hold it to the float64 ``dpotrf`` solution
(what the engine used before, and still uses near ``n = p``), alone and through the whole
simulation at 120 repetitions, far tighter than any Monte-Carlo error.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import lapack

import dlcost.simulation._engine as engine
from dlcost.simulation import MODELS, SimulationSettings
from dlcost.simulation.flop import cholesky_flop

FLEXIBLE = MODELS.index("flexible")


def _gram(n: int, p: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, p))
    lower = np.asfortranarray(np.tril(x.T @ x))
    return lower, x.T @ rng.standard_normal(n)


def _float64(lower: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    factor, info = lapack.dpotrf(lower, lower=1, clean=0)
    assert info == 0
    return lapack.dpotrs(factor, rhs, lower=1)[0]


@pytest.mark.parametrize("ratio", [1.5, 2.0, 5.0, 20.0])
def test_mixed_precision_equals_the_float64_solution(ratio: float) -> None:
    p = 200
    lower, rhs = _gram(int(ratio * p), p, seed=int(ratio * 10))
    mixed, flop = engine.solve_gram(lower, rhs, mixed=True)
    exact = _float64(lower, rhs)
    assert mixed is not None
    np.testing.assert_allclose(mixed, exact, rtol=0, atol=1e-12 * np.max(np.abs(exact)))
    assert mixed @ mixed == pytest.approx(exact @ exact, rel=1e-12)
    assert flop > cholesky_flop(p)  # the refinement steps are counted


def test_an_ill_conditioned_gram_still_gets_the_float64_solution() -> None:
    """Just past n = p the float32 factor is too poor to refine from: float64 takes over."""
    lower, rhs = _gram(202, 200, seed=1)
    mixed, _ = engine.solve_gram(lower, rhs, mixed=True)
    assert mixed is not None
    exact = _float64(lower, rhs)
    np.testing.assert_allclose(mixed, exact, rtol=0, atol=1e-9 * np.max(np.abs(exact)))


def test_a_singular_gram_has_no_solution_in_either_precision() -> None:
    lower, rhs = _gram(20, 30, seed=2)  # fewer rows than features
    for mixed in (True, False):
        solution, flop = engine.solve_gram(lower, rhs, mixed=mixed)
        assert solution is None and flop > 0


def test_the_simulation_is_unchanged_by_mixed_precision(monkeypatch: pytest.MonkeyPatch) -> None:
    """120 repetitions with the float64 factorization everywhere and with the default: every
    flexible-OLS excess risk agrees to 1e-11, every other number is bit-identical.

    With the float64 factorization everywhere the engine is the one before mixed precision
    (engine version 1): on one BLAS thread its numbers for these settings were checked bit for
    bit against that version when the change was made.
    """
    settings = SimulationSettings(features=60, relevant=4, reps=120, n_min=10, n_max=2000,
                                  n_points=7, seed=5)
    assert np.any(settings.n_grid >= engine.MIXED_PRECISION_MIN_RATIO * settings.features)
    fast = engine.simulate_block(settings, 0, settings.reps)
    monkeypatch.setattr(engine, "MIXED_PRECISION_MIN_RATIO", float("inf"))
    reference = engine.simulate_block(settings, 0, settings.reps)
    np.testing.assert_allclose(fast.excess, reference.excess, rtol=1e-11)
    others = [m for m in range(len(MODELS)) if m != FLEXIBLE]
    np.testing.assert_array_equal(fast.excess[:, others], reference.excess[:, others])
    np.testing.assert_array_equal(fast.flop, reference.flop)


def test_no_convergence_falls_back_to_float64(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refinement that does not converge in its steps hands over to the float64 factorization."""
    lower, rhs = _gram(400, 200, seed=3)
    monkeypatch.setattr(engine, "REFINE_MAX_STEPS", 0)
    solution, flop = engine.solve_gram(lower, rhs, mixed=True)
    assert solution is not None
    np.testing.assert_array_equal(solution, _float64(lower, rhs))
    assert flop == pytest.approx(2 * cholesky_flop(200) + 4 * 200**2)
