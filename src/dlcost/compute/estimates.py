"""Compute estimates: network operations, hardware burden, training compute, 6·N·D.

Counting conventions (Thompson et al. 2020, §2; METHODS.md §2):

- FLOP, not multiply-adds: one multiply-add is 2 FLOP.
- Forward + backward ≈ 3 × forward (:data:`dlcost.assumptions.FWD_BWD_RATIO`).
- *Network operations* = Σ over phases of FLOP per forward pass × 3 × examples × epochs.
- *Hardware burden* = Σ over phases and chip kinds of chips × peak FLOP/s × seconds, with the
  peak given by the accelerator catalogue's burden rule (no utilization factor).
- *Training compute* (Epoch AI) = hardware burden × utilization, or 6·N·D for dense
  transformers. It differs from hardware burden by the utilization: never mix the two.

Every function returns a :class:`ComputeEstimate` that carries the method, its inputs and the
assumptions it made, and prints as ``1.6e18 FLOP (hardware burden: 2 × GTX 580 @ 1.58 TFLOP/s ×
6.0 days)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from dlcost import assumptions as A
from dlcost import formatting as fmt
from dlcost.compute.durations import Duration, parse_duration
from dlcost.exceptions import EstimationError
from dlcost.validation import Interval, validate

Method = Literal["network_operations", "hardware_burden", "training_compute", "6ND", "reported"]

METHOD_LABELS: dict[str, str] = {
    "network_operations": "network operations",
    "hardware_burden": "hardware burden",
    "training_compute": "training compute",
    "6ND": "6·N·D",
    "reported": "reported",
}

PHASES = ("pretraining", "training", "finetuning")


@dataclass(frozen=True)
class ComputeEstimate:
    """An amount of compute with the method, inputs and assumptions that produced it."""

    flop: float
    method: Method
    description: str
    inputs: Mapping[str, Any] = field(default_factory=dict)
    assumptions: tuple[str, ...] = ()

    def __str__(self) -> str:
        flop = fmt.quantity(self.flop, "FLOP")
        return f"{flop} ({METHOD_LABELS[self.method]}: {self.description})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``{"flop", "method", "description", "inputs", "assumptions"}``."""
        return {
            "flop": self.flop,
            "method": self.method,
            "description": self.description,
            "inputs": dict(self.inputs),
            "assumptions": list(self.assumptions),
        }


@dataclass(frozen=True)
class ChipUse:
    """Some number of one kind of chip in a training phase.

    ``peak_flop_per_s`` is the peak the *source* states for the chip; when it is ``None`` the
    accelerator catalogue's hardware-burden peak is used (and recorded as an assumption).
    """

    chip: str
    count: float | None = None
    peak_flop_per_s: float | None = None


@dataclass(frozen=True)
class Phase:
    """One phase of training (pre-training, training or fine-tuning) and its facts.

    Either ``examples`` × ``epochs`` or ``steps`` × ``batch_size`` gives the number of examples
    processed. ``time`` is the phase's training time as parsed by :func:`parse_duration`
    (wall-clock, or a chip/core-time product). ``ops_per_pass_flop`` overrides the model's
    forward-pass cost for this phase (e.g. pre-training at a lower resolution).
    """

    name: str = "training"
    dataset: str | None = None
    examples: float | None = None
    epochs: float | None = None
    steps: float | None = None
    batch_size: float | None = None
    ops_per_pass_flop: float | None = None
    chips: tuple[ChipUse, ...] = ()
    time: Duration | None = None

    def __post_init__(self) -> None:
        if self.name not in PHASES:
            raise EstimationError(
                f"unknown training phase {self.name!r}; use one of {', '.join(PHASES)}"
            )
        for attr in ("examples", "epochs", "steps", "batch_size", "ops_per_pass_flop"):
            value = getattr(self, attr)
            if value is not None and not value > 0:
                raise EstimationError(f"{self.name} phase: {attr} must be positive, got {value!r}")

    @property
    def samples(self) -> float | None:
        """Examples processed in this phase (examples × epochs, else steps × batch size)."""
        if self.examples is not None and self.epochs is not None:
            return self.examples * self.epochs
        if self.steps is not None and self.batch_size is not None:
            return self.steps * self.batch_size
        return None

    @property
    def has_hardware(self) -> bool:
        return bool(self.chips) or self.time is not None

    @property
    def ran(self) -> bool:
        """Whether the facts say this phase took place (it has a length or hardware)."""
        return (
            self.epochs is not None or self.steps is not None or self.has_hardware
        )


def _samples_text(phase: Phase) -> str:
    if phase.examples is not None and phase.epochs is not None:
        return f"{phase.epochs:g} epochs × {fmt.sci(phase.examples, digits=3)} examples"
    return f"{phase.steps:g} steps × {phase.batch_size:g} per batch"


def network_operations(
    phases: Sequence[Phase],
    ops_per_pass_flop: float | None,
    *,
    fwd_bwd_ratio: float = A.FWD_BWD_RATIO.value,
) -> ComputeEstimate:
    """Network operations: Σ over phases of FLOP per forward pass × 3 × examples processed.

    Phases that give no epoch or step count are not counted (recorded in ``assumptions``).
    Raises :class:`EstimationError` when no phase can be counted or the forward-pass cost is
    unknown.

    >>> str(network_operations([Phase(examples=1.28e6, epochs=90)], 1.45e9))
    '5.0e17 FLOP (network operations: 1.45 GFLOP/pass × 3 × 90 epochs × 1.28e6 examples)'
    """
    terms: list[str] = []
    notes: list[str] = []
    total = 0.0
    counted: list[dict[str, Any]] = []
    for phase in phases:
        samples = phase.samples
        ops = phase.ops_per_pass_flop or ops_per_pass_flop
        if samples is None:
            if phase.has_hardware:
                notes.append(f"{phase.name} phase has no epoch or step count: not counted")
            continue
        if ops is None:
            raise EstimationError(
                "network operations need the FLOP of one forward pass; none is given "
                f"(for the {phase.name} phase). Give FLOPs or multiply-adds per example."
            )
        total += ops * fwd_bwd_ratio * samples
        terms.append(f"{fmt.si(ops, 'FLOP')}/pass × {fwd_bwd_ratio:g} × {_samples_text(phase)}")
        counted.append({"phase": phase.name, "ops_per_pass_flop": ops, "samples": samples})
    if not counted:
        raise EstimationError(
            "network operations need epochs × examples (or steps × batch size) for at least "
            "one phase; none is given"
        )
    if fwd_bwd_ratio == A.FWD_BWD_RATIO.value:
        notes.append(A.FWD_BWD_RATIO.describe())
    return ComputeEstimate(
        flop=total,
        method="network_operations",
        description=" + ".join(terms),
        inputs={"phases": counted, "fwd_bwd_ratio": fwd_bwd_ratio},
        assumptions=tuple(notes),
    )


PeakConvention = Literal["burden", "training"]


def _peak_for(use: ChipUse, notes: list[str], convention: PeakConvention) -> float:
    """The chip's peak FLOP/s under a convention, with the choice recorded in ``notes``.

    ``burden`` (Thompson et al.): the peak the source states, else the catalogue's
    hardware-burden peak. ``training`` (Epoch AI): the catalogue's training peak (dense
    FP16/BF16 tensor where the chip has it); a source's stated peak is used only for a chip
    the catalogue does not know.
    """
    if use.peak_flop_per_s is not None and not use.peak_flop_per_s > 0:
        raise EstimationError(f"peak FLOP/s of {use.chip} must be positive")
    if convention == "burden" and use.peak_flop_per_s is not None:
        return use.peak_flop_per_s
    from dlcost.data.accelerators import get_chip
    from dlcost.exceptions import UnknownHardwareError

    try:
        chip = get_chip(use.chip)
    except UnknownHardwareError:
        if use.peak_flop_per_s is None:
            raise
        notes.append(f"{use.chip} is not in the catalogue: the source's stated peak is used")
        return use.peak_flop_per_s
    peak = chip.burden_peak() if convention == "burden" else chip.training_peak()
    notes.append(peak.reason)
    return peak.flop_per_s


#: How to treat a phase that ran but names no chips or no time (see :func:`hardware_burden`).
IncompletePhases = Literal["error", "skip", "bounded"]

#: The rule for a phase with unknown hardware (``incomplete_phases="bounded"``, used for the
#: shipped builtin rows): count the phases whose hardware is known and call the result a
#: lower bound, provided the uncounted phases together are at most this share of the row's
#: network operations (so the bound is within 5 % of the whole). A convention of dlcost, not a
#: published threshold; a larger or unknown share leaves the estimate out.
UNCOUNTED_PHASE_MAX_SHARE = 0.05


def _operations_share(phases: Sequence[Phase], ops_per_pass_flop: float | None,
                      which: Sequence[Phase]) -> float | None:
    """Share of the network operations of all phases that ``which`` make up (None: unknown)."""
    def ops(phase: Phase) -> float | None:
        per_pass = phase.ops_per_pass_flop or ops_per_pass_flop
        if phase.samples is None or per_pass is None:
            return None
        return phase.samples * per_pass

    counted = [ops(p) for p in phases if p.ran]
    part = [ops(p) for p in which]
    if any(v is None for v in counted) or any(v is None for v in part) or not counted:
        return None
    total = sum(v for v in counted if v is not None)
    return sum(v for v in part if v is not None) / total if total > 0 else None


@dataclass
class _ChipTime:
    """Σ peak × time over phases and chips, with the terms that make the description."""

    total: float = 0.0
    terms: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    used: list[dict[str, Any]] = field(default_factory=list)


def _chip_time(
    phases: Sequence[Phase],
    convention: PeakConvention,
    incomplete_phases: IncompletePhases,
    what: str,
    ops_per_pass_flop: float | None = None,
) -> _ChipTime:
    out = _ChipTime()
    missing: list[str] = []
    if incomplete_phases == "bounded":
        unknown = [p for p in phases if p.ran and not p.has_hardware]
        share = _operations_share(phases, ops_per_pass_flop, unknown) if unknown else None
        if unknown and share is not None and share <= UNCOUNTED_PHASE_MAX_SHARE:
            names = ", ".join(p.name for p in unknown)
            out.notes.append(
                f"the {names} phase names no hardware: not counted; it is {100 * share:.2g}% "
                f"of the network operations (at most {100 * UNCOUNTED_PHASE_MAX_SHARE:g}%), so "
                f"the {what} is a lower bound")
            phases = [p for p in phases if p not in unknown]
    for phase in phases:
        if not phase.ran:
            continue
        lacking = None
        if not phase.chips:
            lacking = f"the {phase.name} phase names no chips"
        elif phase.time is None:
            lacking = f"the {phase.name} phase gives no training time"
        if lacking:
            if incomplete_phases == "skip" and not phase.has_hardware:
                out.notes.append(f"{lacking}: not counted (the {what} is a lower bound)")
            else:
                missing.append(lacking)
            continue
        time = phase.time
        assert time is not None  # checked above
        out.notes.extend(time.assumptions)
        for use in phase.chips:
            peak = _peak_for(use, out.notes, convention)
            count = use.count if use.count is not None else time.chip_count
            at = f"{use.chip} @ {fmt.si(peak, 'FLOP/s')}"
            if time.kind == "wall":
                if count is None:
                    missing.append(f"the {phase.name} phase gives no count of {use.chip}")
                    continue
                if not count > 0:
                    raise EstimationError(f"chip count of {use.chip} must be positive")
                flop = count * peak * time.seconds
                out.terms.append(f"{count:g} × {at} × {fmt.duration(time.seconds)}")
            elif time.kind == "chip":
                flop = peak * time.seconds
                out.terms.append(f"{at} × {fmt.duration(time.seconds, of='chip-time')}")
            else:
                from dlcost.data.accelerators import get_chip

                unit = get_chip(use.chip)
                per_core = unit.per_core_peak(peak)
                out.notes.append(f"{use.chip}: peak shared by {unit.cores_per_unit} cores per "
                                 "unit")
                flop = per_core * time.seconds
                out.terms.append(
                    f"{use.chip} core @ {fmt.si(per_core, 'FLOP/s')} × "
                    f"{fmt.duration(time.seconds, of='core-time')}"
                )
            out.total += flop
            out.used.append({
                "phase": phase.name, "chip": use.chip, "count": count,
                "peak_flop_per_s": peak, "seconds": time.seconds, "time_kind": time.kind,
            })
    if missing:
        raise EstimationError(f"{what} cannot be computed: " + "; ".join(missing))
    if not out.used:
        raise EstimationError(f"{what} needs chips and a training time; none is given")
    out.notes = list(dict.fromkeys(out.notes))
    return out


def hardware_burden(
    phases: Sequence[Phase], *, incomplete_phases: IncompletePhases = "error",
    ops_per_pass_flop: float | None = None,
) -> ComputeEstimate:
    """Hardware burden: Σ over phases and chip kinds of chips × peak FLOP/s × seconds.

    The peak is the one the source states, else the catalogue's hardware-burden peak (FP32
    for GPUs and CPUs, the headline figure for TPUs), with no utilization factor.
    A phase that ran (it has epochs, steps or hardware facts) should give its chips and time.
    By default a phase without them is an error, since the burden would silently undercount.
    ``incomplete_phases="skip"`` follows Thompson et al.'s data, which sum only the phases with
    hardware facts; the skipped phases are recorded and the result is a lower bound.
    ``"bounded"`` (the builtin rows) skips phases without hardware facts only when they are at
    most :data:`UNCOUNTED_PHASE_MAX_SHARE` of the network operations (``ops_per_pass_flop``
    and each phase's samples must say so), and records the share and the lower bound.

    >>> str(hardware_burden([Phase(chips=(ChipUse("GTX 580", 2, 1.58e12),),
    ...                            time=parse_duration("6 days"))]))
    '1.6e18 FLOP (hardware burden: 2 × GTX 580 @ 1.58 TFLOP/s × 6.0 days)'
    """
    sums = _chip_time(phases, "burden", incomplete_phases, "hardware burden", ops_per_pass_flop)
    return ComputeEstimate(
        flop=sums.total,
        method="hardware_burden",
        description=" + ".join(sums.terms),
        inputs={"uses": sums.used},
        assumptions=tuple(sums.notes),
    )


#: Utilization is a fraction of peak FLOP/s (:mod:`dlcost.validation`).
UTILIZATION = Interval(float, 0, 1, closed="right")


def resolve_utilization(
    utilization: float | None, *, language_model: bool = False
) -> tuple[float, list[str]]:
    """The utilization to use, and a note when Epoch's default was filled in.

    ``None`` takes Epoch AI's default (0.3 for large language models, 0.4 otherwise;
    :mod:`dlcost.assumptions`); a given value must be in (0, 1]. The one place both the
    compute estimates and the cost presets check it.
    """
    notes: list[str] = []
    if utilization is None:
        default = A.UTILIZATION_LLM if language_model else A.UTILIZATION_OTHER
        notes.append(f"utilization defaulted: {default.describe()}")
        return default.value, notes
    if not UTILIZATION.is_satisfied_by(utilization):
        raise EstimationError(
            f"utilization must be in (0, 1]; got {utilization!r}. It is the fraction of peak "
            "FLOP/s actually achieved."
        )
    return float(utilization), notes


def training_compute(
    phases: Sequence[Phase],
    *,
    utilization: float | None = None,
    language_model: bool = False,
    incomplete_phases: IncompletePhases = "error",
    ops_per_pass_flop: float | None = None,
) -> ComputeEstimate:
    """Training compute in Epoch AI's convention: chips × training peak × seconds × utilization.

    The training peak is the precision a model trains at (dense FP16/BF16 tensor where the chip
    has it, else FP32: :meth:`~dlcost.data.accelerators.Chip.training_peak`), which is why this
    is not simply hardware burden × utilization on GPUs with tensor cores. With no utilization
    given, Epoch's defaults apply (0.3 for large language models, 0.4 otherwise) and are
    recorded as an assumption.
    """
    utilization, notes = resolve_utilization(utilization, language_model=language_model)
    sums = _chip_time(phases, "training", incomplete_phases, "training compute",
                      ops_per_pass_flop)
    return ComputeEstimate(
        flop=sums.total * utilization,
        method="training_compute",
        description=f"{utilization:g} utilization × ({' + '.join(sums.terms)})",
        inputs={"uses": sums.used, "utilization": utilization},
        assumptions=tuple([*sums.notes, *notes]),
    )


def six_nd(parameters: float, tokens: float) -> ComputeEstimate:
    """Training compute of a dense transformer: 6 × parameters × training tokens."""
    if not parameters > 0 or not tokens > 0:
        raise EstimationError("6·N·D needs positive parameters and tokens")
    k = A.FLOP_PER_PARAM_PER_TOKEN.value
    return ComputeEstimate(
        flop=k * parameters * tokens,
        method="6ND",
        description=(f"{k:g} × {fmt.sci(parameters, digits=3)} parameters × "
                     f"{fmt.sci(tokens, digits=3)} tokens"),
        inputs={"parameters": parameters, "tokens": tokens},
        assumptions=(A.FLOP_PER_PARAM_PER_TOKEN.describe(),),
    )


#: Declared constraints of :func:`hardware_estimate` (:mod:`dlcost.validation`).
HARDWARE_CONSTRAINTS = {
    "seconds": Interval(float, 0, None, closed="neither"),
    "count": Interval(float, 0, None, closed="neither"),
}


def hardware_estimate(
    chip: str,
    count: float,
    *,
    seconds: float | None = None,
    time: str | None = None,
    utilization: float | None = None,
) -> ComputeEstimate:
    """Hardware burden of one training run on ``count`` × ``chip`` (catalogue peak).

    With ``utilization``, Epoch AI's training compute of the same run instead.
    """
    if (seconds is None) == (time is None):
        raise EstimationError("give exactly one of seconds= or time=")
    duration = (
        parse_duration(time) if time is not None
        else Duration(seconds=float(seconds or 0), kind="wall", text=f"{seconds} s")
    )
    validate({"seconds": duration.seconds, "count": count}, HARDWARE_CONSTRAINTS,
             owner="hardware_estimate", error=EstimationError)
    if duration.chip_count is not None and duration.chip_count != count:
        raise EstimationError(
            f"the chip count is given twice and disagrees: {count:g} chips, but the time "
            f"{duration.text!r} names {duration.chip_count:g}; give the count once"
        )
    phases = [Phase(chips=(ChipUse(chip, count),), time=duration)]
    if utilization is not None:
        return training_compute(phases, utilization=utilization)
    return hardware_burden(phases)


def phases_from_mapping(items: Iterable[Mapping[str, Any]]) -> list[Phase]:
    """Build phases from plain mappings (YAML rows, JSON); ``time`` may be text."""
    phases = []
    for item in items:
        data = dict(item)
        chips = data.pop("chips", None)
        chip = data.pop("chip", None)
        count = data.pop("chip_count", None)
        peak = data.pop("peak_flop_per_s", None)
        time = data.pop("time", None)
        uses: tuple[ChipUse, ...] = ()
        if chips:
            uses = tuple(ChipUse(**c) for c in chips)
        elif chip:
            uses = (ChipUse(chip, count, peak),)
        name = data.pop("phase", data.pop("name", "training"))
        phases.append(
            Phase(
                name=name,
                chips=uses,
                time=parse_duration(time) if isinstance(time, str) else time,
                **{k: v for k, v in data.items() if k in Phase.__dataclass_fields__},
            )
        )
    return phases
