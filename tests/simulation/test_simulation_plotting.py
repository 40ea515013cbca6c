"""SimulationDisplay draws the paper's two panels; assertions on the artists (Agg backend)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from dlcost.plotting.simulation import MODEL_COLORS, SimulationDisplay


def test_two_panels_with_one_line_per_model(pyplot: Any, small_result: Any) -> None:
    display = SimulationDisplay.from_result(small_result)
    assert display is not None and len(display.axes_) == 2
    data_ax, compute_ax = display.axes_
    assert display.figure_ is data_ax.figure
    assert data_ax.get_xscale() == "log" and compute_ax.get_xscale() == "log"
    assert data_ax.get_xlabel() == "Number of data points, n"
    assert compute_ax.get_xlabel() == "Computation per fit (FLOP)"
    assert set(display.lines_) == {"oracle", "expert", "flexible", "lasso"}
    for model, (line_n, line_flop) in display.lines_.items():
        perf = small_result.performance(model)
        keep = np.isfinite(perf)
        np.testing.assert_array_equal(line_n.get_xdata(), small_result.n[keep])
        np.testing.assert_allclose(line_n.get_ydata(), perf[keep])
        np.testing.assert_allclose(line_flop.get_xdata(), small_result.mean_flop(model)[keep])
        assert line_n.get_color() == MODEL_COLORS[model]
        assert len(display.bands_[model]) == 2
    labels = [t.get_text() for t in data_ax.get_legend().get_texts()]
    assert labels[0] == "Oracle (4 true features)" and "Expert (3 right + 1 wrong)" in labels


def test_draws_on_given_axes_and_honours_kwargs(pyplot: Any, small_result: Any) -> None:
    fig, axes = pyplot.subplots(1, 2)
    display = SimulationDisplay.from_result(
        small_result,
        axes,
        models=["oracle", "expert"],
        band=False,
        line_kwargs={"linewidth": 4},
    )
    assert display.figure_ is fig and list(display.axes_) == list(axes)
    assert set(display.lines_) == {"oracle", "expert"}
    assert all(line.get_linewidth() == 4 for lines in display.lines_.values() for line in lines)
    assert display.bands_ == {"oracle": [], "expert": []}


def test_single_panel_on_one_axes(pyplot: Any, small_result: Any) -> None:
    _, ax = pyplot.subplots()
    display = SimulationDisplay.from_result(small_result, ax=ax, panel="compute")
    assert display.axes_ == [ax] and ax.get_xlabel() == "Computation per fit (FLOP)"
    assert all(len(lines) == 1 for lines in display.lines_.values())


def test_wrong_axes_are_refused(pyplot: Any, small_result: Any) -> None:
    _, axes = pyplot.subplots(1, 3)
    with pytest.raises(ValueError, match="two Axes"):
        SimulationDisplay.from_result(small_result, axes)
    with pytest.raises(ValueError, match="either ax"):
        SimulationDisplay.from_result(small_result, axes[:2], ax=axes[2])
