"""Compute estimators against hand calculations (METHODS.md §2)."""

from __future__ import annotations

import pytest

from dlcost.compute import (
    ChipUse,
    Phase,
    hardware_burden,
    network_operations,
    parse_duration,
    six_nd,
    training_compute,
)
from dlcost.exceptions import EstimationError
from dlcost.units import SECONDS_PER_DAY


def gtx580_phase(days: str = "6 days") -> Phase:
    # Peak given as the source states it: 1.581 TFLOP/s FP32 (NVIDIA GTX 580 specification).
    return Phase(chips=(ChipUse("GTX 580", 2, 1.58e12),), time=parse_duration(days))


def test_alexnet_hardware_burden_matches_the_paper() -> None:
    """2 × 1.58e12 FLOP/s × 6 × 86,400 s = 1.638e18 FLOP (≈1.6e18 in METHODS.md)."""
    est = hardware_burden([gtx580_phase()])
    assert est.flop == pytest.approx(2 * 1.58e12 * 6 * 86_400, rel=1e-12)
    assert est.method == "hardware_burden"
    assert str(est) == "1.6e18 FLOP (hardware burden: 2 × GTX 580 @ 1.58 TFLOP/s × 6.0 days)"


def test_alexnet_network_operations_matches_the_paper() -> None:
    """7e8 multiply-adds × 2 × 3 × 100 epochs × 1.28e6 images ≈ 5.4e17 FLOP (METHODS.md §2)."""
    est = network_operations([Phase(examples=1.28e6, epochs=100)], 7e8 * 2)
    assert est.flop == pytest.approx(5.376e17, rel=1e-12)
    assert est.to_dict()["method"] == "network_operations"
    assert est.to_dict()["inputs"]["fwd_bwd_ratio"] == 3


def test_phases_add_up_and_steps_count_as_examples() -> None:
    pre = Phase(name="pretraining", steps=1000, batch_size=256)
    fine = Phase(name="finetuning", examples=1e4, epochs=2, ops_per_pass_flop=2e9)
    est = network_operations([pre, fine], 1e9)
    assert est.flop == pytest.approx(1e9 * 3 * 256_000 + 2e9 * 3 * 2e4)


def test_phase_without_length_is_not_counted_and_says_so() -> None:
    ran = Phase(examples=100, epochs=1)
    silent = Phase(name="pretraining", chips=(ChipUse("X", 1, 1e12),),
                   time=parse_duration("1 day"))
    est = network_operations([silent, ran], 10.0)
    assert est.flop == 10.0 * 3 * 100
    assert "pretraining phase has no epoch or step count: not counted" in est.assumptions


def test_network_operations_needs_a_length() -> None:
    with pytest.raises(EstimationError, match="at least one phase"):
        network_operations([Phase(examples=100)], 1e9)


def test_hardware_burden_refuses_a_silent_undercount() -> None:
    fine = Phase(name="finetuning", examples=1e4, epochs=3)
    with pytest.raises(EstimationError) as info:
        hardware_burden([gtx580_phase(), fine])
    assert str(info.value) == (
        "hardware burden cannot be computed: the finetuning phase names no chips"
    )
    lower = hardware_burden([gtx580_phase(), fine], incomplete_phases="skip")
    assert lower.flop == hardware_burden([gtx580_phase()]).flop
    assert any("lower bound" in a for a in lower.assumptions)


def test_chip_time_is_not_multiplied_by_a_count() -> None:
    phase = Phase(chips=(ChipUse("V100", None, 1.5e13),), time=parse_duration("100 GPU-hours"))
    assert hardware_burden([phase]).flop == pytest.approx(1.5e13 * 100 * 3600)


def test_count_can_come_from_the_time_phrase() -> None:
    phase = Phase(chips=(ChipUse("P100", None, 9.3e12),),
                  time=parse_duration("4 days on 500 P100s"))
    assert hardware_burden([phase]).flop == pytest.approx(500 * 9.3e12 * 4 * SECONDS_PER_DAY)


def test_training_compute_records_the_default_utilization() -> None:
    phases = [gtx580_phase()]
    burden = hardware_burden(phases)
    tc = training_compute(phases)
    # The GTX 580 has no tensor units: Epoch's training peak is its FP32 peak too.
    assert tc.flop == pytest.approx(0.4 * burden.flop, rel=1e-3)
    assert any(a.startswith("utilization defaulted") for a in tc.assumptions)
    assert training_compute(phases, language_model=True).flop == pytest.approx(
        0.3 * burden.flop, rel=1e-3)
    with pytest.raises(EstimationError, match=r"utilization must be in \(0, 1\]"):
        training_compute(phases, utilization=1.5)


def test_training_compute_uses_the_training_precision() -> None:
    """8 V100 for a day: burden at FP32 (15.7 TFLOP/s), Epoch's compute at tensor 125 TFLOP/s."""
    phases = [Phase(chips=(ChipUse("V100", 8),), time=parse_duration("1 day"))]
    assert hardware_burden(phases).flop == pytest.approx(8 * 15.7e12 * 86_400)
    assert training_compute(phases, utilization=0.5).flop == pytest.approx(
        0.5 * 8 * 125e12 * 86_400)


def test_six_nd() -> None:
    """GPT-3: 6 × 175e9 × 300e9 = 3.15e23 FLOP (Brown et al. 2020, Table D.1)."""
    assert six_nd(175e9, 300e9).flop == pytest.approx(3.15e23)


@pytest.mark.parametrize("field", ["examples", "epochs", "steps", "batch_size"])
def test_non_positive_phase_facts_are_rejected(field: str) -> None:
    with pytest.raises(EstimationError, match=f"{field} must be positive"):
        Phase(**{field: 0})
