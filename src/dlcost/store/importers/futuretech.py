"""MIT FutureTech's 2022 release of the paper's data (six CSVs, one per benchmark).

Origin: github.com/MIT-FutureTech/TheComputationalLimitsOfDeepLearning, folder ``data/``.
Each CSV has the column names on line 1, then three more header lines (groupings, sub-groups,
units) before the models. Per model: paper, year, FLOPs or multiply-adds per forward pass,
per phase (pre-training, training, fine-tuning) the dataset, set size, epochs, training time
and up to one GPU, TPU and CPU kind with count and peak GFLOP/s; and the authors' stored
network operations and hardware burden, which dlcost keeps beside its own recomputation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dlcost.benchmarks import get_benchmark
from dlcost.compute.durations import Duration, parse_duration
from dlcost.compute.estimates import PHASES, ChipUse, Phase
from dlcost.exceptions import DataFormatError, DurationParseError, EstimationError
from dlcost.store.batch import ImportBatch, check_error, parse_number, sha256_of
from dlcost.store.importers._csv import read_rows, require_files
from dlcost.store.inputs import quote
from dlcost.units import FLOP_PER_GFLOP, SECONDS_PER_DAY, multiply_adds_to_flop

SOURCE = "futuretech"
FORMAT_NAME = "FutureTech 2022"
HINT = (
    "Expected one of the six CSVs of MIT-FutureTech/TheComputationalLimitsOfDeepLearning "
    "(data/), or `dlcost data import FORMAT PATH` with another format."
)

#: file stem → (benchmark id, primary score column, {secondary metric: column})
FILES: dict[str, tuple[str, str, dict[str, str]]] = {
    "image-classification-on-imagenet": (
        "imagenet", "(TOP 1 score)", {"top5": "(TOP 5 score)"}),
    "object-detection-on-coco": (
        "coco", "(BOX AP)",
        {"ap50": "(AP50)", "ap75": "(AP75)", "aps": "(APS)", "apm": "(APM)", "apl": "(APL)"}),
    "question-answering-on-squad-1-1": ("squad1.1", "(EM score)", {"f1": "(F1 score)"}),
    "named-entity-recognition-on-conll-2003": ("conll2003", "(F1 score)", {}),
    "machine-translation-on-wmt2014-en-fr": (
        "wmt14-en-fr", "(BLEU)", {"sacrebleu": "(SACREBLEU)"}),
    "machine-translation-on-wmt2014-en-de": (
        "wmt14-en-de", "(BLEU)", {"sacrebleu": "(SACREBLEU)"}),
}
HEADER_ROWS = 3
PHASE_PREFIX = {"pretraining": "pretraining_", "training": "training_",
                "finetuning": "finetuning_"}
CHIP_KINDS = ("gpu", "tpu", "cpu")


def parse(path: Path) -> list[ImportBatch]:
    """Parse a folder holding the six CSVs, or one of them."""
    if path.is_dir():
        files = require_files(path, [f"{stem}.csv" for stem in FILES],
                              "give the folder of the six FutureTech CSVs or one CSV")
        return [parse_file(f) for f in files]
    return [parse_file(path)]


def parse_file(path: Path) -> ImportBatch:
    stem = path.stem
    if stem not in FILES:
        raise DataFormatError(
            f"unknown FutureTech file name {path.name!r}; expected one of "
            f"{', '.join(s + '.csv' for s in FILES)}",
            path=str(path),
        )
    benchmark_id, score_col, secondary = FILES[stem]
    benchmark = get_benchmark(benchmark_id)
    required = ["name", "year", "title", "paper_link", "flops", "multiadds",
                "network_operations", "hardware_burden", score_col]
    for prefix in PHASE_PREFIX.values():
        required += [prefix + c for c in ("epochs", "set_size", "time_total")]
    batch = ImportBatch(
        source=SOURCE, import_key=f"{SOURCE}:{benchmark_id}", path=str(path),
        sha256=sha256_of([path]),
    )
    where = str(path)
    # The release's files end without a line break, so a cut in the last cell of the last row
    # cannot be told from a complete file; every other truncation is caught by read_rows.
    for line, row in read_rows(path, required=required, skip_rows=HEADER_ROWS,
                               format_name=FORMAT_NAME, format_hint=HINT,
                               final_newline=False):
        def num(col: str, positive: bool = False, _line: int = line,
                _row: dict[str, str] = row) -> float | None:
            return parse_number(_row.get(col), path=where, row=_line, column=col,
                                positive=positive)

        name = row["name"].strip()
        if not name:
            raise DataFormatError("a model has no name", path=where, row=line, column="name")
        year = num("year")
        if year is None or year != int(year) or not 1950 <= year <= 2100:
            raise DataFormatError(f"expected a year, found {quote(row['year'])}",
                                  path=where, row=line, column="year")
        score = num(score_col, positive=True)
        error = None
        if score is not None:
            error = check_error(benchmark.error_from_score(score), path=where, row=line,
                                column=score_col)
        flops = num("flops", positive=True)
        macs = num("multiadds", positive=True)
        ops = flops if flops is not None else (
            multiply_adds_to_flop(macs) if macs is not None else None)
        notes: list[str] = []
        phases = [p for p in (_phase(name, row, where, line, num, notes) for name in PHASES)
                  if p is not None]
        metrics = {k: num(c) for k, c in secondary.items() if c in row}
        consolidated = num("computing_power") if "computing_power" in row else None
        rid = batch.add_result(
            {
                "benchmark": benchmark_id, "task": benchmark.task, "metric": benchmark.metric,
                "score": score, "error": error, "year": int(year), "model": name,
                "paper_title": row["title"].strip() or None,
                "paper_url": row["paper_link"].strip() or None,
                "notes": "; ".join(notes) or None,
                "parameters": num("parameters", positive=True) if "parameters" in row else None,
                "ops_per_pass_flop": ops,
                "metrics": {k: v for k, v in metrics.items() if v is not None},
                "attributes": {
                    k: v for k, v in {
                        "ops_unit": "flop" if flops is not None else (
                            "multiadds" if macs is not None else None),
                        "hardware_burden_consolidated_reported": consolidated,
                        "comments": (row.get("comments") or "").strip() or None,
                        "pwc_url": (row.get("paper_with_code") or "").strip() or None,
                    }.items() if v is not None
                },
            },
            source_row=line,
        )
        batch.add_phases(rid, phases)
        batch.add_estimates(
            rid, phases, ops,
            reported={"network_operations": num("network_operations", positive=True),
                      "hardware_burden": num("hardware_burden", positive=True)},
            incomplete_phases="skip",
        )
    return batch


def _phase(
    name: str, row: dict[str, str], where: str, line: int, num: Any, notes: list[str]
) -> Phase | None:
    prefix = PHASE_PREFIX[name]
    epochs = num(prefix + "epochs", positive=True)
    examples = num(prefix + "set_size", positive=True)
    chips = []
    for kind in CHIP_KINDS:
        model = (row.get(f"{prefix}{kind}_model") or "").strip()
        amount = num(f"{prefix}{kind}_amount", positive=True)
        gflops = num(f"{prefix}{kind}_ptp_gflops", positive=True)
        if model or amount is not None or gflops is not None:
            chips.append(ChipUse(
                chip=model or f"unnamed {kind.upper()}",
                count=amount,
                peak_flop_per_s=gflops * FLOP_PER_GFLOP if gflops is not None else None,
            ))
    time = _time(prefix, row, where, line, num, notes)
    if epochs is None and not chips and time is None:
        dataset = (row.get(prefix + "dataset") or "").strip() or None
        if dataset is None and examples is None:
            return None
    try:
        return Phase(
            name=name, dataset=(row.get(prefix + "dataset") or "").strip() or None,
            examples=examples, epochs=epochs, chips=tuple(chips), time=time,
        )
    except EstimationError as exc:
        raise DataFormatError(str(exc), path=where, row=line) from None


def _time(
    prefix: str, row: dict[str, str], where: str, line: int, num: Any, notes: list[str]
) -> Duration | None:
    """The phase's time: the text as written, else total seconds, else TPU core-days.

    Free text that is not a time (one row holds a FLOP count there) is ignored with a note.
    """
    text = (row.get(prefix + "time_total") or "").strip()
    seconds = num(prefix + "time_total_sec")
    core_days = num(prefix + "time_tpu_core_days")
    for column, value in ((prefix + "time_total_sec", seconds),
                          (prefix + "time_tpu_core_days", core_days)):
        if value is not None and value <= 0:
            raise DataFormatError(f"training time must be positive, found {value:g}",
                                  path=where, row=line, column=column)
    if text:
        try:
            return parse_duration(text)
        except DurationParseError:
            notes.append(f"{prefix}time_total {text!r} is not a training time: ignored")
    if seconds is not None:
        return Duration(seconds=seconds, kind="wall", text=f"{seconds:g} s",
                        assumptions=(f"time taken from {prefix}time_total_sec",))
    if core_days is not None:
        return Duration(seconds=core_days * SECONDS_PER_DAY, kind="core",
                        text=f"{core_days:g} TPU core-days")
    return None
