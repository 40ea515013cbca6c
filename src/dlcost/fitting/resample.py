"""The bootstrap's refits, in chunks of resamples, on any backend, with the same numbers.

Rows are drawn as in one ``(n_boot, n)`` array (:func:`dlcost.stats.bootstrap_index_chunks`
yields that very array a few resamples at a time), so chunking bounds memory and changes no
draw. A bootstrap that fits in one chunk (every default one) is refitted exactly as before;
larger ones run chunk by chunk, serially or on :func:`dlcost.parallel.map_ordered`'s process
pool or Ray, each chunk on one BLAS thread (many small products gain nothing from a second
thread, and on a busy machine waking it stalls each call).
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import NDArray

from dlcost.exceptions import ConvergenceWarning
from dlcost.fitting.variants import Variant
from dlcost.parallel import Backend, map_ordered, one_blas_thread
from dlcost.stats import bootstrap_chunk_sizes, bootstrap_index_chunks, counts_from_indices

FloatArray = NDArray[np.float64]


def refit_bootstrap_chunk(
    task: tuple[Variant, FloatArray, FloatArray, NDArray[np.int64]],
) -> tuple[FloatArray, int]:
    """Refit one chunk: ``(variant, X, y, row draws)`` → (coefficients, how many resamples
    stopped at an iteration limit). Module-level so that process pools and Ray can run it;
    the variant's warning is left to :func:`bootstrap_refits`, which counts over all chunks."""
    strategy, X, y, idx = task
    counts = counts_from_indices(idx, X.shape[0]).astype(float)
    with one_blas_thread(), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        refits = strategy.refit(X, y, counts)
    return refits.coef, refits.n_not_converged


def bootstrap_refits(
    strategy: Variant,
    X: FloatArray,
    y: FloatArray,
    n_boot: int,
    rng: np.random.Generator,
    *,
    backend: Backend = "serial",
    workers: int | None = None,
) -> tuple[FloatArray, int]:
    """``n_boot`` resamples of the rows of (X, y) refitted by ``strategy``: (coefficients
    ``(n_boot, p)``, resamples that did not converge)."""
    n = X.shape[0]
    chunks = bootstrap_index_chunks(n, n_boot, rng)
    if backend == "serial" and len(bootstrap_chunk_sizes(n, n_boot)) == 1:
        counts = counts_from_indices(next(chunks), n).astype(float)
        with one_blas_thread():
            refits = strategy.refit(X, y, counts)
        return refits.coef, refits.n_not_converged
    parts = map_ordered(refit_bootstrap_chunk, ((strategy, X, y, idx) for idx in chunks),
                        backend=backend, workers=workers)
    n_bad = sum(bad for _, bad in parts)
    if n_bad:
        warnings.warn(
            f"{n_bad} of {n_boot} bootstrap resamples of the {strategy.name} regression stopped "
            "at the iteration limit before converging; their last iterates are used",
            ConvergenceWarning, stacklevel=3)
    return np.concatenate([coef for coef, _ in parts]), n_bad
