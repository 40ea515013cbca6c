"""PolynomialFit and ExponentialFit: numbers against statsmodels, variants, errors, bootstrap."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from dlcost.exceptions import FitError, NotFittedError
from dlcost.fitting import ExponentialFit, PolynomialFit, make_fit


def power_law_data(rng: np.random.Generator, n: int = 60, b: float = 0.09,
                   a: float = -1.0, noise: float = 0.05) -> pd.DataFrame:
    log_c = rng.uniform(17.0, 23.5, n)
    p = a + b * log_c + rng.normal(0.0, noise, n)
    year = rng.integers(2012, 2022, n)
    return pd.DataFrame({"compute_flop": 10.0 ** log_c, "error": 10.0 ** -p, "year": year})


def test_polynomial_fit_matches_statsmodels(rng: np.random.Generator) -> None:
    """Reference::

        import statsmodels.api as sm
        X = sm.add_constant(np.log10(df.compute_flop))
        res = sm.OLS(np.log10(1 / df.error), X).fit()
        res.params, res.bse, res.conf_int(0.05), res.rsquared, res.aic, res.bic
    """
    import statsmodels.api as sm

    df = power_law_data(rng)
    ref = sm.OLS(np.log10(1 / df.error), sm.add_constant(np.log10(df.compute_flop))).fit()
    fit = PolynomialFit().fit(df)
    assert_allclose([fit.intercept_, fit.slope_], ref.params, rtol=1e-10)
    assert_allclose([fit.intercept_se_, fit.slope_se_], ref.bse, rtol=1e-10)
    assert_allclose(fit.conf_int().to_numpy(), ref.conf_int(0.05).to_numpy(), rtol=1e-10)
    assert fit.r2_ == pytest.approx(ref.rsquared, rel=1e-12)
    assert fit.aic_ == pytest.approx(ref.aic, rel=1e-12)
    assert fit.bic_ == pytest.approx(ref.bic, rel=1e-12)
    assert fit.n_ == len(df)
    assert_allclose(fit.summary["p"].to_numpy(), ref.pvalues.to_numpy(), rtol=1e-8)


def test_exponential_fit_matches_statsmodels(rng: np.random.Generator) -> None:
    """Reference: ``sm.OLS(1 / df.error, sm.add_constant(np.log10(df.compute_flop))).fit()``."""
    import statsmodels.api as sm

    df = power_law_data(rng)
    ref = sm.OLS(1 / df.error, sm.add_constant(np.log10(df.compute_flop))).fit()
    fit = ExponentialFit().fit(df)
    assert_allclose(fit.coef_, ref.params, rtol=1e-10)
    assert_allclose(fit.bse_, ref.bse, rtol=1e-10)
    assert fit.r2_ == pytest.approx(ref.rsquared, rel=1e-12)


def test_time_variant_matches_statsmodels(rng: np.random.Generator) -> None:
    """Reference: ``sm.OLS(-np.log10(err), [1, log10 C, year − 2012]).fit()``.

    METHODS.md writes the trend for log10(err); with P = log10(1/err) the signs flip.
    """
    import statsmodels.api as sm

    df = power_law_data(rng)
    X = np.column_stack([np.ones(len(df)), np.log10(df.compute_flop), df.year - 2012])
    ref = sm.OLS(np.log10(1 / df.error), X).fit()
    fit = PolynomialFit(variant="time").fit(df)
    assert_allclose(fit.coef_, ref.params, rtol=1e-10)
    assert fit.year_coef_ == pytest.approx(np.asarray(ref.params)[2])
    assert list(fit.summary.index) == ["intercept", "log10_compute", "year"]


def test_quantile_variant_is_the_tenth_percentile_of_error(rng: np.random.Generator) -> None:
    """Reference: ``sm.QuantReg(log10(1/err), X).fit(q=0.9)`` — the 10th percentile of error."""
    import statsmodels.api as sm

    df = power_law_data(rng, n=120, noise=0.1)
    X = sm.add_constant(np.log10(df.compute_flop))
    ref = sm.QuantReg(np.log10(1 / df.error), X).fit(q=0.9)
    fit = PolynomialFit(variant="quantile", quantile=0.1).fit(df)
    assert_allclose(fit.coef_, ref.params, rtol=1e-6)
    # The frontier lies below most points: about 10% of errors fall under it.
    below = df.error < fit.predict(df.compute_flop)
    assert 0.03 < below.mean() < 0.2


def test_quantile_bootstrap_refits_match_statsmodels(rng: np.random.Generator) -> None:
    import statsmodels.api as sm

    df = power_law_data(rng, n=50, noise=0.1)
    fit = PolynomialFit(variant="quantile").fit(df).bootstrap(3, random_state=1)
    draws = np.random.default_rng(1).integers(0, len(df), size=(3, len(df)))
    for i in range(3):
        sub = df.iloc[draws[i]]
        ref = sm.QuantReg(np.log10(1 / sub.error),
                          sm.add_constant(np.log10(sub.compute_flop))).fit(q=0.9).params
        assert_allclose(fit.boot_coef_[i], ref, rtol=1e-3, atol=1e-4)


def test_frontier_variant_fits_state_of_the_art_only() -> None:
    df = pd.DataFrame({
        "compute_flop": [1e18, 1e19, 1e19, 1e20, 1e21, 1e22],
        "error": [0.40, 0.30, 0.45, 0.25, 0.26, 0.15],
        "year": [2012, 2013, 2014, 2015, 2016, 2017],
    })
    fit = PolynomialFit(variant="frontier").fit(df)
    assert fit.n_ == 4
    assert fit.data_["error"].tolist() == [0.40, 0.30, 0.25, 0.15]
    # A precomputed flag (from all results, also those without compute) wins.
    flagged = df.assign(state_of_the_art=[True, True, False, False, True, True])
    assert PolynomialFit(variant="frontier").fit(flagged).data_["error"].tolist() == [
        0.40, 0.30, 0.26, 0.15]


def test_perfect_power_law_is_recovered_exactly() -> None:
    log_c = np.array([18.0, 19.5, 21.0, 22.0])
    df = pd.DataFrame({"compute_flop": 10.0 ** log_c, "error": 10.0 ** -(-1.2 + 0.1 * log_c)})
    fit = PolynomialFit().fit(df)
    assert fit.slope_ == pytest.approx(0.1, abs=1e-12)
    assert fit.intercept_ == pytest.approx(-1.2, abs=1e-10)
    assert fit.r2_ == pytest.approx(1.0)
    assert fit.compute_for(0.05) == pytest.approx(10.0 ** ((-np.log10(0.05) + 1.2) / 0.1))


def test_compute_for_inverts_predict(rng: np.random.Generator) -> None:
    df = power_law_data(rng)
    for cls in (PolynomialFit, ExponentialFit):
        fit = cls().fit(df)
        c = np.array([1e19, 1e21, 1e24])
        assert_allclose(fit.compute_for(fit.predict(c)), c, rtol=1e-9)


def test_time_variant_compute_depends_on_the_year(rng: np.random.Generator) -> None:
    df = power_law_data(rng)
    df["error"] *= 10.0 ** (-0.02 * (df.year - 2012))
    fit = PolynomialFit(variant="time").fit(df)
    assert fit.year_coef_ > 0
    assert fit.compute_for(0.05, year=2030) < fit.compute_for(0.05, year=2020)


def test_too_few_points_says_what_to_try() -> None:
    df = pd.DataFrame({"compute_flop": [1e18, 1e20], "error": [0.4, 0.3]})
    with pytest.raises(FitError) as info:
        PolynomialFit().fit(df)
    message = str(info.value)
    assert "at least 3 points" in message and "2 given" in message
    assert "(1.0e18 FLOP, 0.4)" in message
    assert "--measure" in message and "--data all" in message


def test_no_spread_in_compute_is_refused() -> None:
    df = pd.DataFrame({"compute_flop": [1e20] * 4, "error": [0.4, 0.3, 0.2, 0.25]})
    with pytest.raises(FitError, match=r"same compute \(1e\+20 FLOP\)"):
        PolynomialFit().fit(df)


@pytest.mark.parametrize("bad", [0.0, 1.0, 1.5, np.nan])
def test_errors_outside_zero_one_are_refused(bad: float) -> None:
    df = pd.DataFrame({"compute_flop": [1e18, 1e19, 1e20], "error": [0.4, bad, 0.2]})
    with pytest.raises(FitError, match=r"errors must lie in \(0, 1\)"):
        PolynomialFit().fit(df)


def test_options_are_checked() -> None:
    with pytest.raises(FitError, match="unknown variant 'robust'"):
        PolynomialFit(variant="robust")
    with pytest.raises(FitError, match="alpha must be in"):
        PolynomialFit(alpha=1.5)
    with pytest.raises(FitError, match="unknown form 'cubic'"):
        make_fit("cubic")


def test_reading_before_fitting_raises_not_fitted() -> None:
    fit = PolynomialFit()
    assert "not fitted" in repr(fit)
    with pytest.raises(NotFittedError):
        _ = fit.slope_
    with pytest.raises(AttributeError):  # NotFittedError is an AttributeError too
        fit.compute_for(0.1)


def test_summary_repr_and_dict(rng: np.random.Generator) -> None:
    fit = PolynomialFit(alpha=0.1).fit(power_law_data(rng, n=30))
    assert list(fit.summary.columns) == ["coef", "se", "t", "p", "lower 90%", "upper 90%"]
    assert "n=30" in repr(fit) and "log10(1/err)" in repr(fit)
    d = fit.to_dict()
    assert d["n"] == 30 and d["form"] == "poly" and d["confidence"] == pytest.approx(0.9)
    fit.bootstrap(200, random_state=0)
    assert "boot lower 90%" in fit.summary.columns


def test_bootstrap_is_seeded_and_accepts_a_generator(rng: np.random.Generator) -> None:
    df = power_law_data(rng)
    a = PolynomialFit(n_boot=300, random_state=7).fit(df).boot_coef_
    b = PolynomialFit().fit(df).bootstrap(300, random_state=np.random.default_rng(7)).boot_coef_
    assert a is not None and b is not None
    assert_allclose(a, b)


def test_bootstrap_interval_agrees_with_scipy(rng: np.random.Generator) -> None:
    """Reference: ``scipy.stats.bootstrap((idx,), slope, method='percentile', n_resamples=4000)``.

    Tolerance: both are Monte Carlo percentile intervals of 4,000 resamples; their ends agree
    within a quarter of the interval's width.
    """
    from scipy import stats

    df = power_law_data(rng, n=40, noise=0.08)
    x, y = np.log10(df.compute_flop.to_numpy()), np.log10(1 / df.error.to_numpy())

    def slope(i: np.ndarray) -> float:
        return float(np.polyfit(x[i.astype(int)], y[i.astype(int)], 1)[0])

    ref = stats.bootstrap((np.arange(len(df)),), slope, vectorized=False, n_resamples=4000,
                          method="percentile", random_state=np.random.default_rng(3))
    fit = PolynomialFit().fit(df).bootstrap(4000, random_state=4)
    lo, hi = fit.boot_conf_int().loc["log10_compute"]
    width = ref.confidence_interval.high - ref.confidence_interval.low
    assert abs(lo - ref.confidence_interval.low) < 0.25 * width
    assert abs(hi - ref.confidence_interval.high) < 0.25 * width


def test_bootstrap_covers_the_true_slope_about_95_percent(global_random_seed: int) -> None:
    """200 simulated data sets; a 95% interval should cover b = 0.09 in about 95% of them.

    The percentile bootstrap under-covers a little at n = 30 (≈92% over seeds 0–11: 178–190
    of 200). The band 170–198 (85–99%) is ≥ 4 binomial s.d. (≈3.7) from that centre, so it
    holds for every seed of the nightly run while still failing a broken interval.
    """
    rng = np.random.default_rng(global_random_seed)
    covered = 0
    for _ in range(200):
        fit = PolynomialFit().fit(power_law_data(rng, n=30)).bootstrap(400, random_state=rng)
        lo, hi = fit.boot_conf_int().loc["log10_compute"]
        covered += lo <= 0.09 <= hi
    assert 170 <= covered <= 198


def test_bootstrap_interval_narrows_as_n_grows(rng: np.random.Generator) -> None:
    widths = []
    for n in (20, 80, 320):
        fit = PolynomialFit().fit(power_law_data(rng, n=n)).bootstrap(2000, random_state=rng)
        lo, hi = fit.boot_conf_int().loc["log10_compute"]
        widths.append(hi - lo)
    assert widths[0] > widths[1] > widths[2]


def test_inverse_prediction_interval_is_the_set_where_the_target_is_plausible(
    rng: np.random.Generator,
) -> None:
    """Brute force: the x0 where |y0 − ŷ(x0)| ≤ t·s·√(1 + 1/n + (x0 − x̄)²/Sxx)."""
    from scipy import stats

    df = power_law_data(rng, n=25, noise=0.05)
    fit = PolynomialFit().fit(df)
    lo, hi = np.log10(fit.compute_interval(0.05, kind="prediction"))
    x = np.log10(df.compute_flop.to_numpy())
    y0 = -np.log10(0.05)
    grid = np.linspace(lo - 1, hi + 1, 20001)
    s2 = fit.resid_var_
    t = stats.t.ppf(0.975, len(x) - 2)
    half = t * np.sqrt(s2 * (1 + 1 / len(x) + (grid - x.mean()) ** 2
                             / ((x - x.mean()) ** 2).sum()))
    inside = grid[np.abs(y0 - (fit.intercept_ + fit.slope_ * grid)) <= half]
    assert inside.min() == pytest.approx(lo, abs=2e-3)
    assert inside.max() == pytest.approx(hi, abs=2e-3)
    assert lo < np.log10(fit.compute_for(0.05)) < hi


def test_compute_interval_needs_a_bootstrap(rng: np.random.Generator) -> None:
    fit = PolynomialFit().fit(power_law_data(rng))
    with pytest.raises(NotFittedError, match="no bootstrap yet"):
        fit.compute_interval(0.05)


def test_a_flat_fit_cannot_be_inverted() -> None:
    df = pd.DataFrame({"compute_flop": [1e18, 1e19, 1e20, 1e21],
                       "error": [0.2, 0.25, 0.2, 0.25]})
    fit = PolynomialFit().fit(df)
    assert fit.slope_ <= 0
    with pytest.raises(FitError, match="more compute does not lower the error"):
        fit.compute_for(0.1)


def test_a_variant_object_is_the_same_fit_as_its_name(rng: np.random.Generator) -> None:
    from dlcost.fitting import Frontier, Quantile, Time, make_variant

    df = power_law_data(rng, n=60, noise=0.1)
    for name, strategy in (("quantile", Quantile(0.1)), ("time", Time()),
                           ("frontier", Frontier())):
        by_name = PolynomialFit(variant=name).fit(df)
        by_object = PolynomialFit(variant=strategy).fit(df)
        assert by_object.variant == name
        assert_allclose(by_object.coef_, by_name.coef_, rtol=1e-12)
    assert isinstance(make_variant("quantile", quantile=0.2), Quantile)
    assert make_variant("quantile", quantile=0.2).q == 0.2


def test_quantile_fit_has_no_likelihood_rather_than_nan(rng: np.random.Generator) -> None:
    fit = PolynomialFit(variant="quantile").fit(power_law_data(rng, n=60, noise=0.1))
    assert fit.aic_ is None and fit.bic_ is None and fit.llf_ is None
    assert fit.resid_var_ is None
    assert fit.r2_kind_ == "pseudo R²"
    doc = fit.to_dict()
    assert doc["aic"] is None and doc["r2_kind"] == "pseudo R²"
    assert "pseudo R²" in repr(fit)


def test_statsmodels_iteration_limit_is_surfaced(
    rng: np.random.Generator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a one-step limit, QuantReg's IterationLimitWarning comes out as ours."""
    from dlcost.exceptions import ConvergenceWarning
    from dlcost.fitting import variants

    monkeypatch.setattr(variants, "QUANTREG_MAX_ITER", 1)
    with pytest.warns(ConvergenceWarning, match="iteration limit"):
        fit = PolynomialFit(variant="quantile").fit(power_law_data(rng, n=60, noise=0.1))
    assert fit.fit_warnings_
    assert fit.to_dict()["warnings"] == fit.fit_warnings_


def test_unconverged_bootstrap_resamples_are_counted(
    rng: np.random.Generator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dlcost import stats
    from dlcost.exceptions import ConvergenceWarning
    from dlcost.fitting import variants

    fit = PolynomialFit(variant="quantile").fit(power_law_data(rng, n=60, noise=0.1))
    one_step = lambda X, y, w, q, max_iter: stats.quantile_irls(X, y, w, q, max_iter=1)  # noqa: E731
    monkeypatch.setattr(variants, "quantile_irls", one_step)
    with pytest.warns(ConvergenceWarning, match="20 of 20 bootstrap resamples"):
        fit.bootstrap(20, random_state=0)
    assert fit.boot_not_converged_ == 20
    assert fit.to_dict()["boot_not_converged"] == 20


def test_provenance_goes_into_fit(rng: np.random.Generator) -> None:
    from dlcost.fitting import Provenance

    df = power_law_data(rng)
    bare = PolynomialFit().fit(df)
    assert bare.benchmark_ is None and bare.sources_ is None
    fit = PolynomialFit().fit(df, provenance=Provenance(benchmark="imagenet",
                                                        sources=("builtin",)))
    assert fit.benchmark_ == "imagenet" and fit.sources_ == ["builtin"]
    assert "benchmark_" not in type(fit).__dict__  # an instance attribute, not a class default
