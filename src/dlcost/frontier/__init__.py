"""The frontier era: the paper's question asked of language models (2019–2025).

Epoch AI's Benchmarking Hub scores joined to Epoch's training compute
(:mod:`dlcost.store.lm`), made comparable by explicit filters (:mod:`dlcost.frontier.data`),
fitted in the paper's two forms and a logistic with its floor at chance
(:class:`dlcost.fitting.logistic.LogisticFit`), compared on held-out prediction error, and
turned into compute for a target score, the cost of halving the error, and algorithmic
progress (:mod:`dlcost.frontier.progress`).

Layer: beside :mod:`dlcost.projection` (uses ``store`` and ``fitting``).
"""

from __future__ import annotations

from dlcost.frontier.data import PICKS, Comparability, LMData, lm_data

__all__ = ["PICKS", "Comparability", "LMData", "lm_data"]
