"""The planner's figure: the year a target becomes affordable, under current trends and each lever.

One row per scenario (current trends first), a dot at the median year and a bar over the 90 %
interval of the Monte Carlo draws; the horizon is a dashed line and a scenario whose median
never reaches the target is drawn at the horizon with an arrow. :func:`levers_figure` (plotly)
serves the report, :class:`LeversDisplay` (matplotlib) the CLI's ``--plot`` and notebooks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dlcost.plan import Plan

BASE_COLOR = "#0969da"
LEVER_COLOR = "#8250df"


@dataclass(frozen=True)
class Row:
    label: str
    year: float | None
    lo: float | None
    hi: float | None


def plan_rows(plan: Plan) -> list[Row]:
    """Current trends, then each lever: (label, median year, interval), None where never."""
    def clean(v: float | None) -> float | None:
        return v if v is not None and math.isfinite(v) else None

    base = plan.outcome.summary()
    rows = [Row("current trends", clean(base["year"]), clean(base["year_ci"][0]),
                clean(base["year_ci"][1]))]
    for lv in plan.levers:
        s = lv.outcome.summary()
        saved = lv.years_saved
        tag = "" if saved is None else f" ({saved:+.1f} yr)"
        rows.append(Row(f"{lv.lever.title}{tag}", clean(s["year"]), clean(s["year_ci"][0]),
                        clean(s["year_ci"][1])))
    return rows


def _title(plan: Plan) -> str:
    t = plan.target
    if t is None:
        return "Year the target becomes affordable"
    what = f"score {t.score:.0%}" if t.language_model else f"error {t.error:.1%}"
    return f"{t.benchmark}, {what}: year it becomes affordable (median, 90 % interval)"


def levers_figure(plan: Plan) -> Any:
    """Plotly figure of :func:`plan_rows` (report)."""
    import plotly.graph_objects as go

    rows = plan_rows(plan)
    horizon = plan.inputs.horizon_year
    fig = go.Figure()
    for i, r in enumerate(rows):
        color = BASE_COLOR if i == 0 else LEVER_COLOR
        x = r.year if r.year is not None else horizon
        lo = r.lo if r.lo is not None else horizon
        hi = r.hi if r.hi is not None else horizon
        fig.add_trace(go.Scatter(
            x=[x], y=[r.label], mode="markers", showlegend=False,
            marker={"color": color, "size": 10,
                    "symbol": "circle" if r.year is not None else "triangle-right"},
            error_x={"type": "data", "symmetric": False, "array": [hi - x],
                     "arrayminus": [x - lo], "color": color},
            hovertemplate=(f"{r.label}<br>median {'never' if r.year is None else f'{x:.1f}'}"
                           f"<br>90 %: {lo:.1f}–{hi:.1f}<extra></extra>")))
    fig.add_vline(x=horizon, line_dash="dash", line_color="#8c959f",
                  annotation_text="horizon")
    fig.update_layout(title=_title(plan), xaxis_title="year", height=120 + 45 * len(rows),
                      yaxis={"autorange": "reversed"}, margin={"l": 10, "r": 10})
    return fig


class LeversDisplay:
    """Matplotlib version: ``LeversDisplay.from_plan(plan).plot(ax=None)`` keeps its artists."""

    def __init__(self, rows: list[Row], horizon: float, title: str) -> None:
        self.rows = rows
        self.horizon = horizon
        self.title = title

    @classmethod
    def from_plan(cls, plan: Plan, *, ax: Any = None) -> LeversDisplay:
        return cls(plan_rows(plan), plan.inputs.horizon_year, _title(plan)).plot(ax=ax)

    def plot(self, ax: Any = None) -> LeversDisplay:
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(8, 1.0 + 0.6 * len(self.rows)))
        self.points_ = []
        for i, r in enumerate(self.rows):
            color = BASE_COLOR if i == 0 else LEVER_COLOR
            x = r.year if r.year is not None else self.horizon
            lo = r.lo if r.lo is not None else self.horizon
            hi = r.hi if r.hi is not None else self.horizon
            ax.hlines(i, lo, hi, color=color, linewidth=2)
            self.points_.append(ax.plot([x], [i], "o" if r.year is not None else ">",
                                        color=color)[0])
        ax.axvline(self.horizon, color="#8c959f", linestyle="--", label="horizon")
        ax.set_yticks(range(len(self.rows)), [r.label for r in self.rows])
        ax.invert_yaxis()
        ax.set_xlabel("year (median, 90 % interval)")
        ax.set_title(self.title, fontsize=10)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self
