"""Epoch AI's Benchmarking Hub: language-model scores on public benchmarks and Epoch's own runs.

Origin: the data folder of Epoch's "A Rosetta Stone for AI benchmarks" repository
(github.com/epoch-research/benchmark-stitching, ``data/``; data CC BY 4.0, Epoch AI). A folder
holds

- ``external_benchmark_<name>.csv``: scores compiled from papers and leaderboards (model name,
  headline score, ``Model version``, shots, source and link);
- ``benchmarks_runs.csv``: Epoch's own evaluation runs (GPQA diamond, MATH level 5, …);
- ``model_versions.csv``: model version → the model's name in Epoch's models table, and the
  version's release date;
- ``distilled_models.csv``: which model versions were distilled from larger models;
- ``epoch_capabilities_index.csv``: the Epoch Capabilities Index (ECI) per model version, with
  Epoch's training compute and its confidence.

Scores are stored in percent (``error = 1 − score/100``); the ECI as it is (no error). Each
row keeps, in ``attributes``: ``model_version``, ``epoch_model`` (the name to join on Epoch's
models table, from ``model_versions.csv``), ``version_release_date``, ``shots``, ``reasoning``
(the effort or thinking budget a version id ends with: ``_high``, ``_16K``, …), ``distilled``
and ``distilled_confidence``, ``origin`` (``external`` or ``epoch_run``) and the source's
record id. Compute, dates and parameters come from Epoch's models table at analysis time
(:mod:`dlcost.store.lm`), which reports what does not join.

Files whose headline is not one percentage (Elo ratings, time horizons, 1–10 writing marks,
per-length columns) are passed over and counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dlcost.exceptions import DataFormatError
from dlcost.store.batch import ImportBatch, parse_date, parse_number, sha256_of
from dlcost.store.importers._csv import read_rows

SOURCE = "epoch_benchmarks"
FORMAT_NAME = "Epoch AI Benchmarking Hub"
HINT = (
    "Expected the data folder of Epoch AI's benchmarking hub (external_benchmark_*.csv, "
    "model_versions.csv, benchmarks_runs.csv, distilled_models.csv, "
    "epoch_capabilities_index.csv), or one external_benchmark_*.csv beside model_versions.csv."
)
VERSIONS = "model_versions.csv"
RUNS = "benchmarks_runs.csv"
DISTILLED = "distilled_models.csv"
ECI = "epoch_capabilities_index.csv"
EXTERNAL_PREFIX = "external_benchmark_"
#: Benchmark id of the Epoch Capabilities Index rows.
ECI_ID = "eci"

#: external file name (after the prefix) → (headline percentage column, {secondary: column}).
#: The headline is the column Epoch's benchmarking hub plots for the benchmark.
HEADLINE: dict[str, tuple[str, dict[str, str]]] = {
    "aider_polyglot": ("Percent correct", {}),
    "anli": ("Score", {"r1": "R1", "r2": "R2", "r3": "R3"}),
    "arc_agi": ("Score", {}),
    "arc_ai2": ("Challenge score", {"easy": "Easy score"}),
    "balrog": ("Average progress", {}),
    "bbh": ("Average", {}),
    "boolq": ("Score", {}),
    "cadeval": ("Overall pass (%)", {}),
    "csqa2": ("Score", {}),
    "cybench": ("Unguided % Solved", {}),
    "deepresearch": ("Average score", {}),
    "factorio_learning_environment": ("Lab Success %", {}),
    "gsm8k": ("EM", {}),
    "gso_bench": ("Score OPT@1", {}),
    "hellaswag": ("Overall accuracy", {}),
    "lambada": ("Score", {}),
    "livebench": ("Global average", {}),
    "mmlu": ("EM", {}),
    "openbookqa": ("Accuracy", {}),
    "os_world": ("Score", {}),
    "osuniverse": ("Weighted Score", {}),
    "piqa": ("Score", {}),
    "scienceqa": ("Score", {}),
    "simple_bench": ("Score (AVG@5)", {}),
    "superglue": ("Score", {}),
    "terminal_bench": ("Accuracy mean", {}),
    "the_agent_company": ("% Score", {}),
    "triviaqa": ("EM", {}),
    "videomme": ("Overall (no subtitles)", {"with_subtitles": "Overall (with subtitles)"}),
    "vpct": ("Correct", {}),
    "weirdml": ("Accuracy", {}),
    "winogrande": ("Accuracy", {}),
}
#: External files whose headline is not a percentage (kept out, counted).
NOT_PERCENT = {
    "fictionlivebench": "one score per context length, no single headline",
    "geobench": "distances and scores in points",
    "lech_mazur_writing": "marks from 1 to 10",
    "mcbench": "Elo ratings",
    "metr": "time horizons in minutes",
}
#: A version id ending in a reasoning effort or a thinking budget (``o3_high``, ``…_16K``).
REASONING = re.compile(r"_(minimal|low|medium|high|thinking|\d+[kK])$")


def benchmark_id(name: str) -> str:
    """``arc_ai2`` → ``arc-ai2``; ``GPQA diamond`` → ``gpqa-diamond``."""
    return re.sub(r"[^a-z0-9.]+", "-", name.strip().lower()).strip("-")


def reasoning_setting(version: str) -> str | None:
    """The reasoning effort or thinking budget a model-version id ends with, if any."""
    match = REASONING.search(version.strip())
    return match.group(1) if match else None


#: Most digits a number of shots may have (prompts hold at most thousands of examples); longer
#: digit strings stay text, as "few" does, and never reach int() (Python refuses 4,300+ digits).
MAX_SHOTS_DIGITS = 6


def parse_shots(text: str | None) -> int | str | None:
    """``"5"``, ``"5-shot"`` → 5; ``"few"`` → ``"few"``; blank → None."""
    text = (text or "").strip().lower()
    if not text:
        return None
    number = text.removesuffix("-shot").strip()
    return int(number) if number.isdigit() and len(number) <= MAX_SHOTS_DIGITS else text


def parse(path: Path) -> list[ImportBatch]:
    """Parse the benchmarking-hub folder (or one external file) into one batch per file."""
    folder = path if path.is_dir() else path.parent
    if path.is_dir():
        externals = sorted(path.glob(f"{EXTERNAL_PREFIX}*.csv"))
        if not externals and not (path / RUNS).exists():
            raise DataFormatError(f"the folder holds no {EXTERNAL_PREFIX}*.csv and no {RUNS}. "
                                  f"{HINT}", path=str(path))
    else:
        if not path.name.startswith(EXTERNAL_PREFIX):
            raise DataFormatError(f"not an {EXTERNAL_PREFIX}*.csv file. {HINT}", path=str(path))
        externals = [path]
    context = _Context.load(folder)
    batches: list[ImportBatch] = []
    passed_over: list[str] = []
    for file in externals:
        stem = file.stem.removeprefix(EXTERNAL_PREFIX)
        if stem not in HEADLINE:
            passed_over.append(stem)
            continue
        batches.append(_external_batch(file, stem, context))
    if path.is_dir():
        if (folder / RUNS).exists():
            batches.append(_runs_batch(folder / RUNS, context))
        if (folder / ECI).exists():
            batches.append(_eci_batch(folder / ECI, context))
    if passed_over and batches:
        why = "; ".join(f"{s}: {NOT_PERCENT.get(s, 'no headline percentage known')}"
                        for s in passed_over)
        batches[0].skip(f"files without one percentage headline, not imported ({why})",
                        len(passed_over))
    if not batches:
        raise DataFormatError(f"nothing to import: no file has a known headline score. {HINT}",
                              path=str(path))
    return batches


class _Context:
    """The folder's lookup tables: model versions and distillation flags."""

    def __init__(self, versions: dict[str, dict[str, str]], distilled: dict[str, dict[str, str]],
                 files: list[Path]) -> None:
        self.versions = versions
        self.distilled = distilled
        self.files = files

    @classmethod
    def load(cls, folder: Path) -> _Context:
        versions: dict[str, dict[str, str]] = {}
        files = []
        if (folder / VERSIONS).exists():
            files.append(folder / VERSIONS)
            for line, row in read_rows(folder / VERSIONS, required=("id", "Model"),
                                       format_name=FORMAT_NAME, format_hint=HINT,
                                       final_newline=False):
                key = row["id"].strip()
                if key:
                    date = parse_date(row.get("Version release date", ""), path=str(folder /
                                      VERSIONS), row=line, column="Version release date")
                    versions[key.lower()] = {
                        "id": key, "model": " ".join(row["Model"].split()),
                        "date": date.isoformat() if date else "",
                        "display": (row.get("Display name") or "").strip(),
                    }
        distilled: dict[str, dict[str, str]] = {}
        if (folder / DISTILLED).exists():
            files.append(folder / DISTILLED)
            for _, row in read_rows(folder / DISTILLED, required=("model", "distilled"),
                                    format_name=FORMAT_NAME, format_hint=HINT,
                                    final_newline=False):
                distilled[row["model"].strip().lower()] = row
        return cls(versions, distilled, files)

    def describe(self, version: str) -> dict[str, Any]:
        """Attributes a model version brings: Epoch model name, release date, distillation."""
        version = version.strip()
        out: dict[str, Any] = {"model_version": version or None}
        if not version:
            return out
        found = self.versions.get(version.lower())
        if found is None:
            out["version_known"] = False
        else:
            out["version_known"] = True
            out["epoch_model"] = found["model"] or None
            out["version_release_date"] = found["date"] or None
        out["reasoning"] = reasoning_setting(version)
        flag = self.distilled.get(version.lower())
        if flag is not None:
            value = flag["distilled"].strip().upper()
            out["distilled"] = True if value == "TRUE" else False if value == "FALSE" else None
            out["distilled_confidence"] = (flag.get("confidence") or "").strip() or None
        return out


def _iter(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    # Epoch's hub files end without a line break: a cut inside the very last cell cannot be
    # told from a complete file (read_rows catches every other truncation).
    return read_rows(path, required=required, format_name=FORMAT_NAME, format_hint=HINT,
                     final_newline=False)


def _percent(value: str | None, *, path: str, row: int, column: str,
             fraction: bool = False) -> float | None:
    number = parse_number(value, path=path, row=row, column=column)
    if number is None:
        return None
    if fraction:
        number *= 100.0
    if not 0.0 <= number <= 100.0:
        raise DataFormatError(f"a percentage must lie in [0, 100], found {value!r}",
                              path=path, row=row, column=column)
    return number


def _date_of(info: dict[str, Any]) -> Any:
    import datetime as dt

    text = info.get("version_release_date")
    return dt.date.fromisoformat(text) if text else None


def _external_batch(path: Path, stem: str, context: _Context) -> ImportBatch:
    column, secondary = HEADLINE[stem]
    bench = benchmark_id(stem)
    where = str(path)
    batch = ImportBatch(source=SOURCE, import_key=f"{SOURCE}:{bench}", path=where,
                        sha256=sha256_of([path, *context.files]))
    for line, row in _iter(path, (column, "Model version")):
        score = _percent(row[column], path=where, row=line, column=column)
        if score is None:
            batch.skip(f"{bench}: rows without a {column!r} score")
            continue
        version = row["Model version"]
        name = (row.get("Name") or row.get("Model") or "").strip() or version.strip()
        if not name:
            batch.skip(f"{bench}: rows without a model name or version")
            continue
        info = context.describe(version)
        metrics = {
            key: value for key, col in secondary.items()
            if (value := _percent(row.get(col), path=where, row=line, column=col)) is not None
        }
        record = (row.get("id") or row.get("ID") or row.get("UUID") or "").strip()
        attributes = {
            **info,
            "shots": parse_shots(row.get("Shots")),
            "shots_text": (row.get("Shots") or "").strip() or None,
            "origin": "external",
            "record_id": record or None,
            "agent": (row.get("Agent") or row.get("Scaffold") or "").strip() or None,
        }
        date = _date_of(info)
        batch.add_result(
            {
                "benchmark": bench, "metric": benchmark_id(column).replace("-", "_"),
                "score": score, "error": 1.0 - score / 100.0,
                "date": date, "year": date.year if date else None, "model": name,
                "paper_title": (row.get("Source") or "").strip() or None,
                "paper_url": (row.get("Source link") or row.get("Source link (site from table)")
                              or "").strip() or None,
                "metrics": metrics,
                "attributes": {k: v for k, v in attributes.items() if v is not None},
                "notes": (row.get("Notes") or row.get("Notes (details)") or "").strip() or None,
            },
            source_row=line, identity=record or f"row {line}",
        )
    return batch


def _runs_batch(path: Path, context: _Context) -> ImportBatch:
    """Epoch's own runs: the best score across scorers (a fraction) of each run."""
    where = str(path)
    batch = ImportBatch(source=SOURCE, import_key=f"{SOURCE}:runs", path=where,
                        sha256=sha256_of([path, *context.files]))
    score_col = "Best score (across scorers)"
    for line, row in _iter(path, ("id", "task", "model", score_col)):
        score = _percent(row[score_col], path=where, row=line, column=score_col, fraction=True)
        if score is None:
            batch.skip("runs without a score")
            continue
        version = row["model"].strip()
        info = context.describe(version)
        found = context.versions.get(version.lower())
        name = (found["display"] if found and found["display"] else "") or version
        date = _date_of(info)
        attributes = {**info, "origin": "epoch_run", "record_id": row["id"].strip(),
                      "run_started": (row.get("started_at") or "").strip() or None,
                      "task_version": (row.get("task version") or "").strip() or None}
        batch.add_result(
            {
                "benchmark": benchmark_id(row["task"]), "metric": "best_score",
                "score": score, "error": 1.0 - score / 100.0,
                "date": date, "year": date.year if date else None, "model": name,
                "paper_title": "Epoch AI Benchmarking Hub (Epoch's own run)",
                "paper_url": (row.get("log viewer") or "").strip() or None,
                "attributes": {k: v for k, v in attributes.items() if v is not None},
            },
            source_row=line, identity=row["id"].strip() or f"row {line}",
        )
    return batch


def _eci_batch(path: Path, context: _Context) -> ImportBatch:
    """The Epoch Capabilities Index: one score per model version, with Epoch's compute."""
    where = str(path)
    batch = ImportBatch(source=SOURCE, import_key=f"{SOURCE}:{ECI_ID}", path=where,
                        sha256=sha256_of([path, *context.files]))
    required = ("Model version", "ECI Score", "Release date", "Training compute (FLOP)",
                "Confidence", "Model name")
    for line, row in _iter(path, required):
        eci = parse_number(row["ECI Score"], path=where, row=line, column="ECI Score")
        if eci is None:
            batch.skip("ECI rows without an ECI score")
            continue
        version = row["Model version"].strip()
        info = context.describe(version)
        if not info.get("epoch_model") and row["Model name"].strip():
            info["epoch_model"] = " ".join(row["Model name"].split())
        date = parse_date(row["Release date"], path=where, row=line, column="Release date")
        attributes = {
            **info, "origin": "eci",
            "organization": (row.get("Organization") or "").strip() or None,
            "country": (row.get("Country") or "").strip() or None,
            "accessibility": (row.get("Model accessibility") or "").strip() or None,
            "training_compute_flop": parse_number(
                row["Training compute (FLOP)"], path=where, row=line,
                column="Training compute (FLOP)", positive=True),
            "compute_confidence": row["Confidence"].strip() or None,
        }
        name = (row.get("Display name") or "").strip() or row["Model name"].strip() or version
        batch.add_result(
            {
                "benchmark": ECI_ID, "metric": "eci", "score": eci, "error": None,
                "date": date, "year": date.year if date else None, "model": name,
                "paper_title": "Epoch Capabilities Index",
                "attributes": {k: v for k, v in attributes.items() if v is not None},
            },
            source_row=line, identity=version or f"row {line}",
        )
    return batch
