"""``dlcost trend`` and ``dlcost forecast``: growth over time, and the article's headline chart.

Thin shells over :mod:`dlcost.trends` and :mod:`dlcost.projection.forecast`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from dlcost.cli._common import db_path, emit_json, new_console, wait_message
from dlcost.cli.backtest import INTERVAL_OPTION

if TYPE_CHECKING:
    from dlcost.projection.forecast import Forecast
    from dlcost.trends import TrendResult

JSON_HELP = "Print one JSON document."
QUANTITY_HELP = ("compute, cost, power, chips, training-time, parameters, dataset-size "
                 "(Epoch AI's models); chip-flops, flops-per-dollar, flops-per-watt, "
                 "memory-bandwidth (Epoch AI's ML hardware).")


def trend_command(
    ctx: typer.Context,
    quantity: str = typer.Argument(..., help=QUANTITY_HELP),
    subset: str = typer.Option("notable", "--subset",
                               help="Models: notable, all or large-scale (Epoch's subsets)."),
    frontier_top: int | None = typer.Option(
        None, "--frontier-top",
        help="Keep only the running top N: models whose training compute was among the N "
             "largest of the selection released up to their date (chips: by the quantity). "
             "Computed before the date window."),
    domain: str | None = typer.Option(None, "--domain", help="Models of one domain, e.g. "
                                                             "Language or Vision."),
    organization: str | None = typer.Option(None, "--organization",
                                            help="Models (or chip makers) whose organization "
                                                 "contains this text."),
    since: str | None = typer.Option(None, "--since", help="First date, e.g. 2010-01-01 "
                                                           "(inclusive)."),
    until: str | None = typer.Option(None, "--until", help="Last date, e.g. 2024-05-31 "
                                                           "(inclusive; 2023: all of 2023)."),
    exclude: list[str] | None = typer.Option(None, "--exclude",
                                             help="Leave out a model or chip by name "
                                                  "(repeatable)."),
    precision: str | None = typer.Option(None, "--precision",
                                         help="Chips: fp32 (default), fp16, tf32, "
                                              "tensor-fp16 or fp8."),
    prices: str = typer.Option(
        "release", "--prices",
        help="flops-per-dollar: release (peak FLOP/s per USD of release price, one point per "
             "chip) or cloud (FLOP per USD of on-demand rental: peak FLOP/s × 3600 over the "
             "median on-demand USD per chip-hour of each chip and quarter, dated by the "
             "price date; Epoch AI's hardware prices)."),
    data: list[str] | None = typer.Option(None, "--data", "-d",
                                          help="Source(s) of the models (default: epoch)."),
    confidence: float = typer.Option(0.90, "--confidence",
                                     help="Interval level (default 0.90, as Epoch AI)."),
    boot: int = typer.Option(0, "--boot", help="Also a bootstrap interval with this many "
                                               "resamples (0: none)."),
    breakpoint: bool = typer.Option(False, "--breakpoint",
                                    help="Also fit two segments; kept if cross-validation "
                                         "prefers them."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap and the folds."),
    plot: Path | None = typer.Option(None, "--plot", help="Write the figure (PNG or SVG)."),
    interval: str = INTERVAL_OPTION,
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Growth per year of a quantity: OLS of log10(value) on the decimal year."""
    from dlcost.backtest import calibrate_trend, check_interval
    from dlcost.store import open_db
    from dlcost.trends import Selection, trend

    selection = Selection(subset=subset, frontier_top=frontier_top, domain=domain,
                          organization=organization, since=since, until=until,
                          exclude=tuple(exclude or ()), precision=precision,
                          sources=tuple(data) if data else None, prices=prices)
    calibrated = check_interval(interval) == "calibrated"
    block = None
    with open_db(db_path(ctx), read_only=True, on_wait=wait_message) as db:
        result = trend(db, quantity, selection, confidence=confidence, n_boot=boot,
                       breakpoint=breakpoint, random_state=seed)
        if calibrated:
            block = calibrate_trend(db, result, sources=data)
    if plot is not None:
        from dlcost.plotting.trends import TrendDisplay

        display = TrendDisplay.from_result(result)
        display.figure_.savefig(plot, bbox_inches="tight")
    if as_json:
        doc = result.to_dict()
        if block is not None:
            doc["calibrated"] = block
        emit_json(doc)
        return
    _print_trend(result)
    if block is not None:
        _print_calibrated_trend(block)


def _print_calibrated_trend(block: dict[str, Any]) -> None:
    level = f"{block['confidence']:.0%}"
    for row in block["predictions"]:
        lo, hi = row["nominal"]
        clo, chi = row["calibrated"]
        typer.echo(f"  +{row['horizon']} yr: {row['value']:.3g} [{level} calibrated "
                   f"{clo:.3g}–{chi:.3g}; nominal {lo:.3g}–{hi:.3g}]")
    typer.echo(f"  ({block['method']}, {block['n_calibration']} backtest residuals)")


def _print_trend(r: TrendResult) -> None:
    from rich.markup import escape

    f = r.fit
    word = "halves" if f.halving_ else "doubles"
    console = new_console()
    console.print(f"[bold]{escape(r.quantity.label)}[/bold] ({escape(r.selection.describe())}"
                  f"): n = {f.n_}, {f.to_dict()['start']} to {f.to_dict()['end']}")
    level = f"{f.confidence:.0%}"
    console.print(escape(f"  growth {f.growth_per_year_:.3g}×/yr [{level} CI "
                         f"{f.growth_ci_[0]:.3g}–{f.growth_ci_[1]:.3g}]; {word} every "
                         f"{f.doubling_years_:.3g} yr [{f.doubling_ci_[0]:.3g}–"
                         f"{f.doubling_ci_[1]:.3g}]; R² = {f.r2_:.2f}"))
    if f.boot_slopes_ is not None:
        console.print(escape(f"  bootstrap ({f.n_boot} resamples): {f.boot_growth_ci_[0]:.3g}–"
                             f"{f.boot_growth_ci_[1]:.3g}×/yr"))
    if f.breakpoint:
        bp = f.breakpoint_
        if bp is None:
            console.print("  two segments: too few points for a break")
        else:
            a, b = bp.segments
            pick = "kept" if bp.chosen else "not kept"
            console.print(escape(
                f"  two segments ({pick}: cross-validated MSE {bp.cv_mse_two:.3g} vs "
                f"{bp.cv_mse_one:.3g} for one line): {a.growth_per_year:.3g}×/yr to "
                f"{bp.to_dict()['break']}, then {b.growth_per_year:.3g}×/yr"))
    console.print(escape(r.comparison()))
    for note in r.notes:
        console.print(f"[dim]{escape(note)}[/dim]")


def forecast_command(
    ctx: typer.Context,
    benchmark: str = typer.Argument(..., help="Benchmark id, e.g. imagenet."),
    year: float = typer.Option(2025.0, "--year", help="Year to extrapolate the best error to."),
    cutoff: str | None = typer.Option(
        None, "--cutoff",
        help="Fit on results up to this date (e.g. 2020-06-30, the paper's vintage) and show "
             "what happened after it."),
    since: str | None = typer.Option(None, "--since",
                                     help="First date of the error trend (default: all)."),
    preset: str = typer.Option("thompson2020", "--preset", "-p",
                               help="Cost preset: thompson2020, strubell2019, patterson2021 or "
                                    "hardware."),
    chip: str | None = typer.Option(None, "--chip", help="Chip for the hardware preset."),
    price_year: int | None = typer.Option(None, "--price-year",
                                          help="Price year for the hardware preset."),
    utilization: float | None = typer.Option(
        None, "--utilization", help="Utilization for the hardware preset (as in project)."),
    measure: str = typer.Option("hardware_burden_consolidated", "--measure", "-m",
                                help="Compute measure of the compute–error fit."),
    prices: str = typer.Option(
        "release", "--prices",
        help="flops-per-dollar: release (peak FLOP/s per USD of release price, one point per "
             "chip) or cloud (FLOP per USD of on-demand rental: peak FLOP/s × 3600 over the "
             "median on-demand USD per chip-hour of each chip and quarter, dated by the "
             "price date; Epoch AI's hardware prices)."),
    data: list[str] | None = typer.Option(None, "--data", "-d",
                                          help="Imported source(s) of results (default: "
                                               "everything imported, else builtin)."),
    confidence: float = typer.Option(0.90, "--confidence", help="Interval level."),
    boot: int = typer.Option(2000, "--boot", help="Bootstrap resamples of the compute fit."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap."),
    plot: Path | None = typer.Option(None, "--plot", help="Write the two-panel figure."),
    interval: str = INTERVAL_OPTION,
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """The article's headline chart: the best error extrapolated to a year, and its price."""
    from dlcost.backtest import calibrate_forecast, check_interval
    from dlcost.projection import get_preset
    from dlcost.projection.forecast import forecast
    from dlcost.store import open_db

    overrides = {k: v for k, v in (("chip", chip), ("year", price_year),
                                   ("utilization", utilization)) if v is not None}
    cost_preset = get_preset(preset, **overrides)
    with open_db(db_path(ctx), read_only=True, on_wait=wait_message) as db:
        result = forecast(db, benchmark, year=year, cutoff=cutoff, since=since,
                          preset=cost_preset,
                          measure=measure, sources=data, confidence=confidence, n_boot=boot,
                          random_state=seed)
        block = (calibrate_forecast(db, result, sources=data)
                 if check_interval(interval) == "calibrated" else None)
    if plot is not None:
        from dlcost.plotting.trends import ForecastDisplay

        ForecastDisplay.from_forecast(result).figure_.savefig(plot, bbox_inches="tight")
    if as_json:
        doc = result.to_dict()
        if block is not None:
            doc["calibrated"] = block
        emit_json(doc)
        return
    _print_forecast(result)
    if block is not None:
        lo, hi = block["error_ci"]
        typer.echo(f"calibrated {result.confidence:.0%} interval of the error: {lo:.2%}–{hi:.2%}"
                   f" (×{block['factor']:.2f} the nominal half-width in log scale, horizon "
                   f"{block['horizon']}; {block['method']})")


def _print_forecast(f: Forecast) -> None:
    from rich.markup import escape

    console = new_console()
    level = f"{f.confidence:.0%}"
    lo, hi = f.error_ci
    console.print(f"[bold]{escape(f.benchmark)}[/bold]: best error extrapolated to "
                  f"{f.year:g}: {f.error:.2%} [{level} CI {lo:.2%}–{hi:.2%}] "
                  f"(trend of {f.trend.n_} state-of-the-art results, "
                  f"{f.trend.to_dict()['start']} to {f.trend.to_dict()['end']}; error "
                  f"{'halves' if f.trend.halving_ else 'doubles'} every "
                  f"{f.trend.doubling_years_:.3g} yr)")
    for line in f.lines():
        console.print(escape(line))
    if f.actual is not None and len(f.actual):
        best = f.actual.iloc[-1]
        console.print(escape(f"after the cut-off: {len(f.actual)} new state-of-the-art "
                             f"result(s); best {best['error']:.2%} ({best['name']}, "
                             f"{best['year']:.1f})"))
    for note in f.notes:
        console.print(f"[dim]{escape(note)}[/dim]")


def register(app: typer.Typer) -> None:
    """Add ``trend`` and ``forecast`` to the root app."""
    app.command("trend")(trend_command)
    app.command("forecast")(forecast_command)
