"""The static renders: matplotlib draws what the plotly figure holds (asserted on artists)."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
import pytest

from dlcost.plotting.report_figures import metric_ticks, plotly_text
from dlcost.plotting.static import to_matplotlib


def test_log_axes_lines_bands_and_labels() -> None:
    x = np.logspace(18, 22, 5)
    fig = go.Figure([
        go.Scatter(x=x, y=[1, 2, 3, 4, 5], mode="lines", line={"width": 0}, showlegend=False),
        go.Scatter(x=x, y=[2, 3, 4, 5, 6], mode="lines", fill="tonexty", line={"width": 0},
                   showlegend=False),
        go.Scatter(x=x, y=[1.5, 2.5, 3.5, 4.5, 5.5], mode="lines", name="fit <b>1</b>"),
        go.Scatter(x=x, y=[1, 2, 3, 4, 5], mode="markers+text", name="points",
                   text=["a", "", "c", "", "$5"]),
    ])
    fig.update_layout(xaxis={"type": "log", "title": {"text": "Compute (FLOP)"}},
                      yaxis={"title": {"text": "Accuracy"}, "tickvals": [1, 3, 5],
                             "ticktext": ["10%", "30%", "50%"]},
                      title={"text": "A &amp; B"})
    mpl = to_matplotlib(fig)
    (ax,) = mpl.axes
    assert ax.get_xscale() == "log"
    assert ax.get_xlabel() == "Compute (FLOP)"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["10%", "30%", "50%"]
    assert len(ax.patches) == 1  # the band between the first two traces
    assert [line.get_label() for line in ax.lines] == ["fit 1"]  # tags dropped
    assert [t.get_text() for t in ax.texts] == ["a", "c", r"\$5"]  # $ is not mathtext
    assert mpl._suptitle is not None and mpl._suptitle.get_text() == "A & B"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["fit 1", "points"]


def test_two_panels_by_domain_and_stacked_bars() -> None:
    fig = go.Figure([
        go.Scatter(x=[1, 10, 100], y=[0, 1, 2], xaxis="x", yaxis="y", name="left"),
        go.Scatter(x=[1e3, 1e6, 1e9], y=[0, 1, 2], xaxis="x2", yaxis="y2", name="right"),
    ])
    fig.update_layout(xaxis={"type": "log", "domain": [0, 0.45], "anchor": "y"},
                      xaxis2={"type": "log", "domain": [0.55, 1], "anchor": "y2"},
                      yaxis={"anchor": "x"}, yaxis2={"anchor": "x2"})
    left, right = to_matplotlib(fig).axes
    assert left.get_position().x1 < right.get_position().x0
    assert right.get_xscale() == "log"

    bars = go.Figure([go.Bar(x=[1.0, 2.0], y=[0, 1], orientation="h", name="speed"),
                      go.Bar(x=[-0.5, 1.0], y=[0, 1], orientation="h", name="time")])
    bars.update_layout(barmode="relative")
    (ax,) = to_matplotlib(bars).axes
    rects = ax.patches
    assert len(rects) == 4
    # The second trace starts where the first ended on its side of zero.
    assert rects[3].get_x() == pytest.approx(2.0)
    assert rects[2].get_x() == pytest.approx(0.0) and rects[2].get_width() == pytest.approx(-0.5)


def test_dates_are_dates_not_categories() -> None:
    fig = go.Figure([go.Scatter(x=["2012-07-01", "2020-01-15"], y=[1e18, 1e22],
                                mode="markers")])
    fig.update_layout(xaxis={"type": "date"}, yaxis={"type": "log"})
    (ax,) = to_matplotlib(fig).axes
    import matplotlib.dates as mdates

    lo, hi = ax.get_xlim()
    assert mdates.num2date(lo).year <= 2012 and mdates.num2date(hi).year >= 2020


def test_plotly_text_escapes_html() -> None:
    assert plotly_text("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert plotly_text(None) == "" and plotly_text(float("nan")) == ""


def test_metric_ticks_are_the_benchmark_scores() -> None:
    from dlcost.benchmarks import BENCHMARKS

    imagenet = BENCHMARKS["imagenet"]
    p = [-math.log10(0.4), -math.log10(0.1)]  # 60 % … 90 % top-1
    vals, texts = metric_ticks(p, imagenet)
    assert "60%" in texts and "90%" in texts
    for v, t in zip(vals, texts, strict=True):
        assert imagenet.error_from_score(float(t.rstrip("%"))) == pytest.approx(10 ** -v)
    _, bleu_texts = metric_ticks([-math.log10(0.8), -math.log10(0.6)],
                                         BENCHMARKS["wmt14-en-de"])
    assert bleu_texts and not any(t.endswith("%") for t in bleu_texts)


def test_log_tick_labels_are_plain_text_not_mathtext() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = go.Figure([go.Scatter(x=np.logspace(18, 22, 5), y=[1, 2, 3, 4, 5], mode="markers")])
    fig.update_layout(xaxis={"type": "log"})
    mpl = to_matplotlib(fig)
    FigureCanvasAgg(mpl).draw()
    labels = [t.get_text() for t in mpl.axes[0].get_xticklabels() if t.get_text()]
    assert "10¹⁸" in labels and "10²²" in labels
    assert not any("$" in label for label in labels)


@pytest.mark.slow
def test_the_figure_worker_writes_the_same_bytes_as_this_process(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The report renders figures in a worker process: the files equal an in-process render."""
    from dlcost.plotting.static import write_static
    from dlcost.report.build import FigureWriter
    from dlcost.report.model import ReportFigure

    fig = go.Figure([go.Scatter(x=np.logspace(18, 22, 5), y=[1, 2, 3, 4, 5], name="a")])
    fig.update_layout(xaxis={"type": "log", "title": {"text": "Compute"}})
    here = write_static(fig, tmp_path, "here")
    writer = FigureWriter(tmp_path / "report")
    figure = ReportFigure(id="there", title="t", figure=fig, maker="test")
    writer.submit(figure)
    written = writer.finish()["there"]
    assert figure.files == {"png": "figures/there.png", "svg": "figures/there.svg"}
    assert sorted(p.suffix for p in written) == [".png", ".svg"]
    for fmt, path in here.items():
        there = tmp_path / "report" / "figures" / f"there.{fmt}"
        assert there.read_bytes() == path.read_bytes()


def test_a_figure_drawn_before_is_copied_from_the_cache(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A warm rebuild copies the files of an identical figure instead of drawing it again."""
    from dlcost.report import build as build_module
    from dlcost.report.model import ReportFigure

    fig = go.Figure([go.Scatter(x=[1, 2, 3], y=[3, 1, 2], name="b")])
    first = build_module.FigureWriter(tmp_path / "one", parallel=False)
    first.submit(ReportFigure(id="f", title="t", figure=fig, maker="test"))
    first.finish()
    drawn: list[str] = []
    original = build_module._render_in_worker

    def spy(*args):  # type: ignore[no-untyped-def]
        drawn.append(args[2])
        return original(*args)

    build_module._render_in_worker = spy  # type: ignore[assignment]
    try:
        second = build_module.FigureWriter(tmp_path / "two", parallel=False)
        second.submit(ReportFigure(id="f", title="t", figure=fig, maker="test"))
        changed = go.Figure([go.Scatter(x=[1, 2, 3], y=[3, 1, 9], name="b")])
        second.submit(ReportFigure(id="g", title="t", figure=changed, maker="test"))
        second.finish()
    finally:
        build_module._render_in_worker = original  # type: ignore[assignment]
    assert drawn == ["g"]  # only the figure whose data changed was drawn
    for fmt in ("png", "svg"):
        assert (tmp_path / "two" / "figures" / f"f.{fmt}").read_bytes() == \
            (tmp_path / "one" / "figures" / f"f.{fmt}").read_bytes()


def test_the_fast_png_has_the_pixels_of_a_default_png(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The PNG is written with a cheaper zlib level: the pixels of Pillow's default level."""
    from PIL import Image

    from dlcost.plotting import static

    fig = go.Figure([go.Scatter(x=np.logspace(18, 22, 5), y=[1, 2, 3, 4, 5], name="a")])
    fig.update_layout(xaxis={"type": "log", "title": {"text": "Compute"}})
    fast = static.write_static(fig, tmp_path, "fast")["png"]
    monkeypatch.setattr(static, "PNG_COMPRESS_LEVEL", 6)  # Pillow's default
    default = static.write_static(fig, tmp_path, "default")["png"]
    assert fast.read_bytes() != default.read_bytes()
    ours, theirs = np.asarray(Image.open(fast)), np.asarray(Image.open(default))
    assert ours.shape == theirs.shape
    assert (ours == theirs).all()


def test_markers_take_their_lines_colour() -> None:
    """As in plotly.js, a marker without a colour of its own is drawn in its line's colour."""
    from matplotlib.colors import to_rgba

    fig = go.Figure([go.Scatter(x=[1, 2, 3], y=[1, 3, 2], mode="lines+markers",
                                line={"color": "#D55E00"})])
    ax = to_matplotlib(fig).axes[0]
    assert to_rgba(ax.lines[0].get_color()) == to_rgba("#D55E00")
    faces = ax.collections[0].get_facecolors()
    assert tuple(faces[0]) == to_rgba("#D55E00")
