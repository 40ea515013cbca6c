"""Opening the store's file safely: what the file is, who holds it, how long to wait.

DuckDB locks a database file per process: one process may write, or any number may read,
never both. dlcost's readers therefore copy the store into memory and let go of the file
within milliseconds (:meth:`ResultsDB.__init__` with ``read_only=True``), and everyone who
meets a lock waits a bounded time (:data:`ENV_LOCK_TIMEOUT`) before failing with one line that
names the process holding it.

Before DuckDB touches a file, :func:`identify` reads its first bytes: an SQLite database, an
empty file or any other non-DuckDB file is refused (DuckDB would otherwise try to download an
extension to read SQLite). Extension autoloading and autoinstalling are off on every
connection dlcost opens, so opening a store never reaches the network.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb

from dlcost import __version__
from dlcost.exceptions import NotAStoreError, SettingError, StoreError, StoreLockedError
from dlcost.store.schema import MIGRATIONS

ENV_DB = "DLCOST_DB"
ENV_LOCK_TIMEOUT = "DLCOST_LOCK_TIMEOUT"
#: Seconds a command waits for a store another process holds before it gives up. Ten seconds
#: outlasts every write dlcost makes (an import of Epoch's full table takes about two) while
#: failing quickly when the holder is a long-lived program such as a notebook.
DEFAULT_LOCK_TIMEOUT_S = 10.0
#: Pause between two attempts to take the lock.
LOCK_RETRY_S = 0.1
#: Options of every DuckDB connection dlcost opens: never load or download extensions.
DUCKDB_CONFIG = {"autoload_known_extensions": False, "autoinstall_known_extensions": False}

SQLITE_MAGIC = b"SQLite format 3\x00"
DUCKDB_MAGIC = b"DUCK"  # bytes 8–11 of a DuckDB database file
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<exe>.+?) \(PID (?P<pid>\d+)\)")

log = logging.getLogger("dlcost.store")


def lock_timeout(value: float | None = None) -> float:
    """``value`` if given, else ``$DLCOST_LOCK_TIMEOUT``, else :data:`DEFAULT_LOCK_TIMEOUT_S`."""
    if value is not None:
        return max(0.0, float(value))
    env = os.environ.get(ENV_LOCK_TIMEOUT, "").strip()
    if not env:
        return DEFAULT_LOCK_TIMEOUT_S
    try:
        seconds = float(env)
    except ValueError:
        raise SettingError(
            f"{ENV_LOCK_TIMEOUT}={env!r} is not a number of seconds; set it to e.g. 30"
        ) from None
    if not seconds >= 0 or seconds == float("inf"):
        raise SettingError(f"{ENV_LOCK_TIMEOUT}={env!r} must be a finite number of seconds ≥ 0")
    return seconds


def identify(path: Path) -> str | None:
    """``None`` if ``path`` does not exist; ``"duckdb"`` for a DuckDB file; else refuse.

    Raises :class:`NotAStoreError` with one line saying what the file is.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise NotAStoreError(f"cannot read the results store {path}: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise NotAStoreError(
            f"{path} is a folder, not a results store; give a file path with --db or "
            "DLCOST_DB (e.g. dlcost.duckdb)"
        )
    if not stat.S_ISREG(info.st_mode):
        raise NotAStoreError(f"{path} is not a regular file (a device, pipe or socket); give "
                             "the path of a dlcost store with --db or DLCOST_DB")
    if info.st_size == 0:
        raise NotAStoreError(f"{path} is an empty file, not a dlcost store; delete it or "
                             "choose another path with --db or DLCOST_DB")
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise NotAStoreError(f"cannot read the results store {path}: {exc.strerror}") from None
    if head.startswith(SQLITE_MAGIC):
        raise NotAStoreError(f"{path} is an SQLite database, not a dlcost store (dlcost "
                             "stores are DuckDB files); it was not opened or changed")
    if head[8:12] != DUCKDB_MAGIC:
        raise NotAStoreError(f"{path} is not a database file (neither a dlcost store nor any "
                             "DuckDB database); it was not opened or changed")
    return "duckdb"


def holder(message: str) -> str | None:
    """``"process 123 (/usr/bin/python3)"`` from DuckDB's lock error, if it names one."""
    m = _LOCK_HOLDER.search(message)
    return f"process {m.group('pid')} ({m.group('exe')})" if m else None


def is_lock_error(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.IOException) and "Could not set lock" in str(exc)


def connect(
    path: Path,
    *,
    read_only: bool,
    timeout_s: float | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection to ``path``, waiting up to ``timeout_s`` for another process's lock.

    ``on_wait`` receives one message when the wait begins (default: a log warning, which
    Python prints on stderr). After the wait, :class:`StoreLockedError` names the holder.
    """
    return _waiting(lambda: duckdb.connect(str(path), read_only=read_only,
                                           config=dict(DUCKDB_CONFIG)),
                    path, timeout_s, on_wait)


T = TypeVar("T")


def _waiting(attempt: Callable[[], T], path: Path, timeout_s: float | None,
             on_wait: Callable[[str], None] | None) -> T:
    """``attempt()``, retried while another process holds the lock on ``path`` (see
    :func:`connect`)."""
    limit = lock_timeout(timeout_s)
    deadline = time.monotonic() + limit
    announced = False
    while True:
        try:
            return attempt()
        except duckdb.Error as exc:
            if not is_lock_error(exc):
                raise
            who = holder(str(exc)) or "another process"
            if time.monotonic() >= deadline:
                raise StoreLockedError(
                    f"the results store {path} is in use by {who}; waited {limit:g} s. Close "
                    f"that program or wait for it to finish, or set {ENV_LOCK_TIMEOUT} to wait "
                    "longer (programs that only read should open it with "
                    "ResultsDB(read_only=True), which holds no lock)"
                ) from None
            if not announced:
                message = (f"waiting up to {limit:g} s for the results store {path}, "
                           f"which {who} is using")
                (on_wait or log.warning)(message)
                announced = True
            time.sleep(LOCK_RETRY_S)


def _connect_store(
    path: Path, *, read_only: bool, timeout: float | None,
    on_wait: Callable[[str], None] | None,
) -> duckdb.DuckDBPyConnection:
    try:
        return connect(path, read_only=read_only, timeout_s=timeout, on_wait=on_wait)
    except duckdb.ConnectionException:
        if read_only:
            raise  # this process has the file open for writing: the caller shares it
        raise StoreLockedError(
            f"this program already has the results store {path} open read-only through "
            "another DuckDB connection; close that connection to write to the store"
        ) from None
    except duckdb.Error as exc:
        raise NotAStoreError(
            f"cannot open the results store {path}: {' '.join(str(exc).split())[:300]}. "
            f"If it is not a dlcost store, choose another with --db PATH or {ENV_DB}"
        ) from None


def check_store(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse (:class:`NotAStoreError`) a database that is not a dlcost store, or is newer.

    An empty database is a new store. Nothing is written.
    """
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal "
        "AND database_name = current_database() ORDER BY 1"
    ).fetchall()]
    if not tables:
        return
    known = [m.name for m in MIGRATIONS]
    names: list[str] = []
    if "migrations" in tables:
        try:
            names = [str(r[0]) for r in con.execute("SELECT name FROM migrations").fetchall()]
        except duckdb.Error:
            names = []
    if not names or known[0] not in names:
        shown = ", ".join(tables[:5]) + (f" and {len(tables) - 5} more" if len(tables) > 5 else "")
        raise NotAStoreError(
            f"{path} is a DuckDB database but not a dlcost store (it holds {shown}); it was "
            f"not changed. Choose another path with --db PATH or {ENV_DB}"
        )
    newer = sorted(set(names) - set(known))
    if newer:
        raise NotAStoreError(
            f"{path} is a dlcost store from a newer version of dlcost (schema step"
            f"{'s' if len(newer) > 1 else ''} {', '.join(newer)} unknown to dlcost "
            f"{__version__}); upgrade dlcost to use it. It was not changed"
        )


def open_for_writing(
    path: Path, timeout: float | None, on_wait: Callable[[str], None] | None
) -> duckdb.DuckDBPyConnection:
    """A read-write connection to the dlcost store at ``path`` (created if missing)."""
    exists = identify(path) is not None
    if exists:
        # Look before writing: an unrelated database is refused before DuckDB may
        # checkpoint or migrate it.
        try:
            peek = duckdb.connect(str(path), read_only=True, config=dict(DUCKDB_CONFIG))
        except duckdb.Error:
            peek = None  # held by another process, or by this one: checked below
        if peek is not None:
            try:
                check_store(peek, path)
            finally:
                peek.close()
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the database folder {path.parent}: {exc.strerror}. "
                f"Choose another place with --db PATH or {ENV_DB}"
            ) from exc
    con = _connect_store(path, read_only=False, timeout=timeout, on_wait=on_wait)
    try:
        check_store(con, path)
    except BaseException:
        con.close()
        raise
    return con


#: Name under which :func:`open_snapshot` attaches the file to the in-memory database.
SNAPSHOT_SOURCE = "dlcost_snapshot_source"


def open_snapshot(
    path: Path, timeout: float | None, on_wait: Callable[[str], None] | None
) -> duckdb.DuckDBPyConnection:
    """An in-memory copy of the store at ``path`` (empty if there is none).

    The file is attached read-only to the in-memory database and copied inside DuckDB
    (``COPY FROM DATABASE``: about half the time of fetching each table through Arrow), then
    detached, so the shared lock is held only while copying.
    """
    memory = duckdb.connect(":memory:", config=dict(DUCKDB_CONFIG))
    if identify(path) is None:
        return memory
    try:
        copied = _copy_attached(memory, path, timeout, on_wait)
    except BaseException:
        memory.close()
        raise
    if copied:
        return memory
    return copy_table_by_table(memory, path, timeout, on_wait)


def _copy_attached(
    memory: duckdb.DuckDBPyConnection, path: Path, timeout: float | None,
    on_wait: Callable[[str], None] | None,
) -> bool:
    """Copy the store at ``path`` into ``memory`` by attaching it; False when this process
    already has the file open (DuckDB lets one process attach a file once)."""
    quoted = str(path).replace("'", "''")
    try:
        _waiting(lambda: memory.execute(
            f"ATTACH '{quoted}' AS {SNAPSHOT_SOURCE} (READ_ONLY)"), path, timeout, on_wait)
    except (duckdb.ConnectionException, duckdb.InvalidInputException):
        return False
    except duckdb.Error as exc:
        if "already attached" in str(exc) or "file handle conflict" in str(exc):
            return False
        raise NotAStoreError(
            f"cannot open the results store {path}: {' '.join(str(exc).split())[:300]}. "
            f"If it is not a dlcost store, choose another with --db PATH or {ENV_DB}"
        ) from None
    try:
        memory.execute(f"USE {SNAPSHOT_SOURCE}")
        check_store(memory, path)
        memory.execute("USE memory")
        memory.execute(f"COPY FROM DATABASE {SNAPSHOT_SOURCE} TO memory")
    finally:
        memory.execute("USE memory")
        memory.execute(f"DETACH {SNAPSHOT_SOURCE}")
    return True


def copy_table_by_table(
    memory: duckdb.DuckDBPyConnection, path: Path, timeout: float | None,
    on_wait: Callable[[str], None] | None,
) -> duckdb.DuckDBPyConnection:
    """Copy table by table from a second connection (the file is open in this process)."""
    try:
        source = _connect_store(path, read_only=True, timeout=timeout, on_wait=on_wait)
    except duckdb.ConnectionException:
        # This process already has the file open for writing: share that instance.
        source = duckdb.connect(str(path), config=dict(DUCKDB_CONFIG))
    except BaseException:
        memory.close()
        raise
    try:
        check_store(source, path)
        for name, sql in source.execute(
            "SELECT table_name, sql FROM duckdb_tables() WHERE database_name = "
            "current_database() AND schema_name = 'main' ORDER BY table_name"
        ).fetchall():
            memory.execute(sql)
            rows = source.sql(f'SELECT * FROM "{name}"').to_arrow_table()
            memory.register("_dlcost_copy", rows)
            memory.execute(f'INSERT INTO "{name}" SELECT * FROM _dlcost_copy')
            memory.unregister("_dlcost_copy")
    except BaseException:
        memory.close()
        raise
    finally:
        source.close()
    return memory
