"""A synthetic store of models for the trends tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from dlcost.store import ResultsDB
from dlcost.store.batch import ImportBatch


def _model_store(rate: float = 4.0, n: int = 30) -> ResultsDB:
    """Models whose compute grows exactly ``rate``× per year; every third is not notable."""
    batch = ImportBatch(source="epoch", import_key="epoch:synthetic", path=None, sha256="0")
    for i in range(n):
        date = dt.date(2012, 1, 1) + dt.timedelta(days=120 * i)
        t = date.year + (date.timetuple().tm_yday - 1) / 365.25 - 2012
        rid = batch.add_result({
            "model": f"model {i}", "date": date, "year": date.year,
            "attributes": {"notable": i % 3 != 0, "domain": "Language" if i % 2 else "Vision",
                           "organization": "Lab A" if i < 15 else "Lab B",
                           "training_power_draw_w": 1e5 * 2.0 ** t}})
        batch.add_estimates(rid, [], None, reported={"training_compute": 1e20 * rate ** t})
    db = ResultsDB(":memory:", builtin=False)
    db.write(batch)
    return db



@pytest.fixture
def model_store() -> Callable[..., ResultsDB]:
    """``model_store(rate=4.0, n=30)``: a fresh in-memory store of synthetic models."""
    return _model_store
