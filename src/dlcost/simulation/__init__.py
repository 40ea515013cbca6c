"""Expert versus flexible models: the paper's simulation, at its scale, with measured exponents.

A linear truth over ``p`` Gaussian candidate features of which ``s`` matter; four estimators —
the *oracle* (OLS on the ``s`` true features), the *expert* (OLS on ``s`` features, some
wrong: it learns fast, then plateaus), the *flexible* model (OLS on all ``p``) and the
*regularized flexible* model (Lasso on all ``p``). For each, performance
``−log10(excess MSE / σ²)`` against data and against FLOP, the data and compute exponents of
a ``k``-fold improvement with bootstrap intervals beside the theory's ``k²``/``k⁴``
(:mod:`dlcost.simulation.theory`), and the sample size at which the flexible models overtake
the expert. See ``docs/simulation.md``.

>>> from dlcost.simulation import SimulationSettings, run_simulation
>>> result = run_simulation(SimulationSettings(reps=50))          # doctest: +SKIP
>>> result.exponents["oracle"].data, result.crossover_n           # doctest: +SKIP

Submodules load on first use, so importing this package does not import numpy: a worker
process must be able to set its BLAS thread count first (see ``_threads``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # re-exported names, for type checkers (``X as X`` marks a re-export)
    from dlcost.exceptions import BackendUnavailableError as BackendUnavailableError
    from dlcost.exceptions import SimulationSettingsError as SimulationSettingsError
    from dlcost.simulation._engine import MODELS as MODELS
    from dlcost.simulation._engine import simulate_repetition as simulate_repetition
    from dlcost.simulation._exponents import ExponentEstimate as ExponentEstimate
    from dlcost.simulation._runner import check_run_options as check_run_options
    from dlcost.simulation._runner import default_cache_dir as default_cache_dir
    from dlcost.simulation._runner import run_directory as run_directory
    from dlcost.simulation._runner import run_simulation as run_simulation
    from dlcost.simulation._settings import SimulationSettings as SimulationSettings
    from dlcost.simulation.result import SimulationResult as SimulationResult
    from dlcost.simulation.theory import OVERPARAMETERIZED as OVERPARAMETERIZED
    from dlcost.simulation.theory import STATISTICAL as STATISTICAL
    from dlcost.simulation.theory import ScalingTheory as ScalingTheory

_EXPORTS = {
    "MODELS": "dlcost.simulation._engine",
    "simulate_repetition": "dlcost.simulation._engine",
    "ExponentEstimate": "dlcost.simulation._exponents",
    "check_run_options": "dlcost.simulation._runner",
    "default_cache_dir": "dlcost.simulation._runner",
    "run_directory": "dlcost.simulation._runner",
    "run_simulation": "dlcost.simulation._runner",
    "BackendUnavailableError": "dlcost.exceptions",
    "SimulationSettings": "dlcost.simulation._settings",
    "SimulationSettingsError": "dlcost.exceptions",
    "SimulationResult": "dlcost.simulation.result",
    "OVERPARAMETERIZED": "dlcost.simulation.theory",
    "STATISTICAL": "dlcost.simulation.theory",
    "ScalingTheory": "dlcost.simulation.theory",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'dlcost.simulation' has no attribute {name!r}") from None
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return __all__
