"""Invariants of units and estimators (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlcost.compute import ChipUse, Phase, hardware_burden, network_operations
from dlcost.compute.durations import Duration
from dlcost.units import flop_to_gflop, gflop_to_flop

positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)
magnitudes = st.floats(min_value=1e-30, max_value=1e40, allow_nan=False)


@given(magnitudes)
def test_gflop_round_trip(x: float) -> None:
    assert gflop_to_flop(flop_to_gflop(x)) == pytest.approx(x, rel=1e-15)


@given(positive, positive, positive, st.floats(min_value=1.5, max_value=100))
def test_hardware_burden_is_linear_in_chips_and_time(
    chips: float, seconds: float, peak_tflops: float, k: float
) -> None:
    def burden(c: float, s: float) -> float:
        phase = Phase(chips=(ChipUse("X", c, peak_tflops * 1e12),),
                      time=Duration(seconds=s, kind="wall", text=f"{s} s"))
        return hardware_burden([phase]).flop

    base = burden(chips, seconds)
    assert burden(k * chips, seconds) == pytest.approx(k * base, rel=1e-12)
    assert burden(chips, k * seconds) == pytest.approx(k * base, rel=1e-12)


@given(positive, positive, positive)
def test_network_operations_is_linear_in_epochs(ops: float, examples: float, epochs: float) -> None:
    one = network_operations([Phase(examples=examples, epochs=epochs)], ops).flop
    two = network_operations([Phase(examples=examples, epochs=2 * epochs)], ops).flop
    assert two == pytest.approx(2 * one, rel=1e-12)
