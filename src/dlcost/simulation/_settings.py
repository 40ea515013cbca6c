"""Settings of the expert-vs-flexible simulation, validated once, with the defaults explained.

The defaults follow the paper's simulation as recalled in METHODS.md §7 (1,000 candidate
features of which 10 matter, 1,000 repetitions, an expert with 9 right features and 1 wrong
one). The paper does not state its coefficients or noise level, so dlcost chooses them and
says so:

* coefficients: ``gaussian`` — each repetition draws a new truth, ``β_j ~ N(0, 1)`` for the
  relevant features. The expert's loss at its plateau is then the variance of the one true
  feature it misses, which differs between truths; averaging over truths is what makes the
  expert's curve a smooth plateau rather than a single level. ``equal`` (every ``β_j = 1``)
  is available.
* noise: ``noise_sd = 1``. With unit-variance features the signal variance is ``E||β||² = s``,
  so the oracle's population R² is ``s / (s + σ²)`` = 10/11 ≈ 0.909 by default
  (:attr:`SimulationSettings.oracle_r2`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np

from dlcost.exceptions import SimulationSettingsError
from dlcost.validation import Interval, Options, check, validate

#: Bumped whenever the engine's numbers for given settings change (invalidates caches).
#: 2: the flexible OLS solved in mixed precision (same draws; risks differ by ~1e-15).
ENGINE_VERSION = 2

CoefficientRule = Literal["gaussian", "equal"]
LassoAlphaRule = Literal["universal", "cv"]

#: Multiples of the universal penalty σ·√(2 ln p / n) tried by cross-validation, largest first
#: (2¹ down to 2⁻² in steps of √2): the theory's scale, with room on both sides. At 2⁻² about
#: 300 of 1,000 features are already active and one fit costs ~100× a universal-penalty fit.
CV_ALPHA_MULTIPLIERS: tuple[float, ...] = tuple(float(2.0**e) for e in np.arange(1.0, -2.25, -0.5))


def _check_int(name: str, value: Any, low: int) -> None:
    check(name, value, Interval(int, low, None), owner="SimulationSettings", kind="setting",
          error=SimulationSettingsError)


#: Declared constraints that do not depend on other settings (:mod:`dlcost.validation`).
CONSTRAINTS = {
    "noise_sd": Interval(float, 0, None, closed="neither"),
    "coefficients": Options("gaussian", "equal"),
    "lasso_alpha": Options("universal", "cv"),
}


@dataclass(frozen=True)
class SimulationSettings:
    """What to simulate. Everything that changes the numbers is here; how to run it is not.

    Parameters
    ----------
    features:
        ``p``, the candidate features the flexible models see.
    relevant:
        ``s``, the features with a non-zero coefficient (the first ``s``).
    expert_correct:
        How many of the expert's ``s`` features are relevant; the rest are irrelevant
        ones. Default ``s − 1``.
    reps:
        Repetitions (independent data sets and, with ``gaussian`` coefficients, truths).
    n_min, n_max, n_points:
        The sample sizes: ``n_points`` log-spaced values from ``n_min`` to ``n_max``, rounded
        to integers (duplicates after rounding are dropped).
    noise_sd:
        ``σ``, the standard deviation of the Gaussian noise.
    coefficients:
        ``"gaussian"`` (``β_j ~ N(0, 1)`` per repetition) or ``"equal"`` (``β_j = 1``).
    lasso_alpha:
        ``"universal"``: ``α = σ·√(2 ln p / n)``, the universal threshold (Donoho & Johnstone
        1994) on the scale of scikit-learn's Lasso objective; it uses the true σ.
        ``"cv"``: ``cv_folds``-fold cross-validation over :data:`CV_ALPHA_MULTIPLIERS` × that
        value (36 Lasso fits per sample size instead of one).
    cv_folds:
        Folds for ``lasso_alpha="cv"``.
    seed:
        Root of the random streams: repetition ``r`` draws from
        ``np.random.SeedSequence(seed, spawn_key=(r,))``, so a repetition's numbers depend
        neither on how repetitions are grouped into work units nor on where they run.
    block_size:
        Repetitions per work unit (scheduling only; it never changes the numbers).

    Examples
    --------
    >>> s = SimulationSettings(reps=50)
    >>> s.expert_correct, round(s.oracle_r2, 3), s.n_grid[:3].tolist()
    (9, 0.909, [20, 33, 54])
    """

    features: int = 1000
    relevant: int = 10
    expert_correct: int | None = None
    reps: int = 1000
    n_min: int = 20
    n_max: int = 20_000
    n_points: int = 15
    noise_sd: float = 1.0
    coefficients: CoefficientRule = "gaussian"
    lasso_alpha: LassoAlphaRule = "universal"
    cv_folds: int = 5
    seed: int = 0
    block_size: int = 10
    n_grid: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_int("relevant", self.relevant, 1)
        _check_int("features", self.features, self.relevant + 1)
        if self.expert_correct is None:
            object.__setattr__(self, "expert_correct", self.relevant - 1)
        _check_int("expert_correct", self.expert_correct, 0)
        assert self.expert_correct is not None
        if self.expert_correct > self.relevant:
            raise SimulationSettingsError(
                f"The expert cannot have more correct features ({self.expert_correct}) than "
                f"there are relevant ones ({self.relevant}); lower --expert-correct."
            )
        wrong = self.relevant - self.expert_correct
        if self.relevant + wrong > self.features:
            raise SimulationSettingsError(
                f"The expert needs {wrong} irrelevant features but only "
                f"{self.features - self.relevant} exist; raise --features or --expert-correct."
            )
        _check_int("reps", self.reps, 2)
        _check_int("n_min", self.n_min, 2)
        _check_int("n_max", self.n_max, self.n_min + 1)
        _check_int("n_points", self.n_points, 2)
        _check_int("cv_folds", self.cv_folds, 2)
        _check_int("seed", self.seed, 0)
        _check_int("block_size", self.block_size, 1)
        validate({name: getattr(self, name) for name in CONSTRAINTS}, CONSTRAINTS,
                 owner="SimulationSettings", kind="setting", error=SimulationSettingsError)
        if self.lasso_alpha == "cv" and self.n_min < 2 * self.cv_folds:
            raise SimulationSettingsError(
                f"Cross-validating the Lasso with {self.cv_folds} folds needs at least "
                f"{2 * self.cv_folds} data points at the smallest sample size; got "
                f"n_min={self.n_min}. Raise --n-min or use fewer folds."
            )
        grid = np.unique(np.rint(np.geomspace(self.n_min, self.n_max, self.n_points)).astype(int))
        grid.setflags(write=False)
        object.__setattr__(self, "n_grid", grid)

    @property
    def expert_wrong(self) -> int:
        """Irrelevant features the expert uses."""
        assert self.expert_correct is not None
        return self.relevant - self.expert_correct

    @property
    def oracle_r2(self) -> float:
        """Population R² of the true model, ``E||β||² / (E||β||² + σ²)``."""
        signal = float(self.relevant)  # E[β_j²] = 1 under both coefficient rules
        return signal / (signal + self.noise_sd**2)

    def to_dict(self) -> dict[str, Any]:
        """The settings as plain JSON types, with the derived grid and oracle R²."""
        out = {k: v for k, v in asdict(self).items() if k != "n_grid"}
        out["n_grid"] = self.n_grid.tolist()
        out["oracle_r2"] = self.oracle_r2
        return out

    def cache_key(self) -> str:
        """A short hash of everything that changes a repetition's numbers.

        ``reps`` and ``block_size`` are left out on purpose: repetition ``r`` gives the same
        numbers whatever the total, so a run of 1,000 repetitions reuses a run of 50.
        """
        identity = {
            k: v for k, v in self.to_dict().items() if k not in {"reps", "block_size", "oracle_r2"}
        }
        identity["engine_version"] = ENGINE_VERSION
        blob = json.dumps(identity, sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]
