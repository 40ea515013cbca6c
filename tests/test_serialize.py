"""The one JSON serializer: NaN/inf become null, numpy and dates are converted, the rest refused."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from dlcost.serialize import dumps, jsonable


class _HasDict:
    def to_dict(self) -> dict[str, float]:
        return {"x": float("nan")}


def test_values_become_plain_json() -> None:
    value = {
        "nan": float("nan"), "inf": np.float64("inf"), "i": np.int64(3), "b": np.bool_(True),
        "arr": np.array([1.0, np.nan]), "date": dt.date(2020, 1, 2), "path": Path("a/b"),
        "obj": _HasDict(), 1: (1, 2),
    }
    assert jsonable(value) == {
        "nan": None, "inf": None, "i": 3, "b": True, "arr": [1.0, None], "date": "2020-01-02",
        "path": "a/b", "obj": {"x": None}, "1": [1, 2],
    }
    assert json.loads(dumps(value))["arr"] == [1.0, None]


def test_compact_keeps_non_ascii_and_has_no_spaces() -> None:
    assert dumps({"a": "CO₂", "b": [1, 2]}, compact=True) == '{"a":"CO₂","b":[1,2]}'


def test_an_unknown_type_is_refused_by_name() -> None:
    with pytest.raises(TypeError, match="object is not JSON serializable"):
        dumps({"x": object()})
