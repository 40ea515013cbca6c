"""The shipped data is written to the store's file once, by whichever command first needs it.

Reading commands (``open_db(read_only=True)``) used to seed the shipped datasets into their
in-memory snapshot on every run, never into the file, so every ``dlcost fit`` re-loaded
thousands of rows. Now the first reader brings the file up to date (if it can take it for
writing at once) and every later one only copies it. These tests pin the rule and check that
the numbers read are the same either way.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from dlcost.cli.main import app
from dlcost.store import ResultsDB, open_db, seeding, snapshots

TABLES = ("results", "phases", "estimates", "hardware", "hardware_prices")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _contents(db: ResultsDB) -> dict[str, pd.DataFrame]:
    """Every data table in a fixed order, and the imports without their timestamps."""
    out = {t: db.con.execute(f"SELECT * FROM {t} ORDER BY ALL").df() for t in TABLES}
    out["imports"] = db.con.execute(
        "SELECT * EXCLUDE (imported_at) FROM imports ORDER BY import_key").df()
    return out


def _in_memory_reference(tmp_path: Path) -> ResultsDB:
    """The old way: a snapshot of a missing file, seeded in memory only."""
    return ResultsDB(tmp_path / "never-created.duckdb", read_only=True, builtin=True)


def test_a_reader_writes_the_shipped_data_once(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "sub" / "store.duckdb"
    with open_db(path, read_only=True) as db:
        assert db.count("builtin") > 0
        first = db.results(sources=["all"])
    assert path.exists()
    with ResultsDB(path, read_only=True) as plain:  # the file itself is current now
        assert seeding.pending(plain) == []
    before = _digest(path)

    def refuse(*_args: object, **_kwargs: object) -> int:
        raise AssertionError("a current store was seeded again")

    monkeypatch.setattr(seeding.Seeder, "load", refuse)
    monkeypatch.setattr(snapshots.SnapshotSeeder, "load", refuse)
    with open_db(path, read_only=True) as again:
        pd.testing.assert_frame_equal(again.results(sources=["all"]), first)
    assert _digest(path) == before  # the second reader only read


def test_a_store_seeded_in_the_file_reads_as_one_seeded_in_memory(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    with open_db(path, read_only=True) as new, _in_memory_reference(tmp_path) as old:
        for table, frame in _contents(old).items():
            pd.testing.assert_frame_equal(_contents(new)[table], frame, obj=table)
        pd.testing.assert_frame_equal(new.results(sources=["all"]), old.results(sources=["all"]))
        pd.testing.assert_frame_equal(new.results(), old.results())
        pd.testing.assert_frame_equal(new.phases(), old.phases())


def test_plain_read_only_opening_still_never_writes(tmp_path: Path) -> None:
    missing = tmp_path / "sub" / "fresh.duckdb"
    with ResultsDB(missing, read_only=True, builtin=True) as db:
        assert db.count("builtin") > 0
    assert not missing.parent.exists()
    with open_db(missing, read_only=True, seed_data=False) as db:  # nothing to seed: no file
        assert db.count() == 0
    assert not missing.parent.exists()


HOLD = textwrap.dedent("""
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print("holding", flush=True)
    sys.stdin.read()
""")


def test_a_held_store_is_seeded_in_memory_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    ResultsDB(path).close()  # migrated, not seeded
    before = _digest(path)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        waits: list[str] = []
        with open_db(path, read_only=True, on_wait=waits.append) as db, \
                _in_memory_reference(tmp_path) as old:
            pd.testing.assert_frame_equal(db.results(sources=["all"]),
                                          old.results(sources=["all"]))
        assert waits == []  # the reader did not wait for the file
        assert _digest(path) == before
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)
    with open_db(path, read_only=True):  # free again: the next reader seeds the file
        pass
    with ResultsDB(path, read_only=True) as plain:
        assert seeding.pending(plain) == []


def test_fit_json_is_the_same_from_a_file_or_a_memory_seeded_store(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()

    def fit(db: Path) -> str:
        result = runner.invoke(app, ["--db", str(db), "fit", "imagenet", "--json"])
        assert result.exit_code == 0, result.stderr
        return result.stdout

    path = tmp_path / "store.duckdb"
    seeded_in_file = fit(path)  # creates and seeds the file, then reads it
    from_the_file = fit(path)  # only reads
    with monkeypatch.context() as m:  # the old way: never update the file
        m.setattr(seeding, "update_file_now", lambda path: False)
        m.setenv("DLCOST_DISK_CACHE", "0")
        in_memory = fit(tmp_path / "other.duckdb")
    assert not (tmp_path / "other.duckdb").exists()
    assert seeded_in_file == from_the_file == in_memory
    assert json.loads(in_memory)["fits"][0]["benchmark"] == "imagenet"


def test_the_attached_copy_equals_the_table_by_table_copy(tmp_path: Path) -> None:
    from dlcost.store import files

    path = tmp_path / "store.duckdb"
    open_db(path).close()
    with ResultsDB(path, read_only=True) as attached:
        expected = _contents(attached)
        schema = attached.con.execute(
            "SELECT table_name, sql FROM duckdb_tables() WHERE database_name = 'memory' "
            "ORDER BY table_name").fetchall()
    memory = duckdb.connect(":memory:", config=dict(files.DUCKDB_CONFIG))
    # the path taken when this process already has the file open: one table at a time
    con = files.copy_table_by_table(memory, path, None, None)
    arrow = ResultsDB(":memory:")
    arrow.con.close()
    arrow.con = con
    assert con.execute("SELECT table_name, sql FROM duckdb_tables() WHERE database_name = "
                       "'memory' ORDER BY table_name").fetchall() == schema
    for table, frame in _contents(arrow).items():
        pd.testing.assert_frame_equal(frame, expected[table], obj=table)
    arrow.close()


def test_a_snapshot_can_be_taken_while_this_process_writes(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    with open_db(path) as writer:
        n = writer.count()
        with open_db(path, read_only=True) as reader:
            assert reader.count() == n > 0


@pytest.mark.parametrize("args", [["trend", "compute", "--json"],
                                  ["plan", "imagenet", "--error", "10%", "--json"]])
def test_reading_commands_run_while_another_process_reads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    """They take a snapshot; holding the store for writing, they waited for any reader."""
    path = tmp_path / "store.duckdb"
    open_db(path).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        monkeypatch.setenv("DLCOST_LOCK_TIMEOUT", "0.2")
        result = CliRunner().invoke(app, ["--db", str(path), *args])
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)


def test_a_reader_migrates_an_older_file_once(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A store from an older dlcost (a migration missing) is migrated in the file, once."""
    from dlcost.store import db as db_module
    from dlcost.store import files
    from dlcost.store.schema import MIGRATIONS, Migration

    path = tmp_path / "store.duckdb"
    open_db(path).close()  # current for this dlcost
    newer = (*MIGRATIONS, Migration("m999_test_extra", lambda con: con.execute(
        "CREATE TABLE test_extra (x INTEGER)")))
    monkeypatch.setattr(db_module, "MIGRATIONS", newer)
    monkeypatch.setattr(files, "MIGRATIONS", newer)
    with open_db(path, read_only=True) as db:
        assert "m999_test_extra" in db.applied_migrations()
    con = duckdb.connect(str(path), read_only=True)  # the file itself has it now
    try:
        assert ("m999_test_extra",) in con.execute("SELECT name FROM migrations").fetchall()
    finally:
        con.close()
    before = _digest(path)
    with open_db(path, read_only=True):
        pass
    assert _digest(path) == before
