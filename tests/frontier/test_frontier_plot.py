"""Figures of the frontier era: what they draw, asserted on the plotly traces."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dlcost.benchmarks import LM_BENCHMARKS
from dlcost.fitting.logistic import LogisticFit
from dlcost.frontier.data import Comparability, LMData, compute_frontier
from dlcost.plotting.frontier import lm_scaling_figure, progress_figure
from dlcost.plotting.report_figures import to_matplotlib


def _data() -> LMData:
    rng = np.random.default_rng(0)
    x = np.sort(rng.uniform(21, 25, 20))
    score = 0.25 + 0.75 / (1 + np.exp(-1.2 * (x - 23))) + rng.normal(0, 0.02, 20)
    frame = pd.DataFrame({
        "model": [f"M<{i}>" for i in range(20)], "organization": "Org",
        "date": pd.Timestamp("2024-01-02"), "score": score, "compute_flop": 10 ** x,
        "shots": 5, "reasoning": None, "compute_confidence": "Confident",
        "source_name": "Paper",
    })
    frame["compute_frontier"] = compute_frontier(frame["compute_flop"].to_numpy(),
                                                 frame["score"].to_numpy())
    return LMData(frame=frame, benchmark=LM_BENCHMARKS["mmlu"], filters=Comparability())


def test_scaling_figure_marks_frontier_floor_and_hover() -> None:
    data = _data()
    fit = LogisticFit(floor=0.25, n_boot=100, random_state=0).fit(data.frame)
    fig = lm_scaling_figure(data, {"logistic": fit})
    names = [t.name for t in fig.data if t.name]
    assert any(n.startswith("Compute frontier") for n in names)
    assert "Chance level (25%)" in names
    assert any(n.startswith("Logistic, floor 25%") for n in names)
    assert fig.layout.xaxis.type == "log"
    hover = next(t for t in fig.data if (t.name or "").startswith("Compute frontier")).hovertext
    assert "M&lt;" in hover[0] and "Org" in hover[0] and "2024-01-02" in hover[0]
    assert "5-shot" in hover[0] and "source: Paper" in hover[0]
    to_matplotlib(fig)  # the static render draws from the same figure


def test_progress_figure_rows() -> None:
    fig = progress_figure([
        {"label": "ECI", "gain": 3.0, "lo": 1.7, "hi": 6.8, "kind": "ours"},
        {"label": "Epoch 2025", "gain": 5.84, "lo": 4.21, "hi": 8.10, "kind": "anchor"},
    ])
    assert [t.name for t in fig.data] == ["dlcost (this data)", "published"]
    assert list(fig.layout.yaxis.ticktext) == ["ECI", "Epoch 2025"]
