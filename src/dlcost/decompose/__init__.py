"""Hardware versus scale: where the growth in training compute comes from (METHODS.md §6).

Public API
----------
- :func:`decompose_pair` ``(a, b, db=…)`` → :class:`PairDecomposition`: the hardware-burden
  ratio of two runs = chip speed × chip count × training time. ``a``/``b`` are
  :class:`TrainingSetup` facts, or result ids / model names in the store
  (:func:`setup_from_store`).
- :func:`trend` ``(db, since=2018, top_n=10, …)`` → :class:`TrendDecomposition`: growth per
  year of training compute, peak FLOP/s per chip, chip count and training time, with bootstrap
  intervals, beside Epoch AI's 2025 estimates (:data:`EPOCH_2025`). The models are chosen by
  a :class:`TrendSelection`; :func:`default_trend_sources` is Epoch's models when imported.
- :func:`landmark_pairs` ``(db, data)``: the paper's example and each benchmark's earliest and
  latest state-of-the-art runs with complete training facts, decomposed.
"""

from __future__ import annotations

from dlcost.decompose.landmarks import PAPER_PAIR, landmark_pairs
from dlcost.decompose.pair import (
    FACTOR_LABELS,
    FACTORS,
    PairDecomposition,
    TrainingSetup,
    decompose_pair,
    paper_example,
    setup_from_store,
)
from dlcost.decompose.trend import (
    COMPONENTS,
    DRIVERS,
    EPOCH_2025,
    EPOCH_2025_URL,
    GrowthRate,
    TrendDecomposition,
    TrendSelection,
    default_trend_sources,
    rolling_top,
    trend,
    trend_data,
)

__all__ = [
    "COMPONENTS",
    "DRIVERS",
    "EPOCH_2025",
    "EPOCH_2025_URL",
    "FACTORS",
    "FACTOR_LABELS",
    "PAPER_PAIR",
    "GrowthRate",
    "PairDecomposition",
    "TrainingSetup",
    "TrendDecomposition",
    "TrendSelection",
    "decompose_pair",
    "default_trend_sources",
    "landmark_pairs",
    "paper_example",
    "rolling_top",
    "setup_from_store",
    "trend",
    "trend_data",
]
