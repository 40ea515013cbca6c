"""The shipped ``builtin`` dataset: curated landmark results in ``dlcost/data/builtin/*.yaml``.

The YAML files hold primary facts only (scores, forward-pass cost, per-phase data and
hardware, each with where it stands in the paper); compute is derived here by dlcost's
estimators. :func:`dlcost.store.seeding.seed_builtin` loads the dataset under the import key
``builtin`` and reloads it whenever the files change, so a fresh install has data without a
download.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
from importlib import resources
from pathlib import Path
from typing import Any

from dlcost import __version__
from dlcost.benchmarks import BENCHMARKS, get_benchmark
from dlcost.compute.estimates import PHASES, Phase, phases_from_mapping
from dlcost.exceptions import DataFormatError, DlcostError
from dlcost.store.batch import ImportBatch, check_error
from dlcost.store.inputs import decode_text, quote, read_input
from dlcost.units import multiply_adds_to_flop

SOURCE = "builtin"
#: Fields of a row that are identifiers or descriptions, not facts needing a location.
NOT_FACTS = frozenset({"model", "paper", "source", "url", "split", "extra_data", "notes",
                       "facts", "phases", "ops_unit", "date"})
PHASE_FIELDS = frozenset({"phase", "dataset", "examples", "epochs", "steps", "batch_size",
                          "ops_per_pass", "chip", "chip_count", "time"})
ROW_FIELDS = NOT_FACTS | {"score", "metrics", "parameters", "ops_per_pass"}
REQUIRED = ("model", "paper", "source", "url", "date", "score", "split")
#: Benchmarks whose models are language models (Epoch's 0.3 default utilization applies).
LANGUAGE_BENCHMARKS = frozenset({"squad1.1", "conll2003", "wmt14-en-fr", "wmt14-en-de"})


def data_files() -> list[Path]:
    """The shipped YAML files, one per benchmark, in benchmark order."""
    folder = resources.files("dlcost.data") / "builtin"
    files = [Path(str(folder / f"{b}.yaml")) for b in BENCHMARKS]
    return [f for f in files if f.exists()]


def _fingerprint(files: list[Path]) -> str:
    digest = hashlib.sha256(__version__.encode())
    for f in files:
        digest.update(f.name.encode())
        digest.update(f.read_bytes())
    return digest.hexdigest()


def fingerprint() -> str:
    """SHA-256 of the shipped files and the dlcost version: changes when either does."""
    return _fingerprint(data_files())


def shipped_batch(fingerprint: str) -> ImportBatch:
    """The shipped dataset as one batch under the import key ``builtin`` (seeded by
    :func:`dlcost.store.seeding.seed_builtin`)."""
    return _parsed(tuple(data_files()), fingerprint)


@functools.lru_cache(maxsize=2)
def _parsed(files: tuple[Path, ...], fingerprint: str) -> ImportBatch:
    """Parse once per process and fingerprint (stores are often opened many times)."""
    return dataclasses.replace(parse_files(list(files)), sha256=fingerprint)


def parse(path: Path) -> list[ImportBatch]:
    """Import format ``builtin``: a folder of YAML files in the builtin schema, or one file."""
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    return [parse_files(files, import_key=f"{SOURCE}:{path.name}")]


def parse_files(files: list[Path], *, import_key: str = SOURCE) -> ImportBatch:
    """Parse and validate the YAML files into one batch (all or nothing)."""
    import yaml

    # libyaml's C loader is ~10× faster than the pure-Python one; both are "safe" loaders.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    batch = ImportBatch(source=SOURCE, import_key=import_key, path=None,
                        sha256=_fingerprint(files))
    for path in files:
        text = decode_text(read_input(path), path=str(path), expected="a YAML file")
        try:
            doc = yaml.load(text, Loader=loader)
        except RecursionError:
            raise DataFormatError("the YAML is nested too deeply", path=str(path)) from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise DataFormatError(f"invalid YAML: {getattr(exc, 'problem', exc)}", path=str(path),
                                  row=mark.line + 1 if mark else None) from None
        if not isinstance(doc, dict) or "results" not in doc or "benchmark" not in doc:
            raise DataFormatError("expected a mapping with 'benchmark' and 'results'",
                                  path=str(path))
        benchmark = get_benchmark(doc["benchmark"])
        for index, row in enumerate(doc["results"] or [], start=1):
            _add_row(batch, benchmark.id, row, str(path), index)
    return batch


def _add_row(batch: ImportBatch, benchmark_id: str, row: Any, path: str, index: int) -> None:
    """Validate one YAML row and add it with its phases and estimates."""
    benchmark = get_benchmark(benchmark_id)
    where: dict[str, Any] = {"path": path, "row": index}
    if not isinstance(row, dict):
        raise DataFormatError("a result must be a mapping", **where)
    for key in REQUIRED:
        if row.get(key) in (None, ""):
            raise DataFormatError(f"result {quote(row.get('model', '?'))} lacks {key!r}",
                                  column=key, **where)
    unknown = set(row) - ROW_FIELDS
    if unknown:
        raise DataFormatError(f"unknown field(s) {', '.join(sorted(unknown))}", **where)
    facts = row.get("facts") or {}
    _check_facts(row, facts, where)
    score = _positive(row["score"], "score", where)
    error = check_error(benchmark.error_from_score(score), column="score", **where)
    date = row["date"]
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            raise DataFormatError(f"date {quote(date)} is not YYYY-MM-DD", column="date",
                                  **where) from None
    if not isinstance(date, dt.date):
        raise DataFormatError(f"date {quote(date)} is not YYYY-MM-DD", column="date", **where)
    ops_unit = row.get("ops_unit", "flop")
    if ops_unit not in ("flop", "multiadds"):
        raise DataFormatError(f"ops_unit must be flop or multiadds, not {quote(ops_unit)}",
                              column="ops_unit", **where)

    def to_flop(value: Any, column: str) -> float | None:
        if value is None:
            return None
        v = _positive(value, column, where)
        return multiply_adds_to_flop(v) if ops_unit == "multiadds" else v

    ops = to_flop(row.get("ops_per_pass"), "ops_per_pass")
    phase_rows = []
    for p in row.get("phases") or []:
        if not isinstance(p, dict) or p.get("phase") not in PHASES:
            raise DataFormatError(f"each phase needs 'phase' in {', '.join(PHASES)}",
                                  column="phases", **where)
        extra = set(p) - PHASE_FIELDS
        if extra:
            raise DataFormatError(f"unknown phase field(s) {', '.join(sorted(extra))}",
                                  column="phases", **where)
        q = dict(p)
        if "ops_per_pass" in q:
            q["ops_per_pass_flop"] = to_flop(q.pop("ops_per_pass"), f"{p['phase']}.ops_per_pass")
        for key in ("examples", "epochs", "steps", "batch_size", "chip_count"):
            if q.get(key) is not None:
                q[key] = _positive(q[key], f"{p['phase']}.{key}", where)
        phase_rows.append(q)
    try:
        phases: list[Phase] = phases_from_mapping(phase_rows)
    except DlcostError as exc:
        raise DataFormatError(str(exc), column="phases", **where) from None
    metrics = row.get("metrics") or {}
    rid = batch.add_result(
        {
            "benchmark": benchmark_id, "task": benchmark.task, "metric": benchmark.metric,
            "score": score, "error": error, "split": str(row["split"]),
            "extra_data": row.get("extra_data"), "date": date, "year": date.year,
            "model": str(row["model"]), "paper_title": row["paper"], "paper_url": row["url"],
            "reference": row["source"],
            "parameters": _positive(row["parameters"], "parameters", where)
            if row.get("parameters") is not None else None,
            "ops_per_pass_flop": ops, "metrics": metrics, "facts": facts,
            "attributes": {"ops_unit": ops_unit} if row.get("ops_per_pass") else None,
            "notes": row.get("notes"),
        },
        source_row=index,
    )
    batch.add_phases(rid, phases)
    # A phase without hardware facts is left out when it is a small, stated share of the
    # operations (dlcost.compute.estimates.UNCOUNTED_PHASE_MAX_SHARE): a lower bound.
    batch.add_estimates(rid, phases, ops, language_model=benchmark_id in LANGUAGE_BENCHMARKS,
                        incomplete_phases="bounded")


def _positive(value: Any, column: str, where: dict[str, Any]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        try:
            value = float(str(value).replace(",", ""))
        except ValueError:
            raise DataFormatError(f"expected a number, found {quote(value)}", column=column,
                                  **where) from None
    if not value > 0:
        raise DataFormatError(f"must be positive, found {quote(value)}", column=column, **where)
    return float(value)


def _check_facts(row: dict[str, Any], facts: Any, where: dict[str, Any]) -> None:
    """Every non-null fact needs a location in the paper, or ``assumed: why``."""
    if not isinstance(facts, dict):
        raise DataFormatError("'facts' must be a mapping", column="facts", **where)
    needed = [k for k, v in row.items() if k not in NOT_FACTS and v is not None]
    if "metrics" in needed:
        needed.remove("metrics")
        needed += [f"metrics.{m}" for m, v in (row.get("metrics") or {}).items()
                   if v is not None]
    for p in row.get("phases") or []:
        if isinstance(p, dict):
            needed += [f"{p.get('phase')}.{k}" for k, v in p.items()
                       if k != "phase" and v is not None]
    lacking = [k for k in needed if not str(facts.get(k) or "").strip()]
    if lacking:
        raise DataFormatError(
            f"{quote(row.get('model'))}: no source location for {', '.join(lacking)}; add "
            "'facts: {<field>: \"Table N\"}' or 'assumed: why'",
            column="facts", **where,
        )


def fact_status(facts: dict[str, str], key: str) -> str:
    """``reported``, ``assumed`` or ``missing`` for one fact of a builtin row."""
    value = (facts or {}).get(key)
    if not value:
        return "missing"
    return "assumed" if str(value).strip().lower().startswith("assumed") else "reported"
