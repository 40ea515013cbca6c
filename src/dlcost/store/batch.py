"""What an importer produces: an :class:`ImportBatch` of plain rows, validated before any write.

Importers parse and validate a whole file into a batch first; only a complete, valid batch
reaches the database, inside one transaction. That is what makes imports all-or-nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from dlcost.compute.estimates import (
    ComputeEstimate,
    Phase,
    hardware_burden,
    network_operations,
    training_compute,
)
from dlcost.exceptions import DataFormatError, DlcostError
from dlcost.store.inputs import quote, read_input

RESULT_COLUMNS = (
    "id", "import_key", "source", "source_row", "benchmark", "task", "metric", "score", "error",
    "split", "extra_data", "date", "year", "model", "paper_title", "paper_url", "reference",
    "parameters", "ops_per_pass_flop", "metrics", "facts", "attributes", "notes",
)
PHASE_COLUMNS = (
    "result_id", "phase", "chip_index", "dataset", "examples", "epochs", "steps", "batch_size",
    "ops_per_pass_flop", "chip", "chip_count", "peak_flop_per_s", "time_text", "seconds",
    "time_kind",
)
ESTIMATE_COLUMNS = (
    "result_id", "method", "flop", "description", "inputs", "assumptions", "problem",
    "reported_flop",
)
HARDWARE_COLUMNS = (
    "name", "import_key", "source", "manufacturer", "kind", "release_date",
    "peak_fp32_flop_per_s", "peak_tf32_flop_per_s", "peak_fp16_tensor_flop_per_s",
    "peak_fp8_flop_per_s", "tdp_w", "release_price_usd", "attributes",
)
PRICE_COLUMNS = (
    "import_key", "source", "source_row", "hardware", "manufacturer", "price_date", "vendor",
    "location", "on_demand_usd_per_chip_hour", "one_year_usd_per_chip_hour",
    "three_year_usd_per_chip_hour", "purchase_price_usd", "chips", "description", "notes",
    "price_source",
)
#: Batch attribute → (store table, its columns in schema order). Everything an import writes
#: goes through this one map: the store's writer and the package snapshots both iterate it, so
#: a new kind of row needs one entry here (and a migration for its table).
BATCH_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "results": ("results", RESULT_COLUMNS),
    "phases": ("phases", PHASE_COLUMNS),
    "estimates": ("estimates", ESTIMATE_COLUMNS),
    "hardware": ("hardware", HARDWARE_COLUMNS),
    "prices": ("hardware_prices", PRICE_COLUMNS),
}


def sha256_of(paths: Sequence[Path]) -> str:
    """SHA-256 over the bytes of ``paths`` in the order given."""
    digest = hashlib.sha256()
    for p in paths:
        digest.update(read_input(p))
    return digest.hexdigest()


def result_id(source: str, benchmark: str | None, model: str, paper: str | None) -> str:
    """A stable id derived from what identifies a result, so re-imports change nothing."""
    key = "\x1f".join(
        " ".join(str(part or "").lower().split()) for part in (source, benchmark, model, paper)
    )
    return f"{source[:3]}-{hashlib.sha1(key.encode()).hexdigest()[:10]}"


def to_json(value: Any) -> str | None:
    return None if value in (None, {}, []) else json.dumps(value, sort_keys=True, default=str)


@dataclass
class ImportBatch:
    """Rows for the results, phases, estimates and hardware tables from one import."""

    source: str
    import_key: str
    path: str | None
    sha256: str
    results: list[dict[str, Any]] = field(default_factory=list)
    phases: list[dict[str, Any]] = field(default_factory=list)
    estimates: list[dict[str, Any]] = field(default_factory=list)
    hardware: list[dict[str, Any]] = field(default_factory=list)
    prices: list[dict[str, Any]] = field(default_factory=list)
    #: Source rows the import left out, by reason (shown in the import summary).
    skipped: dict[str, int] = field(default_factory=dict)
    #: How the data came: ``import`` (a file the user gave), ``fetch`` (downloaded from its
    #: origin), ``snapshot`` (shipped with dlcost) or ``builtin``.
    kind: str = "import"
    #: The date of the data: a snapshot's origin commit or download date, a fetch's day.
    data_date: dt.date | None = None
    licence: str | None = None
    attribution: str | None = None
    origin: str | None = None
    #: Fingerprint of the shipped snapshot this batch came from (None for other kinds).
    snapshot: str | None = None

    @property
    def n_rows(self) -> int:
        """Rows of the batch's main table: results, else hardware, else prices."""
        return len(self.results) or len(self.hardware) or len(self.prices)

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + n

    def add_result(
        self, row: dict[str, Any], *, source_row: int | None = None, identity: str | None = None
    ) -> str:
        """Add one result; raises :class:`DataFormatError` on a duplicate.

        The id derives from source, benchmark, model and paper; ``identity`` replaces the paper
        where a source lists one model several times without one (a spreadsheet row index).
        """
        rid = result_id(self.source, row.get("benchmark"), row["model"],
                        identity or row.get("paper_title") or row.get("paper_url"))
        if rid in self._ids:
            first = self._ids[rid]
            label = identity or row.get("paper_title")
            raise DataFormatError(
                f"duplicate row: {quote(row['model'])}{f' ({label})' if label else ''} already "
                f"appears at row {first}; remove one of the two",
                path=self.path, row=source_row,
            )
        self._ids[rid] = source_row
        full: dict[str, Any] = dict.fromkeys(RESULT_COLUMNS)
        full.update(row)
        full.update(id=rid, import_key=self.import_key, source=self.source, source_row=source_row)
        for key in ("metrics", "facts", "attributes"):
            if not isinstance(full[key], str | type(None)):
                full[key] = to_json(full[key])
        self.results.append(full)
        return rid

    def add_phases(self, rid: str, phases: Sequence[Phase]) -> None:
        for phase in phases:
            uses = phase.chips or (None,)
            for i, use in enumerate(uses):
                self.phases.append({
                    "result_id": rid, "phase": phase.name, "chip_index": i,
                    "dataset": phase.dataset, "examples": phase.examples,
                    "epochs": phase.epochs, "steps": phase.steps,
                    "batch_size": phase.batch_size, "ops_per_pass_flop": phase.ops_per_pass_flop,
                    "chip": use.chip if use else None,
                    "chip_count": use.count if use else None,
                    "peak_flop_per_s": use.peak_flop_per_s if use else None,
                    "time_text": phase.time.text if phase.time else None,
                    "seconds": phase.time.seconds if phase.time else None,
                    "time_kind": phase.time.kind if phase.time else None,
                })

    def add_estimates(
        self,
        rid: str,
        phases: Sequence[Phase],
        ops_per_pass_flop: float | None,
        *,
        reported: dict[str, float | None] | None = None,
        language_model: bool = False,
        incomplete_phases: Literal["error", "skip", "bounded"] = "error",
    ) -> None:
        """Estimate network operations and hardware burden with dlcost's own estimators.

        The source's stored values (``reported``, by method) are kept beside them.
        """
        reported = reported or {}
        for method in ("network_operations", "hardware_burden", "training_compute"):
            est: ComputeEstimate | None = None
            problem = None
            try:
                if method == "network_operations":
                    est = network_operations(phases, ops_per_pass_flop)
                elif method == "hardware_burden":
                    est = hardware_burden(phases, incomplete_phases=incomplete_phases,
                                          ops_per_pass_flop=ops_per_pass_flop)
                else:
                    est = training_compute(phases, language_model=language_model,
                                           incomplete_phases=incomplete_phases,
                                           ops_per_pass_flop=ops_per_pass_flop)
            except DlcostError as exc:
                problem = str(exc)
            rep = reported.get(method)
            if est is None and rep is None and method == "training_compute":
                continue
            self.estimates.append({
                "result_id": rid, "method": method,
                "flop": est.flop if est else None,
                "description": est.description if est else None,
                "inputs": to_json(dict(est.inputs)) if est else None,
                "assumptions": to_json(list(est.assumptions)) if est else None,
                "problem": problem, "reported_flop": rep,
            })

    def __post_init__(self) -> None:
        self._ids: dict[str, int | None] = {}
        if self.import_key == "builtin":  # the shipped curated dataset
            self.kind = "builtin"


# --- cell parsing shared by the CSV importers -------------------------------------------------


def parse_number(
    value: Any,
    *,
    path: str,
    row: int,
    column: str,
    positive: bool = False,
) -> float | None:
    """A numeric cell: blank → None, text → :class:`DataFormatError` naming file/row/column."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise DataFormatError(f"expected a number, found {quote(value)}", path=path, row=row,
                              column=column)
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf  # an integer beyond any float: refused as not finite below
    else:
        text = str(value).strip().replace(",", "")
        if text == "" or text.lower() in {"nan", "na", "n/a", "-", "none", "null"}:
            return None
        if text.endswith("%"):
            text = text[:-1]
        try:
            number = float(text)
        except ValueError:
            raise DataFormatError(
                f"expected a number, found {quote(value)}", path=path, row=row, column=column
            ) from None
    if math.isnan(number):
        return None
    if not math.isfinite(number):
        raise DataFormatError(f"expected a finite number, found {quote(value)}",
                              path=path, row=row, column=column)
    if positive and number <= 0:
        raise DataFormatError(
            f"must be positive, found {quote(value)}", path=path, row=row, column=column
        )
    return number


def parse_date(text: str, *, path: str, row: int, column: str) -> dt.date | None:
    """An ISO date cell (YYYY-MM-DD): blank → None, anything else → :class:`DataFormatError`."""
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DataFormatError(f"expected a date YYYY-MM-DD, found {quote(text)}",
                              path=path, row=row, column=column) from None


def check_error(error: float, *, path: str, row: int, column: str) -> float:
    """An error rate must lie in (0, 1): 0 would be perfection, 1 nothing right."""
    if not 0 < error < 1:
        raise DataFormatError(
            f"the score gives an error of {error:g}, outside (0, 1); scores are percentages "
            "(e.g. 76.1 for 76.1 %) or BLEU points",
            path=path, row=row, column=column,
        )
    return error
