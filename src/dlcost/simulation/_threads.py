"""Keep each worker's BLAS to one thread, so N workers use N cores and not N × cores.

This module must not import numpy at import time: a process pool's initializer is unpickled
(importing this module) before the work function imports numpy, and OpenBLAS, MKL and
OpenMP read these variables only when they are loaded. For a worker that has numpy loaded
already (a reused Ray worker, a forked process), :func:`single_blas_thread` also caps the
running pools through ``threadpoolctl`` when it is installed (scikit-learn depends on it).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from dlcost.parallel import BLAS_THREAD_VARIABLES, single_thread_environment

__all__ = ["BLAS_THREAD_VARIABLES", "initialize_worker", "single_blas_thread",
           "single_thread_environment"]


def initialize_worker() -> None:
    """Process-pool initializer: set the variables before the worker loads numpy."""
    os.environ.update(single_thread_environment())


@contextlib.contextmanager
def single_blas_thread() -> Iterator[None]:
    """Limit the loaded BLAS pools to one thread for the duration of the block.

    The loaded libraries are looked up at every entry (a millisecond), not once: numpy and
    scipy each bundle their own OpenBLAS, and a controller made before scipy's was loaded
    would leave it multi-threaded.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield
