"""Projections: today and targets, intervals, extrapolation warnings, halving cost."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from dlcost.exceptions import ExtrapolationWarning, FitError
from dlcost.fitting import ExponentialFit, PolynomialFit, fit_benchmark
from dlcost.projection import THEORY_EXPONENT, halving_cost, project


def data(rng: np.random.Generator, n: int = 50) -> pd.DataFrame:
    log_c = rng.uniform(18.0, 22.0, n)
    p = -1.0 + 0.1 * log_c + rng.normal(0.0, 0.04, n)
    return pd.DataFrame({"compute_flop": 10.0 ** log_c, "error": 10.0 ** -p})


def test_today_is_the_fitted_compute_at_the_best_error(rng: np.random.Generator) -> None:
    fit = PolynomialFit().fit(data(rng))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExtrapolationWarning)
        p = project(fit, [0.05], random_state=0)
    assert p.today.error == fit.data_["error"].min()
    assert p.today.flop == pytest.approx(fit.compute_for(p.today.error))
    assert p.targets[0].flop == pytest.approx(fit.compute_for(0.05))
    for row in p.rows:
        assert row.flop_ci[0] < row.flop < row.flop_ci[1]
        assert row.flop_pi[0] < row.flop < row.flop_pi[1]
        assert row.gflop == pytest.approx(row.flop / 1e9)
        assert row.usd_ci is not None and row.usd_ci[0] < row.usd < row.usd_ci[1]
    assert p.preset == "thompson2020" and p.preset_constants
    assert p.n_boot == 2000


def test_extrapolation_warning_says_how_far(rng: np.random.Generator) -> None:
    fit = PolynomialFit().fit(data(rng))
    with pytest.warns(ExtrapolationWarning) as record:
        p = project(fit, [0.001], random_state=0)
    beyond = p.targets[0].orders_beyond_data
    assert beyond > 5
    message = str(record[-1].message)
    assert f"{beyond:.1f} orders of magnitude beyond the largest compute" in message
    assert "extrapolation" in message


def test_no_warning_inside_the_data(rng: np.random.Generator) -> None:
    fit = PolynomialFit().fit(data(rng))
    inside = float(fit.predict(1e20))
    with warnings.catch_warnings():
        warnings.simplefilter("error", ExtrapolationWarning)
        p = project(fit, [inside], random_state=0, today_error=inside)
    assert p.targets[0].orders_beyond_data == 0


def test_required_compute_falls_as_the_target_error_rises(rng: np.random.Generator) -> None:
    for cls in (PolynomialFit, ExponentialFit):
        fit = cls().fit(data(rng))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ExtrapolationWarning)
            p = project(fit, [0.01, 0.02, 0.05], random_state=1)
        flops = [t.flop for t in p.targets]
        assert flops[0] > flops[1] > flops[2]


def test_bad_targets_are_refused(rng: np.random.Generator) -> None:
    fit = PolynomialFit().fit(data(rng))
    with pytest.raises(FitError, match=r"target errors must lie in \(0, 1\) \(5% is 0.05\)"):
        project(fit, [5.0])


def test_halving_cost_power_law(rng: np.random.Generator) -> None:
    fit = PolynomialFit().fit(data(rng)).bootstrap(1000, random_state=0)
    h = halving_cost(fit)
    assert h.factor == pytest.approx(2.0 ** (1.0 / fit.slope_))
    assert h.exponent == pytest.approx(1.0 / fit.slope_)
    assert h.theory_exponent == THEORY_EXPONENT == 4.0
    assert h.factor_ci is not None and h.factor_ci[0] < h.factor < h.factor_ci[1]
    assert "vs theory's ≥ 4" in str(h)


def test_halving_cost_exponential_depends_on_the_error(rng: np.random.Generator) -> None:
    fit = ExponentialFit().fit(data(rng))
    at_10, at_5 = halving_cost(fit, error=0.1), halving_cost(fit, error=0.05)
    assert at_5.factor > at_10.factor
    # Halving from e: C(e/2) / C(e) = 10^((2/e − 1/e) / b).
    assert at_10.factor == pytest.approx(fit.compute_for(0.05) / fit.compute_for(0.1))


def test_quantile_projection_has_no_prediction_interval(rng: np.random.Generator) -> None:
    fit = PolynomialFit(variant="quantile").fit(data(rng))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExtrapolationWarning)
        p = project(fit, [0.05], n_boot=200, random_state=0)
    assert np.isnan(p.targets[0].flop_pi).all()
    assert any("no prediction interval" in n for n in p.notes)


def test_to_dict_contract(rng: np.random.Generator) -> None:
    fit = PolynomialFit().fit(data(rng))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExtrapolationWarning)
        doc = project(fit, [0.05, 0.01], preset="hardware", random_state=0).to_dict()
    assert {"benchmark", "form", "preset", "today", "targets"} <= set(doc)
    assert doc["preset"] == "hardware"
    target = doc["targets"][0]
    assert {"error", "flop", "flop_ci", "usd", "co2_kg"} <= set(target)
    assert len(target["flop_ci"]) == 2


@pytest.mark.shared_data
def test_imagenet_projection_on_futuretech(futuretech_db) -> None:
    fit = fit_benchmark(futuretech_db, "imagenet", sources=["futuretech"])
    with pytest.warns(ExtrapolationWarning):
        p = project(fit, [0.05, 0.01], random_state=0)
    # The paper's table in the 2020 analysis: today ~10¹⁴ GFLOP; 1/b ≈ 11 in the 2022 data.
    assert 13 <= np.log10(p.today.gflop) <= 15
    assert p.halving.exponent == pytest.approx(1 / 0.0908, rel=0.01)
    assert p.targets[0].flop < p.targets[1].flop
    assert p.targets[1].orders_beyond_data > p.targets[0].orders_beyond_data > 0


def test_projections_past_the_float_range_are_infinite_not_errors() -> None:
    """An exponential fit asked for a tiny error needs more than 1e308 FLOP: inf, no crash."""
    x = np.array([18.0, 19.0, 20.0, 21.0, 22.0])
    df = pd.DataFrame({"compute_flop": 10.0 ** x, "error": 1.0 / (0.5 * x - 6.0)})
    fit = ExponentialFit().fit(df)
    with pytest.warns(ExtrapolationWarning):
        p = project(fit, [1e-4], n_boot=200, random_state=0)
    assert p.targets[0].flop == np.inf
    assert p.targets[0].flop_ci[1] == np.inf
    assert p.to_dict()["targets"][0]["flop"] == np.inf  # JSON output turns it into null


def test_default_targets_are_the_papers_else_fractions_of_today() -> None:
    from dlcost.exceptions import EstimationError
    from dlcost.projection import PAPER_TARGETS, default_targets

    assert default_targets("imagenet").errors == PAPER_TARGETS["imagenet"]
    assert default_targets("imagenet", 0.2).errors == (0.05, 0.01)  # today's error is unused
    fallback = default_targets("wmt14-en-de", 0.7)
    assert fallback.errors == pytest.approx((0.35, 0.07))
    assert "half and a tenth" in fallback.origin
    with pytest.raises(EstimationError, match="no target error"):
        default_targets("wmt14-en-de")
