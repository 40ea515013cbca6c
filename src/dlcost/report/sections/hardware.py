"""Section 4: compute over time, and how much of its growth came from hardware vs scale."""

from __future__ import annotations

import re
from typing import Any

from dlcost.benchmarks import BENCHMARKS
from dlcost.report import format as F
from dlcost.report.context import ReportContext, describe_sources
from dlcost.report.model import (
    Column,
    Prose,
    ReportTable,
    Section,
    Unavailable,
    figure_from,
    qualified_name,
)
from dlcost.report.sections.compare import data_note

HOW_TO_READ = (
    "The first chart shows when each result was published and how much computation trained "
    "it, on a logarithmic scale: a straight upward band means compute grew by a steady "
    "multiple each year. Diamonds mark results that set a new state of the art.",
    "The hardware burden of a training run is chips × each chip's peak speed × training time, "
    "so the ratio between two runs splits exactly into three factors: faster chips, more "
    "chips, and longer (or shorter) training. The bar chart stacks those factors on a "
    "logarithmic scale; their lengths add up to the total. If better chips explained most of "
    "the growth, progress would come cheap; more chips and longer runs are paid for in full.",
)

def pair_decompositions(ctx: ReportContext) -> tuple[list[tuple[str, Any]], list[str]]:
    """The library's landmark pairs (:func:`dlcost.decompose.landmark_pairs`) on the fits'
    data, and the problems."""
    from dlcost.decompose import landmark_pairs

    data = {bench: fits.data for bench, fits in ctx.fits().items() if fits.ok}
    return landmark_pairs(ctx.db, data, sources=ctx.sources)


def pairs_frame(pairs: list[tuple[str, Any]]) -> Any:
    import pandas as pd

    records = []
    for label, d in pairs:
        shares = d.shares
        records.append({
            "pair": f"{label}: {d.a.name} → {d.b.name}", "from_model": d.a.name,
            "to_model": d.b.name,
            "from_setup": f"{d.a.chip_count:g} × {d.a.chip}", "to_setup":
                f"{d.b.chip_count:g} × {d.b.chip}",
            "total": d.total, "chip_speed": d.factors["chip_speed"],
            "chip_count": d.factors["chip_count"], "training_time": d.factors["training_time"],
            "share_chip_speed": shares["chip_speed"], "share_chip_count": shares["chip_count"],
            "share_training_time": shares["training_time"],
        })
    return pd.DataFrame(records)


def hardware(ctx: ReportContext) -> Section:
    from dlcost.decompose import FACTOR_LABELS
    from dlcost.plotting.report_figures import (
        compute_over_time_figure,
        pair_decomposition_figure,
    )

    section = Section("hardware", "Compute over time: hardware or scale?", HOW_TO_READ)
    section.blocks.append(data_note(ctx))
    series = [{"name": BENCHMARKS[b].name, "points": f.data.frame}
              for b, f in ctx.fits().items() if f.ok]
    if series:
        section.blocks.append(figure_from(
            compute_over_time_figure, series, measure_label="hardware burden",
            id="fig-compute-over-time",
            title="Compute of published results over time",
            caption="Every result of section 2, by publication date. Diamonds: state of the "
                    "art when published.",
            inputs=f"{sum(len(s['points']) for s in series)} results ({', '.join(ctx.sources)})",
        ))
    else:
        section.blocks.append(Unavailable("compute over time", "no benchmark has results with "
                                                               "compute (see section 2)"))

    pairs, problems = pair_decompositions(ctx)
    if pairs:
        section.blocks.append(figure_from(
            pair_decomposition_figure,
            [{"label": label, "detail": f"{d.a.name} → {d.b.name}", "total": d.total,
              "factors": d.factors} for label, d in pairs],
            FACTOR_LABELS,
            id="fig-pair-decomposition",
            title="Where the extra compute came from: chips, chip count, training time",
            caption="Each bar splits the ratio of two training runs' hardware burdens into its "
                    "three factors (log scale; a factor below 1× points left). The black tick "
                    "and label give the total.",
            inputs="training facts in the store (chips, count, time) and the accelerator "
                   "catalogue's peak FLOP/s",
        ))
        section.blocks.append(ReportTable(
            id="table-pair-decomposition",
            title="Pairwise decomposition of hardware burden",
            frame=pairs_frame(pairs),
            columns=[
                Column("pair", "Pair"),
                Column("from_setup", "From"),
                Column("to_setup", "To"),
                Column("total", "Total", F.multiple, numeric=True),
                Column("chip_speed", "Faster chips", F.multiple, numeric=True),
                Column("chip_count", "More chips", F.multiple, numeric=True),
                Column("training_time", "Training time", F.multiple, numeric=True),
                Column("share_chip_speed", "Faster chips' share", F.share, numeric=True),
            ],
            maker=qualified_name(pairs_frame),
            caption="Shares are each factor's logarithm over the total's (they add to 100%; a "
                    "factor below 1× has a negative share).",
        ))
    for problem in problems:
        section.blocks.append(Unavailable("a pairwise decomposition", problem))
    section.blocks.extend(_trend_blocks(ctx))
    return section


def _trend_blocks(ctx: ReportContext) -> list[Any]:
    from dlcost.decompose import EPOCH_2025_URL, trend
    from dlcost.decompose.trend import default_trend_sources
    from dlcost.exceptions import DlcostError
    from dlcost.plotting.report_figures import growth_rates_figure

    # The trend needs models with training facts: with the combined default, Epoch AI's models.
    sources = default_trend_sources(ctx.db) if ctx.sources == ["combined"] else ctx.sources
    try:
        result = trend(ctx.db, sources=sources, random_state=ctx.seed)
    except DlcostError as exc:
        return [Unavailable("the trend decomposition across many models", str(exc))]
    rows = [{"label": r.to_dict()["label"], "growth": r.growth_per_year, "ci": r.ci,
             "epoch": r.epoch_2025} for r in result.rates.values()]
    frame = result.to_frame()
    lo_col, hi_col = [c for c in frame.columns if re.fullmatch(r"p[\d.]+", str(c))]
    return [
        Prose([
            f"Data: {describe_sources(sources, ctx.db.sources())}. "
            f"Across {result.n_models} models (selection: {result.selection}), each quantity "
            "was fitted against publication date on a log scale; its growth per year is ten to "
            "the slope. Epoch AI's 2025 estimates stand beside ours."
            + (f" Notes: {'; '.join(result.notes)}." if result.notes else "")
        ]),
        figure_from(
            growth_rates_figure, rows, confidence=result.confidence,
            id="fig-growth-rates",
            title="Growth per year of training compute and of its three drivers",
            caption=f"Circles: these data, with {result.confidence:.0%} bootstrap intervals "
                    f"({result.n_boot} resamples). Diamonds: Epoch AI (2025), {EPOCH_2025_URL}.",
            inputs=f"{result.n_models} models ({', '.join(result.selection['sources'])})",
        ),
        ReportTable(
            id="table-growth-rates",
            title="Growth per year, with each driver's share",
            frame=frame,
            columns=[
                Column("label", "Quantity"),
                Column("n", "Models", F.integer, numeric=True),
                Column("growth_per_year", "Growth per year", F.multiple, numeric=True),
                Column(lo_col, f"Low ({lo_col})", F.multiple, numeric=True),
                Column(hi_col, f"High ({hi_col})", F.multiple, numeric=True),
                Column("share", "Share of growth", F.share, numeric=True),
                Column("epoch_2025_median", "Epoch AI 2025", F.multiple, numeric=True),
            ],
            maker=qualified_name(type(result).to_frame),
        ),
    ]
