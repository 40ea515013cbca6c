"""The results store (DuckDB), its schema and migrations, importers, fetch and seeding."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dlcost.store.db import ResultsDB, default_db_path
from dlcost.store.seeding import seed, seed_builtin
from dlcost.store.snapshots import register_snapshots

register_snapshots()  # the shipped snapshots are seeded by the same step as builtin

__all__ = ["ResultsDB", "default_db_path", "open_db", "seed", "seed_builtin"]


def open_db(
    path: str | Path | None = None,
    *,
    seed_data: bool = True,
    read_only: bool = False,
    lock_timeout: float | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> ResultsDB:
    """Open (and migrate) the store at ``path`` and seed the shipped datasets if needed.

    The front door for commands and scripts that read results: a fresh store gets the curated
    ``builtin`` results and the shipped snapshots (:mod:`dlcost.store.snapshots`), an
    up-to-date one is not written to. ``seed_data=False`` is ``ResultsDB(path)``.

    With ``read_only`` the store is a snapshot in memory (see :class:`ResultsDB`), and the one
    rule for the file is: **the shipped data is written once, by whichever command first finds
    it missing or outdated** — a reading command included. So a file that is missing, older
    than this dlcost (migrations) or lacks a shipped dataset is brought up to date first
    (``update_file``), if it can be taken for writing without waiting; every later reader then
    only copies it. When another process holds it, the snapshot is migrated and seeded in
    memory instead and the file is left as it is. Nothing else a reading command does is ever
    written to the file.
    """
    if read_only:
        return ResultsDB(path, read_only=True, builtin=seed_data, update_file=True,
                         lock_timeout=lock_timeout, on_wait=on_wait)
    db = ResultsDB(path, lock_timeout=lock_timeout, on_wait=on_wait)
    if seed_data:
        try:
            seed(db)
        except BaseException:
            db.close()
            raise
    return db
