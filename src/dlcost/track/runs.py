"""Tracked runs in the results store, and where each sits against its benchmark's trend.

A run is one result of source ``runs`` (import key ``runs:<run id>``): its score and error, a
``training`` phase (chips, count, wall time, steps), two estimates (``network_operations``:
the FLOP counted; ``hardware_burden``: chips × peak × wall time) and, in ``attributes``, the
whole :class:`~dlcost.track.RunRecord` (energy and its method, dollars, CO₂, every input and
assumption). Runs are never part of the default data of a fit or the report's fits: they are
drawn *against* the curve, not fitted into it.

:func:`place_run` says how far above or below the trend a run sits, in compute multiples:
``multiple`` = the run's compute ÷ the compute the fitted trend needs for the run's error.
Below 1 the run beat the trend (it reached its score with less compute than the trend needs);
above 1 it used more.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dlcost.exceptions import FitError, ResultNotFoundError, StoreError
from dlcost.track.record import SOURCE, summary_lines

if TYPE_CHECKING:
    import pandas as pd

    from dlcost.fitting import BaseScalingFit
    from dlcost.store import ResultsDB

#: Environment variable naming the folder where runs wait for an unavailable store.
PENDING_ENV = "DLCOST_PENDING_RUNS"
#: Which of a run's measures stands for each compute measure a fit can use.
RUN_MEASURES = {
    "hardware_burden_consolidated": "hardware_burden",
    "hardware_burden": "hardware_burden",
    "network_operations": "network_operations",
}


def pending_dir() -> Path:
    """Where runs wait when the store cannot be written (``$DLCOST_PENDING_RUNS`` or the user
    data folder): the next write to any store takes them in."""
    env = os.environ.get(PENDING_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("dlcost", appauthor=False)) / "pending-runs"


def store_run(record: Any, *, db_path: str | None = None, db: ResultsDB | None = None) -> str:
    """Write a :class:`~dlcost.track.RunRecord` to the store (replacing an earlier copy).

    Runs saved while a store was unavailable are written first (:func:`flush_pending`). If this
    write fails, the run is saved to :func:`pending_dir` as JSON, and the error is raised with
    the file's path in it, so that a locked or unreachable store never loses a run.
    """
    try:
        if db is not None:
            flush_pending(db)
            db.write(record.to_batch())
        else:
            from dlcost.store import ResultsDB

            with ResultsDB(db_path) as opened:
                flush_pending(opened)
                opened.write(record.to_batch())
    except Exception as exc:
        folder = pending_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{record.run_id}.json"
        path.write_text(json.dumps(record.to_dict(), default=str), encoding="utf-8")
        raise StoreError(f"{exc}; the run is saved in {path} and goes into the store with the "
                         "next run stored or `dlcost runs list`") from exc
    return str(record.result_id)


def flush_pending(db: ResultsDB) -> list[str]:
    """Write the runs waiting in :func:`pending_dir` to ``db``; return their result ids."""
    from dlcost.track.record import RunRecord

    folder = pending_dir()
    done = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        record = RunRecord.from_dict(json.loads(path.read_text(encoding="utf-8")))
        db.write(record.to_batch())
        path.unlink()
        done.append(str(record.result_id))
    return done


def _doc(row: dict[str, Any]) -> dict[str, Any]:
    attrs = row.get("attributes") or {}
    if isinstance(attrs, str):
        attrs = json.loads(attrs)
    doc = dict(attrs)
    doc.update(id=row["id"], model=row["model"], benchmark=row.get("benchmark"),
               score=_num(row.get("score")), error=_num(row.get("error")))
    return doc


def _num(x: Any) -> float | None:
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def run_documents(db: ResultsDB, *, benchmark: str | None = None) -> list[dict[str, Any]]:
    """Every stored run as a document (newest first), optionally of one benchmark."""
    sql = "SELECT id, model, benchmark, score, error, attributes FROM results WHERE source = ?"
    params: list[Any] = [SOURCE]
    if benchmark is not None:
        sql += " AND benchmark = ?"
        params.append(benchmark)
    cur = db.con.execute(sql, params)
    names = [d[0] for d in cur.description]
    docs = [_doc(dict(zip(names, r, strict=True))) for r in cur.fetchall()]
    return sorted(docs, key=lambda d: d.get("ended_at") or "", reverse=True)


def list_runs(db: ResultsDB) -> pd.DataFrame:
    """One row per run: id, model, benchmark, score, ended, seconds, FLOP, burden, kWh, CO₂, $."""
    import pandas as pd

    rows = []
    for d in run_documents(db):
        energy, cost = d.get("energy") or {}, d.get("cost") or {}
        rows.append({
            "id": d["id"], "model": d["model"], "benchmark": d.get("benchmark"),
            "score": d.get("score"), "ended_at": d.get("ended_at"),
            "wall_seconds": d.get("wall_seconds"),
            "flop": (d.get("flop") or {}).get("total"),
            "hardware_burden": (d.get("hardware_burden") or {}).get("flop"),
            "kwh": energy.get("kwh"), "energy_method": energy.get("method"),
            "co2_kg": cost.get("co2_kg"), "usd": cost.get("usd"),
        })
    columns = ["id", "model", "benchmark", "score", "ended_at", "wall_seconds", "flop",
               "hardware_burden", "kwh", "energy_method", "co2_kg", "usd"]
    return pd.DataFrame(rows, columns=columns)


def get_run(db: ResultsDB, run: str) -> dict[str, Any]:
    """One run by result id, run id, or ``latest``; :class:`ResultNotFoundError` if absent."""
    docs = run_documents(db)
    if run == "latest" and docs:
        return docs[0]
    for d in docs:
        if run in (d["id"], d.get("run_id")):
            return d
    ids = ", ".join(d["id"] for d in docs[:5]) or "none"
    raise ResultNotFoundError(
        f"no tracked run {run!r} in {db.path}; runs: {ids}. List them with `dlcost runs list`"
    )


def delete_run(db: ResultsDB, run: str) -> dict[str, Any]:
    """Remove one run (id, run id or ``latest``) from the store; return what was removed."""
    doc = get_run(db, run)
    db.remove_import(f"{SOURCE}:{doc['run_id']}")
    return doc


def run_lines(doc: dict[str, Any]) -> list[str]:
    """What ``dlcost runs show`` prints."""
    return summary_lines(doc)


@dataclass(frozen=True)
class Placement:
    """Where one run sits against a fitted trend, in compute multiples."""

    run_id: str
    model: str
    benchmark: str
    measure: str
    error: float | None
    compute_flop: float | None
    trend_flop: float | None
    predicted_error: float | None
    problem: str | None = None
    #: Orders of magnitude the run's compute lies outside the fitted data (0 inside).
    orders_outside_data: float = 0.0

    @property
    def multiple(self) -> float | None:
        """The run's compute ÷ the trend's compute for the run's error."""
        if self.compute_flop is None or not self.trend_flop:
            return None
        return self.compute_flop / self.trend_flop

    def describe(self) -> str:
        head = f"{self.model} ({self.run_id})"
        if self.problem:
            return f"{head}: not placed: {self.problem}"
        m = self.multiple
        assert m is not None
        assert self.error is not None
        assert self.compute_flop is not None
        side = ("above the trend: it needed less compute than the trend for its score"
                if m < 1 else "below the trend: it needed more compute than the trend for "
                "its score")
        ratio = f"{m:.3g}×" if m >= 1 else f"{m:.3g}× (1/{1 / m:.3g})"
        predicted = self.predicted_error
        at = ("no skill (error ≥ 1)" if predicted is None or predicted >= 1
              else f"error {predicted:.3g}")
        text = (f"{head}: error {self.error:.3g} with {self.compute_flop:.2e} FLOP of "
                f"{self.measure}; the trend needs {self.trend_flop:.2e} FLOP for that error, so "
                f"the run used {ratio} the trend's compute ({side}); at the run's compute the "
                f"trend predicts {at}")
        if self.orders_outside_data > 0:
            text += (f". The run's compute lies {self.orders_outside_data:.1f} orders of "
                     "magnitude outside the fitted data: the trend is extrapolated there")
        return text

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.run_id, "model": self.model, "benchmark": self.benchmark,
                "measure": self.measure, "error": self.error, "compute_flop": self.compute_flop,
                "trend_flop": self.trend_flop, "multiple": self.multiple,
                "log10_multiple": math.log10(self.multiple) if self.multiple else None,
                "predicted_error": self.predicted_error, "problem": self.problem,
                "orders_outside_data": self.orders_outside_data,
                "description": self.describe()}


def run_compute(doc: dict[str, Any], measure: str) -> float | None:
    """The run's compute in a fit's measure (hardware burden, or the FLOP counted)."""
    kind = RUN_MEASURES.get(measure)
    if kind is None:
        raise FitError(f"runs cannot be placed on a fit of {measure!r}; fit "
                       f"{', '.join(RUN_MEASURES)}")
    part = doc.get("hardware_burden" if kind == "hardware_burden" else "flop") or {}
    return _num(part.get("flop" if kind == "hardware_burden" else "total"))


def place_run(doc: dict[str, Any], fit: BaseScalingFit) -> Placement:
    """Place one run document on a fit of its benchmark."""
    measure = str(getattr(fit, "measure_", "hardware_burden_consolidated"))
    bench = str(getattr(fit, "benchmark_", doc.get("benchmark")))
    compute = run_compute(doc, measure)
    error = _num(doc.get("error"))
    base = {"run_id": doc["id"], "model": doc["model"], "benchmark": bench, "measure": measure,
            "error": error, "compute_flop": compute}
    if doc.get("benchmark") != bench:
        return Placement(**base, trend_flop=None, predicted_error=None,
                         problem=f"the run is on {doc.get('benchmark')!r}, the fit on {bench!r}")
    if error is None:
        return Placement(**base, trend_flop=None, predicted_error=None,
                         problem="no score logged (run.log_score(…) or --score)")
    if compute is None:
        return Placement(**base, trend_flop=None, predicted_error=None,
                         problem=f"the run has no {RUN_MEASURES[measure].replace('_', ' ')}")
    try:
        trend = float(fit.compute_for(error))
        predicted = float(fit.predict(compute))
    except FitError as exc:
        return Placement(**base, trend_flop=None, predicted_error=None, problem=str(exc))
    lo, hi = fit.log10_compute_range_
    x = math.log10(compute)
    outside = max(lo - x, x - hi, 0.0)
    return Placement(**base, trend_flop=trend, predicted_error=predicted,
                     orders_outside_data=float(outside))


def place_runs(db: ResultsDB, fit: BaseScalingFit,
               runs: list[str] | None = None) -> list[Placement]:
    """Placements of the named runs (ids, run ids or ``latest``), or of all of the benchmark's."""
    if runs:
        docs = [get_run(db, r) for r in runs]
    else:
        docs = run_documents(db, benchmark=getattr(fit, "benchmark_", None))
    return [place_run(d, fit) for d in docs]
