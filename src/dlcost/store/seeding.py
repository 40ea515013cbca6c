"""Seeding: load the datasets shipped in the package into a store, as one explicit step.

Opening a :class:`~dlcost.store.db.ResultsDB` only connects and migrates. The shipped data —
the curated ``builtin`` results, and any other dataset registered in :data:`SEEDERS` — is
loaded by :func:`seed`, which the commands that read results call (through
:func:`dlcost.store.open_db`). Each seeder compares a fingerprint of its shipped files with the
one recorded in the store, so seeding is idempotent and writes nothing when the store is
current (:func:`pending` says what would be written without writing).

The shipped data is written to the store's file once, by whichever command first finds it
missing or outdated: a reading command too (:func:`update_file_now`, when the file can be
taken for writing at once); only when another process holds the file does a reader seed its
in-memory snapshot instead.

To ship another dataset, register a :class:`Seeder` with :func:`register`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from dlcost.store.batch import ImportBatch
    from dlcost.store.db import ResultsDB

log = logging.getLogger("dlcost.store")


class ImportRow(NamedTuple):
    """What the seeders need of one row of the store's ``imports`` table."""

    import_key: str
    source: str
    kind: str | None
    snapshot: str | None
    sha256: str


def import_rows(db: ResultsDB) -> list[ImportRow]:
    """The store's imports, as the seeders read them: one query for every seeder."""
    return [ImportRow(*row) for row in db.con.execute(
        "SELECT import_key, source, kind, snapshot, sha256 FROM imports").fetchall()]


@dataclass(frozen=True)
class Seeder:
    """One shipped dataset: the import key it is stored under, and how to build it.

    ``fingerprint()`` hashes the shipped files (and the dlcost version); ``batches(fp)`` parses
    them into import batches recorded with that fingerprint (``ImportBatch.sha256``). The store
    is current for this seeder when the import ``import_key`` records the same fingerprint.
    """

    name: str
    import_key: str
    fingerprint: Callable[[], str]
    batches: Callable[[str], Sequence[ImportBatch]]

    def is_current(self, db: ResultsDB, imports: Sequence[ImportRow] | None = None) -> bool:
        """Whether ``db`` holds this dataset as shipped (``imports``: the store's
        :func:`import_rows`, when the caller has them already)."""
        if imports is None:
            return db.import_sha(self.import_key) == self.fingerprint()
        held = [row.sha256 for row in imports if row.import_key == self.import_key]
        return bool(held) and held[0] == self.fingerprint()

    def load(self, db: ResultsDB) -> int:
        """Write the dataset (replacing an outdated copy) in one transaction; rows written."""
        return db.write(list(self.batches(self.fingerprint())))


def _builtin_seeder() -> Seeder:
    from dlcost.store.importers import builtin

    return Seeder(
        name="builtin",
        import_key=builtin.SOURCE,
        fingerprint=builtin.fingerprint,
        batches=lambda fp: [builtin.shipped_batch(fp)],
    )


#: name → factory of the seeder (factories keep the importers out of ``import dlcost.store``).
SEEDERS: dict[str, Callable[[], Seeder]] = {"builtin": _builtin_seeder}


def register(name: str, factory: Callable[[], Seeder]) -> None:
    """Ship another dataset: :func:`seed` loads it after those registered before it."""
    SEEDERS[name] = factory


def pending(db: ResultsDB, only: Sequence[str] | None = None) -> list[str]:
    """Names of the shipped datasets that are missing or outdated in ``db`` (writes nothing)."""
    names = list(only) if only is not None else list(SEEDERS)
    if not names:
        return []
    imports = import_rows(db)  # one query, not one per dataset
    return [name for name in names if not SEEDERS[name]().is_current(db, imports)]


def seed(db: ResultsDB, only: Sequence[str] | None = None) -> list[str]:
    """Load every missing or outdated shipped dataset into ``db``; the names loaded.

    Idempotent: a store that is current is not written to at all.
    """
    loaded = []
    for name in pending(db, only):
        SEEDERS[name]().load(db)
        loaded.append(name)
    return loaded


def seed_builtin(db: ResultsDB) -> bool:
    """Load the curated ``builtin`` results if missing or outdated; whether anything was written."""
    return bool(seed(db, only=["builtin"]))


def update_file_now(path: Path) -> bool:
    """Migrate and seed the store file at ``path`` if it can be opened for writing at once.

    Whether the file was brought up to date. A reader (``open_db(read_only=True)``) calls it
    when the file is missing or outdated, so that the shipped data is written once rather
    than seeded into every snapshot. Any failure (another process holds the file, a read-only
    folder, a full disk) leaves the caller to seed its snapshot in memory, which raises again
    whatever is wrong with the shipped data itself.
    """
    import duckdb

    from dlcost.exceptions import DlcostError
    from dlcost.store.db import ResultsDB

    try:
        with ResultsDB(path, lock_timeout=0, on_wait=lambda _message: None) as writer:
            seed(writer)
    except (DlcostError, duckdb.Error, OSError) as exc:
        log.debug("left %s as it is and seeded in memory: %s", path, exc)
        return False
    return True
