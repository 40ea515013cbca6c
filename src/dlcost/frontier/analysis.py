"""Fits, projections and form comparison for one language-model benchmark.

- :func:`fit_lm`: the paper's forms (on error = 1 − score) or the logistic with its floor at
  the benchmark's chance level, on the points :func:`dlcost.frontier.lm_data` chose.
- :func:`compare_forms`: held-out (leave-one-out) prediction error of the score for each form;
  the form with the lowest RMSE is *chosen*.
- :func:`project_lm`: compute for target scores, with bootstrap intervals and how far beyond
  the data each lies; the cost of halving today's best error; the implied exponent beside
  theory's 4 (METHODS.md §7).
- :func:`benchmark_summary`: all of it for one benchmark, as the report and the closing note
  show it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dlcost.exceptions import FitError, TargetOutOfRangeError
from dlcost.fitting.compare import held_out_errors, score_forms
from dlcost.fitting.logistic import LogisticFit
from dlcost.frontier.data import Comparability, LMData, lm_data
from dlcost.store.lm import BENCHMARK_SOURCE, MODELS_SOURCE

if TYPE_CHECKING:
    from dlcost.store.db import ResultsDB

FORMS = ("poly", "exp", "logistic")
#: Default target score: 90 %, the target the issue's acceptance asks about (most of these
#: benchmarks' best 2025 scores lie near it, so it stays close to the data).
DEFAULT_TARGET_SCORE = 0.90
#: Theory's lower bound on the exponent k of compute ∝ (1/error)^k (Thompson et al., METHODS §7).
THEORY_EXPONENT = 4.0
MEASURE = "training_compute"

AnyFit = Any  # LogisticFit | BaseScalingFit


def forms_for(form: str) -> tuple[str, ...]:
    """``all`` → the three forms; ``both`` → the paper's two; else the one named."""
    if form == "all":
        return FORMS
    if form == "both":
        return ("poly", "exp")
    if form not in FORMS:
        raise FitError(f"unknown form {form!r}; choose logistic, poly, exp or all")
    return (form,)


def fit_lm(
    data: LMData,
    *,
    form: str = "logistic",
    ceiling: float | str = 1.0,
    alpha: float = 0.05,
    n_boot: int = 1000,
    random_state: int | np.random.Generator | None = 0,
) -> AnyFit:
    """Fit one form to a benchmark's points; the fit carries ``benchmark_``, ``notes_`` and
    ``data_`` (the :class:`LMData`)."""
    from dlcost.fitting.models import Provenance, make_fit

    if len(data) == 0:
        raise FitError(f"{data.benchmark.name}: no model has both a score and training compute "
                       "after the filters (" + "; ".join(data.notes) + ")")
    notes = data.filters.describe() + list(data.notes)
    fit: AnyFit
    if form == "logistic":
        fit = LogisticFit(floor=data.floor, ceiling=ceiling, alpha=alpha, n_boot=n_boot,
                          random_state=random_state)
        fit.fit(data.frame)
        fit.benchmark_ = data.benchmark.id
        fit.notes_ = notes
    elif form in ("poly", "exp"):
        fit = make_fit(form, alpha=alpha, n_boot=n_boot, random_state=random_state)
        usable = data.frame["error"].between(0, 1, inclusive="neither")
        if (~usable).sum():
            notes.append(f"{int((~usable).sum())} model(s) scoring 0 or 100 % left out of the "
                         f"{form} fit (its error must lie in (0, 1))")
        provenance = Provenance(benchmark=data.benchmark.id, measure=MEASURE,
                                metric=data.benchmark.metric,
                                sources=(BENCHMARK_SOURCE, MODELS_SOURCE), notes=tuple(notes))
        try:
            fit.fit(data.frame[usable], provenance=provenance)
        except FitError as exc:
            raise FitError(f"{data.benchmark.name} ({form}): {exc}") from exc
    else:
        raise FitError(f"unknown form {form!r}; choose logistic, poly or exp")
    fit.data_lm_ = data
    return fit


def compare_forms(data: LMData, *, ceiling: float | str = 1.0,
                  folds: str | int = "loo") -> pd.DataFrame:
    """Held-out prediction error of the score (percentage points) of each form; the row with
    the lowest RMSE has ``chosen`` True."""
    table = held_out_errors(score_forms(data.floor, ceiling=ceiling), data.frame, folds=folds)
    # Only a form that predicted every held-out point can be chosen.
    complete = table["n_predicted"] == len(data)
    rmse = table["rmse"].where(complete)
    table["chosen"] = (table.index == rmse.idxmin()) if rmse.notna().any() else False
    return table


def fit_record(fit: AnyFit) -> dict[str, Any]:
    """The ``fit --json`` record of a language-model fit (the paper's keys, plus the floor)."""
    data: LMData = fit.data_lm_
    base: dict[str, Any] = {"benchmark": fit.benchmark_, "measure": MEASURE, "form": fit.form}
    if isinstance(fit, LogisticFit):
        info = fit.to_dict()
        base.update({"variant": None, "n": fit.n_, "floor": fit.floor,
                     "floor_source": data.benchmark.floor_source, "ceiling": fit.ceiling_,
                     "midpoint_flop": fit.midpoint_flop_})
        base.update({k: v for k, v in info.items() if k not in base})
    else:
        info = fit.to_dict()
        base.update({"variant": fit.variant, "n": fit.n_, "intercept": fit.intercept_,
                     "slope": fit.slope_, "intercept_se": fit.intercept_se_,
                     "slope_se": fit.slope_se_, "r2": fit.r2_,
                     "floor": None, "chance_level": data.benchmark.floor,
                     "floor_source": data.benchmark.floor_source})
        base.update({k: v for k, v in info.items() if k not in base})
    lo, hi = data.frame["compute_flop"].min(), data.frame["compute_flop"].max()
    base.update({
        "metric": data.benchmark.metric, "score_scale": data.benchmark.score_scale,
        "compute_range_flop": [float(lo), float(hi)],
        "filters": data.filters.describe(), "filter_settings": data.filters.to_dict(),
        "counts": data.counts, "standard_shots": data.standard_shots,
        "sources": [BENCHMARK_SOURCE, MODELS_SOURCE], "notes": list(data.notes),
    })
    return base


@dataclass
class TargetRow:
    """Compute needed for one score ("today": the best score in the data; else a target)."""

    label: str
    score: float
    flop: float | None
    flop_ci: tuple[float, float] | None
    orders_beyond_data: float | None
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Keys of the paper's ``project --json`` rows, with ``score`` beside ``error``."""
        return {"label": self.label, "score": self.score, "error": 1.0 - self.score,
                "flop": self.flop, "flop_ci": list(self.flop_ci) if self.flop_ci else None,
                "orders_beyond_data": self.orders_beyond_data, "problem": self.problem}


@dataclass
class LMProjection:
    """Compute for target scores, today's point and the halving cost, for one fit."""

    benchmark: str
    form: str
    floor: float | None
    ceiling: float | None
    midpoint_flop: float | None
    confidence: float
    n_boot: int
    today: TargetRow
    today_model: str
    targets: list[TargetRow]
    halving: dict[str, Any]
    compute_range_flop: tuple[float, float]
    filters: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> list[TargetRow]:
        return [self.today, *self.targets]

    def to_dict(self) -> dict[str, Any]:
        """The paper's ``project --json`` document, plus ``floor``, ``ceiling``,
        ``midpoint_flop`` and the filters; no costs (``preset`` null)."""
        return {
            "benchmark": self.benchmark, "form": self.form, "variant": None,
            "measure": MEASURE, "preset": None, "confidence": self.confidence,
            "n_boot": self.n_boot, "floor": self.floor, "ceiling": self.ceiling,
            "midpoint_flop": self.midpoint_flop,
            "data_flop_range": list(self.compute_range_flop),
            "today": {**self.today.to_dict(), "model": self.today_model},
            "targets": [r.to_dict() for r in self.targets], "halving": self.halving,
            "filters": self.filters, "notes": self.notes,
        }


def _orders_beyond(flop: float, lo: float, hi: float) -> float | None:
    """Decades outside [lo, hi] (0 inside), as the paper's projections report it."""
    if not flop > 0:
        return None
    if not math.isfinite(flop):
        return math.inf
    x = math.log10(flop)
    return max(x - math.log10(hi), math.log10(lo) - x, 0.0)


def _boot_log10(fit: AnyFit, score: float) -> np.ndarray | None:
    """log10 compute for ``score`` under each bootstrap resample, or None without them."""
    if isinstance(fit, LogisticFit):
        return fit.log10_compute_samples(score) if fit.boot_params_ is not None else None
    if fit.boot_coef_ is None:
        return None
    out: np.ndarray = fit.log10_compute_for([1.0 - score], coef=fit.boot_coef_)[:, 0]
    return out


def compute_for_score(fit: AnyFit, score: float) -> tuple[float, tuple[float, float] | None]:
    """Compute (FLOP) and its bootstrap interval for a target score (fraction), any form.

    Raises :class:`TargetOutOfRangeError` for a score at or below the chance floor (for every
    form: below chance a score says nothing about capability) or not below 1.
    """
    data: LMData = fit.data_lm_
    if not score > data.floor:
        raise TargetOutOfRangeError(
            f"a score of {score:.4g} is at or below the chance level of "
            f"{data.benchmark.name} ({data.floor:g}): guessing scores that much, so no "
            "compute corresponds to it. Ask for a score above the chance level."
        )
    if not score < 1.0:
        raise TargetOutOfRangeError(f"a score of {score:.4g} is not below 1 (a perfect "
                                    "score): no finite compute reaches it")
    if isinstance(fit, LogisticFit):
        flop = fit.compute_for(score)
    else:
        flop = float(fit.compute_for(1.0 - score))
    logs = _boot_log10(fit, score)
    ci = None
    if logs is not None:
        good = logs[~np.isnan(logs)]
        if good.size:
            with np.errstate(invalid="ignore", over="ignore"):  # ±inf resamples
                lo, hi = np.quantile(good, [fit.alpha / 2, 1 - fit.alpha / 2])
                ci = (float(np.power(10.0, lo)), float(np.power(10.0, hi)))
    return flop, ci


def halving(fit: AnyFit, error: float) -> dict[str, Any]:
    """Cost of halving ``error`` (= 1 − score) and the implied exponent k = log2(cost).

    Keys as the paper's projections: ``form, at_error, factor, factor_ci, exponent,
    exponent_ci, theory_exponent, confidence``; ``problem`` says why it is missing (the
    halved error lies below the error floor 1 − ceiling, or the score is at chance).
    """
    out: dict[str, Any] = {"form": fit.form, "at_error": error, "factor": None,
                           "factor_ci": None, "exponent": None, "exponent_ci": None,
                           "theory_exponent": THEORY_EXPONENT, "confidence": 1.0 - fit.alpha,
                           "problem": None}
    try:
        start, _ = compute_for_score(fit, 1.0 - error)
        end, _ = compute_for_score(fit, 1.0 - error / 2.0)
    except FitError as exc:
        out["problem"] = str(exc)
        return out
    factor = end / start
    out["factor"] = factor
    out["exponent"] = math.log2(factor) if factor > 0 else None
    a, b = _boot_log10(fit, 1.0 - error), _boot_log10(fit, 1.0 - error / 2.0)
    if a is not None and b is not None:
        with np.errstate(invalid="ignore"):
            diff = b - a
        good = diff[np.isfinite(diff)]
        if good.size:
            lo, hi = np.quantile(good, [fit.alpha / 2, 1 - fit.alpha / 2])
            with np.errstate(over="ignore"):
                out["factor_ci"] = [float(np.power(10.0, lo)), float(np.power(10.0, hi))]
            out["exponent_ci"] = [float(lo / math.log10(2)), float(hi / math.log10(2))]
    return out


def project_lm(fit: AnyFit, scores: Sequence[float] = (DEFAULT_TARGET_SCORE,)) -> LMProjection:
    """Compute for each target score (fractions), today's best, and the halving cost."""
    data: LMData = fit.data_lm_
    frame = data.frame
    best = frame.loc[frame["score"].idxmax()]
    lo, hi = float(frame["compute_flop"].min()), float(frame["compute_flop"].max())

    def row(label: str, s: float) -> TargetRow:
        try:
            flop, ci = compute_for_score(fit, s)
        except TargetOutOfRangeError:
            if label != "today":
                raise
            return TargetRow(label, s, None, None, None, problem="at or beyond the fit's range")
        except FitError as exc:
            return TargetRow(label, s, None, None, None, problem=str(exc))
        return TargetRow(label, s, flop, ci, _orders_beyond(flop, lo, hi))

    targets = [row("target", s) for s in scores]
    today = row("today", float(best["score"]))
    notes = [f"a score of {r.score:.0%} lies {r.orders_beyond_data:.1f} decades of compute "
             "beyond the largest model in the data: an extrapolation"
             for r in targets if r.orders_beyond_data is not None and r.orders_beyond_data > 1]
    logistic = isinstance(fit, LogisticFit)
    n_boot = (fit.n_boot_ if logistic and fit.boot_params_ is not None else
              0 if logistic or fit.boot_coef_ is None else int(fit.boot_coef_.shape[0]))
    return LMProjection(
        benchmark=data.benchmark.id, form=fit.form,
        floor=data.floor if logistic else None,
        ceiling=fit.ceiling_ if logistic else None,
        midpoint_flop=fit.midpoint_flop_ if logistic else None,
        confidence=1.0 - fit.alpha, n_boot=n_boot, today=today,
        today_model=str(best["model"]), targets=targets,
        halving=halving(fit, 1.0 - float(best["score"])),
        compute_range_flop=(lo, hi), filters=data.filters.describe(),
        notes=notes + list(fit.notes_ or [])[len(data.filters.describe()):],
    )


def benchmark_summary(
    db: ResultsDB,
    benchmark: str,
    *,
    filters: Comparability | None = None,
    target: float = DEFAULT_TARGET_SCORE,
    n_boot: int = 1000,
    random_state: int = 0,
    scores: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """For one benchmark: n, floor, held-out error of each form, the chosen form, compute for
    ``target`` by each form (with interval and decades beyond the data), the logistic's
    halving cost and implied exponent, and the time-trend algorithmic progress."""
    from dlcost.frontier.progress import time_trend_progress

    data = lm_data(db, benchmark, filters=filters, scores=scores)
    table = compare_forms(data)
    out: dict[str, Any] = {
        "benchmark": data.benchmark.id, "name": data.benchmark.name, "n": len(data),
        "floor": data.floor, "floor_source": data.benchmark.floor_source,
        "held_out": {f: {"rmse_pp": float(r.rmse), "mae_pp": float(r.mae),
                         "n_predicted": int(r.n_predicted), "scheme": str(r.scheme)}
                     for f, r in table.iterrows()},
        "chosen_form": str(table.index[table["chosen"]][0]) if table["chosen"].any() else None,
        "target_score": target, "counts": data.counts, "filters": data.filters.describe(),
        "forms": {},
    }
    for form in FORMS:
        try:
            fit = fit_lm(data, form=form, n_boot=n_boot, random_state=random_state)
            proj = project_lm(fit, [target])
        except FitError as exc:
            out["forms"][form] = {"problem": str(exc)}
            continue
        row = proj.targets[0]
        out["forms"][form] = {
            "compute_for_target": row.flop, "compute_ci": list(row.flop_ci or ()),
            "orders_beyond_data": row.orders_beyond_data, "halving": proj.halving,
            **({"ceiling": fit.ceiling_, "midpoint_flop": fit.midpoint_flop_,
                "slope_per_decade": fit.slope_} if form == "logistic" else
               {"slope": fit.slope_}),
        }
    try:
        out["time_trend"] = time_trend_progress(data, n_boot=n_boot,
                                                random_state=random_state).to_dict()
    except FitError as exc:
        out["time_trend"] = {"problem": str(exc)}
    return out
