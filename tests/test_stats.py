"""Closed-form OLS and the batched refits against statsmodels, the reference implementation."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from dlcost import stats


def _data(rng: np.random.Generator, n: int = 60) -> tuple[np.ndarray, np.ndarray]:
    x = rng.uniform(17.0, 23.5, n)
    y = -1.0 + 0.09 * x + rng.normal(0.0, 0.06, n)
    return np.column_stack([np.ones(n), x]), y


def test_ols_matches_statsmodels(rng: np.random.Generator) -> None:
    """Reference::

        import statsmodels.api as sm
        res = sm.OLS(y, X).fit()
        res.params, res.bse, res.rsquared, res.llf, res.aic, res.bic, res.cov_params()
    """
    import statsmodels.api as sm
    X, y = _data(rng)
    ref = sm.OLS(y, X).fit()
    got = stats.ols(X, y)
    assert_allclose(got.params, ref.params, rtol=1e-10)
    assert_allclose(got.bse, ref.bse, rtol=1e-10)
    assert_allclose(got.cov, ref.cov_params(), rtol=1e-10)
    assert got.rsquared == pytest.approx(ref.rsquared, rel=1e-12)
    assert got.llf == pytest.approx(ref.llf, rel=1e-12)
    assert got.aic == pytest.approx(ref.aic, rel=1e-12)
    assert got.bic == pytest.approx(ref.bic, rel=1e-12)
    assert got.df_resid == ref.df_resid


def test_batched_weighted_ols_equals_ols_on_each_resample(rng: np.random.Generator) -> None:
    X, y = _data(rng, 40)
    idx = rng.integers(0, 40, size=(25, 40))
    counts = stats.counts_from_indices(idx, 40)
    assert counts.sum(axis=1).tolist() == [40] * 25
    batch = stats.weighted_ols_batch(X, y, counts.astype(float))
    for i in range(25):
        one = stats.ols(X[idx[i]], y[idx[i]]).params
        assert_allclose(batch[i], one, rtol=1e-9, atol=1e-12)


def test_batched_ols_with_three_regressors(rng: np.random.Generator) -> None:
    n = 50
    X = np.column_stack([np.ones(n), rng.uniform(17, 23, n), rng.integers(0, 10, n)])
    y = X @ np.array([-0.9, 0.07, 0.02]) + rng.normal(0, 0.05, n)
    idx = rng.integers(0, n, size=(10, n))
    batch = stats.weighted_ols_batch(X, y, stats.counts_from_indices(idx, n).astype(float))
    for i in range(10):
        assert_allclose(batch[i], stats.ols(X[idx[i]], y[idx[i]]).params, rtol=1e-8, atol=1e-12)


def test_a_resample_without_spread_gives_nan() -> None:
    X = np.column_stack([np.ones(4), [1.0, 2.0, 3.0, 4.0]])
    y = np.array([1.0, 2.0, 2.5, 4.0])
    weights = np.array([[4.0, 0, 0, 0], [1.0, 1, 1, 1]])
    out = stats.weighted_ols_batch(X, y, weights)
    assert np.isnan(out[0]).all()
    assert_allclose(out[1], stats.ols(X, y).params, atol=1e-12)


def test_quantile_irls_matches_statsmodels_quantreg(rng: np.random.Generator) -> None:
    """Reference: ``sm.QuantReg(y, X).fit(q=0.9).params`` (IRLS, p_tol 1e-6)."""
    import statsmodels.api as sm
    X, y = _data(rng, 80)
    ref = sm.QuantReg(y, X).fit(q=0.9, max_iter=5000).params
    got = stats.quantile_irls_batch(X, y, np.ones((1, len(y))), 0.9)[0]
    assert_allclose(got, ref, rtol=1e-4, atol=1e-5)


def test_bootstrap_counts_are_seeded(global_random_seed: int) -> None:
    a = stats.bootstrap_counts(10, 5, np.random.default_rng(global_random_seed))
    b = stats.bootstrap_counts(10, 5, np.random.default_rng(global_random_seed))
    assert (a == b).all()
    assert a.shape == (5, 10)


def test_quantile_irls_reports_resamples_stopped_at_the_iteration_limit(
    rng: np.random.Generator,
) -> None:
    """One iteration cannot meet the stopping rule; enough iterations do, for every resample."""
    X, y = _data(rng, 50)
    counts = stats.bootstrap_counts(50, 20, rng).astype(float)
    short = stats.quantile_irls(X, y, counts, 0.9, max_iter=1)
    assert short.n_not_converged == 20
    full = stats.quantile_irls(X, y, counts, 0.9, max_iter=5000)
    assert full.n_not_converged == 0
    assert_allclose(full.params, stats.quantile_irls_batch(X, y, counts, 0.9, max_iter=5000))


def test_unsolvable_resamples_are_not_counted_as_unconverged() -> None:
    X = np.column_stack([np.ones(4), [1.0, 2.0, 3.0, 4.0]])
    y = np.array([1.0, 2.0, 2.5, 4.0])
    out = stats.quantile_irls(X, y, np.array([[4.0, 0, 0, 0]]), 0.5, max_iter=1)
    assert np.isnan(out.params).all()
    assert out.n_not_converged == 0


def test_quantiles_are_scipy_stats_bit_for_bit() -> None:
    from scipy import stats as scipy_stats

    from dlcost.stats import norm_ppf, t_ppf

    qs = np.array([0.525, 0.55, 0.6, 0.75, 0.8, 0.9, 0.95, 0.975, 0.995, 0.9995])
    dfs = np.array([1, 2, 3, 5, 8, 13, 30, 100, 1000, 1e5, 2.5])
    for df in dfs:
        np.testing.assert_array_equal(t_ppf(qs, df), scipy_stats.t.ppf(qs, df))
        assert float(t_ppf(0.95, df)) == float(scipy_stats.t.ppf(0.95, df))
    np.testing.assert_array_equal(t_ppf(0.9, dfs), scipy_stats.t.ppf(0.9, dfs))
    grid = np.linspace(0.001, 0.999, 999)
    np.testing.assert_array_equal(norm_ppf(grid), scipy_stats.norm.ppf(grid))


def test_intervals_do_not_import_scipy_stats() -> None:
    """scipy.stats costs ~0.45 s to import; the report's intervals need only its quantiles."""
    import subprocess
    import sys

    code = ("import sys; from dlcost.trends.fit import _t; from dlcost.backtest.scoring import "
            "t_quantile; from dlcost.plan.inputs import _normal_from_interval; "
            "_t(0.9, 12); t_quantile(0.8, [3, 4]); _normal_from_interval(1.0, 2.0, 0.9); "
            "print('scipy.stats' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
