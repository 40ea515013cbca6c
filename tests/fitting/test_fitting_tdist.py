"""Student's t without scipy.stats: the quantile and the two-sided tail against scipy.

The fits compute t quantiles and p-values in plain Python (importing scipy.stats costs about
half a second of every ``dlcost fit``). scipy is the independent reference; the tolerance is
1e-12 relative over the degrees of freedom and levels the fits use (df ≥ 1, two-sided levels
50–99.99 %), far below any printed digit; full-precision JSON may differ in the last digits.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from dlcost.fitting._tdist import t_quantile, t_two_sided

DFS = [1, 2, 3, 4, 5, 7, 10, 12, 34, 100, 1000]
LEVELS = [0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.999, 0.9999]


@pytest.mark.parametrize("df", DFS)
def test_quantile_matches_scipy(df: int) -> None:
    for level in LEVELS:
        p = 1.0 - (1.0 - level) / 2.0
        assert t_quantile(p, df) == pytest.approx(stats.t.ppf(p, df), rel=1e-12, abs=0)
        assert t_quantile(1.0 - p, df) == -t_quantile(p, df)


@pytest.mark.parametrize("df", DFS)
def test_two_sided_tail_matches_scipy(df: int) -> None:
    for t in [0.0, 0.001, 0.1, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0, 100.0, -2.0]:
        expected = 2.0 * stats.t.sf(abs(t), df)
        assert t_two_sided(t, df) == pytest.approx(expected, rel=1e-12, abs=1e-300)


@settings(max_examples=200, deadline=None)
@given(st.floats(0.5, 0.99995), st.floats(1.0, 500.0))
def test_quantile_inverts_the_tail(p: float, df: float) -> None:
    t = t_quantile(p, df)
    assert t_two_sided(t, df) / 2.0 == pytest.approx(1.0 - p, rel=1e-9, abs=1e-15)


def test_edges() -> None:
    assert t_quantile(0.5, 7) == 0.0
    assert t_quantile(1.0, 7) == math.inf and t_quantile(0.0, 7) == -math.inf
    assert math.isnan(t_quantile(1.5, 7)) and math.isnan(t_quantile(0.9, 0))
    assert t_two_sided(math.inf, 3) == 0.0 and math.isnan(t_two_sided(math.nan, 3))
    assert t_two_sided(0.0, 3) == 1.0


def test_fit_intervals_and_p_values_match_scipy(futuretech_db) -> None:  # type: ignore[no-untyped-def]
    from dlcost.fitting import fit_benchmark

    fit = fit_benchmark(futuretech_db, "imagenet", sources=["futuretech"])
    t = stats.t.ppf(1 - fit.alpha / 2, fit.df_resid_)
    expected = np.column_stack([fit.coef_ - t * fit.bse_, fit.coef_ + t * fit.bse_])
    np.testing.assert_allclose(fit.conf_int().to_numpy(), expected, rtol=1e-12)
    tval = fit.coef_ / fit.bse_
    np.testing.assert_allclose(fit.summary["p"].to_numpy(),
                               2.0 * stats.t.sf(np.abs(tval), fit.df_resid_), rtol=1e-12)
