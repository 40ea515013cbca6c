"""``dlcost plan`` and ``dlcost cost``: thin shells over :mod:`dlcost.plan`."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from dlcost.cli._common import db_path, emit_json, finite, new_console, positive, wait_message

if TYPE_CHECKING:
    from dlcost.plan import Plan
    from dlcost.plan.lifecycle import LifeComparison

JSON_HELP = "Print one JSON document."


def _money(usd: float | None) -> str:
    if usd is None or not math.isfinite(usd):
        return "–"
    return f"${usd:,.3g}" if usd < 1e6 else f"${usd:.3g}"


def _year(value: float | None) -> str:
    return "never" if value is None or not math.isfinite(value) else f"{value:.1f}"


def plan_command(
    ctx: typer.Context,
    benchmark: str = typer.Argument(..., help="A benchmark with a fit: imagenet, coco, …, or "
                                              "a language-model benchmark (mmlu, gpqa, …)."),
    error: str | None = typer.Option(None, "--error", help="Target error, e.g. 5%."),
    score: str | None = typer.Option(None, "--score", help="Target score, e.g. 95%."),
    budget: float | None = typer.Option(
        None, "--budget", callback=positive,
        help="A fixed budget per training run, USD (default: the frontier "
             "training-cost trend)."),
    year: float | None = typer.Option(
        None, "--year", callback=finite,
        help="Start year (default: the latest year of the spend data)."),
    horizon: float | None = typer.Option(
        None, "--horizon", callback=finite,
        help="Last year considered (default: start year + 25)."),
    efficiency: float = typer.Option(
        10.0, "--efficiency", callback=positive,
        help="The efficiency lever's gain, e.g. 10 for a 10× more "
             "efficient architecture."),
    grid: float | None = typer.Option(
        None, "--grid", callback=positive,
        help="Grid intensity, kg CO₂e per kWh (default Patterson et al. "
             "2021's 0.429)."),
    draws: int = typer.Option(4000, "--draws", min=1, help="Monte Carlo draws."),
    seed: int = typer.Option(0, "--seed", min=0,
                             help="Seed of the Monte Carlo and the bootstrap."),
    plot: Path | None = typer.Option(None, "--plot", help="Also save the levers figure "
                                                          "(PNG, SVG or PDF)."),
    interval: str = typer.Option(
        "nominal", "--interval",
        help="nominal (the fits' own uncertainty) or calibrated (the backtested inputs' "
             "spread rescaled by dlcost's backtests; the nominal year is shown beside)."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """When does a target become affordable, at what cost and CO₂, and what each lever does.

    Combines by Monte Carlo the compute the target needs (the benchmark's fit), the fall in
    the price of compute (Epoch AI's hardware prices and FLOP/s per dollar), the growth of
    frontier training budgets (or --budget) and algorithmic progress.
    """
    from dlcost.backtest import check_interval
    from dlcost.cli.analysis import parse_error
    from dlcost.cli.frontier import parse_score
    from dlcost.exceptions import InvalidParameterError
    from dlcost.plan import plan
    from dlcost.store import open_db

    if (error is None) == (score is None):
        raise InvalidParameterError("give exactly one target: --error (e.g. 5%) or --score "
                                    "(e.g. 95%)")
    interval = check_interval(interval)
    with open_db(db_path(ctx), read_only=True, on_wait=wait_message) as db:
        result = plan(db, benchmark, error=parse_error(error) if error else None,
                      score=parse_score(score) if score else None, budget=budget, year=year,
                      horizon=horizon, efficiency_gain=efficiency, kg_co2_per_kwh=grid,
                      n=draws, seed=seed, interval=interval)
    if plot is not None:
        from dlcost.plotting.plan import LeversDisplay

        LeversDisplay.from_plan(result).figure_.savefig(plot, bbox_inches="tight")
    if as_json:
        emit_json(result.to_dict())
        return
    _print_plan(result)


def _print_plan(p: Plan) -> None:
    from rich.markup import escape
    from rich.table import Table

    console = new_console()
    d = p.to_dict()
    target = (f"error {d['target_error']:.2%}" if p.target and not p.target.language_model
              else f"score {d['target_score']:.1%}")
    lo, hi = d["year_ci"]
    console.print(escape(
        f"{d['benchmark']}, {target}: needs {d['flop_needed_today']:.3g} FLOP "
        f"({d['measure']}), about {_money(d['usd_today'])} at {d['start_year']:g} prices"))
    verdict = ("reachable" if d["reachable"] else "not reachable") + \
        f" by {d['horizon_year']:g} in {d['p_reachable']:.0%} of futures"
    console.print(escape(
        f"year: {_year(d['year'])} (90 % {_year(lo)}–{_year(hi)}); {verdict}; cost that "
        f"year {_money(d['usd'])}, CO₂ {_tonnes(d['co2_kg'])}"))
    if "nominal" in d:
        nlo, nhi = d["nominal"]["year_ci"]
        console.print(escape(
            f"calibrated interval; nominal: {_year(d['nominal']['year'])} (90 % {_year(nlo)}–"
            f"{_year(nhi)})"))
    table = Table(title="Levers: years saved (+) or lost (−) against current trends")
    for col in ("lever", "median year", "90 % interval", "years saved", "cost that year"):
        table.add_column(col, justify="left" if col == "lever" else "right")
    for lv in d["levers"]:
        saved = lv["years_saved"]
        table.add_row(lv["title"], _year(lv["year"]),
                      f"{_year(lv['year_ci'][0])}–{_year(lv['year_ci'][1])}",
                      "–" if saved is None else f"{saved:+.1f}", _money(lv["usd"]))
    console.print(table)
    for lv in d["levers"]:
        console.print(f"[dim]{escape(lv['title'])}: {escape(lv['assumption'])} — "
                      f"{escape(lv['source'])}[/dim]")
    console.print("[bold]Assumptions[/bold]")
    for line in p.assumptions():
        console.print(f"[dim]- {escape(line)}[/dim]")
    for note in p.notes:
        console.print(f"[dim]{escape(note)}[/dim]")


def _tonnes(kg: float | None) -> str:
    if kg is None or not math.isfinite(kg):
        return "–"
    return f"{kg / 1000:,.3g} t CO₂e"


def cost_command(
    ctx: typer.Context,
    example: str = typer.Argument("gpt3", help="The model: gpt3 (Patterson et al. 2021's "
                                               "training figures), or 'custom' with the "
                                               "options below."),
    queries_per_day: float = typer.Option(..., "--queries-per-day", callback=positive,
                                          help="Serving load: queries per day."),
    days: float = typer.Option(365.0, "--days", callback=positive, help="Days of serving."),
    tokens_per_query: float = typer.Option(
        500.0, "--tokens-per-query", callback=positive,
        help="Output tokens per query (Epoch AI 2025's 500)."),
    grid: float | None = typer.Option(None, "--grid", callback=positive,
                                      help="Grid intensity, kg CO₂e/kWh."),
    parameters: float | None = typer.Option(None, "--parameters", callback=positive,
                                            help="custom: parameters N (dense transformer)."),
    training_flop: float | None = typer.Option(None, "--training-flop", callback=positive,
                                               help="custom: training FLOP (else 6·N·tokens)."),
    tokens: float | None = typer.Option(None, "--tokens", callback=positive,
                                        help="custom: training tokens D."),
    chip: str = typer.Option("H100 SXM5", "--chip", help="custom: training and serving chip."),
    year: int = typer.Option(2024, "--year", help="custom: year of the cloud prices."),
    small_parameters: float | None = typer.Option(
        None, "--small-parameters", callback=positive,
        help="custom: parameters of a smaller (distilled or "
             "pruned) model serving the same load."),
    small_training_flop: float | None = typer.Option(
        None, "--small-training-flop", callback=positive,
        help="custom: the smaller model's training FLOP "
             "(else 6·N·tokens)."),
    draws: int = typer.Option(4000, "--draws", min=1,
                              help="Monte Carlo draws of the cloud price."),
    seed: int = typer.Option(0, "--seed", min=0, help="Seed of the cloud-price Monte Carlo."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """A model's cost over its life: training, then serving; when serving overtakes training.

    Serving costs 2N FLOP per token (dense transformer), × tokens per query × queries per
    day, at Epoch AI's serving utilization (0.1) and power (0.7 × TDP). The dollars are also
    drawn (--seed, --draws) over the on-demand prices Epoch AI observed for the chip's family.
    """
    from dlcost.exceptions import InvalidParameterError
    from dlcost.plan import lifecycle as lc

    kind = example.strip().lower()
    if kind == "gpt3":
        result = lc.gpt3_example(queries_per_day=queries_per_day, days=days,
                                 tokens_per_query=tokens_per_query, kg_co2_per_kwh=grid)
    elif kind == "custom":
        if parameters is None:
            raise InvalidParameterError("custom: give --parameters (and --training-flop or "
                                        "--tokens)")
        result = lc.custom_example(
            parameters=parameters, training_flop=training_flop, tokens=tokens, chip=chip,
            year=year, queries_per_day=queries_per_day, days=days,
            tokens_per_query=tokens_per_query, kg_co2_per_kwh=grid,
            small_parameters=small_parameters, small_training_flop=small_training_flop)
    else:
        raise InvalidParameterError(f"unknown model {example!r}; choose gpt3 or custom")
    from dlcost.exceptions import EstimationError
    from dlcost.store import open_db

    serving_chip = "Tesla V100 SXM2" if kind == "gpt3" else chip
    with open_db(db_path(ctx), read_only=True, on_wait=wait_message) as db:
        prices = db.hardware_prices()
    try:
        spread: dict[str, Any] | None = lc.price_uncertainty(
            result, prices, chip=serving_chip, n=draws, random_state=seed)
    except EstimationError as exc:
        spread = None
        note = str(exc)
    doc = result.to_dict()
    doc["price_uncertainty"] = spread
    if spread is None:
        doc["notes"].append(note)
    if as_json:
        emit_json(doc)
        return
    _print_cost(result, spread)


def _print_cost(c: LifeComparison, spread: dict[str, Any] | None) -> None:
    from rich.markup import escape
    from rich.table import Table

    console = new_console()
    table = Table(title="Cost over a model's life")
    for col in ("model", "part", "MWh", "t CO₂e", "USD", "chip-hours"):
        table.add_column(col, justify="left" if col in ("model", "part") else "right")
    for life in (c.model, c.smaller):
        if life is None:
            continue
        for part, fp in (("training", life.training),
                         (f"serving, {life.days:g} days", life.serving)):
            table.add_row(life.name, part, f"{fp.kwh / 1000:,.4g}", f"{fp.co2_kg / 1000:,.4g}",
                          _money(fp.usd), f"{fp.chip_hours:,.3g}")
    console.print(table)
    for life in (c.model, c.smaller):
        if life is not None:
            console.print(escape(life.summary()))
            if spread and life.name in spread:
                s = spread[life.name]
                lo, hi = s["overtake_days_usd"]["ci"]
                tlo, thi = s["training_usd"]["ci"]
                console.print(escape(
                    f"  over Epoch AI's {spread['observations']} on-demand "
                    f"{spread['chip_family']} prices: training {_money(tlo)}–{_money(thi)}, "
                    f"serving overtakes training in dollars after {lo:,.0f}–{hi:,.0f} days "
                    f"({spread['level']:.0%}, seed {spread['seed']})"))
    console.print("[bold]Assumptions[/bold]")
    seen: set[str] = set()
    for line in (*c.model.training.assumptions, *c.model.serving_day.assumptions, *c.notes):
        if line not in seen:
            seen.add(line)
            console.print(f"[dim]- {escape(line)}[/dim]")


def register(app: typer.Typer) -> None:
    """Add ``plan`` and ``cost`` to the root app."""
    app.command("plan")(plan_command)
    app.command("cost")(cost_command)
