"""The planner's inputs, read from the store with their uncertainty and their sources.

- **Compute for the target**: the paper's power-law fit on the consolidated hardware burden
  (:func:`dlcost.fitting.fit_benchmark`) for the paper's benchmarks, the logistic fit with its
  floor at chance (:func:`dlcost.frontier.analysis.fit_lm`) for language-model benchmarks;
  the spread is the fit's bootstrap resamples: a *nominal* interval, unless the plan asks for
  ``interval="calibrated"`` (:mod:`dlcost.plan.calibration`).
- **Algorithmic progress**: the paper's time-trend regression on the same benchmark
  (:func:`dlcost.trends.algorithmic_progress`; :func:`dlcost.frontier.progress.time_trend_progress`
  for language models); when it cannot be estimated, the published anchor (Erdil & Besiroglu
  2022 for vision, Ho et al. 2024 for language models).
- **Price of compute**: the level is the median on-demand cloud price Epoch AI recorded for a
  reference chip (H100 SXM5) in the latest year of its hardware-price data, turned into USD
  per FLOP by the ``hardware`` cost preset (catalogue peak, utilization for operations); the
  fall is the growth of FLOP/s per dollar of ML hardware (:func:`dlcost.trends.trend`,
  ``flops-per-dollar``, FP32, Epoch AI's hardware table).
- **Spend**: the trend of the training cost of frontier models (running top 10 by compute,
  since 2016, Epoch AI's 2023 USD; Cottier et al. 2024's selection), its level at the start
  year and its growth, or a fixed budget.
- **Energy**: the reference chip's TDP × PUE per FLOP at the start, falling with the growth of
  FLOP/s per watt (``flops-per-watt``); CO₂ at the grid intensity of the ``hardware`` preset
  (Patterson et al. 2021's 0.429 kg/kWh) unless overridden.

Growth rates are drawn from normal distributions with their OLS standard errors (level and
slope independently: a simplification that slightly widens the spread).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dlcost.assumptions import PRICE_LEVEL_COVERAGE
from dlcost.benchmarks import BENCHMARKS, is_lm_benchmark
from dlcost.exceptions import EstimationError, FitError, InvalidParameterError
from dlcost.plan.model import Uncertain

if TYPE_CHECKING:
    from dlcost.store.db import ResultsDB

#: The reference chip: the catalogue's name and the name in Epoch AI's hardware prices.
REFERENCE_CHIP = ("H100 SXM5", "NVIDIA H100 SXM5 80GB")
#: Selection of the spend trend: Epoch's frontier (running top 10) since 2016, as Cottier et
#: al. 2024 (2.4×/yr, 90 % CI 2.0–2.9) fitted it.
SPEND_SELECTION: dict[str, Any] = {"frontier_top": 10, "since": "2016"}
#: Precision of the hardware trends: FP32, the precision Epoch's FLOP/s-per-$ insight and
#: Hobbhahn & Besiroglu 2022 quote.
HARDWARE_PRECISION = "fp32"
#: How a fit's note says its interval is nominal (``interval="calibrated"`` rewrites it).
NOMINAL_FIT_NOTE = "nominal bootstrap interval (the backtest's calibration is not applied)"



@dataclass(frozen=True)
class TargetCompute:
    """What the target needs: the fit's compute (log10 FLOP, with resamples) and its measure."""

    benchmark: str
    error: float
    score: float
    log10_flop: Uncertain
    measure: str
    language_model: bool
    fit_description: str
    orders_beyond_data: float
    algorithmic: Uncertain
    notes: tuple[str, ...] = field(default=())


def _normal_from_interval(lo: float, hi: float, level: float) -> float:
    """Standard deviation of a normal whose central ``level`` interval is (lo, hi)."""
    from dlcost.stats import norm_ppf

    return (hi - lo) / (2.0 * float(norm_ppf(0.5 + level / 2.0)))


def _decades_from_halving(anchor: dict[str, Any]) -> Uncertain:
    """An algorithmic-progress anchor (halving months, interval) as decades per year."""
    lo_m, hi_m = anchor["ci_months"]
    center = 12.0 * math.log10(2.0) / anchor["halving_months"]
    lo, hi = 12.0 * math.log10(2.0) / hi_m, 12.0 * math.log10(2.0) / lo_m
    return Uncertain("algorithmic progress", center, "decades of compute per year",
                     f"{anchor['source']} (published anchor; halving every "
                     f"{anchor['halving_months']:g} months)",
                     sd=_normal_from_interval(lo, hi, anchor["level"]))


def _beyond(log10_flop: float, lo: float, hi: float) -> float:
    if not math.isfinite(log10_flop):
        return math.inf
    return max(log10_flop - hi, lo - log10_flop, 0.0)


def target_compute(
    db: ResultsDB,
    benchmark: str,
    *,
    error: float | None = None,
    score: float | None = None,
    n_boot: int = 1000,
    random_state: int | np.random.Generator | None = 0,
    sources: list[str] | None = None,
) -> TargetCompute:
    """The compute a target error (or score) needs, from the benchmark's fit.

    ``sources``: the imported sources the paper's benchmarks are fitted on (default
    everything imported); language-model benchmarks read Epoch's hub.
    """
    if (error is None) == (score is None):
        raise InvalidParameterError("give exactly one target: an error (--error 5%) or a score "
                                    "(--score 95%)")
    err = float(error) if error is not None else 1.0 - float(score)  # type: ignore[arg-type]
    if not 0 < err < 1:
        raise InvalidParameterError(f"the target must lie strictly between 0 % and 100 %; got "
                                    f"error {err:.4g}")
    key = benchmark.strip().lower()
    if is_lm_benchmark(key):
        return _lm_target(db, key, 1.0 - err, n_boot, random_state)
    if key not in BENCHMARKS:
        from dlcost.benchmarks import get_benchmark

        get_benchmark(key)  # raises UnknownBenchmarkError with the choices
    return _paper_target(db, key, err, n_boot, random_state, sources)


def _paper_target(db: ResultsDB, key: str, err: float, n_boot: int,
                  random_state: int | np.random.Generator | None,
                  sources: list[str] | None) -> TargetCompute:
    from dlcost.fitting import fit_benchmark
    from dlcost.trends import algorithmic_progress

    fit = fit_benchmark(db, key, n_boot=n_boot, random_state=random_state, sources=sources)
    if fit.slope_ <= 0:
        raise FitError(f"{key}: the fitted slope is {fit.slope_:.4g} ≤ 0, so no compute reaches "
                       "a lower error; the planner needs error to fall with compute")
    center = float(fit.log10_compute_for([err])[0])
    samples = fit.log10_compute_for([err], coef=fit.boot_coef_)[:, 0]
    notes = [f"compute for the target: {fit.form} fit of {fit.measure_} on {key} (n = "
             f"{fit.n_}, sources {', '.join(fit.sources_ or [])}); {NOMINAL_FIT_NOTE}"]
    if not getattr(fit, "reliable_", True):
        notes.append(f"thin fit: {getattr(fit, 'unreliable_reason_', '')}".rstrip(": "))
    try:
        tfit = fit_benchmark(db, key, variant="time", sources=sources)
        prog = algorithmic_progress(tfit)
        if not math.isfinite(prog.decades_per_year_se) or prog.decades_per_year <= 0:
            raise FitError("no positive progress")
        algo = Uncertain("algorithmic progress", prog.decades_per_year,
                         "decades of compute per year",
                         f"time-trend fit on {key} (n = {prog.n}; {prog.per_year:.3g}×/yr, "
                         f"halving every {prog.halving_months:.3g} months)",
                         sd=prog.decades_per_year_se)
    except FitError as exc:
        from dlcost.trends import ERDIL_BESIROGLU_2022 as eb

        algo = _decades_from_halving({"halving_months": eb["halving_months"],
                                      "ci_months": eb["halving_months_ci"],
                                      "level": eb["confidence"], "source": eb["source"]})
        notes.append(f"algorithmic progress from the published anchor ({exc})")
    lo, hi = fit.log10_compute_range_
    return TargetCompute(
        benchmark=key, error=err, score=1.0 - err,
        log10_flop=Uncertain("compute for the target", center, "log10 FLOP",
                             f"{fit.form} fit on {key}, {fit.measure_}",
                             samples=samples[~np.isnan(samples)]),
        measure=fit.measure_ or "hardware_burden_consolidated", language_model=False,
        fit_description=repr(fit), orders_beyond_data=_beyond(center, lo, hi),
        algorithmic=algo, notes=tuple(notes))


def _lm_target(db: ResultsDB, key: str, score: float, n_boot: int,
               random_state: int | np.random.Generator | None) -> TargetCompute:
    from dlcost.frontier import lm_data
    from dlcost.frontier.analysis import MEASURE, compute_for_score, fit_lm
    from dlcost.frontier.progress import HO_2024, time_trend_progress

    data = lm_data(db, key)
    fit = fit_lm(data, form="logistic", n_boot=n_boot, random_state=random_state)
    flop, _ = compute_for_score(fit, score)
    center = math.log10(flop)
    samples = np.asarray(fit.log10_compute_samples(score), dtype=float)
    notes = [f"compute for the target: logistic fit of training compute on {key} (n = "
             f"{len(data)}, floor {data.floor:g}); {NOMINAL_FIT_NOTE}"]
    never = int(np.isinf(samples).sum())
    if never:
        notes.append(f"{never} of {len(samples)} bootstrap resamples put the score above their "
                     "ceiling: in those futures no compute reaches it")
    try:
        prog = time_trend_progress(data, n_boot=min(n_boot, 500), random_state=random_state)
        if not (math.isfinite(prog.gain_per_year) and prog.gain_per_year > 1
                and all(math.isfinite(c) and c > 0 for c in prog.ci)):
            raise FitError("; ".join(prog.notes) or "no positive progress estimated")
        algo = Uncertain("algorithmic progress", math.log10(prog.gain_per_year),
                         "decades of compute per year",
                         f"time-trend fit on {key} (n = {prog.n}; {prog.gain_per_year:.3g}×/yr)",
                         sd=_normal_from_interval(math.log10(prog.ci[0]),
                                                  math.log10(prog.ci[1]), prog.level))
    except FitError as exc:
        algo = _decades_from_halving(HO_2024)
        notes.append(f"algorithmic progress from the published anchor ({exc})")
    flops = data.frame["compute_flop"]
    lo, hi = math.log10(flops.min()), math.log10(flops.max())
    return TargetCompute(
        benchmark=key, error=1.0 - score, score=score,
        log10_flop=Uncertain("compute for the target", center, "log10 FLOP",
                             f"logistic fit on {key}, training compute",
                             samples=samples[~np.isnan(samples)]),
        measure=MEASURE, language_model=True, fit_description=repr(fit),
        orders_beyond_data=_beyond(center, lo, hi), algorithmic=algo, notes=tuple(notes))


@dataclass(frozen=True)
class Growth:
    """A fitted growth rate (decades per year) and the fit's level at the start year."""

    rate: Uncertain
    level: Uncertain
    end_year: float


def growth(db: ResultsDB, quantity: str, label: str, unit: str, start_year: float | None,
           **selection: Any) -> Growth:
    """The log-linear trend of ``quantity`` as planner inputs (rate, level at the start)."""
    from dlcost.trends import trend

    res = trend(db, quantity, **selection)
    f = res.fit
    where = res.selection.describe()
    rate = Uncertain(f"growth of {label}", f.slope_, "decades per year",
                     f"dlcost.trends: {quantity} ({where}; n = {f.n_}, "
                     f"{f.growth_per_year_:.3g}×/yr)", sd=f.slope_se_)
    t0 = math.floor(f.end_) if start_year is None else start_year
    x = np.array([1.0, t0])
    level = Uncertain(label, f.intercept_ + f.slope_ * t0, unit,
                      f"dlcost.trends: {quantity} trend line at {t0:g} ({where})",
                      sd=float(math.sqrt(max(float(x @ f.cov_ @ x), 0.0))))
    return Growth(rate=rate, level=level, end_year=f.end_)


@dataclass(frozen=True)
class PriceLevel:
    """USD per FLOP and kWh per FLOP on the reference chip at the start year."""

    log10_usd_per_flop: Uncertain
    log10_kwh_per_flop: float
    kg_co2_per_kwh: float
    notes: tuple[str, ...]
    constants: tuple[dict[str, Any], ...]
    #: The year of the prices used (the start year may lie before or after it).
    year: float


def _epoch_prices(db: ResultsDB, year: float | None) -> tuple[pd.Series, int] | None:
    prices = db.hardware_prices()
    if prices.empty:
        return None
    rows = prices[(prices["hardware"].str.strip() == REFERENCE_CHIP[1])
                  & prices["on_demand_usd_per_chip_hour"].notna()]
    if rows.empty:
        return None
    years = pd.to_datetime(rows["price_date"]).dt.year
    use = int(years.max()) if year is None else int(min(max(year, years.min()), years.max()))
    return rows.loc[years == use, "on_demand_usd_per_chip_hour"].astype(float), use


def price_level(db: ResultsDB, measure: str, *, year: float | None,
                kg_co2_per_kwh: float | None, language_model: bool) -> PriceLevel:
    """Cost and energy of one FLOP of ``measure`` on the reference chip (module docstring)."""
    from dlcost.projection import get_preset

    notes: list[str] = []
    found = _epoch_prices(db, year)
    level = PRICE_LEVEL_COVERAGE.value
    if found is not None and len(found[0]):
        values, used = found
        logs = np.log10(values.to_numpy())
        center_price = float(np.median(logs))
        sd = 0.0
        if len(logs) > 1:
            tail = (1.0 - level) / 2.0
            lo, hi = np.quantile(logs, [tail, 1.0 - tail])
            sd = _normal_from_interval(float(lo), float(hi), level)
        source = (f"Epoch AI hardware prices: median of {len(logs)} on-demand prices of "
                  f"{REFERENCE_CHIP[1]} in {used} ({10 ** center_price:.3g} USD/chip-hour)")
        price = 10.0 ** center_price
        price_year = float(used)
    else:
        from dlcost.data.accelerators import cloud_price

        cp = cloud_price(REFERENCE_CHIP[0], int(year or 2024))
        price, sd = cp.usd_per_chip_hour, 0.0
        price_year = float(cp.row["year"])
        source = "dlcost cloud price table (no Epoch AI hardware prices in the store)"
        notes.append(f"price of compute: {source}")
    overrides: dict[str, Any] = {"chip": REFERENCE_CHIP[0], "usd_per_chip_hour": price}
    if kg_co2_per_kwh is not None:
        overrides["kg_co2_per_kwh"] = kg_co2_per_kwh
    if language_model:
        from dlcost.assumptions import UTILIZATION_LLM

        overrides["utilization"] = UTILIZATION_LLM.value
        notes.append(f"utilization: {UTILIZATION_LLM.describe()}")
    preset: Any = get_preset("hardware", **overrides)
    flop = 1e24
    try:
        est = preset.cost(flop, measure=measure)
    except EstimationError as exc:
        raise EstimationError(f"the planner cannot price {measure}: {exc}") from exc
    if est.usd is None or est.kwh is None:
        raise EstimationError(f"the hardware preset gave no dollars or energy for {measure}")
    notes += list(est.assumptions)
    return PriceLevel(
        log10_usd_per_flop=Uncertain("price of compute", math.log10(est.usd / flop),
                                     "log10 USD per FLOP", source, sd=sd),
        log10_kwh_per_flop=math.log10(est.kwh / flop), kg_co2_per_kwh=preset.kg_co2_per_kwh,
        notes=tuple(notes), constants=tuple(c.to_dict() for c in est.constants),
        year=price_year)
