"""``interval="calibrated"``: an input's spread rescaled about its centre (issue #15's gap).

The end-to-end checks on the shipped snapshots are in ``test_plan_cli.py``."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlcost.exceptions import InvalidParameterError
from dlcost.plan import PlanInputs, Uncertain, simulate
from dlcost.plan.calibration import InputCalibration, plan_horizon


def fixed_but_compute(flop_sd: float) -> PlanInputs:
    """gap 1 decade closing at 0.6 decades/yr; only the compute needed is uncertain."""
    def u(name: str, center: float) -> Uncertain:
        return Uncertain(name, center, "", "test")

    return PlanInputs(
        start_year=2025.0, horizon_year=2050.0,
        log10_flop=Uncertain("flop", 25.0, "log10 FLOP", "test", sd=flop_sd),
        log10_usd_per_flop=u("price", -17.0), log10_spend=u("spend", 7.0),
        algorithmic=u("algorithmic", 0.2), price_performance=u("hardware", 0.1),
        spend_growth=u("spend growth", 0.3), log10_kwh_per_flop=-17.5,
        energy_efficiency=u("watts", 0.08), kg_co2_per_kwh=0.429)


def test_widened_scales_a_normal_and_resamples_about_the_centre() -> None:
    normal = Uncertain("x", 2.0, "", "test", sd=0.5)
    wide = normal.widened(1.5, "test, calibrated")
    assert wide.sd == pytest.approx(0.75) and wide.center == 2.0
    lo, hi = normal.interval()
    wlo, whi = wide.interval()
    assert whi - wlo == pytest.approx(1.5 * (hi - lo), rel=1e-12)
    boot = Uncertain("f", 25.0, "", "test", samples=np.array([24.0, 25.5, math.inf]))
    narrow = boot.widened(0.5, "test")
    assert narrow.samples is not None
    np.testing.assert_allclose(narrow.samples[:2], [24.5, 25.25])
    assert math.isinf(narrow.samples[2])  # a resample saying "never" stays never
    for bad in (0.0, -1.0, math.inf, math.nan):
        with pytest.raises(InvalidParameterError, match="spread factor"):
            normal.widened(bad, "test")


def test_the_horizon_is_the_years_to_the_median_rounded_up_and_pooled_at_three() -> None:
    assert plan_horizon(2025.0, 2025.0) == 1
    assert plan_horizon(2025.0, 2026.4) == 2
    assert plan_horizon(2025.0, 2027.35) == 3
    assert plan_horizon(2025.0, 2040.0) == 3
    assert plan_horizon(2025.0, math.inf) == 3


@settings(max_examples=40, deadline=None)
@given(factor=st.floats(0.2, 4.0), seed=st.integers(0, 2**16))
def test_rescaling_the_compute_spread_moves_the_interval_ends_the_same_way(
        factor: float, seed: int) -> None:
    """With every other input fixed, the year is increasing in the compute needed, so each
    end of its interval moves outward when the compute's spread widens (factor > 1) and
    inward when it narrows; the same seed draws the same numbers."""
    base = fixed_but_compute(0.3)
    scaled = base.replace(log10_flop=base.log10_flop.widened(factor, "test"))
    a = simulate(base, n=2000, random_state=seed)
    b = simulate(scaled, n=2000, random_state=seed)
    (lo, hi), (clo, chi) = a.year_ci, b.year_ci
    if factor >= 1:
        assert clo <= lo + 1e-9 and chi >= hi - 1e-9
    else:
        assert clo >= lo - 1e-9 and chi <= hi + 1e-9
    again = simulate(scaled, n=2000, random_state=seed)
    np.testing.assert_array_equal(b.years, again.years)


def test_an_input_calibration_says_what_it_did_in_one_line() -> None:
    done = InputCalibration("log10_flop", "compute for the target", True, "why",
                            backtest="imagenet curve", horizon=3, level=0.9, factor=1.49,
                            n=108)
    assert done.line() == ("calibrated: compute for the target spread ×1.49 (imagenet curve "
                           "backtest, horizon 3 yr, 90 %, n = 108)")
    left = InputCalibration("algorithmic", "algorithmic progress", False, "not backtested")
    assert left.line() == "nominal: algorithmic progress — not backtested"
    assert left.to_dict()["factor"] is None
