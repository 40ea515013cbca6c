"""Scaling fits: how error falls with compute (Thompson et al. 2022; METHODS.md §3).

Public API
----------
- :func:`fit_benchmark` ``(db, benchmark, measure=, form=, variant=, sources=, metric=, …)`` →
  a fitted :class:`PolynomialFit` or :class:`ExponentialFit`; :func:`fit_all` for all six.
- :func:`scaling_data` ``(db, benchmark, measure=, …)`` → :class:`ScalingData`, the points a
  fit uses and the notes on how they were chosen (duplicates, imputation, drops).
- :class:`PolynomialFit`, :class:`ExponentialFit` (subclasses of :class:`BaseScalingFit`):
  ``fit(frame)`` returns ``self``; ``slope_``, ``intercept_``, ``*_se_``, ``r2_``, ``n_``,
  ``aic_``, ``bic_``, ``summary``, ``predict()``, ``compute_for(error=…)``,
  ``bootstrap(n_boot, random_state=…)``, ``compute_interval(error, kind=…)``.
- Variants as strategy objects (:mod:`dlcost.fitting.variants`): :class:`Variant` (OLS),
  :class:`Time`, :class:`Quantile`, :class:`Frontier` (a row filter); ``variant="quantile"``
  and ``variant=Quantile(0.1)`` are the same fit. :class:`Provenance` goes into ``fit``.
- :class:`LogisticFit`: score = floor + (ceiling − floor)·σ(a·(log10 C − c)) for saturating
  benchmarks (language models), floor at chance; :func:`held_out_errors` compares any forms
  on leave-one-out or k-fold prediction error of the score (:func:`score_forms` builds the
  three).
- :data:`MEASURES`, :data:`VARIANTS`, :data:`FORMS`, :data:`SOURCE_PRIORITY`.
"""

from __future__ import annotations

from dlcost.fitting.benchmark import (
    FIT_FAILURES,
    Unavailable,
    fit_all,
    fit_benchmark,
    fit_data,
    unavailable,
)
from dlcost.fitting.compare import held_out_errors, score_forms
from dlcost.fitting.crossval import (
    FormComparison,
    FormScore,
    compare_by_benchmark,
    compare_fitted,
    compare_forms,
)
from dlcost.fitting.data import (
    MEASURES,
    SOURCE_PRIORITY,
    Consolidation,
    ScalingData,
    deduplicate,
    normalize_model_name,
    prepare,
    scaling_data,
    state_of_the_art,
)
from dlcost.fitting.logistic import LogisticFit
from dlcost.fitting.models import (
    FORMS,
    VARIANTS,
    BaseScalingFit,
    ExponentialFit,
    PolynomialFit,
    Provenance,
    forms_for,
    make_fit,
)
from dlcost.fitting.variants import (
    VARIANT_TYPES,
    Frontier,
    Quantile,
    Time,
    Variant,
    make_variant,
)

__all__ = [
    "FIT_FAILURES",
    "FORMS",
    "MEASURES",
    "SOURCE_PRIORITY",
    "VARIANTS",
    "VARIANT_TYPES",
    "BaseScalingFit",
    "Consolidation",
    "ExponentialFit",
    "FormComparison",
    "FormScore",
    "Frontier",
    "LogisticFit",
    "PolynomialFit",
    "Provenance",
    "Quantile",
    "ScalingData",
    "Time",
    "Unavailable",
    "Variant",
    "compare_by_benchmark",
    "compare_fitted",
    "compare_forms",
    "deduplicate",
    "fit_all",
    "fit_benchmark",
    "fit_data",
    "forms_for",
    "held_out_errors",
    "make_fit",
    "make_variant",
    "normalize_model_name",
    "prepare",
    "scaling_data",
    "score_forms",
    "state_of_the_art",
    "unavailable",
]
