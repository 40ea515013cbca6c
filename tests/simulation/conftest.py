"""Fixtures of the simulation tests: a small run shared by the module tests, and pyplot."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from dlcost.simulation import SimulationResult, SimulationSettings, run_simulation

#: A small problem that still has every regime: n < s, s < n ≤ p, n > p, n ≫ p.
SMALL = {"features": 40, "relevant": 4, "n_min": 6, "n_max": 2000, "n_points": 9}


@pytest.fixture(scope="session")
def small_problem() -> dict[str, int]:
    """Keyword arguments of :data:`SMALL` for tests that build their own settings."""
    return dict(SMALL)


@pytest.fixture(scope="session")
def small_settings() -> SimulationSettings:
    return SimulationSettings(reps=40, seed=7, **SMALL)


@pytest.fixture(scope="session")
def small_result(small_settings: SimulationSettings) -> SimulationResult:
    return run_simulation(small_settings, workers=1)


@pytest.fixture
def pyplot() -> Iterator[Any]:
    """matplotlib.pyplot on the Agg backend; closes every figure afterwards."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")
