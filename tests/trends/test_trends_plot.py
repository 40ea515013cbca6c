"""Trend figures: the matplotlib display keeps its artists; the plotly figure has its traces."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt

from dlcost.plotting.trends import TrendDisplay, trend_figure
from dlcost.trends import trend


def test_trend_display_keeps_its_artists(model_store: Any) -> None:
    result = trend(model_store(), "compute", subset="all", frontier_top=3)
    fig, ax = plt.subplots()
    display = TrendDisplay.from_result(result, ax=ax)
    assert display.ax_ is ax and display.figure_ is fig
    assert ax.get_yscale() == "log"
    assert display.line_ is not None and display.band_ is not None
    assert "×/yr" in display.line_.get_label()
    assert sum(len(s.get_offsets()) for s in display.scatter_) == result.fit.n_
    plt.close(fig)


def test_trend_figure_marks_the_frontier_and_draws_the_band(model_store: Any) -> None:
    result = trend(model_store(), "compute", subset="all", breakpoint=True)
    fig = trend_figure(result)
    names = [t.name or "" for t in fig.data]
    assert any("running top 10" in n for n in names)
    assert any("band" in n for n in names)
    assert any("×/yr" in n for n in names)
    assert fig.layout.yaxis.type == "log"
    assert "<table" in result.fit._repr_html_()
