"""The planner's Monte Carlo model: closed forms and the issue's property tests."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlcost.exceptions import InvalidParameterError
from dlcost.plan import PlanInputs, Uncertain, levers, simulate


def inputs(
    *,
    flop: float = 25.0,
    flop_sd: float = 0.3,
    usd_per_flop: float = -17.0,
    spend: float = 7.0,
    algorithmic: float = 0.2,
    price: float = 0.1,
    spend_growth: float = 0.3,
    sd: float = 0.05,
    start: float = 2025.0,
    horizon: float = 2050.0,
    samples: np.ndarray | None = None,
) -> PlanInputs:
    def u(name: str, center: float, spread: float = sd) -> Uncertain:
        return Uncertain(name, center, "", "test", sd=spread)

    return PlanInputs(
        start_year=start, horizon_year=horizon,
        log10_flop=Uncertain("flop", flop, "log10 FLOP", "test", sd=flop_sd, samples=samples),
        log10_usd_per_flop=u("price", usd_per_flop), log10_spend=u("spend", spend),
        algorithmic=u("algorithmic", algorithmic), price_performance=u("hardware", price),
        spend_growth=u("spend growth", spend_growth), log10_kwh_per_flop=-17.5,
        energy_efficiency=u("watts", 0.08), kg_co2_per_kwh=0.429)


def test_closed_form_without_uncertainty() -> None:
    """gap = 25 − 17 − 7 = 1 decade, closing at 0.2 + 0.1 + 0.3 = 0.6 decades/yr → 1/0.6 yr.

    Cost that year = spend that year = 10^(7 + 0.3/0.6); energy = 10^(25 − 0.2/0.6 − 17.5 −
    0.08/0.6) kWh; CO₂ = energy × 0.429.
    """
    out = simulate(inputs(), n=10, random_state=1, uncertainty_scale=0.0)
    assert out.year == pytest.approx(2025.0 + 1 / 0.6, abs=1e-12)
    s = out.summary()
    assert s["usd"] == pytest.approx(10 ** (7 + 0.3 / 0.6), rel=1e-12)
    kwh = 10 ** (25 - 0.2 / 0.6 - 17.5 - 0.08 / 0.6)
    assert s["kwh"] == pytest.approx(kwh, rel=1e-12)
    assert s["co2_kg"] == pytest.approx(kwh * 0.429, rel=1e-12)
    assert s["usd_today"] == pytest.approx(1e8, rel=1e-12)
    assert s["reachable"] and s["p_reachable"] == 1.0


def test_already_affordable_is_the_start_year() -> None:
    out = simulate(inputs(spend=9.0), n=50, random_state=0, uncertainty_scale=0.0)
    assert out.year == 2025.0
    assert out.summary()["usd"] == pytest.approx(1e8)


def test_zero_growth_and_a_budget_below_todays_cost_is_unreachable() -> None:
    zero = inputs(algorithmic=0.0, price=0.0, spend_growth=0.0, sd=0.0, flop_sd=0.0,
                  spend=7.5)  # today's cost 10^8 USD > budget 10^7.5
    out = simulate(zero, n=100, random_state=3)
    assert not out.reachable
    assert out.p_reachable == 0.0
    s = out.summary()
    assert s["year"] is None and s["usd"] is None and s["co2_kg"] is None


@settings(max_examples=40, deadline=None)
@given(low=st.floats(5.0, 10.0), extra=st.floats(0.01, 3.0), seed=st.integers(0, 2**16))
def test_a_larger_budget_never_makes_the_year_later(low: float, extra: float,
                                                    seed: int) -> None:
    base = inputs(spend_growth=0.0)
    small = simulate(base.replace(log10_spend=Uncertain("b", low, "", "t")), n=300,
                     random_state=seed)
    large = simulate(base.replace(log10_spend=Uncertain("b", low + extra, "", "t")), n=300,
                     random_state=seed)
    assert np.all(large.years <= small.years)  # draw by draw (common random numbers)
    assert large.year <= small.year


@settings(max_examples=40, deadline=None)
@given(a=st.floats(-0.2, 1.0), faster=st.floats(0.001, 1.0), seed=st.integers(0, 2**16))
def test_faster_algorithmic_progress_never_makes_the_year_later(a: float, faster: float,
                                                                seed: int) -> None:
    base = inputs()
    slow = simulate(base.replace(algorithmic=Uncertain("a", a, "", "t", sd=0.05)), n=300,
                    random_state=seed)
    fast = simulate(base.replace(algorithmic=Uncertain("a", a + faster, "", "t", sd=0.05)),
                    n=300, random_state=seed)
    assert np.all(fast.years <= slow.years)


def test_the_seed_reproduces_the_draws() -> None:
    a = simulate(inputs(), n=500, random_state=7)
    b = simulate(inputs(), n=500, random_state=7)
    c = simulate(inputs(), n=500, random_state=8)
    np.testing.assert_array_equal(a.years, b.years)
    assert not np.array_equal(a.years, c.years)


@pytest.mark.parametrize("scale", [0.5, 0.1])
def test_spread_shrinks_when_input_uncertainty_shrinks(scale: float,
                                                       global_random_seed: int) -> None:
    full = simulate(inputs(), n=4000, random_state=global_random_seed)
    less = simulate(inputs(), n=4000, random_state=global_random_seed,
                    uncertainty_scale=scale)
    width = full.year_ci[1] - full.year_ci[0]
    narrower = less.year_ci[1] - less.year_ci[0]
    assert narrower < width
    # Near-linear in the spread for small gaps: the width scales roughly with it.
    assert narrower / width == pytest.approx(scale, abs=0.15)


def test_bootstrap_samples_are_drawn_and_scaled_about_the_centre() -> None:
    samples = np.array([24.0, 25.0, 26.0])
    wide = simulate(inputs(samples=samples, sd=0.0), n=3000, random_state=0)
    none = simulate(inputs(samples=samples, sd=0.0), n=3000, random_state=0,
                    uncertainty_scale=0.0)
    assert np.unique(np.round(wide.years, 9)).size == 3
    assert np.unique(none.years).size == 1


def test_levers_change_what_they_say() -> None:
    base = inputs()
    by_key = {lv.key: lv for lv in levers(10.0)}
    baseline = simulate(base, n=2000, random_state=0)
    no_alg = simulate(by_key["no-algorithmic-progress"].apply(base), n=2000, random_state=0)
    stall = simulate(by_key["hardware-stalls"].apply(base), n=2000, random_state=0)
    flat = simulate(by_key["flat-budget"].apply(base), n=2000, random_state=0)
    eff = simulate(by_key["efficient-architecture"].apply(base), n=2000, random_state=0)
    for later in (no_alg, stall, flat):
        assert later.year > baseline.year
    assert eff.year < baseline.year
    # 10× less compute closes one decade of the gap: at the central rate 0.6 decades/yr it
    # saves 1/0.6 years, unless the target is already affordable.
    centre = simulate(base, n=1, uncertainty_scale=0.0)
    centre_eff = simulate(by_key["efficient-architecture"].apply(base), n=1,
                          uncertainty_scale=0.0)
    assert centre.year - centre_eff.year == pytest.approx(min(1 / 0.6, 1 / 0.6), abs=1e-9)
    for lv in levers():
        assert lv.title and lv.assumption and lv.source


def test_bad_inputs_are_refused_in_the_users_terms() -> None:
    with pytest.raises(InvalidParameterError, match="horizon"):
        inputs(start=2030.0, horizon=2030.0)
    with pytest.raises(InvalidParameterError, match="efficiency gain"):
        inputs().replace(efficiency_gain=0.0)
    with pytest.raises(InvalidParameterError, match="draws"):
        simulate(inputs(), n=0)
    assert math.isinf(simulate(inputs(algorithmic=-1.0, sd=0.0), n=5).year)


def test_a_never_resample_stays_never_unless_the_spread_is_off() -> None:
    samples = np.array([25.0, np.inf])
    u = Uncertain("flop", 25.0, "log10 FLOP", "test", samples=samples)
    drawn = u.draw(np.random.default_rng(0), 200)
    assert np.isinf(drawn).any() and np.isfinite(drawn).any()
    assert np.all(u.draw(np.random.default_rng(0), 200, scale=0.0) == 25.0)


def test_a_published_halving_time_becomes_decades_per_year() -> None:
    """9 months (95 % CI 4–25, Erdil & Besiroglu 2022) → 2^(12/9) = 2.52×/yr; the interval
    maps to 12·log10(2)/25 … 12·log10(2)/4 decades/yr, read as a normal's 95 % interval."""
    from dlcost.plan.inputs import _decades_from_halving

    u = _decades_from_halving({"halving_months": 9.0, "ci_months": (4.0, 25.0), "level": 0.95,
                               "source": "test"})
    assert 10 ** u.center == pytest.approx(2 ** (12 / 9), rel=1e-12)
    lo, hi = 12 * math.log10(2) / 25, 12 * math.log10(2) / 4
    assert u.sd == pytest.approx((hi - lo) / (2 * 1.959963984540054), rel=1e-9)
