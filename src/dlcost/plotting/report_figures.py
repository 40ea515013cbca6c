# Over 600 lines: two modules in one until issue #17 splits the static renderer from the figures.
"""Plotly figures the report needs that no other module draws, and their static renders.

The report shows interactive plotly figures and writes every one of them as PNG and SVG too.
kaleido (plotly's own image export) needs a browser download, so the static files are drawn by
matplotlib from the *same* plotly figure by :func:`to_matplotlib`: one figure object, two
renderings, no second copy of any number.

Strings that come from data (model names, paper titles) are HTML-escaped with
:func:`plotly_text` before they reach a plotly figure, because plotly renders a subset of HTML
in labels and hover boxes; escaped, a name such as ``<b>x</b>`` shows as typed.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from dlcost import formatting as fmt

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure as MplFigure

#: Colours of the report (colour-blind-safe Okabe–Ito palette, in this order).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
           "#000000")
FONT_FAMILY = ("system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, "
               "sans-serif")


def plotly_text(value: Any) -> str:
    """A data string made safe to show in plotly labels and hover boxes (HTML-escaped)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=False)


def base_layout(**overrides: Any) -> dict[str, Any]:
    """The report's plotly layout defaults: quiet grid, readable fonts, room for the legend."""
    layout: dict[str, Any] = {
        "template": "simple_white",
        "font": {"family": FONT_FAMILY, "size": 13, "color": "#1f2328"},
        "margin": {"l": 70, "r": 20, "t": 40, "b": 60},
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 12}, "align": "left"},
        "legend": {"bgcolor": "rgba(255,255,255,0.8)", "font": {"size": 12}},
        "colorway": list(PALETTE),
    }
    layout.update(overrides)
    return layout


# --- plotly → matplotlib ------------------------------------------------------------------------

_TAG = re.compile(r"<[^<>]*>")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_RGBA = re.compile(r"rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)")
_DASHES: dict[str, Any] = {"solid": "-", "dash": "--", "dot": ":", "dashdot": "-.",
                           "longdash": (0, (8, 3)), "longdashdot": (0, (8, 3, 1, 3))}
_SYMBOLS = {"circle": "o", "square": "s", "diamond": "D", "triangle-up": "^",
            "triangle-down": "v", "x": "x", "cross": "P", "star": "*", "hexagon": "h",
            "pentagon": "p", "triangle-left": "<", "triangle-right": ">", "line-ns": "|",
            "line-ew": "_"}
#: Plotly sizes are pixels; at the 100 dpi of the static files one pixel is 0.72 pt.
_PT_PER_PX = 0.72


def _text(value: Any) -> str:
    """Plotly's pseudo-HTML as plain text for matplotlib (tags dropped, entities decoded)."""
    if value is None:
        return ""
    text = _TAG.sub("", _BR.sub("\n", str(value)))
    # matplotlib reads $…$ as mathtext; a literal dollar sign must be escaped.
    return html.unescape(text).replace("$", r"\$")


def _color(value: Any, default: Any = None) -> Any:
    """A plotly colour string as something matplotlib accepts (rgba(…) → a tuple)."""
    if value is None:
        return default
    if isinstance(value, str):
        m = _RGBA.fullmatch(value.strip())
        if m:
            r, g, b = (float(m.group(i)) / 255 for i in (1, 2, 3))
            return (r, g, b, float(m.group(4)) if m.group(4) else 1.0)
        return value
    if isinstance(value, Sequence):
        return [_color(v, default) for v in value]
    return default


def _axis_key(ref: str, letter: str) -> str:
    """``"x2"`` → ``"xaxis2"``; ``"x"`` → ``"xaxis"``."""
    return f"{letter}axis{ref[1:]}"


def _title(obj: Any) -> str:
    if isinstance(obj, Mapping):
        return _text(obj.get("text"))
    return _text(obj)


def _values(seq: Any) -> list[Any]:
    if seq is None:
        return []
    if isinstance(seq, Mapping) and "bdata" in seq:  # plotly's typed-array encoding
        import base64

        import numpy as np

        raw = np.frombuffer(base64.b64decode(seq["bdata"]), dtype=np.dtype(seq["dtype"]))
        return raw.reshape(seq["shape"]).tolist() if "shape" in seq else raw.tolist()
    return [None if isinstance(v, float) and math.isnan(v) else v for v in list(seq)]


def _dates(values: list[Any]) -> list[Any]:
    """Plotly date strings as numpy datetimes (matplotlib would read strings as categories)."""
    import numpy as np

    return [np.datetime64("NaT") if v is None else np.datetime64(str(v)[:10]) for v in values]


def _to_float(values: list[Any]) -> list[float]:
    return [math.nan if v is None else float(v) for v in values]


def _data_coord(value: Any, axis: Mapping[str, Any]) -> Any:
    """Annotations and shapes on a log axis are given in log10 units by plotly."""
    if value is None:
        return None
    if axis.get("type") == "log":
        return 10 ** float(value)
    return value


def to_matplotlib(
    figure: Any,
    *,
    width_in: float = 9.0,
    height_in: float | None = None,
) -> MplFigure:
    """Draw a plotly figure with matplotlib, for PNG and SVG files without kaleido.

    Covers what the report's figures use: scatter traces (markers, lines, text, error bars,
    ``fill`` = ``tonexty``/``toself``/``tozeroy``), bars, log axes, several axes placed by their
    ``domain``, annotations, line/rect shapes and the legend. Hover-only content is dropped.
    """
    from matplotlib.figure import Figure

    spec = figure.to_plotly_json() if hasattr(figure, "to_plotly_json") else dict(figure)
    layout: dict[str, Any] = dict(spec.get("layout") or {})
    traces = list(spec.get("data") or [])
    height_px = float(layout.get("height") or 480)
    width_px = float(layout.get("width") or 900)
    if height_in is None:
        height_in = width_in * height_px / width_px
    fig = Figure(figsize=(width_in, height_in), dpi=100)
    fig.patch.set_facecolor("white")

    pairs: list[tuple[str, str]] = []
    for trace in traces:
        pair = (trace.get("xaxis") or "x", trace.get("yaxis") or "y")
        if pair not in pairs:
            pairs.append(pair)
    if not pairs:
        pairs = [("x", "y")]
    margin = layout.get("margin") or {}
    left = float(margin.get("l", 70)) / width_px
    right = 1 - float(margin.get("r", 20)) / width_px
    bottom = float(margin.get("b", 60)) / height_px
    top = 1 - float(margin.get("t", 40)) / height_px
    axes: dict[tuple[str, str], Axes] = {}
    for xref, yref in pairs:
        xa = layout.get(_axis_key(xref, "x")) or {}
        ya = layout.get(_axis_key(yref, "y")) or {}
        x0, x1 = xa.get("domain") or (0.0, 1.0)
        y0, y1 = ya.get("domain") or (0.0, 1.0)
        gap_x = 0.06 if (x0, x1) != (0.0, 1.0) else 0.0
        gap_y = 0.08 if (y0, y1) != (0.0, 1.0) else 0.0
        rect = (left + (right - left) * x0 + (gap_x if x0 > 0 else 0),
                bottom + (top - bottom) * y0 + (gap_y if y0 > 0 else 0),
                (right - left) * (x1 - x0) - gap_x,
                (top - bottom) * (y1 - y0) - gap_y)
        ax = fig.add_axes(rect)
        _style_axis(ax, xa, "x")
        _style_axis(ax, ya, "y")
        axes[(xref, yref)] = ax

    previous: dict[tuple[str, str], tuple[list[Any], list[float]]] = {}
    stacks: dict[tuple[str, str], dict[Any, list[float]]] = {}
    n_bars = sum(1 for t in traces if t.get("type") == "bar")
    bar_index = 0
    for index, trace in enumerate(traces):
        if trace.get("visible") in (False, "legendonly"):
            continue
        pair = (trace.get("xaxis") or "x", trace.get("yaxis") or "y")
        ax = axes[pair]
        color = PALETTE[index % len(PALETTE)]
        kind = trace.get("type") or "scatter"
        trace = dict(trace)
        for letter, ref in (("x", pair[0]), ("y", pair[1])):
            if (layout.get(_axis_key(ref, letter)) or {}).get("type") == "date":
                trace[letter] = _dates(_values(trace.get(letter)))
        if kind in ("scatter", "scattergl"):
            _draw_scatter(ax, trace, color, previous.get(pair))
            previous[pair] = (_values(trace.get("x")), _to_float(_values(trace.get("y"))))
        elif kind == "bar":
            _draw_bar(ax, trace, color, bar_index, n_bars, layout.get("barmode"),
                      stacks.setdefault(pair, {}))
            bar_index += 1

    for (xref, yref), ax in axes.items():
        xa = layout.get(_axis_key(xref, "x")) or {}
        ya = layout.get(_axis_key(yref, "y")) or {}
        _apply_range(ax, xa, "x")
        _apply_range(ax, ya, "y")
    _draw_annotations(fig, axes, layout)
    _draw_shapes(fig, axes, layout)

    title = _title(layout.get("title"))
    if title:
        fig.suptitle(title, x=left, ha="left", fontsize=12, fontweight="bold")
    if layout.get("showlegend", True):
        legend = layout.get("legend") or {}
        handles: list[Any] = []
        labels: list[str] = []
        for ax in axes.values():
            h, lab = ax.get_legend_handles_labels()
            handles += h
            labels += lab
        if handles and legend.get("orientation") == "h":
            # plotly puts a horizontal legend under the plot, in the bottom margin.
            first = next(iter(axes.values()))
            first.legend(handles, labels, fontsize=8, frameon=False, loc="upper left",
                         bbox_to_anchor=(0.0, -0.16), ncol=min(len(handles), 2))
        elif handles:
            next(iter(axes.values())).legend(handles, labels, fontsize=8, frameon=True,
                                             framealpha=0.85, loc="best")
    return fig


def _style_axis(ax: Axes, spec: Mapping[str, Any], letter: str) -> None:
    if spec.get("type") == "log":
        (ax.set_xscale if letter == "x" else ax.set_yscale)("log")
    label = _title(spec.get("title"))
    if label:
        (ax.set_xlabel if letter == "x" else ax.set_ylabel)(label, fontsize=10)
    if spec.get("showgrid", True):
        ax.grid(True, axis=letter, color="#e5e7eb", linewidth=0.6)  # type: ignore[arg-type]
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=9)
    tickvals, ticktext = spec.get("tickvals"), spec.get("ticktext")
    if tickvals is not None and ticktext is not None:
        vals, texts = _values(tickvals), [_text(t) for t in _values(ticktext)]
        if letter == "x":
            ax.set_xticks(vals, texts)
        else:
            ax.set_yticks(vals, texts)
        ax.minorticks_off()


def _apply_range(ax: Axes, spec: Mapping[str, Any], letter: str) -> None:
    rng = spec.get("range")
    if not rng or rng[0] is None or rng[1] is None:
        return
    lo, hi = float(rng[0]), float(rng[1])
    if spec.get("type") == "log":
        lo, hi = 10**lo, 10**hi
    (ax.set_xlim if letter == "x" else ax.set_ylim)(lo, hi)


def _draw_scatter(
    ax: Axes,
    trace: Mapping[str, Any],
    default_color: str,
    previous: tuple[list[float], list[float]] | None,
) -> None:
    xs = _values(trace.get("x"))
    ys = _to_float(_values(trace.get("y")))
    if not xs or not ys:
        return
    mode = trace.get("mode") or ("lines+markers" if len(xs) < 20 else "lines")
    line = trace.get("line") or {}
    marker = trace.get("marker") or {}
    label = _text(trace.get("name")) if trace.get("showlegend", True) is not False else None
    if not label:
        label = None
    opacity = float(trace.get("opacity", 1.0))
    fill = trace.get("fill")
    fill_color = _color(trace.get("fillcolor"), _color(line.get("color"), default_color))
    if fill in ("tonexty", "tonextx") and previous is not None:
        px, py = previous
        poly_x = list(px) + list(reversed(xs))
        poly_y = list(py) + list(reversed(ys))
        ax.fill(poly_x, poly_y, color=fill_color, alpha=None if isinstance(fill_color, tuple)
                else 0.2, linewidth=0, label=label)
        label = None
    elif fill == "toself":
        ax.fill(xs, ys, color=fill_color, alpha=None if isinstance(fill_color, tuple)
                else 0.2, linewidth=0, label=label)
        label = None
    elif fill == "tozeroy":
        ax.fill_between(xs, ys, 0, color=fill_color, alpha=0.2, linewidth=0)
    if "lines" in mode and float(line.get("width", 2) or 0) > 0:
        ax.plot(xs, ys, color=_color(line.get("color"), default_color),
                linestyle=_DASHES.get(line.get("dash") or "solid", "-"),
                linewidth=float(line.get("width", 2)) * _PT_PER_PX * 1.2,
                alpha=opacity, label=label, zorder=2)
        label = None
    if "markers" in mode:
        symbol = str(marker.get("symbol") or "circle")
        hollow = symbol.endswith("-open")
        size = marker.get("size", 6)
        sizes = ([(float(s) * _PT_PER_PX) ** 2 for s in _values(size)]
                 if isinstance(size, Sequence | Mapping) else (float(size) * _PT_PER_PX) ** 2)
        color = _color(marker.get("color"), default_color)
        edge = _color((marker.get("line") or {}).get("color"), "white")
        kwargs: dict[str, Any] = {
            "marker": _SYMBOLS.get(symbol.removesuffix("-open"), "o"),
            "s": sizes, "alpha": float(marker.get("opacity", opacity)), "zorder": 3,
            "linewidths": 0.6, "label": label,
        }
        if kwargs["marker"] in ("|", "_", "x", "+"):  # line markers: colour only, no faces
            kwargs.update(color=color)
        elif hollow:
            kwargs.update(facecolors="none", edgecolors=color)
        elif isinstance(color, list) and color and isinstance(color[0], int | float):
            kwargs.update(c=color, cmap="viridis", edgecolors=edge)
        else:
            kwargs.update(color=color, edgecolors=edge)
        ax.scatter(xs, ys, **kwargs)
        label = None
    for key, direction in (("error_y", "y"), ("error_x", "x")):
        err = trace.get(key) or {}
        if err.get("visible", True) and err.get("array") is not None:
            plus = _to_float(_values(err.get("array")))
            minus = (_to_float(_values(err.get("arrayminus")))
                     if err.get("arrayminus") is not None else plus)
            bars = {f"{direction}err": [minus, plus]}
            ax.errorbar(xs, ys, fmt="none", ecolor=_color(err.get("color"), "#6b7280"),
                        elinewidth=0.8, capsize=2, **bars)  # type: ignore[arg-type]
    if "text" in mode:
        texts = trace.get("text")
        labels = _values(texts) if isinstance(texts, Sequence | Mapping) and not isinstance(
            texts, str) else [texts] * len(xs)
        positions = trace.get("textposition") or "top center"
        if isinstance(positions, str):
            positions = [positions] * len(xs)
        font = trace.get("textfont") or {}
        for x, y, t, position in zip(xs, ys, labels, positions, strict=False):
            if not t or x is None or math.isnan(y):
                continue
            va = "bottom" if position.startswith("top") else (
                "top" if position.startswith("bottom") else "center")
            ha = "left" if position.endswith("right") else (
                "right" if position.endswith("left") else "center")
            ax.annotate(_text(t), (x, y), fontsize=float(font.get("size", 10)) * 0.75,
                        ha=ha, va=va, color=_color(font.get("color"), "#374151"),
                        xytext=(3 if ha == "left" else (-3 if ha == "right" else 0),
                                3 if va == "bottom" else (-3 if va == "top" else 0)),
                        textcoords="offset points", zorder=4)


def _draw_bar(
    ax: Axes,
    trace: Mapping[str, Any],
    default_color: str,
    position: int,
    count: int,
    barmode: str | None,
    stack: dict[Any, list[float]],
) -> None:
    """Bars, grouped side by side (plotly's default) or stacked (``relative``/``stack``)."""
    import numpy as np

    horizontal = trace.get("orientation") == "h"
    cats = _values(trace.get("y") if horizontal else trace.get("x"))
    vals = _to_float(_values(trace.get("x") if horizontal else trace.get("y")))
    marker = trace.get("marker") or {}
    color = _color(marker.get("color"), default_color)
    label = _text(trace.get("name")) if trace.get("showlegend", True) is not False else None
    numeric = all(isinstance(c, int | float) for c in cats)
    places = np.asarray(cats, dtype=float) if numeric else np.arange(len(cats), dtype=float)
    width = 0.8
    bases = [0.0] * len(vals)
    if barmode in ("relative", "stack"):
        for i, (c, v) in enumerate(zip(cats, vals, strict=True)):
            pos_neg = stack.setdefault(c, [0.0, 0.0])
            side = 0 if (v >= 0 or barmode == "stack") else 1
            bases[i] = pos_neg[side]
            pos_neg[side] += v
    elif count > 1:
        width = 0.8 / count
        places = places - 0.4 + width * (position + 0.5)
    if horizontal:
        bars = ax.barh(places, vals, height=width, left=bases, color=color, label=label or None)
    else:
        bars = ax.bar(places, vals, width=width, bottom=bases, color=color, label=label or None)
    if not numeric:
        ticks = np.arange(len(cats))
        names = [_text(c) for c in cats]
        if horizontal:
            ax.set_yticks(ticks, names)
        else:
            ax.set_xticks(ticks, names)
    texts = trace.get("text")
    if texts is not None and not isinstance(texts, str):
        ax.bar_label(bars, labels=[_text(t) for t in _values(texts)], fontsize=8, padding=2)


def _ref_transform(fig: MplFigure, axes: Mapping[tuple[str, str], Axes], xref: str, yref: str,
                   layout: Mapping[str, Any]) -> tuple[Any, Axes | None]:
    """The matplotlib transform for plotly's (xref, yref) pair."""
    from matplotlib.transforms import blended_transform_factory

    def axis_for(ref: str, letter: str) -> Axes | None:
        name = ref.split(" ")[0]
        for (xr, yr), ax in axes.items():
            if (xr if letter == "x" else yr) == name:
                return ax
        return None

    xax = None if xref == "paper" else axis_for(xref, "x")
    yax = None if yref == "paper" else axis_for(yref, "y")
    host = xax or yax
    if host is None:
        return fig.transFigure, None
    xt = (fig.transFigure if xax is None else
          (xax.transAxes if xref.endswith("domain") else xax.transData))
    yt = (fig.transFigure if yax is None else
          (yax.transAxes if yref.endswith("domain") else yax.transData))
    return blended_transform_factory(xt, yt), host


def _draw_annotations(fig: MplFigure, axes: Mapping[tuple[str, str], Axes],
                      layout: Mapping[str, Any]) -> None:
    for note in layout.get("annotations") or []:
        xref, yref = note.get("xref", "x"), note.get("yref", "y")
        transform, host = _ref_transform(fig, axes, xref, yref, layout)
        xa = layout.get(_axis_key(xref.split(" ")[0], "x")) or {} if xref != "paper" else {}
        ya = layout.get(_axis_key(yref.split(" ")[0], "y")) or {} if yref != "paper" else {}
        x = note.get("x", 0.5)
        y = note.get("y", 0.5)
        if not xref.endswith(("paper", "domain")):
            x = _data_coord(x, xa)
        if not yref.endswith(("paper", "domain")):
            y = _data_coord(y, ya)
        font = note.get("font") or {}
        xanchor = note.get("xanchor", "center")
        yanchor = note.get("yanchor", "middle")
        target = host if host is not None else fig
        target.text(x, y, _text(note.get("text")), transform=transform,
                    fontsize=float(font.get("size", 11)) * 0.78,
                    color=_color(font.get("color"), "#374151"),
                    ha={"auto": "center"}.get(xanchor, xanchor),
                    va={"middle": "center", "auto": "center"}.get(yanchor, yanchor),
                    zorder=5)


def _draw_shapes(fig: MplFigure, axes: Mapping[tuple[str, str], Axes],
                 layout: Mapping[str, Any]) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    for shape in layout.get("shapes") or []:
        xref, yref = shape.get("xref", "x"), shape.get("yref", "y")
        transform, host = _ref_transform(fig, axes, xref, yref, layout)
        xa = layout.get(_axis_key(xref.split(" ")[0], "x")) or {} if xref != "paper" else {}
        ya = layout.get(_axis_key(yref.split(" ")[0], "y")) or {} if yref != "paper" else {}
        coords = []
        for key, axis, ref in (("x0", xa, xref), ("x1", xa, xref), ("y0", ya, yref),
                               ("y1", ya, yref)):
            value = shape.get(key, 0)
            coords.append(value if ref.endswith(("paper", "domain")) else
                          _data_coord(value, axis))
        x0, x1, y0, y1 = coords
        line = shape.get("line") or {}
        color = _color(line.get("color"), "#6b7280")
        target = host if host is not None else fig
        if shape.get("type") == "rect":
            target.add_artist(Rectangle(
                (x0, y0), x1 - x0, y1 - y0, transform=transform, linewidth=0,
                facecolor=_color(shape.get("fillcolor"), (0.5, 0.5, 0.5, 0.1)), zorder=0))
        else:
            target.add_artist(Line2D(
                [x0, x1], [y0, y1], transform=transform, color=color,
                linestyle=_DASHES.get(line.get("dash") or "solid", "-"),
                linewidth=float(line.get("width", 1.5)) * _PT_PER_PX, zorder=1))


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
            fillcolor=_rgba(color, 0.16),
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


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


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
                 "color": _rgba(PALETTE[1], 0.6), "thickness": 2, "width": 0},
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
                 "color": _rgba(PALETTE[0], 0.6), "thickness": 2, "width": 0},
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
                     "color": _rgba(PALETTE[1], 0.6), "thickness": 2, "width": 0},
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
                                     fillcolor=_rgba(color, 0.18), showlegend=False,
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
