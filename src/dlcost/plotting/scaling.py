"""Error against compute, with the fitted curves and their bootstrap bands (matplotlib).

:class:`ScalingDisplay` (matplotlib, imported lazily): ``ScalingDisplay.from_fit(fit, ax=…)``
draws the points, the fitted curve and its bootstrap band on log-log axes and keeps the
artists (``ax_``, ``figure_``, ``scatter_``, ``line_``, ``band_``), as scikit-learn's displays
do. Call ``from_fit`` again with ``ax=display.ax_`` and ``points=False`` to add the exponential
curve beside the power law. The interactive version for the HTML report is
:func:`dlcost.plotting.report_figures.scaling_figure`.

Bands are drawn from the fit's bootstrap (``fit.bootstrap(n_boot, random_state=…)``); a fit
without one is drawn without a band.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from dlcost.fitting import BaseScalingFit

FORM_LABELS = {"poly": "power law", "exp": "exponential"}
METHOD_MARKERS = {"observed": "o", "imputed": "^"}


def _grid(fit: BaseScalingFit, extend_decades: float, n: int = 200) -> np.ndarray:
    lo, hi = fit.log10_compute_range_
    return np.logspace(lo, hi + extend_decades, n)


def _curve(fit: BaseScalingFit, grid: np.ndarray) -> np.ndarray:
    """Predicted error; the exponential form's 1/err can fall to zero or below: masked."""
    with np.errstate(divide="ignore", invalid="ignore"):
        err = np.asarray(fit.predict(grid), dtype=float)
    return np.where((err > 0) & (err < 1), err, np.nan)


def _label(fit: BaseScalingFit) -> str:
    form = FORM_LABELS.get(fit.form, fit.form)
    return f"{form}: b = {fit.slope_:.3g}, R² = {fit.r2_:.2f}"


class ScalingDisplay:
    """Error vs compute of one benchmark, with a fit's curve and band.

    Parameters
    ----------
    compute_flop, error : array-like
        The points.
    fit : a fitted :class:`~dlcost.fitting.BaseScalingFit`, optional
    methods : array-like of str, optional
        Each point's compute method (``observed`` / ``imputed``), drawn with its own marker.
    title : str, optional
    """

    def __init__(
        self,
        *,
        compute_flop: Any,
        error: Any,
        fit: BaseScalingFit | None = None,
        methods: Any = None,
        title: str | None = None,
    ) -> None:
        self.compute_flop = np.asarray(compute_flop, dtype=float)
        self.error = np.asarray(error, dtype=float)
        self.fit = fit
        self.methods = None if methods is None else np.asarray(methods, dtype=object)
        self.title = title

    @classmethod
    def from_fit(
        cls,
        fit: BaseScalingFit,
        *,
        ax: Any = None,
        points: bool = True,
        band: bool = True,
        extend_decades: float = 0.0,
        scatter_kwargs: dict[str, Any] | None = None,
        line_kwargs: dict[str, Any] | None = None,
        band_kwargs: dict[str, Any] | None = None,
    ) -> ScalingDisplay:
        """Draw a fit's points (``points=True``), curve and band; returns the display.

        ``extend_decades`` draws the curve that many orders of magnitude past the data (the
        projection's extrapolation, made visible).
        """
        data = fit.data_
        methods = data.get("compute_method")
        bench = getattr(fit, "benchmark_", None)
        display = cls(compute_flop=data[fit.compute_col_], error=data[fit.error_col_], fit=fit,
                      methods=methods, title=bench)
        return display.plot(ax=ax, points=points, band=band, extend_decades=extend_decades,
                            scatter_kwargs=scatter_kwargs, line_kwargs=line_kwargs,
                            band_kwargs=band_kwargs)

    @classmethod
    def from_results(
        cls,
        frame: pd.DataFrame,
        *,
        compute_col: str = "compute_flop",
        error_col: str = "error",
        ax: Any = None,
        scatter_kwargs: dict[str, Any] | None = None,
    ) -> ScalingDisplay:
        """Draw points only, from a frame of results."""
        methods = frame.get("compute_method")
        display = cls(compute_flop=frame[compute_col], error=frame[error_col], methods=methods)
        return display.plot(ax=ax, scatter_kwargs=scatter_kwargs)

    def plot(
        self,
        ax: Any = None,
        *,
        points: bool = True,
        band: bool = True,
        extend_decades: float = 0.0,
        scatter_kwargs: dict[str, Any] | None = None,
        line_kwargs: dict[str, Any] | None = None,
        band_kwargs: dict[str, Any] | None = None,
    ) -> ScalingDisplay:
        """Draw on ``ax`` (default: the current axes); returns ``self`` with its artists."""
        import matplotlib.pyplot as plt

        if ax is None:
            ax = plt.gca()
        self.ax_ = ax
        self.figure_ = ax.figure
        self.scatter_: list[Any] = []
        self.line_ = None
        self.band_ = None
        if points:
            groups = (
                [(m, self.methods == m) for m in dict.fromkeys(self.methods)]
                if self.methods is not None else [(None, np.ones(len(self.error), bool))]
            )
            for method, mask in groups:
                kwargs = {"marker": METHOD_MARKERS.get(str(method), "o"), "alpha": 0.7,
                          "label": f"{method} compute" if method else "results"}
                kwargs.update(scatter_kwargs or {})
                self.scatter_.append(ax.scatter(self.compute_flop[mask], self.error[mask],
                                                **kwargs))
        if self.fit is not None:
            grid = _grid(self.fit, extend_decades)
            kwargs = {"label": _label(self.fit), "linewidth": 2}
            kwargs.update(line_kwargs or {})
            (self.line_,) = ax.plot(grid, _curve(self.fit, grid), **kwargs)
            if band and self.fit.boot_coef_ is not None:
                with np.errstate(divide="ignore", invalid="ignore"):
                    lo, hi = self.fit.predict_band(grid)
                level = f"{100 * (1 - self.fit.alpha):g}%"
                bkw = {"alpha": 0.2, "color": self.line_.get_color(),
                       "label": f"{level} bootstrap band"}
                bkw.update(band_kwargs or {})
                self.band_ = ax.fill_between(grid, np.where(lo > 0, lo, np.nan),
                                             np.where(hi < 1, hi, np.nan), **bkw)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("compute (FLOP)")
        ax.set_ylabel("error (1 − score/100)")
        if self.title:
            ax.set_title(self.title)
        ax.legend(loc="best", fontsize="small")
        return self
