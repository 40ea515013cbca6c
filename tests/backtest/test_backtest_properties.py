"""Invariants of the conformal calibration (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dlcost.backtest import conformal_quantile

residuals = st.lists(st.floats(0.0, 100.0, allow_nan=False), min_size=1, max_size=200)
levels = st.floats(0.05, 0.95)


@given(residuals, levels)
@settings(max_examples=200, deadline=None)
def test_conformal_quantile_covers_its_own_residuals(z: list[float], level: float) -> None:
    q = conformal_quantile(z, level)
    # the ⌈(n + 1)L⌉-th smallest: at least a share L of the residuals lie at or below it
    assert np.mean(np.asarray(z) <= q) >= level


@given(residuals, levels, levels)
@settings(max_examples=200, deadline=None)
def test_conformal_quantile_grows_with_level(z: list[float], a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    assert conformal_quantile(z, lo) <= conformal_quantile(z, hi)
