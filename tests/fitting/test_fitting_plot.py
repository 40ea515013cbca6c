"""The scaling display (matplotlib, Agg) and the plotly figure: artists, not pixels."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest

from dlcost.fitting import ExponentialFit, PolynomialFit
from dlcost.plotting.scaling import ScalingDisplay


@pytest.fixture
def pyplot() -> Iterator[Any]:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.close("all")
    yield plt
    plt.close("all")


def frame(rng: np.random.Generator, n: int = 30) -> pd.DataFrame:
    x = rng.uniform(18, 23, n)
    p = -1.0 + 0.09 * x + rng.normal(0, 0.04, n)
    return pd.DataFrame({
        "compute_flop": 10.0 ** x, "error": 10.0 ** -p, "year": rng.integers(2012, 2022, n),
        "model": [f"Model {i}" for i in range(n)], "paper_title": ["A paper"] * n,
        "compute_method": ["observed"] * (n - 5) + ["imputed"] * 5,
    })


def test_display_keeps_its_artists(pyplot: Any, rng: np.random.Generator) -> None:
    fit = PolynomialFit().fit(frame(rng)).bootstrap(300, random_state=0)
    display = ScalingDisplay.from_fit(fit, extend_decades=2)
    assert display.ax_ is pyplot.gca()
    assert display.figure_ is display.ax_.figure
    assert len(display.scatter_) == 2  # observed and imputed markers
    assert display.line_ is not None and display.band_ is not None
    assert display.ax_.get_xscale() == "log" and display.ax_.get_yscale() == "log"
    assert display.ax_.get_xlabel() == "compute (FLOP)"
    x = display.line_.get_xdata()
    assert x.max() == pytest.approx(10 ** (fit.log10_compute_range_[1] + 2))
    assert "b = " in display.line_.get_label()


def test_second_fit_on_the_same_axes_without_points(pyplot: Any,
                                                     rng: np.random.Generator) -> None:
    df = frame(rng)
    _, ax = pyplot.subplots()
    first = ScalingDisplay.from_fit(PolynomialFit().fit(df), ax=ax)
    second = ScalingDisplay.from_fit(ExponentialFit().fit(df), ax=ax, points=False,
                                     line_kwargs={"color": "red"})
    assert second.ax_ is first.ax_ is ax
    assert second.scatter_ == [] and second.band_ is None  # no bootstrap: no band
    assert second.line_.get_color() == "red"
    assert len(ax.get_lines()) == 2


def test_points_only(pyplot: Any, rng: np.random.Generator) -> None:
    display = ScalingDisplay.from_results(frame(rng), scatter_kwargs={"color": "k"})
    assert display.line_ is None and len(display.scatter_) == 2
