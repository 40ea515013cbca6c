"""``dlcost backtest``: the forecast skill of dlcost's projections, and whether the paper was
right. A thin shell over :mod:`dlcost.backtest`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer

from dlcost.cli._common import db_path, emit_json, new_console, wait_message

if TYPE_CHECKING:
    from dlcost.backtest import BacktestResult, PaperCheck
    from dlcost.fitting import BaseScalingFit
    from dlcost.projection import Projection

TARGET_HELP = ("A benchmark id (imagenet, coco, squad1.1, conll2003, wmt14-en-fr, wmt14-en-de: "
               "its compute–error curve and best-error trend) or compute (the growth of "
               "frontier training compute), or a language-model benchmark such as mmlu or "
               "bbh (its best score by rolling origin in time, half-yearly cut-offs, and "
               "extrapolation in compute, Owen 2024).")


#: ``--interval`` of ``project``, ``trend`` and ``forecast``.
INTERVAL_OPTION: Any = typer.Option(
    "nominal", "--interval",
    help="nominal (the model's own interval) or calibrated (rescaled so that its coverage "
         "matched the level in dlcost's backtests; both are shown).")


def projection_calibrator(ctx: typer.Context, benchmark: str, interval: str,
                          confidence: float, sources: list[str] | None, measure: str
                          ) -> Callable[[Projection, BaseScalingFit], dict[str, Any] | None]:
    """``project --interval``: a function giving each projection's calibrated block (None for
    ``nominal``). Language-model projections are not backtested: ``calibrated`` is an error
    for them, raised here before any work."""
    if interval == "nominal":  # the default: nothing to calibrate, no backtest to import

        def nominal(_projection: Projection, _fit: BaseScalingFit) -> dict[str, Any] | None:
            return None

        return nominal
    from dlcost.backtest import calibrate_projection, check_interval
    from dlcost.benchmarks import is_lm_benchmark
    from dlcost.exceptions import FitError
    from dlcost.store import open_db

    wanted = check_interval(interval) == "calibrated"
    if wanted and is_lm_benchmark(benchmark):
        raise FitError("--interval calibrated is backtested for the paper's benchmarks only, "
                       "not yet for language-model benchmarks; use --interval nominal")

    def calibrate(projection: Projection, fit: BaseScalingFit) -> dict[str, Any] | None:
        if not wanted:
            return None
        with open_db(db_path(ctx), read_only=True, on_wait=wait_message) as db:
            return calibrate_projection(db, projection, fit, confidence=confidence,
                                        sources=sources, measure=measure)

    return calibrate


def print_projection_calibration(block: dict[str, Any] | None, confidence: float) -> None:
    """The calibrated compute interval of each target, under the projection table."""
    for row in (block or {}).get("targets", []):
        lo, hi = row["flop_ci"]
        span = "unbounded" if lo is None else f"{lo:.2g}–{hi:.2g}"
        typer.echo(f"  calibrated {confidence:.0%} interval of the compute for "
                   f"{row['error']:.2%}: {span} FLOP (nominal prediction interval "
                   f"{row['flop_pi_nominal'][0]:.2g}–{row['flop_pi_nominal'][1]:.2g})")


def backtest_command(
    ctx: typer.Context,
    target: str | None = typer.Argument(None, help=TARGET_HELP),
    paper: bool = typer.Option(False, "--paper",
                               help="Was the paper right? Fit with the results before July 2020 "
                                    "and October 2021, set against what came later."),
    data: list[str] | None = typer.Option(None, "--data", "-d",
                                          help="Imported source(s) (default: everything "
                                               "imported for benchmarks; epoch for compute)."),
    measure: str = typer.Option("hardware_burden_consolidated", "--measure", "-m",
                                help="Compute measure of the compute–error fit."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap (--paper)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document (every origin "
                                                       "and horizon)."),
    backend: str = typer.Option("serial", "--backend",
                                help="Where the origins' refits run: serial, process (local "
                                     "processes) or ray (needs dlcost\\[ray]); same numbers."),
    workers: int | None = typer.Option(None, "--workers",
                                       help="Processes or Ray tasks at once (default: one per "
                                            "usable CPU)."),
) -> None:
    """Rolling-origin backtest: fit on results published up to each year, score what came
    after (MAE, bias, coverage of 50/80/95 % intervals, interval score, naive baselines)."""
    from dlcost.backtest import backtest, paper_check
    from dlcost.exceptions import InvalidParameterError
    from dlcost.parallel import BACKENDS
    from dlcost.store import open_db

    if paper == (target is not None):
        raise InvalidParameterError("give a TARGET (e.g. imagenet or compute) or --paper, "
                                    "not both and not neither")
    if backend not in BACKENDS:
        raise InvalidParameterError(f"--backend must be one of {', '.join(BACKENDS)}, "
                                    f"got {backend!r}")
    if workers is not None and workers < 1:
        raise InvalidParameterError(f"--workers must be a positive integer, got {workers}")
    with open_db(db_path(ctx), read_only=True, on_wait=wait_message) as db:
        if paper:
            check = paper_check(db, sources=data, measure=measure, random_state=seed)
            if as_json:
                emit_json(check.to_dict())
            else:
                _print_paper(check)
            return
        assert target is not None
        result = backtest(db, target, sources=data, measure=measure,
                          backend=backend,  # type: ignore[arg-type]
                          workers=workers)
    if as_json:
        emit_json(result.to_dict())
        return
    _print_backtest(result)


def _pct(x: Any) -> str:
    return "–" if x is None else f"{x:.0%}"


def _print_backtest(r: BacktestResult) -> None:
    from rich.markup import escape
    from rich.table import Table

    console = new_console()
    for c in r.components:
        d = c.to_dict(forecasts=False)
        console.print(f"[bold]{escape(c.label)}[/bold]: {d['n_origins']} origins, "
                      f"{d['n_forecasts']} scored forecasts ({escape(c.scale)})")
        table = Table(show_edge=False)
        for col in ("horizon", "n", "MAE", "bias", "MAE last value", "MAE constant growth",
                    "80% nominal", "80% calibrated", "50%", "95%"):
            table.add_column(col, justify="right")
        for h, m in d["metrics"].items():
            if not m.get("n"):
                continue
            cov = m["coverage"]
            table.add_row(
                h, str(m["n"]), f"{m['mae_log10']:.3f}", f"{m['bias_log10']:+.3f}",
                f"{m.get('mae_log10_last_value', float('nan')):.3f}",
                f"{m.get('mae_log10_constant_growth', float('nan')):.3f}",
                _pct(cov["0.8"]["achieved"]), _pct(cov["0.8"].get("calibrated_loo")),
                _pct(cov["0.5"]["achieved"]), _pct(cov["0.95"]["achieved"]))
        console.print(table)
        for note in c.notes:
            console.print(f"[dim]{escape(note)}[/dim]")
    if r.extrapolation is not None:
        d = r.extrapolation.to_dict()
        console.print(f"[bold]{escape(r.target)}[/bold]: extrapolation in compute, "
                      f"{d['form']}, {d['n_cutoffs']} cut-offs, {d['n_forecasts']} forecasts")
        for k, m in d["metrics"].items():
            if m["n"]:
                console.print(escape(f"  {k} OOM: n = {m['n']}, MAE {m['mae_pp']:.1f} pp "
                                     f"(bias {m['bias_pp']:+.1f}); best score so far carried "
                                     f"forward: {m['mae_pp_last_value']:.1f} pp"))
        if d["anchor"]:
            console.print(escape(f"  beside {d['anchor']['source']}: about "
                                 f"{d['anchor']['mae_pp']:g} pp"))
        for note in r.notes:
            console.print(f"[dim]{escape(note)}[/dim]")
        if not r.components:
            return
    console.print("[dim]calibrated: split-conformal by horizon, each forecast calibrated on "
                  "the other origins' residuals (leave one origin out)[/dim]")


def _print_paper(p: PaperCheck) -> None:
    from rich.markup import escape

    console = new_console()
    if p.imagenet is not None:
        console.print(escape(p.imagenet.sentence()))
    for c in p.checks:
        y = next((e for e in c.years if e.get("best_error") is not None), None)
        seen = (f"trend said {y['trend_error']:.1%} by the end of {y['year']}, best in the data "
                f"{y['best_error']:.1%}" if y and "trend_error" in y else "no later data")
        cmp = c.compute_vs_curve
        used = (f"; {cmp['n']} later result(s) used a median 10^{cmp['median_log10_ratio']:.1f}"
                f"× the compute the curve said" if cmp.get("n") else "")
        console.print(escape(f"{c.benchmark}, {c.vintage}: {seen}{used}"))
    for problem in p.problems:
        console.print(f"[dim]{escape(problem)}[/dim]")


def register(app: typer.Typer) -> None:
    """Add ``backtest`` to the root app."""
    app.command("backtest")(backtest_command)
