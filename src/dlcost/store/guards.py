"""Guards of the store's contents: against imports that lose data, and text that misleads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import duckdb

from dlcost.exceptions import ImportRefusedError

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
