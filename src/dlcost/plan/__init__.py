"""The planner: what would it take to reach a target, and what a model costs over its life.

Layer: after ``backtest``, before ``track`` and ``plotting`` (uses ``fitting``, ``trends``,
``frontier`` and ``projection``).

Public API
----------
- :func:`plan` ``(db, benchmark, error=… | score=…, budget=, year=, horizon=, seed=,
  interval="nominal" | "calibrated")`` → :class:`Plan`: the year the target becomes affordable
  (median, 90 % interval, share of futures reaching it by the horizon), its cost and CO₂ that
  year, and every lever's effect. ``"calibrated"`` rescales the backtested inputs
  (:mod:`dlcost.plan.calibration`; :class:`InputCalibration` says what, per input).
- :func:`simulate` ``(PlanInputs, n=, random_state=)`` → :class:`Outcome`: the Monte Carlo
  model itself, on inputs given by hand (:class:`Uncertain`).
- :func:`levers` and :class:`Lever`: the article's levers as named scenarios.
- :func:`life_cost` → :class:`LifeCost`: training plus serving of a model, the day serving
  overtakes training, and the same for a smaller (distilled or pruned) model.
"""

from __future__ import annotations

from dlcost.plan.calibration import InputCalibration
from dlcost.plan.levers import DEFAULT_EFFICIENCY_GAIN, Lever, efficiency_lever, levers
from dlcost.plan.model import INTERVAL_LEVEL, Outcome, PlanInputs, Uncertain, simulate
from dlcost.plan.planner import LeverEffect, Plan, plan, plan_inputs

__all__ = [
    "DEFAULT_EFFICIENCY_GAIN",
    "INTERVAL_LEVEL",
    "InputCalibration",
    "Lever",
    "LeverEffect",
    "Outcome",
    "Plan",
    "PlanInputs",
    "Uncertain",
    "efficiency_lever",
    "levers",
    "plan",
    "plan_inputs",
    "simulate",
]
