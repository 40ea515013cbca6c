"""Static renders of the report's plotly figures: matplotlib PNG and SVG, without kaleido.

kaleido (plotly's own image export) needs a browser download, so the static files are drawn by
matplotlib from the *same* plotly figure by :func:`to_matplotlib`: one figure object, two
renderings, no second copy of any number. This module holds only what that needs; it takes the
figure as plotly JSON (a dict), so a worker process can render without importing plotly.

Speed (``dlcost report`` spends most of its time here): tick labels of log axes are plain text
(``10⁵``), never mathtext, whose parser cost ~18 % of a report build; and
:func:`write_static` lays a figure out once for its tight bounding box and writes every format
from that one layout instead of re-laying it out per format.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dlcost.plotting.style import PALETTE, SUPERSCRIPT

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure as MplFigure

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


_MATH_POWER = re.compile(r"10\^\{?(−?-?\d+)\}?")


def _plain_tick(label: str) -> str:
    """A mathtext tick label of matplotlib's log formatter as plain text: ``10⁵``, ``2×10⁵``."""
    if "$" not in label:
        return label
    text = label.replace("$", "").replace(r"\mathdefault", "").replace(r"\times", "×")
    text = _MATH_POWER.sub(
        lambda m: "10" + m.group(1).replace("−", "-").translate(SUPERSCRIPT), text)
    return text.replace("{", "").replace("}", "").replace("\\", "").strip()


def _plain_log_formatter() -> Any:
    """matplotlib's log-axis formatter (same ticks, same choices) emitting plain text."""
    from matplotlib.ticker import LogFormatterSciNotation

    class PlainLogFormatter(LogFormatterSciNotation):
        def __call__(self, x: float, pos: int | None = None) -> str:
            return _plain_tick(super().__call__(x, pos))

    return PlainLogFormatter


def _style_axis(ax: Axes, spec: Mapping[str, Any], letter: str) -> None:
    if spec.get("type") == "log":
        (ax.set_xscale if letter == "x" else ax.set_yscale)("log")
        axis = ax.xaxis if letter == "x" else ax.yaxis
        formatter = _plain_log_formatter()
        axis.set_major_formatter(formatter())
        axis.set_minor_formatter(formatter(labelOnlyBase=False, minor_thresholds=(2, 0.5)))
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
        # As plotly.js: a marker without a colour of its own takes its line's colour.
        color = _color(marker.get("color"), _color(line.get("color"), default_color))
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


#: Formats written for every figure, with their resolution (PNG for reading, SVG for print).
STATIC_FORMATS = (("png", 150), ("svg", 100))
#: zlib level of the PNG files: 1 instead of Pillow's 6 took ~10 % off the PNG write (0.25 s
#: of the report's 23 figures) for files ~12 % larger; the pixels are the same (tested).
PNG_COMPRESS_LEVEL = 1


def write_static(figure: Any, folder: Path, name: str) -> dict[str, Path]:
    """Write ``figure`` (plotly figure or its JSON) as ``name.png`` and ``name.svg``.

    The tight bounding box is computed from one layout pass and reused for both formats
    (``bbox_inches="tight"`` would lay the figure out again for each). SVGs are reproducible:
    fixed ids (``svg.hashsalt``) and no date.
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    written: dict[str, Path] = {}
    with matplotlib.rc_context({"svg.hashsalt": "dlcost", "svg.fonttype": "path"}):
        fig = to_matplotlib(figure)
        canvas = FigureCanvasAgg(fig)
        bbox = fig.get_tightbbox(canvas.get_renderer()).padded(0.15)
        for fmt, dpi in STATIC_FORMATS:
            path = folder / f"{name}.{fmt}"
            metadata = {"Date": None} if fmt == "svg" else {"Software": "dlcost"}
            extra: dict[str, Any] = (
                {"pil_kwargs": {"compress_level": PNG_COMPRESS_LEVEL}} if fmt == "png" else {})
            fig.savefig(path, format=fmt, dpi=dpi, metadata=metadata, bbox_inches=bbox, **extra)
            written[fmt] = path
    return written
