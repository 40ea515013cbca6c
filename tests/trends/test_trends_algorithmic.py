"""Algorithmic progress from the time-trend regression: closed forms, delta method, real data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from dlcost.exceptions import FitError
from dlcost.fitting import PolynomialFit
from dlcost.trends import algorithmic_progress


def time_data(b: float, c: float, rng: np.random.Generator, n: int = 80,
              sigma: float = 0.02, a: float = 0.0) -> pd.DataFrame:
    year = rng.uniform(2012, 2020, n)
    log_c = rng.uniform(16, 22, n)
    p = a + b * log_c + c * (year - 2012) + rng.normal(0, sigma, n)
    return pd.DataFrame({"compute_flop": 10**log_c, "error": 10.0**-p, "year": year})


def test_exact_model_gives_exact_progress(rng: np.random.Generator) -> None:
    frame = time_data(0.08, 0.024, rng, sigma=0.0)
    progress = algorithmic_progress(PolynomialFit(variant="time").fit(frame))
    assert progress.per_year == pytest.approx(10 ** (0.024 / 0.08), rel=1e-8)
    assert progress.halving_months == pytest.approx(12 * math.log10(2) / 0.3, rel=1e-8)


def test_delta_method_matches_a_numerical_gradient(rng: np.random.Generator) -> None:
    """Reference: statsmodels OLS; se(c/b) from a central-difference gradient of c/b."""
    frame = time_data(0.07, 0.02, rng)
    fit = PolynomialFit(variant="time", alpha=0.05).fit(frame)
    progress = algorithmic_progress(fit)
    X = sm.add_constant(np.column_stack([np.log10(frame["compute_flop"].to_numpy()),
                                         frame["year"].to_numpy() - 2012]))
    res = sm.OLS(-np.log10(frame["error"].to_numpy()), X).fit()
    b, c = res.params[1], res.params[2]
    h = 1e-7
    grad = np.array([(c / (b + h) - c / (b - h)) / (2 * h), ((c + h) / b - (c - h) / b) / (2 * h)])
    se = math.sqrt(grad @ res.cov_params()[1:3, 1:3] @ grad)
    assert progress.decades_per_year == pytest.approx(c / b, rel=1e-9)
    assert progress.decades_per_year_se == pytest.approx(se, rel=1e-5)
    lo, hi = progress.per_year_ci
    assert lo < progress.per_year < hi
    hlo, hhi = progress.halving_months_ci
    assert hlo < progress.halving_months < hhi


def test_bootstrap_interval_when_the_fit_has_resamples(rng: np.random.Generator) -> None:
    frame = time_data(0.07, 0.02, rng)
    fit = PolynomialFit(variant="time", n_boot=1000, random_state=rng).fit(frame)
    progress = algorithmic_progress(fit)
    assert progress.per_year_boot_ci is not None and progress.n_boot == 1000
    blo, bhi = progress.per_year_boot_ci
    assert blo < progress.per_year < bhi
    doc = progress.to_dict()
    assert {"per_year", "per_year_ci", "halving_months", "halving_months_ci"} <= set(doc)


def test_refuses_other_variants_and_flat_slopes(rng: np.random.Generator) -> None:
    frame = time_data(0.07, 0.02, rng)
    with pytest.raises(FitError, match="variant 'time'"):
        algorithmic_progress(PolynomialFit().fit(frame))
    flat = time_data(-0.05, 0.02, rng, a=2.5)
    with pytest.raises(FitError, match="≤ 0"):
        algorithmic_progress(PolynomialFit(variant="time").fit(flat))


@pytest.mark.shared_data
def test_imagenet_on_futuretech_matches_statsmodels(futuretech_db) -> None:  # type: ignore[no-untyped-def]
    """The paper's data: c/b from dlcost equals c/b from statsmodels on the same points."""
    from dlcost.fitting import fit_data, scaling_data

    points = scaling_data(futuretech_db, "imagenet", measure="network_operations")
    fit = fit_data(points, variant="time")
    progress = algorithmic_progress(fit)
    f = points.frame
    X = sm.add_constant(np.column_stack([np.log10(f["compute_flop"].to_numpy(dtype=float)),
                                         f["year"].to_numpy(dtype=float) - 2012]))
    res = sm.OLS(-np.log10(f["error"].to_numpy(dtype=float)), X).fit()
    assert progress.per_year == pytest.approx(10 ** (res.params[2] / res.params[1]), rel=1e-9)
    assert progress.n == len(f)


def test_from_coefficients_with_normal_quantiles() -> None:
    from scipy import stats

    from dlcost.trends import progress_from_coefficients

    p = progress_from_coefficients(0.1, 0.03, [[1e-4, 0.0], [0.0, 4e-5]], confidence=0.9)
    se = math.sqrt((0.03 / 0.01) ** 2 * 1e-4 + (1 / 0.1) ** 2 * 4e-5)
    z = stats.norm.ppf(0.95)
    assert p.decades_per_year_se == pytest.approx(se)
    assert p.per_year_ci[1] == pytest.approx(10 ** (0.3 + z * se))


def test_an_interval_past_the_float_range_is_unbounded_not_an_error() -> None:
    """A tiny, uncertain compute slope puts 10^(c/b) past 1e308: the bound is inf, no crash."""
    import math

    from dlcost.trends import progress_from_coefficients

    got = progress_from_coefficients(1e-3, 0.5, [[1e-6, 0.0], [0.0, 0.04]], df_resid=30)
    assert math.isinf(got.per_year) and math.isinf(got.per_year_ci[1])
    assert got.halving_months > 0
