"""The article's headline chart: the best error extrapolated in time, and what it would cost.

Thompson et al. (IEEE Spectrum, 2021) extrapolated ImageNet's state of the art to 2025 (about
5 % error) and asked what compute, money and CO₂ the compute–error curve requires for it.
:func:`forecast` does this for any benchmark:

1. **State of the art over time** — every result with an error (also those without compute),
   deduplicated across sources; a result is state of the art when it beats every earlier one
   (:func:`dlcost.fitting.state_of_the_art`). With a ``cutoff`` only results up to it are used.
2. **Error trend** — log10(error) of the state-of-the-art results on the decimal year
   (:class:`dlcost.trends.TrendFit`), extrapolated to ``year``. The headline interval is the
   *prediction* interval (where a new record would fall, scatter included); the interval of
   the line itself is reported beside it.
3. **Price of that error** — the power-law compute fit (results up to the cutoff) inverted at
   the forecast error (:func:`dlcost.projection.project`), with dollars and CO₂ from a preset.
   The interval joins both uncertainties conservatively: from the lower bootstrap bound of
   the compute at the upper error bound to the upper bootstrap bound at the lower error bound.
4. **Reality check** — with a cutoff, the records set after it (the forecast against what
   happened).

A result with only a publication year counts as published mid-year, for the cut-off as for
the trend.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dlcost.benchmarks import get_benchmark
from dlcost.exceptions import ExtrapolationWarning, FitError
from dlcost.fitting import deduplicate, fit_data, scaling_data, state_of_the_art
from dlcost.projection.equivalences import NYC_MONTH
from dlcost.projection.presets import CostPreset
from dlcost.projection.project import Projection, project
from dlcost.trends import TrendFit, date_of, decimal_year

if TYPE_CHECKING:
    from dlcost.store.db import ResultsDB

#: The vintage of the paper's data (arXiv v1, July 2020): results up to mid-2020.
PAPER_CUTOFF = "2020-06-30"
MIN_RECORDS = 3


@dataclass
class Forecast:
    """The best error extrapolated to ``year``, and the compute, $ and CO₂ it requires."""

    benchmark: str
    year: float
    cutoff: str | None
    confidence: float
    trend: TrendFit
    results: pd.DataFrame  # every result used: name, year, error, state_of_the_art
    actual: pd.DataFrame | None  # records set after the cutoff (name, year, error)
    error: float
    error_ci: tuple[float, float]
    error_line_ci: tuple[float, float]
    projection: Projection
    flop: float
    flop_ci: tuple[float, float]
    usd: float | None
    usd_ci: tuple[float, float] | None
    co2_kg: float | None
    co2_kg_ci: tuple[float, float] | None
    notes: list[str] = field(default_factory=list)

    @property
    def nyc_months(self) -> float | None:
        return NYC_MONTH.count(self.co2_kg) if self.co2_kg is not None else None

    @property
    def nyc_months_ci(self) -> tuple[float, float] | None:
        if self.co2_kg_ci is None:
            return None
        return (NYC_MONTH.count(self.co2_kg_ci[0]), NYC_MONTH.count(self.co2_kg_ci[1]))

    def lines(self) -> list[str]:
        """The price of the forecast error, one line per quantity."""
        level = f"{self.confidence:.0%}"
        out = [f"compute for {self.error:.2%}: {self.flop:.2e} FLOP [{level} "
               f"{self.flop_ci[0]:.2e}–{self.flop_ci[1]:.2e}] "
               f"({self.projection.measure}, preset {self.projection.preset})"]
        if self.usd is not None and self.usd_ci is not None:
            out.append(f"dollars: ${self.usd:.3g} [{self.usd_ci[0]:.3g}–{self.usd_ci[1]:.3g}]")
        if self.co2_kg is not None and self.co2_kg_ci is not None:
            nyc = self.nyc_months or math.nan
            ci = self.nyc_months_ci or (math.nan, math.nan)
            out.append(f"CO₂: {self.co2_kg:.3g} kg [{self.co2_kg_ci[0]:.3g}–"
                       f"{self.co2_kg_ci[1]:.3g}] = {nyc:.3g} months of New York City's "
                       f"emissions [{ci[0]:.3g}–{ci[1]:.3g}]")
        return out

    def to_dict(self) -> dict[str, Any]:
        """The ``forecast --json`` document."""
        records = self.results[self.results["state_of_the_art"]]
        return {
            "benchmark": self.benchmark, "year": self.year, "cutoff": self.cutoff,
            "confidence": self.confidence, "error": self.error,
            "error_ci": list(self.error_ci), "error_interval": "prediction",
            "error_line_ci": list(self.error_line_ci),
            "error_trend": self.trend.to_dict(),
            "flop": self.flop, "flop_ci": list(self.flop_ci),
            "usd": self.usd, "usd_ci": list(self.usd_ci) if self.usd_ci else None,
            "co2_kg": self.co2_kg,
            "co2_kg_ci": list(self.co2_kg_ci) if self.co2_kg_ci else None,
            "nyc_months": self.nyc_months,
            "nyc_months_ci": list(self.nyc_months_ci) if self.nyc_months_ci else None,
            "preset": self.projection.preset, "measure": self.projection.measure,
            "compute_fit": {"n_boot": self.projection.n_boot,
                            "data_flop_range": self.projection.to_dict()["data_flop_range"]},
            "state_of_the_art": [
                {"name": r.name, "date": date_of(r.year).isoformat(), "error": r.error}
                for r in records.itertuples()],
            "after_cutoff": None if self.actual is None else [
                {"name": r.name, "date": date_of(r.year).isoformat(), "error": r.error}
                for r in self.actual.itertuples()],
            "notes": self.notes,
        }


def _results(db: ResultsDB, benchmark: str, sources: Sequence[str] | None) -> pd.DataFrame:
    bench = get_benchmark(benchmark)
    rows = db.results(benchmark=bench.id, sources=db.resolve_sources(sources))
    if rows.empty:
        raise FitError(f"no {bench.name} results in the chosen sources; try --data all")
    rows, _ = deduplicate(rows.reset_index(drop=True))
    ok = rows["error"].notna() & (rows["error"] > 0) & (rows["error"] < 1)
    rows = rows[ok]
    year = _when(rows)
    return pd.DataFrame({"name": rows["model"].to_numpy(), "year": year.to_numpy(),
                         "error": rows["error"].to_numpy(dtype=float)}).dropna(
        subset=["year"]).reset_index(drop=True)


def _when(rows: pd.DataFrame) -> pd.Series:
    """Decimal year of each result; a result with only a year is put at mid-year."""
    dated = rows["date"].notna()
    year = pd.Series(decimal_year(rows["date"].astype(str).where(dated, None)),
                     index=rows.index)
    return year.where(dated & year.notna(), rows["year"].astype(float) + 0.5)


def _records(frame: pd.DataFrame) -> pd.Series:
    return state_of_the_art(frame.assign(date=None))


def forecast(
    db: ResultsDB,
    benchmark: str,
    *,
    year: float = 2025.0,
    cutoff: str | None = None,
    since: str | None = None,
    preset: str | CostPreset | None = "thompson2020",
    measure: str = "hardware_burden_consolidated",
    sources: Sequence[str] | None = None,
    confidence: float = 0.90,
    n_boot: int = 2000,
    random_state: int | np.random.Generator | None = None,
) -> Forecast:
    """Extrapolate ``benchmark``'s best error to ``year`` and price it (module docstring)."""
    bench = get_benchmark(benchmark)
    notes: list[str] = []
    everything = _results(db, bench.id, sources)
    cut = float(decimal_year([cutoff])[0]) if cutoff else None
    if cutoff and not np.isfinite(cut or math.nan):
        raise FitError(f"--cutoff {cutoff!r} is not a date; write 2020-06-30")
    before = everything if cut is None else everything[everything["year"] <= cut]
    before = before.copy()
    before["state_of_the_art"] = _records(before)
    fit_rows = before[before["state_of_the_art"]]
    if since:
        lo = float(decimal_year([since])[0])
        fit_rows = fit_rows[fit_rows["year"] >= lo]
    if len(fit_rows) < MIN_RECORDS or np.ptp(fit_rows["year"].to_numpy()) == 0:
        raise FitError(f"{bench.name}: only {len(fit_rows)} state-of-the-art result(s) to fit "
                       "a trend to; use a later --cutoff, an earlier --since or more data "
                       "(--data all)")
    trend = TrendFit(confidence=confidence).fit(fit_rows["year"], fit_rows["error"],
                                                names=fit_rows["name"].tolist())
    if not trend.halving_:
        raise FitError(f"{bench.name}: the best error does not fall over time in these data "
                       f"(growth {trend.growth_per_year_:.3g}×/yr); nothing to extrapolate")
    error = float(trend.predict(year))
    error_ci = trend.predict_interval(year, kind="prediction")
    line_ci = trend.predict_interval(year, kind="confidence")
    if year > trend.end_:
        notes.append(f"the error trend is extrapolated {year - trend.end_:.1f} years beyond its "
                     f"last record ({date_of(trend.end_).isoformat()})")
    actual = None
    if cut is not None:
        everything = everything.copy()
        everything["state_of_the_art"] = _records(everything)
        actual = everything[everything["state_of_the_art"] & (everything["year"] > cut)]
        actual = actual[["name", "year", "error"]].reset_index(drop=True)
        if actual.empty:
            notes.append("no record was set after the cut-off in these data")
    points = scaling_data(db, bench.id, measure=measure, sources=sources)
    if cut is not None:
        points.frame = points.frame[_when(points.frame) <= cut].reset_index(drop=True)
    fit = fit_data(points, form="poly", variant="ols", alpha=1.0 - confidence, n_boot=n_boot,
                   random_state=random_state)
    hi_err = min(error_ci[1], 1.0 - 1e-9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExtrapolationWarning)
        proj = project(fit, [error, error_ci[0], hi_err], preset=preset)
    mid, low_err, high_err = proj.targets
    beyond = mid.orders_beyond_data
    if beyond > 0:
        notes.append(f"the compute for {error:.2%} is {beyond:.1f} orders of magnitude beyond "
                     "the compute in the data: an extrapolation")
    flop_ci = (high_err.flop_ci[0], low_err.flop_ci[1])
    usd_ci = co2_ci = None
    if high_err.usd_ci and low_err.usd_ci:
        usd_ci = (high_err.usd_ci[0], low_err.usd_ci[1])
    if high_err.co2_kg_ci and low_err.co2_kg_ci:
        co2_ci = (high_err.co2_kg_ci[0], low_err.co2_kg_ci[1])
    notes += [n for n in proj.notes if n not in notes]
    return Forecast(
        benchmark=bench.id, year=float(year), cutoff=cutoff, confidence=confidence,
        trend=trend, results=before.reset_index(drop=True), actual=actual, error=error,
        error_ci=(float(error_ci[0]), float(error_ci[1])),
        error_line_ci=(float(line_ci[0]), float(line_ci[1])), projection=proj,
        flop=mid.flop, flop_ci=flop_ci, usd=mid.usd, usd_ci=usd_ci, co2_kg=mid.co2_kg,
        co2_kg_ci=co2_ci, notes=notes,
    )
