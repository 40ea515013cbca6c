"""Fuzz every importer with malformed variants of the real files: one line, or a correct import.

A seeded mutator derives each case from a small sample of a real public file (the shared data)
by byte edits (truncation, deletion, duplication, random bytes, flipped bits) and by
format-aware edits (a cell or JSON value replaced by a hostile one: a 5,000-digit integer,
``inf``, deep nesting, a formula, a list where text belongs; a stray comma, a dropped line
break, an unclosed quote). For every case the import must either succeed with valid rows or
raise a :class:`DlcostError` whose message is one line, short, and not "unexpected"; after an
error the store must be exactly as before.

The suite runs :data:`CASES` cases per importer (a few seconds each). Run more with
``DLCOST_FUZZ_CASES=2000 pytest -s tests/store/test_fuzz_importers.py``; ``-s`` prints the
outcome counts per importer. ``DLCOST_FUZZ_SEED`` changes the seed.
"""

from __future__ import annotations

import collections
import csv
import gzip
import io
import json
import math
import os
import random
from pathlib import Path
from typing import Any

import pytest

from dlcost.exceptions import DlcostError
from dlcost.store import ResultsDB
from dlcost.store.importers import import_file

CASES = int(os.environ.get("DLCOST_FUZZ_CASES", "20"))
SEED = int(os.environ.get("DLCOST_FUZZ_SEED", "0"))
#: Longest error line accepted: a path, the format's list of missing columns (at most 17
#: names) and a hint, or a short excerpt of the input, never a whole cell or file.
MAX_MESSAGE = 1000

HOSTILE_VALUES: tuple[Any, ...] = (
    "", "nan", "inf", "-inf", "-1", "0", "1e400", "9" * 5000, "=cmd|' /C calc'!A0",
    "\u202eevil", "\x00", "[" * 50, "2021-13-45", "NaN%", "1,2,3", "\"", "\n",
    10 ** 400, -(10 ** 30), 1.5, True, None, [], {}, [[[]]], {"a": {"b": [1]}},
)


# --- seeds: small samples of the real files ---------------------------------------------------


def _csv_sample(path: Path, n: int, skip: int = 0) -> bytes:
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows[:1 + skip + n])
    return out.getvalue().encode()


def _squad_sample(path: Path, n: int) -> dict[str, Any]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    for task in doc:
        for ds in task.get("datasets", []):
            if ds.get("sota", {}).get("rows"):
                ds["sota"]["rows"] = ds["sota"]["rows"][:n]
    return {"tasks": doc}


def _pwc_sample(path: Path, n: int) -> dict[str, Any]:
    from dlcost.store.importers.pwc import LEADERBOARDS

    wanted = {(b.task, b.dataset) for b in LEADERBOARDS}
    tasks = json.loads(gzip.decompress(path.read_bytes()))
    kept: list[dict[str, Any]] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for task in items:
            boards = [ds for ds in task.get("datasets", [])
                      if (task.get("task"), ds.get("dataset")) in wanted]
            for ds in boards:
                ds["sota"]["rows"] = ds["sota"]["rows"][:n]
            if boards:
                kept.append({"task": task["task"], "datasets": boards, "subtasks": []})
            walk(task.get("subtasks", []))

    walk(tasks)
    return {"tasks": kept}


def _points_js(path: Path, n: int) -> bytes:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows = [r for r in rows if r["benchmark_key"] == "imagenet"][:n]
    items = ",\n".join(
        f"  {{index: {r['source_row_index']}, year: {r['year']}, model: "
        f"{json.dumps(r['model'])}, hardware_burden: {r['hardware_burden_gflop']}, "
        f"accuracy: {r['accuracy']}}}" for r in rows)
    return f"export default [\n{items},\n];\n".encode()


def seeds(raw: Path) -> dict[str, tuple[str, Any]]:
    """Importer → (file name, seed content: bytes, or a JSON document to mutate)."""
    epoch = raw / "epoch_ai_models" / "all_ai_models.csv"
    builtin = Path(__file__).resolve().parents[2] / "src/dlcost/data/builtin/conll2003.yaml"
    return {
        "futuretech": ("machine-translation-on-wmt2014-en-de.csv",
                       (raw / "futuretech_2022/machine-translation-on-wmt2014-en-de.csv")
                       .read_bytes()),
        "epoch": ("all_ai_models.csv", _csv_sample(epoch, 25)),
        "epoch-hardware": ("ml_hardware.csv",
                           _csv_sample(raw / "epoch_ml_hardware/ml_hardware.csv", 25)),
        "epoch-benchmarks": ("external_benchmark_mmlu.csv", _csv_sample(
            raw / "epoch_benchmarks/external_benchmark_mmlu.csv", 40)),
        "epoch-prices": ("hardware_prices.csv",
                         _csv_sample(raw / "epoch_training_cost_trends/hardware_prices.csv",
                                     40)),
        "pwc": ("evaluation-tables.json",
                _pwc_sample(raw / "pwc_2020/evaluation-tables_2020-08-28.json.gz", 8)),
        "squad": ("squad.json",
                  _squad_sample(raw / "pwc_sota_extractor/squad_leaderboard_2021-05-20.json",
                                30)),
        "computerprogress": ("points.csv", (raw / "computerprogress_thompson/"
                             "computerprogress_hardware_burden_points_2021.csv").read_bytes()),
        "computerprogress-js": ("imagenet_data.js", _points_js(
            raw / "computerprogress_thompson/computerprogress_hardware_burden_points_2021.csv",
            13)),
        "builtin": ("conll2003.yaml", builtin.read_bytes()),
    }


# --- mutations ---------------------------------------------------------------------------------


def _bytes_mutation(data: bytes, rng: random.Random) -> bytes:
    n = len(data)
    i, j = sorted(rng.randrange(n + 1) for _ in range(2))
    kind = rng.randrange(7)
    if kind == 0:
        return data[:i]  # truncated
    if kind == 1:
        return data[:i] + data[j:]  # a span deleted
    if kind == 2:
        return data[:j] + data[i:j] + data[j:]  # a span duplicated
    if kind == 3:
        return data[:i] + rng.randbytes(rng.randrange(1, 16)) + data[i:]
    if kind == 4:
        out = bytearray(data)
        for _ in range(rng.randrange(1, 8)):
            k = rng.randrange(n)
            out[k] ^= 1 << rng.randrange(8)
        return bytes(out)
    if kind == 5:
        return data.rstrip(b"\n")
    return data[:i] + rng.choice([b",", b"\"", b"\n", b"\r", b"{", b"]", b"\x00"]) + data[i:]


def _csv_mutation(data: bytes, rng: random.Random) -> bytes:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    r = rng.randrange(len(rows))
    kind = rng.randrange(4)
    if kind == 0 and rows[r]:
        c = rng.randrange(len(rows[r]))
        value = rng.choice(HOSTILE_VALUES)
        rows[r][c] = value if isinstance(value, str) else json.dumps(value)
    elif kind == 1 and rows[r]:
        rows[r].pop(rng.randrange(len(rows[r])))  # a missing field
    elif kind == 2:
        rows[r].append("stray")
    else:
        rows.insert(rng.randrange(len(rows) + 1), list(rows[r]))  # a duplicated row
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def _nodes(doc: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(doc, dict):
        for k, v in doc.items():
            found.extend(_nodes(v, (*path, k)))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            found.extend(_nodes(v, (*path, i)))
    return found


def _json_mutation(doc: dict[str, Any], rng: random.Random) -> bytes:
    tasks = json.loads(json.dumps(doc["tasks"]))
    nodes = _nodes(tasks)[1:]
    target = rng.choice(nodes)
    parent = tasks
    for key in target[:-1]:
        parent = parent[key]
    kind = rng.randrange(3)
    if kind == 0:
        parent[target[-1]] = rng.choice(HOSTILE_VALUES)
    elif kind == 1 and isinstance(parent, dict):
        del parent[target[-1]]
    else:
        deep: Any = 1
        for _ in range(rng.choice([10, 500, 5000])):
            deep = [deep]
        parent[target[-1]] = deep
    try:
        text = json.dumps(tasks)
    except RecursionError:  # too deep for the encoder: wrap the document in brackets instead
        text = "[" * 5000 + json.dumps(doc["tasks"]) + "]" * 5000
    return text.encode()


def mutate(seed: Any, rng: random.Random, *, is_csv: bool) -> bytes:
    if isinstance(seed, dict):  # a JSON document
        if rng.random() < 0.6:
            data = _json_mutation(seed, rng)
        else:
            data = _bytes_mutation(json.dumps(seed["tasks"]).encode(), rng)
        return gzip.compress(data, mtime=0) if rng.random() < 0.2 else data
    if is_csv and rng.random() < 0.5:
        try:
            return _csv_mutation(seed, rng)
        except (csv.Error, UnicodeDecodeError):
            pass
    return _bytes_mutation(seed, rng)


# --- the check ---------------------------------------------------------------------------------


def _valid_store(db: ResultsDB) -> None:
    """What a correct import leaves: finite numbers, errors in range, a name per row."""
    results = db.results(sources=["all"]) if db.sources() else None
    if results is not None and len(results):
        assert results["model"].map(lambda m: isinstance(m, str) and m.strip() != "").all()
        from dlcost.benchmarks import BENCHMARKS

        paper = results["benchmark"].isin(list(BENCHMARKS))
        errors = results.loc[paper, "error"].dropna()  # the paper's six: error in (0, 1)
        assert ((errors > 0) & (errors < 1)).all()
        scores = results.loc[~paper, "error"].dropna()  # LM benchmarks: 0 % and 100 % happen
        assert ((scores >= 0) & (scores <= 1)).all()
        for col in ("score", "parameters", "hardware_burden", "training_compute"):
            values = results[col].dropna()
            assert values.map(math.isfinite).all(), col
    hardware = db.hardware()
    for col in ("peak_fp32_flop_per_s", "tdp_w"):
        assert (hardware[col].dropna() > 0).all()


def fuzz(fmt_key: str, name: str, seed: Any, cases: int, folder: Path,
         rng: random.Random) -> collections.Counter[str]:
    """Run ``cases`` mutated imports; return outcome counts; fail on any wrong outcome."""
    fmt = fmt_key.removesuffix("-js")
    db = ResultsDB(":memory:", builtin=False)
    path = folder / name
    path.write_bytes(seed if isinstance(seed, bytes) else json.dumps(seed["tasks"]).encode())
    import_file(db, fmt, path)  # the store holds the real sample first
    outcomes: collections.Counter[str] = collections.Counter()
    is_csv = name.endswith(".csv")
    for case in range(cases):
        data = mutate(seed, rng, is_csv=is_csv)
        path.write_bytes(data)
        before = db.snapshot()
        try:
            summary = import_file(db, fmt, path)
        except DlcostError as exc:
            message = str(exc)
            assert "\n" not in message, (case, message)
            assert len(message) <= MAX_MESSAGE, (case, message[:200])
            assert not message.lower().startswith("unexpected"), (case, message)
            assert db.snapshot() == before, (case, message)
            outcomes[f"refused: {type(exc).__name__}"] += 1
        except Exception as exc:  # pragma: no cover - the failure this test looks for
            (folder / f"crash-{case}-{name}").write_bytes(data)
            raise AssertionError(f"{fmt} case {case}: unexpected {type(exc).__name__}: "
                                 f"{str(exc)[:300]} (input kept in {folder})") from exc
        else:
            _valid_store(db)
            outcomes["imported" if summary.rows else "imported 0 rows"] += 1
    return outcomes


FORMATS = ["futuretech", "epoch", "epoch-hardware", "epoch-prices", "epoch-benchmarks", "pwc",
           "squad", "computerprogress", "computerprogress-js", "builtin"]


@pytest.fixture(scope="module")
def seed_files(shared_data: Path) -> dict[str, tuple[str, Any]]:
    return seeds(shared_data)


@pytest.mark.parametrize("fmt", FORMATS)
def test_fuzz_importer(fmt: str, seed_files: dict[str, tuple[str, Any]],
                       tmp_path: Path) -> None:
    name, seed = seed_files[fmt]
    rng = random.Random(f"{SEED}:{fmt}")
    outcomes = fuzz(fmt, name, seed, CASES, tmp_path, rng)
    assert sum(outcomes.values()) == CASES
    print(f"\nfuzz {fmt}: {CASES} cases, seed {SEED}: {dict(sorted(outcomes.items()))}")


def test_every_import_format_is_fuzzed() -> None:
    from dlcost.store.importers import FORMATS as IMPORT_FORMATS

    assert set(IMPORT_FORMATS) == {f.removesuffix("-js") for f in FORMATS}
