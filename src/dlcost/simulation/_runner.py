"""Running the work units: in this process, in local processes or on Ray; cached as Parquet.

A work unit is a block of consecutive repetitions run over the whole sample-size grid (the
grid cannot be split: each repetition's data set grows along it). Repetition ``r`` draws its
random numbers from ``SeedSequence(seed, spawn_key=(r,))`` and every engine call runs with a
single BLAS thread, so the numbers are the same whatever the block size, the number of
workers or the backend.

The cache holds one Parquet file per finished unit under ``<dir>/simulation-<key>/reps/``
(``key`` hashes every setting that changes the numbers, but not the repetition count), each
written to a temporary name and renamed, so an interrupted run resumes where it stopped and a
longer run reuses a shorter one.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Literal

import numpy as np

from dlcost.exceptions import DataFormatError, SimulationSettingsError
from dlcost.parallel import ray_session
from dlcost.simulation._engine import MODELS, BlockResult, simulate_block
from dlcost.simulation._settings import SimulationSettings
from dlcost.simulation._threads import initialize_worker
from dlcost.simulation.result import SimulationResult

Backend = Literal["process", "ray"]
#: Called with (repetitions done, repetitions wanted) after each work unit (and once at start).
ProgressCallback = Callable[[int, int], None]

_BLOCK_FILE = re.compile(r"^reps-(\d+)-(\d+)\.parquet$")


def default_cache_dir() -> Path:
    """``$DLCOST_CACHE_DIR/simulation``, else the user cache directory's ``simulation``."""
    env = os.environ.get("DLCOST_CACHE_DIR")
    if env:
        return Path(env) / "simulation"
    import platformdirs

    return Path(platformdirs.user_cache_dir("dlcost")) / "simulation"


def usable_cpus() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS and Windows
        return os.cpu_count() or 1


def run_directory(cache_dir: Path, settings: SimulationSettings) -> Path:
    """Where the run with these settings keeps its files under ``cache_dir``."""
    return Path(cache_dir) / f"simulation-{settings.cache_key()}"


def _work_unit(settings: SimulationSettings, rep_start: int, rep_stop: int) -> BlockResult:
    """One unit (the function every backend runs; the engine holds BLAS to one thread)."""
    return simulate_block(settings, rep_start, rep_stop)


def _plan(missing: np.ndarray, block_size: int) -> list[tuple[int, int]]:
    """Split the sorted missing repetitions into runs of consecutive ones, then into units."""
    units: list[tuple[int, int]] = []
    if missing.size == 0:
        return units
    breaks = np.flatnonzero(np.diff(missing) != 1) + 1
    for run in np.split(missing, breaks):
        for start in range(int(run[0]), int(run[-1]) + 1, block_size):
            units.append((start, min(start + block_size, int(run[-1]) + 1)))
    return units


# --- cache -------------------------------------------------------------------------------


def _block_path(directory: Path, start: int, stop: int) -> Path:
    return directory / "reps" / f"reps-{start:07d}-{stop:07d}.parquet"


def _layout(settings: SimulationSettings, start: int, stop: int) -> dict[str, np.ndarray]:
    """The key columns of a block file: repetition-major, then model (``MODELS`` order), then n."""
    count, n_models, k = stop - start, len(MODELS), settings.n_grid.size
    return {
        "rep": np.repeat(np.arange(start, stop, dtype=np.int64), n_models * k),
        "model": np.tile(np.repeat(np.array(MODELS), k), count),
        "n": np.tile(settings.n_grid.astype(np.int64), count * n_models),
    }


def _write_block(directory: Path, settings: SimulationSettings, block: BlockResult) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    alpha = np.full(block.excess.shape, np.nan)
    alpha[:, MODELS.index("lasso"), :] = block.lasso_alpha
    columns = _layout(settings, block.rep_start, block.rep_stop)
    columns.update(
        excess=block.excess.reshape(-1), flop=block.flop.reshape(-1), lasso_alpha=alpha.reshape(-1)
    )
    meta = {
        "engine_flop": block.engine_flop,
        "seconds": block.seconds,
        "cache_key": settings.cache_key(),
    }
    table = pa.table(columns).replace_schema_metadata({"dlcost.simulation": json.dumps(meta)})
    path = _block_path(directory, block.rep_start, block.rep_stop)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


def _read_block(path: Path, settings: SimulationSettings, start: int, stop: int) -> BlockResult:
    import pyarrow.parquet as pq

    shape = (stop - start, len(MODELS), settings.n_grid.size)
    try:
        table = pq.read_table(path)
        meta = json.loads(table.schema.metadata[b"dlcost.simulation"])
        for name, expected in _layout(settings, start, stop).items():
            if not np.array_equal(table.column(name).to_numpy(), expected):
                raise ValueError(f"its {name!r} column does not match the settings")
        excess, flop, alpha = (
            table.column(name).to_numpy().reshape(shape)
            for name in ("excess", "flop", "lasso_alpha")
        )
    except (OSError, KeyError, ValueError, TypeError) as exc:
        raise DataFormatError(
            f"cannot use this cached block of repetitions ({exc}); delete the file to have "
            "those repetitions recomputed",
            path=str(path),
        ) from exc
    return BlockResult(
        start,
        stop,
        excess,
        flop,
        alpha[:, MODELS.index("lasso"), :],
        float(meta["engine_flop"]),
        float(meta["seconds"]),
    )


def _cached_blocks(directory: Path, settings: SimulationSettings) -> list[BlockResult]:
    folder = directory / "reps"
    if not folder.is_dir():
        return []
    blocks = []
    for path in sorted(folder.iterdir()):
        match = _BLOCK_FILE.match(path.name)
        if match and int(match.group(1)) < settings.reps:
            start, stop = int(match.group(1)), int(match.group(2))
            blocks.append(_read_block(path, settings, start, stop))
    return blocks


# --- backends ----------------------------------------------------------------------------


def _run_serial(
    settings: SimulationSettings, units: list[tuple[int, int]]
) -> Iterator[BlockResult]:
    for start, stop in units:
        yield _work_unit(settings, start, stop)


def _run_processes(
    settings: SimulationSettings, units: list[tuple[int, int]], workers: int
) -> Iterator[BlockResult]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=initialize_worker
    ) as pool:
        futures = [pool.submit(_work_unit, settings, start, stop) for start, stop in units]
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            for future in futures:
                future.cancel()


def _run_ray(
    settings: SimulationSettings, units: list[tuple[int, int]], workers: int | None
) -> Iterator[BlockResult]:
    with ray_session(workers) as ray:
        remote = ray.remote(num_cpus=1)(_work_unit)
        pending = [remote.remote(settings, start, stop) for start, stop in units]
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            yield ray.get(done[0])


def check_run_options(workers: int | None, backend: str) -> None:
    """Refuse a bad ``workers`` or ``backend`` before any work starts."""
    if backend not in ("process", "ray"):
        raise SimulationSettingsError(f"backend must be 'process' or 'ray', got {backend!r}")
    if workers is not None and (isinstance(workers, bool) or workers < 1):
        raise SimulationSettingsError(f"workers must be a positive integer, got {workers!r}")


def run_simulation(
    settings: SimulationSettings | None = None,
    *,
    workers: int | None = None,
    backend: Backend = "process",
    cache_dir: str | Path | None = None,
    progress: ProgressCallback | None = None,
) -> SimulationResult:
    """Run (or resume) the simulation and return its result.

    Parameters
    ----------
    settings:
        What to simulate (default: the paper's scale, :class:`SimulationSettings`).
    workers:
        Parallel work units. ``None``: one per usable CPU. With the ``process`` backend, 1 runs
        in this process; with ``ray`` it sizes a local Ray instance (ignored when joining the
        cluster named by ``RAY_ADDRESS``).
    backend:
        ``"process"`` (local processes) or ``"ray"`` (optional extra ``dlcost[ray]``).
    cache_dir:
        Keep finished work units here as Parquet and reuse them (``None``: no cache).
    progress:
        Called as ``progress(done, total)`` in repetitions.

    Examples
    --------
    >>> from dlcost.simulation import SimulationSettings, run_simulation
    >>> small = SimulationSettings(features=40, relevant=4, reps=8, n_min=10, n_max=400, n_points=6)
    >>> result = run_simulation(small, workers=1)
    >>> result.to_frame().shape
    (24, 6)
    """
    settings = settings if settings is not None else SimulationSettings()
    check_run_options(workers, backend)
    started = time.perf_counter()
    reps = settings.reps
    k = settings.n_grid.size
    excess = np.full((reps, len(MODELS), k), np.nan)
    flop = np.full((reps, len(MODELS), k), np.nan)
    alpha = np.full((reps, k), np.nan)
    filled = np.zeros(reps, dtype=bool)
    engine_flop = 0.0

    def absorb(block: BlockResult) -> int:
        nonlocal engine_flop
        take = np.arange(block.rep_start, min(block.rep_stop, reps))
        take = take[~filled[take]]
        rows = take - block.rep_start
        excess[take], flop[take], alpha[take] = (
            block.excess[rows],
            block.flop[rows],
            block.lasso_alpha[rows],
        )
        filled[take] = True
        engine_flop += block.engine_flop * rows.size / (block.rep_stop - block.rep_start)
        return int(rows.size)

    directory = run_directory(Path(cache_dir), settings) if cache_dir is not None else None
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "settings.json").write_text(json.dumps(settings.to_dict(), indent=2))
        for block in _cached_blocks(directory, settings):
            absorb(block)
    from_cache = int(filled.sum())
    done = from_cache
    if progress is not None:
        progress(done, reps)

    units = _plan(np.flatnonzero(~filled), settings.block_size)
    n_workers = min(workers or usable_cpus(), max(len(units), 1))
    stream: Iterable[BlockResult]
    if backend == "ray":
        stream = _run_ray(settings, units, workers)
    elif n_workers == 1:
        stream = _run_serial(settings, units)
    else:
        stream = _run_processes(settings, units, n_workers)
    for block in stream:
        if directory is not None:
            _write_block(directory, settings, block)
        done += absorb(block)
        if progress is not None:
            progress(done, reps)

    return SimulationResult(
        settings=settings,
        excess=excess,
        flop=flop,
        lasso_alpha=alpha,
        engine_flop=engine_flop,
        wall_seconds=time.perf_counter() - started,
        reps_from_cache=from_cache,
        cache_path=directory,
    )
