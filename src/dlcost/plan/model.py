"""The planner's model: when does the cost of a target fall below what is spent on it?

Everything lives in log10 space and in years after the start year ``t0`` (METHODS.md §12):

- ``F`` log10 FLOP the target needs at ``t0`` (the scaling fit, with its interval);
- ``P`` log10 USD per FLOP at ``t0`` (a reference chip's cloud price);
- ``S`` log10 USD spent on one training run at ``t0`` (the frontier trend, or a budget);
- ``a`` algorithmic progress, decades of compute saved per year (10^a × less compute/yr);
- ``h`` hardware price-performance, decades of FLOP per dollar gained per year;
- ``s`` growth of spend, decades per year (0 for a fixed budget);
- ``e`` a one-off efficiency gain (log10 of "10× more efficient" = 1), a lever.

The cost of the target at ``t0 + τ`` is ``10^(F − e − a·τ + P − h·τ)``; the spend is
``10^(S + s·τ)``. The gap ``F − e + P − S`` decades closes at ``a + h + s`` decades per year, so
τ = gap / (a + h + s) when the gap is positive and the rate is too; 0 when there is no gap;
never (∞) otherwise. Each Monte Carlo draw takes one value of every uncertain input; a lever
replaces one input by its scenario. Energy follows the FLOP actually run,
``10^(F − e − a·τ)``, at ``K`` log10 kWh per FLOP at ``t0`` falling ``w`` decades per year
(FLOP per watt); CO₂ is kWh × the grid intensity.

Draws are reproducible from a seed and every input is drawn in a fixed order whatever the
scenario, so that two scenarios run with the same seed share their random numbers (common
random numbers): a lever's effect is not blurred by sampling noise.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from dlcost.exceptions import InvalidParameterError

FloatArray = NDArray[np.float64]
#: The interval the planner reports: the 5th to 95th percentile of the draws.
INTERVAL_LEVEL = 0.90


@dataclass(frozen=True)
class Uncertain:
    """One uncertain input: a central value, its spread, and where it comes from.

    The spread is either a normal standard deviation ``sd`` or ``samples`` (e.g. a fit's
    bootstrap resamples), drawn with replacement. ``scale`` shrinks (< 1) or widens (> 1) the
    spread about the centre — how the planner asks what better-known inputs would change.
    """

    name: str
    center: float
    unit: str
    source: str
    sd: float = 0.0
    samples: FloatArray | None = field(default=None, repr=False, compare=False)

    def draw(self, rng: np.random.Generator, n: int, scale: float = 1.0) -> FloatArray:
        """``n`` draws; always consumes the same random numbers for a given ``n``."""
        z = rng.standard_normal(n)
        pick = rng.integers(0, 1 << 30, n)
        if self.samples is not None and len(self.samples):
            values = np.asarray(self.samples, dtype=float)[pick % len(self.samples)]
            finite = np.isfinite(values)
            # A resample saying "never" (+∞) stays so unless the spread is switched off.
            scaled = np.where(finite, self.center + scale * np.where(finite, values, 0.0)
                              - scale * self.center, values if scale > 0 else self.center)
            return np.asarray(scaled, dtype=float)
        return self.center + scale * self.sd * z

    def widened(self, factor: float, source: str) -> Uncertain:
        """The same input with its spread about the centre multiplied by ``factor`` (> 1
        widens, < 1 narrows): a normal's ``sd``, or every finite resample's distance from the
        centre (a "never" resample stays never). How the planner applies a calibration."""
        if not (math.isfinite(factor) and factor > 0):
            raise InvalidParameterError(f"a spread factor must be a finite number > 0, got "
                                        f"{factor!r}")
        samples = self.samples
        if samples is not None:
            values = np.asarray(samples, dtype=float)
            finite = np.isfinite(values)
            samples = np.where(finite, self.center + factor * (np.where(finite, values, 0.0)
                                                               - self.center), values)
        return dataclasses.replace(self, sd=self.sd * factor, samples=samples, source=source)

    def fixed(self, value: float, source: str) -> Uncertain:
        """The same input held at ``value`` with no spread (a scenario)."""
        return dataclasses.replace(self, center=value, sd=0.0, samples=None, source=source)

    def interval(self, level: float = INTERVAL_LEVEL) -> tuple[float, float]:
        """The central ``level`` interval of the input itself."""
        from dlcost.stats import norm_ppf

        if self.samples is not None and len(self.samples):
            finite = self.samples[np.isfinite(self.samples)]
            tail = (1.0 - level) / 2.0
            lo, hi = np.quantile(finite, [tail, 1.0 - tail])
            return float(lo), float(hi)
        q = float(norm_ppf(0.5 + level / 2.0))
        return self.center - q * self.sd, self.center + q * self.sd

    def to_dict(self) -> dict[str, Any]:
        lo, hi = self.interval()
        return {"name": self.name, "center": self.center, "unit": self.unit,
                "interval_90": [lo, hi], "spread": "bootstrap resamples"
                if self.samples is not None else ("normal" if self.sd else "fixed"),
                "source": self.source}


@dataclass(frozen=True)
class PlanInputs:
    """Every input of the planner at the start year (module docstring for the symbols)."""

    start_year: float
    horizon_year: float
    log10_flop: Uncertain
    log10_usd_per_flop: Uncertain
    log10_spend: Uncertain
    algorithmic: Uncertain
    price_performance: Uncertain
    spend_growth: Uncertain
    log10_kwh_per_flop: float
    energy_efficiency: Uncertain
    kg_co2_per_kwh: float
    efficiency_gain: float = 1.0
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.horizon_year > self.start_year:
            raise InvalidParameterError(
                f"the horizon ({self.horizon_year:g}) must come after the start year "
                f"({self.start_year:g})")
        if not self.efficiency_gain > 0:
            raise InvalidParameterError(
                f"an efficiency gain is a factor > 0 (10 for 10× more efficient), got "
                f"{self.efficiency_gain!r}")
        if not self.kg_co2_per_kwh >= 0:
            raise InvalidParameterError(
                f"the grid intensity must be ≥ 0 kg CO₂e/kWh, got {self.kg_co2_per_kwh!r}")

    def replace(self, **changes: Any) -> PlanInputs:
        return dataclasses.replace(self, **changes)

    def uncertain(self) -> dict[str, Uncertain]:
        """The uncertain inputs, in the order they are drawn."""
        return {"log10_flop": self.log10_flop, "log10_usd_per_flop": self.log10_usd_per_flop,
                "log10_spend": self.log10_spend, "algorithmic": self.algorithmic,
                "price_performance": self.price_performance,
                "spend_growth": self.spend_growth, "energy_efficiency": self.energy_efficiency}


@dataclass(frozen=True)
class Outcome:
    """The draws of one scenario: the year each reaches the target, its cost and CO₂."""

    start_year: float
    horizon_year: float
    years: FloatArray  # ∞ where never reached
    usd: FloatArray  # cost of the target in the year it is reached (∞ where never)
    co2_kg: FloatArray
    kwh: FloatArray
    usd_today: FloatArray  # cost of the target at the start year
    level: float = INTERVAL_LEVEL

    @property
    def n(self) -> int:
        return len(self.years)

    @property
    def reached(self) -> NDArray[np.bool_]:
        """Draws that reach the target by the horizon."""
        return self.years <= self.horizon_year

    @property
    def p_reachable(self) -> float:
        """Share of draws reaching the target by the horizon."""
        return float(self.reached.mean())

    def _q(self, values: FloatArray, q: float) -> float:
        # An order statistic, never an interpolation: with ∞ draws (never reached) an
        # interpolated quantile would be NaN.
        return float(np.quantile(values, q, method="inverted_cdf"))

    @property
    def year(self) -> float:
        """Median year (∞ when more than half the draws never reach it)."""
        return self._q(self.years, 0.5)

    @property
    def year_ci(self) -> tuple[float, float]:
        tail = (1.0 - self.level) / 2.0
        return self._q(self.years, tail), self._q(self.years, 1.0 - tail)

    @property
    def reachable(self) -> bool:
        """Reached by the horizon in at least half the draws (the median year ≤ horizon)."""
        return self.year <= self.horizon_year

    def _median_reached(self, values: FloatArray) -> float | None:
        ok = self.reached
        return float(np.median(values[ok])) if ok.any() else None

    def _ci_reached(self, values: FloatArray) -> tuple[float, float] | None:
        ok = self.reached
        if not ok.any():
            return None
        tail = (1.0 - self.level) / 2.0
        lo, hi = np.quantile(values[ok], [tail, 1.0 - tail])
        return float(lo), float(hi)

    def summary(self) -> dict[str, Any]:
        """Year (median, interval), reachability, and cost, kWh and CO₂ in the year reached
        (medians over the draws that reach it by the horizon)."""
        return {
            "year": _finite(self.year), "year_ci": [_finite(v) for v in self.year_ci],
            "reachable": self.reachable, "p_reachable": self.p_reachable,
            "usd": self._median_reached(self.usd), "usd_ci": _pair(self._ci_reached(self.usd)),
            "co2_kg": self._median_reached(self.co2_kg),
            "co2_kg_ci": _pair(self._ci_reached(self.co2_kg)),
            "kwh": self._median_reached(self.kwh),
            "usd_today": float(np.median(self.usd_today)),
            "interval_level": self.level, "draws": self.n,
        }


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _pair(pair: tuple[float, float] | None) -> list[float] | None:
    return list(pair) if pair else None


def simulate(
    inputs: PlanInputs,
    *,
    n: int = 4000,
    random_state: int | np.random.Generator | None = 0,
    uncertainty_scale: float = 1.0,
) -> Outcome:
    """Draw ``n`` futures of ``inputs`` and find when each reaches the target (module docstring).

    ``uncertainty_scale`` multiplies the spread of every uncertain input (1 as estimated; 0
    for the central values only).
    """
    if n < 1:
        raise InvalidParameterError(f"the number of draws must be at least 1, got {n}")
    if not uncertainty_scale >= 0:
        raise InvalidParameterError(f"uncertainty_scale must be ≥ 0, got {uncertainty_scale!r}")
    rng = (random_state if isinstance(random_state, np.random.Generator)
           else np.random.default_rng(random_state))
    d = {k: u.draw(rng, n, uncertainty_scale) for k, u in inputs.uncertain().items()}
    e = math.log10(inputs.efficiency_gain)
    flop0 = d["log10_flop"] - e
    gap = flop0 + d["log10_usd_per_flop"] - d["log10_spend"]
    rate = d["algorithmic"] + d["price_performance"] + d["spend_growth"]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        tau = np.where(gap <= 0, 0.0, np.where(rate > 0, gap / rate, np.inf))
        tau = np.where(np.isnan(tau), np.inf, tau)
        years = inputs.start_year + tau
        finite = np.isfinite(tau)
        t = np.where(finite, tau, 0.0)
        log_flop = flop0 - d["algorithmic"] * t
        log_usd = log_flop + d["log10_usd_per_flop"] - d["price_performance"] * t
        log_kwh = log_flop + inputs.log10_kwh_per_flop - d["energy_efficiency"] * t
        usd = np.where(finite, 10.0 ** log_usd, np.inf)
        kwh = np.where(finite, 10.0 ** log_kwh, np.inf)
        usd_today = 10.0 ** (flop0 + d["log10_usd_per_flop"])
    return Outcome(start_year=inputs.start_year, horizon_year=inputs.horizon_year,
                   years=years, usd=usd, co2_kg=kwh * inputs.kg_co2_per_kwh, kwh=kwh,
                   usd_today=usd_today)
