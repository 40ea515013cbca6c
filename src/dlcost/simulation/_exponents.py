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
    n_boot: int = 2000,
    confidence: float = 0.95,
    random_state: np.random.Generator | int | None = None,
) -> ExponentEstimate:
    """Fit the data and compute exponents of one model.

    ``performance`` is ``(reps, points)`` per-repetition ``−log10(excess/σ²)``; ``flop`` the
    mean FLOP per fit at each point.
    """
    rng = np.random.default_rng(random_state)
    idx = improving_range(n, performance, min_n)
    theory = {"theory_data": STATISTICAL.data_exponent, "theory_compute": STATISTICAL.compute_exponent}
    if idx.size < MIN_POINTS:
        nan = float("nan")
        return ExponentEstimate(
            model=model,
            data=nan,
            data_ci=(nan, nan),
            compute=nan,
            compute_ci=(nan, nan),
            n_range=(int(n[idx[0]]), int(n[idx[-1]])) if idx.size else None,
            points=int(idx.size),
            confidence=confidence,
            note=(
                f"only {idx.size} improving point(s) with n ≥ {min_n:.0f}; "
                f"{MIN_POINTS} are needed (the model plateaus, or the grid is too short)"
            ),
            **theory,
        )
    y = performance[:, idx]
    reps = y.shape[0]
    log_n = np.log10(n[idx].astype(float))
    log_flop = np.log10(flop[idx])
    weights = rng.multinomial(reps, np.full(reps, 1.0 / reps), size=n_boot) / reps
    boot_means = weights @ y
    tail = (1 - confidence) / 2 * 100
    out = {}
    for name, x in (("data", log_n), ("compute", log_flop)):
        point = float(_exponent(_slopes(x, y.mean(axis=0)))[()])
        boot = _exponent(_slopes(x, boot_means))
        low, high = np.percentile(boot, [tail, 100 - tail])
        out[name] = (point, (float(low), float(high)))
    return ExponentEstimate(
        model=model,
        data=out["data"][0],
        data_ci=out["data"][1],
        compute=out["compute"][0],
        compute_ci=out["compute"][1],
        n_range=(int(n[idx[0]]), int(n[idx[-1]])),
        points=int(idx.size),
        confidence=confidence,
        **theory,
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
