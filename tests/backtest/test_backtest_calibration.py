"""Calibration on synthetic data from a known model: nominal intervals already cover at their
level and calibration leaves them about as they are; after a break in trend, calibration
widens them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dlcost.backtest import calibrate, conformal_quantile, growth_table, interval_score, metrics

#: Every synthetic model is in the "frontier" (the running top N never drops a point).
ALL = 10**6
PER_YEAR = 12
SIGMA = 0.3  # log10 scatter about the line


def _rows(rng: np.random.Generator, slope_after: float, *, start: float = 2000.0,
          end: float = 2020.0, slope: float = 0.3, break_year: float = 2012.0) -> pd.DataFrame:
    """PER_YEAR points a year, log10(value) on a line (slope changes at ``break_year``)."""
    year = np.sort(rng.uniform(start, end, int(PER_YEAR * (end - start))))
    line = np.where(year < break_year, slope * (year - start),
                    slope * (break_year - start) + slope_after * (year - break_year))
    value = 10.0 ** (20.0 + line + rng.normal(0.0, SIGMA, len(year)))
    return pd.DataFrame({"name": [f"m{i}" for i in range(len(year))], "year": year,
                         "value": value})


def test_known_model_nominal_covers_and_calibration_changes_little(
        rng: np.random.Generator) -> None:
    table, origins = growth_table(_rows(rng, slope_after=0.3), frontier_top=ALL, since=2000.0)
    assert len(origins) >= 10
    n = len(table)
    m = metrics(table)
    cover = m["coverage"]["0.8"]
    # Forecasts of one origin share a fitted line, so the effective sample is smaller than n:
    # the tolerance is 4 binomial standard errors at a quarter of the forecasts.
    tol = 4 * np.sqrt(0.8 * 0.2 / (n / 4))
    assert abs(cover["achieved"] - 0.8) < tol
    assert abs(cover["calibrated_loo"] - 0.8) < tol
    cal = calibrate(table)
    for h in (1, 2, 3):
        assert 0.75 < cal.factor(0.8, h) < 1.25
    assert abs(m["bias_log10"]) < 0.1
    # the model beats carrying the last level forward when the quantity grows
    assert m["mae_log10"] < m["mae_log10_last_value"]


def test_break_in_trend_widens(rng: np.random.Generator) -> None:
    table, _ = growth_table(_rows(rng, slope_after=0.9), frontier_top=ALL, since=2000.0)
    m = metrics(table)
    cover = m["coverage"]["0.8"]
    cal = calibrate(table)
    assert cover["achieved"] < 0.7  # the nominal intervals miss after the break
    assert cal.factor(0.8, 3) > 1.5  # and calibration widens them, most at long horizons
    assert cal.factor(0.8, 3) > cal.factor(0.8, 1)
    assert abs(cover["calibrated_loo"] - 0.8) < abs(cover["achieved"] - 0.8)


def test_conformal_quantile_rank() -> None:
    z = np.arange(1, 20, dtype=float)  # n = 19: ⌈20 · 0.8⌉ = 16th smallest
    assert conformal_quantile(z, 0.8) == 16.0
    assert conformal_quantile(z, 0.96) == np.inf  # ⌈20 · 0.96⌉ = 20 > n: unbounded
    assert conformal_quantile([], 0.5) == np.inf


def test_interval_score_matches_definition() -> None:
    # inside: the width; below by 1 at α = 0.2: width + 2/0.2 · 1
    assert interval_score(0.0, 2.0, 1.0, 0.8) == pytest.approx(2.0)
    assert interval_score(0.0, 2.0, -1.0, 0.8) == pytest.approx(12.0)
    assert interval_score(0.0, 2.0, 3.0, 0.5) == pytest.approx(6.0)


def test_widen_rescales_about_geometric_centre(rng: np.random.Generator) -> None:
    table, _ = growth_table(_rows(rng, slope_after=0.9), frontier_top=ALL, since=2000.0)
    cal = calibrate(table)
    lo, hi = cal.widen(1e20, 1e22, 0.8, 2, df=50)
    f = cal.factor(0.8, 2, df=50)
    assert np.sqrt(lo * hi) == pytest.approx(1e21)
    assert np.log10(hi / lo) == pytest.approx(2.0 * f)
