"""Section 1: what halving the error costs on each benchmark, next to theory's bound."""

from __future__ import annotations

import math

from dlcost.benchmarks import BENCHMARKS
from dlcost.report import format as F
from dlcost.report.context import HalvingRow, ReportContext
from dlcost.report.model import (
    Card,
    Cards,
    Column,
    Prose,
    ReportTable,
    Section,
    Unavailable,
    figure_from,
    qualified_name,
)
from dlcost.report.sections.compare import (
    THIN,
    data_note,
    halving_side_by_side,
    thin_reasons,
)

HOW_TO_READ = (
    "Each benchmark's results were fitted with a power law: error falls as compute to a small "
    "negative power. From that fit follows one number that is easy to compare: how many times "
    "more computation it takes to cut the error in half.",
    "Theory says what to expect at best. Statistics alone needs {data} the data to halve an "
    "error; a model whose parameters grow with its data then costs {data} more per pass as "
    "well, so halving the error needs at least {power} = {factor} the compute. Far larger "
    "multiples mean progress has cost much more than even that pessimistic bound.",
)


def halving_rows(ctx: ReportContext) -> list[HalvingRow]:
    """Per benchmark and form: the :class:`~dlcost.projection.HalvingCost` of its fit
    (:attr:`ReportContext.halving`, shared with other sections)."""
    return ctx.halving


def headline(ctx: ReportContext) -> Section:
    from dlcost.plotting.report_figures import halving_cost_figure
    from dlcost.simulation.theory import OVERPARAMETERIZED, STATISTICAL

    theory_factor = OVERPARAMETERIZED.compute_factor(2.0)
    theory_exponent = OVERPARAMETERIZED.compute_exponent
    how = [p.format(data=F.multiple(STATISTICAL.data_factor(2.0)),
                    power=F.power(2, theory_exponent), factor=F.multiple(theory_factor))
           for p in HOW_TO_READ]
    section = Section("headline", "The cost of halving the error", how)
    section.blocks.append(data_note(ctx))
    rows = halving_rows(ctx)
    poly = [r for r in rows if r.fit.form == "poly"]
    cards = []
    for r in poly:
        hc = r.halving
        if not math.isfinite(hc.factor):
            cards.append(Card(
                title=r.name, value="no gain",
                detail=f"the fitted slope is {F.number(r.fit.slope_)}: in these data more "
                       f"compute did not lower the error, so no amount halves it; n = "
                       f"{r.fit.n_}",
            ))
            continue
        ci = (f" ({ctx.level} CI "
              f"{F.interval(hc.factor_ci[0], hc.factor_ci[1], fmt=F.multiple)})"
              if hc.factor_ci else "")
        if not r.fit.reliable_:  # a thin fit: the verdict, its numbers in small print
            cards.append(Card(
                title=r.name, value=THIN,
                detail=f"{thin_reasons(r.fit)}; fitted: "
                       f"{F.multiple(hc.factor)}{ci}, n = {r.fit.n_}",
            ))
            continue
        cards.append(Card(
            title=r.name,
            value=F.multiple(hc.factor),
            detail=f"more compute to halve the error{ci}; implied exponent "
                   f"{F.number(hc.exponent)} vs theory's {F.number(theory_exponent)} "
                   f"({F.multiple(theory_factor)}); n = {r.fit.n_}",
            tone="warn" if hc.factor > theory_factor else "good",
        ))
    cards.append(Card(title="Theory's lower bound", value=F.multiple(theory_factor),
                      detail=f"{F.power(2, theory_exponent)}: compute grows at least as "
                             f"(1/error){F.superscript(theory_exponent)} for "
                             "over-parameterized models (section 5)"))
    section.blocks.append(Cards(cards))
    side = halving_side_by_side(ctx)
    if side is not None:
        section.blocks.append(side)
    for bench, fits in ctx.fits().items():
        if not fits.ok:
            section.blocks.append(Unavailable(f"{BENCHMARKS[bench].name} halving cost",
                                              fits.problem or "no fit"))
    if not poly:
        section.blocks.append(Unavailable(
            "the headline", "no benchmark has enough results with compute to fit; import more "
            "data (`dlcost data fetch futuretech`) or choose other sources with --data"))
        return section

    plotted = [r for r in poly if math.isfinite(r.halving.factor)]
    left_out = [r.name for r in poly if not math.isfinite(r.halving.factor)]
    if plotted:
        section.blocks.append(figure_from(
            halving_cost_figure,
            [{"name": r.name, "factor": r.halving.factor,
              "factor_ci": r.halving.factor_ci} for r in plotted],
            theory_factor=theory_factor,
            level=ctx.level,
            theory_label=f"Theory's bound: {F.power(2, theory_exponent)} = "
                         f"{F.multiple(theory_factor)}",
            id="fig-halving-cost",
            title="Compute needed to halve the error, by benchmark",
            caption="Diamonds: the multiple implied by each benchmark's power-law fit, "
                    f"2^(1/b), with its {ctx.level} bootstrap interval (an interval running off "
                    "the right edge is unbounded: some resamples show no gain from compute). "
                    "Dashed line: theory's lower bound. The axis is logarithmic."
                    + (f" Not shown (no gain from compute in these data): "
                       f"{', '.join(left_out)}." if left_out else ""),
            inputs=f"power-law fits of section 2 ({', '.join(ctx.sources)})",
        ))
    import pandas as pd

    frame = pd.DataFrame([
        {
            "benchmark": r.benchmark,
            "form": r.fit.form,
            "n": r.fit.n_,
            "slope_b": r.fit.slope_,
            "at_error": r.halving.at_error,
            "halving_factor": r.halving.factor,
            "halving_factor_lo": r.halving.factor_ci[0] if r.halving.factor_ci else None,
            "halving_factor_hi": r.halving.factor_ci[1] if r.halving.factor_ci else None,
            "exponent": r.halving.exponent,
            "exponent_lo": r.halving.exponent_ci[0] if r.halving.exponent_ci else None,
            "exponent_hi": r.halving.exponent_ci[1] if r.halving.exponent_ci else None,
            "theory_exponent": theory_exponent,
            "theory_factor": theory_factor,
            "confidence": r.halving.confidence,
        }
        for r in rows
    ])
    frame["benchmark_name"] = frame["benchmark"].map(lambda b: BENCHMARKS[b].name)
    frame["form_name"] = frame["form"].map({"poly": "power law", "exp": "exponential"})
    section.blocks.append(ReportTable(
        id="table-halving-cost",
        title="Halving cost and implied exponent, both fitted forms",
        frame=frame,
        columns=[
            Column("benchmark_name", "Benchmark"),
            Column("form_name", "Form"),
            Column("n", "n", F.integer, numeric=True),
            Column("slope_b", "Slope b", F.number, numeric=True),
            Column("halving_factor", "Halving cost", F.multiple, numeric=True),
            Column("halving_factor_lo", f"{ctx.level} CI low", F.multiple, numeric=True),
            Column("halving_factor_hi", f"{ctx.level} CI high", F.multiple, numeric=True),
            Column("exponent", "Exponent k", F.number, numeric=True),
            Column("theory_exponent", "Theory's k", F.number, numeric=True),
        ],
        maker=qualified_name(halving_rows),
        caption="Power law: halving costs 2^(1/b) at any error and k = 1/b. Exponential form: "
                "the multiple grows as the error falls; shown at today's best error, with k the "
                "local slope of log compute against log(1/error).",
    ))
    from dlcost.fitting import MEASURES

    measures = sorted({r.fit.measure_ for r in rows if r.fit.measure_})
    section.blocks.append(Prose([
        "Compute here: " + "; ".join(MEASURES.get(m, m) for m in measures)
        + ". Section 6 lists which rows were filled in.",
    ]))
    return section
