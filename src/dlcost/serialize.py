"""One JSON serializer for every document dlcost writes: CLI ``--json``, saved results, the
report's data.

JSON has no NaN or infinity: they become ``null``. numpy scalars and arrays, pandas
timestamps, dates, paths and objects with ``to_dict()`` are converted; anything else is an
error naming its type (never a silent ``str()``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def jsonable(obj: Any) -> Any:
    """``obj`` as plain JSON values: dicts (string keys), lists, str, int, float, bool, None."""
    import numpy as np

    if obj is None or isinstance(obj, str | bool | int):
        return obj
    if isinstance(obj, float):
        return _finite(obj)
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return _finite(float(obj))
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    if hasattr(obj, "to_dict"):
        return jsonable(obj.to_dict())
    raise TypeError(f"{type(obj).__name__} is not JSON serializable")


def dumps(obj: Any, *, indent: int | None = 2, compact: bool = False) -> str:
    """The JSON text of ``obj`` (``compact``: no spaces, non-ASCII kept, for embedding)."""
    if compact:
        return json.dumps(jsonable(obj), separators=(",", ":"), ensure_ascii=False,
                          allow_nan=False)
    return json.dumps(jsonable(obj), indent=indent, allow_nan=False)


def write_json(path: str | Path, obj: Any) -> Path:
    """Write ``dumps(obj)`` and a final newline to ``path``; returns the path."""
    target = Path(path)
    target.write_text(dumps(obj) + "\n", encoding="utf-8")
    return target
