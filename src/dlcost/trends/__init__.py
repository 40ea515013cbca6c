"""Growth over time: how fast compute, cost, power and hardware grow, and algorithmic progress.

Public API
----------
- :class:`TrendFit` ``(confidence=0.9, n_boot=0, breakpoint=False, …).fit(dates, values)``:
  OLS of log10(value) on the decimal year; ``growth_per_year_``, ``growth_ci_``,
  ``doubling_years_``, ``doubling_ci_``, ``summary``, ``predict(date)``,
  ``predict_interval(date, kind=…)``, optional two-segment model chosen by cross-validation.
  :func:`fit_trend` builds and fits one in a call.
- :func:`trend` ``(db, quantity, selection=None, *, confidence=, n_boot=, …, **options)`` →
  :class:`TrendResult` (the rows, the fit, Epoch AI's anchors); :data:`QUANTITIES`. The rows
  are chosen by a frozen :class:`Selection` (``subset``, ``frontier_top``, ``domain``,
  ``organization``, ``since``, ``until``, ``exclude``, ``precision``, ``sources``,
  ``prices``: ``release`` or ``cloud`` for ``flops-per-dollar``, :data:`PRICE_BASES`), or by
  its fields as keywords (``trend(db, "compute", frontier_top=10)``); :func:`trend_rows`
  takes the same.
- :func:`rolling_top` ``(values, dates, n)``: Epoch's running top N.
- :func:`algorithmic_progress` ``(fit)`` → :class:`AlgorithmicProgress`: the compute-equivalent
  gain per year of the paper's time-trend regression (METHODS.md §9);
  :func:`progress_from_coefficients` ``(b, c, cov)`` for any regression with a compute and a
  year term.
"""

from __future__ import annotations

from dlcost.trends.algorithmic import (
    AlgorithmicProgress,
    algorithmic_progress,
    progress_from_coefficients,
)
from dlcost.trends.anchors import ANCHORS, ERDIL_BESIROGLU_2022, Anchor, anchors_for
from dlcost.trends.fit import (
    DEFAULT_CONFIDENCE,
    BreakpointModel,
    Segment,
    TrendFit,
    date_of,
    decimal_year,
    doubling_from_slope,
    fit_trend,
)
from dlcost.trends.selection import (
    CLOUD_FLOPS_PER_DOLLAR,
    PRECISIONS,
    PRICE_BASES,
    QUANTITIES,
    SUBSETS,
    Quantity,
    Selection,
    TrendData,
    get_quantity,
    rolling_top,
    trend_rows,
)
from dlcost.trends.trend import TrendResult, trend

__all__ = [
    "ANCHORS",
    "CLOUD_FLOPS_PER_DOLLAR",
    "DEFAULT_CONFIDENCE",
    "ERDIL_BESIROGLU_2022",
    "PRECISIONS",
    "PRICE_BASES",
    "QUANTITIES",
    "SUBSETS",
    "AlgorithmicProgress",
    "Anchor",
    "BreakpointModel",
    "Quantity",
    "Segment",
    "Selection",
    "TrendData",
    "TrendFit",
    "TrendResult",
    "algorithmic_progress",
    "anchors_for",
    "date_of",
    "decimal_year",
    "doubling_from_slope",
    "fit_trend",
    "get_quantity",
    "progress_from_coefficients",
    "rolling_top",
    "trend",
    "trend_rows",
]
