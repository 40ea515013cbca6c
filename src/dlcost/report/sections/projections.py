"""Section 3: the paper's projections table — compute, dollars and CO₂ for target errors."""

from __future__ import annotations

from typing import Any

from dlcost.benchmarks import BENCHMARKS
from dlcost.projection import PAPER_TARGETS as PAPER_TARGETS  # re-exported (tests, provenance)
from dlcost.projection import default_targets
from dlcost.report import format as F
from dlcost.report.context import PROJECTION_PRESET, Projections, ReportContext
from dlcost.report.model import Column, Prose, ReportTable, Section, Unavailable, qualified_name
from dlcost.report.sections.compare import data_note, projections_side_by_side

#: Cost preset of the table: the per-GFLOP constants behind the paper's own columns.
PRESET = PROJECTION_PRESET

HOW_TO_READ = (
    "Each fit can be run backwards: for a target error, how much computation would the trend "
    "need? The first column is today's best error in the data, with the compute the fitted "
    "line puts there (not an actual model); the next two are the targets the paper's authors "
    "chose. Compute is in FLOP and in GFLOP ({gflop} FLOP, the paper's unit).",
    "Dollars and CO₂ convert compute at constant cost per GFLOP, derived from a measured "
    "training run (the preset is named in the table). The ranges are {level} bootstrap intervals "
    "of the fitted curve. 'Beyond the data' says by how many factors of ten a projection "
    "reaches past the largest compute the fit saw: large values are extrapolations, to be read "
    "as 'on this trend, impossibly expensive' rather than as forecasts.",
)


def targets_for(benchmark: str, today_error: float) -> tuple[list[float], str]:
    """The two target errors for ``benchmark``, and where they come from (the library's rule,
    :func:`dlcost.projection.default_targets`)."""
    targets = default_targets(benchmark, today_error)
    return list(targets.errors), targets.origin


def projection_rows(ctx: ReportContext) -> Projections:
    """The :class:`~dlcost.projection.Projection` of each fit (:attr:`ReportContext.projections`,
    shared with provenance)."""
    return ctx.projections


def projections_frame(ctx: ReportContext) -> Any:
    import pandas as pd

    from dlcost.projection.equivalences import NYC_MONTH

    records = []
    for entry in projection_rows(ctx).entries:
        bench, fit, proj, origin = entry.benchmark, entry.fit, entry.projection, entry.targets_from
        for column, row in zip(["today", "target 1", "target 2"], proj.rows, strict=False):
            nyc = None if row.co2_kg is None else NYC_MONTH.count(row.co2_kg)
            nyc_ci = ([NYC_MONTH.count(c) for c in row.co2_kg_ci] if row.co2_kg_ci
                      else [None, None])
            records.append({
                "benchmark": bench,
                "benchmark_name": BENCHMARKS[bench].name,
                "form": fit.form,
                "form_name": fit.form_label,
                "column": column,
                "targets_from": origin if column != "today" else "lowest error in the data",
                "error": row.error,
                "flop": row.flop, "flop_lo": row.flop_ci[0], "flop_hi": row.flop_ci[1],
                "flop_pi_lo": row.flop_pi[0], "flop_pi_hi": row.flop_pi[1],
                "gflop": row.gflop,
                "usd": row.usd,
                "usd_lo": row.usd_ci[0] if row.usd_ci else None,
                "usd_hi": row.usd_ci[1] if row.usd_ci else None,
                "co2_kg": row.co2_kg,
                "co2_kg_lo": row.co2_kg_ci[0] if row.co2_kg_ci else None,
                "co2_kg_hi": row.co2_kg_ci[1] if row.co2_kg_ci else None,
                "nyc_months": nyc, "nyc_months_lo": nyc_ci[0], "nyc_months_hi": nyc_ci[1],
                "orders_beyond_data": row.orders_beyond_data,
                "warning": row.warning,
                "preset": proj.preset,
                "measure": proj.measure,
                "confidence": proj.confidence,
            })
    return pd.DataFrame(records)


COLUMNS = ("today", "target 1", "target 2")


def _cell(row: Any, level: str) -> str:
    """One column of the paper's table as lines of text."""
    import pandas as pd

    lines = [
        f"error {F.percent(row['error'])}",
        f"{F.sci(row['flop'])} FLOP = {F.sci(row['gflop'])} GFLOP",
        f"{level}: {F.interval(row['flop_lo'], row['flop_hi'])} FLOP",
    ]
    if pd.notna(row["usd"]):
        lines.append(f"{F.usd(row['usd'])} ({F.interval(row['usd_lo'], row['usd_hi'], F.usd)})")
    if pd.notna(row["co2_kg"]):
        lines.append(f"{F.sci(row['co2_kg'])} kg CO₂ = {F.sci(row['nyc_months'])} months of "
                     "New York City's emissions")
    beyond = row["orders_beyond_data"]
    lines.append("within the data" if beyond == 0 else
                 f"{F.decades(beyond)} beyond the data")
    if row.get("warning"):
        lines.append(f"⚠ {row['warning']}")
    if any(F.is_unbounded(float(v)) for v in (row["flop"], row["usd"] or 0.0)
           if v is not None and v == v):
        lines.append(F.UNBOUNDED_NOTE)
    return "\n".join(lines)


def paper_layout(frame: Any, level: str) -> Any:
    """The long frame pivoted as the paper prints it: one row per fit, today → targets."""
    import pandas as pd

    rows = []
    for _, group in frame.groupby(["benchmark", "form"], sort=False):
        record = {"benchmark_name": group["benchmark_name"].iloc[0],
                  "form_name": group["form_name"].iloc[0]}
        for _, r in group.iterrows():
            record[r["column"]] = _cell(r, level)
        rows.append(record)
    return pd.DataFrame(rows, columns=["benchmark_name", "form_name", *COLUMNS])


def projections(ctx: ReportContext) -> Section:
    from dlcost.projection import get_preset
    from dlcost.projection.equivalences import NYC_MONTH
    from dlcost.units import FLOP_PER_GFLOP

    how = [p.format(level=ctx.level, gflop=F.sci(FLOP_PER_GFLOP)) for p in HOW_TO_READ]
    section = Section("projections", "What the next steps would cost", how)
    section.blocks.append(data_note(ctx))
    side = projections_side_by_side(ctx)
    if side is not None:
        section.blocks.append(side)
    projs, problems = ctx.projections.entries, ctx.projections.problems
    for problem in problems:
        section.blocks.append(Unavailable("a projection", problem))
    if not projs:
        section.blocks.append(Unavailable(
            "the projections table", "no benchmark could be fitted (see section 2)"))
        return section
    frame = projections_frame(ctx)
    section.blocks.append(ReportTable(
        id="table-projections",
        title="Compute, dollars and CO₂ to reach each target error",
        frame=frame,
        display=paper_layout(frame, ctx.level),
        columns=[
            Column("benchmark_name", "Benchmark"),
            Column("form_name", "Form"),
            *[Column(c, c.capitalize(), multiline=True) for c in COLUMNS],
        ],
        maker=qualified_name(projections_frame),
        caption=f"Each cell: the error; the compute in FLOP and in GFLOP with its {ctx.level} "
                f"bootstrap interval; dollars and CO₂ (preset '{PRESET}': "
                f"{get_preset(PRESET).title}) with their intervals; CO₂ as months of New York "
                f"City's emissions ({NYC_MONTH.source}); and how far beyond the data the "
                "projection reaches. The CSV holds every number in full precision, with the "
                "prediction intervals.",
    ))
    section.blocks.append(Prose([
        "The power law and the exponential predict held-out results of the past about "
        "equally well on most benchmarks (section 2 gives the leave-one-out comparison), but "
        "they part ways in the future: the exponential form's cost grows faster the lower the "
        "error, so its projections run far beyond the power law's. Neither is a forecast of "
        "what will be spent; both say how steep the road is if progress keeps coming from "
        "more computation alone."
    ]))
    return section
