"""Projections: compute, dollars and CO₂ needed for a target error (METHODS.md §4–5).

Public API
----------
- :func:`project` ``(fit, errors=[…], preset=…)`` → :class:`Projection` (the paper's table:
  today and targets, FLOP with bootstrap and prediction intervals, $, CO₂, orders of
  magnitude beyond the data; :class:`~dlcost.exceptions.ExtrapolationWarning` when outside).
- :func:`default_targets` ``(benchmark, best_error)`` → :class:`Targets`: the paper's two
  target errors, else half and a tenth of today's best error.
- :func:`halving_cost` ``(fit)`` → :class:`HalvingCost` (2^(1/b)×, implied exponent vs k⁴).
- :func:`get_preset` ``(name, **overrides)`` and :data:`PRESETS`: ``thompson2020``,
  ``strubell2019``, ``patterson2021``, ``hardware``; each ``.cost(flop, measure=…)`` →
  :class:`CostEstimate` with its constants, sources and assumptions.
- :func:`equivalences` ``(co2_kg)`` and :data:`EQUIVALENCES` (NYC months, flights, …).
- :func:`forecast` ``(db, benchmark, year=2025, cutoff=…)`` → :class:`Forecast`: the best
  error extrapolated in time, and the compute, $ and CO₂ it requires (the article's chart).
"""

from __future__ import annotations

from dlcost.projection.equivalences import EQUIVALENCES, Equivalence, equivalences
from dlcost.projection.forecast import PAPER_CUTOFF, Forecast, forecast
from dlcost.projection.presets import (
    PRESETS,
    Constant,
    CostEstimate,
    CostPreset,
    Hardware,
    Patterson2021,
    Strubell2019,
    Thompson2020,
    flop_kind,
    get_preset,
    patterson_gpt3_seconds,
    strubell_reference_burden_flop,
    thompson2020,
)
from dlcost.projection.project import (
    EXTRAPOLATION_WARNING_DECADES,
    FALLBACK_FRACTIONS,
    PAPER_TARGETS,
    THEORY_EXPONENT,
    HalvingCost,
    Projection,
    ProjectionRow,
    Targets,
    default_targets,
    halving_cost,
    project,
)

__all__ = [
    "EQUIVALENCES",
    "EXTRAPOLATION_WARNING_DECADES",
    "FALLBACK_FRACTIONS",
    "PAPER_CUTOFF",
    "PAPER_TARGETS",
    "PRESETS",
    "THEORY_EXPONENT",
    "Constant",
    "CostEstimate",
    "CostPreset",
    "Equivalence",
    "Forecast",
    "HalvingCost",
    "Hardware",
    "Patterson2021",
    "Projection",
    "ProjectionRow",
    "Strubell2019",
    "Targets",
    "Thompson2020",
    "default_targets",
    "equivalences",
    "flop_kind",
    "forecast",
    "get_preset",
    "halving_cost",
    "patterson_gpt3_seconds",
    "project",
    "strubell_reference_burden_flop",
    "thompson2020",
]
