"""The logistic bootstrap's shortcuts give the plain computation's numbers, bit for bit."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pandas as pd
import pytest

from dlcost.fitting.logistic import LogisticFit, _levenberg_marquardt


def _frame(n: int, seed: int, repeat_x: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.uniform(20, 26, n)
    if repeat_x:  # few distinct computes: some resamples draw one only (no spread)
        x = np.repeat(x[:2], [n - 1, 1])
    score = 0.25 + 0.75 / (1 + np.exp(-1.2 * (x - 23))) + rng.normal(0, 0.03, n)
    return pd.DataFrame({"compute_flop": 10 ** x, "score": np.clip(score, 0, 1)})


def _plain(fit: LogisticFit, n_boot: int, seed: int) -> np.ndarray:
    """The bootstrap as first written: counts by np.add.at, spread resample by resample."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, fit.n_, size=(n_boot, fit.n_))
    weights = np.zeros((n_boot, fit.n_))
    np.add.at(weights, (np.arange(n_boot)[:, None], idx), 1.0)
    theta0 = np.repeat(fit.theta_[None, :], n_boot, axis=0)
    theta, _ = _levenberg_marquardt(fit.x_, fit.y_, weights, theta0, fit.floor,
                                    fit.fit_ceiling, fit._fixed_ceiling())
    spread = np.array([np.ptp(fit.x_[w > 0]) > 0 for w in weights])
    theta[~spread] = np.nan
    return fit._natural(theta)


def test_bootstrap_is_the_plain_computation() -> None:
    for frame, ceiling in ((_frame(40, 1), 1.0), (_frame(30, 2), "fit"),
                           (_frame(6, 3, repeat_x=True), 1.0)):
        fit = LogisticFit(floor=0.25, ceiling=ceiling, n_boot=300, random_state=11).fit(frame)
        assert fit.boot_params_ is not None
        np.testing.assert_array_equal(fit.boot_params_, _plain(fit, 300, 11))


def test_seeded_resamples_are_kept_and_handed_out_as_copies() -> None:
    frame = _frame(35, 4)
    first = LogisticFit(floor=0.25, n_boot=200, random_state=5).fit(frame)
    assert first.boot_params_ is not None
    first.boot_params_[:] = 0.0  # a caller changing its copy
    again = LogisticFit(floor=0.25, n_boot=200, random_state=5).fit(frame)
    fresh = LogisticFit(floor=0.25, n_boot=200,
                        random_state=np.random.default_rng(5)).fit(frame)  # not kept
    assert again.boot_params_ is not None and fresh.boot_params_ is not None
    np.testing.assert_array_equal(again.boot_params_, fresh.boot_params_)
    assert np.isfinite(again.boot_params_).any()
    other_seed = LogisticFit(floor=0.25, n_boot=200, random_state=6).fit(frame)
    assert not np.array_equal(other_seed.boot_params_, again.boot_params_)


def test_chunks_give_the_one_piece_numbers_and_bound_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In chunks of 2¹⁴ resample-rows: the numbers of one piece, and a peak (beyond the
    parameters kept) under 20 chunk-sized arrays, at 50× the chunk."""
    from dlcost.fitting import logistic

    fit = LogisticFit(floor=0.25, n_boot=0).fit(_frame(40, 8))
    one_piece = fit.bootstrap(1200, random_state=np.random.default_rng(9)).boot_params_
    cells = 1 << 14
    monkeypatch.setattr(logistic, "LM_CHUNK_CELLS", cells)
    chunked = fit.bootstrap(1200, random_state=np.random.default_rng(9)).boot_params_
    np.testing.assert_array_equal(chunked, one_piece)
    n_boot = 50 * cells // 40
    tracemalloc.start()
    try:
        fit.bootstrap(n_boot, random_state=np.random.default_rng(1))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    kept = 2 * n_boot * 3 * 8  # θ of every resample and its natural parameters
    assert peak - kept < 20 * 8 * cells, f"peak {peak / 1e6:.1f} MB"
