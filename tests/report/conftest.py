"""A report built once per session on the embedded data plus one hostile result.

The hostile result (source ``test``) has HTML in its model name and paper title and a
``javascript:`` URL, so every test of the built page also tests escaping. The simulation runs
with a handful of repetitions: the tests check the report's plumbing, not the simulation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

XSS_MODEL = "<img src=x onerror=alert(1)>"
XSS_TITLE = "</script><script>alert(2)</script> A paper"
XSS_URL = "javascript:alert(3)"
SIMULATION_REPS = 3


def small_store() -> Any:
    """A store of twelve ImageNet results on one chip type (error a power of the burden)."""
    from dlcost.compute.durations import parse_duration
    from dlcost.compute.estimates import ChipUse, Phase
    from dlcost.store import ResultsDB
    from dlcost.store.batch import ImportBatch

    rng = np.random.default_rng(0)
    batch = ImportBatch(source="small", import_key="small", path=None, sha256="0" * 64)
    for i in range(12):
        days = 2.0 ** (i / 2)
        error = 0.45 * days ** -0.12 * float(np.exp(rng.normal(0, 0.02)))
        rid = batch.add_result({
            "benchmark": "imagenet", "task": "image classification", "metric": "top1",
            "model": f"model {i}", "score": 100 * (1 - error), "error": error,
            "split": "val", "year": 2012 + i, "date": f"{2012 + i}-06-01",
        })
        phases = [Phase(examples=1.28e6, epochs=90, time=parse_duration(f"{days:g} days"),
                        chips=(ChipUse("GTX 580", 2, 1.58e12),))]
        batch.add_phases(rid, phases)
        batch.add_estimates(rid, phases, 1e9)
    db = ResultsDB(":memory:")
    db.write(batch)
    return db


def add_hostile_result(db_path: Path) -> None:
    """Write one ImageNet result with hostile strings (source ``test``) into the store."""
    from dlcost.compute.durations import parse_duration
    from dlcost.compute.estimates import ChipUse, Phase
    from dlcost.store import open_db
    from dlcost.store.batch import ImportBatch

    batch = ImportBatch(source="test", import_key="test", path=None, sha256="0" * 64)
    rid = batch.add_result({
        "benchmark": "imagenet", "task": "image classification", "metric": "top1",
        "model": XSS_MODEL, "paper_title": XSS_TITLE, "paper_url": XSS_URL,
        "score": 70.0, "error": 0.30, "split": "val", "year": 2021, "date": "2021-06-01",
    })
    # Far from every real result (huge compute, modest accuracy), so a test can hover it.
    phases = [Phase(examples=1.28e6, epochs=90, time=parse_duration("300 days"),
                    chips=(ChipUse("GTX 580", 4096, 1.58e12),))]
    batch.add_phases(rid, phases)
    batch.add_estimates(rid, phases, 4e9)
    with open_db(db_path) as db:
        db.write(batch)


@pytest.fixture(scope="session")
def report_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the builtin data and the hostile ``test`` result."""
    path = tmp_path_factory.mktemp("report-db") / "report.duckdb"
    add_hostile_result(path)
    return path


def build(db_path: Path, out_dir: Path, cache_dir: Path, *, seed: int = 0) -> object:
    from dlcost.report import ReportSettings, build_report

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DLCOST_CACHE_DIR", str(cache_dir))
        return build_report(ReportSettings(
            out_dir=out_dir, sources=("builtin", "test"), seed=seed, db_path=db_path,
            simulation_reps=SIMULATION_REPS,
        ))


@pytest.fixture(scope="session")
def hostile() -> dict[str, str]:
    """The hostile strings of the ``test`` result: model, title, url."""
    return {"model": XSS_MODEL, "title": XSS_TITLE, "url": XSS_URL}


@pytest.fixture(scope="session")
def rebuild(report_db: Path) -> object:
    """Build the report of :func:`report_db` again: ``rebuild(out_dir, cache_dir, seed=0)``."""
    return lambda out_dir, cache_dir, seed=0: build(report_db, out_dir, cache_dir, seed=seed)


@pytest.fixture(scope="session")
def built_report(report_db: Path, tmp_path_factory: pytest.TempPathFactory) -> object:
    """The report of :func:`report_db`, seed 0 (a :class:`dlcost.report.ReportResult`)."""
    root = tmp_path_factory.mktemp("report")
    return build(report_db, root / "out", root / "cache")
