"""Measured exponents of a k-fold improvement, and where one model overtakes another.

Performance is ``P = −log10(excess MSE / σ²)``, so the RMSE-type error ``e = √(excess)``
has ``log10 e = −P/2 + const``. If ``P`` rises with slope ``b`` against ``log10 n``, then
``e ∝ n^(−b/2)`` and a ``k``-fold smaller error needs ``k^(2/b)`` times the data: the data
exponent is ``2/b`` (2 for ordinary statistics). The compute exponent is ``2/b'`` with ``b'``
the slope against ``log10`` of the FLOP per fit.

**Range.** A model is fitted where it is in its asymptotic regime and still improving:

1. ``n ≥ min_n_factor × d`` where ``d`` is the model's dimension — ``s`` for the oracle and
   the expert, ``p`` for the flexible OLS, ``s·ln p`` for the Lasso (the sample size sparse
   recovery needs);
2. from the first such point, as long as each next grid point improves on the last by more
   than two standard errors of the paired per-repetition difference. A plateau (the expert)
   ends the range.

Fewer than three points give no estimate (NaN, with a note).

The compute exponent may use a shorter range (``compute_min_n``): the Lasso solver works on
the rows while ``n ≤ p`` and on the Gram matrix beyond (as scikit-learn's
``precompute='auto'`` does), so its FLOP per fit jumps by orders of magnitude at ``n = p``; a
slope across that jump measures the switch of algorithm, not the scaling of either.

**Intervals** come from a bootstrap over repetitions: a repetition is one nested data set
grown along the grid, so its points are correlated and resampling whole repetitions keeps
that correlation (a weighted fit of the per-point means would not).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from dlcost.simulation.theory import STATISTICAL

MIN_POINTS = 3


@dataclass(frozen=True)
class ExponentEstimate:
    """Data and compute exponents of a ``k``-fold improvement for one model, beside the theory.

    ``data``: data ∝ ``k^data``; ``compute``: FLOP per fit ∝ ``k^compute``. Intervals are
    bootstrap percentile intervals at ``confidence``; an upper bound of ``inf`` means some
    resamples showed no improvement at all.
    """

    model: str
    data: float
    data_ci: tuple[float, float]
    compute: float
    compute_ci: tuple[float, float]
    n_range: tuple[int, int] | None
    points: int
    theory_data: float
    theory_compute: float
    confidence: float
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types (the CLI's ``exponents`` entry)."""
        return {
            "data": self.data,
            "compute": self.compute,
            "data_ci": list(self.data_ci),
            "compute_ci": list(self.compute_ci),
            "n_range": list(self.n_range) if self.n_range else None,
            "points": self.points,
            "theory_data": self.theory_data,
            "theory_compute": self.theory_compute,
            "confidence": self.confidence,
            "note": self.note,
        }


def improving_range(n: np.ndarray, performance: np.ndarray, min_n: float) -> np.ndarray:
    """Indices of the grid points the exponents are fitted on (see the module docstring).

    ``performance`` is ``(reps, points)``; columns with any NaN (model undefined) are skipped.
    """
    defined = np.all(np.isfinite(performance), axis=0)
    eligible = np.flatnonzero(defined & (n >= min_n))
    if eligible.size == 0:
        return eligible
    chosen = [int(eligible[0])]
    reps = performance.shape[0]
    for j in eligible[1:]:
        if j != chosen[-1] + 1:
            break
        diff = performance[:, j] - performance[:, chosen[-1]]
        if not diff.mean() > 2 * diff.std(ddof=1) / np.sqrt(reps):
            break
        chosen.append(int(j))
    return np.asarray(chosen, dtype=np.intp)


def _slopes(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """OLS slopes of each row of ``y`` on ``x``."""
    xc = x - x.mean()
    return (y - y.mean(axis=-1, keepdims=True)) @ xc / (xc @ xc)


def _exponent(slope: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.where(slope > 0, 2.0 / slope, np.inf)


def estimate_exponents(
    model: str,
    n: np.ndarray,
    performance: np.ndarray,
    flop: np.ndarray,
    min_n: float,
    *,
    compute_min_n: float = 0.0,
    n_boot: int = 2000,
    confidence: float = 0.95,
    random_state: np.random.Generator | int | None = None,
) -> ExponentEstimate:
    """Fit the data and compute exponents of one model.

    ``performance`` is ``(reps, points)`` per-repetition ``−log10(excess/σ²)``; ``flop`` the
    mean FLOP per fit at each point; ``compute_min_n`` further restricts the compute fit.
    """
    rng = np.random.default_rng(random_state)
    idx = improving_range(n, performance, min_n)
    compute_idx = idx[n[idx] >= compute_min_n]
    reps = performance.shape[0]
    weights = rng.multinomial(reps, np.full(reps, 1.0 / reps), size=n_boot) / reps
    tail = (1 - confidence) / 2 * 100
    nan = float("nan")
    estimates: dict[str, tuple[float, tuple[float, float]]] = {}
    notes = []
    fits = (
        ("data", idx, np.log10(n[idx].astype(float))),
        ("compute", compute_idx, np.log10(flop[compute_idx])),
    )
    for name, points, x in fits:
        if points.size < MIN_POINTS:
            estimates[name] = (nan, (nan, nan))
            continue
        y = performance[:, points]
        point = float(_exponent(_slopes(x, y.mean(axis=0)))[()])
        low, high = np.percentile(_exponent(_slopes(x, weights @ y)), [tail, 100 - tail])
        estimates[name] = (point, (float(low), float(high)))
    if idx.size < MIN_POINTS:
        notes.append(
            f"only {idx.size} improving point(s) with n ≥ {min_n:.0f}; {MIN_POINTS} are needed "
            "(the model plateaus, or the grid is too short)"
        )
    elif compute_idx.size < MIN_POINTS:
        notes.append(f"compute: only {compute_idx.size} point(s) with n ≥ {compute_min_n:.0f}")
    elif compute_idx.size < idx.size:
        notes.append(f"compute fitted on n ≥ {int(n[compute_idx[0]])}, where one algorithm runs")
    return ExponentEstimate(
        model=model,
        data=estimates["data"][0],
        data_ci=estimates["data"][1],
        compute=estimates["compute"][0],
        compute_ci=estimates["compute"][1],
        n_range=(int(n[idx[0]]), int(n[idx[-1]])) if idx.size else None,
        points=int(idx.size),
        theory_data=STATISTICAL.data_exponent,
        theory_compute=STATISTICAL.compute_exponent,
        confidence=confidence,
        note="; ".join(notes),
    )


def crossover(n: np.ndarray, challenger: np.ndarray, incumbent: np.ndarray) -> float | None:
    """The sample size from which ``challenger``'s mean performance stays above ``incumbent``'s.

    Interpolated linearly in ``log10 n`` between the last grid point where the challenger is
    not ahead and the next; ``None`` if it is not ahead at the largest common grid point.
    When it is ahead from the first point where both are defined, that point is returned.
    """
    common = np.flatnonzero(np.isfinite(challenger) & np.isfinite(incumbent))
    if common.size == 0:
        return None
    gap = challenger[common] - incumbent[common]
    if not gap[-1] > 0:
        return None
    behind = np.flatnonzero(gap <= 0)
    if behind.size == 0:
        return float(n[common[0]])
    i = int(behind[-1])
    lo, hi = np.log10(float(n[common[i]])), np.log10(float(n[common[i + 1]]))
    t = gap[i] / (gap[i] - gap[i + 1])
    return float(10 ** (lo + t * (hi - lo)))
