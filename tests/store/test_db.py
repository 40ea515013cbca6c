"""The results store: migrations, transactions, ids, lookups."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dlcost.exceptions import DlcostError, ResultNotFoundError, TransactionError
from dlcost.store import ResultsDB, default_db_path, seeding
from dlcost.store.batch import ImportBatch
from dlcost.store.schema import MIGRATIONS
from dlcost.store.snapshots import SPECS


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


#: The shipped snapshots, seeded after builtin by the same step (dlcost.store.snapshots).
SNAPSHOTS = [s.name for s in SPECS]


def test_opening_a_store_does_not_seed(tmp_path: Path) -> None:
    db = ResultsDB(tmp_path / "plain.duckdb")
    assert db.count() == 0
    assert seeding.pending(db) == ["builtin", *SNAPSHOTS]
    db.close()


def test_seeding_is_explicit_and_idempotent(tmp_path: Path) -> None:
    db = ResultsDB(tmp_path / "s.duckdb")
    assert seeding.seed_builtin(db) is True
    n = db.count("builtin")
    assert n > 0
    assert seeding.pending(db) == SNAPSHOTS
    assert seeding.seed(db) == SNAPSHOTS
    assert seeding.pending(db) == []
    assert seeding.seed(db) == []
    assert seeding.seed_builtin(db) is False
    assert db.count("builtin") == n
    db.close()


def test_reopening_a_current_store_writes_nothing(tmp_path: Path) -> None:
    """A migrated, seeded store is only read when opened again (the file's bytes stay)."""
    import hashlib

    from dlcost.store import open_db

    path = tmp_path / "current.duckdb"
    open_db(path).close()

    def digest() -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()

    before = digest()
    db = open_db(path)
    assert db.count("builtin") > 0
    db.close()
    assert digest() == before
    wal = path.with_name(path.name + ".wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_an_outdated_seed_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dlcost.store.importers import builtin

    db = ResultsDB(tmp_path / "old.duckdb")
    seeding.seed(db)
    n = db.count("builtin")
    monkeypatch.setattr(builtin, "fingerprint", lambda: "0" * 64)
    assert seeding.pending(db) == ["builtin"]
    assert seeding.seed(db) == ["builtin"]
    assert db.count("builtin") == n
    assert db.import_sha("builtin") == "0" * 64
    db.close()


def test_a_registered_seeder_is_loaded_by_the_same_step(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(seeding.SEEDERS, "extra", lambda: seeding.Seeder(
        name="extra", import_key="test:extra", fingerprint=lambda: "1" * 64,
        batches=lambda fp: [_batch(["A", "B"], key="test:extra")],
    ))
    db = ResultsDB(":memory:")
    assert seeding.seed(db) == ["builtin", *SNAPSHOTS, "extra"]
    assert db.count("test") == 2
    assert seeding.pending(db) == ["extra"]  # its batch records another sha
    db.close()


def test_nested_atomic_blocks_commit_once_with_the_outer(tmp_path: Path) -> None:
    db = ResultsDB(":memory:")
    with db.atomic():
        db.write(_batch(["A"], key="test:a"))  # write() opens its own (inner) block
        with db.atomic():
            assert db.in_transaction
            db.write(_batch(["B"], key="test:b"))
        assert db.in_transaction
    assert not db.in_transaction
    assert db.count("test") == 2


def test_a_failed_inner_block_undoes_the_whole_transaction() -> None:
    db = ResultsDB(":memory:")
    db.write(_batch(["Kept"], key="test:kept"))
    before = db.snapshot()

    def outer_swallows_inner_failure() -> None:
        with db.atomic():
            db.write(_batch(["A"], key="test:a"))
            try:
                with db.atomic():
                    db.write(_batch(["B"], key="test:b"))
                    raise KeyError("boom")
            except KeyError:
                pass  # the outer block goes on, but must not commit half of its work

    with pytest.raises(TransactionError, match="inner atomic block failed"):
        outer_swallows_inner_failure()
    assert db.snapshot() == before
    assert not db.in_transaction
    db.write(_batch(["C"], key="test:c"))  # the store is usable afterwards
    assert db.count("test") == 2


def test_an_error_in_the_outer_block_rolls_back_inner_work() -> None:
    db = ResultsDB(":memory:")
    before = db.snapshot()

    def outer_fails() -> None:
        with db.atomic():
            with db.atomic():
                db.write(_batch(["A"], key="test:a"))
            raise ValueError("outer")

    with pytest.raises(ValueError, match="outer"):
        outer_fails()
    assert db.snapshot() == before


def test_a_failed_commit_is_rolled_back_and_reported() -> None:
    """Another connection commits the same id first: our COMMIT fails on the primary key."""
    db = ResultsDB(":memory:")
    other = db.con.cursor()

    def conflicting_write() -> None:
        with db.atomic():
            db.write(_batch(["A"], key="test:a"))
            other.execute("BEGIN TRANSACTION")
            other.execute("INSERT INTO imports (import_key, source, path, sha256, n_rows, "
                          "dlcost_version) VALUES ('test:a', 'test', NULL, 'x', 1, '0')")
            other.execute("COMMIT")

    with pytest.raises(TransactionError, match="could not commit"):
        conflicting_write()
    assert not db.in_transaction
    assert db.count("test") == 0
    db.write(_batch(["B"], key="test:b"))  # usable afterwards, and nothing half-written
    assert db.count("test") == 1


def test_cached_reads_run_each_query_once_and_hand_out_copies() -> None:
    from dlcost.store import ResultsDB, seed

    db = ResultsDB(":memory:")
    seed(db)
    calls: list[str] = []
    original = db._results

    def counting(benchmark, chosen):  # type: ignore[no-untyped-def]
        calls.append(benchmark)
        return original(benchmark, chosen)

    db._results = counting  # type: ignore[method-assign]
    plain = db.results(sources=["builtin"])
    with db.cached_reads():
        first = db.results(sources=["builtin"])
        first.loc[:, "model"] = "changed by the caller"
        second = db.results(sources=["builtin"])
        db.results(benchmark="imagenet", sources=["builtin"])
        db.results(benchmark="imagenet", sources=["builtin"])
    assert calls == [None, None, "imagenet"]
    pd.testing.assert_frame_equal(second, plain)
    db.results(sources=["builtin"])
    assert calls == [None, None, "imagenet", None]  # no cache outside the block


def test_cached_reads_keep_the_sources_and_a_write_forgets_them() -> None:
    from dlcost.store import ResultsDB, seed

    db = ResultsDB(":memory:")
    seed(db)
    with db.cached_reads():
        before = db.sources()
        before.append("changed by the caller")
        assert db.sources() == sorted(set(db.sources()))
        assert "changed by the caller" not in db.sources()
        db.write(_batch(["A"], key="test:a"))
        assert "test" in db.sources()  # the write emptied the cache
    assert "test" in db.sources()


def test_the_combined_view_is_reused_across_runs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The matching is kept on disk keyed on the imports and the code (a new run skips it)."""
    from dlcost.store import combined as combined_module
    from dlcost.store import seed

    path = tmp_path / "store.duckdb"
    with ResultsDB(path) as db:
        seed(db)
        first = db.combined()
    real = combined_module.combine

    def refuse(frame):  # type: ignore[no-untyped-def]
        raise AssertionError("recomputed although the data did not change")

    monkeypatch.setattr(combined_module, "combine", refuse)
    with ResultsDB(path) as db:  # a new run: the file from the first one is used
        pd.testing.assert_frame_equal(db.combined().frame, first.frame)
    monkeypatch.setattr(combined_module, "combine", real)
    monkeypatch.setenv("DLCOST_DISK_CACHE", "0")
    with ResultsDB(path) as db:
        pd.testing.assert_frame_equal(db.combined().frame, first.frame)
