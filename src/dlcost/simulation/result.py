"""The result of a simulation run: per-repetition numbers, summaries, exponents, crossovers."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from dlcost.exceptions import UnknownModelError
from dlcost.simulation._engine import MODELS
from dlcost.simulation._exponents import ExponentEstimate, crossover, estimate_exponents
from dlcost.simulation._settings import SimulationSettings
from dlcost.simulation.theory import OVERPARAMETERIZED, STATISTICAL

if TYPE_CHECKING:
    import pandas as pd

#: Asymptotic regime of the exponent fits: n ≥ this × the model's dimension.
MIN_N_FACTOR = 5.0
#: Second entropy word of the exponent bootstrap's stream. Repetition streams are seeded with
#: the entropy ``seed`` alone, so ``[seed, this]`` never coincides with any of them.
_BOOTSTRAP_ENTROPY = 0xB007


@dataclass
class SimulationResult:
    """Everything one run produced.

    ``excess[r, m, k]`` is the excess MSE over the optimal predictor divided by ``σ²`` for
    repetition ``r``, model ``models[m]`` and sample size ``n[k]`` (NaN where the model is
    undefined, e.g. the flexible OLS at ``n ≤ p``); ``flop`` the FLOP of that fit as a
    practitioner would run it (:mod:`dlcost.simulation.flop`); ``engine_flop`` the FLOP the
    simulation itself executed. Performance is ``−log10(excess)`` per repetition, averaged.
    """

    settings: SimulationSettings
    excess: np.ndarray
    flop: np.ndarray
    lasso_alpha: np.ndarray
    engine_flop: float
    wall_seconds: float
    reps_from_cache: int = 0
    cache_path: Path | None = None
    models: tuple[str, ...] = field(default=MODELS)

    @property
    def n(self) -> np.ndarray:
        """The sample-size grid."""
        return self.settings.n_grid

    def _index(self, model: str) -> int:
        try:
            return self.models.index(model)
        except ValueError:
            raise UnknownModelError(
                f"unknown model {model!r}; the models are {', '.join(self.models)}"
            ) from None

    def performance_reps(self, model: str) -> np.ndarray:
        """``(reps, points)`` per-repetition performance ``−log10(excess MSE / σ²)``."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return -np.log10(self.excess[:, self._index(model), :])

    def performance(self, model: str) -> np.ndarray:
        """Mean performance over repetitions at each grid point (NaN where undefined)."""
        values = self.performance_reps(model)
        defined = np.all(np.isfinite(values), axis=0)
        out = np.full(values.shape[1], np.nan)
        out[defined] = values[:, defined].mean(axis=0)
        return out

    def standard_error(self, model: str) -> np.ndarray:
        """Standard error of :meth:`performance` (s.d. over repetitions / √reps)."""
        values = self.performance_reps(model)
        defined = np.all(np.isfinite(values), axis=0)
        out = np.full(values.shape[1], np.nan)
        out[defined] = values[:, defined].std(axis=0, ddof=1) / np.sqrt(values.shape[0])
        return out

    def mean_flop(self, model: str) -> np.ndarray:
        """Mean FLOP per fit at each grid point (the Lasso's varies slightly by repetition)."""
        values = self.flop[:, self._index(model), :]
        defined = np.all(np.isfinite(values), axis=0)
        out = np.full(values.shape[1], np.nan)
        out[defined] = values[:, defined].mean(axis=0)
        return out

    @property
    def total_flop(self) -> float:
        """FLOP of every fit of the run, counted as a practitioner would run them."""
        return float(np.nansum(self.flop))

    def model_dimensions(self) -> dict[str, float]:
        """The dimension each model's asymptotic regime is measured in (see ``_exponents``)."""
        s, p = self.settings.relevant, self.settings.features
        return {"oracle": s, "expert": s, "flexible": p, "lasso": s * float(np.log(p))}

    @cached_property
    def exponents(self) -> dict[str, ExponentEstimate]:
        """Data and compute exponents of a k-fold improvement per model, with intervals."""
        seed = np.random.SeedSequence([self.settings.seed, _BOOTSTRAP_ENTROPY])
        streams = seed.spawn(len(self.models))
        dims = self.model_dimensions()
        return {
            model: estimate_exponents(
                model,
                self.n,
                self.performance_reps(model),
                self.mean_flop(model),
                MIN_N_FACTOR * dims[model],
                compute_min_n=self.settings.features + 1 if model == "lasso" else 0.0,
                random_state=np.random.default_rng(stream),
            )
            for model, stream in zip(self.models, streams, strict=True)
        }

    @cached_property
    def crossover_n(self) -> dict[str, float | None]:
        """Sample size from which each flexible model stays ahead of the expert (or None)."""
        expert = self.performance("expert")
        return {
            f"{model}_vs_expert": crossover(self.n, self.performance(model), expert)
            for model in ("flexible", "lasso")
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per model and sample size: performance, its s.e., FLOP per fit, reps."""
        import pandas as pd

        frames = [
            pd.DataFrame(
                {
                    "model": model,
                    "n": self.n,
                    "performance": self.performance(model),
                    "se": self.standard_error(model),
                    "flop": self.mean_flop(model),
                    "reps": self.excess.shape[0],
                }
            )
            for model in self.models
        ]
        return pd.concat(frames, ignore_index=True)

    def to_json_dict(self) -> dict[str, Any]:
        """The CLI's JSON document: settings, per-model curves, exponents, crossovers."""
        models: dict[str, Any] = {}
        for model in self.models:
            perf = self.performance(model)
            keep = np.isfinite(perf)
            models[model] = {
                "n": self.n[keep].tolist(),
                "performance": perf[keep].tolist(),
                "se": self.standard_error(model)[keep].tolist(),
                "flop": self.mean_flop(model)[keep].tolist(),
            }
        lasso_alpha = self.lasso_alpha.mean(axis=0)
        models["lasso"]["alpha"] = lasso_alpha[np.isfinite(self.performance("lasso"))].tolist()
        return {
            "settings": self.settings.to_dict(),
            "models": models,
            "exponents": {m: e.to_dict() for m, e in self.exponents.items()},
            "theory": {
                "fixed_parameters": {
                    "data": STATISTICAL.data_exponent,
                    "compute": STATISTICAL.compute_exponent,
                },
                "parameters_grow_with_data": {
                    "data": OVERPARAMETERIZED.data_exponent,
                    "compute": OVERPARAMETERIZED.compute_exponent,
                },
            },
            "crossover_n": self.crossover_n,
            "run": {
                "total_flop": self.total_flop,
                "engine_flop": self.engine_flop,
                "wall_seconds": self.wall_seconds,
                "reps_from_cache": self.reps_from_cache,
                "cache_path": str(self.cache_path) if self.cache_path else None,
            },
        }

    def save(self, directory: str | Path | None = None) -> list[Path]:
        """Write ``summary.parquet`` (:meth:`to_frame`) and ``result.json``
        (:meth:`to_json_dict`, as ``--json`` prints it) to ``directory``; the files written.

        ``directory`` defaults to the run's cache folder (:attr:`cache_path`); a result with
        neither writes nothing.
        """
        from dlcost.serialize import write_json

        target = Path(directory) if directory is not None else self.cache_path
        if target is None:
            return []
        target.mkdir(parents=True, exist_ok=True)
        summary = target / "summary.parquet"
        self.to_frame().to_parquet(summary, index=False)
        return [summary, write_json(target / "result.json", self.to_json_dict())]

    def __repr__(self) -> str:
        s = self.settings
        return (
            f"SimulationResult(features={s.features}, relevant={s.relevant}, "
            f"reps={self.excess.shape[0]}, n={self.n.min()}…{self.n.max()} "
            f"({self.n.size} points), models={list(self.models)})"
        )
