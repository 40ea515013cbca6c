"""Invariants of the simulation, checked with Hypothesis."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dlcost.simulation import ScalingTheory, SimulationSettings
from dlcost.simulation._engine import simulate_block
from dlcost.simulation._exponents import crossover, improving_range
from dlcost.simulation._threads import single_blas_thread
from dlcost.simulation.flop import cholesky_flop, gram_flop, ols_flop, xty_flop

sizes = st.integers(min_value=1, max_value=10**6)


@given(n=sizes, k=st.integers(1, 5000), dn=st.integers(1, 10**5), dk=st.integers(1, 500))
def test_flop_counts_grow_with_n_and_with_features(n: int, k: int, dn: int, dk: int) -> None:
    for formula in (gram_flop, xty_flop, ols_flop):
        assert formula(n + dn, k) > formula(n, k)
        assert formula(n, k + dk) > formula(n, k)
    assert cholesky_flop(k + dk) > cholesky_flop(k)
    assert ols_flop(n, k) > gram_flop(n, k) + cholesky_flop(k)


@given(
    alpha=st.floats(0.05, 2.0),
    gamma=st.floats(0.0, 3.0),
    k=st.floats(1.0, 1e3),
    a=st.floats(0.5, 3.0),
    c=st.floats(0.5, 3.0),
)
def test_theory_factors_are_powers_of_k(
    alpha: float, gamma: float, k: float, a: float, c: float
) -> None:
    theory = ScalingTheory(
        error_exponent=alpha, parameter_exponent=gamma, cost_parameter_power=a, cost_data_power=c
    )
    exponent = (a * gamma + c) / alpha
    assert np.isclose(theory.compute_factor_log10(k), exponent * np.log10(k), rtol=1e-12)
    with np.errstate(over="ignore"):
        expected = np.float64(k) ** exponent  # inf beyond the float range, like the calculator
    assert np.isclose(theory.compute_factor(k), expected, rtol=1e-9)
    # Growing parameters never make a k-fold improvement cheaper than fixed ones.
    fixed = ScalingTheory(error_exponent=alpha, cost_parameter_power=a, cost_data_power=c)
    assert theory.compute_exponent >= fixed.compute_exponent
    assert theory.data_factor(k) == fixed.data_factor(k)


TINY = SimulationSettings(features=12, relevant=3, reps=9, n_min=4, n_max=150, n_points=5, seed=11)
# One BLAS thread for the reference and the parts alike, as every worker runs: a multi-threaded
# BLAS may round the last bit differently from call to call, which is not what is tested here.
with single_blas_thread():
    WHOLE = simulate_block(TINY, 0, TINY.reps)


@settings(max_examples=15, deadline=None)
@given(cuts=st.lists(st.integers(1, TINY.reps - 1), max_size=4, unique=True))
def test_same_seed_same_numbers_whatever_the_split(cuts: list[int]) -> None:
    """Any partition into work units (what workers and block sizes do) gives identical numbers."""
    bounds = [0, *sorted(cuts), TINY.reps]
    with single_blas_thread():
        parts = [simulate_block(TINY, a, b) for a, b in itertools.pairwise(bounds)]
    np.testing.assert_array_equal(np.concatenate([p.excess for p in parts]), WHOLE.excess)
    np.testing.assert_array_equal(np.concatenate([p.lasso_alpha for p in parts]), WHOLE.lasso_alpha)


@given(
    shift=st.floats(-5, 5),
    challenger=st.lists(st.floats(-3, 3), min_size=4, max_size=4),
    incumbent=st.lists(st.floats(-3, 3), min_size=4, max_size=4),
)
def test_crossover_ignores_a_common_shift(
    shift: float, challenger: list[float], incumbent: list[float]
) -> None:
    n = np.array([10, 100, 1000, 10000])
    a, b = np.array(challenger), np.array(incumbent)
    assume(np.all(np.abs(a - b) > 1e-6))  # no ties that rounding could flip
    plain = crossover(n, a, b)
    shifted = crossover(n, a + shift, b + shift)
    if plain is None:
        assert shifted is None and a[-1] < b[-1]
    else:
        assert shifted is not None and np.isclose(plain, shifted, rtol=1e-6)
        assert n[0] <= plain <= n[-1] and a[-1] > b[-1]


@given(offset=st.floats(-10, 10), seed=st.integers(0, 2**16))
def test_improving_range_depends_on_differences_only(offset: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = np.array([10, 20, 40, 80, 160])
    perf = np.log10(n)[None, :] * rng.uniform(0, 1) + 0.1 * rng.standard_normal((12, 5))
    np.testing.assert_array_equal(
        improving_range(n, perf, 15), improving_range(n, perf + offset, 15)
    )
