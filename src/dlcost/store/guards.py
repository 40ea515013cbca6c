"""Guards of the store's contents: against imports that lose data or collide with another
import, and text that misleads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import duckdb

from dlcost.exceptions import DataFormatError, ImportRefusedError

if TYPE_CHECKING:
    from dlcost.store.batch import ImportBatch


def check_shrink(
    con: duckdb.DuckDBPyConnection, batches: Sequence[ImportBatch], max_shrink: float
) -> None:
    """Refuse batches that replace many more rows than they bring.

    Checked per import key and, for formats that split one file into several keys (one
    per benchmark), over everything earlier imported from the same file, so a file cut
    at a benchmark's boundary is caught too. Shipped snapshots do not count: the user's
    data replaces them by design.
    """
    def refuse(what: str, before: int, after: int) -> None:
        raise ImportRefusedError(
            f"{what}: the import would replace {before} rows by {after}"
            + (f" (−{1 - after / before:.0%})" if after else "")
            + f"; imports that lose more than {max_shrink:.0%} are refused as a likely "
            "truncated or wrong file. Nothing was changed; give --force (force=True) if "
            "the smaller file is right"
        )

    by_file: dict[tuple[str, str], int] = {}
    for batch in batches:
        old = con.execute(
            "SELECT n_rows FROM imports WHERE import_key = ? AND kind <> 'snapshot'",
            [batch.import_key],
        ).fetchone()
        before = int(old[0]) if old else 0
        after = batch.n_rows
        if before and after < before * (1 - max_shrink):
            refuse(f"{batch.path or batch.import_key} ({batch.import_key})", before, after)
        if batch.path:
            key = (batch.source, batch.path)
            by_file[key] = by_file.get(key, 0) + after
    for (source, path), after in by_file.items():
        old = con.execute(
            "SELECT sum(n_rows) FROM imports WHERE source = ? AND path = ? "
            "AND kind <> 'snapshot'", [source, path]
        ).fetchone()
        before = int(old[0]) if old and old[0] is not None else 0
        if before and after < before * (1 - max_shrink):
            refuse(path, before, after)



def check_collisions(con: duckdb.DuckDBPyConnection, batches: Sequence[ImportBatch],
                     stale: Sequence[str]) -> None:
    """A result (or chip) may come from only one import of its source.

    Checks each batch as the one-after-the-other write would: against the stored rows
    whose import is not replaced by then (``stale``, then the keys of this batch and those
    before it), and against the earlier batches of this write.
    """
    ids = [r["id"] for b in batches for r in b.results]
    names = {(b.source, h["name"]) for b in batches for h in b.hardware}
    stored_results = {rid: (model, key) for rid, model, key in con.execute(
        "SELECT id, model, import_key FROM results WHERE id IN (SELECT unnest(?))",
        [ids]).fetchall()} if ids else {}
    stored_chips: dict[tuple[str, str], list[str]] = {}
    if names:
        for source, name, key in con.execute(
                "SELECT source, name, import_key FROM hardware WHERE name IN "
                "(SELECT unnest(?)) ORDER BY import_key",
                [sorted({n for _, n in names})]).fetchall():
            stored_chips.setdefault((source, name), []).append(key)
    gone = set(stale)
    written: dict[str, tuple[str, str]] = {}  # id → (model, key) of earlier batches
    written_chips: dict[tuple[str, str], str] = {}
    for batch in batches:
        key = batch.import_key
        gone.add(key)
        written = {i: v for i, v in written.items() if v[1] != key}
        written_chips = {c: k for c, k in written_chips.items() if k != key}
        for h in batch.hardware:
            chip = (batch.source, h["name"])
            holders = [k for k in stored_chips.get(chip, []) if k not in gone]
            holders += [written_chips[chip]] if chip in written_chips else []
            if holders:
                raise DataFormatError(
                    f"hardware {h['name']!r} is already in the store from the import "
                    f"{holders[0]!r}; one chip cannot come from two imports of the same "
                    "source. Re-import the file that holds both, or use another --db",
                    path=batch.path,
                )
        for r in batch.results:
            hit = written.get(r["id"])
            stored = stored_results.get(r["id"])
            if hit is None and stored is not None and stored[1] not in gone:
                hit = stored
            if hit is not None:
                raise DataFormatError(
                    f"{hit[0]!r} (id {r['id']}) is already in the store from the import "
                    f"{hit[1]!r}; one result cannot come from two imports of the same "
                    "source. Re-import the file or folder that holds both, or use another "
                    "--db",
                    path=batch.path,
                )
        written.update({r["id"]: (r.get("model"), key) for r in batch.results})
        written_chips.update({(batch.source, h["name"]): key for h in batch.hardware})

def sanitize_text(con: duckdb.DuckDBPyConnection) -> int:
    """Replace control and bidi-override characters in every text cell of ``con``'s tables.

    Each becomes U+FFFD; JSON columns are also cleaned of the same characters written as
    ``\\uXXXX`` escapes. Returns the number of cells changed.
    """
    from dlcost.text import REPLACEMENT, UNSAFE_JSON_ESCAPE_PATTERN, UNSAFE_SQL_PATTERN

    changed = 0
    columns = con.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE "
        "database_name = current_database() AND data_type IN ('VARCHAR', 'JSON')"
    ).fetchall()
    for table, column, kind in columns:
        pattern = UNSAFE_SQL_PATTERN
        if kind == "JSON":
            pattern = f"{UNSAFE_SQL_PATTERN}|{UNSAFE_JSON_ESCAPE_PATTERN}"
        (n,) = con.execute(
            f'SELECT count(*) FROM "{table}" WHERE regexp_matches("{column}"::VARCHAR, ?)',
            [pattern],
        ).fetchone() or (0,)
        if n:
            con.execute(
                f'UPDATE "{table}" SET "{column}" = regexp_replace("{column}"::VARCHAR, ?, ?, '
                f"'g') WHERE regexp_matches(\"{column}\"::VARCHAR, ?)",
                [pattern, REPLACEMENT, pattern],
            )
            changed += int(n)
    return changed
