"""The results store: an embedded DuckDB database.

``ResultsDB()`` opens the database at ``$DLCOST_DB`` or the user's data directory
(platformdirs) and applies pending migrations; it writes nothing else. The shipped datasets are
loaded by the explicit seeding step, :func:`dlcost.store.seeding.seed` (:func:`dlcost.store.open_db`
opens and seeds). Imports replace everything previously imported under the same import key
inside one transaction, so they are atomic and idempotent (ids are content-derived).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd

from dlcost import __version__
from dlcost.exceptions import (
    InvalidParameterError,
    ReadOnlyStoreError,
    ResultNotFoundError,
    TransactionError,
    UnknownSourceError,
)
from dlcost.store import files, guards
from dlcost.store.batch import BATCH_TABLES, ImportBatch
from dlcost.store.readcache import ReadCache
from dlcost.store.schema import MIGRATIONS

if TYPE_CHECKING:
    from dlcost.store.combined import Combined

ENV_DB = files.ENV_DB
#: Sources that report their own compute estimates. For their rows the analysis uses the
#: reported value and dlcost's recomputation serves as a check (``dlcost data check``); dlcost
#: never overrides a curated source's judgement of which rows have a reliable estimate.
REPORTING_SOURCES = frozenset({"futuretech", "computerprogress", "epoch"})
#: Sources of the user's own tracked runs (dlcost.track): drawn against the trends, never part
#: of the default or ``all`` data a fit uses; name them explicitly to include them.
OWN_RUN_SOURCES = frozenset({"runs"})
#: Largest share of an import's rows a re-import may drop without ``force`` (a policy, not a
#: measured constant): a new release of a source mostly adds rows, while a truncated or wrong
#: file loses many (the 101 computerprogress points cut mid-file leave 73, −28 %).
MAX_SHRINK = 0.10


def default_db_path() -> Path:
    """``$DLCOST_DB`` if set, else ``<user data dir>/dlcost/dlcost.duckdb``."""
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("dlcost", appauthor=False)) / "dlcost.duckdb"


class ResultsDB:
    """Benchmark results joined to the compute that produced them.

    Parameters
    ----------
    path : path-like, optional
        Database file; ``":memory:"`` for a throw-away store. Default :func:`default_db_path`.
    builtin : bool
        Also seed the shipped datasets if missing or outdated (:func:`dlcost.store.seeding.seed`;
        default ``False``: opening writes nothing but pending migrations).
        :func:`dlcost.store.open_db` is the usual way to open and seed.
    read_only : bool
        Read a snapshot: the file is copied into memory under a shared lock held for
        milliseconds, so other readers and writers are never blocked, and the file is never
        written (a missing file reads as a fresh store; an older one is migrated, and seeded
        with ``builtin``, in memory only) unless ``update_file`` says otherwise.
        :meth:`write` then raises :class:`ReadOnlyStoreError`. Use it in notebooks and for
        anything that only reads.
    update_file : bool
        With ``read_only`` and ``builtin``: when the file is missing, not migrated or lacks a
        shipped dataset, bring the *file* up to date once (create, migrate and seed it) before
        taking the snapshot, so that later readers find it current instead of seeding their
        snapshot again (seconds each time). Only if the file can be taken for writing at once;
        when another process holds it (or it cannot be written), the snapshot is migrated and
        seeded in memory as without this option. Nothing but migrations and the shipped
        datasets is ever written this way. :func:`dlcost.store.open_db` sets it.
    lock_timeout : float, optional
        Seconds to wait when another process holds the file (default ``$DLCOST_LOCK_TIMEOUT``,
        else 10); then :class:`StoreLockedError` names that process.
    on_wait : callable, optional
        Receives one message when a wait begins (default: a logged warning).

    A file that is not a dlcost store (an SQLite or unrelated DuckDB database, a store from a
    newer dlcost) raises :class:`NotAStoreError` and is left untouched.
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        builtin: bool = False,
        read_only: bool = False,
        update_file: bool = False,
        lock_timeout: float | None = None,
        on_wait: Callable[[str], None] | None = None,
    ) -> None:
        self.path = Path(path) if path not in (None, ":memory:") else path or default_db_path()
        self.read_only = read_only
        self._depth = 0  # nesting of atomic() blocks
        self._failed_inner = False
        self._combined: tuple[tuple[Any, ...], Combined] | None = None
        self._reads = ReadCache()
        self._preparing = True
        self._migrated = False  # whether opening applied migrations (to a snapshot: in memory)
        if not isinstance(self.path, Path):
            self.con = duckdb.connect(":memory:", config=dict(files.DUCKDB_CONFIG))
        elif read_only:
            self.con = files.open_snapshot(self.path, lock_timeout, on_wait)
        else:
            self.con = files.open_for_writing(self.path, lock_timeout, on_wait)
        try:
            self.migrate()
            if builtin:
                from dlcost.store.seeding import pending, seed, update_file_now

                todo = pending(self)
                if (read_only and update_file and isinstance(self.path, Path)
                        and (self._migrated or todo) and update_file_now(self.path)):
                    # The file is current now: read it again instead of seeding in memory.
                    self.con.close()
                    self.con = files.open_snapshot(self.path, lock_timeout, on_wait)
                    self.migrate()
                    todo = pending(self)
                seed(self, only=todo)
        except BaseException:
            self.con.close()
            raise
        self._preparing = False

    # -- lifecycle ----------------------------------------------------------------------------

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> ResultsDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = ", read_only=True" if self.read_only else ""
        return f"ResultsDB({str(self.path)!r}{mode})"

    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        """Run the block in one transaction: all of it happens, or none of it.

        Blocks nest. DuckDB has no SAVEPOINT, so an inner block cannot be undone on its own:
        it belongs to the outermost transaction. If an inner block fails, the whole
        transaction is rolled back even when the outer block catches the error, and the outer
        block then raises :class:`TransactionError` instead of committing half of its work.
        A COMMIT that fails (e.g. a conflicting write by another connection) is rolled back
        and raised as :class:`TransactionError`; the store stays usable.
        """
        if self._depth:
            self._depth += 1
            try:
                yield
            except BaseException:
                self._failed_inner = True
                raise
            finally:
                self._depth -= 1
            return
        self.con.execute("BEGIN TRANSACTION")
        self._depth, self._failed_inner = 1, False
        try:
            yield
        except BaseException:
            self._rollback()
            raise
        else:
            if self._failed_inner:
                self._rollback()
                raise TransactionError(
                    f"an inner atomic block failed, so nothing of this transaction was written "
                    f"to {self.path} (DuckDB cannot undo part of a transaction)"
                )
            try:
                self.con.execute("COMMIT")
            except duckdb.Error as exc:
                self._rollback()
                raise TransactionError(
                    f"could not commit to {self.path}: {exc}. Nothing was written; if another "
                    "process writes to the same database, retry when it has finished"
                ) from exc
        finally:
            self._depth, self._failed_inner = 0, False

    def _rollback(self) -> None:
        """Roll back if a transaction is open (DuckDB ends one whose COMMIT failed itself)."""
        with contextlib.suppress(duckdb.TransactionException):
            self.con.execute("ROLLBACK")

    @property
    def generation(self) -> int:
        """Changes made through this connection so far (for caches of derived results)."""
        return self._reads.generation

    @property
    def in_transaction(self) -> bool:
        """Whether an :meth:`atomic` block is running."""
        return self._depth > 0

    def migrate(self) -> list[str]:
        """Apply pending migrations, each together with its record; return the names applied.

        A store whose migrations are all applied is only read.
        """
        has_table = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'migrations' "
            "AND table_schema = current_schema()"
        ).fetchone()
        if not (has_table and has_table[0]):
            self.con.execute(
                "CREATE TABLE migrations (name VARCHAR PRIMARY KEY, dlcost_version "
                "VARCHAR, applied_at TIMESTAMP DEFAULT current_timestamp)"
            )
        done = {r[0] for r in self.con.execute("SELECT name FROM migrations").fetchall()}
        applied = []
        for migration in MIGRATIONS:
            if migration.name in done:
                continue
            with self.atomic():
                migration.apply(self.con)
                self.con.execute(
                    "INSERT INTO migrations (name, dlcost_version) VALUES (?, ?)",
                    [migration.name, __version__],
                )
            applied.append(migration.name)
        self._migrated = bool(applied)
        return applied

    def applied_migrations(self) -> list[str]:
        return [r[0] for r in self.con.execute(
            "SELECT name FROM migrations ORDER BY name").fetchall()]

    # -- writing ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def cached_reads(self) -> Iterator[ResultsDB]:
        """Within the block, each distinct :meth:`results` / :meth:`phases` query runs once
        (:mod:`~.readcache`; later calls get copies, a write empties it)."""
        with self._reads.block():
            yield self

    def write(
        self, batches: ImportBatch | Sequence[ImportBatch], *, max_shrink: float | None = None
    ) -> int:
        """Replace everything under each batch's import key by the batch, in one transaction.

        With ``max_shrink`` (a share, e.g. :data:`MAX_SHRINK`), a batch that would shrink what
        it replaces by more than that share is refused (:class:`ImportRefusedError`, nothing
        changed). An earlier import of the same bytes under another file name is replaced, so
        importing a copy is idempotent.
        Returns the number of rows written (results, or hardware rows for hardware tables).
        """
        if isinstance(batches, ImportBatch):
            batches = [batches]
        self._check_writable()
        if max_shrink is not None:
            guards.check_shrink(self.con, batches, max_shrink)
        self._reads.clear()
        # The batches are written as if one after the other (each replacing its import key,
        # then checked against what is stored), but with one DELETE per table for all the
        # keys replaced and one INSERT per table for all the rows: thousands of rows in tens
        # of batches took a second as 6 deletes and 5 inserts per batch.
        keys = [b.import_key for b in batches]
        with self.atomic():
            # Earlier imports of the same bytes; data the user imports or fetches replaces the
            # shipped snapshot of its source. Both are dropped before the first batch.
            stale = self._copies(batches) + self._snapshot_keys(
                {b.source for b in batches if b.kind != "snapshot"})
            guards.check_collisions(self.con, batches, stale)
            self._delete_imports([*stale, *keys])
            # Of several batches under one key, the last replaces the others.
            last = {key: i for i, key in enumerate(keys)}
            kept = [b for i, b in enumerate(batches) if last[b.import_key] == i]
            for attr, (table, columns) in BATCH_TABLES.items():
                self._insert(table, columns, [row for b in kept for row in getattr(b, attr)])
            self.con.executemany(
                "INSERT INTO imports (import_key, source, path, sha256, n_rows, "
                "dlcost_version, kind, data_date, licence, attribution, origin, snapshot, "
                "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, current_timestamp)",
                [[b.import_key, b.source, b.path, b.sha256, b.n_rows, __version__, b.kind,
                  b.data_date, b.licence, b.attribution, b.origin, b.snapshot] for b in kept],
            )
        return sum(b.n_rows for b in batches)

    def _check_writable(self) -> None:
        if self.read_only and not self._preparing:
            raise ReadOnlyStoreError(
                f"the results store {self.path} was opened read-only (a snapshot); open it with "
                "ResultsDB(path) to import or change data"
            )

    def _copies(self, batches: Sequence[ImportBatch]) -> list[str]:
        """Earlier imports of the same bytes from another file (a copy, a renamed file).

        Same source and SHA-256, another path, and an import key this write does not replace
        anyway: the earlier import is the same data under another name.
        """
        keys = [b.import_key for b in batches]
        stale: list[str] = []
        for batch in batches:
            if not batch.path:
                continue
            stale += [key for (key,) in self.con.execute(
                "SELECT import_key FROM imports WHERE source = ? AND sha256 = ? "
                "AND path IS NOT NULL AND path <> ? AND import_key NOT IN (SELECT unnest(?)) "
                "ORDER BY import_key",
                [batch.source, batch.sha256, batch.path, keys],
            ).fetchall() if key not in stale]
        return stale

    def _snapshot_keys(self, sources: set[str]) -> list[str]:
        if not sources:
            return []
        return [key for (key,) in self.con.execute(
            "SELECT import_key FROM imports WHERE kind = 'snapshot' AND source IN "
            "(SELECT unnest(?)) ORDER BY import_key", [sorted(sources)]).fetchall()]

    def remove_import(self, key: str) -> None:
        """Delete everything imported under ``key`` (one transaction)."""
        self._reads.clear()
        with self.atomic():
            self._delete_imports([key])

    def _delete_imports(self, keys: Sequence[str]) -> None:
        """Delete everything imported under any of ``keys`` (those present: one statement per
        table, none when the store holds none of them)."""
        present = [key for (key,) in self.con.execute(
            "SELECT DISTINCT import_key FROM (SELECT import_key FROM imports UNION ALL "
            "SELECT import_key FROM results UNION ALL SELECT import_key FROM hardware UNION "
            "ALL SELECT import_key FROM hardware_prices) WHERE import_key IN (SELECT unnest(?))",
            [sorted(set(keys))]).fetchall()]
        if not present:
            return
        ids = "SELECT id FROM results WHERE import_key IN (SELECT unnest(?))"
        self.con.execute(f"DELETE FROM phases WHERE result_id IN ({ids})", [present])
        self.con.execute(f"DELETE FROM estimates WHERE result_id IN ({ids})", [present])
        for table in ("results", "hardware", "hardware_prices", "imports"):
            self.con.execute(f"DELETE FROM {table} WHERE import_key IN (SELECT unnest(?))",
                             [present])

    def _insert(self, table: str, columns: Sequence[str], rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        # ``columns`` lists the table's columns in schema order, as insert_into expects.
        frame = pd.DataFrame.from_records(rows, columns=list(columns))
        self.con.from_df(frame).insert_into(table)

    def import_sha(self, key: str) -> str | None:
        row = self.con.execute("SELECT sha256 FROM imports WHERE import_key = ?", [key]).fetchone()
        return row[0] if row else None

    # -- reading ------------------------------------------------------------------------------

    def imports(self) -> pd.DataFrame:
        """One row per import: key, source, path, sha256, rows, dlcost version."""
        return self.con.execute("SELECT * FROM imports ORDER BY import_key").df()

    def sources(self) -> list[str]:
        """Sources with results in the store (``builtin`` included)."""
        return self._reads.get_names(("sources",), lambda: [r[0] for r in self.con.execute(
            "SELECT DISTINCT source FROM results ORDER BY source").fetchall()])

    def default_sources(self) -> list[str]:
        """``combined`` when the store holds more than the builtin results (tracked runs aside),
        else ``builtin``.

        ``combined`` (:mod:`dlcost.store.combined`) is every source's results matched into one
        row per result, so that nothing is counted twice.
        """
        from dlcost.store.combined import COMBINED

        imported = [s for s in self.sources() if s != "builtin" and s not in OWN_RUN_SOURCES]
        return [COMBINED] if imported else ["builtin"]

    def resolve_sources(self, sources: Sequence[str] | None) -> list[str]:
        """Expand ``None`` (the default) and ``all``; check that named sources exist.

        ``combined`` stands alone: it already holds every source.
        """
        from dlcost.store.combined import COMBINED

        if not sources:
            return self.default_sources()
        if "all" in sources:
            return [s for s in self.sources() if s not in OWN_RUN_SOURCES]
        if COMBINED in sources:
            if len(sources) > 1:
                raise InvalidParameterError(
                    f"'{COMBINED}' already holds every source; give it alone, or name the "
                    f"sources instead of it (got {', '.join(sources)})")
            return [COMBINED]
        available = set(self.sources())
        unknown = [s for s in sources if s not in available]
        if unknown:
            raise UnknownSourceError(
                f"no data from source {', '.join(map(repr, unknown))} in {self.path}; "
                f"available: {', '.join(sorted(available)) or 'none'}. Import it with "
                "`dlcost data import FORMAT PATH` or `dlcost data fetch SOURCE`"
            )
        return list(sources)

    def results(
        self,
        *,
        benchmark: str | None = None,
        sources: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Result rows (one per model) of the chosen sources, with their estimates as columns.

        Compute columns, in FLOP: ``network_operations``, ``hardware_burden`` and
        ``training_compute``. For a source that reports compute (:data:`REPORTING_SOURCES`)
        they hold the reported value; for the others, dlcost's own estimate. ``*_dlcost``,
        ``*_reported`` and ``*_method`` (``reported`` or ``dlcost``) stand beside each.
        """
        chosen = self.resolve_sources(sources)
        from dlcost.store.combined import COMBINED

        if chosen == [COMBINED]:
            frame = self.combined().frame
            return frame if benchmark is None else frame[
                frame["benchmark"] == benchmark].reset_index(drop=True)
        return self._reads.get(("results", benchmark, tuple(chosen)),
                            lambda: self._results(benchmark, chosen))

    def _results(self, benchmark: str | None, chosen: list[str]) -> pd.DataFrame:
        params: list[Any] = list(chosen)
        where = f"r.source IN ({', '.join('?' for _ in chosen)})"
        if benchmark is not None:
            where += " AND r.benchmark = ?"
            params.append(benchmark)
        pivots = []
        for m in ("network_operations", "hardware_burden", "training_compute"):
            pivots.append(
                f"max(CASE WHEN e.method = '{m}' THEN e.flop END) AS {m}_dlcost, "
                f"max(CASE WHEN e.method = '{m}' THEN e.reported_flop END) AS {m}_reported, "
                f"max(CASE WHEN e.method = '{m}' THEN e.description END) AS {m}_description"
            )
        sql = f"""
            SELECT r.*, {', '.join(pivots)}
            FROM results r LEFT JOIN estimates e ON e.result_id = r.id
            WHERE {where}
            GROUP BY ALL
            ORDER BY r.benchmark NULLS LAST, r.year, r.model, r.id
        """
        frame = self.con.execute(sql, params).df()
        reporting = frame["source"].isin(REPORTING_SOURCES)
        for m in ("network_operations", "hardware_burden", "training_compute"):
            rep, own = frame[f"{m}_reported"], frame[f"{m}_dlcost"]
            frame[m] = rep.where(reporting, own)
            frame[f"{m}_method"] = (
                reporting.map({True: "reported", False: "dlcost"}).where(frame[m].notna())
            )
        return frame

    def combined(self) -> Combined:
        """Every source's results matched into one row per result (:mod:`~.combined`)."""
        from dlcost.store.combined import combine
        from dlcost.store.diskcache import cached

        key = self._state_key()
        if self._combined is None or self._combined[0] != key:
            value = cached("combined", key, lambda: combine(self.results(sources=["all"])),
                           code=("store/combined", "store/crosscheck", "store/db", "names"))
            self._combined = (key, value)
        return self._combined[1]

    def _state_key(self) -> tuple[Any, ...]:
        """Changes whenever an import is written (the combined view is cached on it)."""
        return tuple(self.con.execute(
            "SELECT count(*), string_agg(import_key || sha256 || n_rows, ',' ORDER BY "
            "import_key) FROM imports").fetchone() or ())

    def phases(self, *, sources: Sequence[str] | None = None) -> pd.DataFrame:
        """Training phases (one row per phase and chip kind) of the chosen sources' results.

        For ``combined``, the phases of every contributing row (ids of the sources' rows).
        """
        from dlcost.store.combined import COMBINED

        chosen = self.resolve_sources(sources)
        if chosen == [COMBINED]:
            chosen = self.sources()
        return self._reads.get(("phases", tuple(chosen)), lambda: self._phases(chosen))

    def _phases(self, chosen: list[str]) -> pd.DataFrame:
        marks = ", ".join("?" for _ in chosen)
        return self.con.execute(
            f"SELECT p.* FROM phases p JOIN results r ON r.id = p.result_id "
            f"WHERE r.source IN ({marks}) ORDER BY p.result_id, p.phase, p.chip_index",
            list(chosen),
        ).df()

    def get(self, result_id: str) -> dict[str, Any]:
        """One result with its phases and estimates; :class:`ResultNotFoundError` if absent."""
        cur = self.con.execute("SELECT * FROM results WHERE id = ?", [result_id])
        row = cur.fetchone()
        if row is None:
            close = [r[0] for r in self.con.execute(
                "SELECT id FROM results WHERE id LIKE ? LIMIT 5", [result_id[:5] + "%"]
            ).fetchall()]
            hint = f" Similar ids: {', '.join(close)}." if close else ""
            raise ResultNotFoundError(
                f"no result with id {result_id!r} in {self.path}.{hint} "
                "List ids with `dlcost data list`."
            )
        names = [d[0] for d in cur.description]
        result = dict(zip(names, row, strict=True))
        for key in ("metrics", "facts", "attributes"):
            if result.get(key):
                result[key] = json.loads(result[key])
        result["phases"] = self._records(
            "SELECT * EXCLUDE (result_id) FROM phases WHERE result_id = ? "
            "ORDER BY list_position(['pretraining','training','finetuning'], phase), chip_index",
            [result_id],
        )
        estimates = self._records(
            "SELECT * EXCLUDE (result_id) FROM estimates WHERE result_id = ? ORDER BY method",
            [result_id],
        )
        for e in estimates:
            for key in ("inputs", "assumptions"):
                if isinstance(e.get(key), str):
                    e[key] = json.loads(e[key])
        result["estimates"] = estimates
        if result.get("benchmark"):
            result["combined"] = self._combined_view(result_id)
        return result

    def _combined_view(self, result_id: str) -> dict[str, Any] | None:
        """The combined result that ``result_id`` belongs to: every contributing source's
        values and which source gave each field (None for rows outside any result)."""
        combined = self.combined()
        cid = combined.group_of(result_id)
        if cid is None:
            return None
        hit = combined.frame[combined.frame["id"] == cid]
        row = hit.astype(object).where(hit.notna(), None).iloc[0].to_dict()
        fields = json.loads(row["field_sources"]) if row.get("field_sources") else {}
        values = {k: row.get(k) for k in ("model", "score", "error", "date", "year",
                                          "parameters", "network_operations",
                                          "hardware_burden", "training_compute")}
        return {"id": cid, "values": values, "field_sources": fields,
                "contributors": combined.members[cid]}

    def _records(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def count(self, source: str | None = None) -> int:
        if source is None:
            return int(self.con.execute("SELECT count(*) FROM results").fetchone()[0])  # type: ignore[index]
        return int(self.con.execute(
            "SELECT count(*) FROM results WHERE source = ?", [source]).fetchone()[0])  # type: ignore[index]

    def hardware(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM hardware ORDER BY name").df()

    def sanitize_text(self) -> int:
        """Replace control and bidi-override characters in every text cell, in this snapshot.

        For stores opened ``read_only`` (the file is never changed): the report calls it so that
        no such character from the data reaches its page, figures or tables. Each becomes
        U+FFFD (see :func:`dlcost.text.sanitize`). Returns the number of cells changed.
        """
        if not self.read_only and isinstance(self.path, Path):
            raise ReadOnlyStoreError(
                "sanitize_text changes text in place; use it on ResultsDB(path, read_only=True)")
        self._reads.clear()
        return guards.sanitize_text(self.con)

    def hardware_prices(self) -> pd.DataFrame:
        """Dated chip prices (Epoch AI's hardware prices, when imported), oldest first."""
        return self.con.execute(
            "SELECT * FROM hardware_prices ORDER BY price_date, hardware, source_row").df()

    def snapshot(self) -> tuple[Any, ...]:
        """Every row of every table, for tests that assert a failed import changed nothing."""
        tables = ("imports", "results", "phases", "estimates", "hardware", "migrations",
                  "hardware_prices")
        return tuple(
            tuple(self.con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()) for t in tables
        )
