"""The store is ours or it is refused; readers take snapshots; writers wait, then name the holder.

Every refusal is checked for its exact one-line message and for leaving the file's bytes as
they were.
"""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from dlcost.exceptions import (
    NotAStoreError,
    ReadOnlyStoreError,
    SettingError,
    StoreLockedError,
)
from dlcost.store import ResultsDB
from dlcost.store.batch import ImportBatch
from dlcost.store.files import DUCKDB_CONFIG, lock_timeout


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(path: Path, message: str) -> None:
    before = _digest(path)
    for read_only in (False, True):
        with pytest.raises(NotAStoreError) as info:
            ResultsDB(path, read_only=read_only)
        assert str(info.value) == message
        assert _digest(path) == before
    assert not Path(f"{path}.wal").exists()


def test_sqlite_file_is_refused_without_touching_it_or_the_network(tmp_path: Path) -> None:
    path = tmp_path / "results.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    _refused(path, f"{path} is an SQLite database, not a dlcost store (dlcost stores are DuckDB "
                   "files); it was not opened or changed")


def test_unrelated_duckdb_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE sales (x INTEGER)")
    con.execute("CREATE TABLE migrations (name VARCHAR)")
    con.execute("INSERT INTO migrations VALUES ('0001_init')")
    con.close()
    _refused(path, f"{path} is a DuckDB database but not a dlcost store (it holds migrations, "
                   "sales); it was not changed. Choose another path with --db PATH or DLCOST_DB")


def test_store_from_a_newer_dlcost_is_refused(tmp_path: Path) -> None:
    from dlcost import __version__

    path = tmp_path / "newer.duckdb"
    ResultsDB(path, builtin=False).close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO migrations (name, dlcost_version) VALUES ('m099_future', '9.0')")
    con.close()
    _refused(path, f"{path} is a dlcost store from a newer version of dlcost (schema step "
                   f"m099_future unknown to dlcost {__version__}); upgrade dlcost to use it. "
                   "It was not changed")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "{path} is an empty file, not a dlcost store; delete it or choose another path "
              "with --db or DLCOST_DB"),
        (b"model,score\nResNet,76\n", "{path} is not a database file (neither a dlcost store "
                                      "nor any DuckDB database); it was not opened or changed"),
    ],
    ids=["empty", "csv"],
)
def test_other_files_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "store.duckdb"
    path.write_bytes(content)
    _refused(path, message.format(path=path))


def test_folder_and_device_are_refused(tmp_path: Path) -> None:
    with pytest.raises(NotAStoreError) as info:
        ResultsDB(tmp_path)
    assert str(info.value) == (f"{tmp_path} is a folder, not a results store; give a file path "
                               "with --db or DLCOST_DB (e.g. dlcost.duckdb)")
    with pytest.raises(NotAStoreError) as info:
        ResultsDB("/dev/null", read_only=True)
    assert str(info.value) == ("/dev/null is not a regular file (a device, pipe or socket); "
                               "give the path of a dlcost store with --db or DLCOST_DB")


def test_connections_never_autoload_extensions() -> None:
    con = duckdb.connect(":memory:", config=dict(DUCKDB_CONFIG))
    settings = dict(con.execute(
        "SELECT name, value FROM duckdb_settings() WHERE name LIKE 'auto%_known_extensions'"
    ).fetchall())
    assert settings == {"autoinstall_known_extensions": "false",
                        "autoload_known_extensions": "false"}


def test_read_only_is_a_snapshot_that_never_writes(tmp_path: Path) -> None:
    missing = tmp_path / "sub" / "fresh.duckdb"
    with ResultsDB(missing, read_only=True, builtin=True) as db:
        assert db.count("builtin") > 0  # the builtin data, seeded in memory only
    assert not missing.exists() and not missing.parent.exists()

    path = tmp_path / "store.duckdb"
    ResultsDB(path, builtin=True).close()
    before = _digest(path)
    reader = ResultsDB(path, read_only=True)
    batch = ImportBatch(source="test", import_key="test", path=None, sha256="0")
    batch.add_result({"model": "M", "benchmark": "imagenet"})
    with pytest.raises(ReadOnlyStoreError) as info:
        reader.write(batch)
    assert str(info.value) == (f"the results store {path} was opened read-only (a snapshot); "
                               "open it with ResultsDB(path) to import or change data")
    # The snapshot holds no lock: a writer in this process can open and write meanwhile.
    with ResultsDB(path) as writer:
        writer.write(batch)
    assert reader.count("test") == 0  # a snapshot does not see later writes
    reader.close()
    assert _digest(path) != before


def test_sanitize_text_is_for_snapshots_only(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    batch = ImportBatch(source="test", import_key="test", path=None, sha256="0")
    batch.add_result({"model": "abc\u202efdp.exe\x1b[2J", "benchmark": "imagenet",
                      "attributes": {"org": "x\u2066y"}})
    with ResultsDB(path, builtin=False) as db:
        db.write(batch)
        with pytest.raises(ReadOnlyStoreError):
            db.sanitize_text()
    with ResultsDB(path, builtin=False, read_only=True) as snap:
        assert snap.sanitize_text() == 2
        row = snap.results(sources=["test"]).iloc[0]
        assert row["model"] == "abc\ufffdfdp.exe\ufffd[2J"
        assert row["attributes"] == '{"org": "x\ufffdy"}'
    with ResultsDB(path, builtin=False, read_only=True) as again:  # the file kept its data
        assert again.results(sources=["test"]).iloc[0]["model"] == "abc\u202efdp.exe\x1b[2J"


HOLD = textwrap.dedent("""
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "ro")
    print("holding", flush=True)
    time.sleep(float(sys.argv[3]))
    con.close()
""")


def _hold(path: Path, mode: str, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path), mode, str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    return proc


def test_writer_fails_after_the_wait_naming_the_holder(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    ResultsDB(path).close()
    holder = _hold(path, "rw", 60)
    try:
        waits: list[str] = []
        for read_only in (False, True):
            with pytest.raises(StoreLockedError) as info:
                ResultsDB(path, read_only=read_only, lock_timeout=0.3, on_wait=waits.append)
            assert str(info.value).startswith(
                f"the results store {path} is in use by process {holder.pid} (")
            assert str(info.value).endswith(
                "); waited 0.3 s. Close that program or wait for it to finish, or set "
                "DLCOST_LOCK_TIMEOUT to wait longer (programs that only read should open it "
                "with ResultsDB(read_only=True), which holds no lock)")
        assert len(waits) == 2
        assert waits[0].startswith(f"waiting up to 0.3 s for the results store {path}, which "
                                   f"process {holder.pid} (")
    finally:
        holder.kill()
        holder.wait()


def test_writer_waits_for_a_reader_to_let_go(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    ResultsDB(path, builtin=True).close()
    holder = _hold(path, "ro", 1.0)
    try:
        waits: list[str] = []
        with ResultsDB(path, lock_timeout=60, on_wait=waits.append) as db:
            assert db.count("builtin") > 0
        assert len(waits) == 1 and "which process" in waits[0]
    finally:
        holder.wait()


def test_lock_timeout_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DLCOST_LOCK_TIMEOUT", raising=False)
    assert lock_timeout() == 10.0
    assert lock_timeout(2) == 2.0
    monkeypatch.setenv("DLCOST_LOCK_TIMEOUT", "0.5")
    assert lock_timeout() == 0.5
    monkeypatch.setenv("DLCOST_LOCK_TIMEOUT", "soon")
    with pytest.raises(SettingError) as info:
        lock_timeout()
    assert str(info.value) == ("DLCOST_LOCK_TIMEOUT='soon' is not a number of seconds; set it "
                               "to e.g. 30")


def test_writer_refused_while_this_process_reads_through_duckdb(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    ResultsDB(path).close()
    reader = duckdb.connect(str(path), read_only=True, config=dict(DUCKDB_CONFIG))
    try:
        with pytest.raises(StoreLockedError) as info:
            ResultsDB(path)
        assert str(info.value) == (
            f"this program already has the results store {path} open read-only through "
            "another DuckDB connection; close that connection to write to the store")
        with ResultsDB(path, read_only=True) as snap:  # reading still works
            assert snap.count() == 0
    finally:
        reader.close()
