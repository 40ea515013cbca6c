"""Extrapolation in compute for language models, as Owen (2024) scored it (issue #14, item d).

Owen, "How predictable is language model benchmark performance?" (Epoch AI, 2024), fits a
curve to the models below a compute cut-off and scores its predictions for the models one
and two orders of magnitude above it; for BIG-Bench Hard the mean absolute error one order
above the cut-off is about 6 percentage points (:data:`OWEN_BBH_1OOM_MAE_PP`).

Here the curve is dlcost's logistic with its floor at the benchmark's chance level
(:class:`dlcost.fitting.LogisticFit`, ceiling 1). Cut-offs step by half a decade of training
compute, from the first with :data:`MIN_BELOW` models below it; the models with compute in
(cut-off, cut-off + 1 decade] are scored at +1 OOM and those in (+1, +2] at +2 OOM, each model
once per cut-off. Baseline: the best score below the cut-off carried forward. Points only (no
interval is scored): the bootstrap of the logistic describes the curve, not a new model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dlcost.exceptions import FitError
from dlcost.fitting import LogisticFit

if TYPE_CHECKING:
    from dlcost.store.db import ResultsDB

#: Owen (2024), Epoch AI: BIG-Bench Hard, one order of magnitude above the cut-off, mean
#: absolute error ≈ 6 percentage points (as quoted in issue #14).
OWEN_BBH_1OOM_MAE_PP = 6.0
#: Fewest models below a cut-off for a fit there.
MIN_BELOW = 8
#: Step of the cut-offs (decades of training compute).
CUTOFF_STEP = 0.5
ORDERS: tuple[int, ...] = (1, 2)


@dataclass
class Extrapolation:
    """Forecasts of later (larger) models' scores from fits below compute cut-offs."""

    benchmark: str
    table: pd.DataFrame  # cutoff_log10, orders, model, log10_compute, score, predicted, naive
    cutoffs: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)

    def metrics(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k in ORDERS:
            part = self.table[self.table["orders"] == k]
            if part.empty:
                out[f"+{k}"] = {"n": 0}
                continue
            err = 100 * (part["predicted"] - part["score"])
            out[f"+{k}"] = {"n": len(part), "mae_pp": float(err.abs().mean()),
                            "bias_pp": float(err.mean()),
                            "mae_pp_last_value": float(
                                (100 * (part["naive"] - part["score"])).abs().mean())}
        return out

    def to_dict(self) -> dict[str, Any]:
        anchor = None
        if self.benchmark == "bbh":
            anchor = {"source": "Owen 2024, Epoch AI (BIG-Bench Hard, +1 OOM)",
                      "mae_pp": OWEN_BBH_1OOM_MAE_PP}
        return {"benchmark": self.benchmark, "kind": "compute-extrapolation",
                "form": "logistic (floor at chance, ceiling 1)",
                "n_cutoffs": len(self.cutoffs), "n_forecasts": len(self.table),
                "metrics": self.metrics(), "anchor": anchor, "cutoffs": self.cutoffs,
                "forecasts": self.table.to_dict(orient="records"), "notes": self.notes}


def extrapolation_table(frame: pd.DataFrame, floor: float, benchmark: str = "") -> Extrapolation:
    """Fit below each cut-off and score +1/+2 orders of magnitude above (module docstring).

    ``frame``: one row per model with ``model``, ``compute_flop`` and ``score`` (fraction).
    """
    x = np.log10(frame["compute_flop"].to_numpy(dtype=float))
    score = frame["score"].to_numpy(dtype=float)
    names = frame["model"].astype(str).to_numpy()
    order = np.sort(x)
    rows: list[dict[str, Any]] = []
    cutoffs: list[dict[str, Any]] = []
    if len(order) <= MIN_BELOW:
        return Extrapolation(benchmark, pd.DataFrame(rows), cutoffs,
                             [f"only {len(order)} models: fewer than {MIN_BELOW + 1}"])
    start = math.ceil(order[MIN_BELOW - 1] / CUTOFF_STEP) * CUTOFF_STEP
    cut = start
    while cut < order[-1]:
        below = x <= cut
        if below.sum() >= MIN_BELOW:
            try:
                fit = LogisticFit(floor=floor, n_boot=0).fit(
                    pd.DataFrame({"compute_flop": 10.0 ** x[below], "score": score[below]}))
            except FitError:
                cut += CUTOFF_STEP
                continue
            naive = float(score[below].max())
            scored = 0
            for k in ORDERS:
                above = (x > cut + k - 1) & (x <= cut + k)
                if not above.any():
                    continue
                pred = fit.predict(10.0 ** x[above])
                for name, xi, si, pi in zip(names[above], x[above], score[above], pred,
                                            strict=True):
                    rows.append({"cutoff_log10": cut, "orders": k, "model": name,
                                 "log10_compute": float(xi), "score": float(si),
                                 "predicted": float(pi), "naive": naive})
                    scored += 1
            if scored:
                cutoffs.append({"cutoff_log10": cut, "n_fit": int(below.sum()),
                                "n_scored": scored})
        cut += CUTOFF_STEP
    return Extrapolation(benchmark, pd.DataFrame(rows), cutoffs)


def compute_extrapolation(db: ResultsDB, benchmark: str, *,
                          sources: Sequence[str] | None = None) -> Extrapolation:
    """Owen-style extrapolation on a language-model benchmark of the store."""
    from dlcost.frontier.data import joined_scores, lm_data

    # Every benchmark's scores are joined once per store state (the report asks for each
    # language-model benchmark in turn); the points are those of lm_data(db, benchmark).
    data = lm_data(db, benchmark, scores=joined_scores(db, sources))
    result = extrapolation_table(data.frame, data.floor, data.benchmark.id)
    result.notes = list(data.notes) + result.notes
    return result
