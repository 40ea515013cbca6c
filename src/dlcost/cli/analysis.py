"""``dlcost fit``, ``dlcost project`` and ``dlcost decompose``: the paper's analysis.

Thin shells over :mod:`dlcost.fitting`, :mod:`dlcost.projection` and :mod:`dlcost.decompose`;
heavy libraries are imported inside the commands so that ``dlcost --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from dlcost import formatting as fmt
from dlcost.cli._common import (
    confidence_level,
    db_path,
    emit_json,
    finite,
    fraction,
    new_console,
    wait_message,
)
from dlcost.cli.backtest import INTERVAL_OPTION, print_projection_calibration, projection_calibrator

if TYPE_CHECKING:
    from dlcost.decompose import PairDecomposition, TrendDecomposition
    from dlcost.fitting import BaseScalingFit, Unavailable
    from dlcost.projection import Projection
    from dlcost.store import ResultsDB

DATA_HELP = ("Source(s) to use: combined (every source, one row per result), futuretech (the "
             "paper's data), builtin, epoch, pwc, … or all (repeatable; default: combined once "
             "more than builtin is in the store).")
MEASURE_HELP = ("Compute measure: hardware_burden_consolidated (default), hardware_burden, "
                "network_operations or ops_per_pass.")
JSON_HELP = "Print one JSON document."
#: The choices shown in ``--help`` (the library checks the value and names them too).
FORM_CHOICES = "[poly|exp|both|logistic|all]"
VARIANT_CHOICES = "[ols|time|quantile|frontier]"
PRESET_CHOICES = "[thompson2020|strubell2019|patterson2021|hardware]"
LM_PICK_HELP = ("one score per model: standard-shots (default: the best score at the "
                "benchmark's most common shot count), best or median.")


def _refuse_lm_options(**options: Any) -> None:
    """Options that only language-model benchmarks take are refused by name elsewhere."""
    from dlcost.exceptions import InvalidParameterError

    given = [f"--{k.replace('_', '-')}" for k, v in options.items() if v not in (None, False)]
    if given:
        verb = "applies" if len(given) == 1 else "apply"
        raise InvalidParameterError(f"{', '.join(given)} {verb} to language-model benchmarks "
                                    "only (mmlu, gsm8k, …)")


def _open(ctx: typer.Context) -> ResultsDB:
    from dlcost.store import open_db

    return open_db(db_path(ctx), read_only=True, on_wait=wait_message)


def _fixed(decimals: int) -> Callable[[Any], str]:
    return lambda v: fmt.fixed(v, decimals)


def parse_error(text: str) -> float:
    """``"5%"`` → 0.05; ``"0.05"`` → 0.05; a bare number ≥ 1 is read as percent (``"5"``)."""
    raw = text.strip()
    try:
        if raw.endswith("%"):
            value = float(raw[:-1]) / 100.0
        else:
            value = float(raw)
            if value >= 1:
                value /= 100.0
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not an error; write 5% or 0.05") from None
    if not 0 < value < 1:
        raise typer.BadParameter(f"{text!r}: an error must lie between 0% and 100%")
    return value


# -- fit ---------------------------------------------------------------------------------------


def fit_record(fit: BaseScalingFit) -> dict[str, Any]:
    """The ``fit --json`` record of one fit (the contract's keys first)."""
    info = fit.to_dict()
    record: dict[str, Any] = {
        "benchmark": fit.benchmark_, "measure": fit.measure_, "form": fit.form,
        "variant": fit.variant, "n": fit.n_, "intercept": fit.intercept_, "slope": fit.slope_,
        "intercept_se": fit.intercept_se_, "slope_se": fit.slope_se_, "r2": fit.r2_,
    }
    record.update({k: v for k, v in info.items() if k not in record})
    record["metric"] = fit.metric_
    record["sources"] = fit.sources_
    record["notes"] = fit.notes_
    if fit.variant == "time":
        progress = _algorithmic_progress(fit)
        record["algorithmic_progress"] = progress.to_dict() if progress else None
    return record


def _algorithmic_progress(fit: BaseScalingFit) -> Any:
    """The time variant's algorithmic progress (:mod:`dlcost.trends.algorithmic`), or None
    when the compute slope is not positive."""
    from dlcost.exceptions import FitError
    from dlcost.trends import algorithmic_progress

    try:
        return algorithmic_progress(fit)
    except FitError:
        return None


def fit_command(
    ctx: typer.Context,
    benchmarks: list[str] | None = typer.Argument(
        None, metavar="[BENCHMARK]...",
        help="Benchmark id(s): imagenet, coco, squad1.1, conll2003, wmt14-en-fr, wmt14-en-de. "
             "None (or --all): all six."),
    all_benchmarks: bool = typer.Option(False, "--all", "--all-benchmarks",
                                        help="Fit all six benchmarks."),
    data: list[str] | None = typer.Option(None, "--data", "-d", "--source", "-s",
                                             help=DATA_HELP),
    measure: str = typer.Option("hardware_burden_consolidated", "--measure", "-m",
                                help=MEASURE_HELP),
    form: str | None = typer.Option(None, "--form", "-f", metavar=FORM_CHOICES,
                                    help="poly (power law, default), exp (exponential) or both; "
                                         "language-model benchmarks: logistic (default), poly, "
                                         "exp or all."),
    variant: str = typer.Option("ols", "--variant", "-v", metavar=VARIANT_CHOICES,
                                help="ols, time (year trend), quantile (q=0.1 frontier) or "
                                     "frontier (state-of-the-art results only)."),
    metric: str | None = typer.Option(None, "--metric",
                                      help="Secondary metric for the error, e.g. f1 for SQuAD "
                                           "(default: the headline metric, EM for SQuAD)."),
    confidence: float = typer.Option(0.95, "--confidence", callback=confidence_level,
                                    help="Confidence level of intervals."),
    boot: int | None = typer.Option(None, "--boot", min=0,
                                    help="Bootstrap resamples (default 0: none; language-model "
                                         "benchmarks 1000)."),
    seed: int = typer.Option(0, "--seed", min=0, help="Seed of the bootstrap."),
    ceiling: str | None = typer.Option(None, "--ceiling",
                                       help="Language models, logistic: ceiling 1 (default), a "
                                            "score such as 95%, or fit."),
    pick: str | None = typer.Option(None, "--pick", help="Language models: " + LM_PICK_HELP),
    shots: int | None = typer.Option(None, "--shots",
                                     help="Language models: only scores at this shot count."),
    include_distilled: bool = typer.Option(False, "--include-distilled",
                                           help="Language models: keep distilled models."),
    min_confidence: str | None = typer.Option(
        None, "--min-confidence",
        help="Language models: only compute Epoch rates Confident, Likely or Speculative or "
             "better."),
    highlight: list[str] | None = typer.Option(
        None, "--highlight", help="A tracked run (id from `dlcost runs list`, or latest) to "
                                  "place against the trend (repeatable)."),
    plot: Path | None = typer.Option(None, "--plot",
                                     help="Save a figure of the (first) fit, with highlighted "
                                          "runs, to this file (PNG, SVG, PDF)."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Fit error against compute: log10(1/err) = a + b·log10(C), or 1/err = a + b·log10(C).

    Language-model benchmarks (mmlu, gsm8k, gpqa-diamond, …) also fit a logistic of the score
    in log compute with its floor at chance."""
    from dlcost.benchmarks import get_benchmark, is_lm_benchmark
    from dlcost.cli.track import highlight_runs, plot_highlight, print_placements
    from dlcost.exceptions import FitError
    from dlcost.fitting import compare_by_benchmark, fit_all, forms_for

    lm_names = [b for b in benchmarks or [] if is_lm_benchmark(b)]
    if lm_names:
        from dlcost.cli import frontier

        if len(lm_names) != len(benchmarks or []) or all_benchmarks:
            raise FitError("fit language-model benchmarks and the paper's benchmarks in "
                           "separate commands")
        if highlight or plot is not None:
            raise FitError("--highlight and --plot apply to the paper's benchmarks; tracked "
                           "runs are placed on those")
        if measure != "hardware_burden_consolidated" or variant != "ols" or metric or data:
            raise FitError("--measure, --variant, --metric and --data apply to the paper's "
                           "benchmarks; language-model fits use Epoch's training compute")
        frontier.lm_fit(ctx, lm_names, form=form or "logistic", ceiling=ceiling,
                        filters=frontier.make_filters(pick, shots, include_distilled,
                                                      min_confidence),
                        confidence=confidence, boot=1000 if boot is None else boot, seed=seed,
                        as_json=as_json)
        return
    _refuse_lm_options(ceiling=ceiling, pick=pick, shots=shots,
                       include_distilled=include_distilled, min_confidence=min_confidence)
    form = form or "poly"
    boot = boot or 0
    forms = forms_for(form)
    names = [get_benchmark(b).id for b in benchmarks or []]
    several = all_benchmarks or not names or len(names) > 1
    with _open(ctx) as db:
        fits, problems = fit_all(
            db, benchmarks=None if all_benchmarks else names or None, forms=forms,
            measure=measure, variant=variant,
            sources=data, metric=metric, alpha=1.0 - confidence, n_boot=boot,
            random_state=seed, skip_errors=several,
        )
        if not fits:
            raise FitError("no benchmark could be fitted: " + "; ".join(map(str, problems)))
        placements = highlight_runs(db, fits, highlight) if highlight else {}
    records = [fit_record(f) for f in fits]
    for i, ps in placements.items():
        records[i]["runs"] = [p.to_dict() for p in ps]
    if plot is not None:
        plot_highlight(fits, placements, plot)
    comparisons = compare_by_benchmark(fits) if len(forms) > 1 else []
    if as_json:
        emit_json({"fits": records,
                   "comparisons": [c.to_dict() for c in comparisons],
                   "not_available": [p.to_dict() for p in problems]})
        return
    _print_fits(fits, problems, confidence)
    out = new_console()
    for c in comparisons:
        out.print(f"{c.benchmark}: {c.verdict}", markup=False, highlight=False)
    if placements:
        print_placements(placements)


def _print_fits(fits: list[BaseScalingFit], problems: list[Unavailable],
                confidence: float) -> None:
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    level = f"{100 * confidence:g}%"
    first = fits[0]
    table = Table(title=f"Scaling fits: {first.variant} on {first.measure_} "
                        f"(sources: {', '.join(first.sources_ or [])})")
    table.box = box.SIMPLE
    table.pad_edge = False
    for col in ("benchmark", "form", "n", "b (s.e.)", f"b {level} CI", "a", "R²"):
        table.add_column(col, justify="left" if col in ("benchmark", "form") else "right",
                         no_wrap=True)
    for f in fits:
        ci = f.conf_int().iloc[1].tolist()
        cells = [f"{f.slope_:.4f} ({f.slope_se_:.4f})", fmt.bracket(ci[0], ci[1], fmt=_fixed(3)),
                 f"{f.intercept_:.3f}", f"{f.r2_:.3f}"]
        if not f.reliable_:  # a thin fit: its numbers in small print, never as a headline
            cells = [f"[dim]{c}[/dim]" for c in cells]
        table.add_row(str(f.benchmark_), f.form, str(f.n_), *cells)
    console = new_console()
    console.print(table)
    for f in fits:
        if not f.reliable_:
            console.print(f"[bold yellow]{f.benchmark_} ({f.form}): "
                          f"{escape(f.reliability_reason_ or '')}[/bold yellow] "
                          "[dim](its numbers are shown dimmed)[/dim]")
    console.print("poly: log10(1/err) = a + b·log10(C / FLOP);  exp: 1/err = a + b·log10(C / FLOP)")
    seen: set[str] = set()
    for f in fits:
        for note in f.notes_ or []:
            line = f"{f.benchmark_}: {note}"
            if line not in seen:
                seen.add(line)
                console.print(f"[dim]{escape(line)}[/dim]")
    for f in fits:
        if f.variant == "time":
            progress = _algorithmic_progress(f)
            text = (str(progress) if progress else
                    "no algorithmic progress: the compute slope is not positive")
            console.print(escape(f"{f.benchmark_} ({f.form}): {text}"))
            if progress and progress.halving_months_boot_ci:
                lo, hi = progress.halving_months_boot_ci
                console.print(escape(f"  bootstrap ({progress.n_boot} resamples): halving "
                                     f"{lo:.3g}–{hi:.3g} months"))
    if any(f.variant == "time" for f in fits):
        console.print("[dim]beside Erdil & Besiroglu 2022 (ImageNet, a richer model): compute "
                      "needs halve every 9 months (95% CI 4–25)[/dim]")
    for problem in problems:
        console.print(f"[yellow]{escape(str(problem))}[/yellow]")


# -- project -----------------------------------------------------------------------------------


def project_command(
    ctx: typer.Context,
    benchmark: str = typer.Argument(..., help="Benchmark id, e.g. imagenet."),
    error: list[str] | None = typer.Option(
        None, "--error", "-e",
        help="Target error, e.g. 5% (repeatable). Default: the paper's two targets (ImageNet "
             "5% and 1%, …), else half and a tenth of today's best error."),
    preset: str = typer.Option("thompson2020", "--preset", "-p", metavar=PRESET_CHOICES,
                               help="Cost preset: thompson2020, strubell2019, patterson2021 or "
                                    "hardware."),
    chip: str | None = typer.Option(None, "--chip", help="Chip for the hardware preset."),
    year: int | None = typer.Option(None, "--year", help="Price year for the hardware preset."),
    utilization: float | None = typer.Option(
        None, "--utilization", callback=fraction,
        help="Utilization for operations (not for hardware burden)."),
    score: list[str] | None = typer.Option(
        None, "--score", "-s",
        help="Language models: target score, e.g. 95% (repeatable; default 90%)."),
    form: str | None = typer.Option(None, "--form", "-f", metavar=FORM_CHOICES,
                                    help="poly (default), exp or both; language models: "
                                         "logistic (default), poly, exp or all."),
    variant: str = typer.Option("ols", "--variant", "-v", metavar=VARIANT_CHOICES,
                                help="ols, time, quantile, frontier."),
    measure: str = typer.Option("hardware_burden_consolidated", "--measure", "-m",
                                help=MEASURE_HELP),
    data: list[str] | None = typer.Option(None, "--data", "-d", "--source",
                                             help=DATA_HELP),
    metric: str | None = typer.Option(None, "--metric", help="Secondary metric for the error."),
    confidence: float = typer.Option(0.95, "--confidence", callback=confidence_level,
                                    help="Confidence level of intervals."),
    boot: int = typer.Option(2000, "--boot", help="Bootstrap resamples."),
    seed: int = typer.Option(0, "--seed", min=0, help="Seed of the bootstrap."),
    ceiling: str | None = typer.Option(None, "--ceiling",
                                       help="Language models, logistic: ceiling 1 (default), a "
                                            "score such as 95%, or fit."),
    pick: str | None = typer.Option(None, "--pick", help="Language models: " + LM_PICK_HELP),
    include_distilled: bool = typer.Option(False, "--include-distilled",
                                           help="Language models: keep distilled models."),
    interval: str = INTERVAL_OPTION,
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Compute, dollars and CO₂ needed to reach target errors (the paper's table).

    Language-model benchmarks: training compute needed for target scores (--score 95%)."""
    import warnings

    from dlcost.benchmarks import is_lm_benchmark
    from dlcost.exceptions import ExtrapolationWarning, FitError
    from dlcost.fitting import fit_data, forms_for, scaling_data
    from dlcost.projection import default_targets, get_preset, project

    calibrate = projection_calibrator(ctx, benchmark, interval, confidence, data, measure)
    if is_lm_benchmark(benchmark):
        from dlcost.cli import frontier

        if measure != "hardware_burden_consolidated" or variant != "ols" or metric or data:
            raise FitError("--measure, --variant, --metric and --data apply to the paper's "
                           "benchmarks; language-model projections use Epoch's training "
                           "compute")
        scores = [frontier.parse_score(s) for s in score or []]
        scores += [1.0 - parse_error(e) for e in error or []]
        frontier.lm_project(ctx, benchmark, scores=scores, form=form or "logistic",
                            ceiling=ceiling,
                            filters=frontier.make_filters(pick, None, include_distilled, None),
                            confidence=confidence, boot=boot, seed=seed, as_json=as_json)
        return
    _refuse_lm_options(score=score, ceiling=ceiling, pick=pick,
                       include_distilled=include_distilled)
    form = form or "poly"
    targets = [parse_error(e) for e in error or []]
    overrides: dict[str, Any] = {}
    for key, value in (("chip", chip), ("year", year), ("utilization", utilization)):
        if value is not None:
            overrides[key] = value
    cost_preset = get_preset(preset, **overrides)
    if boot < 1:
        raise FitError("--boot must be at least 1: the intervals come from the bootstrap")
    with _open(ctx) as db:
        points = scaling_data(db, benchmark, measure=measure, metric=metric, sources=data)
    projections: list[Projection] = []
    blocks: list[dict[str, Any] | None] = []
    for f in forms_for(form):
        fit = fit_data(points, form=f, variant=variant,
                       alpha=1.0 - confidence, n_boot=boot, random_state=seed)
        errors = targets or list(default_targets(points.benchmark, fit.best_error_).errors)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ExtrapolationWarning)  # shown in the table instead
            projections.append(project(fit, errors, preset=cost_preset))
        blocks.append(calibrate(projections[-1], fit))
    if as_json:
        emit_json({"projections": [{**p.to_dict(), **({"calibrated": b} if b else {})}
                                   for p, b in zip(projections, blocks, strict=True)]})
    else:
        for p, block in zip(projections, blocks, strict=True):
            _print_projection(p)
            print_projection_calibration(block, confidence)
    _warn_extrapolation(projections)


def _warn_extrapolation(projections: list[Projection]) -> None:
    """Far extrapolations said on stderr, whatever the output format."""
    errors = new_console(stderr=True)
    for p in projections:
        for r in p.rows:
            if r.warning:
                errors.print(f"Warning: {p.benchmark} ({p.form}), error {fmt.percent(r.error)}: "
                             f"{r.warning}", markup=False, highlight=False)


def _print_projection(p: Projection) -> None:
    from rich.markup import escape
    from rich.table import Table

    from dlcost.projection import equivalences

    level = f"{100 * p.confidence:g}%"
    title = (f"{p.benchmark}: compute needed ({p.form}, {p.variant}, {p.measure}); "
             f"costs: preset {p.preset}")
    table = Table(title=title)
    table.add_column("")
    for r in p.rows:
        table.add_column(f"{r.label} ({r.error:.3g})" if r.label == "today"
                         else f"target {r.error:.3g}", justify="right")
    def ci(pair: Any, unit: Callable[[Any], str] = fmt.sci) -> str:
        return escape(fmt.interval(pair[0], pair[1], fmt=unit)) if pair else fmt.MISSING

    def usd(x: Any) -> str:
        return fmt.usd(x)

    rows: list[tuple[str, list[str]]] = [
        ("error", [fmt.percent(r.error) for r in p.rows]),
        ("FLOP", [fmt.sci(r.flop) for r in p.rows]),
        (f"FLOP {level} bootstrap CI", [ci(r.flop_ci) for r in p.rows]),
        (f"FLOP {level} prediction", [ci(r.flop_pi) for r in p.rows]),
        ("GFLOP", [fmt.sci(r.gflop) for r in p.rows]),
        ("dollars", [fmt.usd(r.usd) for r in p.rows]),
        (f"dollars {level} CI", [ci(r.usd_ci, usd) for r in p.rows]),
        ("CO₂ (kg)", [fmt.sci(r.co2_kg) for r in p.rows]),
        (f"CO₂ {level} CI", [ci(r.co2_kg_ci) for r in p.rows]),
        ("CO₂ = months of NYC", [fmt.sci(equivalences(r.co2_kg).get("nyc_months"))
                                 for r in p.rows]),
        ("CO₂ = NY–London flights", [fmt.sci(equivalences(r.co2_kg).get("transatlantic_flights"))
                                     for r in p.rows]),
        ("decades beyond data", [fmt.decades(r.orders_beyond_data) for r in p.rows]),
    ]
    for label, cells in rows:
        table.add_row(label, *cells)
    console = new_console()
    console.print(table)
    console.print(escape(str(p.halving)))
    lo, hi = p.log10_compute_range
    console.print(f"[dim]data span {fmt.quantity(10 ** lo, 'FLOP')} to "
                  f"{fmt.quantity(10 ** hi, 'FLOP')}; {p.n_boot} bootstrap resamples; "
                  "projections outside that span are extrapolations[/dim]")
    if any(fmt.is_unbounded(r.flop) for r in p.rows):
        console.print(f"[dim]{escape(fmt.UNBOUNDED_NOTE.replace('10³⁰⁰', '1e300'))}[/dim]")

    if p.preset_constants:
        values = "; ".join(f"{c['name']} = {fmt.sci(c['value'], digits=4)}"
                           f"{' ' + c['unit'] if c['unit'] else ''}"
                           for c in p.preset_constants)
        console.print(f"[dim]preset {p.preset}: {escape(values)}[/dim]")
        urls = list(dict.fromkeys(c["url"] for c in p.preset_constants if c["url"]))
        console.print(f"[dim]sources: {' '.join(urls)}[/dim]")
    for note in p.notes:
        console.print(f"[dim]{escape(note)}[/dim]")


# -- decompose ---------------------------------------------------------------------------------


def decompose_command(
    ctx: typer.Context,
    model_a: str | None = typer.Argument(None, help="Earlier model (result id or name)."),
    model_b: str | None = typer.Argument(None, help="Later model (result id or name)."),
    trend_mode: bool = typer.Option(False, "--trend",
                                    help="Growth per year over a dataset (Epoch AI's models)."),
    paper: bool = typer.Option(False, "--paper",
                               help="The paper's example, AlexNet → NASNet-A, from its cited "
                                    "facts."),
    data: list[str] | None = typer.Option(None, "--data", "-d", "--source", "-s",
                                             help=DATA_HELP),
    since: float = typer.Option(2018.0, "--since", callback=finite,
                                 help="Trend: first publication year."),
    until: float | None = typer.Option(None, "--until", callback=finite,
                                       help="Trend: last publication year (exclusive)."),
    top_n: int = typer.Option(10, "--top-n", min=0,
                              help="Trend: keep models in the top N by compute at release "
                                   "(0: all)."),
    all_models: bool = typer.Option(False, "--all-models",
                                    help="Trend: use every model, not only notable ones."),
    boot: int = typer.Option(500, "--boot", min=1, help="Trend: bootstrap resamples."),
    confidence: float = typer.Option(0.8, "--confidence", callback=confidence_level,
                                     help="Trend: interval level (0.8 = 10th–90th percentile)."),
    seed: int = typer.Option(0, "--seed", min=0, help="Trend: seed of the bootstrap."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Split compute growth into chip speed × chip count × training time."""
    from dlcost.exceptions import InvalidParameterError

    if trend_mode:
        if model_a or model_b:
            raise InvalidParameterError("--trend fits a whole dataset; give no model names with it")
        from dlcost.decompose import trend

        with _open(ctx) as db:
            result = trend(db, sources=data or None, since=since, until=until,
                           top_n=top_n or None, notable_only=not all_models, n_boot=boot,
                           confidence=confidence, random_state=seed)
        if as_json:
            emit_json(result.to_dict())
        else:
            _print_trend(result)
        return
    from dlcost.decompose import decompose_pair, paper_example

    if paper:
        if model_a or model_b:
            raise InvalidParameterError(
                "--paper decomposes the paper's own example; give no model names")
        pair = decompose_pair(*paper_example())
    elif not (model_a and model_b):
        raise InvalidParameterError(
            "give two models (result ids or names), e.g. `dlcost decompose AlexNet NASNet-A`, "
            "--paper for the paper's example, or --trend for growth rates over a dataset"
        )
    else:
        with _open(ctx) as db:
            pair = decompose_pair(model_a, model_b, db=db, sources=data)
    if as_json:
        emit_json(pair.to_dict())
    else:
        _print_pair(pair)


def _print_pair(d: PairDecomposition) -> None:
    from rich.markup import escape
    from rich.table import Table

    from dlcost.decompose import FACTOR_LABELS, FACTORS

    console = new_console()
    console.print(escape(d.a.describe()))
    console.print(escape(d.b.describe()))
    table = Table(title=f"{d.b.name} / {d.a.name}: hardware burden × {fmt.sci(d.total, digits=4)}")
    for col in ("factor", "ratio", "share of the growth (log)"):
        table.add_column(col, justify="left" if col == "factor" else "right")
    shares = d.shares
    for k in FACTORS:
        table.add_row(FACTOR_LABELS[k], fmt.multiple(d.factors[k]), fmt.share(shares[k]))
    table.add_row("total", fmt.multiple(d.total), "100%")
    console.print(table)
    for note in d.notes:
        console.print(f"[dim]{escape(note)}[/dim]")


TREND_LABELS = {
    "training_compute": "training compute",
    "hardware_flop_per_s": "FLOP/s per chip",
    "hardware_quantity": "chips",
    "training_time": "training time",
    "combined": "FLOP/s × chips × time",
}


def _print_trend(t: TrendDecomposition) -> None:
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from dlcost.decompose import EPOCH_2025_URL

    lo = 100 * (1 - t.confidence) / 2
    sel = t.selection
    what = [", ".join(sel["sources"])]
    if sel.get("since") is not None:
        what.append(f"since {sel['since']:g}")
    if sel.get("until") is not None:
        what.append(f"before {sel['until']:g}")
    if sel.get("top_n"):
        what.append(f"top {sel['top_n']} at release")
    if sel.get("notable_only"):
        what.append("notable")
    level = f"p{lo:g}–p{100 - lo:g}"
    table = Table(title=f"Growth per year, {t.n_models} models ({'; '.join(what)})",
                  box=box.SIMPLE, pad_edge=False)
    table.add_column("component")
    table.add_column("n", justify="right")
    table.add_column(escape(f"×/year [{level}]"), justify="right", no_wrap=True)
    table.add_column(escape(f"share [{level}]"), justify="right", no_wrap=True)
    table.add_column("Epoch 2025", justify="right", no_wrap=True)
    for key, r in t.rates.items():
        share = t.shares.get(key)
        epoch = r.epoch_2025
        table.add_row(
            TREND_LABELS[key], str(r.n),
            escape(f"{r.growth_per_year:.2f} {fmt.bracket(r.ci[0], r.ci[1], fmt=_fixed(2))}"),
            escape(f"{fmt.share(share[0])} {fmt.bracket(share[1][0], share[1][1], fmt.share)}")
            if share else "",
            escape(f"{epoch[1]:.2f} {fmt.bracket(epoch[0], epoch[2], fmt=_fixed(2))}")
            if epoch else "",
        )
    console = new_console()
    console.print(table)
    console.print(f"[dim]Epoch AI 2025 (median \\[p10, p90]): {EPOCH_2025_URL}[/dim]")
    for note in t.notes:
        console.print(f"[dim]{escape(note)}[/dim]")


def register(app: typer.Typer) -> None:
    """Add ``fit``, ``project`` and ``decompose`` to the root app."""
    app.command("fit")(fit_command)
    app.command("project")(project_command)
    app.command("decompose")(decompose_command)
