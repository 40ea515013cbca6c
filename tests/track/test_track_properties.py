"""Invariants of the FLOP extrapolation and of a run's placement against a trend."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dlcost.fitting import PolynomialFit
from dlcost.track import FlopCount, place_run

flop = st.floats(min_value=1.0, max_value=1e18, allow_nan=False)


@given(per_step=flop, steps=st.integers(3, 10_000), n=st.integers(1, 3))
def test_equal_steps_extrapolate_exactly(per_step: float, steps: int, n: int) -> None:
    count = FlopCount(steps, tuple((i + 2, per_step) for i in range(n)), "optimizer")
    assert math.isclose(count.total or 0, per_step * steps, rel_tol=1e-12)


@given(values=st.lists(flop, min_size=1, max_size=6), extra=st.integers(0, 1000))
def test_total_lies_between_min_and_max_times_steps(values: list[float], extra: int) -> None:
    steps = len(values) + extra
    count = FlopCount(steps, tuple((i + 2, v) for i, v in enumerate(values)), "optimizer")
    total = count.total or 0
    assert min(values) * steps * (1 - 1e-12) <= total <= max(values) * steps * (1 + 1e-12)


def _fit() -> Any:
    import numpy as np
    import pandas as pd

    compute = np.logspace(15, 21, 12)
    error = 10 ** -(0.1 * np.log10(compute) - 1.2)  # a perfect power law, b = 0.1
    return PolynomialFit().fit(pd.DataFrame({"compute_flop": compute, "error": error}))


FIT = _fit()


@settings(max_examples=50)
@given(log10_compute=st.floats(15, 21), score=st.floats(25, 60), k=st.floats(0.01, 100))
def test_multiple_scales_linearly_with_the_run_compute(log10_compute: float, score: float,
                                                       k: float) -> None:
    FIT.benchmark_, FIT.measure_ = "imagenet", "hardware_burden"
    doc = {"id": "run-x", "model": "m", "benchmark": "imagenet", "error": 1 - score / 100,
           "hardware_burden": {"flop": 10 ** log10_compute}}
    one = place_run(doc, FIT)
    scaled = place_run({**doc, "hardware_burden": {"flop": k * 10 ** log10_compute}}, FIT)
    assert one.multiple is not None and scaled.multiple is not None
    assert math.isclose(scaled.multiple, k * one.multiple, rel_tol=1e-9)
    # On the curve itself, the multiple is 1.
    on_curve = {**doc, "error": float(FIT.predict(10 ** log10_compute))}
    assert math.isclose(place_run(on_curve, FIT).multiple or 0, 1.0, rel_tol=1e-9)
