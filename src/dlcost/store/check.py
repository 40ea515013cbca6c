"""Data-quality checks behind ``dlcost data check``.

1. *Recomputation*: for sources that store their own compute (FutureTech, computerprogress,
   Epoch), dlcost recomputes network operations and hardware burden from the primary columns
   and counts the rows that agree within a tolerance. The deviation is measured relative to
   dlcost's value, ``|reported − dlcost| / dlcost``: the sources round to two significant
   digits, which alone moves a value by up to 3 %.
2. *Builtin vs public datasets*: every builtin row that also appears in FutureTech 2022, Epoch
   AI's models or Papers with Code is compared on score, date and compute (see
   :mod:`dlcost.store.crosscheck`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dlcost.formatting import sci

if TYPE_CHECKING:
    from rich.console import Console

    from dlcost.store.crosscheck import Crosscheck
    from dlcost.store.db import ResultsDB

#: Tolerance of the recomputation check, per method (relative to dlcost's value).
TOLERANCE = {"network_operations": 0.005, "hardware_burden": 0.03}


@dataclass(frozen=True)
class Disagreement:
    """One row whose stored compute dlcost does not reproduce, and why."""

    id: str
    benchmark: str | None
    model: str
    method: str
    reported_flop: float
    dlcost_flop: float | None
    reason: str


@dataclass
class Agreement:
    """How many of a source's stored values dlcost reproduces, for one benchmark and method."""

    source: str
    benchmark: str | None
    method: str
    tolerance: float
    n_reported: int
    n_computable: int
    n_agree: int
    disagreements: list[Disagreement] = field(default_factory=list)
    not_computable: list[Disagreement] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.source} {self.benchmark or '(models)'} {self.method}: {self.n_agree} of "
            f"{self.n_computable} computable rows agree within ±{self.tolerance:.1%} "
            f"({self.n_reported} reported)"
        )


def recompute_agreement(db: ResultsDB, source: str, benchmark: str | None,
                        method: str) -> Agreement:
    """Compare a source's stored ``method`` values with dlcost's recomputation."""
    tol = TOLERANCE[method]
    frame = db.results(benchmark=benchmark, sources=[source])
    if benchmark is None:
        frame = frame[frame.benchmark.isna()]
    rep = frame[frame[f"{method}_reported"].notna()]
    computable = rep[rep[f"{method}_dlcost"].notna()]
    deviation = (
        (computable[f"{method}_reported"] - computable[f"{method}_dlcost"]).abs()
        / computable[f"{method}_dlcost"]
    )
    agree = computable[deviation <= tol]
    disagreements = []
    problems = _problems(db, list(rep.id), method)
    for row in rep.itertuples():
        own = getattr(row, f"{method}_dlcost")
        reported = getattr(row, f"{method}_reported")
        if own == own and abs(reported - own) / own <= tol:
            continue
        if own != own:
            continue  # not computable: listed apart
        attrs = json.loads(row.attributes) if isinstance(row.attributes, str) else {}
        reason = f"reported {sci(reported)} vs dlcost {sci(own)} ({reported / own - 1:+.1%})"
        if attrs.get("comments"):
            reason += f"; source comment: {attrs['comments']}"
        disagreements.append(Disagreement(row.id, row.benchmark, row.model, method,
                                          float(reported), float(own), reason))
    not_computable = [
        Disagreement(row.id, row.benchmark, row.model, method,
                     float(getattr(row, f"{method}_reported")), None,
                     problems.get(row.id) or "a primary fact is missing")
        for row in rep.itertuples() if row.id not in set(computable.id)
    ]
    return Agreement(source, benchmark, method, tol, len(rep), len(computable), len(agree),
                     disagreements, not_computable)


def _problems(db: ResultsDB, ids: list[str], method: str) -> dict[str, str]:
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    rows = db.con.execute(
        f"SELECT result_id, problem FROM estimates WHERE method = ? AND result_id IN ({marks})",
        [method, *ids],
    ).fetchall()
    return {r[0]: r[1] for r in rows if r[1]}


@dataclass
class CheckReport:
    """Everything ``dlcost data check`` found."""

    agreements: list[Agreement]
    crosscheck: Crosscheck | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "recomputation": [asdict(a) for a in self.agreements],
            "builtin_vs_public": self.crosscheck.to_dict() if self.crosscheck else None,
            "summary": self.summary(),
        }

    def summary(self) -> str:
        parts = [a.line() for a in self.agreements if a.benchmark == "imagenet"]
        if self.crosscheck is not None:
            parts.append(self.crosscheck.summary())
        return "; ".join(parts) if parts else "nothing to check: import a public dataset"

    def print(self, console: Console) -> None:
        from rich.table import Table

        table = Table(title="dlcost's recomputation vs the sources' stored compute")
        for col in ("source", "benchmark", "method", "reported", "computable", "agree", "±"):
            table.add_column(col)
        for a in self.agreements:
            table.add_row(a.source, a.benchmark or "", a.method, str(a.n_reported),
                          str(a.n_computable), str(a.n_agree), f"{a.tolerance:.1%}")
        console.print(table)
        rows = [d for a in self.agreements for d in a.disagreements + a.not_computable]
        if rows:
            dis = Table(title="Rows that disagree")
            for col in ("id", "benchmark", "model", "method", "why"):
                dis.add_column(col, overflow="fold")
            for d in rows:
                why = d.reason if d.dlcost_flop is not None else f"not computable: {d.reason}"
                dis.add_row(d.id, d.benchmark or "", d.model, d.method, why)
            console.print(dis)
        if self.crosscheck is not None:
            self.crosscheck.print(console)
        console.print(f"[bold]Summary:[/bold] {self.summary()}")


def run_checks(db: ResultsDB, against: list[Path]) -> CheckReport:
    """Run every check on ``db`` plus the public datasets in ``against`` (imported in memory)."""
    from dlcost.store.crosscheck import crosscheck_builtin, load_public

    public = load_public(db, against)
    agreements: list[Agreement] = []
    frame = public.results(sources=["all"])
    for source in sorted(set(frame.source) & {"futuretech", "computerprogress", "epoch"}):
        sub = frame[frame.source == source]
        for benchmark in sorted(sub.benchmark.dropna().unique()):
            for method in TOLERANCE:
                a = recompute_agreement(public, source, benchmark, method)
                if a.n_reported:
                    agreements.append(a)
    return CheckReport(agreements, crosscheck_builtin(public))
