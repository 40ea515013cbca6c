"""``ResultsDB.write`` in bulk stores exactly what writing the batches one by one stored.

The writer used to delete and insert batch by batch (6 deletes and up to 5 inserts each: a
second for the shipped data's 44 batches); it now deletes once and inserts once per table.
:func:`_one_by_one` is the earlier algorithm, kept here as the reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from dlcost import __version__
from dlcost.exceptions import DataFormatError
from dlcost.store import ResultsDB, seeding, snapshots
from dlcost.store.batch import BATCH_TABLES, ImportBatch
from dlcost.store.importers import builtin, parser

TABLES = ("results", "phases", "estimates", "hardware", "hardware_prices")


def _contents(db: ResultsDB) -> dict[str, pd.DataFrame]:
    out = {t: db.con.execute(f"SELECT * FROM {t} ORDER BY ALL").df() for t in TABLES}
    out["imports"] = db.con.execute(
        "SELECT * EXCLUDE (imported_at) FROM imports ORDER BY import_key").df()
    return out


def _assert_same(new: ResultsDB, old: ResultsDB) -> None:
    expected = _contents(old)
    for table, frame in _contents(new).items():
        pd.testing.assert_frame_equal(frame, expected[table], obj=table)


def _delete(db: ResultsDB, key: str) -> None:
    ids = "SELECT id FROM results WHERE import_key = ?"
    db.con.execute(f"DELETE FROM phases WHERE result_id IN ({ids})", [key])
    db.con.execute(f"DELETE FROM estimates WHERE result_id IN ({ids})", [key])
    for table in ("results", "hardware", "hardware_prices", "imports"):
        db.con.execute(f"DELETE FROM {table} WHERE import_key = ?", [key])


def _one_by_one(db: ResultsDB, batches: Sequence[ImportBatch]) -> None:
    """The earlier writer: per batch, delete its key, check, insert each table, record."""
    keys = [b.import_key for b in batches]
    db.con.execute("BEGIN TRANSACTION")
    for batch in batches:
        if batch.path:
            for (key,) in db.con.execute(
                    "SELECT import_key FROM imports WHERE source = ? AND sha256 = ? AND path "
                    "IS NOT NULL AND path <> ? AND import_key NOT IN (SELECT unnest(?))",
                    [batch.source, batch.sha256, batch.path, keys]).fetchall():
                _delete(db, key)
    sources = sorted({b.source for b in batches if b.kind != "snapshot"})
    if sources:
        for (key,) in db.con.execute(
                "SELECT import_key FROM imports WHERE kind = 'snapshot' AND source IN "
                "(SELECT unnest(?))", [sources]).fetchall():
            _delete(db, key)
    for batch in batches:
        _delete(db, batch.import_key)
        ids = [r["id"] for r in batch.results]
        if ids:
            clash = db.con.execute(
                "SELECT id FROM results WHERE import_key <> ? AND id IN (SELECT unnest(?))",
                [batch.import_key, ids]).fetchone()
            assert clash is None
        for attr, (table, columns) in BATCH_TABLES.items():
            rows: list[dict[str, Any]] = getattr(batch, attr)
            if rows:
                frame = pd.DataFrame.from_records(rows, columns=list(columns))
                db.con.from_df(frame).insert_into(table)
        db.con.execute(
            "INSERT INTO imports (import_key, source, path, sha256, n_rows, dlcost_version, "
            "kind, data_date, licence, attribution, origin, snapshot, imported_at) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, current_timestamp)",
            [batch.import_key, batch.source, batch.path, batch.sha256, batch.n_rows,
             __version__, batch.kind, batch.data_date, batch.licence, batch.attribution,
             batch.origin, batch.snapshot])
    db.con.execute("COMMIT")


def _shipped() -> list[list[ImportBatch]]:
    """The shipped data as the seeders write it: builtin, then each snapshot."""
    return [[builtin.shipped_batch(builtin.fingerprint())],
            *([*snapshots.snapshot_batches(s.name)] for s in snapshots.SPECS)]


def test_the_shipped_data_is_stored_as_one_by_one() -> None:
    new, old = ResultsDB(":memory:"), ResultsDB(":memory:")
    for batches in _shipped():
        assert new.write(batches) == sum(b.n_rows for b in batches)
        _one_by_one(old, batches)
    _assert_same(new, old)
    # and seeding, which writes through the same method, gives the same store
    seeded = ResultsDB(":memory:")
    seeding.seed(seeded)
    _assert_same(seeded, old)
    # writing it all again (every key replaced) changes nothing
    for batches in _shipped():
        new.write(batches)
    _assert_same(new, old)


@pytest.mark.shared_data
def test_imports_over_the_snapshots_are_stored_as_one_by_one(shared_data: Path) -> None:
    new, old = ResultsDB(":memory:"), ResultsDB(":memory:")
    for batches in _shipped():
        new.write(batches)
        _one_by_one(old, batches)
    for fmt, path in (("futuretech", "futuretech_2022"), ("epoch", "epoch_ai_models"),
                      ("epoch-hardware", "epoch_ml_hardware/ml_hardware.csv")):
        batches = parser(fmt)(shared_data / path)
        new.write(batches)
        _one_by_one(old, batches)
        _assert_same(new, old)


def _batch(key: str, models: list[str], source: str = "test") -> ImportBatch:
    batch = ImportBatch(source=source, import_key=key, path=None, sha256=key)
    for model in models:
        batch.add_result({"model": model, "benchmark": "imagenet"})
    return batch


def test_a_result_from_two_imports_is_refused_within_one_write() -> None:
    db = ResultsDB(":memory:")
    with pytest.raises(DataFormatError) as info:
        db.write([_batch("test:a", ["A", "B"]), _batch("test:b", ["B"])])
    assert "'B' (id tes-" in str(info.value)
    assert "is already in the store from the import 'test:a'" in str(info.value)
    assert db.count() == 0


def test_a_result_moving_to_a_later_batch_of_the_same_write_is_refused_as_before() -> None:
    """The one-by-one writer checked batch a before deleting batch b's old rows."""
    db = ResultsDB(":memory:")
    db.write(_batch("test:b", ["B"]))
    with pytest.raises(DataFormatError) as info:
        db.write([_batch("test:a", ["B"]), _batch("test:b", [])])
    assert "is already in the store from the import 'test:b'" in str(info.value)
    db.write([_batch("test:b", []), _batch("test:a", ["B"])])  # b replaced first: accepted
    assert db.results(sources=["test"])["import_key"].tolist() == ["test:a"]


def test_the_last_batch_of_a_key_replaces_the_earlier_ones() -> None:
    db = ResultsDB(":memory:")
    assert db.write([_batch("test:a", ["A", "B"]), _batch("test:a", ["C"])]) == 3
    assert db.results(sources=["test"])["model"].tolist() == ["C"]
    assert db.imports()["import_key"].tolist() == ["test:a"]
