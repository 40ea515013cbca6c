"""Growth over time and the article's headline chart.

- :func:`trend_figure` (plotly, for the report) and :class:`TrendDisplay` (matplotlib): a
  quantity on a log axis over time — the points, the running-top-N points marked, the fitted
  line and its confidence band, and the two-segment model when cross-validation kept it.
- :func:`forecast_figure` and :class:`ForecastDisplay`: two panels. Top, the best error over
  time (every result, the records, the trend extrapolated to the year with its prediction
  band, and the records set after the fit's cut-off). Bottom, the compute, dollars and CO₂ the
  compute–error curve requires for the forecast error, with intervals.

Matplotlib is imported lazily; displays keep their artists (``ax_``, ``figure_``, ``line_``,
``band_``, ``scatter_``) and take an optional ``ax``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from dlcost.plotting.report_figures import _linear_axis, _log_axis, base_layout, plotly_text

if TYPE_CHECKING:
    from dlcost.projection.forecast import Forecast
    from dlcost.trends import TrendResult

POINT_COLOR = "#8c959f"
FRONTIER_COLOR = "#cf222e"
LINE_COLOR = "#0969da"
ACTUAL_COLOR = "#1a7f37"


def _grid(start: float, end: float, n: int = 100) -> np.ndarray:
    return np.linspace(start, end, n)


def _years_to_dates(years: np.ndarray) -> list[str]:
    from dlcost.trends import date_of

    return [date_of(float(y)).isoformat() for y in years]


# --- plotly (report) ---------------------------------------------------------------------------


def trend_figure(result: TrendResult) -> Any:
    """A quantity over time on a log axis, with its fitted trend and band (plotly)."""
    import plotly.graph_objects as go

    fit, data, q = result.fit, result.data, result.quantity
    fig = go.Figure()
    marked = data["frontier"].astype(bool)
    groups = ((~marked, "selected", POINT_COLOR, "circle"),
              (marked, "running top N" if result.selection.frontier_top
               else "running top 10 (marked)", FRONTIER_COLOR, "diamond"))
    for mask, name, color, symbol in groups:
        part = data[mask.to_numpy()]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=_years_to_dates(part["year"].to_numpy()), y=part["value"], mode="markers",
            name=name, marker={"color": color, "size": 7, "symbol": symbol, "opacity": 0.75},
            text=[plotly_text(n) for n in part["name"]],
            hovertemplate="%{text}<br>%{x}<br>%{y:.3g}<extra></extra>"))
    grid = _grid(fit.start_, fit.end_)
    lo, hi = fit.predict_interval(grid)
    dates = _years_to_dates(grid)
    level = f"{fit.confidence:.0%}"
    fig.add_trace(go.Scatter(x=dates, y=lo, mode="lines", line={"width": 0},
                             showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=dates, y=hi, mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor="rgba(9,105,218,0.18)", name=f"{level} band",
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        x=dates, y=fit.predict(grid), mode="lines", line={"color": LINE_COLOR, "width": 2.5},
        name=f"{fit.growth_per_year_:.2f}×/yr [{fit.growth_ci_[0]:.2f}–{fit.growth_ci_[1]:.2f}]"))
    bp = fit.breakpoint_
    if bp is not None and bp.chosen:
        for seg in bp.segments:
            xs = np.array([seg.start, seg.end])
            fig.add_trace(go.Scatter(
                x=_years_to_dates(xs), y=10.0 ** (seg.intercept + seg.slope * xs), mode="lines",
                line={"color": "#8250df", "width": 2, "dash": "dash"},
                name=f"segment {seg.growth_per_year:.2f}×/yr"))
    fig.update_layout(**base_layout(
        title={"text": plotly_text(f"{q.label} ({result.selection.describe()})")},
        xaxis=_linear_axis("publication date" if q.kind == "models" else "release date",
                           type="date"),
        yaxis=_log_axis(plotly_text(f"{q.label} ({q.unit})")),
        height=460))
    return fig


def forecast_figure(fc: Forecast) -> Any:
    """The article's headline chart for ``fc`` (plotly, two panels)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=2, cols=1, row_heights=[0.62, 0.38], vertical_spacing=0.16)
    res = fc.results
    others = res[~res["state_of_the_art"]]
    fig.add_trace(go.Scatter(
        x=_years_to_dates(others["year"].to_numpy()), y=others["error"], mode="markers",
        name="results", marker={"color": POINT_COLOR, "size": 5, "opacity": 0.5},
        text=[plotly_text(n) for n in others["name"]],
        hovertemplate="%{text}<br>%{x}<br>error %{y:.2%}<extra></extra>"), row=1, col=1)
    records = res[res["state_of_the_art"]]
    fig.add_trace(go.Scatter(
        x=_years_to_dates(records["year"].to_numpy()), y=records["error"],
        mode="markers+lines", line={"shape": "hv", "color": "#1f2328", "width": 1},
        name="state of the art", marker={"color": "#1f2328", "size": 7},
        text=[plotly_text(n) for n in records["name"]],
        hovertemplate="%{text}<br>%{x}<br>error %{y:.2%}<extra></extra>"), row=1, col=1)
    t = fc.trend
    grid = _grid(t.start_, max(fc.year, t.end_))
    lo, hi = t.predict_interval(grid, kind="prediction")
    dates = _years_to_dates(grid)
    level = f"{fc.confidence:.0%}"
    fig.add_trace(go.Scatter(x=dates, y=lo, mode="lines", line={"width": 0}, showlegend=False,
                             hoverinfo="skip"), row=1, col=1)
    fig.add_trace(go.Scatter(x=dates, y=hi, mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor="rgba(9,105,218,0.15)",
                             name=f"{level} prediction band", hoverinfo="skip"), row=1, col=1)
    fig.add_trace(go.Scatter(
        x=dates, y=t.predict(grid), mode="lines", line={"color": LINE_COLOR, "width": 2.5},
        name=f"trend: error ×{t.growth_per_year_:.2f}/yr"), row=1, col=1)
    fig.add_trace(go.Scatter(
        x=_years_to_dates(np.array([fc.year])), y=[fc.error], mode="markers",
        marker={"color": LINE_COLOR, "size": 11, "symbol": "star"},
        error_y={"type": "data", "symmetric": False, "array": [fc.error_ci[1] - fc.error],
                 "arrayminus": [fc.error - fc.error_ci[0]]},
        name=f"{fc.year:g}: {fc.error:.2%} [{fc.error_ci[0]:.2%}–{fc.error_ci[1]:.2%}]"),
        row=1, col=1)
    if fc.actual is not None and not fc.actual.empty:
        fig.add_trace(go.Scatter(
            x=_years_to_dates(fc.actual["year"].to_numpy()), y=fc.actual["error"],
            mode="markers", marker={"color": ACTUAL_COLOR, "size": 9, "symbol": "diamond"},
            name=f"records after the cut-off ({fc.cutoff})",
            text=[plotly_text(n) for n in fc.actual["name"]],
            hovertemplate="%{text}<br>%{x}<br>error %{y:.2%}<extra></extra>"), row=1, col=1)
    labels, values, lows, highs = _price_rows(fc)
    positions = list(range(len(labels)))[::-1]
    fig.add_trace(go.Scatter(
        x=values, y=positions, mode="markers+text", marker={"color": "#bc4c00", "size": 10},
        text=[f"{v:.2g}" for v in values], textposition="top center",
        error_x={"type": "data", "symmetric": False,
                 "array": [h - v for h, v in zip(highs, values, strict=True)],
                 "arrayminus": [v - lo_ for v, lo_ in zip(values, lows, strict=True)]},
        name=f"price of {fc.error:.2%} ({level} interval)"), row=2, col=1)
    layout = base_layout(
        title={"text": plotly_text(f"{fc.benchmark}: best error extrapolated to {fc.year:g}, "
                                   "and what it would take")},
        height=720,
        legend={"orientation": "h", "y": -0.12, "font": {"size": 11}},
    )
    fig.update_layout(**layout)
    fig.update_xaxes(type="date", title_text="publication date", row=1, col=1)
    fig.update_yaxes(type="log", title_text="error (log scale)", row=1, col=1)
    fig.update_xaxes(type="log", title_text="amount (log scale; units in the row labels)",
                     exponentformat="power", row=2, col=1)
    fig.update_yaxes(tickvals=positions, ticktext=labels, range=[-0.6, len(labels) - 0.4],
                     row=2, col=1)
    return fig


def _price_rows(fc: Forecast) -> tuple[list[str], list[float], list[float], list[float]]:
    rows = [("compute (FLOP)", fc.flop, fc.flop_ci)]
    if fc.usd is not None and fc.usd_ci is not None:
        rows.append(("cost (USD)", fc.usd, fc.usd_ci))
    if fc.co2_kg is not None and fc.co2_kg_ci is not None:
        rows.append(("CO₂ (kg)", fc.co2_kg, fc.co2_kg_ci))
    if fc.nyc_months is not None and fc.nyc_months_ci is not None:
        rows.append(("months of NYC's CO₂", fc.nyc_months, fc.nyc_months_ci))
    return ([r[0] for r in rows], [r[1] for r in rows], [r[2][0] for r in rows],
            [r[2][1] for r in rows])


# --- matplotlib displays -----------------------------------------------------------------------


class TrendDisplay:
    """A fitted trend drawn with matplotlib: points, frontier marks, line and band."""

    def __init__(self, result: TrendResult) -> None:
        self.result = result

    @classmethod
    def from_result(cls, result: TrendResult, *, ax: Any = None) -> TrendDisplay:
        return cls(result).plot(ax=ax)

    def plot(self, ax: Any = None, *, line_kwargs: dict[str, Any] | None = None,
             band_kwargs: dict[str, Any] | None = None) -> TrendDisplay:
        """Draw on ``ax`` (default: a new figure); returns ``self`` with its artists."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(8, 4.8))
        r, fit = self.result, self.result.fit
        self.ax_, self.figure_ = ax, ax.figure
        marked = r.data["frontier"].to_numpy(dtype=bool)
        years, values = r.data["year"].to_numpy(), r.data["value"].to_numpy()
        self.scatter_ = [
            ax.scatter(years[~marked], values[~marked], s=14, color=POINT_COLOR, alpha=0.7,
                       label="selected"),
            ax.scatter(years[marked], values[marked], s=22, color=FRONTIER_COLOR, marker="D",
                       alpha=0.8, label="running top N"),
        ]
        grid = _grid(fit.start_, fit.end_)
        lo, hi = fit.predict_interval(grid)
        bkw = {"alpha": 0.2, "color": LINE_COLOR, "label": f"{fit.confidence:.0%} band"}
        bkw.update(band_kwargs or {})
        self.band_ = ax.fill_between(grid, lo, hi, **bkw)
        lkw = {"color": LINE_COLOR, "linewidth": 2,
               "label": f"{fit.growth_per_year_:.2f}×/yr [{fit.growth_ci_[0]:.2f}–"
                        f"{fit.growth_ci_[1]:.2f}]"}
        lkw.update(line_kwargs or {})
        (self.line_,) = ax.plot(grid, fit.predict(grid), **lkw)
        ax.set_yscale("log")
        ax.set_xlabel("year")
        ax.set_ylabel(f"{r.quantity.label} ({r.quantity.unit})")
        ax.set_title(f"{r.quantity.label} ({r.selection.describe()})", fontsize=10)
        ax.legend(loc="best", fontsize="small")
        return self


class ForecastDisplay:
    """The headline chart with matplotlib: drawn from :func:`forecast_figure`'s plotly figure
    by the report's converter, so the file matches the report."""

    def __init__(self, fc: Forecast) -> None:
        self.forecast = fc
        self.plotly_: Any = None
        self.figure_: Any = None
        self.axes_: list[Any] = []

    @classmethod
    def from_forecast(cls, fc: Forecast) -> ForecastDisplay:
        from dlcost.plotting.static import to_matplotlib

        display = cls(fc)
        display.plotly_ = forecast_figure(fc)
        display.figure_ = to_matplotlib(display.plotly_, width_in=9.0)
        display.axes_ = display.figure_.axes
        return display
