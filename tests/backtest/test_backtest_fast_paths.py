"""The backtests' shortcuts give the plain computation's numbers."""

from __future__ import annotations

import numpy as np
import pytest

from dlcost.backtest import backtest
from dlcost.backtest.scoring import (
    MIN_CALIBRATION,
    conformal_quantile,
    horizon_key,
    metrics_by_horizon,
    out_of_sample_quantiles,
    standardized,
)


def _plain_quantiles(table, level: float, scheme: str) -> np.ndarray:  # type: ignore[no-untyped-def]
    """One quantile per forecast, as first written."""
    z = standardized(table).abs().to_numpy()
    keys = table["horizon"].map(horizon_key).to_numpy()
    origin = table["origin"].to_numpy(dtype=float)
    when = table["date"].to_numpy(dtype=float)
    out = np.full(len(table), np.nan)
    for i in range(len(table)):
        pool = origin != origin[i] if scheme == "loo" else when <= origin[i] + 1
        same = pool & (keys == keys[i])
        chosen = z[same] if same.sum() >= MIN_CALIBRATION else z[pool]
        if len(chosen) >= MIN_CALIBRATION:
            out[i] = conformal_quantile(chosen, level)
    return out


@pytest.fixture(scope="module")
def result(futuretech_db):  # type: ignore[no-untyped-def]
    return backtest(futuretech_db, "imagenet")


def test_one_quantile_per_origin_and_horizon_is_the_per_forecast_loop(result) -> None:  # type: ignore[no-untyped-def]
    for component in result.components:
        assert len(component.table) > 20
        for level in (0.5, 0.8, 0.95):
            for scheme in ("loo", "sequential"):
                np.testing.assert_array_equal(
                    out_of_sample_quantiles(component.table, level, scheme),
                    _plain_quantiles(component.table, level, scheme))


def test_metrics_are_kept_per_table_and_handed_out_as_copies(result) -> None:  # type: ignore[no-untyped-def]
    component = result.components[0]
    first = component.metrics()
    assert first == metrics_by_horizon(component.table)
    first["all"]["n"] = -1
    assert component.to_dict(forecasts=False)["metrics"]["all"]["n"] == len(component.table)
    component.table = component.table.iloc[:30]  # a new table is scored anew
    assert component.metrics()["all"]["n"] == 30
