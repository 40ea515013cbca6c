"""Tracked runs drawn on error-vs-compute axes (matplotlib, Agg): artists, not pixels."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from dlcost.plotting.runs import RunsDisplay, add_runs_to_scaling_figure, run_label
from dlcost.track import Placement


@pytest.fixture
def pyplot() -> Iterator[Any]:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.close("all")
    yield plt
    plt.close("all")


def _placements() -> list[Placement]:
    placed = Placement("run-a", "lean", "imagenet", "hardware_burden", 0.2, 1e19, 1e20, 0.18)
    unscored = Placement("run-b", "unscored", "imagenet", "hardware_burden", None, 1e18, None,
                         None, problem="no score logged")
    return [placed, unscored]


def test_runs_display_draws_placed_runs_only(pyplot: Any) -> None:
    _fig, ax = pyplot.subplots()
    display = RunsDisplay(_placements()).plot(ax=ax)
    assert display.ax_ is ax
    np.testing.assert_allclose(display.scatter_.get_offsets(), [[1e19, 0.2]])
    assert [p.model for p in display.skipped_] == ["unscored"]
    assert display.texts_[0].get_text() == "lean (0.1× trend)" == run_label(_placements()[0])


def test_plotly_stars_on_the_log_inverse_error_axis() -> None:
    import plotly.graph_objects as go

    fig = add_runs_to_scaling_figure(go.Figure(), _placements())
    (trace,) = fig.data
    assert list(trace.x) == [1e19]
    assert list(trace.y) == pytest.approx([np.log10(1 / 0.2)])
    assert trace.marker.symbol == "star"
    assert add_runs_to_scaling_figure(go.Figure(), _placements()[1:]).data == ()
