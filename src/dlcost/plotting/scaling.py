"""Error against compute, with the fitted curves and their bootstrap bands.

Two front ends over the same data:

- :class:`ScalingDisplay` (matplotlib, imported lazily): ``ScalingDisplay.from_fit(fit, ax=…)``
  draws the points, the fitted curve and its bootstrap band on log-log axes and keeps the
  artists (``ax_``, ``figure_``, ``scatter_``, ``line_``, ``band_``), as scikit-learn's
  displays do. Call ``from_fit`` again with ``ax=display.ax_`` and ``points=False`` to add the
  exponential curve beside the power law.
- :func:`scaling_figure_plotly` (plotly, imported lazily) for the HTML report: the same
  picture with hover text naming each point's model, paper, year and compute method.

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


def _hover(frame: pd.DataFrame, compute_col: str, error_col: str) -> list[str]:
    texts = []
    for row in frame.to_dict("records"):
        parts = [f"<b>{row.get('model', '')}</b>"]
        if row.get("paper_title"):
            parts.append(str(row["paper_title"]))
        year = row.get("year")
        if year is not None and year == year:
            parts.append(f"year {int(year)}")
        parts.append(f"error {row[error_col]:.2%}")
        method = row.get("compute_method") or "observed"
        parts.append(f"compute {row[compute_col]:.2e} FLOP ({method})")
        if row.get("source"):
            parts.append(f"source {row['source']}")
        texts.append("<br>".join(parts))
    return texts


def scaling_figure_plotly(
    fit_poly: BaseScalingFit | None,
    fit_exp: BaseScalingFit | None = None,
    data: pd.DataFrame | None = None,
    *,
    band: bool = True,
    extend_decades: float = 0.0,
    title: str | None = None,
) -> Any:
    """A plotly Figure: the points (hover: model, paper, year, compute method) and each fit's
    curve with its bootstrap band.

    ``data`` defaults to the points of the first fit given (``fit.data_``); give a frame with
    ``compute_flop, error`` (and optionally ``model, paper_title, year, compute_method,
    source``) to draw other points.
    """
    import plotly.graph_objects as go

    fits = [f for f in (fit_poly, fit_exp) if f is not None]
    if data is None:
        if not fits:
            raise ValueError("give a fit or a data frame to draw")
        data = fits[0].data_
    compute_col = fits[0].compute_col_ if fits else "compute_flop"
    error_col = fits[0].error_col_ if fits else "error"
    fig = go.Figure()
    methods = data["compute_method"].fillna("observed") if "compute_method" in data else None
    groups = (
        [(m, methods == m) for m in dict.fromkeys(methods)]
        if methods is not None else [("results", np.ones(len(data), bool))]
    )
    symbols = {"observed": "circle", "imputed": "triangle-up"}
    for method, mask in groups:
        part = data[np.asarray(mask)]
        fig.add_trace(go.Scatter(
            x=part[compute_col], y=part[error_col], mode="markers",
            name=f"{method} compute" if method != "results" else "results",
            marker={"symbol": symbols.get(str(method), "circle"), "size": 8, "opacity": 0.75},
            text=_hover(part, compute_col, error_col), hoverinfo="text",
        ))
    colors = {"poly": "#1f77b4", "exp": "#d62728"}
    for fit in fits:
        grid = _grid(fit, extend_decades)
        color = colors.get(fit.form, "#2ca02c")
        if band and fit.boot_coef_ is not None:
            with np.errstate(divide="ignore", invalid="ignore"):
                lo, hi = fit.predict_band(grid)
            level = f"{100 * (1 - fit.alpha):g}%"
            fig.add_trace(go.Scatter(
                x=np.concatenate([grid, grid[::-1]]),
                y=np.concatenate([np.where(hi < 1, hi, np.nan),
                                  np.where(lo > 0, lo, np.nan)[::-1]]),
                fill="toself", fillcolor=color, opacity=0.15, line={"width": 0},
                name=f"{FORM_LABELS.get(fit.form, fit.form)} {level} band", hoverinfo="skip",
            ))
        fig.add_trace(go.Scatter(
            x=grid, y=_curve(fit, grid), mode="lines", line={"color": color, "width": 2},
            name=_label(fit), hoverinfo="name",
        ))
    bench = next((f.benchmark_ for f in fits if f.benchmark_), None)
    fig.update_layout(
        title=title or (f"{bench}: error vs compute" if bench else "error vs compute"),
        xaxis={"type": "log", "title": "compute (FLOP)"},
        yaxis={"type": "log", "title": "error (1 − score/100)"},
        hovermode="closest", template="plotly_white",
    )
    return fig
