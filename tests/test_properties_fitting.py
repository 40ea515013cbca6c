"""Invariants of the scaling fits and projections (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dlcost.exceptions import FitError
from dlcost.fitting import ExponentialFit, PolynomialFit

slopes = st.floats(min_value=0.01, max_value=0.5)
intercepts = st.floats(min_value=-3.0, max_value=1.0)
log_computes = st.lists(st.floats(min_value=15.0, max_value=25.0), min_size=3, max_size=40,
                        unique=True)


def _power_law(a: float, b: float, log_c: list[float]) -> pd.DataFrame:
    x = np.array(log_c)
    return pd.DataFrame({"compute_flop": 10.0 ** x, "error": 10.0 ** -(a + b * x)})


@given(intercepts, slopes, log_computes)
def test_a_perfect_power_law_is_recovered_exactly(a: float, b: float, log_c: list[float]) -> None:
    x = np.array(log_c)
    assume(np.ptp(x) > 0.5)
    p = a + b * x
    assume(np.all(p > 1e-3))  # errors strictly inside (0, 1)
    fit = PolynomialFit().fit(_power_law(a, b, log_c))
    assert fit.slope_ == pytest.approx(b, rel=1e-9, abs=1e-12)
    assert fit.intercept_ == pytest.approx(a, rel=1e-9, abs=1e-9)
    assert fit.r2_ == pytest.approx(1.0, abs=1e-9)


noisy = st.integers(min_value=0, max_value=2**32 - 1)


def _noisy(seed: int, n: int = 30) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.uniform(18.0, 23.0, n)
    p = -1.0 + 0.09 * x + rng.normal(0.0, 0.05, n)
    return pd.DataFrame({"compute_flop": 10.0 ** x, "error": 10.0 ** -p,
                         "year": rng.integers(2012, 2022, n)})


@settings(max_examples=30, deadline=None)
@given(noisy, st.lists(st.floats(min_value=0.001, max_value=0.3), min_size=2, max_size=6,
                       unique=True))
def test_required_compute_is_monotone_in_the_target_error(seed: int, errors: list[float]) -> None:
    errors = sorted(errors)
    # Targets one float apart (0.29999999999999993 vs 0.3) map to the same double of log
    # compute: strict monotonicity is only resolvable for targets that differ in value.
    assume(np.all(np.diff(np.log(errors)) > 1e-9))
    for cls in (PolynomialFit, ExponentialFit):
        fit = cls().fit(_noisy(seed))
        assume(fit.slope_ > 0)
        log_flops = fit.log10_compute_for(np.array(errors))  # logs: 1e-3 error may pass 1e308
        assert np.all(np.diff(log_flops) < 0)  # lower error, more compute


@settings(max_examples=20, deadline=None)
@given(noisy, st.sampled_from([0.5, 0.8, 0.9, 0.95, 0.99]),
       st.sampled_from([0.5, 0.8, 0.9, 0.95, 0.99]))
def test_intervals_widen_as_the_confidence_rises(seed: int, c1: float, c2: float) -> None:
    assume(c1 < c2)
    fit = PolynomialFit().fit(_noisy(seed)).bootstrap(500, random_state=seed)
    for kind in ("bootstrap", "prediction"):
        lo1, hi1 = fit.compute_interval(0.05, kind=kind, alpha=1 - c1)
        lo2, hi2 = fit.compute_interval(0.05, kind=kind, alpha=1 - c2)
        assert lo2 <= lo1 and hi1 <= hi2
    t1 = fit.conf_int(alpha=1 - c1).loc["log10_compute"]
    t2 = fit.conf_int(alpha=1 - c2).loc["log10_compute"]
    assert t2.iloc[0] < t1.iloc[0] and t1.iloc[1] < t2.iloc[1]
    b1 = fit.boot_conf_int(alpha=1 - c1).loc["log10_compute"]
    b2 = fit.boot_conf_int(alpha=1 - c2).loc["log10_compute"]
    assert b2.iloc[0] <= b1.iloc[0] and b1.iloc[1] <= b2.iloc[1]


@settings(max_examples=30, deadline=None)
@given(noisy, st.randoms(use_true_random=False),
       st.sampled_from(["ols", "time", "quantile", "frontier"]))
def test_results_do_not_depend_on_the_order_of_rows(seed: int, shuffler, variant: str) -> None:
    df = _noisy(seed)
    order = list(range(len(df)))
    shuffler.shuffle(order)
    try:
        a = PolynomialFit(variant=variant).fit(df)
    except FitError:  # e.g. too few state-of-the-art points: then in every order
        with pytest.raises(FitError):
            PolynomialFit(variant=variant).fit(df.iloc[order])
        return
    b = PolynomialFit(variant=variant).fit(df.iloc[order])
    assert np.allclose(a.coef_, b.coef_, rtol=1e-6, atol=1e-8)
    assert a.n_ == b.n_
    if variant != "quantile":
        assert a.r2_ == pytest.approx(b.r2_, rel=1e-9)
