"""Section: how fast it grows — growth per year beside Epoch AI's figures, algorithmic
progress from the time-trend regression, and the article's headline chart."""

from __future__ import annotations

import warnings
from typing import Any

from dlcost.benchmarks import BENCHMARKS
from dlcost.report import format as F
from dlcost.report.context import N_BOOT, ReportContext
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
    "Growth per year is the slope of a straight line through the logarithm of a quantity "
    "against the publication date: 4× per year means the line climbs by a factor of four "
    "every year. The interval is a 90 % interval, the level Epoch AI reports. Beside each "
    "figure stands the published estimate it can be checked against; the data here are a "
    "different (usually later) snapshot and the selection rules are ours, so the figures "
    "should agree in size, not to the decimal.",
    "Algorithmic progress: in the paper's regression with a year term, "
    "log10(1/error) = a + b·log10(compute) + c·(year − 2012), one year of progress is worth "
    "c/b decades of compute — the factor by which the compute needed for the same error falls "
    "each year, and the months it takes to halve.",
    "The headline chart: the best error over time, extrapolated to a year, and what the "
    "compute–error curve says reaching that error would take. With data after the fit's "
    "cut-off, the green diamonds show what actually happened.",
)

#: (quantity, options, what) of the trends table: Epoch's headline selections.
TREND_ROWS: tuple[tuple[str, dict[str, Any], str], ...] = (
    ("compute", {"subset": "notable", "since": "2010-01-01", "until": "2024-05-31"},
     "notable models, 2010 – May 2024"),
    ("compute", {"subset": "notable", "frontier_top": 10, "since": "2010-01-01",
                 "until": "2024-05-31"}, "running top 10, 2010 – May 2024"),
    ("compute", {"subset": "notable", "domain": "Language", "since": "2017-06-01",
                 "until": "2024-05-31"}, "notable language models, June 2017 – May 2024"),
    ("cost", {"frontier_top": 10, "since": "2016-01-01", "until": "2023-12-31"},
     "running top 10, 2016 – 2023"),
    ("power", {"frontier_top": 10, "since": "2010-01-01", "until": "2024-09-19"},
     "running top 10, 2010 – Sept 2024"),
    ("chip-flops", {"precision": "fp32"}, "ML accelerators, FP32"),
    ("flops-per-dollar", {"precision": "fp32"}, "ML accelerators with a price, FP32"),
    ("flops-per-watt", {"precision": "fp32"}, "ML accelerators, FP32 per TDP watt"),
    ("memory-bandwidth", {}, "ML accelerators"),
)
#: The paper's data vintage for the headline chart's reality check.
FORECAST_YEAR = 2025.0


def trend_results(ctx: ReportContext) -> tuple[list[tuple[str, Any]], list[str]]:
    """The fitted trends of :data:`TREND_ROWS`, and why any failed."""
    from dlcost.exceptions import DlcostError
    from dlcost.trends import trend

    found, problems = [], []
    for quantity, options, what in TREND_ROWS:
        try:
            found.append((what, trend(ctx.db, quantity, **options)))
        except DlcostError as exc:
            problems.append(f"{quantity} ({what}): {exc}")
    return found, problems


def trends_frame(found: list[tuple[str, Any]]) -> Any:
    """One row per fitted trend: ours, the published anchor, and whether it is inside."""
    import pandas as pd

    rows = []
    for what, r in found:
        f = r.fit
        anchor = r.anchors[0] if r.anchors else None
        rows.append({
            "quantity": r.quantity.label, "selection": what, "n": f.n_,
            "start": f.to_dict()["start"], "end": f.to_dict()["end"],
            "growth_per_year": f.growth_per_year_, "growth_lo": f.growth_ci_[0],
            "growth_hi": f.growth_ci_[1], "doubling_years": f.doubling_years_,
            "anchor": anchor.growth_per_year if anchor else None,
            "anchor_lo": anchor.ci[0] if anchor and anchor.ci else None,
            "anchor_hi": anchor.ci[1] if anchor and anchor.ci else None,
            "anchor_source": f"{anchor.source} ({anchor.span})" if anchor else "",
            "anchor_url": anchor.url if anchor else None,
            "inside": (anchor is not None
                       and f.growth_ci_[0] <= anchor.growth_per_year <= f.growth_ci_[1]),
        })
    return pd.DataFrame(rows)


def _growth_cell(value: Any, lo: Any, hi: Any) -> str:
    import pandas as pd

    if value is None or pd.isna(value):
        return "–"
    text = f"{F.number(value, 3)}×"
    if lo is not None and pd.notna(lo):
        text += f" [{F.number(lo, 3)}–{F.number(hi, 3)}]"
    return text


def progress_frame(ctx: ReportContext) -> Any:
    """Algorithmic progress per benchmark, from the time variant of the power law."""
    import numpy as np
    import pandas as pd

    from dlcost.exceptions import DlcostError
    from dlcost.fitting import fit_data
    from dlcost.trends import ERDIL_BESIROGLU_2022, algorithmic_progress

    rows: list[dict[str, Any]] = []
    for index, (bench, fits) in enumerate(ctx.fits().items()):
        if not fits.ok:
            continue
        rng = np.random.default_rng(np.random.SeedSequence(ctx.seed, spawn_key=(index, 7)))
        try:
            fit = fit_data(fits.data, variant="time", alpha=0.05, n_boot=N_BOOT,
                           random_state=rng)
            p = algorithmic_progress(fit)
        except DlcostError as exc:
            rows.append({"benchmark": bench, "benchmark_name": BENCHMARKS[bench].name,
                         "problem": str(exc)})
            continue
        rows.append({
            "benchmark": bench, "benchmark_name": BENCHMARKS[bench].name, "n": p.n,
            "per_year": p.per_year, "per_year_lo": p.per_year_ci[0],
            "per_year_hi": p.per_year_ci[1], "halving_months": p.halving_months,
            "halving_lo": p.halving_months_ci[0], "halving_hi": p.halving_months_ci[1],
            "halving_boot_lo": (p.halving_months_boot_ci or (None, None))[0],
            "halving_boot_hi": (p.halving_months_boot_ci or (None, None))[1],
            "confidence": p.confidence, "measure": fits.data.measure, "problem": None,
        })
    frame = pd.DataFrame(rows)
    frame.attrs["anchor"] = ERDIL_BESIROGLU_2022
    return frame


#: Fewer points than this make an algorithmic-progress estimate "thin" in the table.
THIN_PROGRESS = 20


def _reading(n: int, per_year_lo: float) -> str:
    """How far to trust a row: thin data, or an interval that includes no progress at all."""
    notes = []
    if n < THIN_PROGRESS:
        notes.append(f"thin (n < {THIN_PROGRESS})")
    if per_year_lo <= 1:
        notes.append("interval includes no gain")
    return "; ".join(notes) or "measured"


def _months(lo: Any, hi: Any) -> str:
    import math

    import pandas as pd

    if lo is None or pd.isna(lo):
        return "–"
    top = "∞" if math.isinf(hi) else F.number(hi, 3)
    return f"{F.number(lo, 3)}–{top}"


def growth(ctx: ReportContext) -> Section:
    from dlcost.plotting.trends import forecast_figure, trend_figure

    section = Section("growth", "How fast it grows", list(HOW_TO_READ))
    found, problems = trend_results(ctx)
    if found:
        frame = trends_frame(found)
        display = frame.assign(
            ours=[_growth_cell(r.growth_per_year, r.growth_lo, r.growth_hi)
                  for r in frame.itertuples()],
            theirs=[_growth_cell(r.anchor, r.anchor_lo, r.anchor_hi)
                    for r in frame.itertuples()],
            doubling=[F.number(v, 3) for v in frame["doubling_years"]],
            span=[f"{r.start} to {r.end}" for r in frame.itertuples()],
        )
        section.blocks.append(ReportTable(
            id="table-growth", title="Growth per year: ours beside the published figures",
            frame=frame, display=display,
            columns=[Column("quantity", "Quantity"), Column("selection", "Selection"),
                     Column("n", "n", F.integer, numeric=True), Column("span", "Dates"),
                     Column("ours", "Ours ×/yr [90 %]"),
                     Column("doubling", "Doubling (yr)", numeric=True),
                     Column("theirs", "Published ×/yr"),
                     Column("anchor_source", "Published by", link="anchor_url")],
            maker=qualified_name(trends_frame),
            caption="OLS of log10(value) on the decimal year, 90 % t intervals. Running top "
                    "10: models whose training compute was among the ten largest of the "
                    "selection released up to their date, taken before the date window "
                    "(Epoch AI's definition).",
        ))
        outside = [f"{r.quantity} ({r.selection})" for r in frame.itertuples()
                   if r.anchor is not None and not r.inside]
        sentence = ("Every published figure lies inside our interval." if not outside else
                    "Outside our interval: " + "; ".join(outside) + ". The reasons are the "
                    "data vintage (Epoch's tables grow and are revised daily; ours is the "
                    "snapshot in the store) and the selection (subsets, date windows, which "
                    "models have the quantity at all); hardware figures are also measured "
                    "at another precision or over another chip list.")
        section.blocks.append(Prose([sentence]))
        headline = found[0][1]
        section.blocks.append(figure_from(
            trend_figure, headline, id="fig-growth-compute",
            title="Training compute of notable models over time",
            inputs=f"{', '.join(headline.selection.sources)}, {headline.fit.n_} models"))
    for problem in problems:
        section.blocks.append(Unavailable("a growth trend", problem))
    _progress_blocks(ctx, section)
    _forecast_blocks(ctx, section, forecast_figure)
    return section


def _progress_blocks(ctx: ReportContext, section: Section) -> None:
    frame = progress_frame(ctx)
    if frame.empty:
        section.blocks.append(Unavailable("algorithmic progress",
                                          "no benchmark could be fitted (see section 2)"))
        return
    for r in frame[frame["problem"].notna()].itertuples():
        section.blocks.append(Unavailable(f"algorithmic progress on {r.benchmark_name}",
                                          str(r.problem)))
    ok = frame[frame["problem"].isna()]
    if ok.empty:
        return
    anchor = frame.attrs["anchor"]
    display = ok.assign(
        gain=[_growth_cell(r.per_year, r.per_year_lo, r.per_year_hi) for r in ok.itertuples()],
        halving=[F.number(v, 3) for v in ok["halving_months"]],
        delta=[_months(r.halving_lo, r.halving_hi) for r in ok.itertuples()],
        boot=[_months(r.halving_boot_lo, r.halving_boot_hi) for r in ok.itertuples()],
        reading=[_reading(r.n, r.per_year_lo) for r in ok.itertuples()],
    )
    section.blocks.append(ReportTable(
        id="table-algorithmic-progress",
        title="Algorithmic progress: compute-equivalent gain per year",
        frame=frame, display=display,
        columns=[Column("benchmark_name", "Benchmark"), Column("n", "n", F.integer, numeric=True),
                 Column("gain", "Gain ×/yr [95 %]"),
                 Column("halving", "Halving (months)", numeric=True),
                 Column("delta", "95 % delta method"), Column("boot", "95 % bootstrap"),
                 Column("reading", "Reading")],
        maker=qualified_name(progress_frame),
        caption=f"From the power law with a year term on each benchmark's points ({N_BOOT} "
                "bootstrap resamples). Beside it: Erdil & Besiroglu 2022 estimate that on "
                f"ImageNet the compute needed for a fixed accuracy halves every "
                f"{anchor['halving_months']:g} months (95 % CI {anchor['halving_months_ci'][0]:g}–"
                f"{anchor['halving_months_ci'][1]:g}) with a richer model.",
    ))


def _forecast_blocks(ctx: ReportContext, section: Section, maker: Any) -> None:
    from dlcost.exceptions import DlcostError, ExtrapolationWarning
    from dlcost.projection.forecast import PAPER_CUTOFF, forecast

    if "imagenet" not in ctx.benchmarks():
        section.blocks.append(Unavailable("the headline chart", "no ImageNet results"))
        return
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ExtrapolationWarning)
            fc = forecast(ctx.db, "imagenet", year=FORECAST_YEAR, cutoff=PAPER_CUTOFF,
                          sources=ctx.sources, n_boot=N_BOOT, random_state=ctx.seed)
    except DlcostError as exc:
        section.blocks.append(Unavailable("the headline chart", str(exc)))
        return
    section.blocks.append(figure_from(
        maker, fc, id="fig-headline-forecast",
        title=f"ImageNet: the best error extrapolated to {FORECAST_YEAR:g}, and its price",
        caption=" ".join([f"Fitted on results up to {PAPER_CUTOFF} (the paper's vintage).",
                          *fc.lines()]),
        inputs=f"{', '.join(ctx.sources)}; {fc.trend.n_} records; {N_BOOT} resamples",
        height_px=720))
    actual = ""
    if fc.actual is not None and len(fc.actual):
        best = fc.actual.iloc[-1]
        predicted = float(fc.trend.predict(best["year"]))
        actual = (f" After the cut-off, {len(fc.actual)} new records were set; the best, "
                  f"{best['name']}, reached {F.percent(best['error'])} where the trend said "
                  f"{F.percent(predicted)}.")
    section.blocks.append(Prose([
        f"On this trend ImageNet's best error would be {F.percent(fc.error)} in "
        f"{FORECAST_YEAR:g} (90 % prediction interval {F.percent(fc.error_ci[0])}–"
        f"{F.percent(fc.error_ci[1])}); the article's figure was about 5 %.{actual}"
    ]))
