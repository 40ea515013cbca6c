"""Figures of the frontier era: language-model scores against training compute.

:func:`lm_scaling_figure` draws one benchmark: every model's score (log x), the models on the
compute frontier (no model with less compute scored higher) marked, the chance floor, the
logistic fit with its bootstrap band and the paper's power law for comparison. The hover box
gives model, organization, date, shots and source. :func:`progress_figure` sets the
algorithmic-progress estimates beside the published anchors.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from dlcost.plotting.report_figures import PALETTE, base_layout, plotly_text


def _hover(row: Any) -> str:
    date = row["date"]
    when = date.strftime("%Y-%m-%d") if hasattr(date, "strftime") and date == date else "?"
    shots = row.get("shots")
    shots_text = "" if shots is None or (isinstance(shots, float) and math.isnan(shots)) \
        else f" · {plotly_text(shots)}-shot"
    reasoning = row.get("reasoning")
    reasoning_text = f" · reasoning {plotly_text(reasoning)}" if isinstance(reasoning, str) \
        else ""
    return (f"<b>{plotly_text(row['model'])}</b> ({plotly_text(row.get('organization'))})<br>"
            f"{when} · score {100 * float(row['score']):.1f}%{shots_text}{reasoning_text}<br>"
            f"{float(row['compute_flop']):.2e} FLOP (Epoch: "
            f"{plotly_text(row.get('compute_confidence'))})<br>"
            f"source: {plotly_text(row.get('source_name'))}")


def lm_scaling_figure(data: Any, fits: Mapping[str, Any], *, height: int = 460) -> Any:
    """One language-model benchmark: points, compute frontier, floor and fitted curves.

    Parameters
    ----------
    data : dlcost.frontier.LMData
    fits : mapping
        ``{"logistic": LogisticFit, "poly": PolynomialFit, …}`` fitted on ``data`` (the
        logistic with bootstrap resamples for its band).
    """
    import numpy as np
    import plotly.graph_objects as go

    frame = data.frame.sort_values("compute_flop", kind="stable")
    fig = go.Figure()
    for on, name, style in (
        (False, "Other models", {"color": "#9aa4b1", "size": 7, "opacity": 0.85}),
        (True, "Compute frontier (no model with less compute scored higher)",
         {"color": PALETTE[0], "size": 9, "symbol": "diamond",
          "line": {"color": "white", "width": 1}}),
    ):
        rows = frame[frame["compute_frontier"] == on]
        if rows.empty:
            continue
        fig.add_trace(go.Scatter(
            x=rows["compute_flop"].to_numpy(dtype=float),
            y=100 * rows["score"].to_numpy(dtype=float), mode="markers", name=name,
            marker=style, hovertext=[_hover(r) for _, r in rows.iterrows()],
            hovertemplate="%{hovertext}<extra></extra>",
        ))
    lo = math.log10(float(frame["compute_flop"].min())) - 0.3
    hi = math.log10(float(frame["compute_flop"].max())) + 0.3
    grid = np.logspace(lo, hi, 100)
    fig.add_trace(go.Scatter(
        x=[grid[0], grid[-1]], y=[100 * data.floor] * 2, mode="lines",
        name=f"Chance level ({100 * data.floor:g}%)", hoverinfo="skip",
        line={"color": "#6e7781", "width": 1, "dash": "dot"},
    ))
    for i, (label, fit) in enumerate(fits.items()):
        color = PALETTE[1 + i]
        if label == "logistic":
            pred = fit.predict(grid)
            if fit.boot_params_ is not None:
                x = np.log10(grid)
                p = fit.boot_params_
                good = np.isfinite(p).all(axis=1)
                a, c, h = p[good, 0:1], p[good, 1:2], p[good, 2:3]
                curves = fit.floor + (h - fit.floor) / (1.0 + np.exp(-a * (x[None, :] - c)))
                band_lo, band_hi = np.quantile(curves, [fit.alpha / 2, 1 - fit.alpha / 2],
                                               axis=0)
                fig.add_trace(go.Scatter(x=grid, y=100 * band_lo, mode="lines",
                                         line={"width": 0}, showlegend=False,
                                         hoverinfo="skip"))
                fig.add_trace(go.Scatter(
                    x=grid, y=100 * band_hi, mode="lines", line={"width": 0}, fill="tonexty",
                    fillcolor=f"rgba(213,94,0,{0.16})", hoverinfo="skip", showlegend=False))
            name = (f"Logistic, floor {100 * fit.floor:g}% (n = {fit.n_}, midpoint "
                    f"{fit.midpoint_flop_:.1e} FLOP)")
        else:
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                err = np.asarray(fit.predict(grid), dtype=float)
            pred = np.where((err > 0) & (err < 1), 1.0 - err, np.nan)
            name = f"{'Power law' if label == 'poly' else 'Exponential'} on error (n = {fit.n_})"
        fig.add_trace(go.Scatter(
            x=grid, y=100 * pred, mode="lines", name=name, hoverinfo="skip",
            line={"color": color, "width": 2.2, "dash": "solid" if i == 0 else "dash"},
        ))
    fig.update_layout(**base_layout(
        height=height,
        xaxis={"type": "log", "title": {"text": "Training compute (FLOP, log scale; Epoch AI)"},
               "showgrid": True, "gridcolor": "#eef0f3", "exponentformat": "power",
               "ticks": "outside"},
        yaxis={"title": {"text": f"{data.benchmark.name}: {data.benchmark.metric_label}"},
               "range": [0, 100], "showgrid": True, "gridcolor": "#eef0f3", "ticks": "outside"},
        legend={"orientation": "h", "x": 0, "y": -0.2, "xanchor": "left", "yanchor": "top",
                "font": {"size": 11}},
        margin={"l": 70, "r": 30, "t": 20, "b": 120}, hovermode="closest",
    ))
    return fig


def progress_figure(rows: Sequence[Mapping[str, Any]]) -> Any:
    """Compute-equivalent efficiency gains per year (log x) with intervals, one row each.

    ``rows``: ``{"label", "gain", "lo", "hi", "kind"}`` with kind ``ours`` or ``anchor``.
    """
    import plotly.graph_objects as go

    fig = go.Figure()
    position = {id(r): i for i, r in enumerate(rows)}
    for kind, color, name in (("ours", PALETTE[0], "dlcost (this data)"),
                              ("anchor", PALETTE[1], "published")):
        chosen = [r for r in rows if r["kind"] == kind and r["gain"] and r["gain"] > 0]
        if not chosen:
            continue
        fig.add_trace(go.Scatter(
            x=[r["gain"] for r in chosen], y=[position[id(r)] for r in chosen],
            text=[plotly_text(r["label"]) for r in chosen],
            mode="markers", name=name, marker={"color": color, "size": 9},
            error_x={"type": "data", "symmetric": False,
                     "array": [max(r["hi"] - r["gain"], 0) for r in chosen],
                     "arrayminus": [max(r["gain"] - r["lo"], 0) for r in chosen],
                     "color": color, "thickness": 1.4},
            hovertemplate="%{text}: %{x:.3g}×/yr<extra></extra>",
        ))
    fig.update_layout(**base_layout(
        height=120 + 28 * len(rows),
        xaxis={"type": "log", "title": {"text": "Compute-equivalent gain per year (×, log)"},
               "showgrid": True, "gridcolor": "#eef0f3", "ticks": "outside"},
        yaxis={"autorange": "reversed", "automargin": True,
               "tickvals": list(range(len(rows))),
               "ticktext": [plotly_text(r["label"]) for r in rows]},
        margin={"l": 220, "r": 30, "t": 20, "b": 60},
    ))
    return fig
