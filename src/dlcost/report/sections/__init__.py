"""The report's sections, in order. Each builder takes the :class:`ReportContext` and returns a
:class:`~dlcost.report.model.Section`; every number in it comes from the library's API.

=====  =========================  ===========================================================
 #     section                    library calls
=====  =========================  ===========================================================
 1     headline                   :func:`dlcost.projection.halving_cost` on each fit
 2     benchmarks                 :func:`dlcost.fitting.scaling_data`, ``fit_data`` (bootstrap)
 3     projections                :func:`dlcost.projection.project`, presets, equivalences
 4     hardware vs scale          :mod:`dlcost.decompose`
 5     how fast it grows          :func:`dlcost.trends.trend`, ``algorithmic_progress``,
                                  :func:`dlcost.projection.forecast.forecast`
 6     after 2020: frontier era   :mod:`dlcost.frontier` (language models × training compute)
 7     was the paper right?       :func:`dlcost.backtest.paper_check`, ``backtest``
 8     what would it take         :func:`dlcost.plan.plan`, :mod:`dlcost.plan.lifecycle`
 9     theory                     :func:`dlcost.simulation.run_simulation`, ``theory``
10     assumptions, provenance    the store, the fits, the presets, the figure registry
=====  =========================  ===========================================================
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dlcost.report.context import ReportContext
from dlcost.report.model import Section
from dlcost.report.sections.benchmarks import benchmarks
from dlcost.report.sections.frontier import frontier
from dlcost.report.sections.growth import growth
from dlcost.report.sections.hardware import hardware
from dlcost.report.sections.headline import headline
from dlcost.report.sections.plan import what_would_it_take
from dlcost.report.sections.projections import projections
from dlcost.report.sections.provenance import provenance
from dlcost.report.sections.skill import skill
from dlcost.report.sections.theory import theory


@dataclass(frozen=True)
class SectionSpec:
    """A section builder and the label the progress display shows while it runs."""

    id: str
    label: str
    build: Callable[[ReportContext], Section]
    #: Built in the report's worker process, beside this one: the section reads the store and
    #: the settings only, plus the shared results named in :attr:`shares`, which the worker's
    #: context receives from this one (so they are computed once, with the same numbers).
    worker: bool = False
    shares: tuple[str, ...] = ()


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("headline", "Headline: the cost of halving the error", headline),
    SectionSpec("benchmarks", "Fitting error against compute", benchmarks),
    SectionSpec("projections", "Projecting compute, dollars and CO₂", projections),
    SectionSpec("hardware", "Compute over time, hardware versus scale", hardware),
    SectionSpec("growth", "How fast it grows", growth),
    SectionSpec("frontier", "After 2020: the frontier era", frontier, worker=True,
                shares=("halving",)),
    SectionSpec("skill", "Was the paper right? Forecast skill", skill, worker=True),
    SectionSpec("plan", "What would it take", what_would_it_take),
    SectionSpec("theory", "The theory and its simulation", theory),
)

__all__ = ["SECTIONS", "SectionSpec", "provenance"]
