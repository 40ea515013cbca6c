"""What every section reads: the store, the chosen sources, the seed, and the shared results.

Shared results are typed, lazily computed properties of :class:`ReportContext` — the fits,
the halving costs, the projections — made once and read by every section that needs them, so
the headline, the per-benchmark figures, the projections table and the provenance show the
same numbers from the same objects. Any one section can be built on its own from a context:
it computes what it reads and nothing else. The simulation runs in the background
(:class:`BackgroundSimulation`, a ``concurrent.futures`` future) while other sections build.
"""

from __future__ import annotations

import threading
import warnings
from concurrent.futures import BrokenExecutor, Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dlcost.benchmarks import BENCHMARKS

if TYPE_CHECKING:
    import pandas as pd

    from dlcost.fitting import BaseScalingFit
    from dlcost.projection import HalvingCost, Projection
    from dlcost.simulation import SimulationResult, SimulationSettings
    from dlcost.store.db import ResultsDB

#: Bootstrap resamples of every scaling fit (the fits refit all resamples at once).
N_BOOT = 2000
#: 1 − confidence of every interval in the report (95 % intervals).
ALPHA = 0.05
#: Repetitions of the simulation in the default (fast) report; ``--full`` uses the paper's.
#: Twenty make two work units of the simulation's default size, one per core of a laptop.
REDUCED_SIMULATION_REPS = 20
#: The paper's own data: the report's first sections show their figures beside the default's.
PAPER_SOURCES = ("futuretech",)
#: How each source is named on the page.
SOURCE_NAMES = {
    "futuretech": "FutureTech 2022 (the paper's data)",
    "builtin": "dlcost's curated builtin results",
    "epoch": "Epoch AI's models",
    "pwc": "Papers with Code (2020)",
    "squad": "the SQuAD leaderboard",
    "computerprogress": "computerprogress.com",
}


def describe_sources(sources: list[str], in_store: list[str]) -> str:
    """``combined`` spelled out as the sources it merges, others by their names."""
    if sources == ["combined"]:
        merged = [SOURCE_NAMES.get(s, s) for s in in_store
                  if s not in ("epoch-hardware", "epoch-prices")]
        return ("all data to date (combined: " + ", ".join(merged)
                + ", matched into one row per result)")
    return ", ".join(SOURCE_NAMES.get(s, s) for s in sources)


#: Cost preset of the projections table: the per-GFLOP constants behind the paper's columns.
PROJECTION_PRESET = "thompson2020"


@dataclass(frozen=True)
class ReportSettings:
    """What to report on and where to write it.

    Parameters
    ----------
    out_dir : Path
        Folder for ``index.html``, ``figures/`` and ``tables/`` (default ``./dlcost-report``).
    sources : tuple of str, optional
        Sources of results (``builtin``, ``futuretech``, ``all``, …); default everything
        imported, else the shipped ``builtin`` data.
    full : bool
        Run the simulation at the paper's scale (slow) instead of a reduced one.
    seed : int
        Seed of every random draw (bootstrap, simulation): the same data and seed give the
        same numbers.
    db_path : Path, optional
        Results database; default ``$DLCOST_DB`` or the user data folder.
    simulation_reps : int, optional
        Repetitions of the simulation, overriding both the reduced default
        (:data:`REDUCED_SIMULATION_REPS`) and ``full``'s paper scale.
    raw_csv : bool
        Write the tables' text cells exactly as they are; by default a cell that a spreadsheet
        would run as a formula (``=``, ``+``, ``-``, ``@`` first) is prefixed with ``'``.
    parallel : bool
        Use a worker process beside this one (figures, the reduced simulation, the costliest
        sections) when more than one CPU is usable. ``False`` builds everything in this
        process; the files are the same bytes either way.
    """

    out_dir: Path = Path("dlcost-report")
    sources: tuple[str, ...] | None = None
    full: bool = False
    seed: int = 0
    db_path: Path | None = None
    simulation_reps: int | None = None
    raw_csv: bool = False
    parallel: bool = True


@dataclass
class BenchmarkFits:
    """The scaling data and the two fits of one benchmark, or why they could not be made."""

    benchmark: str
    data: Any = None  # dlcost.fitting.ScalingData
    poly: Any = None  # dlcost.fitting.PolynomialFit
    exp: Any = None  # dlcost.fitting.ExponentialFit
    #: Power law on the state-of-the-art results only (``variant="frontier"``); None when
    #: there are too few of them.
    frontier: Any = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None and self.poly is not None


@dataclass(frozen=True)
class HalvingRow:
    """The cost of halving the error of one benchmark's fit in one form."""

    benchmark: str
    name: str
    fit: BaseScalingFit
    halving: HalvingCost


@dataclass(frozen=True)
class ProjectionEntry:
    """One fit's projection to its target errors, and where the targets come from."""

    benchmark: str
    fit: BaseScalingFit
    projection: Projection
    targets_from: str


@dataclass(frozen=True)
class Projections:
    """The projections of every fit, and the fits that could not be projected (why)."""

    entries: list[ProjectionEntry]
    problems: list[str]


class _Cancelled(Exception):
    """Raised inside the simulation's progress callback to stop an abandoned run."""


class BackgroundSimulation:
    """The report's simulation, running in the background as a future.

    By default its work units go to worker processes of their own (one per CPU) and a
    background thread waits on them. Given ``executor`` (the report build's worker pool), the
    whole run is one task of that pool instead, in one process: the reduced simulation of a
    default report then takes its turn beside the figures and sections instead of starting
    more processes than the machine has cores. The numbers are the same either way (the
    repetitions' random streams are fixed by the repetition, not by the process).
    :meth:`result` waits and re-raises the run's error, if any; :meth:`stop` asks an unwanted
    run to stop (at its next progress report, or before it starts in the pool) and waits.
    """

    def __init__(self, settings: SimulationSettings, executor: Executor | None = None) -> None:
        from dlcost.simulation import default_cache_dir, run_simulation

        self.settings = settings
        self._cancel = threading.Event()
        self._executor: ThreadPoolExecutor | None = None
        if executor is not None:
            try:
                self.future: Future[SimulationResult] = executor.submit(
                    run_simulation, settings, workers=1, cache_dir=default_cache_dir())
                return
            except BrokenExecutor:  # the pool's worker died: run on our own, as below
                pass
        self._executor = ThreadPoolExecutor(max_workers=1,
                                            thread_name_prefix="dlcost-report-simulation")
        self.future = self._executor.submit(
            run_simulation, settings, cache_dir=default_cache_dir(), progress=self._check)

    def _check(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise _Cancelled

    def done(self) -> bool:
        """Whether the run has finished (its result is ready, or its error)."""
        return self.future.done()

    def result(self) -> SimulationResult:
        try:
            return self.future.result()
        except BrokenExecutor:
            if self._executor is not None:
                raise
            # The build's worker died with the run queued or under way: run it here (finished
            # work units come from the cache). Same numbers: streams are per repetition.
            from dlcost.simulation import default_cache_dir, run_simulation

            return run_simulation(self.settings, cache_dir=default_cache_dir(),
                                  progress=self._check)
        finally:
            if self._executor is not None:
                self._executor.shutdown(wait=False)

    def stop(self) -> None:
        self._cancel.set()
        self.future.cancel()
        if self._executor is not None:
            self._executor.shutdown(wait=True)


@dataclass
class ReportContext:
    """The inputs shared by the sections, with lazily computed, typed shared results."""

    db: ResultsDB
    settings: ReportSettings
    sources: list[str]
    results: pd.DataFrame
    #: The background simulation, once :meth:`start_simulation` (or the theory section) ran.
    simulation: BackgroundSimulation | None = field(default=None, repr=False)

    @classmethod
    def open(cls, db: ResultsDB, settings: ReportSettings) -> ReportContext:
        sources = db.resolve_sources(list(settings.sources) if settings.sources else None)
        return cls(db=db, settings=settings, sources=sources,
                   results=db.results(sources=sources))

    @property
    def seed(self) -> int:
        return self.settings.seed

    @cached_property
    def paper(self) -> ReportContext | None:
        """The same analysis on the paper's data (FutureTech 2022), for side-by-side figures.

        None when the report already runs on the paper's data alone, or the store lacks it.
        """
        chosen = list(PAPER_SOURCES)
        if self.sources == chosen or not set(chosen) <= set(self.db.sources()):
            return None
        return ReportContext(db=self.db, settings=replace(self.settings, sources=PAPER_SOURCES),
                             sources=chosen, results=self.db.results(sources=chosen))

    def data_label(self) -> str:
        """The data this report's figures come from, in words (every section names it)."""
        return describe_sources(self.sources, self.db.sources())

    @property
    def level(self) -> str:
        """The confidence level of the report's intervals as text (``"95%"``)."""
        return f"{100 * (1 - ALPHA):g}%"

    def benchmarks(self) -> list[str]:
        """Benchmarks with at least one result in the chosen sources, in the paper's order."""
        present = set(self.results["benchmark"].dropna())
        return [b for b in BENCHMARKS if b in present]

    # -- shared results, computed once -----------------------------------------------------

    @cached_property
    def benchmark_fits(self) -> dict[str, BenchmarkFits]:
        """Polynomial and exponential fits with bootstrap, per benchmark."""
        return {b: self._fit(b, i) for i, b in enumerate(self.benchmarks())}

    def fits(self) -> dict[str, BenchmarkFits]:
        """:attr:`benchmark_fits` (made once)."""
        return self.benchmark_fits

    @cached_property
    def halving(self) -> list[HalvingRow]:
        """Per benchmark and form: the :class:`~dlcost.projection.HalvingCost` of its fit."""
        from dlcost.projection import halving_cost

        return [HalvingRow(bench, BENCHMARKS[bench].name, fit, halving_cost(fit))
                for bench, fits in self.fits().items() if fits.ok
                for fit in (fits.poly, fits.exp)]

    @cached_property
    def projections(self) -> Projections:
        """Each fit projected to its default targets (:func:`dlcost.projection.default_targets`)
        under :data:`PROJECTION_PRESET`."""
        from dlcost.exceptions import DlcostError, ExtrapolationWarning
        from dlcost.projection import default_targets, project

        entries, problems = [], []
        for bench, fits in self.fits().items():
            if not fits.ok:
                continue
            for fit in (fits.poly, fits.exp):
                targets = default_targets(bench, fit.best_error_)
                try:
                    with warnings.catch_warnings():
                        # Extrapolation is the point of the table; its extent is a column.
                        warnings.simplefilter("ignore", ExtrapolationWarning)
                        proj = project(fit, list(targets.errors), preset=PROJECTION_PRESET)
                except (DlcostError, OverflowError) as exc:
                    # OverflowError: a projection beyond ~10³⁰⁸ FLOP (exponential fits far out).
                    problems.append(f"{BENCHMARKS[bench].name} ({fit.form_label}): {exc}")
                    continue
                entries.append(ProjectionEntry(bench, fit, proj, targets.origin))
        return Projections(entries, problems)

    # -- the simulation --------------------------------------------------------------------

    def simulation_settings(self) -> SimulationSettings:
        """The paper's scale with ``full``, else :data:`REDUCED_SIMULATION_REPS` repetitions."""
        from dlcost.simulation import SimulationSettings

        if self.settings.simulation_reps is not None:
            return SimulationSettings(reps=self.settings.simulation_reps, seed=self.seed)
        if self.settings.full:
            return SimulationSettings(seed=self.seed)
        return SimulationSettings(reps=REDUCED_SIMULATION_REPS, seed=self.seed)

    def start_simulation(self, executor: Executor | None = None) -> BackgroundSimulation:
        """Start the simulation in the background (once), so it runs while sections build.

        With ``executor`` (the build's worker pool) a reduced run (at most
        :data:`REDUCED_SIMULATION_REPS` repetitions) is one task of that pool; a larger one
        (``--full``) keeps its own processes, one per CPU.
        """
        if self.simulation is None:
            settings = self.simulation_settings()
            in_pool = executor is not None and settings.reps <= REDUCED_SIMULATION_REPS
            self.simulation = BackgroundSimulation(settings, executor if in_pool else None)
        return self.simulation

    def simulation_result(self) -> SimulationResult:
        """The simulation's result (waits for the background run, or starts it now)."""
        return self.start_simulation().result()

    def stop_simulation(self) -> None:
        """Stop a background run that is no longer wanted (the build failed); wait for it."""
        if self.simulation is not None:
            self.simulation.stop()

    # -- fitting ---------------------------------------------------------------------------

    def _fit(self, benchmark: str, index: int) -> BenchmarkFits:
        import numpy as np

        from dlcost.fitting import FIT_FAILURES, fit_data, scaling_data, unavailable

        try:
            data = scaling_data(self.db, benchmark, sources=self.sources)
            # One independent stream per benchmark and form, all from the report's seed.
            streams = np.random.SeedSequence(self.seed, spawn_key=(index,)).spawn(2)
            poly = fit_data(data, form="poly", alpha=ALPHA, n_boot=N_BOOT,
                            random_state=np.random.default_rng(streams[0]))
            exp = fit_data(data, form="exp", alpha=ALPHA, n_boot=N_BOOT,
                           random_state=np.random.default_rng(streams[1]))
        except FIT_FAILURES as exc:  # fail soft: this benchmark only
            return BenchmarkFits(benchmark=benchmark, problem=unavailable(benchmark, exc).reason)
        try:
            frontier = fit_data(data, form="poly", variant="frontier")
        except FIT_FAILURES:
            frontier = None
        return BenchmarkFits(benchmark=benchmark, data=data, poly=poly, exp=exp,
                             frontier=frontier)
