"""Importers: one module per public format, each ``parse(path) -> list[ImportBatch]``.

Parsing validates a whole file before anything is written; :func:`import_path` then writes the
batches in one transaction. Register a format by adding it to :data:`FORMATS`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dlcost.exceptions import DataFormatError, UnknownSourceError
from dlcost.store.inputs import check_input

if TYPE_CHECKING:
    from dlcost.store.batch import ImportBatch
    from dlcost.store.db import ResultsDB

#: format name → (module, one-line description)
FORMATS: dict[str, tuple[str, str]] = {
    "futuretech": ("futuretech", "MIT FutureTech 2022 CSVs (a folder of the six, or one CSV)"),
    "builtin": ("builtin", "YAML files in dlcost's builtin schema (a folder, or one file)"),
    "epoch": ("epoch", "Epoch AI models: all_ai_models.csv (a folder with the notable, "
                       "large-scale and frontier files flags those rows), or one of them"),
    "epoch-hardware": ("epoch_hardware", "Epoch AI ML hardware: ml_hardware.csv"),
    "epoch-benchmarks": ("epoch_benchmarks", "Epoch AI Benchmarking Hub: a folder of "
                                             "external_benchmark_*.csv, benchmarks_runs.csv, "
                                             "model_versions.csv, distilled_models.csv and "
                                             "epoch_capabilities_index.csv"),
    "epoch-prices": ("epoch_prices", "Epoch AI hardware prices: hardware_prices.csv "
                                     "('Hardware prices.csv' of training-cost-trends)"),
    "pwc": ("pwc", "Papers with Code evaluation-tables JSON dump (gzip or plain)"),
    "squad": ("squad", "SQuAD leaderboard JSON (sota-extractor data/tasks/squad.json)"),
    "computerprogress": ("computerprogress", "computerprogress.com hardware-burden points "
                                             "(the CSV, or a folder of the six *_data.js)"),
}


#: Formats that read one file (the others also take a folder).
FILE_ONLY = frozenset({"pwc", "squad"})


def parser(fmt: str) -> Callable[[Path], list[ImportBatch]]:
    """The ``parse`` function of a format; unknown formats list the known ones."""
    if fmt not in FORMATS:
        raise UnknownSourceError(
            f"unknown import format {fmt!r}; known formats: {', '.join(sorted(FORMATS))}"
        )
    module = importlib.import_module(f"dlcost.store.importers.{FORMATS[fmt][0]}")
    parse: Callable[[Path], list[ImportBatch]] = module.parse
    return parse


@dataclass(frozen=True)
class ImportSummary:
    """What one import wrote, and what it left out and why."""

    format: str
    path: str
    rows: int
    skipped: dict[str, int]

    def to_dict(self) -> dict[str, object]:
        return {"format": self.format, "path": self.path, "rows": self.rows,
                "skipped": self.skipped}


def import_file(
    db: ResultsDB, fmt: str, path: str | Path, *, force: bool = False
) -> ImportSummary:
    """Parse ``path`` as ``fmt`` and write it atomically (all of it, or nothing).

    The path must be a regular file (or a folder, for formats that read one): pipes, devices
    and oversized files are refused before reading. The whole file is parsed and validated
    before anything in the store changes; an import that finds no usable row, or would shrink
    what it replaces by more than :data:`dlcost.store.db.MAX_SHRINK` (unless ``force``), is
    refused and leaves the store as it was.
    """
    parse = parser(fmt)
    p = Path(path).expanduser()
    what = f"file (format {fmt!r} reads one file)" if fmt in FILE_ONLY else "file or folder"
    check_input(p, folder_ok=fmt not in FILE_ONLY, what=what)
    p = p.resolve()  # the store records where the data came from
    batches = parse(p)
    skipped: dict[str, int] = {}
    for batch in batches:
        for reason, n in batch.skipped.items():
            skipped[reason] = skipped.get(reason, 0) + n
    if not any(b.n_rows for b in batches):
        left_out = sum(skipped.values())
        raise DataFormatError(
            "found no usable rows"
            + (f" ({left_out} left out: {'; '.join(list(skipped)[:3])})" if left_out else "")
            + f"; is it a {fmt} file? Nothing was changed",
            path=str(p),
        )
    from dlcost.store.db import MAX_SHRINK

    rows = db.write(batches, max_shrink=None if force else MAX_SHRINK)
    return ImportSummary(fmt, str(p), rows, skipped)


def import_path(db: ResultsDB, fmt: str, path: str | Path, *, force: bool = False) -> int:
    """Parse ``path`` as ``fmt`` and write it atomically; returns the rows written."""
    return import_file(db, fmt, path, force=force).rows
