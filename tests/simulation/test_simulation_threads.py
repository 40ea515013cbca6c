"""Every engine call runs on one BLAS thread, so serial, process and Ray runs are bit-identical."""

from __future__ import annotations

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

import dlcost.simulation._engine as engine
from dlcost.simulation import SimulationSettings

#: Past p = 100 OpenBLAS splits products between threads, where rounding could differ.
SETTINGS = SimulationSettings(features=150, relevant=5, reps=3, n_min=20, n_max=1500,
                              n_points=6, seed=3)


def _blas_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_the_engine_holds_blas_to_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the caller allows, every repetition sees one thread in every loaded BLAS."""
    seen: list[list[int]] = []
    original = engine.simulate_repetition

    def spy(settings: SimulationSettings, rep: int):  # type: ignore[no-untyped-def]
        seen.append(_blas_threads())
        return original(settings, rep)

    monkeypatch.setattr(engine, "simulate_repetition", spy)
    with threadpool_limits(limits=2, user_api="blas"):
        allowed = _blas_threads()
        engine.simulate_block(SETTINGS, 0, 2)
        assert _blas_threads() == allowed  # restored on the way out
    assert len(seen) == 2 and all(threads == [1] * len(threads) for threads in seen)


def test_a_multithreaded_caller_gets_the_single_thread_numbers() -> None:
    with threadpool_limits(limits=1, user_api="blas"):
        one = engine.simulate_block(SETTINGS, 0, SETTINGS.reps)
    with threadpool_limits(limits=2, user_api="blas"):
        two = engine.simulate_block(SETTINGS, 0, SETTINGS.reps)
    for name in ("excess", "flop", "lasso_alpha"):
        np.testing.assert_array_equal(getattr(one, name), getattr(two, name))
