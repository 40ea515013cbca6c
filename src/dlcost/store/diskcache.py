"""Derived tables kept on disk between runs, keyed on everything they are derived from.

Matching every source's rows into the combined view (:mod:`dlcost.store.combined`) costs
seconds and was redone by every command: a third of ``dlcost fit imagenet --json``. Its result
depends only on the store's imports (their keys, SHA-256 and row counts), dlcost's version and
the matching code, so it is kept under ``$DLCOST_CACHE_DIR/combined/`` (else the user cache
folder) in a file named by the hash of those. A file that cannot be read is ignored and
rebuilt; one that cannot be written leaves the command working, uncached.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from dlcost import __version__

T = TypeVar("T")
#: Set to 0 (``DLCOST_DISK_CACHE=0``) to compute everything afresh each run.
ENV_SWITCH = "DLCOST_DISK_CACHE"


def cache_dir() -> Path:
    """``$DLCOST_CACHE_DIR``, else the user cache folder of dlcost."""
    env = os.environ.get("DLCOST_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("dlcost"))


def code_digest(*modules: str) -> str:
    """A hash of dlcost's version and the source of ``modules`` (paths under ``dlcost/``)."""
    digest = hashlib.sha256(__version__.encode())
    for name in modules:
        path = Path(__file__).resolve().parents[1] / f"{name}.py"
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def cached(kind: str, key: tuple[Any, ...], build: Callable[[], T], *,
           code: tuple[str, ...] = ()) -> T:
    """``build()``, or its result from an earlier run with the same ``key`` and code.

    ``code`` names the modules (paths under ``dlcost/``, no suffix) whose source the result
    depends on: a change to them is a new key.
    """
    if os.environ.get(ENV_SWITCH, "1") == "0":
        return build()
    name = hashlib.sha256(repr((key, code_digest(*code))).encode()).hexdigest()[:32]
    path = cache_dir() / kind / f"{name}.pickle"
    try:
        with path.open("rb") as handle:
            value: T = pickle.load(handle)
        return value
    except Exception:  # missing, damaged or from another version: rebuild
        pass
    value = build()
    with contextlib.suppress(OSError, pickle.PicklingError):
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        with partial.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)
    return value
