"""Was the paper right? The authors' fits, with only what they could see, against what came later.

Two vintages: the paper (arXiv v1, July 2020: results published up to 2020-06-30) and the
IEEE Spectrum article (October 2021 issue: results up to 2021-09-30). For each benchmark and
vintage, with only the results published by then (a result with only a year counts as
published mid-year):

- the compute–error power law (OLS, as the paper) and the trend of the best error in time;
- what the trend said for the end of each later year, against the best error the data reach;
- for every later result with compute, the compute it used against the compute the curve says
  its error needs (log10 ratio: positive = it used more than the curve said);
- for ImageNet, the article's checkable forecast — about 5 % top-1 error by 2025 — against
  the best top-1 in the data, and the compute the 2020 curve says a 5 % model needs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dlcost.backtest.rolling import all_results, published
from dlcost.benchmarks import BENCHMARKS, get_benchmark
from dlcost.exceptions import FitError
from dlcost.fitting import ScalingData, make_fit, prepare, state_of_the_art
from dlcost.trends import TrendFit, decimal_year

if TYPE_CHECKING:
    from dlcost.store.db import ResultsDB

#: The paper's data vintage: arXiv 2007.05558 v1 (July 2020) — results up to mid-2020.
PAPER_CUTOFF = "2020-06-30"
#: The article's vintage: IEEE Spectrum, "Deep Learning's Diminishing Returns", October 2021
#: issue (https://spectrum.ieee.org/deep-learning-computational-cost).
ARTICLE_CUTOFF = "2021-09-30"
VINTAGES: dict[str, str] = {"paper (July 2020)": PAPER_CUTOFF,
                            "article (October 2021)": ARTICLE_CUTOFF}
#: The article's forecast for ImageNet: top-1 error "just 5 percent" by 2025 (Thompson et al.,
#: IEEE Spectrum, Oct 2021; the extrapolated trend of its ImageNet chart).
ARTICLE_IMAGENET_ERROR = 0.05
ARTICLE_IMAGENET_YEAR = 2025
#: Last year whose best error is set against the forecasts (the article's horizon); the
#: first is the cut-off's year. The data may end earlier: those years say so.
LAST_CHECK_YEAR = 2025
N_BOOT = 2000
CONFIDENCE = 0.90


@dataclass
class VintageCheck:
    """One benchmark, one vintage: the fits and what happened after."""

    benchmark: str
    vintage: str
    cutoff: str
    n_curve: int
    slope: float | None
    trend_n: int
    halving_years: float | None
    years: list[dict[str, Any]]
    compute_vs_curve: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"benchmark": self.benchmark, "vintage": self.vintage, "cutoff": self.cutoff,
                "n_curve": self.n_curve, "slope": self.slope, "trend_n": self.trend_n,
                "halving_years": self.halving_years, "years": self.years,
                "compute_vs_curve": self.compute_vs_curve, "notes": self.notes}


@dataclass
class ImageNetCase:
    """The article's "5 % by 2025" against the data, and the 2020 curve's price of 5 %."""

    forecast_error: float
    forecast_year: int
    best_error: float
    best_model: str
    best_year: float
    trend_2025_error: float
    trend_2025_ci: tuple[float, float]
    flop_for_target: float
    flop_ci: tuple[float, float]
    orders_beyond_data: float
    best_model_flop: float | None
    curve_error_at_best_flop: float | None

    def sentence(self) -> str:
        used = ""
        if self.best_model_flop is not None and self.curve_error_at_best_flop is not None:
            used = (f" {self.best_model} used {self.best_model_flop:.2g} FLOP, at which the "
                    f"2020 curve predicts {self.curve_error_at_best_flop:.1%} error.")
        return (f"The article expected ImageNet top-1 error of about "
                f"{self.forecast_error:.0%} by {self.forecast_year} (the 2020 data's trend "
                f"says {self.trend_2025_error:.1%}, {CONFIDENCE:.0%} prediction interval "
                f"{self.trend_2025_ci[0]:.1%}–{self.trend_2025_ci[1]:.1%}). The best top-1 "
                f"in the data is {100 * (1 - self.best_error):.1f} % ({self.best_model}, "
                f"{int(self.best_year)}), i.e. {self.best_error:.1%} error: not reached. The "
                f"2020 curve says a {self.forecast_error:.0%} model needs "
                f"{self.flop_for_target:.2g} FLOP (95 % bootstrap {self.flop_ci[0]:.2g}–"
                f"{self.flop_ci[1]:.2g}), {self.orders_beyond_data:.1f} orders of magnitude "
                f"beyond the largest model in its data." + used)

    def to_dict(self) -> dict[str, Any]:
        return {"forecast_error": self.forecast_error, "forecast_year": self.forecast_year,
                "best_error": self.best_error, "best_top1": 1 - self.best_error,
                "best_model": self.best_model, "best_year": self.best_year,
                "trend_2025_error": self.trend_2025_error,
                "trend_2025_ci": list(self.trend_2025_ci),
                "flop_for_target": self.flop_for_target, "flop_ci": list(self.flop_ci),
                "orders_beyond_data": self.orders_beyond_data,
                "best_model_flop": self.best_model_flop,
                "curve_error_at_best_flop": self.curve_error_at_best_flop,
                "sentence": self.sentence()}


@dataclass
class PaperCheck:
    """Every benchmark and vintage, and the ImageNet case."""

    checks: list[VintageCheck]
    imagenet: ImageNetCase | None
    sources: list[str]
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"sources": self.sources, "vintages": VINTAGES,
                "checks": [c.to_dict() for c in self.checks],
                "imagenet": self.imagenet.to_dict() if self.imagenet else None,
                "problems": self.problems}


def _cut(cutoff: str) -> float:
    return float(decimal_year([cutoff])[0])


class _Points:
    """One benchmark's fit-ready points up to each cut-off (``None``: all of them), prepared
    once for the vintages and the ImageNet case that share them."""

    def __init__(self, rows: pd.DataFrame, bench: str, measure: str) -> None:
        self.rows, self.bench, self.measure = rows, bench, measure
        self._made: dict[str | None, ScalingData] = {}

    def upto(self, cutoff: str | None) -> ScalingData:
        if cutoff not in self._made:
            rows = self.rows if cutoff is None else \
                self.rows[self.rows["published"] <= _cut(cutoff)]
            self._made[cutoff] = prepare(rows.drop(columns="published"), self.bench,
                                         measure=self.measure)
        return self._made[cutoff]


def _vintage(rows: pd.DataFrame, bench: str, vintage: str, cutoff: str,
             measure: str, points: _Points | None = None,
             ) -> tuple[VintageCheck, Any, TrendFit | None]:
    cut = _cut(cutoff)
    notes: list[str] = []
    points = points or _Points(rows, bench, measure)
    data = points.upto(cutoff)
    fit: Any = None
    if len(data.frame) >= 3:
        try:
            fit = make_fit("poly", variant="ols").fit(data.frame)
        except FitError as exc:
            notes.append(str(exc))
    results = all_results(rows)
    old = results[results["published"] <= cut]
    records = old[state_of_the_art(old.rename(columns={"published": "year"})
                                   .assign(date=None)).to_numpy()]
    trend: TrendFit | None = None
    if len(records) >= 3 and np.ptp(records["published"].to_numpy()) > 0:
        trend = TrendFit(confidence=CONFIDENCE).fit(records["published"].to_numpy(),
                                                    records["error"].to_numpy())
    last_year = math.floor(results["published"].max())
    years: list[dict[str, Any]] = []
    for year in range(math.floor(cut), LAST_CHECK_YEAR + 1):
        entry: dict[str, Any] = {"year": year}
        if trend is not None:
            entry["trend_error"] = float(trend.predict(year + 1.0))
            lo, hi = trend.predict_interval(year + 1.0, kind="prediction")
            entry["trend_ci"] = [float(lo), float(hi)]
        if year <= last_year:
            seen = results[results["published"] < year + 1]
            i = int(seen["error"].to_numpy().argmin())
            entry["best_error"] = float(seen["error"].iloc[i])
            entry["best_model"] = str(seen["name"].iloc[i])
        else:
            entry["best_error"] = None
            entry["note"] = f"no data after {last_year}"
        years.append(entry)
    compare: dict[str, Any] = {"n": 0}
    if fit is not None and fit.slope_ > 0:
        everything = points.upto(None).frame
        later = everything[published(everything) > cut]
        if len(later):
            need = fit.log10_compute_for(later["error"].to_numpy(dtype=float))
            used = np.log10(later["compute_flop"].to_numpy(dtype=float))
            ratio = used - need
            compare = {"n": len(later), "median_log10_ratio": float(np.median(ratio)),
                       "q10_log10_ratio": float(np.quantile(ratio, 0.1)),
                       "q90_log10_ratio": float(np.quantile(ratio, 0.9)),
                       "share_used_less": float(np.mean(ratio < 0))}
    check = VintageCheck(
        benchmark=bench, vintage=vintage, cutoff=cutoff, n_curve=len(data.frame),
        slope=None if fit is None else float(fit.slope_),
        trend_n=0 if trend is None else trend.n_,
        halving_years=(trend.doubling_years_ if trend is not None and trend.halving_
                       else None),
        years=years, compute_vs_curve=compare, notes=notes)
    return check, fit, trend


def _imagenet_case(rows: pd.DataFrame, measure: str, random_state: int,
                   points: _Points | None = None) -> ImageNetCase:
    cut = _cut(PAPER_CUTOFF)
    points = points or _Points(rows, "imagenet", measure)
    data = points.upto(PAPER_CUTOFF)
    fit = make_fit("poly", variant="ols", n_boot=N_BOOT, random_state=random_state).fit(
        data.frame)
    results = all_results(rows)
    best = results.iloc[int(results["error"].to_numpy().argmin())]
    old = results[results["published"] <= cut]
    records = old[state_of_the_art(old.rename(columns={"published": "year"})
                                   .assign(date=None)).to_numpy()]
    trend = TrendFit(confidence=CONFIDENCE).fit(records["published"].to_numpy(),
                                                records["error"].to_numpy())
    when = ARTICLE_IMAGENET_YEAR + 1.0
    flop = float(fit.compute_for(ARTICLE_IMAGENET_ERROR))
    lo, hi = fit.compute_interval(ARTICLE_IMAGENET_ERROR, kind="bootstrap")
    everything = points.upto(None).frame
    match = everything[everything["model"] == best["name"]]
    best_flop = float(match["compute_flop"].iloc[0]) if len(match) else None
    at_best = float(fit.predict([best_flop])[0]) if best_flop else None
    return ImageNetCase(
        forecast_error=ARTICLE_IMAGENET_ERROR, forecast_year=ARTICLE_IMAGENET_YEAR,
        best_error=float(best["error"]), best_model=str(best["name"]),
        best_year=float(best["published"]),
        trend_2025_error=float(trend.predict(when)),
        trend_2025_ci=tuple(float(v) for v in trend.predict_interval(  # type: ignore[arg-type]
            when, kind="prediction")),
        flop_for_target=flop, flop_ci=(lo, hi),
        orders_beyond_data=math.log10(flop) - fit.log10_compute_range_[1],
        best_model_flop=best_flop, curve_error_at_best_flop=at_best)


def paper_check(db: ResultsDB, *, sources: Sequence[str] | None = None,
                measure: str = "hardware_burden_consolidated",
                random_state: int = 0) -> PaperCheck:
    """The paper's and the article's fits against what came later (module docstring)."""
    chosen = db.resolve_sources(sources)
    checks: list[VintageCheck] = []
    problems: list[str] = []
    imagenet: ImageNetCase | None = None
    for bench in BENCHMARKS:
        rows = db.results(benchmark=bench, sources=chosen).reset_index(drop=True)
        if rows.empty:
            problems.append(f"{get_benchmark(bench).name}: no results in {', '.join(chosen)}")
            continue
        rows["published"] = published(rows)
        rows = rows[rows["published"].notna()].reset_index(drop=True)
        points = _Points(rows, bench, measure)
        for vintage, cutoff in VINTAGES.items():
            try:
                checks.append(_vintage(rows, bench, vintage, cutoff, measure, points)[0])
            except FitError as exc:
                problems.append(f"{bench} ({vintage}): {exc}")
        if bench == "imagenet":
            try:
                imagenet = _imagenet_case(rows, measure, random_state, points)
            except FitError as exc:
                problems.append(f"imagenet case: {exc}")
    return PaperCheck(checks=checks, imagenet=imagenet, sources=chosen, problems=problems)


__all__ = ["ARTICLE_CUTOFF", "PAPER_CUTOFF", "ImageNetCase", "PaperCheck", "VintageCheck",
           "paper_check"]
