"""Results derived from the store, kept for as long as the store does not change.

A report asks for the same points many times: the scaling data of each benchmark (headline,
figures, planner), the models behind the growth trends (growth section, planner), the
language-model scores (frontier, backtests). Each is derived from the store's rows by pure
functions, so :func:`store_memo` keeps them per store connection, keyed on the store's state:
its imports (key, SHA-256, rows), its number of results, and the count of changes made through
the connection (``db.generation``: writes, removals, and in-place edits such as
``sanitize_text``, which leave the first two alone). Callers
hand out copies of what they keep, so nothing a caller changes leaks into the next answer.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dlcost.store.db import ResultsDB

_MEMOS: weakref.WeakKeyDictionary[Any, tuple[tuple[Any, ...], dict[Any, Any]]] = \
    weakref.WeakKeyDictionary()


def store_state(db: ResultsDB) -> tuple[Any, ...]:
    """Changes whenever an import is written, replaced or removed, results are deleted, or
    text is edited in place through this connection."""
    return (db.generation, *(db.con.execute(
        "SELECT (SELECT count(*) FROM imports), (SELECT string_agg(import_key || sha256 || "
        "n_rows, ',' ORDER BY import_key) FROM imports), (SELECT count(*) FROM results)"
    ).fetchone() or ()))


def store_memo(db: ResultsDB) -> dict[Any, Any]:
    """The memo of ``db`` in its current state (emptied when the state changed)."""
    state = store_state(db)
    entry = _MEMOS.get(db)
    if entry is None or entry[0] != state:
        entry = (state, {})
        _MEMOS[db] = entry
    return entry[1]


def hashable(key: Any) -> bool:
    """Whether ``key`` can index a memo (a list among the options cannot)."""
    try:
        hash(key)
    except TypeError:
        return False
    return True
