"""Section "After 2020: the frontier era": the paper's question asked of language models.

Every number comes from :mod:`dlcost.frontier`: the comparable points (:func:`lm_data`), the
three forms and their held-out errors (:func:`benchmark_summary`), the fits drawn
(:func:`fit_lm`) and algorithmic progress (:func:`eci_progress`, :func:`time_trend_progress`).
The section needs Epoch AI's Benchmarking Hub and models table in the store; without them it
says what to import.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any

from dlcost.benchmarks import LM_BENCHMARKS
from dlcost.report import format as F
from dlcost.report.context import ReportContext
from dlcost.report.model import (
    Column,
    Prose,
    ReportTable,
    Section,
    Unavailable,
    figure_from,
    qualified_name,
)
from dlcost.store.lm import BENCHMARK_SOURCE, MODELS_SOURCE

#: Benchmarks drawn as figures (the issue's list); every registered one is in the tables.
FIGURE_BENCHMARKS = ("mmlu", "gsm8k", "hellaswag", "winogrande", "arc-ai2", "bbh",
                     "gpqa-diamond")
#: Bootstrap resamples of the language-model fits (the logistic refits all at once).
N_BOOT_LM = 1000

HOW_TO_READ = (
    "The paper's benchmarks stop around 2020. Since then the compute has gone into language "
    "models, scored on benchmarks such as MMLU, GSM8K and GPQA. Here each model's score is set "
    "against its training compute (Epoch AI's estimate), one point per model.",
    "These scores saturate: guessing already scores the chance level (25 % on four-way "
    "multiple choice) and the best models approach 100 %. So beside the paper's two forms, "
    "fitted to the error, a logistic curve in log compute is fitted with its floor at chance. "
    "The forms are compared by how well each predicts a model it was not fitted on "
    "(leave-one-out error of the score, in percentage points).",
    "Which score stands for a model is a choice, stated under every table: {filters}.",
)


def _available(ctx: ReportContext) -> str | None:
    have = set(ctx.db.sources())
    missing = [s for s in (BENCHMARK_SOURCE, MODELS_SOURCE) if s not in have]
    if missing:
        return ("the store has no " + " and no ".join(
            {BENCHMARK_SOURCE: "Epoch Benchmarking Hub scores (dlcost data import "
                                 "epoch-benchmarks DIR)",
             MODELS_SOURCE: "Epoch models table (dlcost data import epoch DIR)"}[m]
            for m in missing))
    return None


def summary_frame(rows: list[dict[str, Any]]) -> Any:
    """One row per language-model benchmark: n, floor, held-out errors, chosen form, compute
    for the target by the chosen form (with interval and decades beyond), the logistic's
    halving cost."""
    import pandas as pd

    out = []
    for r in rows:
        chosen = r["chosen_form"] or "logistic"
        f = r["forms"].get(chosen, {})
        ci = f.get("compute_ci") or [None, None]
        lg = (r["forms"].get("logistic") or {}).get("halving") or {}
        out.append({
            "benchmark": r["benchmark"], "name": r["name"], "n": r["n"], "floor": r["floor"],
            "rmse_poly_pp": r["held_out"]["poly"]["rmse_pp"],
            "rmse_exp_pp": r["held_out"]["exp"]["rmse_pp"],
            "rmse_logistic_pp": r["held_out"]["logistic"]["rmse_pp"],
            "chosen_form": chosen, "target_score": r["target_score"],
            "compute_flop": f.get("compute_for_target"),
            "compute_lo": ci[0], "compute_hi": ci[1],
            "decades_beyond_data": f.get("orders_beyond_data"),
            "logistic_halving_factor": lg.get("factor"),
            "logistic_exponent": lg.get("exponent"),
            "time_trend_gain": (r.get("time_trend") or {}).get("gain_per_year"),
        })
    return pd.DataFrame(out)


def halving_comparison_frame(ctx: ReportContext, rows: list[dict[str, Any]]) -> Any:
    """The cost of halving the error: the paper's benchmarks (power law, as in the headline)
    beside the language-model benchmarks (power law and logistic)."""
    import pandas as pd

    out = []
    for h in ctx.halving:
        if h.fit.form != "poly":
            continue
        out.append({"era": "paper (to 2020)", "benchmark": h.name, "form": "power law",
                    "at_error": h.halving.at_error, "factor": h.halving.factor,
                    "exponent": h.halving.exponent})
    for r in rows:
        for form, label in (("poly", "power law"), ("logistic", "logistic")):
            hv = (r["forms"].get(form) or {}).get("halving") or {}
            if hv.get("factor") is None:
                continue
            out.append({"era": "language models (2019–2025)", "benchmark": r["name"],
                        "form": label, "at_error": hv["at_error"], "factor": hv["factor"],
                        "exponent": hv["exponent"]})
    return pd.DataFrame(out)


def frontier(ctx: ReportContext) -> Section:
    from dlcost.exceptions import FitError
    from dlcost.frontier import Comparability, lm_data
    from dlcost.frontier.analysis import DEFAULT_TARGET_SCORE, benchmark_summary, fit_lm
    from dlcost.frontier.progress import EPOCH_ECI_2025, HO_2024, eci_progress
    from dlcost.plotting.frontier import lm_scaling_figure, progress_figure

    filters = Comparability()
    section = Section("frontier", "After 2020: the frontier era",
                      [p.format(filters="; ".join(filters.describe())) for p in HOW_TO_READ])
    missing = _available(ctx)
    if missing:
        section.blocks.append(Unavailable("the frontier era", missing))
        return section
    from dlcost.store.lm import lm_scores

    scores = lm_scores(ctx.db)  # joined once for every benchmark
    rows: list[dict[str, Any]] = []
    for bench in LM_BENCHMARKS:
        try:
            rows.append(benchmark_summary(ctx.db, bench, filters=filters, n_boot=N_BOOT_LM,
                                          random_state=ctx.seed, scores=scores))
        except FitError as exc:
            section.blocks.append(Unavailable(f"the {LM_BENCHMARKS[bench].name} fits", str(exc)))
    for bench in FIGURE_BENCHMARKS:
        try:
            data = lm_data(ctx.db, bench, filters=filters, scores=scores)
            fits = {"logistic": fit_lm(data, n_boot=N_BOOT_LM, random_state=ctx.seed),
                    "poly": fit_lm(data, form="poly", n_boot=0)}
        except FitError as exc:
            section.blocks.append(Unavailable(f"the {LM_BENCHMARKS[bench].name} figure",
                                              str(exc)))
            continue
        lg = fits["logistic"]
        section.blocks.append(figure_from(
            lm_scaling_figure, data, fits, id=f"fig-frontier-{bench}",
            title=f"{data.benchmark.name}: score against training compute",
            caption=f"Logistic: score = {F.fixed(lg.floor, 2)} + ({F.fixed(lg.ceiling_, 2)} − "
                    f"{F.fixed(lg.floor, 2)})·σ({F.fixed(lg.slope_, 3)}·(log10 C − "
                    f"{F.fixed(lg.midpoint_, 2)})), n = {lg.n_}, band {ctx.level} bootstrap. "
                    f"Floor: {data.benchmark.floor_source}. "
                    + "; ".join(data.notes) + ".",
            inputs=f"{len(data)} models (epoch_benchmarks joined to epoch)",
        ))
    if not rows:
        return section
    frame = summary_frame(rows)
    target = f"{DEFAULT_TARGET_SCORE:.0%}"
    section.blocks.append(ReportTable(
        id="table-frontier-compute",
        title=f"Compute needed for a score of {target}, and which form predicts best",
        frame=frame,
        columns=[
            Column("name", "Benchmark"),
            Column("n", "n", F.integer, numeric=True),
            Column("floor", "Chance floor", partial(F.fixed, decimals=2), numeric=True),
            Column("rmse_poly_pp", "Held-out RMSE, power law (pp)", partial(F.fixed, decimals=1),
                   numeric=True),
            Column("rmse_exp_pp", "exponential", partial(F.fixed, decimals=1), numeric=True),
            Column("rmse_logistic_pp", "logistic", partial(F.fixed, decimals=1), numeric=True),
            Column("chosen_form", "Chosen form"),
            Column("compute_flop", f"FLOP for {target}", F.sci, numeric=True),
            Column("compute_lo", f"{ctx.level} low", F.sci, numeric=True),
            Column("compute_hi", f"{ctx.level} high", F.sci, numeric=True),
            Column("decades_beyond_data", "Decades beyond the data", partial(F.fixed, decimals=1),
                   numeric=True),
        ],
        maker=qualified_name(summary_frame),
        caption="Held-out error: each model predicted by a fit made without it (leave-one-out), "
                "in percentage points of score; the chosen form has the lowest. Compute: "
                "Epoch AI's training compute (operations, not hardware burden). "
                + "; ".join(filters.describe()) + ".",
    ))
    halving = halving_comparison_frame(ctx, rows)
    if not halving.empty:
        section.blocks.append(ReportTable(
            id="table-frontier-halving",
            title="The cost of halving the error: the paper's benchmarks and language models",
            frame=halving,
            columns=[
                Column("era", "Era"), Column("benchmark", "Benchmark"), Column("form", "Form"),
                Column("at_error", "From error", F.percent, numeric=True),
                Column("factor", "Compute × to halve it", F.multiple, numeric=True),
                Column("exponent", "Implied exponent k", partial(F.fixed, decimals=2),
                       numeric=True),
            ],
            maker=qualified_name(halving_comparison_frame),
            caption="Compute ∝ (1/error)^k near today's best error; theory's bound is k ≥ 4 "
                    "(section on theory). The paper's rows are its power-law fits on hardware "
                    "burden; the language-model rows use training compute.",
        ))
    section.blocks.extend(_progress_blocks(ctx, rows, eci_progress, EPOCH_ECI_2025, HO_2024,
                                           progress_figure))
    return section


def progress_rows(eci: Any, rows: list[dict[str, Any]], epoch: dict[str, Any],
                  ho: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of the algorithmic-progress figure and table: ours, then the anchors."""
    out = []
    if eci is not None:
        out.append({"label": "ECI, Epoch's two-stage method (this data)",
                    "gain": eci.gain_per_year, "lo": eci.ci[0], "hi": eci.ci[1],
                    "level": eci.level, "kind": "ours", "n": eci.n})
    for r in rows:
        tt = r.get("time_trend") or {}
        if r["benchmark"] in FIGURE_BENCHMARKS and tt.get("gain_per_year"):
            out.append({"label": f"{r['name']}, time trend", "gain": tt["gain_per_year"],
                        "lo": tt["ci"][0], "hi": tt["ci"][1], "level": tt["level"],
                        "kind": "ours", "n": tt["n"]})
    out.append({"label": "Epoch AI 2025 (ECI)", "gain": epoch["gain_per_year"],
                "lo": epoch["ci"][0], "hi": epoch["ci"][1], "level": epoch["level"],
                "kind": "anchor", "n": None})
    to_gain = 2.0 ** (12.0 / ho["halving_months"])
    out.append({"label": "Ho et al. 2024 (perplexity)", "gain": to_gain,
                "lo": 2.0 ** (12.0 / ho["ci_months"][1]),
                "hi": 2.0 ** (12.0 / ho["ci_months"][0]), "level": ho["level"],
                "kind": "anchor", "n": None})
    return out


def _progress_blocks(ctx: ReportContext, rows: list[dict[str, Any]], eci_progress: Any,
                     epoch: dict[str, Any], ho: dict[str, Any], progress_figure: Any) -> list[Any]:
    import pandas as pd

    from dlcost.exceptions import FitError

    blocks: list[Any] = []
    try:
        eci = eci_progress(ctx.db, random_state=ctx.seed)
    except FitError as exc:
        eci = None
        blocks.append(Unavailable("the ECI algorithmic-progress estimate", str(exc)))
    table_rows = progress_rows(eci, rows, epoch, ho)
    blocks.append(figure_from(
        progress_figure, table_rows, id="fig-frontier-progress",
        title="Algorithmic progress: compute-equivalent gain per year",
        caption="dlcost's estimates on this data (blue) beside the published ones (orange). "
                "Time trend: log10(1/err) = a + b·log10(C) + c·(year − 2012), gain 10^(c/b). "
                "ECI: slope k of the Epoch Capabilities Index against ln(compute) within model "
                "families, then the trend of ECI − k·ln(compute), gain e^(trend/k).",
        inputs="epoch_benchmarks (ECI and scores), epoch (compute)",
        height_px=160 + 28 * len(table_rows),
    ))
    frame = pd.DataFrame(table_rows)
    frame["halving_months"] = [12.0 * math.log(2) / math.log(g) if g and g > 1 else math.inf
                               for g in frame["gain"]]
    blocks.append(ReportTable(
        id="table-frontier-progress", title="Algorithmic progress, with intervals",
        frame=frame,
        columns=[
            Column("label", "Estimate"),
            Column("gain", "× per year", partial(F.number, digits=3), numeric=True),
            Column("lo", "low", partial(F.number, digits=3), numeric=True),
            Column("hi", "high", partial(F.number, digits=3), numeric=True),
            Column("level", "Interval level", F.share, numeric=True),
            Column("halving_months", "Halving time (months)", partial(F.number, digits=3),
                   numeric=True),
        ],
        maker=qualified_name(progress_rows),
        caption="Bootstrap intervals (ours: 90 %, as Epoch reports; Ho et al.: 95 %). "
                "Reasoning models (2024–25) raise scores at unchanged pretraining compute, so "
                "time trends on GPQA and maths measure post-training as much as algorithms.",
    ))
    if eci is not None:
        blocks.append(Prose([
            f"On the Epoch Capabilities Index, k = {F.fixed(eci.details['k'], 2)} ECI points "
            f"per ln(FLOP) within {eci.details['n_families']} families; the rest of the trend "
            f"is worth {F.number(eci.gain_per_year, 3)}× more compute per year (90 % interval "
            f"{F.number(eci.ci[0], 3)}–{F.number(eci.ci[1], 3)}), against Epoch AI's "
            f"{epoch['gain_per_year']}× ({epoch['ci'][0]}–{epoch['ci'][1]}) on their data and "
            f"Ho et al.'s halving every ~{ho['halving_months']:g} months. "
            + " ".join(n[:1].upper() + n[1:] + "." for n in eci.notes),
        ]))
    return blocks
