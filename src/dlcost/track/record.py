"""A finished run in the paper's terms, and how it is written to the results store.

:func:`build_record` turns what the tracker measured (wall time, steps and FLOP, chips, energy)
into a :class:`RunRecord`: network operations (FLOP counted), hardware burden (chips × peak ×
wall time), the utilization they imply, energy with its method, dollars and CO₂ through
:mod:`dlcost.projection.presets`. Every input and assumption is kept on the record, and the
record becomes one result of source ``runs`` (:meth:`RunRecord.to_batch`).

Dollars and CO₂
    CO₂ = measured kWh × PUE × grid intensity, with the ``hardware`` preset's PUE and grid
    intensity (Patterson et al. 2021's figures) unless overridden. Dollars = chip-hours × the
    chip's dated cloud price through the ``hardware`` preset where the catalogue has a price;
    else the ``thompson2020`` preset's dollars per GFLOP of hardware burden; a user price per
    chip-hour overrides both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import platform
from dataclasses import dataclass, field
from typing import Any

from dlcost import formatting as fmt
from dlcost.track.hardware import USER_PEAK
from dlcost.units import SECONDS_PER_HOUR

log = logging.getLogger("dlcost.track")

SOURCE = "runs"


@dataclass
class RunRecord:
    """Everything known about one tracked run (JSON-ready through :meth:`to_dict`)."""

    run_id: str
    model: str
    benchmark: str | None
    score: float | None
    started_at: str
    ended_at: str
    wall_seconds: float
    flop: dict[str, Any]
    hardware: dict[str, Any]
    burden: dict[str, Any]
    utilization: float | None
    energy: dict[str, Any]
    cost: dict[str, Any]
    #: FLOP counted ÷ (chips × training peak × wall time): model-FLOP utilization against the
    #: precision models train at (Epoch AI's peak), beside ``utilization`` against the burden's.
    utilization_training_peak: float | None = None
    problems: list[str] = field(default_factory=list)
    command: list[str] | None = None
    exit_code: int | None = None
    config: dict[str, Any] = field(default_factory=dict)
    environment: dict[str, Any] = field(default_factory=dict)
    result_id: str | None = None

    @property
    def flop_total(self) -> float | None:
        return self.flop.get("total")

    @property
    def burden_flop(self) -> float | None:
        return self.burden.get("flop")

    @property
    def error(self) -> float | None:
        if self.score is None or self.benchmark is None:
            return None
        from dlcost.benchmarks import get_benchmark

        return get_benchmark(self.benchmark).error_from_score(self.score)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.result_id, "run_id": self.run_id, "model": self.model,
            "benchmark": self.benchmark, "score": self.score, "error": self.error,
            "started_at": self.started_at, "ended_at": self.ended_at,
            "wall_seconds": self.wall_seconds, "flop": self.flop, "hardware": self.hardware,
            "hardware_burden": self.burden, "utilization": self.utilization,
            "utilization_training_peak": self.utilization_training_peak,
            "energy": self.energy, "cost": self.cost, "problems": self.problems,
            "command": self.command, "exit_code": self.exit_code, "config": self.config,
            "environment": self.environment,
        }

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> RunRecord:
        """The record back from :meth:`to_dict` (a run saved to a file while the store was
        unavailable)."""
        return cls(
            run_id=doc["run_id"], model=doc["model"], benchmark=doc.get("benchmark"),
            score=doc.get("score"), started_at=doc["started_at"], ended_at=doc["ended_at"],
            wall_seconds=doc["wall_seconds"], flop=doc["flop"], hardware=doc["hardware"],
            burden=doc["hardware_burden"], utilization=doc.get("utilization"),
            energy=doc["energy"], cost=doc["cost"],
            utilization_training_peak=doc.get("utilization_training_peak"),
            problems=list(doc.get("problems") or []), command=doc.get("command"),
            exit_code=doc.get("exit_code"), config=doc.get("config") or {},
            environment=doc.get("environment") or {},
        )

    def summary_lines(self) -> list[str]:
        """Human-readable lines (what ``dlcost runs show`` prints)."""
        return summary_lines(self.to_dict())

    def to_batch(self) -> Any:
        """One :class:`~dlcost.store.batch.ImportBatch` holding this run as a ``runs`` result."""
        from dlcost.benchmarks import get_benchmark
        from dlcost.store.batch import ImportBatch, to_json

        doc = self.to_dict()
        sha = hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()
        ended = dt.datetime.fromisoformat(self.ended_at)
        batch = ImportBatch(source=SOURCE, import_key=f"{SOURCE}:{self.run_id}", path=None,
                            sha256=sha, kind="tracked", data_date=ended.date(),
                            licence="your own measurement", origin="dlcost track")
        bench = get_benchmark(self.benchmark) if self.benchmark else None
        row = {
            "benchmark": bench.id if bench else None,
            "task": bench.task if bench else None,
            "metric": bench.metric if bench else None,
            "score": self.score, "error": self.error,
            "date": ended.date(), "year": ended.year, "model": self.model,
            "ops_per_pass_flop": None,
            "facts": {"flop": self.flop.get("method"), "energy": self.energy.get("method"),
                      "hardware": self.hardware.get("reader")},
            "attributes": {k: v for k, v in doc.items()
                           if k not in ("id", "model", "benchmark", "score", "error")},
            "notes": self.config.get("notes"),
        }
        rid = batch.add_result(row, identity=self.run_id)
        self.result_id = rid
        batch.results[-1]["attributes"] = to_json(
            {**json.loads(batch.results[-1]["attributes"]), "id": rid})
        hw = self.hardware
        batch.phases.append({
            "result_id": rid, "phase": "training", "chip_index": 0, "dataset": None,
            "examples": None, "epochs": None, "steps": self.flop.get("steps") or None,
            "batch_size": None, "ops_per_pass_flop": None,
            "chip": hw.get("catalogue_name") or hw.get("detected_name"),
            "chip_count": hw.get("count"), "peak_flop_per_s": hw.get("peak_flop_per_s"),
            "time_text": fmt.duration(self.wall_seconds), "seconds": self.wall_seconds,
            "time_kind": "wall",
        })
        for method, part in (("network_operations", self.flop),
                             ("hardware_burden", self.burden)):
            batch.estimates.append({
                "result_id": rid, "method": method, "flop": part.get("total")
                if method == "network_operations" else part.get("flop"),
                "description": part.get("description"),
                "inputs": to_json(part.get("inputs") or {}),
                "assumptions": to_json(part.get("assumptions") or []),
                "problem": part.get("problem"), "reported_flop": None,
            })
        return batch


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def environment() -> dict[str, Any]:
    """Versions that matter to the counts (no host name, no user name)."""
    import sys

    from dlcost import __version__

    env: dict[str, Any] = {"dlcost": __version__, "python": platform.python_version(),
                           "platform": platform.platform()}
    torch = sys.modules.get("torch")
    if torch is not None:
        env["torch"] = getattr(torch, "__version__", None)
    return env


def flop_part(count: Any, added: float, per_step: float | None, method: str,
              errors: list[str]) -> dict[str, Any]:
    """The network-operations part of a record from the sampler's count and the user's figures.

    User figures (``add_flop``, ``flop_per_step``) replace the counter when given.
    """
    if count is None:
        info: dict[str, Any] = {"steps": 0}
    else:
        info = count if isinstance(count, dict) else count.to_dict()
    steps = info.get("steps", 0)
    assumptions: list[str] = []
    if per_step is not None:
        total = per_step * steps + added
        method_used = "user_per_step"
        description = f"{fmt.si(per_step, 'FLOP')}/step (user) × {steps} steps"
        if added:
            description += f" + {fmt.quantity(added, 'FLOP')} added"
        if not steps:
            assumptions.append("no step was seen (no optimizer.step() and no run.step()): "
                               "the per-step figure counts nothing")
    elif added:
        total, method_used = added, "user_added"
        description = f"{fmt.quantity(added, 'FLOP')} added by run.add_flop"
    elif info.get("total") is not None:
        total, method_used = info["total"], "flop_counter"
        n = len(info["sampled_steps"])
        description = (f"median {fmt.si(info['per_step_median'], 'FLOP')}/step of {n} "
                       f"counted step(s) × {steps} steps (PyTorch FlopCounterMode)")
        assumptions.append(
            "forward and backward counted as dispatched (matmul, conv, attention; 2 FLOP per "
            "multiply-add); element-wise, normalisation and optimizer operations not counted")
        if n < steps:
            assumptions.append(
                f"{steps - n} uncounted step(s) assumed to cost the median counted step")
    else:
        why = {"counter_unavailable": "PyTorch is not installed",
               "manual": "flop='manual' and no FLOP were added",
               "none": "FLOP counting is off"}.get(method, "no step was counted")
        return {"total": None, "method": None, "steps": steps, "description": None,
                "inputs": info, "assumptions": [], "problem": (
                    f"no FLOP: {why}; call run.add_flop(n), give flop_per_step, or let a "
                    "torch.optim optimizer (or run.step()) mark at least "
                    "warmup_steps + 1 steps"), "errors": errors}
    return {"total": float(total), "method": method_used, "steps": steps,
            "description": description, "inputs": {**info, "added": added,
                                                   "user_per_step": per_step},
            "assumptions": assumptions, "problem": None, "errors": errors}


def burden_part(hardware: Any, seconds: float) -> dict[str, Any]:
    """Hardware burden (chips × peak × wall time) through :func:`dlcost.compute.hardware_burden`."""
    from dlcost.compute import ChipUse, Phase, hardware_burden
    from dlcost.compute.durations import Duration

    if hardware.peak_flop_per_s is None:
        return {"flop": None, "problem": hardware.peak_reason, "description": None,
                "inputs": {}, "assumptions": []}
    phase = Phase(chips=(ChipUse(hardware.label, hardware.count, hardware.peak_flop_per_s),),
                  time=Duration(seconds=seconds, kind="wall", text=fmt.duration(seconds)))
    est = hardware_burden([phase])
    return {"flop": est.flop, "description": est.description, "inputs": dict(est.inputs),
            "assumptions": [hardware.peak_reason, *est.assumptions], "problem": None}


def cost_part(config: Any, hardware: Any, burden_flop: float | None, kwh: float | None,
              seconds: float, year: int) -> dict[str, Any]:
    """Dollars and CO₂ through the presets, with every constant and override recorded."""
    from dlcost.projection.presets import Hardware as HardwarePreset
    from dlcost.projection.presets import get_preset

    defaults = HardwarePreset()
    pue = config.pue if config.pue is not None else defaults.pue
    intensity = (config.kg_co2_per_kwh if config.kg_co2_per_kwh is not None
                 else defaults.kg_co2_per_kwh)
    out: dict[str, Any] = {
        "pue": pue, "kg_co2_per_kwh": intensity,
        "pue_source": "user" if config.pue is not None else "hardware preset (Patterson et al. "
                      "2021, Table 4)",
        "kg_co2_per_kwh_source": "user" if config.kg_co2_per_kwh is not None else
                                 "hardware preset (Patterson et al. 2021, Table 4)",
        "facility_kwh": None, "co2_kg": None, "usd": None, "usd_method": None,
        "usd_range": None, "constants": [], "assumptions": [], "problems": [],
    }
    if kwh is not None:
        out["facility_kwh"] = kwh * pue
        out["co2_kg"] = kwh * pue * intensity
        out["assumptions"].append(f"CO₂ = {kwh:.3g} kWh measured × PUE {pue:g} × "
                                  f"{intensity:g} kg CO₂e/kWh")
    else:
        out["problems"].append("no CO₂: no energy was measured")
    chip_hours = hardware.count * seconds / SECONDS_PER_HOUR
    out["chip_hours"] = chip_hours
    if config.usd_per_chip_hour is not None:
        out["usd"] = chip_hours * config.usd_per_chip_hour
        out["usd_method"] = "user price per chip-hour"
        out["assumptions"].append(f"$ = {chip_hours:.3g} chip-hours × "
                                  f"${config.usd_per_chip_hour:g} per chip-hour (user)")
        return out
    if burden_flop is None:
        out["problems"].append("no dollars: no hardware burden and no price per chip-hour")
        return out
    try:
        if hardware.catalogue_name is not None and hardware.peak_reason != USER_PEAK:
            try:
                est = get_preset("hardware", chip=hardware.catalogue_name, year=year).cost(
                    burden_flop, measure="hardware_burden")
                out["usd_method"] = "hardware preset: chip-hours × dated cloud price"
            except Exception as exc:  # no cloud price for this chip: the paper's constant
                out["assumptions"].append(f"no cloud price: {exc}")
                est = get_preset("thompson2020").cost(burden_flop, measure="hardware_burden")
                out["usd_method"] = "thompson2020 preset: $ per GFLOP of hardware burden"
        else:
            est = get_preset("thompson2020").cost(burden_flop, measure="hardware_burden")
            out["usd_method"] = "thompson2020 preset: $ per GFLOP of hardware burden"
        out["usd"] = est.usd
        out["usd_range"] = list(est.usd_range) if est.usd_range else None
        out["preset"] = est.preset
        out["constants"] = [c.to_dict() for c in est.constants]
        out["assumptions"].extend(est.assumptions)
    except Exception as exc:
        out["problems"].append(f"no dollars: {type(exc).__name__}: {exc}")
    return out


def _fmt(value: Any, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "flop":
        return fmt.quantity(value, 'FLOP')
    if kind == "usd":
        return f"${value:,.4g}"
    if kind == "kwh":
        return f"{value:.4g} kWh"
    if kind == "kg":
        return f"{value:.4g} kg CO₂e"
    return str(value)


def summary_lines(doc: dict[str, Any]) -> list[str]:
    """Lines for a run document (``RunRecord.to_dict()`` or a stored run)."""
    hw, flop, burden = doc.get("hardware") or {}, doc.get("flop") or {}, doc.get(
        "hardware_burden") or {}
    energy, cost = doc.get("energy") or {}, doc.get("cost") or {}
    score = doc.get("score")
    lines = [
        f"run {doc.get('id') or doc.get('run_id')}: {doc.get('model')}"
        + (f" on {doc['benchmark']}" if doc.get("benchmark") else "")
        + (f", score {score:g}" if score is not None else ", no score logged"),
        f"  wall time        {fmt.duration(doc.get('wall_seconds') or 0.0)} "
        f"({doc.get('wall_seconds', 0.0):.3g} s), {flop.get('steps', 0)} steps",
        f"  FLOP (counted)   {_fmt(flop.get('total'), 'flop')}"
        + (f"  [{flop.get('method')}: {flop.get('description')}]" if flop.get("total")
           else f"  [{flop.get('problem')}]"),
        f"  hardware         {hw.get('count', 0):g} × "
        f"{hw.get('catalogue_name') or hw.get('detected_name') or 'unknown'}"
        + (f" @ {fmt.si(hw['peak_flop_per_s'], 'FLOP/s')}" if hw.get("peak_flop_per_s")
           else "") + f" (via {hw.get('reader')})",
        f"  hardware burden  {_fmt(burden.get('flop'), 'flop')}"
        + (f"  [{burden.get('description')}]" if burden.get("flop") else
           f"  [{burden.get('problem')}]"),
        "  utilization      " + (f"{100 * doc['utilization']:.3g} % (FLOP counted ÷ hardware "
                                 "burden)"
                                 if doc.get("utilization") is not None else "–")
        + (f"; {100 * doc['utilization_training_peak']:.3g} % of the training peak "
           f"({fmt.si(hw['training_peak_flop_per_s'], 'FLOP/s')} per chip)"
           if doc.get("utilization_training_peak") is not None else ""),
        f"  energy           {_fmt(energy.get('kwh'), 'kwh')} (method: {energy.get('method')})",
        f"  CO₂              {_fmt(cost.get('co2_kg'), 'kg')}"
        + (f" (PUE {cost.get('pue'):g}, {cost.get('kg_co2_per_kwh'):g} kg/kWh)"
           if cost.get("co2_kg") is not None else ""),
        f"  dollars          {_fmt(cost.get('usd'), 'usd')}"
        + (f" ({cost.get('usd_method')})" if cost.get("usd") is not None else ""),
    ]
    for problem in doc.get("problems") or []:
        lines.append(f"  ! {problem}")
    return lines
