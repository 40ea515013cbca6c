"""Where independent pieces of work run: in this process, in local processes or on Ray.

The bootstraps, the backtests' refits and the simulation all split into independent pieces
whose random numbers are fixed by the piece, not by the worker that runs it, so every backend
gives the same numbers. :func:`map_ordered` runs a function over a list of pieces and returns
the results in input order; :func:`ray_session` starts (or joins) Ray with explicit resources
and a bounded start, so a Ray that cannot start fails with one clear line instead of hanging.

When Ray pays: a cluster (``RAY_ADDRESS``) or many cores on one machine, and pieces that take
seconds (paper-scale simulation units, bootstraps of 10⁶ resamples and more). On a laptop the
default ``process`` backend (or plain serial) is faster: starting Ray costs seconds.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Literal, TypeVar

from dlcost.exceptions import BackendUnavailableError

Backend = Literal["serial", "process", "ray"]
BACKENDS: tuple[str, ...] = ("serial", "process", "ray")

T = TypeVar("T")
R = TypeVar("R")

#: How long a local Ray instance may take to start before we give up (seconds); override with
#: ``DLCOST_RAY_START_TIMEOUT``. A raylet on a loaded 2-core machine can take 20–40 s.
RAY_START_TIMEOUT_S = 120.0
#: Object store of a local Ray instance: the pieces pass small arrays, so a small store
#: (Ray's minimum is 75 MB) keeps Ray from reserving 30 % of memory.
RAY_OBJECT_STORE_BYTES = 200 * 1024 * 1024

RAY_MISSING = (
    "the Ray backend needs the optional dependency 'ray': install it with "
    "`pip install 'dlcost[ray]'`, or run with --backend process"
)

BLAS_THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


def single_thread_environment() -> dict[str, str]:
    """The environment variables that make a fresh process's BLAS single-threaded."""
    return {name: "1" for name in BLAS_THREAD_VARIABLES}


#: The threadpoolctl controller and the size of ``sys.modules`` when it scanned the loaded
#: libraries: a BLAS can only be loaded by an import, so a grown ``sys.modules`` means rescan.
_CONTROLLER: tuple[int, Any] | None = None


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the block with BLAS on one thread (threadpoolctl; a no-op without it).

    Many small matrix products (a bootstrap's 10⁴ × 10² weighted sums) gain nothing from a
    second BLAS thread, and on a busy machine waking it stalls each call by milliseconds
    (measured: a 10,000-resample bootstrap of ImageNet took 0.155 s with two threads under
    load, 0.022 s with one). Each output element is computed by one thread either way, so
    the numbers are the same (tests/fitting/test_fitting_bootstrap_chunks.py).

    numpy and scipy each bundle their own OpenBLAS; the libraries are scanned again whenever
    modules were imported since the last scan, so one loaded later (scipy's) is capped too.
    """
    global _CONTROLLER
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - scikit-learn brings threadpoolctl
        yield
        return
    if _CONTROLLER is None or _CONTROLLER[0] != len(sys.modules):
        _CONTROLLER = (len(sys.modules), ThreadpoolController())
    with _CONTROLLER[1].limit(limits=1, user_api="blas"):
        yield


def _start_timeout() -> float:
    value = os.environ.get("DLCOST_RAY_START_TIMEOUT")
    if not value:
        return RAY_START_TIMEOUT_S
    try:
        seconds = float(value)
    except ValueError as exc:
        raise BackendUnavailableError(
            f"DLCOST_RAY_START_TIMEOUT must be a number of seconds, got {value!r}") from exc
    if not seconds > 0:
        raise BackendUnavailableError(
            f"DLCOST_RAY_START_TIMEOUT must be positive, got {value!r}")
    return seconds


@contextlib.contextmanager
def ray_session(num_cpus: int | None = None, *, timeout_s: float | None = None) -> Iterator[Any]:
    """Yield the ``ray`` module with Ray running; shut it down after if it was started here.

    With ``RAY_ADDRESS`` set, joins that cluster. Otherwise starts a local instance with
    explicit resources (``num_cpus``, no GPUs, a 200 MB object store, no dashboard). The start
    is bounded by ``timeout_s`` (default :data:`RAY_START_TIMEOUT_S`); past it, or if Ray fails
    to start, :class:`~dlcost.exceptions.BackendUnavailableError` says so in one line.
    """
    try:
        import ray
    except ImportError as exc:
        raise BackendUnavailableError(RAY_MISSING) from exc
    started_here = not ray.is_initialized()
    if started_here:
        limit = timeout_s if timeout_s is not None else _start_timeout()
        kwargs: dict[str, Any] = {
            "log_to_driver": False,
            "runtime_env": {"env_vars": single_thread_environment()},
        }
        address = os.environ.get("RAY_ADDRESS")
        if not address:
            kwargs.update(num_cpus=num_cpus or usable_cpus(), num_gpus=0,
                          object_store_memory=RAY_OBJECT_STORE_BYTES,
                          include_dashboard=False)
        where = f"the Ray cluster at {address}" if address else "a local Ray instance"
        late = (f"{where} did not start within {limit:g} s; set DLCOST_RAY_START_TIMEOUT to "
                "wait longer, or run with --backend process")
        try:
            with _deadline(limit):
                ray.init(**kwargs)
                # A worker must come up too: that is where a loaded machine is slowest.
                ray.get(ray.remote(num_cpus=0)(_ready).remote(), timeout=limit)
        except _StartTimeout as exc:
            _quiet_shutdown(ray)
            raise BackendUnavailableError(late) from exc
        except Exception as exc:
            _quiet_shutdown(ray)
            if type(exc).__name__ == "GetTimeoutError":
                raise BackendUnavailableError(late) from exc
            first = str(exc).strip().splitlines()
            reason = first[0] if first else type(exc).__name__
            raise BackendUnavailableError(
                f"{where} could not start ({reason}); run with --backend process") from exc
    try:
        yield ray
    finally:
        if started_here:
            ray.shutdown()


class _StartTimeout(Exception):
    """Raised inside ``ray.init`` by the alarm of :func:`_deadline`."""


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (main thread on POSIX; elsewhere Ray's own limits).

    ``ray.init`` must run in the main thread (it installs signal handlers), so the bound is an
    interval timer rather than a watchdog thread.
    """
    import signal

    usable = (hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _StartTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _ready() -> bool:
    return True


def _quiet_shutdown(ray: Any) -> None:
    with contextlib.suppress(Exception):
        ray.shutdown()


def usable_cpus() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS and Windows
        return os.cpu_count() or 1


def _initialize_worker() -> None:
    os.environ.update(single_thread_environment())


def map_ordered(
    func: Callable[[T], R],
    items: Iterable[T],
    *,
    backend: Backend = "serial",
    workers: int | None = None,
) -> list[R]:
    """``[func(item) for item in items]``, run by ``backend``; results in input order.

    ``func`` must be a module-level function (it is pickled for ``process`` and ``ray``).
    Each piece's numbers must depend only on the piece, so every backend gives the same list.
    ``items`` is consumed lazily, at most two pieces per worker ahead of the results, so a
    generator of large pieces (bootstrap draws) never sits in memory all at once.
    """
    if backend not in BACKENDS:
        raise BackendUnavailableError(
            f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    if workers is not None and (isinstance(workers, bool) or workers < 1):
        raise BackendUnavailableError(f"workers must be a positive integer, got {workers!r}")
    if backend == "serial":
        return [func(item) for item in items]
    n = workers or usable_cpus()
    if backend == "process":
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_initialize_worker) as pool:
            return _windowed(lambda item: pool.submit(func, item), lambda f: f.result(),
                             items, 2 * n)
    with ray_session(workers) as ray:
        remote = ray.remote(num_cpus=1)(func)
        return _windowed(remote.remote, ray.get, items, 2 * n)


def _windowed(submit: Callable[[T], Any], collect: Callable[[Any], R], items: Iterable[T],
              window: int) -> list[R]:
    """Submit pieces keeping at most ``window`` in flight; collect results in order."""
    from collections import deque

    results: list[R] = []
    pending: deque[Any] = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= window:
            results.append(collect(pending.popleft()))
    while pending:
        results.append(collect(pending.popleft()))
    return results
