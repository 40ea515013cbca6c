"""Language-model benchmarks on the command line: ``dlcost fit mmlu``, ``dlcost project gsm8k``
and ``dlcost frontier summary|progress``.

``dlcost fit`` and ``dlcost project`` hand language-model benchmark ids to :func:`lm_fit` and
:func:`lm_project`; thin shells over :mod:`dlcost.frontier`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from dlcost.cli._common import db_path, emit_json, new_app, new_console, wait_message

if TYPE_CHECKING:
    from dlcost.frontier import Comparability

app = new_app("The frontier era: language-model benchmarks against training compute.")

JSON_HELP = "Print one JSON document."
PICK_HELP = ("One score per model: standard-shots (default: the best score at the benchmark's "
             "most common shot count), best, or median.")


def fmt_flop(value: float | None) -> str:
    """``3.1e25 FLOP`` through dlcost's one number formatter (terminal style); ``—`` if missing."""
    from dlcost.formatting import sci

    return "—" if value is None else f"{sci(value)} FLOP"


def parse_score(text: str) -> float:
    """``"95%"`` → 0.95; ``"0.95"`` → 0.95; a bare number ≥ 1 is read as percent."""
    raw = text.strip()
    try:
        value = float(raw[:-1]) / 100.0 if raw.endswith("%") else float(raw)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a score; write 95% or 0.95") from None
    if not raw.endswith("%") and value >= 1:
        value /= 100.0
    if not 0 < value < 1:
        raise typer.BadParameter(f"{text!r}: a score must lie between 0% and 100%")
    return value


def make_filters(pick: str | None, shots: int | None, include_distilled: bool,
                 min_confidence: str | None) -> Comparability:
    from dlcost.frontier import Comparability

    return Comparability(pick=pick or "standard-shots", shots=shots,  # type: ignore[arg-type]
                         include_distilled=include_distilled, min_confidence=min_confidence)


def _ceiling(text: str | None) -> float | str:
    if text is None:
        return 1.0
    if text.strip().lower() == "fit":
        return "fit"
    return parse_score(text) if text.strip() not in ("1", "1.0", "100%") else 1.0


def lm_fit(ctx: typer.Context, names: list[str], *, form: str, ceiling: str | None,
           filters: Comparability, confidence: float, boot: int, seed: int,
           as_json: bool) -> None:
    """``dlcost fit`` for language-model benchmarks."""
    from dlcost.frontier import lm_data
    from dlcost.frontier.analysis import compare_forms, fit_lm, fit_record, forms_for
    from dlcost.store import open_db

    forms = forms_for(form)
    records: list[dict[str, Any]] = []
    with open_db(db_path(ctx), read_only=True, on_wait=wait_message) as db:
        for name in names:
            data = lm_data(db, name, filters=filters)
            table = compare_forms(data, ceiling=_ceiling(ceiling)) if len(forms) > 1 else None
            for f in forms:
                fit = fit_lm(data, form=f, ceiling=_ceiling(ceiling), alpha=1.0 - confidence,
                             n_boot=boot, random_state=seed)
                record = fit_record(fit)
                if table is not None:
                    row = table.loc[f]
                    record["held_out"] = {"rmse_pp": row.rmse, "mae_pp": row.mae,
                                          "bias_pp": row.bias, "scheme": row.scheme,
                                          "n_predicted": int(row.n_predicted)}
                    record["chosen"] = bool(row.chosen)
                records.append(record)
    if as_json:
        emit_json(records[0] if len(records) == 1 else records)
        return
    _print_lm_fits(records, confidence)


def _print_lm_fits(records: list[dict[str, Any]], confidence: float) -> None:
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    console = new_console()
    level = f"{100 * confidence:g}%"
    table = Table(title="Language-model benchmarks: score against training compute",
                  box=box.SIMPLE, pad_edge=False)
    for col in ("benchmark", "form", "n", "floor", "fit", f"{level} CI", "held-out RMSE"):
        table.add_column(col, justify="left" if col in ("benchmark", "form", "fit") else "right")
    for r in records:
        if r["form"] == "logistic":
            fit = (f"ceiling {r['ceiling']:.3f}, slope {r['slope_per_decade']:.3f}/decade, "
                   f"midpoint {fmt_flop(r['midpoint_flop'])}")
            ci = r.get("slope_ci")
            ci_text = f"slope [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else "–"
            floor = f"{r['floor']:.2f}"
        else:
            fit = f"b = {r['slope']:.4f} (s.e. {r['slope_se']:.4f}), R² = {r['r2']:.3f}"
            ci = r.get("slope_ci")
            ci_text = f"b [{ci[0]:.4f}, {ci[1]:.4f}]" if ci else "–"
            floor = "none"
        held = r.get("held_out")
        rmse = f"{held['rmse_pp']:.1f} pp" + (" (chosen)" if r.get("chosen") else "") \
            if held else "–"
        table.add_row(str(r["benchmark"]), r["form"], str(r["n"]), floor, escape(fit),
                      escape(ci_text), rmse)
    console.print(table)
    console.print("logistic: score = floor + (ceiling − floor)·σ(slope·(log10 C − log10 "
                  "midpoint)); poly: log10(1/err) = a + b·log10(C); exp: 1/err = a + b·log10(C); "
                  "err = 1 − score")
    seen: set[str] = set()
    for r in records:
        for line in [f"{r['benchmark']}: floor = {r.get('floor_source')}",
                     *(f"{r['benchmark']}: {x}" for x in r["filters"] + r["notes"])]:
            if line not in seen:
                seen.add(line)
                console.print(f"[dim]{escape(line)}[/dim]")


def lm_project(ctx: typer.Context, name: str, *, scores: list[float], form: str,
               ceiling: str | None, filters: Comparability, confidence: float, boot: int,
               seed: int, as_json: bool) -> None:
    """``dlcost project`` for language-model benchmarks."""
    from dlcost.frontier import lm_data
    from dlcost.frontier.analysis import DEFAULT_TARGET_SCORE, fit_lm, forms_for, project_lm
    from dlcost.store import open_db

    with open_db(db_path(ctx), read_only=True, on_wait=wait_message) as db:
        data = lm_data(db, name, filters=filters)
    projections = []
    for f in forms_for(form):
        fit = fit_lm(data, form=f, ceiling=_ceiling(ceiling), alpha=1.0 - confidence,
                     n_boot=boot, random_state=seed)
        projections.append(project_lm(fit, scores or [DEFAULT_TARGET_SCORE]))
    if as_json:
        docs = [p.to_dict() for p in projections]
        emit_json(docs[0] if len(docs) == 1 else docs)
        return
    from rich.markup import escape
    from rich.table import Table

    console = new_console()
    level = f"{100 * confidence:g}%"
    for p in projections:
        table = Table(title=f"{p.benchmark}: training compute needed ({p.form}"
                            + (f", floor {p.floor:g}, ceiling {p.ceiling:.3f}"
                               if p.floor is not None else "") + ")")
        table.add_column("")
        for r in p.rows:
            table.add_column(f"today ({p.today_model})" if r.label == "today" else "target",
                             justify="right")
        cells = [
            ("score", [f"{r.score:.1%}" for r in p.rows]),
            ("FLOP", [fmt_flop(r.flop) if r.flop else (r.problem or "–") for r in p.rows]),
            (f"FLOP {level} bootstrap CI",
             [escape(f"[{fmt_flop(r.flop_ci[0])}, {fmt_flop(r.flop_ci[1])}]")
              if r.flop_ci else "–" for r in p.rows]),
            ("decades beyond data", [f"{r.orders_beyond_data:.1f}"
                                     if r.orders_beyond_data is not None else "–"
                                     for r in p.rows]),
        ]
        for label, row in cells:
            table.add_row(label, *row)
        console.print(table)
        h = p.halving
        if h["factor"] is not None:
            ci = (f" ({level} CI {h['factor_ci'][0]:,.3g}×–{h['factor_ci'][1]:,.3g}×)"
                  if h["factor_ci"] else "")
            console.print(escape(
                f"halving the error from {h['at_error']:.1%} costs {h['factor']:,.3g}× more "
                f"compute{ci}; implied exponent {h['exponent']:.3g} (compute ∝ (1/err)^k) vs "
                f"theory's {h['theory_exponent']:g}"))
        else:
            console.print(escape(f"halving cost: not available ({h['problem']})"))
        lo, hi = p.compute_range_flop
        console.print(f"[dim]data span {fmt_flop(lo)} – {fmt_flop(hi)}; no costs: training "
                      "compute here is Epoch's (operations), see `dlcost estimate`[/dim]")
        for note in p.filters + p.notes:
            console.print(f"[dim]{escape(note)}[/dim]")


@app.command("summary")
def summary(
    ctx: typer.Context,
    benchmarks: list[str] | None = typer.Argument(
        None, metavar="[BENCHMARK]...", help="Language-model benchmark id(s); default: all."),
    target: str = typer.Option("90%", "--target", help="Target score for the compute column."),
    boot: int = typer.Option(1000, "--boot", help="Bootstrap resamples."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap."),
    pick: str | None = typer.Option(None, "--pick", help=PICK_HELP),
    include_distilled: bool = typer.Option(False, "--include-distilled",
                                           help="Keep distilled models in the fits."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Per benchmark: n, floor, held-out error of each form, chosen form, compute for a target."""
    from dlcost.benchmarks import LM_BENCHMARKS, get_lm_benchmark
    from dlcost.exceptions import FitError
    from dlcost.formatting import multiple, sci
    from dlcost.frontier.analysis import benchmark_summary
    from dlcost.store import open_db

    names = [get_lm_benchmark(b).id for b in benchmarks or list(LM_BENCHMARKS)]
    filters = make_filters(pick, None, include_distilled, None)
    from dlcost.store.lm import lm_scores

    rows, problems = [], []
    with open_db(db_path(ctx), read_only=True, on_wait=wait_message) as db:
        scores = lm_scores(db)  # joined once for every benchmark
        for name in names:
            try:
                rows.append(benchmark_summary(db, name, filters=filters,
                                              target=parse_score(target), n_boot=boot,
                                              random_state=seed, scores=scores))
            except FitError as exc:
                problems.append(f"{name}: {exc}")
    if not rows:
        raise FitError("no language-model benchmark could be summarized: " + "; ".join(problems))
    if as_json:
        emit_json({"benchmarks": rows, "problems": problems})
        return
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"Language-model benchmarks: compute for {target}", box=box.SIMPLE,
                  pad_edge=False)
    for col in ("benchmark", "n", "floor", "held-out RMSE (pp) poly/exp/logistic", "chosen",
                "FLOP (chosen)", "95% CI", "dec. beyond", "halving (logistic)"):
        table.add_column(col, justify="left" if col == "benchmark" else "right",
                         no_wrap=col in ("benchmark", "FLOP (chosen)", "95% CI"))
    for r in rows:
        held = r["held_out"]
        chosen = r["chosen_form"]
        f = r["forms"].get(chosen or "logistic", {})
        lg = r["forms"].get("logistic", {}).get("halving") or {}
        ci = f.get("compute_ci") or []
        table.add_row(
            r["benchmark"], str(r["n"]), f"{r['floor']:.2f}",
            "/".join(f"{held[k]['rmse_pp']:.1f}" for k in ("poly", "exp", "logistic")),
            str(chosen), sci(f.get("compute_for_target")),
            escape(f"[{sci(ci[0])}, {sci(ci[1])}]") if len(ci) == 2 else "–",
            f"{f['orders_beyond_data']:.1f}" if f.get("orders_beyond_data") is not None
            else "–",
            f"{multiple(lg['factor'])}, k={lg['exponent']:.2f}" if lg.get("factor") else "–",
        )
    console = new_console()
    console.print(table)
    console.print(f"[dim]{escape('; '.join(filters.describe()))}[/dim]")
    for p in problems:
        console.print(f"[yellow]skipped: {escape(p)}[/yellow]")


@app.command("progress")
def progress(
    ctx: typer.Context,
    benchmarks: list[str] | None = typer.Argument(
        None, metavar="[BENCHMARK]...",
        help="Benchmarks for the time-trend estimate; default: all language-model ones."),
    window: int = typer.Option(45, "--family-window",
                               help="ECI families: one developer's models released within "
                                    "this many days."),
    per_model: str = typer.Option("best", "--per-model",
                                  help="ECI: one score per model (best) or every version (all)."),
    boot: int = typer.Option(2000, "--boot", help="Bootstrap resamples."),
    confidence: float = typer.Option(0.90, "--confidence",
                                     help="Interval level (0.90, as Epoch reports)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Algorithmic progress: Epoch's ECI two-stage method and per-benchmark time trends."""
    from dlcost.benchmarks import LM_BENCHMARKS, get_lm_benchmark
    from dlcost.exceptions import FitError
    from dlcost.frontier import lm_data
    from dlcost.frontier.progress import (
        EPOCH_ECI_2025,
        HO_2024,
        eci_progress,
        time_trend_progress,
    )
    from dlcost.store import open_db

    names = [get_lm_benchmark(b).id for b in benchmarks or list(LM_BENCHMARKS)]
    from dlcost.store.lm import lm_scores

    trends: dict[str, Any] = {}
    with open_db(db_path(ctx), read_only=True, on_wait=wait_message) as db:
        eci = eci_progress(db, per_model=per_model, window_days=window, n_boot=boot,
                           level=confidence, random_state=seed)
        scores = lm_scores(db)
        for name in names:
            try:
                trends[name] = time_trend_progress(lm_data(db, name, scores=scores),
                                                   n_boot=boot,
                                                   level=confidence, random_state=seed)
            except FitError as exc:
                trends[name] = exc
    doc = {"eci": eci.to_dict(),
           "time_trend": {k: (v.to_dict() if not isinstance(v, Exception)
                              else {"problem": str(v)}) for k, v in trends.items()},
           "anchors": {"epoch_eci_2025": EPOCH_ECI_2025, "ho_2024": HO_2024}}
    if as_json:
        emit_json(doc)
        return
    from rich.markup import escape

    console = new_console()
    lvl = f"{100 * confidence:g}%"
    console.print(escape(
        f"ECI two-stage: k = {eci.details['k']:.2f} ECI per ln(FLOP) within "
        f"{eci.details['n_families']} families; compute-equivalent gain "
        f"{eci.gain_per_year:.2f}×/yr ({lvl} CI {eci.ci[0]:.2f}–{eci.ci[1]:.2f}), halving "
        f"every {eci.halving_months:.1f} months"))
    console.print(escape(
        f"  Epoch AI 2025: {EPOCH_ECI_2025['gain_per_year']}×/yr (90% CI "
        f"{EPOCH_ECI_2025['ci'][0]}–{EPOCH_ECI_2025['ci'][1]}); Ho et al. 2024: halving every "
        f"~{HO_2024['halving_months']:g} months (95% CI ~{HO_2024['ci_months'][0]:g}–"
        f"{HO_2024['ci_months'][1]:g})"))
    for note in eci.notes:
        console.print(f"[dim]  {escape(note)}[/dim]")
    console.print("Time trend log10(1/err) = a + b·log10(C) + c·(year − 2012), gain = 10^(c/b):")
    for name, est in trends.items():
        if isinstance(est, Exception):
            console.print(f"  {name}: [yellow]{escape(str(est))}[/yellow]")
            continue
        console.print(escape(
            f"  {name}: {est.gain_per_year:.3g}×/yr ({lvl} CI {est.ci[0]:.3g}–{est.ci[1]:.3g}), "
            f"n = {est.n}"))
