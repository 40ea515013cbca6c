"""Exponent fits, crossovers, the theory calculator and the result object."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from dlcost.exceptions import FitError
from dlcost.simulation import OVERPARAMETERIZED, STATISTICAL, ScalingTheory
from dlcost.simulation._exponents import crossover, estimate_exponents, improving_range

N = np.array([10, 20, 40, 80, 160, 320, 640])


def _noisy_power_law(slope: float, reps: int, rng: np.random.Generator, sd: float = 0.05):  # type: ignore[no-untyped-def]
    return slope * np.log10(N)[None, :] + sd * rng.standard_normal((reps, N.size))


def test_exact_power_law_recovers_its_exponents() -> None:
    """Performance rising 1 per decade of n: RMSE ∝ n^(−1/2), data exponent exactly 2.

    With FLOP ∝ n² the compute exponent is exactly 4 (the over-parameterized case).
    """
    perf = np.tile(np.log10(N).astype(float), (5, 1)) + np.arange(5)[:, None] * 1e-3
    est = estimate_exponents("m", N, perf, flop=N.astype(float) ** 2, min_n=0, random_state=0)
    assert est.data == pytest.approx(2.0, rel=1e-12)
    assert est.compute == pytest.approx(4.0, rel=1e-12)
    assert est.n_range == (10, 640) and est.points == 7


def test_interval_coverage_and_width(global_random_seed: int) -> None:
    """95 % bootstrap intervals cover the true exponent (2.5) in about 95 % of 100 data sets.

    Band [0.85, 1.0]: the percentile bootstrap with 20 repetitions is slightly liberal, and 100
    draws of a 95 % coverage have s.d. 2.2 %. Intervals narrow as repetitions grow.
    """
    rng = np.random.default_rng(global_random_seed)
    flop = N.astype(float)
    covered = 0
    for _ in range(100):
        perf = _noisy_power_law(0.8, 20, rng)
        low, high = estimate_exponents(
            "m", N, perf, flop, min_n=0, n_boot=500, random_state=rng
        ).data_ci
        covered += low <= 2.5 <= high
    assert 85 <= covered <= 100
    widths = []
    for reps in (20, 320):
        est = estimate_exponents(
            "m", N, _noisy_power_law(0.8, reps, rng), flop, min_n=0, random_state=rng
        )
        widths.append(est.data_ci[1] - est.data_ci[0])
    assert widths[1] < widths[0] / 2


def test_plateau_ends_the_improving_range() -> None:
    rng = np.random.default_rng(0)
    curve = np.minimum(np.log10(N), np.log10(80))  # flat from n = 80 on
    perf = curve[None, :] + 0.01 * rng.standard_normal((50, N.size))
    assert N[improving_range(N, perf, min_n=0)].tolist() == [10, 20, 40, 80]
    est = estimate_exponents("expert", N, perf, flop=N.astype(float), min_n=30)
    assert est.points == 2 and math.isnan(est.data) and "improving point" in est.note


def test_compute_range_can_be_shorter() -> None:
    perf = np.tile(np.log10(N).astype(float), (4, 1)) + np.arange(4)[:, None] * 1e-3
    flop = np.where(N > 50, 1e6 * N, 10.0 * N)  # an algorithm switch at n = 50
    est = estimate_exponents("lasso", N, perf, flop=flop, min_n=0, compute_min_n=51, random_state=1)
    assert est.compute == pytest.approx(2.0) and "compute fitted on n ≥ 80" in est.note


def test_crossover_interpolates_in_log_n() -> None:
    n = np.array([10, 100, 1000])
    expert = np.array([1.0, 1.0, 1.0])
    assert crossover(n, np.array([0.0, 0.5, 1.5]), expert) == pytest.approx(10**2.5)
    assert crossover(n, np.array([2.0, 2.0, 2.0]), expert) == 10.0  # ahead from the start
    assert crossover(n, np.array([0.0, 2.0, 0.5]), expert) is None  # falls behind again
    assert crossover(n, np.array([np.nan, 0.0, 2.0]), expert) == pytest.approx(10**2.5)


def test_theory_calculator_cases() -> None:
    assert STATISTICAL.data_exponent == 2 and STATISTICAL.compute_exponent == 2
    assert OVERPARAMETERIZED.compute_exponent == 4
    assert OVERPARAMETERIZED.compute_factor(10) == pytest.approx(1e4)  # 10× better: 10,000×
    # A slower error decay (α = 1/4) doubles both exponents.
    slow = ScalingTheory(error_exponent=0.25, parameter_exponent=1.0)
    assert (slow.data_exponent, slow.compute_exponent) == (4.0, 8.0)
    with pytest.raises(FitError, match="error must fall"):
        ScalingTheory(error_exponent=0)


def test_result_summaries(small_result) -> None:  # type: ignore[no-untyped-def]
    frame = small_result.to_frame()
    assert list(frame.columns) == ["model", "n", "performance", "se", "flop", "reps"]
    assert len(frame) == 4 * small_result.n.size
    flexible = frame[frame.model == "flexible"]
    assert flexible.performance.isna().tolist() == (flexible.n <= 40).tolist()
    doc = small_result.to_json_dict()
    json.dumps(doc, allow_nan=True)
    assert doc["models"]["flexible"]["n"] == [int(n) for n in small_result.n if n > 40]
    assert set(doc["exponents"]) == {"oracle", "expert", "flexible", "lasso"}
    assert doc["run"]["total_flop"] == pytest.approx(np.nansum(small_result.flop))
    assert "reps=40" in repr(small_result)
    with pytest.raises(KeyError, match="unknown model 'ridge'"):
        small_result.performance("ridge")


def test_exponents_are_reproducible(small_result) -> None:  # type: ignore[no-untyped-def]
    from dlcost.simulation import SimulationResult

    again = SimulationResult(
        settings=small_result.settings,
        excess=small_result.excess,
        flop=small_result.flop,
        lasso_alpha=small_result.lasso_alpha,
        engine_flop=small_result.engine_flop,
        wall_seconds=0.0,
    )
    assert again.exponents == small_result.exponents
