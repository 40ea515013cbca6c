"""The engine's shortcuts are exact: Wishart increments, closed-form risks, nested samples."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from dlcost.simulation import MODELS, SimulationSettings
from dlcost.simulation._engine import _FoldStatistics, simulate_block, simulate_repetition
from dlcost.simulation.flop import ols_flop

ORACLE, EXPERT, FLEXIBLE, LASSO = (
    MODELS.index(m) for m in ("oracle", "expert", "flexible", "lasso")
)


def test_bartlett_increment_has_wishart_moments() -> None:
    """ΔG ~ Wishart(m, I): E = m·I, Var(G_ii) = 2m, Var(G_ij) = m; Xᵀε ~ N(0, σ²·ΔG).

    Over 4,000 draws the sample moments are within 5 standard errors (the s.e. of a sample
    variance v of a Gaussian-like quantity is about v·√(2/N); of a mean, √(v/N)).
    """
    p, m, sigma, draws = 4, 9, 1.5, 4000
    rng = np.random.default_rng(3)
    grams = np.empty((draws, p, p))
    x_eps = np.empty((draws, p))
    eps2 = np.empty(draws)
    for d in range(draws):
        stats = _FoldStatistics(np.empty((0, p)), np.empty(0), folds=1)
        stats.grow(rng, 0, m, sigma)
        lower = stats.grams[0]
        grams[d] = lower + lower.T - np.diag(np.diag(lower))
        x_eps[d], eps2[d] = stats.x_eps[0], stats.eps2[0]
    se_mean = np.sqrt(2 * m / draws)
    assert np.all(np.abs(np.diagonal(grams, axis1=1, axis2=2).mean(0) - m) < 5 * se_mean)
    off = grams[:, 0, 1]
    assert abs(off.mean()) < 5 * np.sqrt(m / draws)
    assert abs(off.var() / m - 1) < 5 * np.sqrt(2 / draws) * 1.5
    assert abs(grams[:, 2, 2].var() / (2 * m) - 1) < 5 * np.sqrt(2 / draws) * 2
    # Given G, Xᵀε has covariance σ²G, so E[εᵀX G⁻¹ Xᵀε] = σ² p; and εᵀε has mean σ² m.
    quad = np.einsum("di,dij,dj->d", x_eps, np.linalg.inv(grams), x_eps)
    assert abs(quad.mean() / (sigma**2 * p) - 1) < 5 * np.sqrt(2 / (p * draws))
    assert abs(eps2.mean() / (sigma**2 * m) - 1) < 5 * np.sqrt(2 / (m * draws))
    # εᵀε − εᵀX G⁻¹ Xᵀε is the residual sum of squares: σ²χ²(m − p), never negative.
    assert np.all(eps2 - quad > -1e-9)


def test_row_increments_and_bartlett_increments_agree_in_law() -> None:
    """The same statistic from rows (m < p) and from the Bartlett draw (m ≥ p) has the same mean."""
    p = 5
    rng = np.random.default_rng(4)
    means = {}
    for m in (4, 5):  # 4 < p: rows; 5 = p: Bartlett
        traces = []
        for _ in range(3000):
            stats = _FoldStatistics(np.empty((0, p)), np.empty(0), folds=1)
            stats.grow(rng, 0, m, 1.0)
            traces.append(np.trace(stats.grams[0]) / m)
        means[m] = np.mean(traces)
    # E[tr(G)/m] = p for both; s.e. ≈ √(2p/m / 3000).
    for m, value in means.items():
        assert abs(value - p) < 5 * np.sqrt(2 * p / m / 3000)


def test_closed_form_risk_matches_theory(global_random_seed: int) -> None:
    """E||b̂ − β||² = σ²·k / (n − k − 1) for OLS on k correct features (inverse Wishart mean)."""
    settings = SimulationSettings(
        features=30, relevant=3, reps=400, n_min=10, n_max=300, n_points=4, seed=global_random_seed
    )
    block = simulate_block(settings, 0, settings.reps)
    n = settings.n_grid.astype(float)
    for model, k in ((ORACLE, 3), (FLEXIBLE, 30)):
        values = block.excess[:, model, :]
        ok = n > k + 3  # finite variance of the inverse Wishart needs n − k > 3
        mean, se = values[:, ok].mean(0), values[:, ok].std(0, ddof=1) / np.sqrt(settings.reps)
        expected = k / (n[ok] - k - 1)
        assert np.all(np.abs(mean - expected) < 5 * se), (model, mean, expected)


def test_expert_never_beats_its_omitted_signal(global_random_seed: int) -> None:
    """The expert's excess risk is at least the variance of the true features it leaves out."""
    settings = SimulationSettings(
        features=30,
        relevant=4,
        expert_correct=2,
        reps=5,
        n_min=10,
        n_max=3000,
        n_points=5,
        seed=global_random_seed,
    )
    for rep in range(settings.reps):
        excess, _, _, _ = simulate_repetition(settings, rep)
        rng = np.random.default_rng(np.random.SeedSequence(settings.seed, spawn_key=(rep,)))
        beta = rng.standard_normal(4)  # the first draw of a repetition is its truth
        omitted = float(beta[2:] @ beta[2:])
        assert np.all(excess[EXPERT] >= omitted - 1e-12)
        assert excess[EXPERT, -1] < omitted * 1.2 + 0.05  # and plateaus just above it


def test_undefined_fits_are_nan_and_defined_ones_finite() -> None:
    settings = SimulationSettings(features=20, relevant=3, reps=2, n_min=3, n_max=200, n_points=6)
    excess, flop, alpha, engine = simulate_repetition(settings, 0)
    n = settings.n_grid
    assert np.array_equal(np.isnan(excess[FLEXIBLE]), n <= 20)
    assert np.array_equal(np.isnan(excess[ORACLE]), n <= 3)
    assert np.all(np.isfinite(excess[LASSO])) and np.all(alpha > 0) and engine > 0
    np.testing.assert_allclose(flop[ORACLE, n > 3], ols_flop(n[n > 3].astype(float), 3))
    np.testing.assert_allclose(flop[FLEXIBLE, n > 20], ols_flop(n[n > 20].astype(float), 20))


def test_lasso_uses_the_universal_penalty() -> None:
    settings = SimulationSettings(
        features=50, relevant=3, reps=2, n_min=10, n_max=500, n_points=4, noise_sd=2.0
    )
    _, _, alpha, _ = simulate_repetition(settings, 1)
    np.testing.assert_allclose(alpha, 2.0 * np.sqrt(2 * np.log(50) / settings.n_grid))


def test_cross_validated_lasso_picks_from_its_grid() -> None:
    from dlcost.simulation._settings import CV_ALPHA_MULTIPLIERS

    settings = SimulationSettings(
        features=30,
        relevant=3,
        reps=2,
        n_min=20,
        n_max=400,
        n_points=4,
        lasso_alpha="cv",
        cv_folds=3,
    )
    excess, flop, alpha, _ = simulate_repetition(settings, 0)
    universal = np.sqrt(2 * np.log(30) / settings.n_grid)
    ratios = alpha / universal
    assert all(np.isclose(r, CV_ALPHA_MULTIPLIERS).any() for r in ratios)
    assert np.all(np.isfinite(excess[LASSO]))
    universal_run = simulate_repetition(dataclasses.replace(settings, lasso_alpha="universal"), 0)
    assert np.all(flop[LASSO] > universal_run[1][LASSO])  # many fits cost more than one


def test_noise_level_scales_out(global_random_seed: int) -> None:
    """With the same draws, σ scales out of the oracle's and flexible model's normalized risk."""
    base = SimulationSettings(
        features=20, relevant=3, reps=2, n_min=30, n_max=300, n_points=3, seed=global_random_seed
    )
    a, _, _, _ = simulate_repetition(base, 0)
    b, _, _, _ = simulate_repetition(dataclasses.replace(base, noise_sd=3.0), 0)
    # The oracle's and flexible model's errors are linear in the noise alone.
    np.testing.assert_allclose(a[[ORACLE, FLEXIBLE]], b[[ORACLE, FLEXIBLE]], rtol=1e-9)


@pytest.mark.parametrize("folds", [1, 3])
def test_nested_statistics_equal_the_rows_they_summarize(folds: int) -> None:
    """Below p rows the statistics are formed from rows; check them against numpy directly."""
    rng = np.random.default_rng(5)
    rows = rng.standard_normal((17, 6))
    noise = rng.standard_normal(17)
    stats = _FoldStatistics(rows, noise, folds)
    gram, x_eps, eps2 = stats.total()
    np.testing.assert_allclose(np.tril(gram), np.tril(rows.T @ rows), rtol=1e-12)
    np.testing.assert_allclose(x_eps, rows.T @ noise, rtol=1e-12)
    assert np.isclose(eps2, noise @ noise)
    assert stats.counts.sum() == 17


def test_agrees_with_a_simulation_on_explicit_rows(global_random_seed: int) -> None:
    """Same model, simulated the long way: rows, y, numpy least squares and scikit-learn's Lasso.

    The reference draws its own data, so the two agree in law only: per model and n the mean
    performance differs by less than 4.5 combined standard errors.
    """
    import sklearn.linear_model as sklearn_linear
    settings = SimulationSettings(
        features=25, relevant=3, reps=200, n_min=8, n_max=500, n_points=5, seed=global_random_seed
    )
    ours = -np.log10(simulate_block(settings, 0, settings.reps).excess)
    rng = np.random.default_rng(global_random_seed + 1)
    grid = settings.n_grid
    theirs = np.full_like(ours, np.nan)
    subsets = {ORACLE: np.arange(3), EXPERT: np.array([0, 1, 3]), FLEXIBLE: np.arange(25)}
    for rep in range(settings.reps):
        beta = np.zeros(25)
        beta[:3] = rng.standard_normal(3)
        x = rng.standard_normal((grid[-1], 25))
        y = x @ beta + rng.standard_normal(grid[-1])
        for k, n in enumerate(grid):
            for model, cols in subsets.items():
                if n > cols.size:
                    coef = np.zeros(25)
                    coef[cols] = np.linalg.lstsq(x[:n, cols], y[:n], rcond=None)[0]
                    theirs[rep, model, k] = -np.log10((coef - beta) @ (coef - beta))
            alpha = np.sqrt(2 * np.log(25) / n)
            lasso = sklearn_linear.Lasso(
                alpha=alpha, fit_intercept=False, tol=1e-10, max_iter=100_000
            ).fit(x[:n], y[:n])
            theirs[rep, LASSO, k] = -np.log10((lasso.coef_ - beta) @ (lasso.coef_ - beta))
    defined = np.all(np.isfinite(ours), axis=0)
    assert np.array_equal(defined, np.all(np.isfinite(theirs), axis=0))
    se = np.hypot(ours.std(0, ddof=1), theirs.std(0, ddof=1)) / np.sqrt(settings.reps)
    z = (ours.mean(0) - theirs.mean(0))[defined] / se[defined]
    assert np.max(np.abs(z)) < 4.5, z
