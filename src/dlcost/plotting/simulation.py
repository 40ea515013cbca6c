"""The simulation's two panels: performance against data points and against computation.

Thompson et al. show the expert-vs-flexible simulation as two panels sharing the y axis: the
expert learns fastest from few data points but plateaus, the flexible models need far more
data (and far more FLOP per fit) and keep improving. :class:`SimulationDisplay` draws them
the scikit-learn way: build it from a result, call :meth:`~SimulationDisplay.plot`, and read
the artists back from ``figure_``, ``axes_``, ``lines_`` and ``bands_``.

matplotlib is imported only when a figure is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from dlcost.exceptions import InvalidParameterError
from dlcost.plotting.style import (
    BAND_SE,
    MODEL_COLORS,
    SIMULATION_X_LABELS,
    SIMULATION_Y_LABEL,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.collections import PolyCollection
    from matplotlib.figure import Figure, SubFigure
    from matplotlib.lines import Line2D

    from dlcost.simulation import SimulationResult

Panel = Literal["data", "compute"]
PANELS: tuple[Panel, ...] = ("data", "compute")

# Colours and labels shared with the report's plotly figure (dlcost.plotting.style).
Y_LABEL = SIMULATION_Y_LABEL
X_LABELS = SIMULATION_X_LABELS


@dataclass
class _Curve:
    label: str
    n: np.ndarray
    flop: np.ndarray
    performance: np.ndarray
    se: np.ndarray


@dataclass
class SimulationDisplay:
    """Performance vs data points and vs computation (log x), one line per model.

    Parameters
    ----------
    curves:
        Per model: a label and arrays ``n``, ``flop``, ``performance``, ``se`` over the grid
        points where the model is defined. Use :meth:`from_result` to build them.
    title:
        Optional figure title.

    Attributes (after :meth:`plot`)
    -------------------------------
    figure_, axes_:
        The figure and the list of axes drawn on (data panel first).
    lines_:
        ``{model: [Line2D per panel]}``.
    bands_:
        ``{model: [PolyCollection per panel]}`` (empty lists without bands).
    """

    curves: Mapping[str, _Curve]
    title: str | None = None
    figure_: Figure | SubFigure = field(init=False, repr=False)
    axes_: list[Axes] = field(init=False, repr=False)
    lines_: dict[str, list[Line2D]] = field(init=False, repr=False)
    bands_: dict[str, list[PolyCollection]] = field(init=False, repr=False)

    @classmethod
    def from_result(
        cls,
        result: SimulationResult,
        axes: Sequence[Axes] | None = None,
        *,
        ax: Axes | None = None,
        panel: Panel | None = None,
        models: Sequence[str] | None = None,
        band: bool = True,
        line_kwargs: Mapping[str, Any] | None = None,
        band_kwargs: Mapping[str, Any] | None = None,
    ) -> SimulationDisplay:
        """Build the display from a :class:`~dlcost.simulation.SimulationResult` and plot it."""
        s = result.settings
        labels = {
            "oracle": f"Oracle ({s.relevant} true features)",
            "expert": f"Expert ({s.expert_correct} right + {s.expert_wrong} wrong)",
            "flexible": f"Flexible OLS (all {s.features})",
            "lasso": f"Lasso (all {s.features})",
        }
        curves = {}
        for model in models or result.models:
            perf = result.performance(model)
            keep = np.isfinite(perf)
            curves[model] = _Curve(
                label=labels.get(model, model),
                n=result.n[keep],
                flop=result.mean_flop(model)[keep],
                performance=perf[keep],
                se=result.standard_error(model)[keep],
            )
        title = (
            f"p = {s.features} candidate features, s = {s.relevant} relevant, "
            f"{result.excess.shape[0]} repetitions"
        )
        return cls(curves, title=title).plot(
            axes, ax=ax, panel=panel, band=band, line_kwargs=line_kwargs, band_kwargs=band_kwargs
        )

    def plot(
        self,
        axes: Sequence[Axes] | None = None,
        *,
        ax: Axes | None = None,
        panel: Panel | None = None,
        band: bool = True,
        line_kwargs: Mapping[str, Any] | None = None,
        band_kwargs: Mapping[str, Any] | None = None,
    ) -> SimulationDisplay:
        """Draw the panels and return ``self``.

        ``axes``: two Axes (data panel, compute panel); ``None`` makes a new 1 × 2 figure.
        ``ax`` with ``panel`` (default ``"data"``) draws a single panel on one Axes. Keyword
        arguments in ``line_kwargs``/``band_kwargs`` override the defaults for every model.
        """
        import matplotlib.pyplot as plt

        if ax is not None and axes is not None:
            raise InvalidParameterError(
                "pass either ax (one panel) or axes (both panels), not both")
        panels: tuple[Panel, ...]
        if ax is not None or panel is not None:
            if panel is not None and panel not in PANELS:
                raise InvalidParameterError(f"panel must be 'data' or 'compute', got {panel!r}")
            panels = (panel or "data",)
            chosen = [ax if ax is not None else plt.subplots(figsize=(6, 4.5))[1]]
        else:
            panels = PANELS
            if axes is None:
                chosen = list(plt.subplots(1, 2, figsize=(12, 4.5), sharey=True)[1])
            else:
                chosen = list(axes)
                if len(chosen) != 2:
                    raise InvalidParameterError(
                        f"axes must hold two Axes (data, compute); got {len(chosen)}")

        self.lines_ = {model: [] for model in self.curves}
        self.bands_ = {model: [] for model in self.curves}
        for which, axis in zip(panels, chosen, strict=True):
            for model, curve in self.curves.items():
                x = curve.n if which == "data" else curve.flop
                style: dict[str, Any] = {
                    "color": MODEL_COLORS.get(model),
                    "marker": "o",
                    "markersize": 3.5,
                    "linewidth": 1.6,
                    "label": curve.label,
                }
                style.update(line_kwargs or {})
                (line,) = axis.plot(x, curve.performance, **style)
                self.lines_[model].append(line)
                if band:
                    fill: dict[str, Any] = {"color": line.get_color(), "alpha": 0.2, "linewidth": 0}
                    fill.update(band_kwargs or {})
                    self.bands_[model].append(
                        axis.fill_between(
                            x,
                            curve.performance - BAND_SE * curve.se,
                            curve.performance + BAND_SE * curve.se,
                            **fill,
                        )
                    )
            axis.set_xscale("log")
            axis.set_xlabel(X_LABELS[which])
            axis.set_ylabel(Y_LABEL)
            axis.grid(True, which="major", alpha=0.3)
        chosen[0].legend(loc="best", fontsize="small")
        self.axes_ = chosen
        self.figure_ = chosen[0].figure
        if self.title and len(chosen) == 2:
            self.figure_.suptitle(self.title)
        return self
