"""What a model costs over its life: training once, then serving it every day (METHODS.md §12).

Training comes from hardware facts (chips × days × measured power × PUE, Patterson et al.
2021's formula) or from its FLOP (Epoch's operations ÷ (peak × utilization) on a chosen chip,
the ``hardware`` preset). Serving a dense transformer of N parameters costs ≈ 2N FLOP per
token (one forward pass; Kaplan et al. 2020), × tokens per query × queries per day, run at a
serving utilization (Epoch AI's 0.1) and drawing a fraction of rated power (Epoch AI's 0.7),
× PUE × grid intensity. Serving overtakes training on the day its running total passes the
training figure — in dollars, energy and CO₂ (the same day for energy and CO₂ when both run
on one grid).

The article's point — "for a widely used model, running costs are the biggest component of
the total sum invested" — and its remedy, smaller networks that "cut running costs but not
training costs", become computable by setting a smaller (distilled or pruned) model beside
the large one: :class:`LifeComparison`.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

from dlcost.assumptions import (
    FLOP_PER_PARAM_PER_TOKEN,
    SERVING_FLOP_PER_PARAM_PER_TOKEN,
    SERVING_POWER_FRACTION,
    SERVING_TOKENS_PER_QUERY,
    SERVING_UTILIZATION,
)
from dlcost.exceptions import EstimationError, InvalidParameterError
from dlcost.units import SECONDS_PER_HOUR

HOURS_PER_DAY = 24
#: Patterson et al. 2021's cloud data-centre defaults, used unless overridden.
DEFAULT_PUE = 1.10
DEFAULT_KG_CO2_PER_KWH = 0.429


@dataclass(frozen=True)
class Footprint:
    """FLOP, chip-hours, dollars, energy and CO₂ of some work, with how they were obtained."""

    flop: float | None
    chip_hours: float
    usd: float | None
    kwh: float
    co2_kg: float
    method: str
    assumptions: tuple[str, ...] = ()

    def scaled(self, k: float) -> Footprint:
        return dataclasses.replace(
            self, flop=None if self.flop is None else self.flop * k,
            chip_hours=self.chip_hours * k, usd=None if self.usd is None else self.usd * k,
            kwh=self.kwh * k, co2_kg=self.co2_kg * k)

    def to_dict(self) -> dict[str, Any]:
        return {"flop": self.flop, "chip_hours": self.chip_hours, "usd": self.usd,
                "kwh": self.kwh, "mwh": self.kwh / 1000.0, "co2_kg": self.co2_kg,
                "co2_t": self.co2_kg / 1000.0, "method": self.method,
                "assumptions": list(self.assumptions)}


def _positive(name: str, value: float | None) -> None:
    if value is not None and not (value > 0 and math.isfinite(value)):
        raise InvalidParameterError(f"{name} must be a positive number, got {value!r}")


def _price(chip: str, year: int, usd_per_chip_hour: float | None,
           notes: list[str]) -> float | None:
    if usd_per_chip_hour is not None:
        _positive("the price per chip-hour", usd_per_chip_hour)
        return usd_per_chip_hour
    from dlcost.data.accelerators import cloud_price

    try:
        found = cloud_price(chip, year)
    except EstimationError as exc:
        notes.append(f"no dollars: {exc}")
        return None
    notes.append(f"price: {found.usd_per_chip_hour:g} USD per {chip}-hour on demand "
                 f"({found.row['vendor']} {found.row['price_date']}, dlcost cloud price table)"
                 + (f"; {found.fallback}" if found.fallback else ""))
    return found.usd_per_chip_hour


def training_from_hardware(
    *,
    chips: float,
    days: float,
    chip: str,
    watts: float | None = None,
    pue: float = DEFAULT_PUE,
    kg_co2_per_kwh: float = DEFAULT_KG_CO2_PER_KWH,
    usd_per_chip_hour: float | None = None,
    year: int = 2020,
    flop: float | None = None,
) -> Footprint:
    """Training from hardware facts: MWh = chips × hours × W × PUE (Patterson et al. 2021).

    ``watts`` is the measured average power per chip (default the catalogue TDP, which
    overstates it); ``flop`` the reported training compute, if any.
    """
    from dlcost.data.accelerators import get_chip

    for name, value in (("chips", chips), ("days", days), ("watts", watts), ("PUE", pue)):
        _positive(name, value)
    if not kg_co2_per_kwh >= 0:
        raise InvalidParameterError(f"grid intensity must be ≥ 0, got {kg_co2_per_kwh!r}")
    spec = get_chip(chip)
    notes: list[str] = []
    if watts is None:
        if spec.tdp_w is None:
            raise EstimationError(f"{spec.name} has no TDP in the catalogue; give its power")
        watts = spec.tdp_w
        notes.append(f"power = {spec.name} TDP {watts:g} W (catalogue); measured draw is lower")
    chip_hours = chips * days * HOURS_PER_DAY
    kwh = chip_hours * watts * pue / 1000.0
    price = _price(spec.name, year, usd_per_chip_hour, notes)
    return Footprint(flop=flop, chip_hours=chip_hours,
                     usd=None if price is None else chip_hours * price, kwh=kwh,
                     co2_kg=kwh * kg_co2_per_kwh,
                     method=f"hardware: {chips:g} × {spec.name} × {days:g} days × {watts:g} W × "
                            f"PUE {pue:g} × {kg_co2_per_kwh:g} kg CO₂e/kWh",
                     assumptions=tuple(notes))


def training_from_flop(
    flop: float,
    *,
    chip: str,
    year: int = 2024,
    utilization: float | None = None,
    pue: float = DEFAULT_PUE,
    kg_co2_per_kwh: float = DEFAULT_KG_CO2_PER_KWH,
    usd_per_chip_hour: float | None = None,
    watts: float | None = None,
) -> Footprint:
    """Training from its FLOP (operations performed) on ``chip``: the ``hardware`` preset."""
    from dlcost.projection import get_preset

    _positive("training FLOP", flop)
    preset = get_preset("hardware", chip=chip, year=year, utilization=utilization, pue=pue,
                        kg_co2_per_kwh=kg_co2_per_kwh, usd_per_chip_hour=usd_per_chip_hour,
                        watts=watts)
    est = preset.cost(flop, measure="training_compute")
    if est.chip_hours is None or est.kwh is None or est.co2_kg is None:
        raise EstimationError(f"the hardware preset gave no chip-hours or energy for {chip}")
    return Footprint(flop=flop, chip_hours=est.chip_hours, usd=est.usd, kwh=est.kwh,
                     co2_kg=est.co2_kg, method=f"operations: {flop:.3g} FLOP on {chip}",
                     assumptions=est.assumptions)


def chinchilla_flop(parameters: float, tokens: float) -> float:
    """Training FLOP of a dense transformer, 6·N·D (Kaplan et al. 2020)."""
    _positive("parameters", parameters)
    _positive("training tokens", tokens)
    return FLOP_PER_PARAM_PER_TOKEN.value * parameters * tokens


def serving_per_day(
    *,
    parameters: float,
    queries_per_day: float,
    chip: str,
    tokens_per_query: float = SERVING_TOKENS_PER_QUERY.value,
    utilization: float = SERVING_UTILIZATION.value,
    power_fraction: float = SERVING_POWER_FRACTION.value,
    pue: float = DEFAULT_PUE,
    kg_co2_per_kwh: float = DEFAULT_KG_CO2_PER_KWH,
    usd_per_chip_hour: float | None = None,
    year: int = 2024,
) -> Footprint:
    """One day of serving: 2N FLOP per token × tokens per query × queries per day."""
    from dlcost.data.accelerators import get_chip

    for name, value in (("parameters", parameters), ("queries per day", queries_per_day),
                        ("tokens per query", tokens_per_query), ("PUE", pue)):
        _positive(name, value)
    for name, value in (("serving utilization", utilization),
                        ("serving power fraction", power_fraction)):
        if not 0 < value <= 1:
            raise InvalidParameterError(f"{name} must be in (0, 1], got {value!r}")
    spec = get_chip(chip)
    peak = spec.training_peak()
    if spec.tdp_w is None:
        raise EstimationError(f"{spec.name} has no TDP in the catalogue; choose another chip")
    flop = (SERVING_FLOP_PER_PARAM_PER_TOKEN.value * parameters * tokens_per_query
            * queries_per_day)
    chip_hours = flop / (peak.flop_per_s * utilization) / SECONDS_PER_HOUR
    kwh = chip_hours * spec.tdp_w * power_fraction * pue / 1000.0
    notes = [SERVING_FLOP_PER_PARAM_PER_TOKEN.describe(),
             f"{tokens_per_query:g} tokens per query"
             + (f" ({SERVING_TOKENS_PER_QUERY.source})"
                if tokens_per_query == SERVING_TOKENS_PER_QUERY.value else " (given)"),
             f"serving utilization {utilization:g}"
             + (f" ({SERVING_UTILIZATION.source})"
                if utilization == SERVING_UTILIZATION.value else " (given)"),
             f"power {power_fraction:g} × {spec.name} TDP {spec.tdp_w:g} W"
             + (f" ({SERVING_POWER_FRACTION.source})"
                if power_fraction == SERVING_POWER_FRACTION.value else " (given)"),
             peak.reason]
    price = _price(spec.name, year, usd_per_chip_hour, notes)
    return Footprint(flop=flop, chip_hours=chip_hours,
                     usd=None if price is None else chip_hours * price, kwh=kwh,
                     co2_kg=kwh * kg_co2_per_kwh,
                     method=f"serving: 2 × {parameters:.3g} parameters × {tokens_per_query:g} "
                            f"tokens × {queries_per_day:.3g} queries/day on {spec.name}",
                     assumptions=tuple(notes))


@dataclass(frozen=True)
class LifeCost:
    """Training plus ``days`` of serving; the day serving overtakes training."""

    name: str
    training: Footprint
    serving_day: Footprint
    days: float

    @property
    def serving(self) -> Footprint:
        return self.serving_day.scaled(self.days)

    def overtake_days(self) -> dict[str, float | None]:
        """Days of serving after which serving has cost more than training, per measure."""
        out: dict[str, float | None] = {}
        for key in ("usd", "kwh", "co2_kg", "flop"):
            t, s = getattr(self.training, key), getattr(self.serving_day, key)
            out[key] = t / s if t is not None and s else None
        return out

    def total(self, key: str) -> float | None:
        t, s = getattr(self.training, key), getattr(self.serving, key)
        return None if t is None or s is None else t + s

    def summary(self) -> str:
        """One sentence: when serving overtakes training, and the totals."""
        days = self.overtake_days()
        d = days["kwh"]
        when = (f"serving overtakes training in energy and CO₂ after {d:,.0f} days"
                if d is not None else "serving never overtakes training")
        if days["usd"] is not None:
            when += f", in dollars after {days['usd']:,.0f} days"
        return (f"{self.name}: training {self.training.kwh / 1000:,.0f} MWh, "
                f"{self.training.co2_kg / 1000:,.0f} t CO₂e; {when}")

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "training": self.training.to_dict(),
                "serving_per_day": self.serving_day.to_dict(), "days": self.days,
                "serving": self.serving.to_dict(),
                "total": {k: self.total(k) for k in ("usd", "kwh", "co2_kg", "flop")},
                "overtake_days": self.overtake_days(), "summary": self.summary()}


@dataclass(frozen=True)
class LifeComparison:
    """A model and, optionally, a smaller one serving the same load."""

    model: LifeCost
    smaller: LifeCost | None = None
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"model": self.model.to_dict(),
                               "smaller": self.smaller.to_dict() if self.smaller else None,
                               "notes": list(self.notes)}
        if self.smaller:
            out["savings"] = {
                k: (None if a is None or b is None else a - b) for k, a, b in (
                    (k, self.model.total(k), self.smaller.total(k))
                    for k in ("usd", "kwh", "co2_kg"))}
        return out


# -- a well-documented example: GPT-3 ---------------------------------------------------------

BROWN_2020 = ("Brown et al. 2020, Language Models are Few-Shot Learners, Table 2.1 (parameters; "
              "every size trained on 300 billion tokens)")
BROWN_2020_URL = "https://arxiv.org/abs/2005.14165"
GPT3_PARAMETERS = 175.0e9
GPT3_SMALL_NAME = "GPT-3 6.7B"
GPT3_SMALL_PARAMETERS = 6.7e9
GPT3_TRAINING_TOKENS = 300e9
#: The year of GPT-3's training and of its prices.
GPT3_YEAR = 2020


def gpt3_example(
    *,
    queries_per_day: float,
    days: float = 365.0,
    tokens_per_query: float = SERVING_TOKENS_PER_QUERY.value,
    kg_co2_per_kwh: float | None = None,
    smaller: bool = True,
) -> LifeComparison:
    """GPT-3's life: Patterson et al. 2021's training figures, then serving at a given load.

    Training: 10,000 V100 × 14.8 days × 330 W (measured) × PUE 1.10 × 0.429 kg CO₂e/kWh →
    1,287 MWh and 552 t CO₂e (Patterson et al. 2021, Table 4). Serving on the same chips, 2N
    FLOP per token with N = 175 B (Brown et al. 2020). The smaller model is GPT-3 6.7B
    trained on the same 300 B tokens (6ND FLOP, priced on V100s at Epoch's LLM utilization).
    """
    from dlcost.assumptions import UTILIZATION_LLM
    from dlcost.projection.presets import (
        PATTERSON_CHIP,
        PATTERSON_GPT3_CHIPS,
        PATTERSON_GPT3_DAYS,
        PATTERSON_GPT3_KG_PER_KWH,
        PATTERSON_GPT3_PUE,
        PATTERSON_GPT3_WATTS,
    )

    grid = PATTERSON_GPT3_KG_PER_KWH.value if kg_co2_per_kwh is None else kg_co2_per_kwh
    pue = PATTERSON_GPT3_PUE.value
    training = training_from_hardware(
        chips=PATTERSON_GPT3_CHIPS.value, days=PATTERSON_GPT3_DAYS.value, chip=PATTERSON_CHIP,
        watts=PATTERSON_GPT3_WATTS.value, year=GPT3_YEAR, pue=pue, kg_co2_per_kwh=grid,
        flop=chinchilla_flop(GPT3_PARAMETERS, GPT3_TRAINING_TOKENS))

    def serving(n: float) -> Footprint:
        return serving_per_day(parameters=n, queries_per_day=queries_per_day,
                               chip=PATTERSON_CHIP, tokens_per_query=tokens_per_query,
                               year=GPT3_YEAR, pue=pue, kg_co2_per_kwh=grid)

    model = LifeCost("GPT-3 175B", training, serving(GPT3_PARAMETERS), days)
    small = None
    if smaller:
        small_training = training_from_flop(
            chinchilla_flop(GPT3_SMALL_PARAMETERS, GPT3_TRAINING_TOKENS), chip=PATTERSON_CHIP,
            year=GPT3_YEAR, utilization=UTILIZATION_LLM.value,
            watts=PATTERSON_GPT3_WATTS.value, pue=pue, kg_co2_per_kwh=grid)
        small = LifeCost(GPT3_SMALL_NAME, small_training, serving(GPT3_SMALL_PARAMETERS), days)
    notes = (f"training: {PATTERSON_GPT3_CHIPS.source}, {PATTERSON_GPT3_CHIPS.url}",
             f"parameters and tokens: {BROWN_2020}, {BROWN_2020_URL}",
             "the smaller model stands for a distilled or smaller network serving the same "
             "load at the same tokens per query; its training is 6ND on V100s at "
             f"{UTILIZATION_LLM.describe()}")
    return LifeComparison(model, small, notes)




def custom_example(
    *,
    parameters: float,
    queries_per_day: float,
    chip: str = "H100 SXM5",
    year: int = 2024,
    training_flop: float | None = None,
    tokens: float | None = None,
    days: float = 365.0,
    tokens_per_query: float = SERVING_TOKENS_PER_QUERY.value,
    kg_co2_per_kwh: float | None = None,
    small_parameters: float | None = None,
    small_training_flop: float | None = None,
) -> LifeComparison:
    """Any dense transformer: training from its FLOP (or 6·N·D), serving at a given load.

    The smaller model, if given, serves the same load; its training FLOP defaults to 6·N·D
    with the large model's ``tokens`` (a model trained from scratch; a distillation adds the
    teacher's forward passes, which the user can include in ``small_training_flop``).
    """
    from dlcost.assumptions import UTILIZATION_LLM

    if training_flop is None:
        if tokens is None:
            raise InvalidParameterError("give the training FLOP or the training tokens "
                                        "(6·N·D)")
        training_flop = chinchilla_flop(parameters, tokens)
    grid = DEFAULT_KG_CO2_PER_KWH if kg_co2_per_kwh is None else kg_co2_per_kwh

    def life(name: str, n: float, flop: float) -> LifeCost:
        training = training_from_flop(flop, chip=chip, year=year, kg_co2_per_kwh=grid,
                                      utilization=UTILIZATION_LLM.value)
        serving = serving_per_day(parameters=n, queries_per_day=queries_per_day, chip=chip,
                                  tokens_per_query=tokens_per_query, kg_co2_per_kwh=grid,
                                  year=year)
        return LifeCost(name, training, serving, days)

    model = life(f"{parameters:.3g}-parameter model", parameters, training_flop)
    small = None
    if small_parameters is not None:
        if small_training_flop is None:
            if tokens is None:
                raise InvalidParameterError("give the smaller model's training FLOP, or the "
                                            "training tokens (6·N·D)")
            small_training_flop = chinchilla_flop(small_parameters, tokens)
        small = life(f"{small_parameters:.3g}-parameter model", small_parameters,
                     small_training_flop)
    return LifeComparison(model, small, (f"training at {UTILIZATION_LLM.describe()}",))


# -- how much the dollars depend on where one rents the chips ---------------------------------


def family_token(chip: str) -> str:
    """The model token of a catalogue chip (``"Tesla V100 SXM2"`` → ``"V100"``), used to find
    the chip's family in Epoch AI's hardware prices."""
    from dlcost.data.accelerators import get_chip

    name = get_chip(chip).name
    for token in name.split():
        if any(c.isdigit() for c in token) and any(c.isalpha() for c in token):
            return token
    return name


def price_uncertainty(
    comparison: LifeComparison,
    prices: Any,
    *,
    chip: str,
    n: int = 4000,
    random_state: int | None = 0,
    level: float = 0.90,
) -> dict[str, Any]:
    """Dollars under the on-demand prices Epoch AI observed for ``chip``'s family.

    ``prices`` is the store's ``hardware_prices`` table. Each draw rents every chip-hour (of
    training and of serving) at one observed price, drawn with replacement; the result is the
    median and the central ``level`` interval of training dollars, serving dollars per day and
    the day serving overtakes training in dollars, per model. Energy and CO₂ do not depend on
    the price and are not drawn. Training and serving draw their prices independently (the
    run and the service are rented at different times, often from different vendors).
    """
    import numpy as np

    token = family_token(chip)
    rows = prices[prices["hardware"].str.contains(token, regex=False)
                  & prices["on_demand_usd_per_chip_hour"].notna()]
    if rows.empty:
        raise EstimationError(f"Epoch AI's hardware prices have no on-demand price for a "
                              f"{token}; the dollars use the catalogue price only")
    observed = rows["on_demand_usd_per_chip_hour"].to_numpy(dtype=float)
    rng = np.random.default_rng(random_state)
    train_price = observed[rng.integers(0, len(observed), n)]
    serve_price = observed[rng.integers(0, len(observed), n)]
    tail = (1.0 - level) / 2.0

    def stats(values: Any) -> dict[str, Any]:
        lo, mid, hi = np.quantile(values, [tail, 0.5, 1.0 - tail])
        return {"median": float(mid), "ci": [float(lo), float(hi)]}

    out: dict[str, Any] = {
        "chip_family": token, "observations": len(observed), "draws": n,
        "seed": random_state, "level": level,
        "price_range_usd_per_chip_hour": [float(observed.min()), float(observed.max())],
        "source": "Epoch AI hardware prices (on-demand USD per chip-hour, all vendors and "
                  f"dates of the {token} family)",
    }
    for life in (comparison.model, comparison.smaller):
        if life is None:
            continue
        train = life.training.chip_hours * train_price
        serve = life.serving_day.chip_hours * serve_price
        out[life.name] = {"training_usd": stats(train), "serving_usd_per_day": stats(serve),
                          "overtake_days_usd": stats(train / serve)}
    return out
