"""Section: was the paper right? — the paper's fits against what came later, and the forecast
skill of every projection dlcost makes (backtests, reliability diagram, skill by horizon)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

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
    "A backtest pretends to stand at the end of an earlier year, fits with only the results "
    "published by then, and scores what came after: the error of later results given their "
    "compute (the paper's curve), the best error reached one to three years later (the trend "
    "in time), and the training compute of later frontier models (the growth trend). Nothing "
    "published after the origin touches the fit.",
    "Coverage: the share of outcomes inside an interval. A 80 % interval that holds 45 % of "
    "the outcomes was too narrow. Calibrated intervals rescale the model's own interval by the "
    "spread of past forecast errors at that horizon (split-conformal); their coverage here is "
    "measured out of sample, each forecast calibrated on the other origins' errors.",
    "Baselines: 'last value' carries the latest level forward; 'constant growth' extends its "
    "change over the three years before the origin. A forecast that does not beat them has "
    "no skill.",
)

#: What the section backtests: (target, sources from the paper's data?)
TARGETS: tuple[tuple[str, bool], ...] = (("imagenet", True), ("compute", False))


def _paper_sources(ctx: ReportContext) -> list[str]:
    paper = ctx.paper
    return list(paper.sources) if paper is not None else list(ctx.sources)


def backtest_results(ctx: ReportContext) -> tuple[list[Any], list[str]]:
    """The backtests of :data:`TARGETS`, and why any failed."""
    from dlcost.backtest import backtest
    from dlcost.exceptions import DlcostError

    found, problems = [], []
    for target, paper in TARGETS:
        try:
            found.append(backtest(ctx.db, target,
                                  sources=_paper_sources(ctx) if paper else None))
        except DlcostError as exc:
            problems.append(f"{target}: {exc}")
    return found, problems


def reliability_frame(results: list[Any]) -> pd.DataFrame:
    """Nominal, achieved and calibrated coverage per component and level."""
    rows = []
    for r in results:
        for c in r.components:
            m = c.to_dict(forecasts=False)["metrics"]["all"]
            for level, e in m.get("coverage", {}).items():
                rows.append({"target": c.key, "n": m["n"], "nominal": float(level),
                             "achieved": e["achieved"],
                             "calibrated": e.get("calibrated_loo", math.nan),
                             "calibrated_n": e.get("calibrated_loo_n", 0)})
    return pd.DataFrame(rows)


def skill_frame(results: list[Any]) -> pd.DataFrame:
    """MAE by horizon beside the naive baselines, and 80 % coverage, per component."""
    rows = []
    for r in results:
        for c in r.components:
            d = c.to_dict(forecasts=False)
            for h, m in d["metrics"].items():
                if not m.get("n"):
                    continue
                cov = m["coverage"]["0.8"]
                rows.append({
                    "target": c.key, "label": c.label, "scale": c.scale, "horizon": h,
                    "origins": d["n_origins"], "n": m["n"], "mae": m["mae_log10"],
                    "bias": m["bias_log10"],
                    "mae_last_value": m.get("mae_log10_last_value"),
                    "mae_constant_growth": m.get("mae_log10_constant_growth"),
                    "coverage80": cov["achieved"],
                    "coverage80_calibrated": cov.get("calibrated_loo")})
    return pd.DataFrame(rows)


def paper_frame(check: Any) -> pd.DataFrame:
    """Per benchmark and vintage: the trend's forecast vs the best error, compute vs curve."""
    rows = []
    for c in check.checks:
        seen = [y for y in c.years if y.get("best_error") is not None and "trend_error" in y]
        last = seen[-1] if seen else None
        cmp = c.compute_vs_curve
        rows.append({
            "benchmark": c.benchmark, "vintage": c.vintage, "n_curve": c.n_curve,
            "year": last["year"] if last else None,
            "trend_error": last["trend_error"] if last else None,
            "best_error": last["best_error"] if last else None,
            "n_later": cmp.get("n", 0),
            "compute_ratio": 10 ** cmp["median_log10_ratio"] if cmp.get("n") else None})
    return pd.DataFrame(rows)


#: The year the calibrated-interval table extrapolates ImageNet's best error to (the article's).
CALIBRATED_YEAR = 2025.0


def calibrated_frame(ctx: ReportContext, results: list[Any]) -> pd.DataFrame:
    """dlcost's headline projections with their nominal and calibrated intervals side by side:
    ImageNet's best error in 2025 (``forecast``) and frontier training compute 1–3 years past
    the data (``trend compute``), each calibrated by its own backtest."""
    import warnings

    from dlcost.backtest import growth_fit_at
    from dlcost.exceptions import DlcostError, ExtrapolationWarning
    from dlcost.projection import forecast
    from dlcost.trends import TrendFit, date_of, trend_rows

    comps = {c.key: c for r in results for c in r.components}
    rows: list[dict[str, Any]] = []
    if "imagenet/time" in comps:
        cal = comps["imagenet/time"].calibration()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ExtrapolationWarning)
                fc = forecast(ctx.db, "imagenet", year=CALIBRATED_YEAR,
                              sources=_paper_sources(ctx), n_boot=200, random_state=ctx.seed)
        except DlcostError:
            fc = None
        if fc is not None:
            h = max(1, math.ceil(CALIBRATED_YEAR - fc.trend.end_))
            lo, hi = cal.widen(*fc.error_ci, fc.confidence, h, df=fc.trend.df_resid_)
            rows.append({"projection": f"ImageNet best error, {CALIBRATED_YEAR:g}",
                         "unit": "error", "value": fc.error, "level": fc.confidence,
                         "horizon": h, "nominal_lo": fc.error_ci[0],
                         "nominal_hi": fc.error_ci[1], "calibrated_lo": lo,
                         "calibrated_hi": hi,
                         "factor": cal.factor(fc.confidence, h, fc.trend.df_resid_)})
    if "compute/growth" in comps:
        cal = comps["compute/growth"].calibration()
        try:
            data = trend_rows(ctx.db, "compute", subset="notable")
            fit: TrendFit | None = growth_fit_at(data.frame, int(data.frame["year"].max()))
        except DlcostError:
            fit = None
        if fit is not None:
            for h in (1, 2, 3):
                when = fit.end_ + h
                nlo, nhi = fit.predict_interval(when, kind="prediction")
                lo, hi = cal.widen(nlo, nhi, fit.confidence, h, df=fit.df_resid_)
                rows.append({"projection": f"frontier training compute, "
                                           f"{date_of(when).isoformat()}",
                             "unit": "FLOP", "value": float(fit.predict(when)),
                             "level": fit.confidence, "horizon": h, "nominal_lo": nlo,
                             "nominal_hi": nhi, "calibrated_lo": lo, "calibrated_hi": hi,
                             "factor": cal.factor(fit.confidence, h, fit.df_resid_)})
    return pd.DataFrame(rows)


def extrapolation_frame(ctx: ReportContext) -> pd.DataFrame:
    """Owen-style extrapolation in compute per language-model benchmark: MAE (pp) of the
    logistic fitted below a compute cut-off, +1 and +2 orders of magnitude above it."""
    from dlcost.backtest import OWEN_BBH_1OOM_MAE_PP, compute_extrapolation
    from dlcost.benchmarks import LM_BENCHMARKS
    from dlcost.exceptions import DlcostError

    rows = []
    for bench in LM_BENCHMARKS:
        try:
            result = compute_extrapolation(ctx.db, bench)
        except DlcostError:
            continue
        m = result.metrics()
        if not m["+1"]["n"]:
            continue
        rows.append({
            "benchmark": LM_BENCHMARKS[bench].name, "cutoffs": len(result.cutoffs),
            "n_1": m["+1"]["n"], "mae_1": m["+1"]["mae_pp"],
            "naive_1": m["+1"]["mae_pp_last_value"],
            "n_2": m["+2"]["n"], "mae_2": m["+2"].get("mae_pp"),
            "naive_2": m["+2"].get("mae_pp_last_value"),
            "owen_1": OWEN_BBH_1OOM_MAE_PP if bench == "bbh" else None})
    return pd.DataFrame(rows)


def _pct(value: Any) -> str:
    return "–" if value is None or pd.isna(value) else f"{value:.0%}"


def skill(ctx: ReportContext) -> Section:
    from dlcost.backtest import paper_check
    from dlcost.exceptions import DlcostError
    from dlcost.plotting.backtest import reliability_figure

    section = Section("skill", "Was the paper right? Forecast skill", list(HOW_TO_READ))
    try:
        check = paper_check(ctx.db, sources=_paper_sources(ctx), random_state=ctx.seed)
    except DlcostError as exc:
        section.blocks.append(Unavailable("the paper check", str(exc)))
        check = None
    if check is not None:
        if check.imagenet is not None:
            section.blocks.append(Prose([check.imagenet.sentence()]))
        frame = paper_frame(check)
        display = frame.assign(
            trend=[F.percent(v) if v is not None and pd.notna(v) else "–"
                   for v in frame["trend_error"]],
            best=[F.percent(v) if v is not None and pd.notna(v) else "–"
                  for v in frame["best_error"]],
            ratio=[F.multiple(v) if v is not None and pd.notna(v) else "–"
                   for v in frame["compute_ratio"]],
            by=[str(int(v)) if v is not None and pd.notna(v) else "no later data"
                for v in frame["year"]])
        section.blocks.append(ReportTable(
            id="table-paper-right", title="The paper's fits against what came later",
            frame=frame, display=display,
            columns=[Column("benchmark", "Benchmark"), Column("vintage", "Fitted with"),
                     Column("n_curve", "n (curve)", F.integer, numeric=True),
                     Column("by", "By the end of"), Column("trend", "Trend said"),
                     Column("best", "Best in the data"),
                     Column("n_later", "Later results", F.integer, numeric=True),
                     Column("ratio", "Compute used ÷ curve's")],
            maker=qualified_name(paper_frame),
            caption="Trend: log10(best error) on the publication year, fitted on the records "
                    "before the cut-off. Compute used ÷ curve's: median over later results of "
                    "the compute they used over what the cut-off's curve said their error "
                    "needs (below 1: the curve overstated the price)."))
    found, problems = backtest_results(ctx)
    for problem in problems:
        section.blocks.append(Unavailable("a backtest", problem))
    if not found:
        return section
    points = reliability_frame(found)
    section.blocks.append(figure_from(
        reliability_figure, points, id="fig-reliability",
        title="Reliability: achieved against nominal coverage",
        caption="Circles: the model's own intervals; diamonds: calibrated (split-conformal by "
                "horizon, each forecast calibrated on the other origins' errors).",
        inputs="; ".join(f"{t}: {n} forecasts" for t, n in
                         points.groupby("target", sort=False)["n"].first().items())))
    calibrated = calibrated_frame(ctx, found)
    if len(calibrated):
        def cell(row: Any, lo: str, hi: str) -> str:
            if row.unit == "error":
                return f"{F.percent(getattr(row, lo))}–{F.percent(getattr(row, hi))}"
            return F.interval(getattr(row, lo), getattr(row, hi))

        shown = calibrated.assign(
            value_=[F.percent(r.value) if r.unit == "error" else F.sci(r.value)
                    for r in calibrated.itertuples()],
            nominal=[cell(r, "nominal_lo", "nominal_hi") for r in calibrated.itertuples()],
            calibrated=[cell(r, "calibrated_lo", "calibrated_hi")
                        for r in calibrated.itertuples()],
            factor_=[F.fixed(v, 2) for v in calibrated["factor"]])
        section.blocks.append(ReportTable(
            id="table-calibrated", title="Calibrated intervals beside the nominal ones",
            frame=calibrated, display=shown,
            columns=[Column("projection", "Projection"), Column("value_", "Forecast"),
                     Column("horizon", "Horizon (yr)", F.integer, numeric=True),
                     Column("calibrated", "90 % calibrated"),
                     Column("nominal", "90 % nominal"),
                     Column("factor_", "Width factor (log scale)", numeric=True)],
            maker=qualified_name(calibrated_frame),
            caption="Calibrated: the nominal prediction interval rescaled in log scale by the "
                    "conformal quantile of its own backtest's errors at that horizon "
                    "(dlcost.backtest.Calibration.widen). Frontier compute: the trend fitted "
                    "as the backtest fits it (running top 10 of notable models since 2010)."))
    _extrapolation_block(ctx, section)
    frame = skill_frame(found)
    display = frame.assign(
        mae_=[F.fixed(v, 3) for v in frame["mae"]],
        bias_=[F.fixed(v, 3) for v in frame["bias"]],
        last=[F.fixed(v, 3) if v is not None and pd.notna(v) else "–"
              for v in frame["mae_last_value"]],
        growth=[F.fixed(v, 3) if v is not None and pd.notna(v) else "–"
                for v in frame["mae_constant_growth"]],
        nominal=[_pct(v) for v in frame["coverage80"]],
        calibrated=[_pct(v) for v in frame["coverage80_calibrated"]])
    section.blocks.append(ReportTable(
        id="table-skill", title="Forecast skill by horizon, beside naive baselines",
        frame=frame, display=display,
        columns=[Column("target", "Target"), Column("scale", "Scale"),
                 Column("horizon", "Horizon (yr)"),
                 Column("n", "Forecasts", F.integer, numeric=True),
                 Column("mae_", "MAE", numeric=True), Column("bias_", "Bias", numeric=True),
                 Column("last", "MAE last value", numeric=True),
                 Column("growth", "MAE constant growth", numeric=True),
                 Column("nominal", "80 % nominal"), Column("calibrated", "80 % calibrated")],
        maker=qualified_name(skill_frame),
        caption="MAE and bias in the scale shown (bias: forecast − outcome). 'all' pools the "
                "horizons."))
    return section


def _extrapolation_block(ctx: ReportContext, section: Section) -> None:
    frame = extrapolation_frame(ctx)
    if frame.empty:
        section.blocks.append(Unavailable(
            "extrapolation in compute for language models",
            "no language-model benchmark with enough scored models in the store"))
        return

    def pp(value: Any) -> str:
        return "–" if value is None or pd.isna(value) else f"{value:.1f}"

    display = frame.assign(**{k + "_": [pp(v) for v in frame[k]]
                              for k in ("mae_1", "naive_1", "mae_2", "naive_2", "owen_1")})
    section.blocks.append(ReportTable(
        id="table-lm-extrapolation",
        title="Language models: extrapolating in compute (as Owen 2024)",
        frame=frame, display=display,
        columns=[Column("benchmark", "Benchmark"),
                 Column("cutoffs", "Cut-offs", F.integer, numeric=True),
                 Column("n_1", "n +1 OOM", F.integer, numeric=True),
                 Column("mae_1_", "MAE +1 OOM (pp)", numeric=True),
                 Column("naive_1_", "best so far (pp)", numeric=True),
                 Column("n_2", "n +2 OOM", F.integer, numeric=True),
                 Column("mae_2_", "MAE +2 OOM (pp)", numeric=True),
                 Column("naive_2_", "best so far (pp)", numeric=True),
                 Column("owen_1_", "Owen 2024 +1 OOM (pp)", numeric=True)],
        maker=qualified_name(extrapolation_frame),
        caption="The logistic with its floor at chance, fitted on the models below a compute "
                "cut-off (every half decade), scores the models one and two orders of "
                "magnitude above it; 'best so far' carries the best score below the cut-off "
                "forward. Owen (2024, Epoch AI) reports about 6 pp for BIG-Bench Hard at +1 "
                "OOM with his own model set and curve."))
