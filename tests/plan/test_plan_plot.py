"""The levers figure keeps its artists (Agg backend, no image diffs)."""

from __future__ import annotations

import numpy as np

from dlcost.plan import Plan, PlanInputs, Uncertain, levers, simulate
from dlcost.plan.planner import run_levers
from dlcost.plotting.plan import LeversDisplay, levers_figure, plan_rows


def _plan() -> Plan:
    def u(center: float, sd: float = 0.05) -> Uncertain:
        return Uncertain("x", center, "", "test", sd=sd)

    base = PlanInputs(start_year=2025.0, horizon_year=2050.0, log10_flop=u(25.0, 0.3),
                      log10_usd_per_flop=u(-17.0), log10_spend=u(7.0), algorithmic=u(0.2),
                      price_performance=u(0.1), spend_growth=u(0.3), log10_kwh_per_flop=-17.5,
                      energy_efficiency=u(0.08), kg_co2_per_kwh=0.429)
    outcome = simulate(base, n=500, random_state=0)
    effects = run_levers(base, levers(), n=500, random_state=0, baseline=outcome)
    return Plan(target=None, inputs=base, outcome=outcome, levers=effects, seed=0,
                budget_usd=None)


def test_rows_and_matplotlib_display() -> None:
    import matplotlib

    matplotlib.use("Agg")
    plan = _plan()
    rows = plan_rows(plan)
    assert rows[0].label == "current trends"
    assert len(rows) == 5
    disp = LeversDisplay.from_plan(plan)
    assert len(disp.points_) == 5
    ys = [p.get_xdata()[0] for p in disp.points_]
    assert np.isclose(ys[0], plan.outcome.year)


def test_plotly_figure_has_one_trace_per_scenario() -> None:
    fig = levers_figure(_plan())
    assert len(fig.data) == 3  # current trends, the levers, the horizon
    assert list(fig.layout.yaxis.tickvals) == [0, 1, 2, 3, 4]


def test_the_report_can_render_it_statically() -> None:
    from dlcost.plotting.report_figures import to_matplotlib

    assert to_matplotlib(levers_figure(_plan())) is not None
