"""The theory's exponents: how much more data and compute a k-fold better model costs.

METHODS.md §7 (after Thompson et al. 2020, §2): for an RMSE-type error that falls as
``e ∝ n^(−α)`` (``α = 1/2`` for a fixed set of parameters estimated from ``n`` independent
points), a ``k``-fold smaller error needs ``k^(1/α)`` times the data — ``k²``. If the model's
parameters grow with the data as ``P ∝ n^γ`` and training costs ``C ∝ P^a · n^c`` (one pass of
``P``-parameter work per data point: ``a = c = 1``), the compute grows as
``n^(aγ + c)``, so a ``k``-fold improvement costs ``k^((aγ + c)/α)`` times the compute.

Two cases frame the paper's argument:

* fixed parameters (``γ = 0``): compute ∝ data, exponent 2 (``k²``);
* over-parameterized (``γ = 1``, parameters ∝ data points): exponent 4 (``k⁴``) — a 10-fold
  improvement needs at least 10,000 times the compute.

Examples
--------
>>> ScalingTheory().compute_exponent, OVERPARAMETERIZED.compute_exponent
(2.0, 4.0)
>>> OVERPARAMETERIZED.compute_factor(10)
10000.0
>>> ScalingTheory(error_exponent=0.5, cost_parameter_power=2).compute_exponent  # OLS: n·p², p fixed
2.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from dlcost.exceptions import FitError


@dataclass(frozen=True)
class ScalingTheory:
    """Power-law assumptions, and the data and compute exponents they imply.

    Parameters
    ----------
    error_exponent:
        ``α`` in ``e ∝ n^(−α)`` (``1/2`` for an RMSE-type error of a fixed-size model).
    parameter_exponent:
        ``γ`` in ``P ∝ n^γ`` (0: fixed model; 1: parameters grow like the data).
    cost_parameter_power:
        ``a`` in ``C ∝ P^a · n^c`` (1 for a pass over the parameters per data point; 2 for
        forming a Gram matrix, ``n·p²``).
    cost_data_power:
        ``c`` in ``C ∝ P^a · n^c``.
    """

    error_exponent: float = 0.5
    parameter_exponent: float = 0.0
    cost_parameter_power: float = 1.0
    cost_data_power: float = 1.0

    def __post_init__(self) -> None:
        if not self.error_exponent > 0:
            raise FitError(
                f"error_exponent must be > 0 (the error must fall with data); "
                f"got {self.error_exponent!r}"
            )

    @property
    def data_exponent(self) -> float:
        """``1/α``: data ∝ ``k^(1/α)`` for a ``k``-fold smaller error."""
        return 1.0 / self.error_exponent

    @property
    def compute_growth(self) -> float:
        """``aγ + c``: compute ∝ ``n^(aγ + c)``."""
        return self.cost_parameter_power * self.parameter_exponent + self.cost_data_power

    @property
    def compute_exponent(self) -> float:
        """``(aγ + c)/α``: compute ∝ ``k^((aγ + c)/α)`` for a ``k``-fold smaller error."""
        return self.compute_growth / self.error_exponent

    def data_factor(self, k: float) -> float:
        """How many times more data a ``k``-fold smaller error needs (``inf`` if too large)."""
        return _power(k, self.data_exponent)

    def compute_factor(self, k: float) -> float:
        """How many times more compute a ``k``-fold smaller error needs (``inf`` if too large)."""
        return _power(k, self.compute_exponent)

    def compute_factor_log10(self, k: float) -> float:
        """``log10`` of :meth:`compute_factor`, finite however large the factor."""
        return self.compute_exponent * math.log10(k)


def _power(k: float, exponent: float) -> float:
    try:
        return float(k) ** exponent
    except OverflowError:
        return math.inf


#: Fixed parameters (every model of the simulation): k² more data and k² more compute.
STATISTICAL = ScalingTheory()
#: Parameters growing like the data (over-parameterized deep learning): k⁴ more compute.
OVERPARAMETERIZED = ScalingTheory(parameter_exponent=1.0)
