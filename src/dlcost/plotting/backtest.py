"""The reliability diagram of dlcost's backtests: achieved against nominal coverage."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dlcost.plotting.report_figures import PALETTE, base_layout


def reliability_figure(points: pd.DataFrame) -> Any:
    """Achieved coverage of the 50/80/95 % intervals against their nominal level.

    ``points`` has one row per target and level: ``target``, ``nominal``, ``achieved`` (the
    model's own intervals) and ``calibrated`` (split-conformal, out of sample; may be NaN).
    A perfectly calibrated forecaster lies on the diagonal; below it, intervals are too narrow.
    """
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="perfect calibration",
                             line={"color": "#8c959f", "dash": "dash", "width": 1}))
    for i, (target, part) in enumerate(points.groupby("target", sort=False)):
        color = PALETTE[i % len(PALETTE)]
        part = part.sort_values("nominal")
        fig.add_trace(go.Scatter(
            x=part["nominal"], y=part["achieved"], mode="lines+markers",
            name=f"{target}: nominal", line={"color": color, "width": 1.5},
            marker={"symbol": "circle", "size": 8},
            hovertemplate="%{x:.0%} nominal → %{y:.0%} achieved<extra>" + str(target)
                          + "</extra>"))
        cal = part.dropna(subset=["calibrated"])
        if len(cal):
            fig.add_trace(go.Scatter(
                x=cal["nominal"], y=cal["calibrated"], mode="lines+markers",
                name=f"{target}: calibrated", line={"color": color, "width": 1.5, "dash": "dot"},
                marker={"symbol": "diamond", "size": 8},
                hovertemplate="%{x:.0%} nominal → %{y:.0%} after calibration<extra>"
                              + str(target) + "</extra>"))
    axis = {"range": [0, 1.02], "tickformat": ".0%", "showgrid": True, "gridcolor": "#eef0f3",
            "ticks": "outside"}
    fig.update_layout(**base_layout(
        xaxis={**axis, "title": {"text": "nominal coverage of the interval"}},
        yaxis={**axis, "title": {"text": "achieved coverage (backtests)"}}))
    return fig
