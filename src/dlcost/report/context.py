"""What every section reads: the store, the chosen sources, the seed, and the shared fits.

Fits are made once here and shared, so the headline, the per-benchmark figures and the
projections table show the same numbers from the same objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dlcost.benchmarks import BENCHMARKS

if TYPE_CHECKING:
    import pandas as pd

    from dlcost.store.db import ResultsDB

#: Bootstrap resamples of every scaling fit (the fits refit all resamples at once).
N_BOOT = 2000
#: 1 − confidence of every interval in the report (95 % intervals).
ALPHA = 0.05
#: Repetitions of the simulation in the default (fast) report; ``--full`` uses the paper's.
#: Twenty make two work units of the simulation's default size, one per core of a laptop.
REDUCED_SIMULATION_REPS = 20


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
    """

    out_dir: Path = Path("dlcost-report")
    sources: tuple[str, ...] | None = None
    full: bool = False
    seed: int = 0
    db_path: Path | None = None
    simulation_reps: int | None = None
    raw_csv: bool = False


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


@dataclass
class ReportContext:
    """The inputs shared by the sections, with lazily computed shared results."""

    db: ResultsDB
    settings: ReportSettings
    sources: list[str]
    results: pd.DataFrame
    _fits: dict[str, BenchmarkFits] | None = field(default=None, repr=False)
    cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, db: ResultsDB, settings: ReportSettings) -> ReportContext:
        sources = db.resolve_sources(list(settings.sources) if settings.sources else None)
        return cls(db=db, settings=settings, sources=sources,
                   results=db.results(sources=sources))

    @property
    def seed(self) -> int:
        return self.settings.seed

    @property
    def level(self) -> str:
        """The confidence level of the report's intervals as text (``"95%"``)."""
        return f"{100 * (1 - ALPHA):g}%"

    def benchmarks(self) -> list[str]:
        """Benchmarks with at least one result in the chosen sources, in the paper's order."""
        present = set(self.results["benchmark"].dropna())
        return [b for b in BENCHMARKS if b in present]

    def fits(self) -> dict[str, BenchmarkFits]:
        """Polynomial and exponential fits with bootstrap, per benchmark (made once)."""
        if self._fits is None:
            self._fits = {b: self._fit(b, i) for i, b in enumerate(self.benchmarks())}
        return self._fits

    def _fit(self, benchmark: str, index: int) -> BenchmarkFits:
        import numpy as np

        from dlcost.exceptions import FitError
        from dlcost.fitting import fit_data, scaling_data

        try:
            data = scaling_data(self.db, benchmark, sources=self.sources)
            # One independent stream per benchmark and form, all from the report's seed.
            streams = np.random.SeedSequence(self.seed, spawn_key=(index,)).spawn(2)
            poly = fit_data(data, form="poly", alpha=ALPHA, n_boot=N_BOOT,
                            random_state=np.random.default_rng(streams[0]))
            exp = fit_data(data, form="exp", alpha=ALPHA, n_boot=N_BOOT,
                           random_state=np.random.default_rng(streams[1]))
        except FitError as exc:
            return BenchmarkFits(benchmark=benchmark, problem=str(exc))
        try:
            frontier = fit_data(data, form="poly", variant="frontier")
        except FitError:
            frontier = None
        return BenchmarkFits(benchmark=benchmark, data=data, poly=poly, exp=exp,
                             frontier=frontier)
