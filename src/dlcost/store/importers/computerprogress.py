"""The hardware-burden points the Thompson et al. group published on computerprogress.com.

Origin: github.com/Computer-Progress/computerprogress.com, ``data/<benchmark>_data.js`` at
commit 98079c5 (2021-09-23): six JavaScript modules ``export default [{index, year, model,
hardware_burden, accuracy}, …]``, where ``hardware_burden`` is in GFLOP and ``accuracy`` a
fraction (BLEU/100 for WMT). ``index`` is the row in the group's own spreadsheet: it, not the
model name, identifies a point (Transformer Big appears for its 2017 and its 2018 paper).

Two layouts are read: the origin's JS files (a folder of them, or one), and the CSV made from
them for the shared data (``computerprogress_hardware_burden_points_2021.csv``, values
unchanged). Each point becomes a result with score = accuracy × 100, error = 1 − accuracy
and the group's hardware burden as the *reported* estimate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dlcost.benchmarks import get_benchmark
from dlcost.exceptions import DataFormatError
from dlcost.store.batch import ImportBatch, parse_number, sha256_of
from dlcost.store.importers._csv import read_rows, require_files
from dlcost.store.inputs import MAX_NESTING, decode_text, quote, read_input
from dlcost.units import gflop_to_flop

SOURCE = "computerprogress"
FORMAT_NAME = "computerprogress hardware-burden points"
HINT = (
    "Expected computerprogress_hardware_burden_points_2021.csv, or the data/*_data.js files "
    "of github.com/Computer-Progress/computerprogress.com."
)
#: benchmark key (file stem without ``_data``) → (dlcost benchmark, metric, accuracy label)
BENCHMARK_KEYS: dict[str, tuple[str, str, str]] = {
    "imagenet": ("imagenet", "top1", "Top-1 accuracy (fraction)"),
    "mscoco": ("coco", "box_ap", "Box AP (fraction)"),
    "squad1_1": ("squad1.1", "f1", "F1 (fraction)"),
    "conll2003": ("conll2003", "f1", "F1 (fraction)"),
    "wmt2014_en-fr": ("wmt14-en-fr", "bleu", "BLEU/100"),
    "wmt2014_en-ge": ("wmt14-en-de", "bleu", "BLEU/100"),
}
JS_FILES = tuple(f"{key}_data.js" for key in BENCHMARK_KEYS)
CSV_COLUMNS = ("benchmark_key", "accuracy_metric", "source_row_index", "year", "model",
               "hardware_burden_gflop", "accuracy")
#: JS object key → CSV column
JS_KEYS = {"index": "source_row_index", "year": "year", "model": "model",
           "hardware_burden": "hardware_burden_gflop", "accuracy": "accuracy"}


def parse(path: Path) -> list[ImportBatch]:
    """Parse the CSV, one ``*_data.js`` file, or a folder of the six JS files."""
    if path.is_dir():
        files = require_files(path, JS_FILES, "give the folder of the six computerprogress.com "
                                              "data files, one of them, or the CSV")
        return _batches(files, _js_records)
    if path.suffix == ".js":
        return _batches([path], _js_records)
    return _batches([path], _csv_records)


def _csv_records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    yield from read_rows(path, required=CSV_COLUMNS, format_name=FORMAT_NAME,
                         format_hint=HINT)


def _js_records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Records of one ``<key>_data.js`` in the CSV's column names."""
    key = path.name.removesuffix("_data.js")
    if key not in BENCHMARK_KEYS:
        raise DataFormatError(
            f"unknown computerprogress file name {path.name!r}; expected one of "
            f"{', '.join(JS_FILES)}",
            path=str(path),
        )
    for line, obj in parse_js_export(path):
        missing = [k for k in JS_KEYS if k not in obj]
        if missing:
            raise DataFormatError(f"the point lacks {', '.join(map(repr, missing))}",
                                  path=str(path), row=line, column=missing[0])
        record = {col: obj[k] for k, col in JS_KEYS.items()}
        record.update(benchmark_key=key, accuracy_metric=BENCHMARK_KEYS[key][2])
        yield line, record


def _batches(files: list[Path], records: Any) -> list[ImportBatch]:
    """One batch per benchmark found in ``files``; all or nothing."""
    batches: dict[str, ImportBatch] = {}
    sha = sha256_of(files)
    label = str(files[0].parent) if len(files) > 1 else str(files[0])
    for path in files:
        for line, row in records(path):
            benchmark_id = _benchmark(row, str(path), line)
            batch = batches.setdefault(benchmark_id, ImportBatch(
                source=SOURCE, import_key=f"{SOURCE}:{benchmark_id}", path=label, sha256=sha,
            ))
            _add_point(batch, row, str(path), line)
    return list(batches.values())


def _benchmark(row: dict[str, Any], where: str, line: int) -> str:
    key = str(row["benchmark_key"]).strip()
    if key not in BENCHMARK_KEYS:
        raise DataFormatError(
            f"unknown benchmark key {quote(key)}; expected one of {', '.join(BENCHMARK_KEYS)}",
            path=where, row=line, column="benchmark_key",
        )
    benchmark_id, _, label = BENCHMARK_KEYS[key]
    if str(row["accuracy_metric"]).strip() != label:
        raise DataFormatError(
            f"the accuracy of {quote(key)} should be {label!r}, found "
            f"{quote(row['accuracy_metric'])}",
            path=where, row=line, column="accuracy_metric",
        )
    return benchmark_id


def _add_point(batch: ImportBatch, row: dict[str, Any], where: str, line: int) -> None:
    """Validate one point and add it with the group's hardware burden as reported."""
    def num(col: str, positive: bool = False) -> float | None:
        return parse_number(row.get(col), path=where, row=line, column=col, positive=positive)

    key = str(row["benchmark_key"]).strip()
    benchmark_id, metric, _ = BENCHMARK_KEYS[key]
    model = " ".join(str(row["model"]).split())
    if not model:
        raise DataFormatError("a point has no model name", path=where, row=line,
                              column="model")
    index = num("source_row_index")
    if index is None or index != int(index) or index < 0:
        raise DataFormatError(
            f"expected the spreadsheet row index, found {quote(row['source_row_index'])}",
            path=where, row=line, column="source_row_index")
    year = num("year")
    if year is None or year != int(year) or not 1950 <= year <= 2100:
        raise DataFormatError(f"expected a year, found {quote(row['year'])}",
                              path=where, row=line, column="year")
    burden_gflop = num("hardware_burden_gflop", positive=True)
    accuracy = num("accuracy")
    if accuracy is None or not 0 < accuracy < 1:
        raise DataFormatError(
            "the accuracy must be a fraction in (0, 1) (e.g. 0.827 for 82.7 %, BLEU/100 for "
            f"WMT), found {quote(row['accuracy'])}",
            path=where, row=line, column="accuracy",
        )
    benchmark = get_benchmark(benchmark_id)
    # The spreadsheet row index is the point's identity (several models share a name and no
    # paper is given): it stands in for the paper in the content-derived id.
    rid = batch.add_result(
        {
            "benchmark": benchmark_id, "task": benchmark.task, "metric": metric,
            "score": float(f"{accuracy * 100:.12g}"), "error": 1 - accuracy,
            "year": int(year), "model": model,
            "attributes": {"spreadsheet_row": int(index), "benchmark_key": key},
        },
        source_row=line,
        identity=f"computerprogress.com spreadsheet row {int(index)}",
    )
    batch.add_estimates(
        rid, [], None,
        reported={"hardware_burden": gflop_to_flop(burden_gflop)
                  if burden_gflop is not None else None},
    )


# --- the origin's JavaScript modules ----------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<space>\s+|//[^\n]*|/\*.*?\*/)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<number>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
  | (?P<word>[A-Za-z_$][\w$]*)
  | (?P<punct>[\[\]{}:,;])
    """,
    re.VERBOSE | re.DOTALL,
)
#: Longest number or bare word the JS data may hold (the origin's longest is 22 characters).
MAX_TOKEN = 100
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def parse_js_export(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """The objects of ``export default [ {...}, ... ];`` with the line each starts on.

    Reads the literal subset the data files use (objects, arrays, strings, numbers, true,
    false, null, comments, trailing commas); it evaluates nothing.
    """
    where = str(path)
    text = decode_text(read_input(path), path=where, expected=f"a {FORMAT_NAME} JS file")
    if not text.strip():
        raise DataFormatError(f"the file is empty; expected a {FORMAT_NAME} JS file",
                              path=where)
    tokens: list[tuple[str, str, int]] = []
    pos, line = 0, 1
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise DataFormatError(f"unexpected character {text[pos]!r} in the JS data",
                                  path=where, row=line)
        if m.lastgroup in ("number", "word") and len(m.group()) > MAX_TOKEN:
            raise DataFormatError(
                f"a {m.lastgroup} of {len(m.group())} characters in the JS data; values are "
                f"at most {MAX_TOKEN}", path=where, row=line)
        kind = m.lastgroup or ""
        if kind != "space":
            tokens.append((kind, m.group(), line))
        line += m.group().count("\n")
        pos = m.end()
    return _JsReader(tokens, where, line).export_default()


class _JsReader:
    """A recursive-descent reader over the tokens of one JS data module."""

    def __init__(self, tokens: list[tuple[str, str, int]], where: str, last_line: int) -> None:
        self.tokens = tokens
        self.i = 0
        self.where = where
        self.last_line = last_line
        self.depth = 0

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise DataFormatError(
                f"the JS data is nested more than {MAX_NESTING} levels deep; the "
                f"{FORMAT_NAME} files nest three", path=self.where, row=self.tokens[self.i][2])

    def fail(self, expected: str) -> DataFormatError:
        if self.i < len(self.tokens):
            _, text, line = self.tokens[self.i]
            return DataFormatError(f"expected {expected} in the JS data, found {quote(text)}",
                                   path=self.where, row=line)
        return DataFormatError(
            f"the JS data ends early: expected {expected} (truncated file?)",
            path=self.where, row=self.last_line,
        )

    def peek(self) -> str | None:
        return self.tokens[self.i][1] if self.i < len(self.tokens) else None

    def take(self, text: str) -> int:
        if self.peek() != text:
            raise self.fail(repr(text))
        line = self.tokens[self.i][2]
        self.i += 1
        return line

    def export_default(self) -> list[tuple[int, dict[str, Any]]]:
        self.take("export")
        self.take("default")
        self.take("[")
        items: list[tuple[int, dict[str, Any]]] = []
        while self.peek() != "]":
            if self.peek() != "{":
                raise self.fail("an object")
            line = self.tokens[self.i][2]
            items.append((line, self.obj()))
            if self.peek() != "]":
                self.take(",")
        self.take("]")
        if self.peek() == ";":
            self.i += 1
        if self.i != len(self.tokens):
            raise self.fail("the end of the file")
        return items

    def obj(self) -> dict[str, Any]:
        self.nest()
        self.take("{")
        out: dict[str, Any] = {}
        while self.peek() != "}":
            if self.i >= len(self.tokens):
                raise self.fail("'}'")
            kind, text, _ = self.tokens[self.i]
            if kind not in ("word", "string", "number"):
                raise self.fail("a property name")
            self.i += 1
            key = _unquote(text) if kind == "string" else text
            self.take(":")
            out[key] = self.value()
            if self.peek() != "}":
                self.take(",")
        self.take("}")
        self.depth -= 1
        return out

    def value(self) -> Any:
        if self.i >= len(self.tokens):
            raise self.fail("a value")
        kind, text, _ = self.tokens[self.i]
        if text == "{":
            return self.obj()
        if text == "[":
            self.nest()
            self.i += 1
            items = []
            while self.peek() != "]":
                items.append(self.value())
                if self.peek() != "]":
                    self.take(",")
            self.take("]")
            self.depth -= 1
            return items
        self.i += 1
        if kind == "string":
            return _unquote(text)
        if kind == "number":
            return float(text) if any(c in text for c in ".eE") else int(text)
        if kind == "word" and text in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[text]
        self.i -= 1
        raise self.fail("a value")


def _unquote(literal: str) -> str:
    body = literal[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", body[i + 2:i + 6]):
                out.append(chr(int(body[i + 2:i + 6], 16)))
                i += 6
                continue
            out.append(_ESCAPES.get(nxt, nxt))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)
