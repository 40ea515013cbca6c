"""Section: what would it take — the year each target becomes affordable under current trends
and under each lever, and what one well-documented model costs over its life."""

from __future__ import annotations

import math
import warnings
from typing import Any

from dlcost.assumptions import PLAN_DRAWS
from dlcost.benchmarks import BENCHMARKS
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

HOW_TO_READ = (
    "When does a target become affordable? The compute the benchmark's fit says the target "
    "needs, priced at today's cloud price of an H100 (Epoch AI's hardware prices), is set "
    "against what the largest training runs cost (Epoch AI's frontier training costs). Each "
    "year the gap closes by algorithmic progress (less compute for the same error), cheaper "
    "FLOP (FLOP/s per dollar of ML hardware) and bigger budgets. A Monte Carlo of 4,000 "
    "futures draws every input from its uncertainty; the year is their median, with the "
    "5th–95th percentile. The intervals are nominal: they carry the uncertainty of the fits, "
    "not how well such forecasts did in the past.",
    "Levers (after the article's closing section): without algorithmic progress; with hardware "
    "price-performance stalled (the 'diminishing returns' of specialisation); with budgets "
    "flat at today's level; and with a 10× more efficient architecture. 'Years saved' is the "
    "difference of median years (negative: the lever delays the target).",
    "Cost over a model's life: training once, then serving every day at 2N FLOP per token. "
    "For a widely used model serving overtakes training within months — the article's point "
    "that running costs dominate, and why smaller networks help running costs most.",
)
#: Language-model benchmark and target shown beside the paper's (the issue's example).
LM_TARGET = ("mmlu", 0.95)
#: Illustrative loads for the life-cycle table (queries per day); stated as such, not facts.
LOADS = (1e6, 1e7, 1e8)


def _targets(ctx: ReportContext) -> list[tuple[str, str, dict[str, float]]]:
    from dlcost.projection import PAPER_TARGETS

    out = []
    for bench, fits in ctx.fits().items():
        if fits.ok and bench in PAPER_TARGETS:
            error = PAPER_TARGETS[bench][0]
            out.append((bench, f"error {F.percent(error)}", {"error": error}))
    out.append((LM_TARGET[0], f"score {LM_TARGET[1]:.0%}", {"score": LM_TARGET[1]}))
    return out


def plans(ctx: ReportContext) -> tuple[list[Any], list[tuple[str, str]]]:
    """One plan per benchmark with a fit (the paper's first target) and for MMLU at 95 %."""
    from dlcost.exceptions import DlcostError, ExtrapolationWarning
    from dlcost.plan import plan

    found, problems = [], []
    for bench, label, target in _targets(ctx):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ExtrapolationWarning)
                p = plan(ctx.db, bench, error=target.get("error"), score=target.get("score"),
                         n=int(PLAN_DRAWS.value), seed=ctx.seed,
                         sources=None if bench == LM_TARGET[0] else ctx.sources)
            found.append((label, p))
        except DlcostError as exc:
            problems.append((f"{bench} ({label})", str(exc)))
    return found, problems


def _year(summary: dict[str, Any]) -> str:
    y, (lo, hi) = summary["year"], summary["year_ci"]

    def one(v: float | None) -> str:
        return "never" if v is None or not math.isfinite(v) else f"{v:.0f}"

    return f"{one(y)} [{one(lo)}–{one(hi)}]"


def plans_frame(found: list[tuple[str, Any]]) -> Any:
    """One row per plan: target, compute, cost today, year and each lever's year."""
    import pandas as pd

    rows = []
    for label, p in found:
        s = p.outcome.summary()
        name = BENCHMARKS[p.target.benchmark].name if p.target.benchmark in BENCHMARKS \
            else p.target.benchmark.upper()
        row: dict[str, Any] = {
            "benchmark": name, "target": label,
            "flop": 10 ** p.inputs.log10_flop.center, "usd_today": s["usd_today"],
            "year": _year(s), "p_reachable": s["p_reachable"], "usd": s["usd"],
            "co2_kg": s["co2_kg"],
        }
        for lv in p.levers:
            saved = lv.years_saved
            row[lv.lever.key] = (_year(lv.outcome.summary())
                                 + ("" if saved is None else f" ({saved:+.1f})"))
        rows.append(row)
    return pd.DataFrame(rows)


def life_frame() -> Any:
    """GPT-3 (Patterson et al. 2021) and GPT-3 6.7B at each illustrative load."""
    import pandas as pd

    from dlcost.plan.lifecycle import gpt3_example

    rows = []
    for load in LOADS:
        comp = gpt3_example(queries_per_day=load, days=365)
        for life in (comp.model, comp.smaller):
            if life is None:
                continue
            days = life.overtake_days()
            rows.append({
                "model": life.name, "queries_per_day": load,
                "training_mwh": life.training.kwh / 1000,
                "training_t": life.training.co2_kg / 1000,
                "serving_mwh": life.serving.kwh / 1000,
                "overtake_days": days["kwh"], "overtake_days_usd": days["usd"],
                "total_t": (life.total("co2_kg") or 0) / 1000,
                "total_usd": life.total("usd"),
            })
    return pd.DataFrame(rows)


def what_would_it_take(ctx: ReportContext) -> Section:
    from dlcost.plotting.plan import levers_figure

    section = Section("plan", "What would it take", list(HOW_TO_READ))
    found, problems = plans(ctx)
    if found:
        frame = plans_frame(found)
        display = frame.assign(
            flop=[F.sci(v) for v in frame["flop"]],
            usd_today=[F.usd(v) for v in frame["usd_today"]],
            p_reachable=[F.share(v) for v in frame["p_reachable"]],
            usd=[F.usd(v) for v in frame["usd"]],
            co2=[F.sci(None if v is None else v / 1000) for v in frame["co2_kg"]])
        first = found[0][1]
        columns = [Column("benchmark", "Benchmark"), Column("target", "Target"),
                   Column("flop", "FLOP needed", numeric=True),
                   Column("usd_today", "Cost today", numeric=True),
                   Column("year", "Year [90 %]"),
                   Column("p_reachable", f"Reached by {first.inputs.horizon_year:g}",
                          numeric=True),
                   Column("usd", "Cost that year", numeric=True),
                   Column("co2", "t CO₂e that year", numeric=True)]
        columns += [Column(lv.lever.key, lv.lever.title) for lv in first.levers]
        section.blocks.append(ReportTable(
            id="table-plan", title="The year each target becomes affordable, and each lever",
            frame=frame, display=display, columns=columns, maker=qualified_name(plans_frame),
            caption=f"Start year {first.inputs.start_year:g}; cost and CO₂ in the year reached "
                    "(medians over the futures that reach it). Compute: the paper's power law "
                    "on the consolidated hardware burden (MMLU: logistic on training compute); "
                    "price: the median 2025 on-demand H100 price in Epoch AI's hardware "
                    "prices; spend: Epoch AI's frontier training costs (running top 10, since "
                    "2016); CO₂ at Patterson et al. 2021's 0.429 kg/kWh. Lever columns: "
                    "median year [90 %] (years saved)."))
        section.blocks.append(figure_from(
            levers_figure, first, id="fig-plan-levers",
            title=f"{found[0][0]}: the year it becomes affordable, by lever",
            inputs=f"{int(PLAN_DRAWS.value)} Monte Carlo draws, seed {ctx.seed}"))
        section.blocks.append(Prose(["Assumptions of the first plan: "
                                     + "; ".join(first.assumptions()) + "."]))
    for what, why in problems:
        section.blocks.append(Unavailable(f"a plan for {what}", why))
    life = life_frame()
    section.blocks.append(ReportTable(
        id="table-life-cost", title="GPT-3 over one year of service: when serving overtakes "
                                    "training",
        frame=life, display=life.assign(
            queries_per_day=[F.sci(v) for v in life["queries_per_day"]],
            training_mwh=[F.number(v, 4) for v in life["training_mwh"]],
            training_t=[F.number(v, 4) for v in life["training_t"]],
            serving_mwh=[F.number(v, 4) for v in life["serving_mwh"]],
            overtake_days=[F.number(v, 3) for v in life["overtake_days"]],
            total_t=[F.number(v, 4) for v in life["total_t"]],
            total_usd=[F.usd(v) for v in life["total_usd"]]),
        columns=[Column("model", "Model"), Column("queries_per_day", "Queries/day", numeric=True),
                 Column("training_mwh", "Training MWh", numeric=True),
                 Column("training_t", "Training t CO₂e", numeric=True),
                 Column("serving_mwh", "Serving MWh/yr", numeric=True),
                 Column("overtake_days", "Serving overtakes training (days)", numeric=True),
                 Column("total_t", "Total t CO₂e, 1 yr", numeric=True),
                 Column("total_usd", "Total USD, 1 yr", numeric=True)],
        maker=qualified_name(life_frame),
        caption="Training of GPT-3 175B: Patterson et al. 2021, Table 4 (10,000 V100 × 14.8 "
                "days × 330 W × PUE 1.10 × 0.429 kg/kWh → 1,287 MWh, 552 t CO₂e). Serving: "
                "2N FLOP per token (Kaplan et al. 2020), N from Brown et al. 2020, 500 tokens "
                "per query, utilization 0.1 and 0.7 × TDP (Epoch AI, You 2025), on V100s at "
                "2019–2020 cloud prices. GPT-3 6.7B: 6ND on the same 300 B tokens. The loads "
                "are illustrative, not published figures."))
    return section
