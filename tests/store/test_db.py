"""The results store: migrations, transactions, ids, lookups."""

from __future__ import annotations

from pathlib import Path

import pytest

from dlcost.exceptions import DlcostError, ResultNotFoundError
from dlcost.store import ResultsDB, default_db_path
from dlcost.store.batch import ImportBatch
from dlcost.store.schema import MIGRATIONS


def _batch(models: list[str], key: str = "test:one") -> ImportBatch:
    batch = ImportBatch(source="test", import_key=key, path=None, sha256="0" * 64)
    for i, m in enumerate(models, start=2):
        batch.add_result({"benchmark": "imagenet", "model": m, "score": 70.0, "error": 0.3,
                          "year": 2020}, source_row=i)
    return batch


def test_migrations_are_recorded_once(tmp_path: Path) -> None:
    path = tmp_path / "m.duckdb"
    db = ResultsDB(path, builtin=False)
    assert db.applied_migrations() == [m.name for m in MIGRATIONS]
    db.close()
    again = ResultsDB(path, builtin=False)
    assert again.migrate() == []
    again.close()


def test_default_path_follows_the_environment(monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    monkeypatch.setenv("DLCOST_DB", str(tmp_path / "x.duckdb"))
    assert default_db_path() == tmp_path / "x.duckdb"
    monkeypatch.delenv("DLCOST_DB")
    assert default_db_path().name == "dlcost.duckdb"


def test_write_replaces_an_import_and_ids_are_stable() -> None:
    db = ResultsDB(":memory:", builtin=False)
    db.write(_batch(["A", "B"]))
    ids = set(db.results(sources=["test"]).id)
    db.write(_batch(["A", "B"]))
    assert set(db.results(sources=["test"]).id) == ids
    db.write(_batch(["A"]))
    assert list(db.results(sources=["test"]).model) == ["A"]


def test_a_failing_transaction_leaves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    db = ResultsDB(":memory:", builtin=False)
    db.write(_batch(["A"]))
    before = db.snapshot()
    bad = _batch(["C"], key="test:two")
    bad.phases.append({"result_id": None})  # violates NOT NULL on insert: the write must fail
    with pytest.raises(Exception, match="NOT NULL"):
        db.write([_batch(["D"], key="test:three"), bad])
    assert db.snapshot() == before


def test_get_and_not_found() -> None:
    db = ResultsDB(":memory:", builtin=False)
    db.write(_batch(["A"]))
    rid = db.results(sources=["test"]).id[0]
    assert db.get(rid)["model"] == "A"
    with pytest.raises(ResultNotFoundError) as info:
        db.get("tes-nothere")
    assert str(info.value).startswith("no result with id 'tes-nothere' in :memory:.")
    assert "List ids with `dlcost data list`." in str(info.value)


def test_unknown_source_is_named() -> None:
    db = ResultsDB(":memory:", builtin=False)
    db.write(_batch(["A"]))
    with pytest.raises(DlcostError) as info:
        db.results(sources=["epoch"])
    assert str(info.value) == (
        "no data from source 'epoch' in :memory:; available: test. Import it with "
        "`dlcost data import FORMAT PATH` or `dlcost data fetch SOURCE`"
    )


def test_default_sources_combine_imports_with_builtin() -> None:
    db = ResultsDB(":memory:", builtin=False)
    assert db.default_sources() == ["builtin"]
    db.write(_batch(["A"]))
    assert db.default_sources() == ["combined"]
