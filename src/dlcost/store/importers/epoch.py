"""Epoch AI's "Data on AI Models": every model in Epoch's database, with its training compute.

Origin: https://epoch.ai/data/ai-models (CSV updated daily; licence CC BY 4.0). The download
bundle holds ``all_ai_models.csv`` and three subsets of it, ``notable_ai_models.csv``,
``large_scale_ai_models.csv`` and ``frontier_ai_models.csv``, each with its own columns.

These are models, not benchmark results: ``benchmark`` is NULL. Each row becomes one result with
one ``training`` phase (the first chip Epoch lists, the hardware quantity and the training time
as wall-clock hours), Epoch's training compute as the *reported* ``training_compute``, and
dlcost's own hardware burden and training compute from the catalogue. A chip the catalogue
does not know leaves the estimate empty with the reason in ``problem``; it never fails the
import.

Import a folder to read ``all_ai_models.csv`` and flag the rows that the subset files hold
(``notable``, ``large_scale``, ``frontier``); import one file to read just its rows, under its
own import key.
"""

from __future__ import annotations

from pathlib import Path

from dlcost.compute.durations import Duration
from dlcost.compute.estimates import ChipUse, Phase
from dlcost.exceptions import DataFormatError
from dlcost.names import row_name_key
from dlcost.store.batch import ImportBatch, parse_date, parse_number, result_id, sha256_of
from dlcost.store.importers._csv import read_rows, require_files
from dlcost.units import SECONDS_PER_HOUR

SOURCE = "epoch"
FORMAT_NAME = "Epoch AI models"
HINT = (
    "Expected all_ai_models.csv (or notable_ai_models.csv, large_scale_ai_models.csv, "
    "frontier_ai_models.csv) from https://epoch.ai/data/ai-models, or a folder holding them."
)
ALL = "all_ai_models"
#: subset file stem → the attribute flag its rows get
SUBSETS = {
    "notable_ai_models": "notable",
    "large_scale_ai_models": "large_scale",
    "frontier_ai_models": "frontier",
}
#: Columns every one of the four files has.
REQUIRED = (
    "Model", "Domain", "Task", "Organization", "Publication date", "Reference", "Link",
    "Parameters", "Training compute (FLOP)", "Training time (hours)", "Training hardware",
    "Hardware quantity", "Confidence",
)
#: attribute name → optional numeric column (not every file has each)
NUMERIC_ATTRIBUTES = {
    "hardware_quantity": "Hardware quantity",
    "training_time_hours": "Training time (hours)",
    "utilization_mfu": "Hardware utilization (MFU)",
    "training_chip_hours": "Training chip-hours",
    "training_compute_cost_2023_usd": "Training compute cost (2023 USD)",
    "training_power_draw_w": "Training power draw (W)",
}
TEXT_ATTRIBUTES = {
    "domain": "Domain",
    "task": "Task",
    "organization": "Organization",
    "training_hardware": "Training hardware",
    "confidence": "Confidence",
    "estimation_method": "Training compute estimation method",
    "base_model": "Base model",
}
DATASET_SIZE = "Training dataset size (gradients)"


def parse(path: Path) -> list[ImportBatch]:
    """Parse a folder (``all_ai_models.csv`` plus any subset files) or one Epoch CSV."""
    if path.is_dir():
        [main] = require_files(path, [f"{ALL}.csv"], "give the folder of Epoch's AI models "
                                                     "download or one of its CSVs")
        subsets = {flag: path / f"{stem}.csv" for stem, flag in SUBSETS.items()
                   if (path / f"{stem}.csv").exists()}
        return [parse_file(main, subsets=subsets)]
    return [parse_file(path)]


def _subset_names(path: Path) -> set[str]:
    return {row_name_key(row["Model"]) for _, row in read_rows(
        path, required=("Model",), format_name=FORMAT_NAME, format_hint=HINT)}


def parse_file(path: Path, *, subsets: dict[str, Path] | None = None) -> ImportBatch:
    """One Epoch CSV as a batch; ``subsets`` (flag → subset CSV) sets the subset flags.

    A file named after a subset flags all its own rows with that subset.
    """
    subsets = subsets or {}
    members = {flag: _subset_names(p) for flag, p in subsets.items()}
    own_flag = SUBSETS.get(path.stem)
    batch = ImportBatch(
        source=SOURCE, import_key=f"{SOURCE}:{path.stem}", path=str(path),
        sha256=sha256_of([path, *subsets.values()]),
    )
    where = str(path)
    seen: dict[str, dict[str, str]] = {}
    names_here: set[str] = set()
    for line, row in read_rows(path, required=REQUIRED, format_name=FORMAT_NAME,
                                  format_hint=HINT):
        def num(col: str, _line: int = line, _row: dict[str, str] = row) -> float | None:
            return parse_number(_row.get(col), path=where, row=_line, column=col,
                                positive=True)

        model = row["Model"].strip()
        if not model:
            raise DataFormatError("a model has no name", path=where, row=line, column="Model")
        title = row["Reference"].strip() or None
        links = row["Link"].split()
        url = links[0] if links else None
        rid = result_id(SOURCE, None, model, title or url)
        if rid in seen and seen[rid] != row:
            # Epoch's table holds a few second, sparser entries of a model (same name and
            # link); the first is the full one. An identical row is an error (add_result).
            batch.skip("second entries of a model with the same name and reference (kept the "
                       "first)")
            continue
        seen[rid] = row
        date = parse_date(row["Publication date"], path=where, row=line,
                          column="Publication date")
        hours = num("Training time (hours)")
        quantity = num("Hardware quantity")
        hardware = row["Training hardware"].strip()
        phases = _phases(hardware, quantity, hours)
        attributes: dict[str, object] = {
            key: row[col].strip() for key, col in TEXT_ATTRIBUTES.items()
            if (row.get(col) or "").strip()
        }
        for key, col in NUMERIC_ATTRIBUTES.items():
            if col in row:
                attributes[key] = num(col)
        dataset_size = _dataset_size(row.get(DATASET_SIZE))
        if dataset_size is not None:
            attributes["dataset_size"] = dataset_size
        if len(links) > 1:
            attributes["links"] = links
        if own_flag:
            attributes[own_flag] = True
        names_here.add(row_name_key(model))
        for flag, names in members.items():
            attributes[flag] = row_name_key(model) in names
        domains = {d.strip() for d in row["Domain"].split(",")}
        rid = batch.add_result(
            {
                "date": date, "year": date.year if date else None, "model": model,
                "paper_title": title, "paper_url": url,
                "parameters": num("Parameters"),
                "attributes": {k: v for k, v in attributes.items() if v is not None},
            },
            source_row=line,
        )
        batch.add_phases(rid, phases)
        batch.add_estimates(
            rid, phases, None,
            reported={"training_compute": num("Training compute (FLOP)")},
            language_model="Language" in domains,
        )
    for flag, names in members.items():
        if names - names_here:
            batch.skip(f"{subsets[flag].name} models not found in {path.name} (not flagged)",
                       len(names - names_here))
    return batch


def _phases(hardware: str, quantity: float | None, hours: float | None) -> list[Phase]:
    """The one training phase Epoch describes, or none when it gives no hardware or time."""
    chips = [c.strip() for c in hardware.split(",") if c.strip()]
    if not chips and hours is None:
        return []
    assumptions: tuple[str, ...] = ()
    if len(chips) > 1:
        assumptions = (
            f"Epoch lists {len(chips)} kinds of training hardware ({hardware}); the estimate "
            f"counts all {quantity:g} chips as the first, {chips[0]}"
            if quantity is not None else
            f"Epoch lists {len(chips)} kinds of training hardware ({hardware}); the estimate "
            f"uses the first, {chips[0]}",
        )
    time = None
    if hours is not None:
        time = Duration(seconds=hours * SECONDS_PER_HOUR, kind="wall", text=f"{hours:g} h",
                        assumptions=assumptions)
    use = (ChipUse(chip=chips[0], count=quantity),) if chips else ()
    return [Phase(name="training", chips=use, time=time)]


def _dataset_size(text: str | None) -> float | str | None:
    """Epoch's dataset size: a number, or the text as written when it lists several."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text
