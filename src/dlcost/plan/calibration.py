"""``interval="calibrated"``: the planner's inputs rescaled by dlcost's backtests (issue #14).

A backtest scores a model's forecasts of what came later and finds, per horizon, the
split-conformal factor by which the model's own interval must be multiplied for its coverage
to match the level (:class:`dlcost.backtest.Calibration`). The planner multiplies the spread
of an input about its centre by that factor (:meth:`dlcost.plan.model.Uncertain.widened`):
a variance inflation read off the backtest, at the planner's interval level (90 %).

Which inputs have a backtest of the same model on the same data:

``log10_flop`` (compute for the target)
    the paper's benchmarks: the ``curve`` backtest of the same fit (power law, OLS, the same
    compute measure and sources), which scores the error of later results given their compute.
    The factor rescales the fit's bootstrap spread of the compute for the target.
``log10_spend`` and ``spend_growth`` (the frontier training-cost trend)
    the same rolling origin as the backtest of frontier training compute
    (:func:`dlcost.backtest.growth_table`), run on the planner's own series: Epoch AI's
    training cost of the running top 10 models by compute, fitted from 2016. Its last origin
    is the planner's fit exactly. Level and growth are rescaled by the same factor.

Everything else stays nominal, and :class:`InputCalibration` says why: the score-vs-compute
curve of a language-model benchmark is not backtested by rolling origin (its extrapolation in
compute is scored as point forecasts; the rolling-origin backtest of its best score in time,
:func:`dlcost.backtest.lm_time_backtest`, forecasts a date, not the compute the plan needs);
algorithmic progress (the time-variant regression's c/b, or a published anchor), the hardware
trends and the spread of today's cloud prices have no backtest; a fixed budget has no spread.

The horizon is the number of years from the start year to the plan's nominal median year,
rounded up, with 3 and beyond pooled into 3 as the backtests score them (never → 3).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dlcost.exceptions import DlcostError
from dlcost.plan.model import INTERVAL_LEVEL, PlanInputs, Uncertain

if TYPE_CHECKING:
    from dlcost.backtest import Calibration
    from dlcost.plan.inputs import TargetCompute
    from dlcost.store.db import ResultsDB

#: The ``interval`` field of a calibrated plan's JSON.
CALIBRATED_LABEL = ("calibrated (split-conformal factors of dlcost's backtests, per input; "
                    "see calibration)")
#: The running top N and first year of the spend trend (as ``inputs.SPEND_SELECTION``).
SPEND_TOP = 10
SPEND_SINCE = 2016.0

_NO_BACKTEST = {
    "log10_usd_per_flop": "the spread of today's observed cloud prices, not a forecast: "
                          "nothing to backtest",
    "price_performance": "the FLOP/s-per-dollar trend is not backtested",
    "energy_efficiency": "the FLOP/s-per-watt trend is not backtested",
}


@dataclass(frozen=True)
class InputCalibration:
    """What ``interval="calibrated"`` did to one uncertain input, or why it left it nominal."""

    key: str
    name: str
    calibrated: bool
    reason: str
    backtest: str | None = None
    horizon: int | None = None
    level: float | None = None
    factor: float | None = None
    n: int | None = None  # backtest residuals behind the factor

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def line(self) -> str:
        """One line for the CLI's assumptions."""
        if self.calibrated and self.level is not None:
            return (f"calibrated: {self.name} spread ×{self.factor:.3g} ({self.backtest} "
                    f"backtest, horizon {self.horizon} yr, {self.level * 100:g} %, n = {self.n})")
        return f"nominal: {self.name} — {self.reason}"


def plan_horizon(start_year: float, reach_year: float) -> int:
    """The backtest horizon matching a plan (module docstring)."""
    from dlcost.backtest import HORIZONS
    from dlcost.backtest.scoring import horizon_key

    years = reach_year - start_year
    if not math.isfinite(years):
        return HORIZONS[-1]
    return horizon_key(max(1, math.ceil(years)))


def spend_calibration(db: ResultsDB) -> Calibration:
    """Rolling-origin backtest of the planner's spend trend (module docstring)."""
    from dlcost.backtest import calibrate, growth_table
    from dlcost.trends import trend_rows

    rows = trend_rows(db, "cost", frontier_top=SPEND_TOP).frame[["name", "year", "value"]]
    # The running top 10 is by compute and already chosen; a top N as long as the rows keeps
    # every one of them when the backtest ranks by cost at each origin.
    table, _ = growth_table(rows, frontier_top=max(len(rows), 1), since=SPEND_SINCE)
    return calibrate(table, target="frontier training cost")


def _apply(key: str, u: Uncertain, cal: Calibration, label: str, horizon: int
           ) -> tuple[Uncertain, InputCalibration]:
    from dlcost.backtest.scoring import MIN_CALIBRATION

    factor = cal.factor(INTERVAL_LEVEL, horizon)
    n = cal.n(horizon) if cal.n(horizon) >= MIN_CALIBRATION else cal.n()
    if not (math.isfinite(factor) and factor > 0):
        return u, InputCalibration(
            key, u.name, False, f"the {label} backtest has too few forecasts ({cal.n()}) for "
            f"a {INTERVAL_LEVEL:.0%} conformal quantile", backtest=label, horizon=horizon, n=n)
    widened = u.widened(factor, f"{u.source}; spread ×{factor:.3g}, calibrated on the {label} "
                                f"backtest (horizon {horizon} yr)")
    return widened, InputCalibration(
        key, u.name, True, "split-conformal factor of the backtest at the plan's horizon",
        backtest=label, horizon=horizon, level=INTERVAL_LEVEL, factor=factor, n=n)


def calibrate_inputs(
    db: ResultsDB,
    inputs: PlanInputs,
    target: TargetCompute,
    *,
    reach_year: float,
    sources: Sequence[str] | None = None,
    fixed_budget: bool = False,
) -> tuple[PlanInputs, tuple[InputCalibration, ...]]:
    """``inputs`` with every backtested input's spread rescaled, and what was done to each.

    ``reach_year`` is the nominal plan's median year (it sets the horizon).
    """
    from dlcost.backtest import calibration_for

    horizon = plan_horizon(inputs.start_year, reach_year)
    changes: dict[str, Uncertain] = {}
    done: dict[str, InputCalibration] = {}
    uncertain = inputs.uncertain()

    flop = uncertain["log10_flop"]
    if target.language_model:
        done["log10_flop"] = InputCalibration(
            "log10_flop", flop.name, False,
            f"{target.benchmark} is a language-model benchmark: its curve is not backtested "
            "by rolling origin (only extrapolation in compute, as point forecasts)")
    else:
        label = f"{target.benchmark} curve"
        try:
            cal = calibration_for(db, target.benchmark, "curve", sources=sources,
                                  measure=target.measure)
        except DlcostError as exc:
            done["log10_flop"] = InputCalibration("log10_flop", flop.name, False,
                                                  f"no {label} backtest: {exc}")
        else:
            changes["log10_flop"], done["log10_flop"] = _apply("log10_flop", flop, cal, label,
                                                               horizon)

    algo = uncertain["algorithmic"]
    done["algorithmic"] = InputCalibration(
        "algorithmic", algo.name, False,
        "a published anchor, not backtested" if "published anchor" in algo.source else
        "the compute-equivalent gain of the time-trend regression is not backtested (the "
        "time backtest scores the trend of the best error, another model)")

    spend_keys = ("log10_spend", "spend_growth")
    if fixed_budget:
        for key in spend_keys:
            done[key] = InputCalibration(key, uncertain[key].name, False,
                                         "fixed by the budget: no spread")
    else:
        label = "frontier training cost"
        try:
            cal = spend_calibration(db)
        except DlcostError as exc:
            for key in spend_keys:
                done[key] = InputCalibration(key, uncertain[key].name, False,
                                             f"no {label} backtest: {exc}")
        else:
            for key in spend_keys:
                changes[key], done[key] = _apply(key, uncertain[key], cal, label, horizon)

    for key, reason in _NO_BACKTEST.items():
        done[key] = InputCalibration(key, uncertain[key].name, False, reason)
    order = tuple(done[k] for k in uncertain)
    return inputs.replace(**changes), order
