"""Query results kept for the length of a block (a report build), handed out as copies.

A report build asks the store for the same rows dozens of times (every landmark pair looks its
models up in all results). Inside :meth:`dlcost.store.ResultsDB.cached_reads` the first answer
to each distinct query is kept and later calls get a copy (callers may modify what they get);
a write to the store in the block empties it. Blocks nest; the cache lives until the outermost
block ends.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd


class ReadCache:
    """The cache of one store connection (inactive outside a block)."""

    def __init__(self) -> None:
        self.frames: dict[tuple[Any, ...], pd.DataFrame] | None = None
        self.names: dict[tuple[Any, ...], tuple[str, ...]] = {}
        #: Counts the changes made through this connection (:meth:`clear` is called on each).
        self.generation = 0

    @contextlib.contextmanager
    def block(self) -> Iterator[None]:
        outer = self.frames is None
        if outer:
            self.frames = {}
        try:
            yield
        finally:
            if outer:
                self.frames = None
                self.names = {}

    def get(self, key: tuple[Any, ...], query: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        if self.frames is None:
            return query()
        if key not in self.frames:
            self.frames[key] = query()
        return self.frames[key].copy()

    def get_names(self, key: tuple[Any, ...], query: Callable[[], list[str]]) -> list[str]:
        """Like :meth:`get`, for a query answering a list of names (e.g. the sources)."""
        if self.frames is None:
            return query()
        if key not in self.names:
            self.names[key] = tuple(query())
        return list(self.names[key])

    def clear(self) -> None:
        self.generation += 1
        if self.frames is not None:
            self.frames.clear()
        self.names = {}
