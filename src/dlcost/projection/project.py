"""Invert a scaling fit: the compute, dollars and CO₂ needed for a target error.

The layout follows the paper's table (METHODS.md §4): a "today" column — the *fitted* compute
at today's best error (the lowest error in the data), not an observed model — then one column
per target error. Each carries

- a bootstrap interval (rows resampled; uncertainty of the fitted curve) and an inverse
  prediction interval (where a single new model reaching the error would plausibly fall);
- how many orders of magnitude beyond the data it reaches (an :class:`ExtrapolationWarning`
  says so for every projection outside the range of compute the fit saw);
- dollars, energy and CO₂ under a named preset (:mod:`dlcost.projection.presets`), with the
  same intervals, and CO₂ equivalences.

:func:`halving_cost` gives the compute multiple that halves the error — 2^(1/b) for the power
law — and the implied exponent (compute ∝ (1/err)^k), set beside theory's k = 4.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dlcost import formatting as fmt
from dlcost.exceptions import EstimationError, ExtrapolationWarning, FitError
from dlcost.fitting.models import BaseScalingFit
from dlcost.projection.equivalences import equivalences
from dlcost.projection.presets import CostEstimate, CostPreset, get_preset
from dlcost.stats import percentile_interval, pow10
from dlcost.units import FLOP_PER_GFLOP

#: Theory's lower bound on the exponent: compute ≥ k⁴ for k-fold better performance
#: (Thompson et al. 2020, §3; METHODS.md §7).
THEORY_EXPONENT = 4.0
DEFAULT_N_BOOT = 2000



#: The target errors of the paper's projection table (Thompson et al. 2020, Table 2;
#: METHODS.md §4). EN-DE had no projection there.
PAPER_TARGETS: dict[str, tuple[float, float]] = {
    "imagenet": (0.05, 0.01),
    "coco": (0.30, 0.10),
    "squad1.1": (0.02, 0.01),
    "conll2003": (0.02, 0.01),
    "wmt14-en-fr": (0.30, 0.10),
}
#: For a benchmark the paper did not project: half and a tenth of today's best error (two
#: targets, like the paper's, one near and one far).
FALLBACK_FRACTIONS = (0.5, 0.1)


@dataclass(frozen=True)
class Targets:
    """Target errors for a projection, and where they come from (shown beside the table)."""

    errors: tuple[float, ...]
    origin: str


def default_targets(benchmark: str, best_error: float | None = None) -> Targets:
    """The paper's two targets for ``benchmark``, else fractions of today's best error.

    ``best_error`` (the lowest error in the data, e.g. ``fit.best_error_``) is needed only for
    a benchmark the paper did not project. The CLI, the report and the API share this rule.
    """
    if benchmark in PAPER_TARGETS:
        return Targets(PAPER_TARGETS[benchmark], "the paper's targets")
    if best_error is None or not 0 < best_error < 1:
        raise EstimationError(
            f"the paper gives no target error for {benchmark!r}, and today's best error "
            f"({best_error!r}) is needed to choose one; give the target (e.g. --error 5%)"
        )
    return Targets(tuple(best_error * f for f in FALLBACK_FRACTIONS),
                   "half and a tenth of today's error (the paper has no target for it)")


#: Projections further than this many decades (orders of magnitude) outside the compute the
#: fit saw carry a visible warning in the CLI (stderr), the JSON (``"warning"``) and the
#: report. A convention of dlcost, not a statistical threshold: two decades is a hundredfold
#: beyond the largest training run in the data, past which the fitted line has no support.
EXTRAPOLATION_WARNING_DECADES = 2.0


@dataclass(frozen=True)
class ProjectionRow:
    """One column of the table: a target error and what reaching it takes."""

    label: str
    error: float
    flop: float
    flop_ci: tuple[float, float]
    flop_pi: tuple[float, float]
    #: Decades outside the range of compute the fit saw (0 inside it).
    orders_beyond_data: float
    cost: CostEstimate | None = None
    usd_ci: tuple[float, float] | None = None
    co2_kg_ci: tuple[float, float] | None = None

    @property
    def gflop(self) -> float:
        return self.flop / FLOP_PER_GFLOP

    @property
    def extrapolation_decades(self) -> float:
        """Decades outside the compute the fit saw (0 inside it); same as
        ``orders_beyond_data``."""
        return self.orders_beyond_data

    @property
    def warning(self) -> str | None:
        """One sentence when the projection lies more than
        :data:`EXTRAPOLATION_WARNING_DECADES` outside the data, else None."""
        beyond = self.orders_beyond_data
        if not beyond > EXTRAPOLATION_WARNING_DECADES:
            return None
        if fmt.is_unbounded(self.flop) or not math.isfinite(beyond):
            return ("the fitted curve does not reach this error at any meaningful compute "
                    f"(beyond {fmt.power_of_ten(300)} FLOP): treat it as unreachable by scale "
                    "alone, not as a number")
        return (f"extrapolation {fmt.decades(beyond)} outside the compute in the data "
                f"(warning threshold {EXTRAPOLATION_WARNING_DECADES:g}): the fit has no support "
                "there; read it as the trend's implication, not a forecast")

    @property
    def usd(self) -> float | None:
        return self.cost.usd if self.cost else None

    @property
    def co2_kg(self) -> float | None:
        return self.cost.co2_kg if self.cost else None

    def to_dict(self) -> dict[str, Any]:
        """The ``project --json`` contract: error, flop, flop_ci, usd, co2_kg, and more."""
        return {
            "label": self.label, "error": self.error, "flop": self.flop,
            "flop_ci": list(self.flop_ci), "flop_pi": list(self.flop_pi), "gflop": self.gflop,
            "usd": self.usd, "usd_ci": list(self.usd_ci) if self.usd_ci else None,
            "usd_range": list(self.cost.usd_range) if self.cost and self.cost.usd_range
            else None,
            "co2_kg": self.co2_kg, "co2_kg_ci": list(self.co2_kg_ci) if self.co2_kg_ci else None,
            "kwh": self.cost.kwh if self.cost else None,
            "orders_beyond_data": self.orders_beyond_data,
            "extrapolation_decades": self.extrapolation_decades,
            "warning": self.warning,
            "equivalences": equivalences(self.co2_kg),
        }


@dataclass(frozen=True)
class HalvingCost:
    """What halving the error costs, and the exponent it implies.

    ``factor``: compute multiple to go from ``at_error`` to half of it (2^(1/b) for the power
    law, the same at every error; for the exponential form it grows as the error falls).
    ``exponent``: k in compute ∝ (1/err)^k (1/b for the power law; the local slope
    d log C / d log(1/err) = ln 10 / (b·err) for the exponential form).
    """

    form: str
    at_error: float
    factor: float
    factor_ci: tuple[float, float] | None
    exponent: float
    exponent_ci: tuple[float, float] | None
    theory_exponent: float = THEORY_EXPONENT
    confidence: float = 0.95

    def __str__(self) -> str:
        ci = ""
        if self.factor_ci:
            ci = (f" ({self.confidence:.0%} CI {fmt.multiple(self.factor_ci[0])}–"
                  f"{fmt.multiple(self.factor_ci[1])})")
        return (f"halving the error from {self.at_error:.2%} costs "
                f"{fmt.multiple(self.factor)} more compute{ci}; implied exponent "
                f"{self.exponent:.3g} (compute ∝ (1/err)^k) vs "
                f"theory's ≥ {self.theory_exponent:g}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "form": self.form, "at_error": self.at_error, "factor": self.factor,
            "factor_ci": list(self.factor_ci) if self.factor_ci else None,
            "exponent": self.exponent,
            "exponent_ci": list(self.exponent_ci) if self.exponent_ci else None,
            "theory_exponent": self.theory_exponent, "confidence": self.confidence,
        }


@dataclass
class Projection:
    """The paper's table for one fit: today and each target, with intervals and costs."""

    benchmark: str | None
    form: str
    variant: str
    measure: str | None
    preset: str | None
    confidence: float
    n_boot: int
    today: ProjectionRow
    targets: list[ProjectionRow]
    halving: HalvingCost
    log10_compute_range: tuple[float, float]
    preset_constants: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> list[ProjectionRow]:
        return [self.today, *self.targets]

    def to_dict(self) -> dict[str, Any]:
        """The ``project --json`` document for one fit."""
        return {
            "benchmark": self.benchmark, "form": self.form, "variant": self.variant,
            "measure": self.measure, "preset": self.preset, "confidence": self.confidence,
            "n_boot": self.n_boot,
            "data_flop_range": [pow10(self.log10_compute_range[0]),
                                pow10(self.log10_compute_range[1])],
            "today": self.today.to_dict(),
            "targets": [t.to_dict() for t in self.targets],
            "halving": self.halving.to_dict(),
            "preset_constants": self.preset_constants,
            "notes": self.notes,
        }

    def to_frame(self) -> Any:
        """One row per column of the table (today first), as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame([
            {"label": r.label, "error": r.error, "flop": r.flop, "flop_lo": r.flop_ci[0],
             "flop_hi": r.flop_ci[1], "flop_pi_lo": r.flop_pi[0], "flop_pi_hi": r.flop_pi[1],
             "gflop": r.gflop, "usd": r.usd, "co2_kg": r.co2_kg,
             "orders_beyond_data": r.orders_beyond_data}
            for r in self.rows
        ])


def _orders_outside(log10_flop: float, lo: float, hi: float) -> float:
    if not math.isfinite(log10_flop):
        return math.inf
    return max(log10_flop - hi, lo - log10_flop, 0.0)


def _ensure_boot(
    fit: BaseScalingFit, n_boot: int, random_state: int | np.random.Generator | None
) -> None:
    if fit.boot_coef_ is None:
        fit.bootstrap(n_boot, random_state=random_state)


def project(
    fit: BaseScalingFit,
    errors: Sequence[float] = (),
    *,
    preset: str | CostPreset | None = "thompson2020",
    alpha: float | None = None,
    n_boot: int = DEFAULT_N_BOOT,
    random_state: int | np.random.Generator | None = None,
    year: float | None = None,
    today_error: float | None = None,
) -> Projection:
    """The compute (and cost) needed to reach each target error, and "today".

    Parameters
    ----------
    fit : a fitted :class:`~dlcost.fitting.BaseScalingFit`
        If it has no bootstrap yet, ``n_boot`` resamples are drawn (seeded by
        ``random_state``) and kept on the fit.
    errors : target errors in (0, 1), e.g. ``[0.05, 0.01]``.
    preset : cost preset name or object (:func:`dlcost.projection.get_preset`); ``None`` for
        compute only.
    alpha : 1 − confidence of the intervals; default the fit's.
    year : for the time variant, the year of the projection (default the latest in the data).
    today_error : default the lowest error in the data (the paper's "today").

    Warns
    -----
    ExtrapolationWarning
        For every projection outside the range of compute the fit saw, saying by how many
        orders of magnitude.
    """
    fit._require_fitted()
    alpha = fit.alpha if alpha is None else alpha
    targets = [float(e) for e in errors]
    bad = [e for e in targets if not 0 < e < 1]
    if bad:
        raise FitError(f"target errors must lie in (0, 1) (5% is 0.05); got {bad}")
    if fit.slope_ <= 0:
        raise FitError(
            f"{fit.benchmark_ or 'this fit'}: the slope is {fit.slope_:.4g} ≤ 0, so no compute "
            "reaches a lower error; projections need error to fall with compute"
        )
    _ensure_boot(fit, n_boot, random_state)
    cost_preset = get_preset(preset) if preset is not None else None
    measure = fit.measure_ or "hardware_burden"
    lo, hi = fit.log10_compute_range_
    notes: list[str] = []
    today = fit.best_error_ if today_error is None else float(today_error)

    def row(label: str, error: float) -> ProjectionRow:
        log_flop = float(fit.log10_compute_for([error], year=year)[0])
        flop = pow10(log_flop)
        flop_ci = fit.compute_interval(error, kind="bootstrap", alpha=alpha, year=year)
        try:
            flop_pi = fit.compute_interval(error, kind="prediction", alpha=alpha, year=year)
        except FitError:
            flop_pi = (math.nan, math.nan)
        beyond = _orders_outside(log_flop, lo, hi)
        if beyond > 0:
            side = "beyond the largest" if log_flop > hi else "below the smallest"
            warnings.warn(
                f"{fit.benchmark_ or 'fit'} ({fit.form}): the projection for error "
                f"{error:.4g} ({fmt.quantity(flop, 'FLOP')}) lies {beyond:.1f} orders of magnitude "
                f"{side} compute in the data ({fmt.quantity(pow10(lo), 'FLOP')} to "
                f"{fmt.quantity(pow10(hi), 'FLOP')}); it is an extrapolation",
                ExtrapolationWarning, stacklevel=3,
            )
        cost = usd_ci = co2_ci = None
        if cost_preset is not None:
            try:
                cost = cost_preset.cost(flop, measure=measure)
            except EstimationError as exc:
                if str(exc) not in notes:
                    notes.append(str(exc))
            else:
                low, high = cost.scaled(flop_ci[0]), cost.scaled(flop_ci[1])
                if cost.usd is not None and low.usd is not None and high.usd is not None:
                    usd_ci = (low.usd, high.usd)
                if cost.co2_kg is not None and low.co2_kg is not None and high.co2_kg is not None:
                    co2_ci = (low.co2_kg, high.co2_kg)
        return ProjectionRow(label=label, error=error, flop=flop, flop_ci=flop_ci,
                             flop_pi=flop_pi, orders_beyond_data=beyond, cost=cost,
                             usd_ci=usd_ci, co2_kg_ci=co2_ci)

    today_row = row("today", today)
    target_rows = [row(f"{e:.4g}", e) for e in targets]
    if not fit.strategy.least_squares:
        notes.append(f"{fit.variant} variant: no prediction interval (no residual variance)")
    if fit.boot_not_converged_ and fit.boot_coef_ is not None:
        notes.append(f"{fit.boot_not_converged_} of {fit.boot_coef_.shape[0]} bootstrap "
                     "resamples stopped at the iteration limit before converging")
    first = target_rows[0].cost if target_rows and target_rows[0].cost else today_row.cost
    return Projection(
        benchmark=fit.benchmark_, form=fit.form, variant=fit.variant, measure=fit.measure_,
        preset=cost_preset.name if cost_preset else None, confidence=1.0 - alpha,
        n_boot=int(fit.boot_coef_.shape[0]) if fit.boot_coef_ is not None else 0,
        today=today_row, targets=target_rows,
        halving=halving_cost(fit, error=today, alpha=alpha),
        log10_compute_range=(lo, hi),
        preset_constants=[c.to_dict() for c in first.constants] if first else [],
        notes=notes + list(first.assumptions if first else ()),
    )


def halving_cost(
    fit: BaseScalingFit, *, error: float | None = None, alpha: float | None = None
) -> HalvingCost:
    """The compute multiple that halves the error, and the implied exponent (module docstring).

    ``error`` (default today's best in the data) matters only for the exponential form. The
    intervals come from the fit's bootstrap, if it has one.
    """
    fit._require_fitted()
    alpha = fit.alpha if alpha is None else alpha
    at = fit.best_error_ if error is None else float(error)

    def factor_exponent(b: Any) -> tuple[Any, Any]:
        b = np.asarray(b, dtype=float)
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            if fit.form == "poly":
                exponent = 1.0 / b
                factor = 2.0 ** exponent
            else:
                exponent = math.log(10.0) / (b * at)
                factor = 10.0 ** (1.0 / (at * b))
        bad = ~(b > 0)
        return np.where(bad, np.inf, factor), np.where(bad, np.inf, exponent)

    factor, exponent = factor_exponent(fit.slope_)
    factor_ci = exponent_ci = None
    if fit.boot_coef_ is not None:
        bf, be = factor_exponent(fit.boot_coef_[:, 1])
        with np.errstate(divide="ignore"):
            log_ci = percentile_interval(np.log10(bf), 1.0 - alpha)
        factor_ci = (pow10(log_ci[0]), pow10(log_ci[1]))
        exponent_ci = percentile_interval(be, 1.0 - alpha)
    return HalvingCost(form=fit.form, at_error=at, factor=float(factor), factor_ci=factor_ci,
                       exponent=float(exponent), exponent_ci=exponent_ci,
                       confidence=1.0 - alpha)
