"""The bootstrap in chunks: the same numbers as in one piece, bounded memory, any backend."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from dlcost import stats
from dlcost.fitting import make_fit

#: A few quantile resamples of the small test data are degenerate and stop at the iteration
#: limit; the fit says so with a ConvergenceWarning (tested in the fitting tests). Here only
#: the equality of the numbers across chunks and backends matters.
QUANTILE_LIMIT = pytest.mark.filterwarnings(
    "ignore:.*bootstrap resamples of the quantile regression stopped"
    ":dlcost.exceptions.ConvergenceWarning")


def _frame(n: int, seed: int = 3) -> object:
    import pandas as pd

    rng = np.random.default_rng(seed)
    log_c = rng.uniform(15, 22, n)
    error = 1 / 10 ** (0.1 * log_c - 1 + rng.normal(0, 0.05, n))
    year = rng.integers(2012, 2024, n)
    return pd.DataFrame({"compute_flop": 10.0 ** log_c, "error": np.clip(error, 1e-3, 0.99),
                         "year": year, "model": [f"m{i}" for i in range(n)]})


@pytest.mark.parametrize("cells", [5, 64, 1001])
def test_chunked_draws_are_the_one_piece_draws(cells: int) -> None:
    for n in (3, 7, 40):
        whole = np.random.default_rng(11).integers(0, n, size=(257, n))
        rng = np.random.default_rng(11)
        chunks = list(stats.bootstrap_index_chunks(n, 257, rng, chunk_cells=cells))
        assert sum(len(c) for c in chunks) == 257
        np.testing.assert_array_equal(np.concatenate(chunks), whole)


@QUANTILE_LIMIT
@pytest.mark.parametrize("variant", ["ols", "time", "quantile"])
def test_chunked_bootstrap_gives_the_one_piece_coefficients(
    variant: str, futuretech_db, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    from dlcost.fitting import fit_benchmark

    fit = fit_benchmark(futuretech_db, "imagenet", sources=["futuretech"], variant=variant)
    n_boot = 300 if variant == "quantile" else 2000
    counts = stats.bootstrap_counts(fit.n_, n_boot, np.random.default_rng(5)).astype(float)
    expected = fit.strategy.refit(fit._X, fit._y, counts).coef
    # The default chunk holds these resamples whole: the very same numbers as before chunking.
    np.testing.assert_array_equal(fit.bootstrap(n_boot, random_state=5).boot_coef_, expected)
    # Many uneven chunks: the same draws; BLAS may round a smaller matrix product differently
    # in the last bits (and the quantile IRLS, iterated to a tolerance of 1e-6, carries that).
    monkeypatch.setattr(stats, "BOOT_CHUNK_CELLS", 37 * fit.n_)
    fit.bootstrap(n_boot, random_state=5)
    tol = 1e-10 if variant == "quantile" else 1e-12
    np.testing.assert_allclose(fit.boot_coef_, expected, rtol=tol, atol=tol)


def test_process_backend_gives_the_serial_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = _frame(30)
    serial = make_fit("poly").fit(frame).bootstrap(4000, random_state=1).boot_coef_
    monkeypatch.setattr(stats, "BOOT_CHUNK_CELLS", 1000 * 30)
    parallel = make_fit("poly").fit(frame).bootstrap(
        4000, random_state=1, backend="process", workers=2).boot_coef_
    np.testing.assert_array_equal(parallel, serial)


@QUANTILE_LIMIT
@pytest.mark.slow
def test_ray_backend_gives_the_serial_numbers(
    local_ray, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    frame = _frame(30)
    monkeypatch.setattr(stats, "BOOT_CHUNK_CELLS", 1000 * 30)
    serial = make_fit("poly", variant="quantile").fit(frame).bootstrap(
        3000, random_state=2).boot_coef_
    on_ray = make_fit("poly", variant="quantile").fit(frame).bootstrap(
        3000, random_state=2, backend="ray", workers=2).boot_coef_
    np.testing.assert_array_equal(on_ray, serial)


@QUANTILE_LIMIT
@pytest.mark.parametrize(("variant", "n_boot"), [("ols", 200_000), ("quantile", 20_000)])
def test_peak_memory_is_bounded_by_the_chunk_not_the_resample_count(
    variant: str, n_boot: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Up to 2×10⁷ resample-rows (one piece: several 160 MB arrays) with 2¹⁸-cell chunks: the
    peak beyond the coefficients kept is under 8 chunk-sized float64 arrays (16.8 MB)."""
    cells = 1 << 18
    monkeypatch.setattr(stats, "BOOT_CHUNK_CELLS", cells)
    fit = make_fit("poly", variant=variant).fit(_frame(100))
    tracemalloc.start()
    try:
        fit.bootstrap(n_boot, random_state=0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    kept = n_boot * 2 * 8
    assert peak - kept < 8 * 8 * cells, f"peak {peak / 1e6:.1f} MB, {kept / 1e6:.1f} MB kept"
    assert fit.boot_coef_.shape == (n_boot, 2)
