"""Readers never block readers: commands run while other processes hold the store open.

Each command runs in its own process, as a user's would: a notebook holding
``ResultsDB(read_only=True)``, a DuckDB session holding a read-only connection, and several
``dlcost`` commands at once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dlcost.store import ResultsDB
from dlcost.store.batch import ImportBatch

BIDI_MODEL = "Evil\u202eNet"

HOLDER = textwrap.dedent("""
    import sys, duckdb
    from dlcost.store import ResultsDB
    notebook = ResultsDB(sys.argv[1], read_only=True)   # what a notebook should hold
    session = duckdb.connect(sys.argv[1], read_only=True)  # a reader that keeps a lock
    assert notebook.count() > 0 and session.execute("SELECT count(*) FROM results").fetchone()
    print("holding", flush=True)
    sys.stdin.read()  # until the test closes our stdin
""")


def _dlcost(*args: str, db: Path, tmp: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, DLCOST_DB=str(db), DLCOST_CACHE_DIR=str(tmp / "cache"),
               COLUMNS="200", DLCOST_LOCK_TIMEOUT="120")
    return subprocess.Popen([sys.executable, "-m", "dlcost", *args], env=env, cwd=tmp,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=900)
    return proc.returncode, out, err


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """The builtin data plus one result with a right-to-left override in its name."""
    from dlcost.compute.durations import parse_duration
    from dlcost.compute.estimates import ChipUse, Phase

    path = tmp_path / "shared.duckdb"
    batch = ImportBatch(source="test", import_key="test", path=None, sha256="0" * 64)
    rid = batch.add_result({"benchmark": "imagenet", "task": "image classification",
                            "metric": "top1", "model": BIDI_MODEL, "score": 60.0, "error": 0.4,
                            "year": 2015, "date": "2015-06-01"})
    phases = [Phase(examples=1.28e6, epochs=90, time=parse_duration("30 days"),
                    chips=(ChipUse("GTX 580", 64, 1.58e12),))]
    batch.add_phases(rid, phases)
    batch.add_estimates(rid, phases, 4e9)
    with ResultsDB(path, builtin=True) as db:
        db.write(batch)
    return path


def test_list_fit_and_report_run_while_the_store_is_held_for_reading(
    store: Path, tmp_path: Path
) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(store)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        procs = {
            "list": _dlcost("data", "list", "--json", db=store, tmp=tmp_path),
            "fit": _dlcost("fit", "imagenet", "--data", "builtin", "--json", db=store,
                           tmp=tmp_path),
            "report": _dlcost("report", "--data", "builtin,test", "--out",
                              str(tmp_path / "report"), "--json", db=store, tmp=tmp_path),
        }
        results = {name: _finish(p) for name, p in procs.items()}
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)
    for name, (code, _, err) in results.items():
        assert code == 0, f"{name}: {err}"
    listed = json.loads(results["list"][1])
    assert BIDI_MODEL in {r["model"] for r in listed}
    assert json.loads(results["fit"][1])
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "\u202e" not in page  # the report replaces bidi overrides from the data
    assert "Evil\ufffdNet" in page
    assert holder.returncode == 0


@pytest.mark.parametrize("n", [2, 4, 8])
def test_concurrent_lists_all_succeed(store: Path, tmp_path: Path, n: int) -> None:
    procs = [_dlcost("data", "list", "-s", "builtin", "--json", "--limit", "3", db=store,
                     tmp=tmp_path)
             for _ in range(n)]
    results = [_finish(p) for p in procs]
    assert [code for code, _, _ in results] == [0] * n, [err for _, _, err in results]
    assert all(len(json.loads(out)) == 3 for _, out, _ in results)


def test_import_waits_for_a_reader_and_names_a_writer(store: Path, tmp_path: Path,
                                                      shared_data: Path) -> None:
    hold = textwrap.dedent("""
        import sys, duckdb
        con = duckdb.connect(sys.argv[1])
        print("holding", flush=True)
        sys.stdin.read()
    """)
    writer = subprocess.Popen([sys.executable, "-c", hold, str(store)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "holding"
        env = dict(os.environ, DLCOST_DB=str(store), DLCOST_LOCK_TIMEOUT="0.5")
        points = (shared_data / "computerprogress_thompson"
                  / "computerprogress_hardware_burden_points_2021.csv")
        result = subprocess.run(
            [sys.executable, "-m", "dlcost", "data", "import", "computerprogress", str(points)],
            env=env, capture_output=True, text=True, timeout=300, check=False)
    finally:
        assert writer.stdin is not None
        writer.stdin.close()
        writer.wait(timeout=60)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"Note: waiting up to 0.5 s for the results store {store}, "
                               f"which process {writer.pid} (")
    assert lines[1].startswith(f"Error: the results store {store} is in use by process "
                               f"{writer.pid} (")
    assert len(lines) == 2
