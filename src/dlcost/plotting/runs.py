"""Your own runs drawn on a benchmark's curve (matplotlib, imported lazily).

``RunsDisplay(placements).plot(ax=…)`` draws each placed run (:class:`dlcost.track.Placement`)
as a star at (its compute, its error), labelled with its model name and its compute multiple
against the trend, on the axes a :class:`~dlcost.plotting.scaling.ScalingDisplay` drew. Runs
that could not be placed (no score, no compute) are skipped and kept in ``skipped_``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dlcost.track import Placement


def run_label(p: Placement) -> str:
    """``my-resnet (0.04× trend)``: the name and the compute multiple."""
    m = p.multiple
    return f"{p.model} ({m:.2g}× trend)" if m is not None else p.model


class RunsDisplay:
    """Stars for tracked runs on error-vs-compute axes; keeps ``ax_``, ``scatter_``, ``texts_``."""

    def __init__(self, placements: Sequence[Placement]) -> None:
        self.placements = list(placements)

    def plot(self, ax: Any = None, *, scatter_kwargs: dict[str, Any] | None = None) -> RunsDisplay:
        import matplotlib.pyplot as plt

        if ax is None:
            ax = plt.gca()
        self.ax_ = ax
        placed = [p for p in self.placements if p.problem is None and p.compute_flop
                  and p.error is not None]
        self.skipped_ = [p for p in self.placements if p not in placed]
        self.scatter_ = None
        self.texts_: list[Any] = []
        if not placed:
            return self
        kwargs = {"marker": "*", "s": 220, "color": "crimson", "edgecolor": "black",
                  "zorder": 5, "label": "your runs"}
        kwargs.update(scatter_kwargs or {})
        self.scatter_ = ax.scatter([p.compute_flop for p in placed],
                                   [p.error for p in placed], **kwargs)
        for p in placed:
            self.texts_.append(ax.annotate(run_label(p), (p.compute_flop, p.error),
                                           textcoords="offset points", xytext=(6, 6),
                                           fontsize="small", color="crimson"))
        ax.legend(loc="best", fontsize="small")
        return self


def add_runs_to_scaling_figure(fig: Any, placements: Sequence[Placement]) -> Any:
    """Add tracked runs as stars to a report scaling figure (plotly; y = log10(1/error)).

    Returns ``fig``. Runs that could not be placed are left out (the report's table says why).
    """
    import plotly.graph_objects as go

    from dlcost import formatting as fmt
    from dlcost.fitting import PolynomialFit

    placed = [p for p in placements if p.problem is None and p.compute_flop
              and p.error is not None]
    if not placed:
        return fig
    hover = []
    for p in placed:
        m = p.multiple
        hover.append(f"<b>{p.model}</b> (your run {p.run_id})<br>error {p.error:.3g} with "
                     f"{fmt.quantity(p.compute_flop or 0.0, 'FLOP', style='html')}<br>"
                     + (f"{m:.3g}× the trend's compute for this error" if m is not None else ""))
    fig.add_trace(go.Scatter(
        x=[p.compute_flop for p in placed],
        y=PolynomialFit.response([float(p.error or 0.0) for p in placed]).tolist(),
        mode="markers+text", name="Your runs (dlcost track)",
        marker={"symbol": "star", "size": 15, "color": "crimson",
                "line": {"color": "black", "width": 1}},
        text=[run_label(p) for p in placed], textposition="top center",
        textfont={"size": 10, "color": "crimson"},
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
    ))
    return fig


def scaling_figure_with_runs(points: Any, fits: Any, benchmark: Any, *, measure_label: str,
                             frontier: Any = None,
                             placements: Sequence[Placement] = ()) -> Any:
    """:func:`dlcost.plotting.report_figures.scaling_figure` with tracked runs drawn on it."""
    from dlcost.plotting.report_figures import scaling_figure

    fig = scaling_figure(points, fits, benchmark, measure_label=measure_label,
                         frontier=frontier)
    return add_runs_to_scaling_figure(fig, placements)
