"""The report's plotly figures: one builder per figure, listed in :data:`REPORT_FIGURES`.

Strings that come from data (model names, paper titles) are HTML-escaped with
:func:`~dlcost.plotting.style.plotly_text` before they reach a plotly figure, because plotly
renders a subset of HTML in labels and hover boxes; escaped, a name such as ``<b>x</b>``
shows as typed. Colours, labels and layout defaults come from :mod:`dlcost.plotting.style`;
the static PNG/SVG files are drawn by :mod:`dlcost.plotting.static`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from dlcost import formatting as fmt
from dlcost.plotting.static import to_matplotlib  # the figures' static renderer, re-exported
from dlcost.plotting.style import (
    FONT_FAMILY,
    PALETTE,
    base_layout,
    plotly_text,
    rgba,
)

__all__ = ["FONT_FAMILY", "PALETTE", "REPORT_FIGURES", "base_layout", "plotly_text",
           "to_matplotlib"]

# --- figures ------------------------------------------------------------------------------------


def _log_axis(title: str, **extra: Any) -> dict[str, Any]:
    axis: dict[str, Any] = {"type": "log", "title": {"text": title}, "showgrid": True,
                            "gridcolor": "#eef0f3", "exponentformat": "power", "ticks": "outside"}
    axis.update(extra)
    return axis


def _linear_axis(title: str, **extra: Any) -> dict[str, Any]:
    axis: dict[str, Any] = {"title": {"text": title}, "showgrid": True, "gridcolor": "#eef0f3",
                            "zeroline": False, "ticks": "outside"}
    axis.update(extra)
    return axis


#: Scores offered as y-axis ticks of the scaling figures (percent, or BLEU points).
_SCORE_TICKS = (10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 88, 90, 92, 94, 95, 96, 97, 98, 99, 99.5)
#: Fields of the details panel a click opens (indices into each point's customdata).
POINT_DETAIL = {"title": 0, "fields": [["Paper", 1, 2], ["Year", 3], ["Score", 7],
                                       ["Compute", 4], ["How it was counted", 5],
                                       ["Inputs", 6]]}


def _score_text(score: float, metric_label: str) -> str:
    return f"{score:.4g}%" if "%" in metric_label else f"{score:.4g}"


def metric_ticks(performance: Any, benchmark: Any) -> tuple[list[float], list[str]]:
    """Ticks of a log10(1/err) axis written in the benchmark's own metric (80 % for 0.2 err).

    ``benchmark`` is a :class:`dlcost.benchmarks.Benchmark`: its ``error_from_score`` maps a
    tick's score to the error it stands for.
    """
    import numpy as np

    values = np.asarray([p for p in performance if p is not None and math.isfinite(p)])
    if values.size == 0:
        return [], []
    lo, hi = float(values.min()), float(values.max())
    pad = max(0.05 * (hi - lo), 0.01)
    chosen: list[tuple[float, str]] = []
    for score in _SCORE_TICKS:
        error = benchmark.error_from_score(score)
        if not 0 < error < 1:
            continue
        p = -math.log10(error)
        if lo - pad <= p <= hi + pad:
            chosen.append((p, _score_text(score, benchmark.metric_label)))
    if len(chosen) > 8:
        step = math.ceil(len(chosen) / 8)
        chosen = chosen[::step]
    return [c[0] for c in chosen], [c[1] for c in chosen]


#: Most state-of-the-art points labelled with their model name (more would overlap).
MAX_LABELS = 8


def _label_mask(compute: Any, limit: int) -> list[bool]:
    """Which of the (compute-sorted) points get a text label: at most ``limit``, spread out."""
    import numpy as np

    n = len(compute)
    if n <= limit:
        return [True] * n
    keep = set(np.unique(np.linspace(0, n - 1, limit).round().astype(int)).tolist())
    return [i in keep for i in range(n)]


def _label_positions(x: Any, all_x: Any) -> list[str]:
    """Labels point inwards (right in the left half, left in the right half), alternating
    above and below, so that they stay inside the plot and overlap less."""
    import numpy as np

    lo, hi = np.log10(np.min(all_x)), np.log10(np.max(all_x))
    middle = (lo + hi) / 2
    return [("top " if i % 2 == 0 else "bottom ") + ("right" if np.log10(v) < middle else "left")
            for i, v in enumerate(x)]


def scaling_figure(
    points: Any,
    fits: Mapping[str, Any],
    benchmark: Any,
    *,
    measure_label: str,
    frontier: Any = None,
) -> Any:
    """Error against compute for one benchmark, the state of the art labelled, fits with bands.

    The y axis is log10(1/error) — :meth:`dlcost.fitting.PolynomialFit.response` — with ticks
    written in the benchmark's metric, as Thompson et al. drew it; every fit's curve and band
    are drawn on that axis whatever its own response.

    Parameters
    ----------
    points : DataFrame
        A :class:`dlcost.fitting.ScalingData` frame (``model, paper_title, paper_url, year,
        error, compute_flop, compute_method, state_of_the_art``), optionally with
        ``compute_detail`` (how the compute was counted) for the hover box.
    fits : mapping
        ``{"polynomial": fit, "exponential": fit}``: fitted :class:`dlcost.fitting`
        objects with a bootstrap (``predict``, ``predict_band``, ``r2_``, ``n_``).
    benchmark : dlcost.benchmarks.Benchmark
    measure_label : str
        What the x axis measures ("hardware burden", …).
    frontier : fit, optional
        The power law fitted to the state-of-the-art results only (``variant="frontier"``),
        drawn over the range of those results.
    """
    import numpy as np
    import plotly.graph_objects as go

    from dlcost.fitting import PolynomialFit

    performance = PolynomialFit.response
    fig = go.Figure()
    frame = points.sort_values("compute_flop", kind="stable")
    perf = performance(frame["error"].to_numpy(dtype=float))
    sota = frame["state_of_the_art"].to_numpy(dtype=bool)
    metric = benchmark.metric_label.replace(" (%)", "")

    def hover_and_data(rows: Any) -> tuple[list[str], list[list[Any]]]:
        texts, custom = [], []
        for _, row in rows.iterrows():
            score = benchmark.score_from_error(float(row["error"]))
            score_text = f"{metric} {_score_text(score, benchmark.metric_label)}"
            year = "" if row.get("year") is None or (isinstance(row["year"], float)
                                                     and math.isnan(row["year"])) \
                else str(int(row["year"]))
            compute = fmt.quantity(float(row["compute_flop"]), "FLOP", style="html")
            how = f"{measure_label}, {row.get('compute_method') or 'observed'}"
            detail = _plain(row.get("compute_detail"))
            texts.append(
                f"<b>{plotly_text(row['model'])}</b><br>"
                f"{plotly_text(_shorten(_plain(row.get('paper_title')), 80))}"
                f"<br>{year} · {plotly_text(score_text)}<br>{compute} ({plotly_text(how)})"
                + (f"<br>{plotly_text(_shorten(detail))}" if detail else "")
            )
            custom.append([_plain(row["model"]), _plain(row.get("paper_title")),
                           _plain(row.get("paper_url")), year, compute, how, detail,
                           score_text])
        return texts, custom

    for is_sota, name, style in (
        (False, "Other results", {"color": "#9aa4b1", "size": 7, "symbol": "circle",
                                  "opacity": 0.85}),
        (True, "State of the art when published", {"color": PALETTE[0], "size": 9,
                                                   "symbol": "circle",
                                                   "line": {"color": "white", "width": 1}}),
    ):
        mask = sota == is_sota
        if not mask.any():
            continue
        rows = frame[mask]
        texts, custom = hover_and_data(rows)
        labels = None
        if is_sota:
            shown = _label_mask(rows["compute_flop"].to_numpy(), MAX_LABELS)
            labels = [plotly_text(m) if keep else "" for m, keep in zip(rows["model"], shown,
                                                                          strict=True)]
        fig.add_trace(go.Scatter(
            x=rows["compute_flop"].to_numpy(dtype=float), y=perf[mask],
            mode="markers+text" if is_sota else "markers",
            name=name, marker=style, text=labels,
            textposition=_label_positions(rows["compute_flop"].to_numpy(dtype=float),
                                          frame["compute_flop"].to_numpy(dtype=float))
            if is_sota else None,
            textfont={"size": 10, "color": "#3d4652"},
            hovertext=texts, hovertemplate="%{hovertext}<extra></extra>",
            customdata=custom, meta={"detail": POINT_DETAIL},
        ))
    if frontier is not None:
        span = np.log10(frontier.data_["compute_flop"].to_numpy(dtype=float))
        x = np.logspace(span.min(), span.max(), 40)
        fig.add_trace(go.Scatter(
            x=x, y=performance(frontier.predict(x)), mode="lines",
            name=f"State-of-the-art frontier (power law on the {frontier.n_} "
                 f"state-of-the-art results)",
            line={"color": PALETTE[0], "width": 1.6, "dash": "dot"}, hoverinfo="skip",
        ))

    lo, hi = np.log10(frame["compute_flop"].min()), np.log10(frame["compute_flop"].max())
    grid = np.logspace(lo, hi, 80)
    for i, (label, fit) in enumerate(fits.items()):
        color = PALETTE[1 + i]
        low_err, high_err = (_valid_error(e) for e in fit.predict_band(grid))
        # Higher error means lower performance: the band's lower edge is the high error.
        fig.add_trace(go.Scatter(x=grid, y=performance(high_err), mode="lines",
                                 line={"width": 0}, showlegend=False, hoverinfo="skip",
                                 legendgroup=label))
        fig.add_trace(go.Scatter(
            x=grid, y=performance(low_err), mode="lines", line={"width": 0}, fill="tonexty",
            fillcolor=rgba(color, 0.16),
            name=f"{label.capitalize()} fit, {100 * (1 - fit.alpha):g}% bootstrap band",
            hoverinfo="skip", legendgroup=label, showlegend=False,
        ))
        fig.add_trace(go.Scatter(
            x=grid, y=performance(_valid_error(fit.predict(grid))), mode="lines",
            line={"color": color, "width": 2.2, "dash": "solid" if i == 0 else "dash"},
            name=f"{label.capitalize()} fit (R² = {fit.r2_:.2f}, n = {fit.n_})",
            legendgroup=label, hoverinfo="skip",
        ))

    tickvals, ticktext = metric_ticks(perf, benchmark)
    fig.update_layout(**base_layout(
        height=540,
        xaxis=_log_axis(f"Compute: {measure_label} (FLOP, log scale)"),
        yaxis=_linear_axis(f"{metric} (log scale of 1/error)", tickvals=tickvals,
                           ticktext=ticktext),
        legend={"orientation": "h", "x": 0, "y": -0.16, "xanchor": "left", "yanchor": "top",
                "font": {"size": 11}},
        margin={"l": 70, "r": 30, "t": 20, "b": 120},
        hovermode="closest",
    ))
    return fig


def _valid_error(error: Any) -> Any:
    """Errors outside (0, 1) as NaN: the exponential form's 1/err = a + b·log10(C) can fall to
    zero or below at small compute, where it predicts no error at all."""
    import numpy as np

    error = np.asarray(error, dtype=float)
    return np.where((error > 0) & (error < 1), error, np.nan)


def _plain(value: Any) -> str:
    """A data value as plain text for the click panel (set with textContent, never parsed)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _shorten(text: str, limit: int = 110) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _times_html(value: float) -> str:
    """A multiple for labels and hover text (html style: ``3.1×10⁷×``)."""
    return fmt.multiple(value, style="html")


def halving_cost_figure(
    rows: Sequence[Mapping[str, Any]],
    *,
    theory_factor: float,
    theory_label: str,
    level: str,
) -> Any:
    """How many times more compute halving the error costs, per benchmark, beside theory.

    ``rows``: one mapping per benchmark with ``name``, ``factor`` and ``factor_ci`` (a
    ``(low, high)`` pair or ``None``), as :class:`dlcost.projection.HalvingCost` gives them.
    """
    import plotly.graph_objects as go

    names = [plotly_text(r["name"]) for r in rows]
    ys = list(range(len(rows)))
    factors = [float(r["factor"]) for r in rows]
    lows = [r["factor_ci"][0] if r.get("factor_ci") else None for r in rows]
    highs = [r["factor_ci"][1] if r.get("factor_ci") else None for r in rows]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=factors, y=ys, mode="markers",
        name=f"Fitted (power law), with {level} bootstrap interval",
        marker={"color": PALETTE[1], "size": 12, "symbol": "diamond",
                "line": {"color": "white", "width": 1}},
        error_x={"type": "data", "symmetric": False,
                 "array": [None if h is None else h - f for h, f in zip(highs, factors,
                                                                         strict=True)],
                 "arrayminus": [None if lo is None else f - lo for lo, f in zip(lows, factors,
                                                                                 strict=True)],
                 "color": rgba(PALETTE[1], 0.6), "thickness": 2, "width": 0},
        hovertext=[f"<b>{n}</b><br>{fmt.multiple(f, style='html')} more compute to halve the error"
                   for n, f in zip(names, factors, strict=True)],
        hovertemplate="%{hovertext}<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        x=[theory_factor, theory_factor], y=[-0.6, len(rows) - 0.4], mode="lines",
        name=plotly_text(theory_label), line={"color": PALETTE[2], "width": 2, "dash": "dash"},
        hoverinfo="skip",
    ))
    finite = [v for v in [*factors, *lows, *highs, theory_factor]
              if v is not None and math.isfinite(v) and v > 0]
    span = [math.log10(min(finite)) - 0.5, math.log10(max(finite)) + 0.5]
    fig.update_layout(**base_layout(
        height=max(260, 70 + 46 * len(rows)),
        xaxis=_log_axis("Compute multiple needed to halve the error (log scale)", range=span),
        yaxis={"tickvals": ys, "ticktext": names, "range": [len(rows) - 0.4, -0.6],
               "showgrid": False, "ticks": "", "title": {"text": ""}},
        legend={"orientation": "h", "x": 0, "y": -0.22, "xanchor": "left", "yanchor": "top"},
        margin={"l": 110, "r": 20, "t": 20, "b": 90},
    ))
    return fig


def compute_over_time_figure(series: Sequence[Mapping[str, Any]], *, measure_label: str) -> Any:
    """Training compute of published results against their publication date, per benchmark.

    ``series``: one mapping per benchmark with ``name`` and ``points`` (a frame with ``date``
    or ``year``, ``compute_flop``, ``model`` and ``state_of_the_art``).
    """
    import pandas as pd
    import plotly.graph_objects as go


    fig = go.Figure()
    for i, s in enumerate(series):
        pts = s["points"]
        when = pd.to_datetime(pts["date"], errors="coerce") if "date" in pts else None
        if when is None or when.isna().any():
            when = pd.to_datetime(pts["year"].astype("Int64").astype(str) + "-07-01",
                                  errors="coerce")
        x = [w.strftime("%Y-%m-%d") if not pd.isna(w) else None for w in when]
        fig.add_trace(go.Scatter(
            x=x, y=pts["compute_flop"].to_numpy(dtype=float), mode="markers",
            name=plotly_text(s["name"]),
            marker={"color": PALETTE[i % len(PALETTE)], "size": 8, "opacity": 0.85,
                    "symbol": ["diamond" if v else "circle" for v in pts["state_of_the_art"]],
                    "line": {"color": "white", "width": 0.5}},
            hovertext=[f"<b>{plotly_text(m)}</b><br>{plotly_text(s['name'])} · {d or ''}<br>"
                       f"{fmt.quantity(float(c), 'FLOP', style='html')}"
                       for m, d, c in zip(pts["model"], x, pts["compute_flop"], strict=True)],
            hovertemplate="%{hovertext}<extra></extra>",
        ))
    fig.update_layout(**base_layout(
        height=460,
        xaxis=_linear_axis("Publication date", type="date"),
        yaxis=_log_axis(f"Compute: {measure_label} (FLOP, log scale)"),
        legend={"orientation": "h", "x": 0, "y": -0.18, "xanchor": "left", "yanchor": "top"},
        margin={"l": 70, "r": 20, "t": 20, "b": 100},
    ))
    return fig


def pair_decomposition_figure(pairs: Sequence[Mapping[str, Any]],
                              factor_labels: Mapping[str, str]) -> Any:
    """Each pair's hardware-burden ratio split into its factors, on a log10 scale.

    ``pairs``: mappings with ``label`` (bold), ``detail`` (the line under it), ``total`` and
    ``factors`` (``{factor: ratio}``), as :class:`dlcost.decompose.PairDecomposition` gives
    them. Bars stack the factors' log10s, so their lengths add up to the total's; a factor
    below 1 points left.
    """
    import math as _math

    import plotly.graph_objects as go

    labels = [f"<b>{plotly_text(p['label'])}</b><br>{plotly_text(_shorten(p['detail'], 48))}"
              for p in pairs]
    ys = list(range(len(pairs)))
    fig = go.Figure()
    for i, (key, label) in enumerate(factor_labels.items()):
        values = [_math.log10(p["factors"][key]) for p in pairs]
        fig.add_trace(go.Bar(
            x=values, y=ys, orientation="h", name=plotly_text(label[:1].upper() + label[1:]),
            marker={"color": PALETTE[(i + 2) % len(PALETTE)]},
            hovertext=[f"{plotly_text(label)}: {_times_html(p['factors'][key])}" for p in pairs],
            hovertemplate="%{hovertext}<extra></extra>",
        ))
    fig.add_trace(go.Scatter(
        x=[_math.log10(p["total"]) for p in pairs], y=ys, mode="markers+text",
        name="Total", marker={"color": "#1f2328", "size": 10, "symbol": "line-ns-open",
                              "line": {"width": 3, "color": "#1f2328"}},
        text=[_times_html(p["total"]) for p in pairs], textposition="middle right",
        hovertext=[f"Total: {_times_html(p['total'])} the hardware burden" for p in pairs],
        hovertemplate="%{hovertext}<extra></extra>",
    ))
    top = max([_math.log10(p["total"]) for p in pairs]
              + [sum(max(_math.log10(v), 0) for v in p["factors"].values()) for p in pairs])
    bottom = min([0.0] + [sum(min(_math.log10(v), 0) for v in p["factors"].values())
                          for p in pairs])
    ticks = list(range(_math.floor(bottom), _math.ceil(top) + 2))
    fig.update_layout(**base_layout(
        barmode="relative",
        height=max(300, 130 + 62 * len(pairs)),
        xaxis=_linear_axis("Contribution to the ratio of hardware burdens (log scale)",
                           tickvals=ticks, ticktext=[_times_html(10.0 ** t) for t in ticks],
                           range=[bottom - 0.3, top + 1.0]),
        yaxis={"tickvals": ys, "ticktext": labels, "range": [len(pairs) - 0.5, -0.5],
               "showgrid": False, "ticks": "", "title": {"text": ""}, "automargin": True},
        legend={"orientation": "h", "x": 0, "y": -0.18, "xanchor": "left", "yanchor": "top"},
        margin={"l": 20, "r": 30, "t": 20, "b": 110},
    ))
    return fig


def growth_rates_figure(rows: Sequence[Mapping[str, Any]], *, confidence: float) -> Any:
    """Growth per year of training compute and its drivers, with Epoch AI's estimates beside.

    ``rows``: mappings with ``label``, ``growth``, ``ci`` and ``epoch`` (a 10th/50th/90th
    percentile triple or ``None``), as :class:`dlcost.decompose.GrowthRate` gives them.
    """
    import plotly.graph_objects as go

    labels = [plotly_text(r["label"]) for r in rows]
    ys = list(range(len(rows)))
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=[r["growth"] for r in rows], y=ys, mode="markers",
        name=f"These data ({confidence:.0%} bootstrap interval)",
        marker={"color": PALETTE[0], "size": 11},
        error_x={"type": "data", "symmetric": False,
                 "array": [r["ci"][1] - r["growth"] for r in rows],
                 "arrayminus": [r["growth"] - r["ci"][0] for r in rows],
                 "color": rgba(PALETTE[0], 0.6), "thickness": 2, "width": 0},
        hovertext=[f"{lab}: {_times_html(r['growth'])}/year"
                   for lab, r in zip(labels, rows, strict=True)],
        hovertemplate="%{hovertext}<extra></extra>",
    ))
    epoch = [(y + 0.25, r) for y, r in zip(ys, rows, strict=True) if r.get("epoch")]
    if epoch:
        fig.add_trace(go.Scatter(
            x=[r["epoch"][1] for _, r in epoch], y=[y for y, _ in epoch], mode="markers",
            name="Epoch AI 2025 (10th–90th percentile)",
            marker={"color": PALETTE[1], "size": 9, "symbol": "diamond"},
            error_x={"type": "data", "symmetric": False,
                     "array": [r["epoch"][2] - r["epoch"][1] for _, r in epoch],
                     "arrayminus": [r["epoch"][1] - r["epoch"][0] for _, r in epoch],
                     "color": rgba(PALETTE[1], 0.6), "thickness": 2, "width": 0},
            hoverinfo="skip",
        ))
    fig.update_layout(**base_layout(
        height=max(260, 90 + 55 * len(rows)),
        xaxis=_log_axis("Growth per year (×, log scale)"),
        yaxis={"tickvals": ys, "ticktext": labels, "range": [len(rows) - 0.4, -0.6],
               "showgrid": False, "ticks": "", "title": {"text": ""}},
        legend={"orientation": "h", "x": 0, "y": -0.22, "xanchor": "left", "yanchor": "top"},
        margin={"l": 260, "r": 20, "t": 20, "b": 90},
    ))
    return fig


def simulation_figure(
    curves: Mapping[str, Mapping[str, Any]],
    *,
    colors: Mapping[str, str],
    band_se: float,
    y_label: str,
    x_labels: Mapping[str, str],
) -> Any:
    """The simulation's two panels: performance against data points and against computation.

    ``curves``: per model, ``label`` and arrays ``n``, ``flop``, ``performance``, ``se`` (as
    :class:`dlcost.simulation.SimulationResult` gives them); the band is ± ``band_se``
    standard errors. Colours and labels are those of :mod:`dlcost.plotting.simulation`.
    """
    import numpy as np
    import plotly.graph_objects as go

    fig = go.Figure()
    for panel, (xref, yref) in (("data", ("x", "y")), ("compute", ("x2", "y2"))):
        for model, c in curves.items():
            x = np.asarray(c["n"] if panel == "data" else c["flop"], dtype=float)
            perf = np.asarray(c["performance"], dtype=float)
            se = np.asarray(c["se"], dtype=float)
            color = colors.get(model, PALETTE[0])
            fig.add_trace(go.Scatter(x=x, y=perf - band_se * se, mode="lines",
                                     line={"width": 0}, showlegend=False, hoverinfo="skip",
                                     xaxis=xref, yaxis=yref, legendgroup=model))
            fig.add_trace(go.Scatter(x=x, y=perf + band_se * se, mode="lines",
                                     line={"width": 0}, fill="tonexty",
                                     fillcolor=rgba(color, 0.18), showlegend=False,
                                     hoverinfo="skip", xaxis=xref, yaxis=yref,
                                     legendgroup=model))
            unit = "data points" if panel == "data" else "FLOP per fit"
            fig.add_trace(go.Scatter(
                x=x, y=perf, mode="lines+markers", name=plotly_text(c["label"]),
                line={"color": color, "width": 2}, marker={"size": 5, "color": color},
                xaxis=xref, yaxis=yref, legendgroup=model, showlegend=panel == "data",
                hovertext=[f"<b>{plotly_text(c['label'])}</b><br>"
                           f"{fmt.sci(v, style='html', digits=3)} {unit}<br>"
                           f"performance {p:.3f}" for v, p in zip(x, perf, strict=True)],
                hovertemplate="%{hovertext}<extra></extra>",
            ))
    fig.update_layout(**base_layout(
        height=470,
        xaxis=_log_axis(x_labels["data"], domain=[0.0, 0.46], anchor="y"),
        xaxis2=_log_axis(x_labels["compute"], domain=[0.54, 1.0], anchor="y2"),
        yaxis=_linear_axis(y_label, anchor="x"),
        yaxis2=_linear_axis("", anchor="x2", matches="y"),
        legend={"orientation": "h", "x": 0, "y": -0.2, "xanchor": "left", "yanchor": "top"},
        margin={"l": 70, "r": 20, "t": 20, "b": 110},
    ))
    return fig


#: Every figure the report draws, by the name its section uses: one place to find them all.
REPORT_FIGURES = {
    "scaling": scaling_figure,
    "halving-cost": halving_cost_figure,
    "compute-over-time": compute_over_time_figure,
    "pair-decomposition": pair_decomposition_figure,
    "growth-rates": growth_rates_figure,
    "simulation": simulation_figure,
}
