"""``plan(db, benchmark, error=…)``: when a target becomes affordable, and what each lever does."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from dlcost.assumptions import PLAN_DRAWS, PLAN_HORIZON_YEARS
from dlcost.exceptions import InvalidParameterError
from dlcost.plan.calibration import CALIBRATED_LABEL, InputCalibration, calibrate_inputs
from dlcost.plan.inputs import (
    HARDWARE_PRECISION,
    NOMINAL_FIT_NOTE,
    SPEND_SELECTION,
    TargetCompute,
    growth,
    price_level,
    target_compute,
)
from dlcost.plan.levers import DEFAULT_EFFICIENCY_GAIN, Lever, levers
from dlcost.plan.model import Outcome, PlanInputs, Uncertain, simulate

if TYPE_CHECKING:
    from dlcost.store.db import ResultsDB


@dataclass(frozen=True)
class LeverEffect:
    """One lever's outcome beside the baseline's."""

    lever: Lever
    outcome: Outcome
    baseline: Outcome

    @property
    def years_saved(self) -> float | None:
        """Baseline median year − this lever's (positive: sooner; ±∞ → None)."""
        diff = self.baseline.year - self.outcome.year
        return diff if math.isfinite(diff) else None

    @property
    def years_saved_ci(self) -> tuple[float, float] | None:
        """Interval of the paired per-draw difference, over draws where both reach it."""
        both = np.isfinite(self.baseline.years) & np.isfinite(self.outcome.years)
        if not both.any():
            return None
        diff = self.baseline.years[both] - self.outcome.years[both]
        tail = (1.0 - self.outcome.level) / 2.0
        lo, hi = np.quantile(diff, [tail, 1.0 - tail])
        return float(lo), float(hi)

    def to_dict(self) -> dict[str, Any]:
        out = self.outcome.summary()
        ci = self.years_saved_ci
        return {"key": self.lever.key, "title": self.lever.title,
                "assumption": self.lever.assumption, "source": self.lever.source,
                "years_saved": self.years_saved, "years_saved_ci": list(ci) if ci else None,
                **out}


@dataclass
class Plan:
    """A plan: the target, the inputs, the baseline outcome and every lever's."""

    target: TargetCompute | None
    inputs: PlanInputs
    outcome: Outcome
    levers: list[LeverEffect]
    seed: int | None
    budget_usd: float | None
    notes: list[str] = field(default_factory=list)
    #: ``"nominal"`` or ``"calibrated"`` (:mod:`dlcost.plan.calibration`).
    interval: str = "nominal"
    #: With ``interval="calibrated"``: what was done to each uncertain input, and why.
    calibration: tuple[InputCalibration, ...] = ()
    #: With ``interval="calibrated"``: the same plan on the nominal inputs (same seed).
    nominal: Outcome | None = None

    def assumptions(self) -> list[str]:
        """One line per assumption used (what the CLI prints)."""
        i = self.inputs
        lines = []
        for u in i.uncertain().values():
            lo, hi = u.interval()
            lines.append(f"{u.name}: {u.center:.3g} {u.unit} (90 % {lo:.3g}–{hi:.3g}) — "
                         f"{u.source}")
        lines.append(f"energy per FLOP at the start: 10^{i.log10_kwh_per_flop:.3f} kWh "
                     "(reference chip TDP × PUE; hardware preset)")
        lines.append(f"grid intensity: {i.kg_co2_per_kwh:g} kg CO₂e/kWh")
        lines.append(f"start year {i.start_year:g}, horizon {i.horizon_year:g}; "
                     f"{self.outcome.n} Monte Carlo draws, seed {self.seed}")
        lines += [c.line() for c in self.calibration]
        return lines

    def to_dict(self) -> dict[str, Any]:
        """The ``plan --json`` document: year, year_ci, usd, co2_kg, levers, and more."""
        t = self.target
        doc: dict[str, Any] = {
            "benchmark": t.benchmark if t else None,
            "target_error": t.error if t else None, "target_score": t.score if t else None,
            "measure": t.measure if t else None,
            "flop_needed_today": 10.0 ** self.inputs.log10_flop.center,
            "orders_beyond_data": t.orders_beyond_data if t else None,
            **self.outcome.summary(),
            "start_year": self.inputs.start_year, "horizon_year": self.inputs.horizon_year,
            "budget_usd": self.budget_usd, "seed": self.seed,
            "interval": CALIBRATED_LABEL if self.interval == "calibrated" else
            "nominal (bootstrap and OLS standard errors); not calibrated",
            "levers": [lv.to_dict() for lv in self.levers],
            "inputs": {k: u.to_dict() for k, u in self.inputs.uncertain().items()},
            "kg_co2_per_kwh": self.inputs.kg_co2_per_kwh,
            "assumptions": self.assumptions(),
            "notes": self.notes,
        }
        if self.interval == "calibrated":
            doc["calibration"] = [c.to_dict() for c in self.calibration]
            if self.nominal is not None:
                n = self.nominal.summary()
                doc["nominal"] = {k: n[k] for k in ("year", "year_ci", "reachable",
                                                    "p_reachable", "usd", "co2_kg")}
        return doc


def run_levers(inputs: PlanInputs, lever_list: tuple[Lever, ...], *, n: int,
               random_state: int | None, baseline: Outcome) -> list[LeverEffect]:
    """Each lever simulated with the baseline's seed (common random numbers)."""
    return [LeverEffect(lv, simulate(lv.apply(inputs), n=n, random_state=random_state),
                        baseline) for lv in lever_list]


def plan_inputs(
    db: ResultsDB,
    target: TargetCompute,
    *,
    budget: float | None = None,
    year: float | None = None,
    horizon: float | None = None,
    kg_co2_per_kwh: float | None = None,
) -> tuple[PlanInputs, list[str]]:
    """Assemble the planner's inputs for ``target`` (:mod:`dlcost.plan.inputs`)."""
    if budget is not None and not budget > 0:
        raise InvalidParameterError(f"the budget must be a positive number of US dollars, got "
                                    f"{budget!r}")
    notes = list(target.notes)
    spend = growth(db, "cost", "frontier training cost", "log10 USD (2023)", year,
                   **SPEND_SELECTION)
    start = float(math.floor(spend.end_year)) if year is None else float(year)
    if year is None:
        notes.append(f"start year {start:g}: the year of the latest frontier training cost in "
                     "the store")
    price_g = growth(db, "flops-per-dollar", "FLOP/s per dollar", "", start,
                     precision=HARDWARE_PRECISION)
    watt_g = growth(db, "flops-per-watt", "FLOP/s per watt", "", start,
                    precision=HARDWARE_PRECISION)
    price = price_level(db, target.measure, year=start, kg_co2_per_kwh=kg_co2_per_kwh,
                        language_model=target.language_model)
    notes += list(price.notes)
    log_price, log_kwh = price.log10_usd_per_flop, price.log10_kwh_per_flop
    shift = start - price.year
    if shift:
        # Prices of another year: carried to the start year along the hardware trends.
        log_price = dataclasses.replace(
            log_price, center=log_price.center - price_g.rate.center * shift,
            source=f"{log_price.source}, carried to {start:g} at the FLOP-per-dollar trend")
        log_kwh -= watt_g.rate.center * shift
        notes.append(f"prices of {price.year:g} carried {shift:+g} years to the start year "
                     f"along the FLOP/s-per-dollar and FLOP/s-per-watt trends")
    if budget is None:
        log_spend = spend.level
        spend_growth = spend.rate
    else:
        log_spend = Uncertain("spend per training run", math.log10(budget), "log10 USD",
                              "the user's fixed budget")
        spend_growth = spend.rate.fixed(0.0, "a fixed budget does not grow")
    horizon_year = start + PLAN_HORIZON_YEARS.value if horizon is None else float(horizon)
    inputs = PlanInputs(
        start_year=start, horizon_year=horizon_year, log10_flop=target.log10_flop,
        log10_usd_per_flop=log_price, log10_spend=log_spend,
        algorithmic=target.algorithmic, price_performance=price_g.rate,
        spend_growth=spend_growth, log10_kwh_per_flop=log_kwh,
        energy_efficiency=watt_g.rate, kg_co2_per_kwh=price.kg_co2_per_kwh)
    return inputs, notes


def plan(
    db: ResultsDB,
    benchmark: str,
    *,
    error: float | None = None,
    score: float | None = None,
    budget: float | None = None,
    year: float | None = None,
    horizon: float | None = None,
    efficiency_gain: float = DEFAULT_EFFICIENCY_GAIN,
    kg_co2_per_kwh: float | None = None,
    n: int = int(PLAN_DRAWS.value),
    seed: int | None = 0,
    n_boot: int = 1000,
    sources: list[str] | None = None,
    interval: str = "nominal",
) -> Plan:
    """When does reaching ``error`` (or ``score``) on ``benchmark`` become affordable?

    Combines, by Monte Carlo (:func:`dlcost.plan.model.simulate`), the compute the target
    needs, the fall in the price of compute, the growth of spend (or a fixed ``budget`` in
    USD), and algorithmic progress; then runs each lever (:func:`dlcost.plan.levers.levers`).
    ``year`` is the start year (default the latest year of the spend data), ``horizon`` the
    last year considered (default start + 25).

    ``interval``: ``"nominal"`` (the fits' own uncertainty) or ``"calibrated"``: the inputs
    that dlcost backtests (the compute for a paper benchmark's target, the spend trend) have
    their spread rescaled by the backtest's split-conformal factor at the plan's horizon
    (:mod:`dlcost.plan.calibration`); the others stay nominal and ``Plan.calibration`` says
    why. The levers run on the same (calibrated) inputs.
    """
    if interval != "nominal":  # the default imports no backtest
        from dlcost.backtest import check_interval

        interval = check_interval(interval)
    target = target_compute(db, benchmark, error=error, score=score, n_boot=n_boot,
                            random_state=seed, sources=sources)
    inputs, notes = plan_inputs(db, target, budget=budget, year=year, horizon=horizon,
                                kg_co2_per_kwh=kg_co2_per_kwh)
    baseline = simulate(inputs, n=n, random_state=seed)
    nominal: Outcome | None = None
    calibration: tuple[InputCalibration, ...] = ()
    if interval == "calibrated":
        nominal = baseline
        inputs, calibration = calibrate_inputs(db, inputs, target, reach_year=nominal.year,
                                               sources=sources, fixed_budget=budget is not None)
        baseline = simulate(inputs, n=n, random_state=seed)
        if any(c.key == "log10_flop" and c.calibrated for c in calibration):
            notes = [note.replace(NOMINAL_FIT_NOTE, "interval calibrated on the backtest (see "
                                  "calibration)") for note in notes]
    effects = run_levers(inputs, levers(efficiency_gain), n=n, random_state=seed,
                         baseline=baseline)
    if target.orders_beyond_data > 0:
        notes.append(f"the compute for the target lies {target.orders_beyond_data:.1f} orders "
                     "of magnitude beyond the data the fit saw: an extrapolation")
    return Plan(target=target, inputs=inputs, outcome=baseline, levers=effects, seed=seed,
                budget_usd=budget, notes=notes, interval=interval, calibration=calibration,
                nominal=nominal)
