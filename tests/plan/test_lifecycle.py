"""A model's life cost: Patterson et al. 2021's GPT-3 training figures, and serving."""

from __future__ import annotations

import pytest

from dlcost.data.accelerators import get_chip
from dlcost.exceptions import InvalidParameterError
from dlcost.plan.lifecycle import (
    LifeCost,
    chinchilla_flop,
    custom_example,
    gpt3_example,
    serving_per_day,
    training_from_hardware,
)

#: Patterson et al. 2021, Table 4 (GPT-3): 1,287 MWh and 552 t CO₂e. Their inputs (10,000 V100
#: × 14.8 days × 330 W × PUE 1.10 × 0.429 kg/kWh) give 1,289.4 MWh and 553.1 t: the table's
#: 14.8 days is itself rounded, so the tolerance is 0.5 %.
PATTERSON_MWH, PATTERSON_T = 1287.0, 552.0


def test_gpt3_training_reproduces_patterson_2021() -> None:
    life = gpt3_example(queries_per_day=1e6).model
    assert life.training.kwh / 1000 == pytest.approx(PATTERSON_MWH, rel=0.005)
    assert life.training.co2_kg / 1000 == pytest.approx(PATTERSON_T, rel=0.005)
    # 6ND with Brown et al.'s N = 175 B, D = 300 B: 3.15e23 FLOP (their 3.14e23, Table D.1).
    assert life.training.flop == pytest.approx(3.14e23, rel=0.005)


def test_serving_overtakes_training_on_the_day_the_totals_cross() -> None:
    """Independent arithmetic: 2 × 175e9 × 500 tokens × 1e7 queries = 1.75e21 FLOP/day;
    ÷ (V100 125 TFLOP/s × 0.1) ÷ 3600 = 38,889 chip-hours/day; × 300 W × 0.7 × 1.1 / 1000 =
    8,983 kWh/day; training 1,289,376 kWh → 143.5 days."""
    life = gpt3_example(queries_per_day=1e7).model
    v100 = get_chip("Tesla V100 SXM2")
    per_day_kwh = (2 * 175e9 * 500 * 1e7 / (v100.training_peak().flop_per_s * 0.1) / 3600
                   * v100.tdp_w * 0.7 * 1.1 / 1000)
    assert life.serving_day.kwh == pytest.approx(per_day_kwh, rel=1e-12)
    days = life.overtake_days()
    assert days["kwh"] == pytest.approx(10_000 * 14.8 * 24 * 330 * 1.1 / 1000 / per_day_kwh,
                                        rel=1e-12)
    assert days["kwh"] == pytest.approx(143.5, abs=0.1)
    assert days["co2_kg"] == pytest.approx(days["kwh"])
    assert "143 days" in life.summary() or "144 days" in life.summary()
    # Ten times the load: serving overtakes training ten times sooner.
    busier = gpt3_example(queries_per_day=1e8).model.overtake_days()
    assert busier["kwh"] == pytest.approx(days["kwh"] / 10, rel=1e-12)


def test_a_smaller_model_cuts_running_costs_more_than_training_costs() -> None:
    comp = gpt3_example(queries_per_day=1e7, days=365)
    big, small = comp.model, comp.smaller
    assert small is not None
    # Serving scales with N: 6.7 B / 175 B of the large model's energy per day.
    assert small.serving_day.kwh / big.serving_day.kwh == pytest.approx(6.7 / 175, rel=1e-12)
    assert small.total("kwh") < big.total("kwh")
    doc = comp.to_dict()
    assert doc["savings"]["kwh"] == pytest.approx(big.total("kwh") - small.total("kwh"))


def test_training_from_hardware_is_linear_in_chips_and_days() -> None:
    one = training_from_hardware(chips=8, days=2, chip="V100", watts=300,
                                 usd_per_chip_hour=2.0)
    two = training_from_hardware(chips=16, days=4, chip="V100", watts=300,
                                 usd_per_chip_hour=2.0)
    assert two.kwh == pytest.approx(4 * one.kwh)
    assert one.usd == pytest.approx(8 * 2 * 24 * 2.0)


def test_custom_model_and_errors() -> None:
    comp = custom_example(parameters=7e10, tokens=1.5e13, small_parameters=8e9,
                          queries_per_day=1e6)
    assert comp.model.training.flop == pytest.approx(chinchilla_flop(7e10, 1.5e13))
    assert comp.smaller is not None
    with pytest.raises(InvalidParameterError, match="training FLOP or the training tokens"):
        custom_example(parameters=7e10, queries_per_day=1e6)
    with pytest.raises(InvalidParameterError, match="serving utilization"):
        serving_per_day(parameters=1e9, queries_per_day=1, chip="V100", utilization=1.5)
    with pytest.raises(InvalidParameterError, match="queries per day"):
        serving_per_day(parameters=1e9, queries_per_day=0, chip="V100")


def test_life_cost_json_has_the_totals() -> None:
    life: LifeCost = gpt3_example(queries_per_day=1e6, smaller=False).model
    doc = life.to_dict()
    assert set(doc) >= {"training", "serving", "serving_per_day", "total", "overtake_days",
                        "summary"}
    assert doc["total"]["kwh"] == pytest.approx(life.training.kwh + life.serving.kwh)
