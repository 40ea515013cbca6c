"""TrendFit: log-linear growth over time, against statsmodels and closed forms."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st

from dlcost.exceptions import FitError, NotFittedError
from dlcost.trends import TrendFit, date_of, decimal_year, doubling_from_slope, fit_trend
from dlcost.trends.fit import CONSTRAINTS


def noisy_series(rate: float, n: int, sigma: float, rng: np.random.Generator):
    years = np.sort(rng.uniform(2010.0, 2024.0, n))
    values = 1e20 * rate ** (years - 2010.0) * 10.0 ** rng.normal(0.0, sigma, n)
    return years, values


def test_decimal_year_is_year_plus_day_of_year() -> None:
    got = decimal_year(["2020-01-01", "2021-12-31", "2016-03-01"])
    assert got.tolist() == pytest.approx([2020.0, 2021 + 364 / 365.25, 2016 + 60 / 365.25])
    assert decimal_year([2018.5, 2019]).tolist() == [2018.5, 2019.0]
    assert date_of(2016 + 60 / 365.25).isoformat() == "2016-03-01"
    stamps = pd.Series(pd.to_datetime(["2020-01-01", "2021-07-01"]))
    assert decimal_year(stamps).tolist() == pytest.approx([2020.0, 2021 + 181 / 365.25])


def test_predict_accepts_dates_timestamps_and_years() -> None:
    import datetime as dt

    fit = fit_trend([2016.0, 2018.0, 2020.0], [1.0, 10.0, 100.0])
    want = fit.predict(2022.0)
    for when in (dt.date(2022, 1, 1), pd.Timestamp("2022-01-01"), np.datetime64("2022-01-01"),
                 "2022-01-01"):
        assert fit.predict(when) == pytest.approx(want)


def test_exact_growth_has_exact_doubling() -> None:
    fit = TrendFit().fit([2010.0, 2011.0, 2012.0, 2013.0, 2014.0], 5.0 * 4.0 ** np.arange(5))
    assert fit.growth_per_year_ == pytest.approx(4.0, rel=1e-12)
    assert fit.doubling_years_ == pytest.approx(0.5, rel=1e-12)
    assert fit.growth_ci_[0] == pytest.approx(4.0) and fit.growth_ci_[1] == pytest.approx(4.0)


def test_matches_statsmodels() -> None:
    """Reference::

        X = sm.add_constant(years); res = sm.OLS(np.log10(values), X).fit()
        res.conf_int(alpha=0.10)[1]  → the 90 % interval of the slope
    """
    rng = np.random.default_rng(3)
    years, values = noisy_series(3.0, 60, 0.4, rng)
    fit = TrendFit(confidence=0.9).fit(years, values)
    res = sm.OLS(np.log10(values), sm.add_constant(years)).fit()
    lo, hi = res.conf_int(alpha=0.10)[1]
    np.testing.assert_allclose(fit.slope_, res.params[1], rtol=1e-9)
    np.testing.assert_allclose(fit.growth_ci_, (10**lo, 10**hi), rtol=1e-9)
    np.testing.assert_allclose(fit.r2_, res.rsquared, rtol=1e-9)
    pred = res.get_prediction(np.array([[1.0, 2030.0]])).summary_frame(alpha=0.10)
    np.testing.assert_allclose(fit.predict_interval(2030.0, kind="prediction"),
                               10 ** pred[["obs_ci_lower", "obs_ci_upper"]].to_numpy()[0],
                               rtol=1e-9)
    np.testing.assert_allclose(fit.predict_interval(2030.0),
                               10 ** pred[["mean_ci_lower", "mean_ci_upper"]].to_numpy()[0],
                               rtol=1e-9)


def test_known_growth_is_covered_at_the_stated_rate() -> None:
    """The 90 % interval covers the true growth in about 90 % of 400 simulated series."""
    rng = np.random.default_rng(12)
    hits = 0
    trials = 400
    for _ in range(trials):
        years, values = noisy_series(4.1, 40, 0.5, rng)
        lo, hi = TrendFit(confidence=0.9).fit(years, values).growth_ci_
        hits += lo <= 4.1 <= hi
    # Binomial(400, 0.9): sd 6 → ±4.5 sd band.
    assert 0.9 * trials - 27 <= hits <= 0.9 * trials + 27


def test_bootstrap_interval_is_close_to_the_t_interval(rng: np.random.Generator) -> None:
    years, values = noisy_series(2.0, 200, 0.3, rng)
    fit = TrendFit(n_boot=2000, random_state=rng).fit(years, values)
    assert fit.boot_growth_ci_[0] == pytest.approx(fit.growth_ci_[0], rel=0.03)
    assert fit.boot_growth_ci_[1] == pytest.approx(fit.growth_ci_[1], rel=0.03)
    assert "boot lower 90%" in fit.summary.columns


def test_falling_quantity_halves() -> None:
    fit = fit_trend(["2012-01-01", "2014-01-01", "2016-01-01", "2018-01-01"],
                    [0.4, 0.2, 0.1, 0.05])
    assert fit.halving_
    assert fit.doubling_years_ == pytest.approx(2.0, rel=1e-3)
    assert "halving years" in fit.summary.index


def test_flat_interval_makes_doubling_unbounded(rng: np.random.Generator) -> None:
    years = np.linspace(2010, 2020, 10)
    values = 10 ** rng.normal(0, 1, 10)
    fit = TrendFit().fit(years, values)
    if fit.slope_ci_[0] <= 0 <= fit.slope_ci_[1]:
        assert fit.doubling_ci_[1] == math.inf


def test_two_segments_are_chosen_when_the_rate_changes(rng: np.random.Generator) -> None:
    years = np.sort(rng.uniform(2010, 2024, 120))
    slope = np.where(years < 2017, 0.2, 0.8)
    log_value = np.where(years < 2017, 0.2 * (years - 2017), 0.8 * (years - 2017))
    values = 10 ** (log_value + rng.normal(0, 0.1, len(years)))
    fit = TrendFit(breakpoint=True, random_state=0).fit(years, values)
    bp = fit.breakpoint_
    assert bp is not None and bp.chosen
    assert abs(bp.break_year - 2017) < 0.5
    assert bp.segments[0].growth_per_year == pytest.approx(10**0.2, rel=0.15)
    assert bp.segments[1].growth_per_year == pytest.approx(10**0.8, rel=0.15)
    assert slope.size == len(years)


def test_one_line_is_kept_for_a_steady_rate(rng: np.random.Generator) -> None:
    years, values = noisy_series(3.0, 120, 0.5, rng)
    bp = TrendFit(breakpoint=True, random_state=1).fit(years, values).breakpoint_
    assert bp is not None and not bp.chosen


def test_errors_are_specific() -> None:
    with pytest.raises(FitError, match="at least 3 points"):
        TrendFit().fit([2010.0, 2011.0], [1.0, 2.0])
    with pytest.raises(FitError, match="same date"):
        TrendFit().fit(["2020-01-01"] * 3, [1.0, 2.0, 3.0])
    with pytest.raises(FitError, match="positive value"):
        TrendFit().fit([2010.0, 2011.0, 2012.0], [1.0, 0.0, 3.0])
    with pytest.raises(FitError, match="confidence"):
        TrendFit(confidence=1.5)
    with pytest.raises(NotFittedError):
        TrendFit().predict(2020.0)


def test_to_dict_and_repr() -> None:
    fit = fit_trend(pd.Series(["2010-01-01", "2012-01-01", "2014-01-01", "2016-01-02"]),
                    [1.0, 4.0, 15.0, 70.0])
    doc = fit.to_dict()
    for key in ("n", "start", "end", "growth_per_year", "growth_ci", "doubling_years",
                "doubling_ci", "confidence"):
        assert key in doc
    assert doc["start"] == "2010-01-01" and doc["end"] == "2016-01-02"
    assert "×/yr" in repr(fit)


@settings(max_examples=60, deadline=None)
@given(slope=st.floats(-2.0, 2.0).filter(lambda s: abs(s) > 1e-3),
       shift=st.floats(-5.0, 5.0))
def test_doubling_and_growth_are_consistent(slope: float, shift: float) -> None:
    """growth ** doubling == 2 (or 1/2), for the estimate and for the interval ends."""
    years = np.array([2010.0, 2012.5, 2013.0, 2017.0, 2020.0])
    noise = np.array([0.01, -0.02, 0.015, 0.0, -0.005])
    fit = TrendFit().fit(years, 10.0 ** (shift + slope * (years - 2010) + noise))
    target = 0.5 if fit.halving_ else 2.0
    assert fit.growth_per_year_ ** fit.doubling_years_ == pytest.approx(target, rel=1e-9)
    assert abs(doubling_from_slope(fit.slope_)) == pytest.approx(fit.doubling_years_)
    if fit.slope_ci_[0] > 0:
        assert fit.growth_ci_[1] ** fit.doubling_ci_[0] == pytest.approx(2.0, rel=1e-9)
        assert fit.growth_ci_[0] ** fit.doubling_ci_[1] == pytest.approx(2.0, rel=1e-9)


@pytest.mark.parametrize("name", list(CONSTRAINTS))
def test_declared_constraints_refuse_invalid_values(name: str) -> None:
    for value in CONSTRAINTS[name].invalid():  # type: ignore[attr-defined]
        with pytest.raises(FitError, match=f"'{name}' parameter of TrendFit"):
            TrendFit(**{name: value})


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(10, 60), ties=st.booleans())
def test_best_break_matches_a_brute_force_search(seed: int, n: int, ties: bool) -> None:
    """Reference: refit both lines with statsmodels at every candidate break."""
    from dlcost.trends.fit import best_break

    r = np.random.default_rng(seed)
    years = r.uniform(2010, 2024, n)
    if ties:
        years = np.round(years)
    y = np.where(years < 2017, 0.2, 0.7) * (years - 2017) + r.normal(0, 0.3, n)
    best, best_ssr = None, math.inf
    xs = np.unique(years)
    for a, b in itertools.pairwise(xs):
        tau = (a + b) / 2
        left = years < tau
        if left.sum() < 3 or (~left).sum() < 3:
            continue
        ssr = 0.0
        for part in (left, ~left):
            if np.ptp(years[part]) == 0:
                ssr = math.inf
                break
            ssr += sm.OLS(y[part], sm.add_constant(years[part])).fit().ssr
        if ssr < best_ssr - 1e-9:
            best, best_ssr = tau, ssr
    got = best_break(years, y, 3)
    if best is None:
        assert got is None
    else:
        assert got == pytest.approx(best)
