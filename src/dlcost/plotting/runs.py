"""Your own runs drawn on a benchmark's curve (matplotlib, imported lazily).

``RunsDisplay(placements).plot(ax=…)`` draws each placed run (:class:`dlcost.track.Placement`)
as a star at (its compute, its error), labelled with its model name and its compute multiple
against the trend, on the axes a :class:`~dlcost.plotting.scaling.ScalingDisplay` drew. Runs
that could not be placed (no score, no compute) are skipped and kept in ``skipped_``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dlcost.track import Placement


def run_label(p: Placement) -> str:
    """``my-resnet (0.04× trend)``: the name and the compute multiple."""
    m = p.multiple
    return f"{p.model} ({m:.2g}× trend)" if m is not None else p.model


class RunsDisplay:
    """Stars for tracked runs on error-vs-compute axes; keeps ``ax_``, ``scatter_``, ``texts_``."""

    def __init__(self, placements: Sequence[Placement]) -> None:
        self.placements = list(placements)

    def plot(self, ax: Any = None, *, scatter_kwargs: dict[str, Any] | None = None) -> RunsDisplay:
        import matplotlib.pyplot as plt

        if ax is None:
            ax = plt.gca()
        self.ax_ = ax
        placed = [p for p in self.placements if p.problem is None and p.compute_flop
                  and p.error is not None]
        self.skipped_ = [p for p in self.placements if p not in placed]
        self.scatter_ = None
        self.texts_: list[Any] = []
        if not placed:
            return self
        kwargs = {"marker": "*", "s": 220, "color": "crimson", "edgecolor": "black",
                  "zorder": 5, "label": "your runs"}
        kwargs.update(scatter_kwargs or {})
        self.scatter_ = ax.scatter([p.compute_flop for p in placed],
                                   [p.error for p in placed], **kwargs)
        for p in placed:
            self.texts_.append(ax.annotate(run_label(p), (p.compute_flop, p.error),
                                           textcoords="offset points", xytext=(6, 6),
                                           fontsize="small", color="crimson"))
        ax.legend(loc="best", fontsize="small")
        return self
