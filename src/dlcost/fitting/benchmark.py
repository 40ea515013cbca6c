"""One call from the store to a fitted benchmark: :func:`fit_benchmark`.

The fit it returns remembers where its points came from (``benchmark_``, ``measure_``,
``metric_``, ``sources_``, ``notes_``, ``consolidation_``, passed into ``fit`` as a
:class:`~dlcost.fitting.models.Provenance`) so that projections, plots and the report can say
so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from dlcost.benchmarks import BENCHMARKS
from dlcost.exceptions import DlcostError, FitError
from dlcost.fitting.data import ScalingData, scaling_data
from dlcost.fitting.models import BaseScalingFit, Provenance, make_fit
from dlcost.fitting.variants import Variant

if TYPE_CHECKING:
    from dlcost.store.db import ResultsDB


#: What one benchmark's fit may raise without stopping the others: dlcost's own errors, and
#: the numerical failures (an overflow, a singular design, an empty reduction) that a
#: benchmark's odd data can provoke. Anything else is a bug and propagates.
FIT_FAILURES: tuple[type[BaseException], ...] = (
    DlcostError, ValueError, ArithmeticError, np.linalg.LinAlgError)


@dataclass(frozen=True)
class Unavailable:
    """A benchmark that could not be fitted, and why (shown as "not available: reason")."""

    benchmark: str
    reason: str

    def __str__(self) -> str:
        return f"{self.benchmark}: not available: {self.reason}"

    def to_dict(self) -> dict[str, str]:
        return {"benchmark": self.benchmark, "reason": self.reason}


def unavailable(benchmark: str, exc: BaseException) -> Unavailable:
    """The :class:`Unavailable` entry for ``exc`` raised while fitting ``benchmark``."""
    reason = str(exc) if isinstance(exc, DlcostError) else (
        f"the fit failed numerically ({type(exc).__name__}: {exc})")
    prefix = f"{benchmark} "
    if reason.startswith(prefix):  # fit_data's own prefix names the benchmark already
        reason = reason[len(prefix):]
    return Unavailable(benchmark, " ".join(reason.split()))


def fit_data(
    data: ScalingData,
    *,
    form: str = "poly",
    variant: str | Variant = "ols",
    alpha: float = 0.05,
    quantile: float = 0.1,
    n_boot: int = 0,
    random_state: int | np.random.Generator | None = None,
) -> BaseScalingFit:
    """Fit prepared :class:`ScalingData`, passing its provenance into the fit."""
    fit = make_fit(form, variant=variant, alpha=alpha, quantile=quantile, n_boot=n_boot,
                   random_state=random_state)
    provenance = Provenance(benchmark=data.benchmark, measure=data.measure, metric=data.metric,
                            sources=tuple(data.sources), notes=tuple(data.notes),
                            consolidation=data.consolidation)
    try:
        fit.fit(data.frame, provenance=provenance)
    except FitError as exc:
        raise FitError(f"{data.benchmark} ({data.measure}, {form}, {fit.variant}): {exc}") from exc
    return fit


def fit_benchmark(
    db: ResultsDB,
    benchmark: str,
    *,
    measure: str = "hardware_burden_consolidated",
    form: str = "poly",
    variant: str | Variant = "ols",
    sources: Sequence[str] | None = None,
    metric: str | None = None,
    alpha: float = 0.05,
    quantile: float = 0.1,
    n_boot: int = 0,
    random_state: int | np.random.Generator | None = None,
) -> BaseScalingFit:
    """Fit error against compute for one benchmark of the store.

    Parameters
    ----------
    db : ResultsDB
    benchmark : str
        One of :data:`dlcost.benchmarks.BENCHMARKS` (``imagenet``, ``coco``, ``squad1.1``,
        ``conll2003``, ``wmt14-en-fr``, ``wmt14-en-de``).
    measure : str
        Compute measure (:data:`dlcost.fitting.MEASURES`); default the consolidated hardware
        burden of the 2022 analysis.
    form : {"poly", "exp"}
    variant : {"ols", "time", "quantile", "frontier"}
    sources : list of str, optional
        Imported sources to use; default everything imported, else ``builtin``.
    metric : str, optional
        A secondary metric for the error (e.g. ``"f1"`` for SQuAD 1.1); default the headline.
    alpha, quantile, n_boot, random_state
        Passed to the fit (:class:`dlcost.fitting.BaseScalingFit`).

    Examples
    --------
    ``fit_benchmark(db, "imagenet").slope_`` is 0.0908 on the FutureTech 2022 data.
    """
    data = scaling_data(db, benchmark, measure=measure, metric=metric, sources=sources)
    return fit_data(data, form=form, variant=variant, alpha=alpha, quantile=quantile,
                    n_boot=n_boot, random_state=random_state)


def fit_all(
    db: ResultsDB,
    *,
    benchmarks: Sequence[str] | None = None,
    forms: Sequence[str] = ("poly",),
    measure: str = "hardware_burden_consolidated",
    variant: str | Variant = "ols",
    sources: Sequence[str] | None = None,
    metric: str | None = None,
    alpha: float = 0.05,
    quantile: float = 0.1,
    n_boot: int = 0,
    random_state: int | np.random.Generator | None = None,
    skip_errors: bool = True,
) -> tuple[list[BaseScalingFit], list[Unavailable]]:
    """Fit every benchmark (default all six) in every form, with the same options.

    Fails soft per benchmark: with ``skip_errors`` (default) a benchmark that cannot be fitted
    (no data, too few points, a numerical failure: :data:`FIT_FAILURES`) becomes one
    :class:`Unavailable` entry and the others are still fitted. ``metric`` applies only to
    benchmarks that have it (e.g. ``"f1"`` changes SQuAD 1.1 and leaves the others alone).
    """
    for form in forms:  # refuse bad options before touching the data
        make_fit(form, variant=variant, alpha=alpha, quantile=quantile, n_boot=n_boot)
    fits: list[BaseScalingFit] = []
    problems: list[Unavailable] = []
    rng = random_state
    if n_boot and not isinstance(random_state, np.random.Generator):
        rng = np.random.default_rng(random_state)
    chosen = list(benchmarks or BENCHMARKS)
    if metric is not None:
        metric = metric.lower()
        known = {m for b in (BENCHMARKS.get(x) for x in chosen) if b is not None
                 for m in (b.metric, *b.secondary_metrics)}
        if metric not in known:
            raise FitError(f"unknown metric {metric!r} for {', '.join(chosen)}; known: "
                           f"{', '.join(sorted(known))}")
    for bench in chosen:
        b = BENCHMARKS.get(bench)
        own_metric = metric if b is None or metric in (b.metric, *b.secondary_metrics) else None
        try:
            data = scaling_data(db, bench, measure=measure, metric=own_metric, sources=sources)
            for form in forms:
                fits.append(fit_data(data, form=form, variant=variant, alpha=alpha,
                                     quantile=quantile, n_boot=n_boot, random_state=rng))
        except FIT_FAILURES as exc:
            if not skip_errors:
                raise
            problems.append(unavailable(bench, exc))
    return fits, problems
