"""Dollars, energy and CO₂ of an amount of compute: named, cited presets (METHODS.md §5).

Every preset turns FLOP into a :class:`CostEstimate` that carries the preset's name, each
constant with its source, and the assumptions made on the way. Each constant is a dataclass
field, so a user overrides one with :meth:`CostPreset.replace` (``get_preset("hardware",
chip="A100", year=2021)`` or ``preset.replace(pue=1.2)``).

Presets
-------
``thompson2020``
    The per-GFLOP constants behind the paper's projection table: its dollar and CO₂ columns
    scale like a constant per GFLOP, the one implied by Strubell et al.'s Transformer-big run.
    That run (8 × P100 for 84 h) had a hardware burden of 8 × P100 peak × 84 h ≈ 2.25×10¹⁰
    GFLOP, emitted 192 lbs CO₂e and cost $289–981 on Google Cloud; dividing gives $/GFLOP and
    lbs/GFLOP (:func:`thompson2020`).
``strubell2019``
    Strubell, Ganesh & McCallum's formula: kWh = PUE × hours × (CPU W + DRAM W + GPUs × GPU W)
    / 1000 with PUE 1.58, CO₂ = 0.954 lb/kWh, dollars from the cloud price per GPU-hour of their
    runs (derived from the Transformer-big row: $289/672 and $981/672 GPU-hours).
``patterson2021``
    Patterson et al.: MWh = hours × chips × measured average W × PUE; CO₂ = MWh × the data
    centre's grid intensity. Defaults are their GPT-3 row (V100, 330 W, PUE 1.10,
    0.429 kg CO₂e/kWh); the paper gives no prices, so this preset gives none.
``hardware``
    For a chosen chip and year: FLOP ÷ (peak × utilization) → chip-hours; × the chip's dated
    cloud price (:func:`dlcost.data.accelerators.cloud_price`) → $; × power (TDP) × PUE → kWh;
    × grid intensity → CO₂.

Which FLOP are these? A hardware burden already counts peak-FLOP-seconds (chips × peak × time,
no utilization), so its chip-hours are FLOP ÷ peak at the burden's precision. Operations
actually performed (network operations, Epoch's training compute) take FLOP ÷ (training peak ×
utilization). :func:`flop_kind` tells them apart and the estimate records which rule applied.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from dlcost import formatting as fmt
from dlcost.compute.estimates import resolve_utilization
from dlcost.exceptions import EstimationError
from dlcost.units import (
    FLOP_PER_GFLOP,
    KG_PER_POUND,
    SECONDS_PER_DAY,
    SECONDS_PER_HOUR,
)


@dataclass(frozen=True)
class Constant:
    """A number a preset uses: value, unit, where it comes from, and how it was derived."""

    name: str
    value: float
    unit: str
    source: str
    url: str
    derivation: str = ""

    def describe(self) -> str:
        how = f"; {self.derivation}" if self.derivation else ""
        return f"{self.name} = {fmt.sci(self.value, digits=4)} {self.unit} ({self.source}{how})"

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class CostEstimate:
    """Dollars, energy and CO₂ of ``flop`` under one preset, with everything used to get them.

    ``usd`` is the central value and ``usd_range`` the range the preset's sources give (e.g.
    preemptible to on-demand); ``None`` where the preset has no such figure.
    """

    flop: float
    measure: str
    preset: str
    usd: float | None
    usd_range: tuple[float, float] | None
    kwh: float | None
    co2_kg: float | None
    chip_hours: float | None
    constants: tuple[Constant, ...]
    assumptions: tuple[str, ...] = ()

    @property
    def sources(self) -> tuple[str, ...]:
        """Every URL behind the constants, once each."""
        return tuple(dict.fromkeys(c.url for c in self.constants))

    def scaled(self, flop: float) -> CostEstimate:
        """The same estimate for another amount of compute (every preset is linear in FLOP)."""
        k = flop / self.flop if self.flop else float("nan")

        def s(x: float | None) -> float | None:
            return None if x is None else x * k

        return dataclasses.replace(
            self, flop=flop, usd=s(self.usd),
            usd_range=None if self.usd_range is None else (self.usd_range[0] * k,
                                                           self.usd_range[1] * k),
            kwh=s(self.kwh), co2_kg=s(self.co2_kg), chip_hours=s(self.chip_hours),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "flop": self.flop, "measure": self.measure, "preset": self.preset,
            "usd": self.usd, "usd_range": list(self.usd_range) if self.usd_range else None,
            "kwh": self.kwh, "co2_kg": self.co2_kg, "chip_hours": self.chip_hours,
            "constants": [c.to_dict() for c in self.constants],
            "sources": list(self.sources), "assumptions": list(self.assumptions),
        }


#: Measures whose FLOP are peak-FLOP-seconds (no utilization factor in them).
PEAK_TIME_MEASURES = frozenset({"hardware_burden", "hardware_burden_consolidated"})
#: Measures that are operations actually performed during training.
OPERATION_MEASURES = frozenset({"network_operations", "training_compute"})


def flop_kind(measure: str) -> str:
    """``"peak_time"`` (hardware burden) or ``"operations"``; anything else cannot be costed."""
    if measure in PEAK_TIME_MEASURES:
        return "peak_time"
    if measure in OPERATION_MEASURES:
        return "operations"
    raise EstimationError(
        f"{measure!r} is not the compute of a training run (ops_per_pass is one forward pass), "
        "so it has no training cost; fit hardware_burden_consolidated, hardware_burden or "
        "network_operations to get dollars and CO₂"
    )


# -- cited figures -------------------------------------------------------------------------

STRUBELL_URL = "https://arxiv.org/abs/1906.02243"
STRUBELL_SOURCE = "Strubell, Ganesh & McCallum 2019, Energy and Policy Considerations for Deep " \
                  "Learning in NLP (ACL)"
PATTERSON_URL = "https://arxiv.org/abs/2104.10350"
PATTERSON_SOURCE = "Patterson et al. 2021, Carbon Emissions and Large Neural Network Training"

STRUBELL_PUE = Constant("PUE", 1.58, "", f"{STRUBELL_SOURCE}, §2 (2018 industry average)",
                        STRUBELL_URL)
STRUBELL_LB_PER_KWH = Constant("CO₂ per kWh", 0.954, "lb/kWh",
                               f"{STRUBELL_SOURCE}, §2 (EPA, US average)", STRUBELL_URL)
#: Strubell et al. Table 3, Transformer (big): 8 × P100 for 84 hours, 192 lbs CO₂e, $289–981.
STRUBELL_TBIG_GPUS = Constant("Transformer-big GPUs", 8, "P100", f"{STRUBELL_SOURCE}, Table 3",
                              STRUBELL_URL)
STRUBELL_TBIG_HOURS = Constant("Transformer-big training time", 84, "h",
                               f"{STRUBELL_SOURCE}, Table 3", STRUBELL_URL)
STRUBELL_TBIG_LB = Constant("Transformer-big CO₂e", 192, "lb", f"{STRUBELL_SOURCE}, Table 3",
                            STRUBELL_URL)
STRUBELL_TBIG_USD_LOW = Constant("Transformer-big cloud cost, low", 289, "USD",
                                 f"{STRUBELL_SOURCE}, Table 3 (preemptible)", STRUBELL_URL)
STRUBELL_TBIG_USD_HIGH = Constant("Transformer-big cloud cost, high", 981, "USD",
                                  f"{STRUBELL_SOURCE}, Table 3 (on-demand)", STRUBELL_URL)
STRUBELL_CHIP = "Tesla P100 PCIe"

PATTERSON_GPT3_CHIPS = Constant("GPT-3 processors", 10_000, "V100",
                                f"{PATTERSON_SOURCE}, Table 4", PATTERSON_URL)
PATTERSON_GPT3_DAYS = Constant("GPT-3 training time", 14.8, "days",
                               f"{PATTERSON_SOURCE}, Table 4", PATTERSON_URL)
PATTERSON_GPT3_WATTS = Constant("average power per V100", 330, "W",
                                f"{PATTERSON_SOURCE}, Table 4 (measured)", PATTERSON_URL)
PATTERSON_GPT3_PUE = Constant("PUE", 1.10, "", f"{PATTERSON_SOURCE}, Table 4", PATTERSON_URL)
PATTERSON_GPT3_KG_PER_KWH = Constant("grid intensity", 0.429, "kg CO₂e/kWh",
                                     f"{PATTERSON_SOURCE}, Table 4", PATTERSON_URL)
PATTERSON_GPT3_MWH = Constant("GPT-3 energy", 1287, "MWh", f"{PATTERSON_SOURCE}, Table 4",
                              PATTERSON_URL)
PATTERSON_GPT3_TCO2 = Constant("GPT-3 emissions", 552, "t CO₂e",
                               f"{PATTERSON_SOURCE}, Table 4", PATTERSON_URL)
PATTERSON_CHIP = "Tesla V100 SXM2"


def _chip(name: str) -> Any:
    from dlcost.data.accelerators import get_chip

    return get_chip(name)


def _peak_constant(chip: Any, kind: str, utilization: float | None) -> tuple[float, Constant,
                                                                            list[str]]:
    """FLOP per chip-second for ``kind`` of FLOP, and the constant that says why."""
    notes: list[str] = []
    if kind == "peak_time":
        peak = chip.burden_peak()
        notes.append(f"hardware burden counts peak-FLOP-seconds, so chip-hours = FLOP ÷ peak "
                     f"(no utilization); {peak.reason}")
        rate = peak.flop_per_s
    else:
        peak = chip.training_peak()
        utilization, defaulted = resolve_utilization(utilization)
        notes += defaulted
        notes.append(f"operations ÷ (peak × utilization {utilization:g}); {peak.reason}")
        rate = peak.flop_per_s * utilization
    const = Constant(f"{chip.name} FLOP per chip-second", rate, "FLOP/s",
                     "dlcost accelerator catalogue", chip.source_url,
                     derivation="; ".join(notes))
    return rate, const, notes


# -- presets -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostPreset:
    """Base of the presets: a name, a title, and :meth:`cost`."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""

    def cost(self, flop: float, *, measure: str = "hardware_burden") -> CostEstimate:
        """Dollars, kWh and CO₂ of ``flop`` FLOP of ``measure``."""
        raise NotImplementedError

    def replace(self, **overrides: Any) -> CostPreset:
        """A copy with some constants overridden (unknown names are refused)."""
        known = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise EstimationError(
                f"preset {self.name!r} has no constant {', '.join(map(repr, unknown))}; it has "
                f"{', '.join(sorted(known))}"
            )
        return dataclasses.replace(self, **overrides)

    def describe(self) -> str:
        return f"{self.name}: {self.title}"


@dataclass(frozen=True)
class Thompson2020(CostPreset):
    """Constant dollars and CO₂ per GFLOP of hardware burden (the paper's table).

    Defaults come from :func:`thompson2020`, which derives them from Strubell et al.'s
    Transformer-big run; ``usd_per_gflop`` is the geometric mean of the low and high values.
    """

    name: ClassVar[str] = "thompson2020"
    title: ClassVar[str] = ("per-GFLOP constants behind Thompson et al.'s table, derived from "
                            "Strubell et al. 2019's Transformer-big run")

    usd_per_gflop_low: float = float("nan")
    usd_per_gflop_high: float = float("nan")
    lb_co2_per_gflop: float = float("nan")
    kwh_per_gflop: float = float("nan")
    derivation: tuple[Constant, ...] = field(default=(), compare=False)

    def cost(self, flop: float, *, measure: str = "hardware_burden") -> CostEstimate:
        kind = flop_kind(measure)
        notes = ["dollars and CO₂ scale with hardware burden at constant cost per GFLOP "
                 "(Thompson et al. 2020, after Strubell et al. 2019)"]
        if kind != "peak_time":
            notes.append(f"{measure} is not a hardware burden: priced as if it were one "
                         "(no utilization correction)")
        gflop = flop / FLOP_PER_GFLOP
        low, high = gflop * self.usd_per_gflop_low, gflop * self.usd_per_gflop_high
        usd = (low * high) ** 0.5
        notes.append("central dollars = geometric mean of the preemptible and on-demand costs")
        constants = (
            Constant("USD per GFLOP, low", self.usd_per_gflop_low, "USD/GFLOP",
                     STRUBELL_SOURCE, STRUBELL_URL, "Transformer-big $289 ÷ its hardware burden"),
            Constant("USD per GFLOP, high", self.usd_per_gflop_high, "USD/GFLOP",
                     STRUBELL_SOURCE, STRUBELL_URL, "Transformer-big $981 ÷ its hardware burden"),
            Constant("lb CO₂e per GFLOP", self.lb_co2_per_gflop, "lb/GFLOP", STRUBELL_SOURCE,
                     STRUBELL_URL, "Transformer-big 192 lb ÷ its hardware burden"),
            Constant("kWh per GFLOP", self.kwh_per_gflop, "kWh/GFLOP", STRUBELL_SOURCE,
                     STRUBELL_URL, "Transformer-big 192 lb ÷ 0.954 lb/kWh ÷ its hardware burden"),
            *self.derivation,
        )
        return CostEstimate(
            flop=flop, measure=measure, preset=self.name, usd=usd, usd_range=(low, high),
            kwh=gflop * self.kwh_per_gflop,
            co2_kg=gflop * self.lb_co2_per_gflop * KG_PER_POUND, chip_hours=None,
            constants=constants, assumptions=tuple(notes),
        )


def strubell_reference_burden_flop() -> tuple[float, tuple[Constant, ...]]:
    """Hardware burden of Strubell et al.'s Transformer-big run: 8 × P100 peak × 84 h.

    The P100 variant is not stated; the catalogue's default P100 (PCIe, 9.3 TFLOP/s FP32) is
    used, as in Thompson et al.'s data for P100 runs.
    """
    chip = _chip(STRUBELL_CHIP)
    peak = chip.burden_peak()
    seconds = STRUBELL_TBIG_HOURS.value * SECONDS_PER_HOUR
    flop = STRUBELL_TBIG_GPUS.value * peak.flop_per_s * seconds
    derived = Constant(
        "Transformer-big hardware burden", flop, "FLOP", "derived",
        chip.source_url,
        derivation=f"{STRUBELL_TBIG_GPUS.value:g} × {chip.name} "
                   f"{fmt.sci(peak.flop_per_s, digits=3)} FLOP/s × "
                   f"{STRUBELL_TBIG_HOURS.value:g} h ({peak.reason})",
    )
    return flop, (STRUBELL_TBIG_GPUS, STRUBELL_TBIG_HOURS, STRUBELL_TBIG_LB,
                  STRUBELL_TBIG_USD_LOW, STRUBELL_TBIG_USD_HIGH, STRUBELL_LB_PER_KWH, derived)


def thompson2020() -> Thompson2020:
    """The ``thompson2020`` preset with its constants derived from Strubell et al.'s figures.

    $/GFLOP = $289 (or $981) ÷ HB; lb/GFLOP = 192 lb ÷ HB; kWh/GFLOP = 192 lb ÷ 0.954 lb/kWh ÷
    HB, with HB the run's hardware burden in GFLOP (≈2.25×10¹⁰), so ≈1.3–4.4×10⁻⁸ $/GFLOP and
    ≈8.5×10⁻⁹ lb/GFLOP — the paper's "roughly 10⁻⁸" per GFLOP.
    """
    flop, derivation = strubell_reference_burden_flop()
    gflop = flop / FLOP_PER_GFLOP
    return Thompson2020(
        usd_per_gflop_low=STRUBELL_TBIG_USD_LOW.value / gflop,
        usd_per_gflop_high=STRUBELL_TBIG_USD_HIGH.value / gflop,
        lb_co2_per_gflop=STRUBELL_TBIG_LB.value / gflop,
        kwh_per_gflop=STRUBELL_TBIG_LB.value / STRUBELL_LB_PER_KWH.value / gflop,
        derivation=derivation,
    )


def _strubell_usd_per_gpu_hour(usd: Constant) -> float:
    return usd.value / (STRUBELL_TBIG_GPUS.value * STRUBELL_TBIG_HOURS.value)


@dataclass(frozen=True)
class Strubell2019(CostPreset):
    """Strubell et al.'s energy formula with a GPU's power and their cloud price per GPU-hour.

    ``gpu_watts=None`` takes the chip's TDP from the catalogue. Strubell et al. add the CPU
    and DRAM power of the whole host once per run (p_c + p_r + g·p_g); spread over GPU-hours
    that is ``host_watts_per_gpu`` = (p_c + p_r) / g, 0 by default (they measured it per run;
    set yours to count the host).
    """

    name: ClassVar[str] = "strubell2019"
    title: ClassVar[str] = ("Strubell et al. 2019: kWh = 1.58 × h × (CPU + DRAM + GPUs × GPU W), "
                            "0.954 lb CO₂/kWh, 2019 cloud $ per P100-hour")

    chip: str = STRUBELL_CHIP
    gpu_watts: float | None = None
    host_watts_per_gpu: float = 0.0
    pue: float = STRUBELL_PUE.value
    lb_co2_per_kwh: float = STRUBELL_LB_PER_KWH.value
    usd_per_gpu_hour_low: float = _strubell_usd_per_gpu_hour(STRUBELL_TBIG_USD_LOW)
    usd_per_gpu_hour_high: float = _strubell_usd_per_gpu_hour(STRUBELL_TBIG_USD_HIGH)
    utilization: float | None = None

    def cost(self, flop: float, *, measure: str = "hardware_burden") -> CostEstimate:
        chip = _chip(self.chip)
        rate, rate_const, notes = _peak_constant(chip, flop_kind(measure), self.utilization)
        gpu_hours = flop / rate / SECONDS_PER_HOUR
        watts = self.gpu_watts
        if watts is None:
            if chip.tdp_w is None:
                raise EstimationError(f"{chip.name} has no TDP in the catalogue; pass gpu_watts")
            watts = chip.tdp_w
            notes.append(f"GPU power = {chip.name} TDP {watts:g} W (catalogue)")
        if self.host_watts_per_gpu == 0:
            notes.append("CPU and DRAM power not counted (host_watts_per_gpu = 0)")
        kwh = self.pue * gpu_hours * (self.host_watts_per_gpu + watts) / 1000.0
        co2_kg = kwh * self.lb_co2_per_kwh * KG_PER_POUND
        low, high = gpu_hours * self.usd_per_gpu_hour_low, gpu_hours * self.usd_per_gpu_hour_high
        if chip.name != STRUBELL_CHIP:
            notes.append(f"cloud price per GPU-hour is Strubell et al.'s for P100s, applied to "
                         f"{chip.name}")
        notes.append("central dollars = geometric mean of the preemptible and on-demand prices")
        constants = (
            Constant("PUE", self.pue, "", STRUBELL_PUE.source, STRUBELL_URL),
            Constant("CO₂ per kWh", self.lb_co2_per_kwh, "lb/kWh", STRUBELL_LB_PER_KWH.source,
                     STRUBELL_URL),
            Constant("USD per GPU-hour, low", self.usd_per_gpu_hour_low, "USD/h", STRUBELL_SOURCE,
                     STRUBELL_URL, "Transformer-big $289 ÷ (8 GPUs × 84 h)"),
            Constant("USD per GPU-hour, high", self.usd_per_gpu_hour_high, "USD/h",
                     STRUBELL_SOURCE, STRUBELL_URL, "Transformer-big $981 ÷ (8 GPUs × 84 h)"),
            Constant("GPU power", watts, "W", "dlcost accelerator catalogue (TDP)"
                     if self.gpu_watts is None else "user", chip.source_url),
            rate_const,
        )
        return CostEstimate(
            flop=flop, measure=measure, preset=self.name, usd=(low * high) ** 0.5,
            usd_range=(low, high), kwh=kwh, co2_kg=co2_kg, chip_hours=gpu_hours,
            constants=constants, assumptions=tuple(notes),
        )


@dataclass(frozen=True)
class Patterson2021(CostPreset):
    """Patterson et al.'s energy and CO₂: chips × hours × measured W × PUE × grid intensity."""

    name: ClassVar[str] = "patterson2021"
    title: ClassVar[str] = ("Patterson et al. 2021: MWh = h × chips × measured W × PUE; CO₂ = "
                            "MWh × grid intensity (GPT-3 on V100s; no prices)")

    chip: str = PATTERSON_CHIP
    watts_per_chip: float = PATTERSON_GPT3_WATTS.value
    pue: float = PATTERSON_GPT3_PUE.value
    kg_co2_per_kwh: float = PATTERSON_GPT3_KG_PER_KWH.value
    usd_per_chip_hour: float | None = None
    utilization: float | None = None

    def energy_kwh(self, chip_count: float, seconds: float) -> float:
        """kWh of a run of ``chip_count`` chips for ``seconds``: h × chips × W × PUE / 1000."""
        return seconds / SECONDS_PER_HOUR * chip_count * self.watts_per_chip * self.pue / 1000.0

    def run(self, chip_count: float, seconds: float) -> dict[str, float]:
        """Energy (kWh, MWh) and CO₂ (kg, t) of a run, as in Patterson et al.'s Table 4."""
        kwh = self.energy_kwh(chip_count, seconds)
        return {"kwh": kwh, "mwh": kwh / 1000.0, "co2_kg": kwh * self.kg_co2_per_kwh,
                "co2_t": kwh * self.kg_co2_per_kwh / 1000.0}

    def cost(self, flop: float, *, measure: str = "hardware_burden") -> CostEstimate:
        chip = _chip(self.chip)
        rate, rate_const, notes = _peak_constant(chip, flop_kind(measure), self.utilization)
        chip_hours = flop / rate / SECONDS_PER_HOUR
        kwh = self.energy_kwh(chip_hours, SECONDS_PER_HOUR)
        usd = None if self.usd_per_chip_hour is None else chip_hours * self.usd_per_chip_hour
        if usd is None:
            notes.append("Patterson et al. give no prices: no dollars (use the hardware preset, "
                         "or pass usd_per_chip_hour)")
        constants = (
            Constant("average power per chip", self.watts_per_chip, "W",
                     PATTERSON_GPT3_WATTS.source, PATTERSON_URL),
            Constant("PUE", self.pue, "", PATTERSON_GPT3_PUE.source, PATTERSON_URL),
            Constant("grid intensity", self.kg_co2_per_kwh, "kg CO₂e/kWh",
                     PATTERSON_GPT3_KG_PER_KWH.source, PATTERSON_URL),
            rate_const,
        )
        return CostEstimate(
            flop=flop, measure=measure, preset=self.name, usd=usd,
            usd_range=None, kwh=kwh, co2_kg=kwh * self.kg_co2_per_kwh, chip_hours=chip_hours,
            constants=constants, assumptions=tuple(notes),
        )


def patterson_gpt3_seconds() -> float:
    """GPT-3's training time in Patterson et al.'s Table 4 (14.8 days), in seconds."""
    return PATTERSON_GPT3_DAYS.value * SECONDS_PER_DAY


@dataclass(frozen=True)
class Hardware(CostPreset):
    """A chosen chip in a chosen year: catalogue peak and TDP, dated cloud price.

    PUE and grid intensity default to Patterson et al.'s cloud data-centre figures (1.10,
    0.429 kg CO₂e/kWh); the utilization applies only to operations actually performed.
    """

    name: ClassVar[str] = "hardware"
    title: ClassVar[str] = ("a chosen chip and year: FLOP ÷ (peak × utilization) → chip-hours → "
                            "cloud $ and kWh (TDP × PUE) → CO₂")

    chip: str = "H100 SXM5"
    year: int = 2024
    pricing: str = "on-demand"
    utilization: float | None = None
    watts: float | None = None
    pue: float = PATTERSON_GPT3_PUE.value
    kg_co2_per_kwh: float = PATTERSON_GPT3_KG_PER_KWH.value
    usd_per_chip_hour: float | None = None

    def cost(self, flop: float, *, measure: str = "hardware_burden") -> CostEstimate:
        from dlcost.data.accelerators import cloud_price

        chip = _chip(self.chip)
        rate, rate_const, notes = _peak_constant(chip, flop_kind(measure), self.utilization)
        chip_hours = flop / rate / SECONDS_PER_HOUR
        constants = [rate_const]
        price = self.usd_per_chip_hour
        if price is None:
            found = cloud_price(chip.name, self.year, self.pricing)
            price = found.usd_per_chip_hour
            if found.fallback:
                notes.append(found.fallback)
            constants.append(Constant(
                f"{chip.name} cloud price ({self.pricing}, {found.row['year']})", price,
                "USD per chip-hour", f"{found.row['vendor']} {found.row['price_date']} "
                "(dlcost cloud price table)", found.row["source_url"],
            ))
        else:
            constants.append(Constant("cloud price", price, "USD per chip-hour", "user", ""))
        watts = self.watts if self.watts is not None else chip.tdp_w
        if watts is None:
            raise EstimationError(f"{chip.name} has no TDP in the catalogue; pass watts=")
        if self.watts is None:
            notes.append(f"power = {chip.name} TDP {watts:g} W (catalogue); measured average "
                         "draw is usually lower")
        kwh = chip_hours * watts * self.pue / 1000.0
        constants += [
            Constant("power per chip", watts, "W", "dlcost accelerator catalogue (TDP)"
                     if self.watts is None else "user", chip.source_url),
            Constant("PUE", self.pue, "", PATTERSON_GPT3_PUE.source, PATTERSON_URL),
            Constant("grid intensity", self.kg_co2_per_kwh, "kg CO₂e/kWh",
                     PATTERSON_GPT3_KG_PER_KWH.source, PATTERSON_URL),
        ]
        return CostEstimate(
            flop=flop, measure=measure, preset=self.name, usd=chip_hours * price,
            usd_range=None, kwh=kwh, co2_kg=kwh * self.kg_co2_per_kwh, chip_hours=chip_hours,
            constants=tuple(constants), assumptions=tuple(notes),
        )


#: name → (class, factory of the default preset): the one list of presets.
PRESET_TYPES: dict[str, tuple[type[CostPreset], Callable[[], CostPreset]]] = {
    "thompson2020": (Thompson2020, thompson2020),
    "strubell2019": (Strubell2019, Strubell2019),
    "patterson2021": (Patterson2021, Patterson2021),
    "hardware": (Hardware, Hardware),
}
#: name → title (the CLI's help and the docs).
PRESETS: dict[str, str] = {name: cls.title for name, (cls, _) in PRESET_TYPES.items()}


def get_preset(name: str | CostPreset, **overrides: Any) -> CostPreset:
    """A preset by name (or a preset itself), with constants overridden by keyword.

    >>> get_preset("patterson2021").pue
    1.1
    >>> get_preset("hardware", chip="A100", year=2021).chip
    'A100'
    """
    if isinstance(name, CostPreset):
        preset: CostPreset = name
    elif name in PRESET_TYPES:
        preset = PRESET_TYPES[name][1]()
    else:
        raise EstimationError(
            f"unknown cost preset {name!r}; choose one of {', '.join(PRESETS)}"
        )
    return preset.replace(**overrides) if overrides else preset
