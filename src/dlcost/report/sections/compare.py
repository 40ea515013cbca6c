"""The paper's data beside all data to date, for the report's first three sections.

Reproducing the paper uses the paper's data (FutureTech 2022); the question "what does it cost
today" uses the default data (``combined``: every source, one row per result). Sections 1–3
show each figure on both, side by side, and every section says which data it used. A fit
that is too thin to say anything (:attr:`dlcost.fitting.BaseScalingFit.reliable_`) is shown
as "too few results to say", its numbers in small print.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from dlcost.benchmarks import BENCHMARKS
from dlcost.fitting.reliability import THIN
from dlcost.report import format as F
from dlcost.report.model import Column, Prose, ReportTable, qualified_name

if TYPE_CHECKING:
    import pandas as pd

    from dlcost.report.context import ReportContext



def data_note(ctx: ReportContext) -> Prose:
    """One line naming the data of a section (and the paper's data beside it, if shown)."""
    text = f"Data: {ctx.data_label()}."
    if ctx.paper is not None:
        text += (f" Beside it, the same figures on {ctx.paper.data_label()}, which reproduces "
                 "the paper.")
    return Prose([text])


def thin_text(fit: Any, shown: str) -> str:
    """A thin fit's cell: the verdict, with its numbers in small print (parentheses)."""
    return f"{THIN} ({shown}; {thin_reasons(fit)})"


def thin_reasons(fit: Any) -> str:
    """Why a fit is thin, without the verdict ("9 results, fewer than 10")."""
    return "; ".join(fit.reliability_reasons_)


def _halving(fits: Any) -> dict[str, Any]:
    from dlcost.projection import halving_cost

    if fits is None or not fits.ok:
        return {"n": None, "halving_factor": None, "reliable": None, "shown": "no fit"}
    fit = fits.poly
    factor = halving_cost(fit).factor
    shown = F.multiple(factor) if math.isfinite(factor) else "no gain"
    return {"n": fit.n_, "halving_factor": factor if math.isfinite(factor) else None,
            "slope_b": fit.slope_, "r2": fit.r2_, "reliable": fit.reliable_,
            "shown": shown if fit.reliable_ else thin_text(fit, shown)}


def side_by_side_frame(ctx: ReportContext) -> pd.DataFrame:
    """Per benchmark: n, b, R² and the halving cost on the paper's data and on the default."""
    import pandas as pd

    paper = ctx.paper
    records = []
    for bench in BENCHMARKS:
        ours = ctx.fits().get(bench)
        theirs = paper.fits().get(bench) if paper is not None else None
        if ours is None and theirs is None:
            continue
        a, b = _halving(theirs), _halving(ours)
        records.append({
            "benchmark": bench, "benchmark_name": BENCHMARKS[bench].name,
            **{f"paper_{k}": v for k, v in a.items()},
            **{f"today_{k}": v for k, v in b.items()},
        })
    return pd.DataFrame(records)


def halving_side_by_side(ctx: ReportContext) -> ReportTable | None:
    """Section 1's table: the halving cost on the paper's data and on all data to date."""
    if ctx.paper is None:
        return None
    frame = side_by_side_frame(ctx)
    return ReportTable(
        id="table-halving-paper-vs-today",
        title="Halving the error: the paper's data beside all data to date",
        frame=frame,
        columns=[
            Column("benchmark_name", "Benchmark"),
            Column("paper_n", f"n, {ctx.paper.data_label()}", F.integer, numeric=True),
            Column("paper_shown", "Halving cost, paper's data"),
            Column("today_n", "n, all data", F.integer, numeric=True),
            Column("today_shown", f"Halving cost, {ctx.data_label()}"),
        ],
        maker=qualified_name(side_by_side_frame),
        caption="Power-law fits on the consolidated hardware burden; halving costs 2^(1/b). "
                f"\"{THIN}\": fewer than 10 results, or less than two decades of compute "
                "(dlcost.assumptions.MIN_RELIABLE_RESULTS, MIN_RELIABLE_DECADES).",
    )


def fits_side_by_side(ctx: ReportContext) -> ReportTable | None:
    """Section 2's table: slope b, R² and n of each fit on both data."""
    if ctx.paper is None:
        return None
    frame = side_by_side_frame(ctx)

    def fit_cell(prefix: str) -> list[str]:
        cells = []
        for row in frame.itertuples():
            b, r2, n = (getattr(row, f"{prefix}_slope_b", None), getattr(row, f"{prefix}_r2"),
                        getattr(row, f"{prefix}_n"))
            if b is None or b != b:
                cells.append("no fit")
                continue
            text = f"b = {F.number(b)}, R² = {F.fixed(r2)}, n = {F.integer(n)}"
            cells.append(text if getattr(row, f"{prefix}_reliable") else f"{THIN} ({text})")
        return cells

    frame = frame.assign(paper_fit=fit_cell("paper"), today_fit=fit_cell("today"))
    return ReportTable(
        id="table-fits-paper-vs-today",
        title="The power-law fit on the paper's data beside all data to date",
        frame=frame,
        columns=[
            Column("benchmark_name", "Benchmark"),
            Column("paper_fit", f"{ctx.paper.data_label()}"),
            Column("today_fit", f"{ctx.data_label()}"),
        ],
        maker=qualified_name(side_by_side_frame),
    )


def projections_frame(ctx: ReportContext) -> pd.DataFrame:
    """Per benchmark and target: the power law's projected compute on both data."""
    import pandas as pd

    def rows(c: ReportContext | None) -> dict[tuple[str, int], Any]:
        out: dict[tuple[str, int], Any] = {}
        if c is None:
            return out
        for entry in c.projections.entries:
            if entry.fit.form != "poly":
                continue
            for i, row in enumerate(entry.projection.rows):
                out[(entry.benchmark, i)] = (row, entry.fit)
        return out

    paper, today = rows(ctx.paper), rows(ctx)
    records = []
    for key in sorted(set(paper) | set(today),
                      key=lambda k: (list(BENCHMARKS).index(k[0]), k[1])):
        record: dict[str, Any] = {"benchmark": key[0],
                                  "benchmark_name": BENCHMARKS[key[0]].name,
                                  "column": "today" if key[1] == 0 else f"target {key[1]}"}
        for prefix, found in (("paper", paper.get(key)), ("today", today.get(key))):
            if found is None:
                record.update({f"{prefix}_error": None, f"{prefix}_flop": None,
                               f"{prefix}_shown": ""})
                continue
            row, fit = found
            shown = f"{F.percent(row.error)}: {F.sci(row.flop)} FLOP"
            record.update({f"{prefix}_error": row.error, f"{prefix}_flop": row.flop,
                           f"{prefix}_shown": shown if fit.reliable_ else thin_text(fit, shown)})
        records.append(record)
    return pd.DataFrame(records)


def projections_side_by_side(ctx: ReportContext) -> ReportTable | None:
    """Section 3's table: projected compute at each target on both data."""
    if ctx.paper is None:
        return None
    return ReportTable(
        id="table-projections-paper-vs-today",
        title="Projected compute: the paper's data beside all data to date (power law)",
        frame=projections_frame(ctx),
        columns=[
            Column("benchmark_name", "Benchmark"), Column("column", "Column"),
            Column("paper_shown", f"{ctx.paper.data_label()}"),
            Column("today_shown", f"{ctx.data_label()}"),
        ],
        maker=qualified_name(projections_frame),
        caption="Error → fitted compute (hardware burden). \"today\" is the fitted compute at "
                "the lowest error in each data set, so it differs between the two.",
    )
