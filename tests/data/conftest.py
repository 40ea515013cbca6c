"""Fixtures for the shipped-table tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from dlcost.data import accelerators


def _clear_caches() -> None:
    for cached in (accelerators._catalogue, accelerators._frame, accelerators._price_rows):
        cached.cache_clear()


@pytest.fixture
def patched_table(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str, str], None]]:
    """Replace one shipped CSV by given text for one test; the real tables come back after."""
    real = accelerators._read_text
    overrides: dict[str, str] = {}

    def read(filename: str) -> str:
        return overrides.get(filename) or real(filename)

    def patch(filename: str, text: str) -> None:
        overrides[filename] = text
        _clear_caches()

    monkeypatch.setattr(accelerators, "_read_text", read)
    _clear_caches()
    yield patch
    _clear_caches()
