"""Section 2: error against compute per benchmark, with the frontier and both fits."""

from __future__ import annotations

from typing import Any

from dlcost.benchmarks import BENCHMARKS
from dlcost.report import format as F
from dlcost.report.context import BenchmarkFits, ReportContext
from dlcost.report.model import (
    Column,
    Prose,
    ReportTable,
    Section,
    Unavailable,
    figure_from,
    qualified_name,
)
from dlcost.report.sections.compare import data_note, fits_side_by_side

HOW_TO_READ = (
    "Each dot is one published model: how much computation trained it (across, on a "
    "logarithmic scale) and how well it did (up; the scale is the log of one over the error, "
    "labelled in the benchmark's own metric, as the paper's authors drew it). Blue dots set a "
    "new state of the art when they were published; the dotted blue line is the frontier, a "
    "power law fitted to those results alone.",
    "The solid line is the power-law fit, the dashed one the exponential fit; the shaded bands "
    "show where the fitted line could lie, from refitting on resampled data (bootstrap, {level}). "
    "A straight solid line on these axes means each tenfold increase in compute buys the same "
    "fractional cut in error. R² says how much of the spread the fit explains. Hover over a dot "
    "for the model, its paper, year and how its compute was counted; click it for a link.",
)

MEASURE_LABELS = {
    "hardware_burden_consolidated": "hardware burden",
    "hardware_burden": "hardware burden",
    "network_operations": "network operations",
    "ops_per_pass": "FLOP per forward pass",
}


def compute_details(ctx: ReportContext, frame: Any) -> list[str]:
    """How each point's compute was counted, from the store's estimate descriptions."""
    lookup = ctx.results.set_index("id")
    details = []
    for rid, method in zip(frame["id"], frame["compute_method"], strict=True):
        row = lookup.loc[rid] if rid in lookup.index else None
        if row is None:
            details.append("")
            continue
        if method == "imputed":
            text = row.get("network_operations_description")
            details.append("hardware burden imputed from network operations"
                           + (f" ({text})" if isinstance(text, str) and text else ""))
        else:
            text = row.get("hardware_burden_description")
            origin = row.get("hardware_burden_method")
            reported = isinstance(origin, str) and origin.endswith("reported")
            prefix = "reported by the source" if reported else "dlcost estimate"
            details.append(f"{prefix}: {text}" if isinstance(text, str) and text else prefix)
    return details


def points_table(bench: str, fits: BenchmarkFits, details: list[str]) -> ReportTable:
    frame = fits.data.frame.copy()
    frame["compute_detail"] = details
    frame["score"] = [BENCHMARKS[bench].score_from_error(e) for e in frame["error"]]
    columns = ["model", "year", "score", "error", "compute_flop", "compute_method",
               "state_of_the_art", "compute_detail", "paper_title", "paper_url", "source", "id"]
    frame = frame[columns].sort_values(["year", "model"], kind="stable").reset_index(drop=True)
    return ReportTable(
        id=f"table-points-{bench}",
        title=f"{BENCHMARKS[bench].name}: the {len(frame)} results in the fit",
        frame=frame,
        columns=[
            Column("model", "Model"),
            Column("paper_title", "Paper", link="paper_url"),
            Column("year", "Year", F.year, numeric=True),
            Column("score", BENCHMARKS[bench].metric_label, F.number, numeric=True),
            Column("compute_flop", "Compute (FLOP)", F.sci, numeric=True),
            Column("compute_method", "Compute"),
            Column("compute_detail", "How it was counted"),
        ],
        maker=qualified_name(points_table),
        collapsed=True,
    )


def form_comparisons(ctx: ReportContext) -> dict[str, Any]:
    """Leave-one-out comparison of the two forms per benchmark
    (:func:`dlcost.fitting.compare_fitted`); benchmarks too small to compare are left out."""
    from dlcost.fitting import FIT_FAILURES, compare_fitted

    found = {}
    for bench, fits in ctx.fits().items():
        if fits.ok:
            try:
                found[bench] = compare_fitted([fits.poly, fits.exp])
            except FIT_FAILURES:
                continue
    return found


def fit_summary_frame(ctx: ReportContext) -> Any:
    import pandas as pd

    rows = []
    comparisons = form_comparisons(ctx)
    for bench, fits in ctx.fits().items():
        if not fits.ok:
            continue
        scores = {s.form: s for s in comparisons[bench].scores} if bench in comparisons else {}
        for fit in (fits.poly, fits.exp):
            d = fit.to_dict()
            rows.append({
                "benchmark": bench, "benchmark_name": BENCHMARKS[bench].name,
                "form": d["form"], "measure": fit.measure_, "n": d["n"],
                "intercept_a": d["intercept"], "slope_b": d["slope"], "slope_se": d["slope_se"],
                "slope_boot_lo": d["slope_boot_ci"][0], "slope_boot_hi": d["slope_boot_ci"][1],
                "r2": d["r2"], "n_boot": d["n_boot"],
                "loo_rmse": scores[fit.form].rmse if fit.form in scores else None,
            })
    return pd.DataFrame(rows)


def tracked_runs(ctx: ReportContext, bench: str, fit: Any) -> list[Any]:
    """The user's tracked runs on ``bench`` (``dlcost track``), placed on the power-law fit."""
    from dlcost.track import place_run, run_documents

    return [place_run(doc, fit) for doc in run_documents(ctx.db, benchmark=bench)]


def runs_frame(ctx: ReportContext, bench: str) -> Any:
    """One row per tracked run on ``bench``: score, compute, trend, multiple, energy, $, CO₂."""
    import pandas as pd

    from dlcost.track import run_documents

    fits = ctx.fits()[bench]
    docs = {d["id"]: d for d in run_documents(ctx.db, benchmark=bench)}
    rows = []
    for p in tracked_runs(ctx, bench, fits.poly):
        doc = docs.get(p.run_id, {})
        energy, cost = doc.get("energy") or {}, doc.get("cost") or {}
        rows.append({
            "id": p.run_id, "model": p.model,
            "score": None if p.error is None else BENCHMARKS[bench].score_from_error(p.error),
            "compute_flop": p.compute_flop, "flop_counted": (doc.get("flop") or {}).get("total"),
            "trend_flop": p.trend_flop, "multiple": p.multiple,
            "orders_outside_data": p.orders_outside_data, "kwh": energy.get("kwh"),
            "energy_method": energy.get("method"), "co2_kg": cost.get("co2_kg"),
            "usd": cost.get("usd"), "placement": p.describe(),
        })
    return pd.DataFrame(rows)


def runs_blocks(ctx: ReportContext, bench: str, runs: list[Any]) -> list[Any]:
    """Prose and a table on the user's runs: how far above or below the trend each sits."""
    name = BENCHMARKS[bench].name
    prose = Prose([
        f"Your runs on {name} (stars in the figure, measured with dlcost track): each one's "
        "compute divided by the compute the power-law trend needs for the run's error. Below "
        "1× the run beat the trend; above 1× it needed more compute than the trend. Runs are "
        "drawn against the curve and never fitted into it.",
        *[p.describe() + "." for p in runs],
    ])
    table = ReportTable(
        id=f"table-runs-{bench}",
        title=f"{name}: your tracked runs against the trend",
        frame=runs_frame(ctx, bench),
        columns=[
            Column("model", "Model"),
            Column("id", "Run"),
            Column("score", BENCHMARKS[bench].metric_label, F.number, numeric=True),
            Column("compute_flop", "Compute (FLOP)", F.sci, numeric=True),
            Column("trend_flop", "Trend's compute for that score", F.sci, numeric=True),
            Column("multiple", "× trend", F.multiple, numeric=True),
            Column("kwh", "Energy (kWh)", F.sci, numeric=True),
            Column("energy_method", "Energy by"),
            Column("co2_kg", "CO₂ (kg)", F.sci, numeric=True),
            Column("usd", "Dollars", F.usd, numeric=True),
        ],
        maker=qualified_name(runs_frame),
        caption="Compute is the run's hardware burden (chips × peak FLOP/s × wall time) when the "
                "fit is on hardware burden, the FLOP counted when it is on network operations.",
    )
    return [prose, table]


def benchmarks(ctx: ReportContext) -> Section:
    from dlcost.fitting import MEASURES
    from dlcost.plotting.report_figures import scaling_figure
    from dlcost.plotting.runs import scaling_figure_with_runs

    section = Section("benchmarks", "Error against compute, benchmark by benchmark",
                      [p.format(level=ctx.level) for p in HOW_TO_READ])
    section.blocks.append(data_note(ctx))
    side = fits_side_by_side(ctx)
    if side is not None:
        section.blocks.append(side)
    all_fits = ctx.fits()
    if not all_fits:
        section.blocks.append(Unavailable("the per-benchmark fits",
                                          f"no results in the sources {', '.join(ctx.sources)}"))
        return section
    for bench, fits in all_fits.items():
        name = BENCHMARKS[bench].name
        if not fits.ok:
            section.blocks.append(Unavailable(f"the {name} fit", fits.problem or "no fit"))
            continue
        details = compute_details(ctx, fits.data.frame)
        points = fits.data.frame.assign(compute_detail=details)
        measure = fits.data.measure
        runs = tracked_runs(ctx, bench, fits.poly)
        extra: dict[str, Any] = {"placements": runs} if runs else {}
        maker = scaling_figure_with_runs if runs else scaling_figure
        section.blocks.append(figure_from(
            maker, points, {"polynomial": fits.poly, "exponential": fits.exp},
            BENCHMARKS[bench], measure_label=MEASURE_LABELS.get(measure, measure),
            frontier=fits.frontier, **extra,
            id=f"fig-scaling-{bench}",
            title=f"{name}: {BENCHMARKS[bench].metric_label.replace(' (%)', '')} against compute",
            caption=f"Power law: log10(1/error) = {F.fixed(fits.poly.intercept_)} + "
                    f"{F.fixed(fits.poly.slope_, 4)}·log10(compute), R² = "
                    f"{F.fixed(fits.poly.r2_)}, n = {fits.poly.n_}. Exponential: 1/error = "
                    f"{F.fixed(fits.exp.intercept_)} + {F.fixed(fits.exp.slope_, 4)}·log10("
                    f"compute), R² = {F.fixed(fits.exp.r2_)}. Compute: {MEASURES[measure]}.",
            inputs=f"{len(points)} results ({', '.join(fits.data.sources)})",
        ))
        if fits.data.notes:
            section.blocks.append(Prose(["How the points were chosen: "
                                         + "; ".join(fits.data.notes) + "."]))
        section.blocks.append(points_table(bench, fits, details))
        if runs:
            section.blocks.extend(runs_blocks(ctx, bench, runs))
    frame = fit_summary_frame(ctx)
    if not frame.empty:
        frame["form_name"] = frame["form"].map({"poly": "power law", "exp": "exponential"})
        section.blocks.append(ReportTable(
            id="table-fits",
            title="The fits: coefficients, bootstrap intervals, R² and n",
            frame=frame,
            columns=[
                Column("benchmark_name", "Benchmark"),
                Column("form_name", "Form"),
                Column("n", "n", F.integer, numeric=True),
                Column("intercept_a", "Intercept a", lambda v: F.fixed(v, 3), numeric=True),
                Column("slope_b", "Slope b", lambda v: F.fixed(v, 4), numeric=True),
                Column("slope_se", "s.e.", lambda v: F.fixed(v, 4), numeric=True),
                Column("slope_boot_lo", f"{ctx.level} boot. low", lambda v: F.fixed(v, 4),
                       numeric=True),
                Column("slope_boot_hi", f"{ctx.level} boot. high", lambda v: F.fixed(v, 4),
                       numeric=True),
                Column("r2", "R²", lambda v: F.fixed(v, 3), numeric=True),
                Column("loo_rmse", "Held-out miss", lambda v: F.fixed(v, 3), numeric=True),
            ],
            maker=qualified_name(fit_summary_frame),
            caption="Ordinary least squares with a constant. Power law: log10(1/error) = a + "
                    "b·log10(compute); exponential: 1/error = a + b·log10(compute). Bootstrap "
                    "intervals resample results and refit. Held-out miss: the root-mean-square "
                    "error of leave-one-out predictions in log10(1/error), the same scale for "
                    "both forms (R² and AIC are not comparable across forms: their responses "
                    "differ).",
        ))
        verdicts = [f"{BENCHMARKS[b].name}: {c.verdict}." for b, c in
                    form_comparisons(ctx).items()]
        if verdicts:
            section.blocks.append(Prose(["Which form predicts better, judged on points each "
                                         "fit did not see: " + " ".join(verdicts)]))
    return section
