"""Papers with Code's evaluation tables: the state-of-the-art leaderboards of the six benchmarks.

Origin: the ``evaluation-tables.json`` dump of paperswithcode-data (licence CC BY-SA 4.0); the
2020-08-28 dump is the vintage Thompson et al. used. The format (shared by sota-extractor) is a
list of tasks, each with datasets whose ``sota.rows`` are leaderboard entries: model name,
paper title, URL and date, and metrics as strings (``"88.5%"``, ``"480M"``). The dump is
gzip-compressed even when its name ends in ``.json``, so the bytes are sniffed.

Leaderboard entries carry no compute, so no estimates are made here; their value is the
score and the date. Entries without the headline metric, without a model name, or whose
score gives an error outside (0, 1) are skipped and counted, as are repeated entries of a
model (the first, best-ranked one is kept): scraped leaderboards have all of these.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dlcost.benchmarks import get_benchmark
from dlcost.exceptions import DataFormatError
from dlcost.store.batch import ImportBatch, result_id, sha256_of
from dlcost.store.inputs import gunzip, quote, read_input

SOURCE = "pwc"
FORMAT_NAME = "Papers with Code evaluation-tables"
GZIP_MAGIC = b"\x1f\x8b"
#: builds the error for a leaderboard entry: (message, column) → error
Fail = Callable[[str, str | None], DataFormatError]


@dataclass(frozen=True, eq=False)
class Leaderboard:
    """Where a dlcost benchmark sits in the dump, and which metric is which (one per board)."""

    task: str
    dataset: str
    benchmark: str
    headline: str
    secondary: dict[str, str]
    parameters: str | None = None

    @property
    def label(self) -> str:
        return f"{self.task} / {self.dataset}"


LEADERBOARDS: tuple[Leaderboard, ...] = (
    Leaderboard("Image Classification", "ImageNet", "imagenet", "Top 1 Accuracy",
                {"top5": "Top 5 Accuracy"}, parameters="Number of params"),
    Leaderboard("Object Detection", "COCO test-dev", "coco", "box AP",
                {"ap50": "AP50", "ap75": "AP75", "aps": "APS", "apm": "APM", "apl": "APL"}),
    Leaderboard("Question Answering", "SQuAD1.1", "squad1.1", "EM", {"f1": "F1"}),
    Leaderboard("Named Entity Recognition", "CoNLL 2003 (English)", "conll2003", "F1", {}),
    Leaderboard("Machine Translation", "WMT2014 English-French", "wmt14-en-fr", "BLEU score",
                {"sacrebleu": "SacreBLEU"}),
    Leaderboard("Machine Translation", "WMT2014 English-German", "wmt14-en-de", "BLEU score",
                {"sacrebleu": "SacreBLEU"}),
)
_SUFFIX = {"": 1.0, "k": 1e3, "m": 1e6, "b": 1e9, "g": 1e9, "t": 1e12}
_NUMBER = re.compile(r"^([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*([kKmMbBgGtT]?)$")


def parse(path: Path) -> list[ImportBatch]:
    """Parse an evaluation-tables dump (gzip or plain JSON) into one batch per benchmark."""
    tasks = load_tasks(path, format_name=FORMAT_NAME)
    found = find_leaderboards(tasks, LEADERBOARDS, path=str(path))
    if not found:
        raise DataFormatError(
            "holds none of the leaderboards dlcost reads ("
            + "; ".join(b.label for b in LEADERBOARDS)
            + "); is it a Papers with Code evaluation-tables dump?",
            path=str(path),
        )
    sha = sha256_of([path])
    batches = [leaderboard_batch(SOURCE, path, sha, board, rows)
               for board, rows in found.items()]
    absent = [b.label for b in LEADERBOARDS if b not in found]
    if absent:
        batches[0].skip(f"leaderboards absent from the file ({'; '.join(absent)})", len(absent))
    return list(batches)


def load_tasks(path: Path, *, format_name: str) -> list[dict[str, Any]]:
    """The list of tasks in a sota-extractor JSON file, gzip-compressed or not."""
    where = str(path)
    data = read_input(path)
    if not data.strip():
        raise DataFormatError(f"the file is empty; expected a {format_name} JSON", path=where)
    if data.startswith(GZIP_MAGIC):
        data = gunzip(data, path=where)
    try:
        tasks = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DataFormatError(
            f"not UTF-8 JSON (byte {exc.start}); expected a {format_name} JSON", path=where
        ) from None
    except json.JSONDecodeError as exc:
        if exc.pos == 0:
            raise DataFormatError(
                f"not JSON; expected a {format_name} JSON (gzip-compressed or plain)",
                path=where,
            ) from None
        raise DataFormatError(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg} (truncated "
            f"file?); expected a {format_name} JSON",
            path=where,
        ) from None
    except RecursionError:
        raise DataFormatError(
            f"the JSON is nested too deeply to be a {format_name} file", path=where
        ) from None
    except ValueError:  # an integer longer than Python's limit on digits
        raise DataFormatError(
            f"the JSON holds an integer of more than {sys.get_int_max_str_digits()} digits; "
            f"expected a {format_name} JSON",
            path=where,
        ) from None
    if not isinstance(tasks, list) or not all(
        isinstance(t, dict) and "task" in t and "datasets" in t for t in tasks
    ):
        raise DataFormatError(
            f"expected a list of tasks, each with 'task' and 'datasets' (the {format_name} "
            "format)",
            path=where,
        )
    return tasks


def find_leaderboards(
    tasks: list[dict[str, Any]], boards: tuple[Leaderboard, ...], *, path: str | None = None
) -> dict[Leaderboard, list[Any]]:
    """The entries of each wanted leaderboard: the first ``(task, dataset)`` match, top-down.

    A wanted leaderboard whose ``sota.rows`` is not a list is a malformed file
    (:class:`DataFormatError`), never an empty board.
    """
    wanted: dict[tuple[str, str], Leaderboard] = {(b.task, b.dataset): b for b in boards}
    found: dict[Leaderboard, list[Any]] = {}
    level = tasks
    while level:
        below: list[dict[str, Any]] = []
        for task in level:
            name, datasets = task.get("task"), task.get("datasets")
            for ds in _dicts(datasets):
                label = ds.get("dataset")
                if not isinstance(name, str) or not isinstance(label, str):
                    continue
                board = wanted.get((name, label))
                if board is not None and board not in found:
                    sota = ds.get("sota")
                    rows = sota.get("rows") if isinstance(sota, dict) else None
                    if not isinstance(rows, list):
                        raise DataFormatError(
                            f"leaderboard {board.label!r}: 'sota.rows' should be a list of "
                            f"entries, found {type(rows).__name__ if rows is not None else 'none'}"
                            " (malformed or truncated file?)",
                            path=path,
                        )
                    found[board] = rows
            below.extend(_dicts(task.get("subtasks")))
        level = below
    return {b: found[b] for b in boards if b in found}


def _dicts(items: Any) -> list[dict[str, Any]]:
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def leaderboard_batch(
    source: str, path: Path, sha: str, board: Leaderboard, entries: list[Any]
) -> ImportBatch:
    """One leaderboard's entries as results of ``board.benchmark``."""
    benchmark = get_benchmark(board.benchmark)
    batch = ImportBatch(source=source, import_key=f"{source}:{board.benchmark}",
                            path=str(path), sha256=sha)
    where = str(path)
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        def fail(message: str, column: str | None = None, _i: int = index,
                 _e: Any = entry) -> DataFormatError:
            name = _e.get("model_name") if isinstance(_e, dict) else None
            return DataFormatError(
                f"leaderboard {board.label!r}, entry {_i}"
                + (f" ({quote(name)})" if isinstance(name, str) and name else "")
                + f": {message}",
                path=where, column=column,
            )

        if not isinstance(entry, dict) or not isinstance(entry.get("metrics") or {}, dict):
            raise fail("expected an entry with 'model_name' and a 'metrics' mapping")
        for key in ("model_name", "paper_title", "paper_url", "paper_date"):
            if not isinstance(entry.get(key), str | None):
                raise fail(f"{key!r} should be text, found {type(entry[key]).__name__}", key)
        model = " ".join(str(entry.get("model_name") or "").split())
        if not model:
            batch.skip("entries without a model name")
            continue
        metrics = entry.get("metrics") or {}
        score = _value(metrics.get(board.headline), fail, board.headline)
        if score is None:
            batch.skip(f"entries without the headline metric {board.headline!r}")
            continue
        error = benchmark.error_from_score(score)
        if not 0 < error < 1:
            batch.skip(f"entries whose {board.headline} of 0 or ≥ 100 gives no usable error")
            continue
        title = str(entry.get("paper_title") or "").strip() or None
        url = str(entry.get("paper_url") or "").strip() or None
        if title and re.match(r"https?://\S+$", title):
            title, url = None, url or title  # the SQuAD scrape puts the link in the title
        rid = result_id(source, board.benchmark, model, title or url)
        if rid in seen:
            batch.skip("repeated entries of a model (kept the first)")
            continue
        seen.add(rid)
        date = _date(entry.get("paper_date"), fail)
        secondary = {k: _value(metrics.get(col), fail, col)
                     for k, col in board.secondary.items()}
        parameters = (_value(metrics.get(board.parameters), fail, board.parameters,
                             suffix=True) if board.parameters else None)
        attributes: dict[str, Any] = {"leaderboard": board.label, "leaderboard_rank": index}
        if "uses_additional_data" in entry:
            extra = entry["uses_additional_data"]
            if not isinstance(extra, bool | None):
                raise fail(f"expected true or false, found {quote(extra)}",
                           "uses_additional_data")
            attributes["uses_additional_data"] = extra
        batch.add_result(
            {
                "benchmark": board.benchmark, "task": benchmark.task,
                "metric": benchmark.metric, "score": score, "error": error,
                "date": date, "year": date.year if date else None, "model": model,
                "paper_title": title, "paper_url": url, "parameters": parameters,
                "metrics": {k: v for k, v in secondary.items() if v is not None},
                "attributes": attributes,
            },
            source_row=index,
        )
    return batch


def _value(raw: Any, fail: Fail, column: str, *, suffix: bool = False) -> float | None:
    """A metric as the dump writes it: ``"88.5%"``, ``" 66.7"``, ``"480M"`` (with ``suffix``)."""
    if raw is None or isinstance(raw, bool):
        if isinstance(raw, bool):
            raise fail(f"expected a number, found {quote(raw)}", column)
        return None
    if isinstance(raw, int | float):
        try:
            number = float(raw)
        except OverflowError:  # an integer beyond any float
            number = math.inf
    elif isinstance(raw, str):
        text = raw.strip().rstrip("%").strip()
        if not text or text in {"-", "—"}:
            return None
        m = _NUMBER.match(text)
        if m is None or (m.group(2) and not suffix):
            raise fail(f"expected a number, found {quote(raw)}", column)
        number = float(m.group(1)) * _SUFFIX[m.group(2).lower()]
    else:
        raise fail(f"expected a number, found {type(raw).__name__}", column)
    if not math.isfinite(number) or number < 0:
        raise fail(f"expected a non-negative finite number, found {quote(raw)}", column)
    return number


def _date(raw: Any, fail: Fail) -> dt.date | None:
    if raw in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(raw).strip()[:10])
    except ValueError:
        raise fail(f"expected a date YYYY-MM-DD, found {quote(raw)}", "paper_date") from None
