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


def _or(value: float | None, default: float) -> float:
    """A year, or ``default`` (the horizon) where the target is never reached."""
    return default if value is None else value


def levers_figure(plan: Plan) -> Any:
    """Plotly figure of :func:`plan_rows` (report): numeric rows with tick labels, so that the
    report's static rendering (:func:`dlcost.plotting.report_figures.to_matplotlib`) draws it."""
    import plotly.graph_objects as go

    from dlcost.plotting.report_figures import base_layout, plotly_text

    rows = plan_rows(plan)
    horizon = plan.inputs.horizon_year
    ys = list(range(len(rows)))
    fig = go.Figure()
    for name, color, pick in (("current trends", BASE_COLOR, [0]),
                              ("levers", LEVER_COLOR, ys[1:])):
        xs = [_or(rows[i].year, horizon) for i in pick]
        lo = [_or(rows[i].lo, horizon) for i in pick]
        hi = [_or(rows[i].hi, horizon) for i in pick]
        fig.add_trace(go.Scatter(
            x=xs, y=pick, mode="markers", name=f"{name} (median, 90 % interval)",
            marker={"color": color, "size": 11},
            error_x={"type": "data", "symmetric": False,
                     "array": [h - x for h, x in zip(hi, xs, strict=True)],
                     "arrayminus": [x - v for x, v in zip(xs, lo, strict=True)],
                     "color": color, "thickness": 2, "width": 0},
            hovertext=[plotly_text(f"{rows[i].label}: median "
                                   f"{'never' if rows[i].year is None else f'{x:.1f}'}")
                       for i, x in zip(pick, xs, strict=True)],
            hovertemplate="%{hovertext}<extra></extra>"))
    fig.add_trace(go.Scatter(x=[horizon, horizon], y=[-0.5, len(rows) - 0.5], mode="lines",
                             name=f"horizon ({horizon:g})",
                             line={"color": "#8c959f", "dash": "dash"}, hoverinfo="skip"))
    fig.update_layout(**base_layout(
        height=max(260, 90 + 55 * len(rows)),
        xaxis={"title": {"text": "Year the target becomes affordable"}},
        yaxis={"tickvals": ys, "ticktext": [plotly_text(r.label) for r in rows],
               "range": [len(rows) - 0.4, -0.6], "showgrid": False, "ticks": "",
               "title": {"text": ""}},
        legend={"orientation": "h", "x": 0, "y": -0.22, "xanchor": "left", "yanchor": "top"},
        margin={"l": 260, "r": 20, "t": 20, "b": 90}))
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
