"""The shipped snapshots: rebuilt from the raw files they equal what ships; loading them gives
what importing the raw files gives; seeding is idempotent; a user import replaces them."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dlcost.exceptions import DlcostError
from dlcost.store import ResultsDB
from dlcost.store import snapshots as snap
from dlcost.store.importers import import_path

#: The wheel's package data must stay small (issue 11: under 5 MB in total).
MAX_PACKAGE_BYTES = 5_000_000


@pytest.fixture(scope="module")
def rebuilt(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("snapshots")
    snap.build(shared_data, out)
    return out


@pytest.mark.shared_data
def test_rebuilding_gives_the_shipped_snapshots(rebuilt: Path) -> None:
    """Regenerate with ``python scripts/build_snapshots.py`` when this fails."""
    shipped = snap.package_folder()
    assert snap.manifest(rebuilt) == snap.manifest(shipped)
    files = sorted(p.relative_to(shipped) for p in shipped.rglob("*.parquet"))
    assert files == sorted(p.relative_to(rebuilt) for p in rebuilt.rglob("*.parquet"))
    for rel in files:
        ours, theirs = pq.read_table(shipped / rel), pq.read_table(rebuilt / rel)
        assert ours.schema.equals(theirs.schema), rel
        assert ours.equals(theirs), rel


@pytest.mark.shared_data
def test_manifest_records_the_source_files(shared_data: Path) -> None:
    entries = snap.manifest()
    assert list(entries) == [s.name for s in snap.SPECS]
    for name, entry in entries.items():
        for f in entry["files"]:
            assert snap._sha256(shared_data / f["path"]) == f["sha256"], (name, f["path"])
        assert entry["licence"] and entry["attribution"] and entry["origin_url"]
        assert entry["date_kind"] in ("origin commit", "downloaded")
    # Facts from shared/data/raw/SOURCES.md.
    ft = entries["futuretech"]
    assert (ft["licence"], ft["origin_commit"], ft["date"]) == (
        "GPL-3.0", "62f1e4d22762ede9503b7a10ac3027e499e42ab1", "2022-08-04")
    assert [f["path"] for f in ft["files"]] == sorted(
        f"futuretech_2022/{n}" for n in (
            "image-classification-on-imagenet.csv", "object-detection-on-coco.csv",
            "question-answering-on-squad-1-1.csv", "named-entity-recognition-on-conll-2003.csv",
            "machine-translation-on-wmt2014-en-fr.csv",
            "machine-translation-on-wmt2014-en-de.csv"))
    assert entries["epoch"]["licence"] == "CC BY 4.0"
    assert {f["path"] for f in entries["epoch"]["files"]} == {
        f"epoch_ai_models/{n}_ai_models.csv" for n in ("all", "notable", "large_scale",
                                                        "frontier")}
    assert entries["epoch"]["files"][0]["sha256"].startswith("bb6f8a30d4052e93")
    bench = entries["epoch_benchmarks"]
    assert bench["origin_commit"] == "f87d3cc8e8a8f8471be475ebce58fb9a73b4e756"
    names = {f["path"].split("/")[1] for f in bench["files"]}
    assert {"model_versions.csv", "benchmarks_runs.csv", "distilled_models.csv",
            "epoch_capabilities_index.csv", "external_benchmark_mmlu.csv"} <= names


def test_package_data_is_small() -> None:
    """Prints the size of all package data (snapshots, builtin YAML, tables, templates)."""
    root = Path(snap.__file__).resolve().parents[1]
    data = [p for p in root.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")]
    total = sum(p.stat().st_size for p in data)
    snapshots = snap.package_bytes()
    print(f"\npackage data: {total / 1e6:.2f} MB in {len(data)} files, of which snapshots "
          f"{snapshots / 1e6:.2f} MB")
    assert 0 < snapshots < total < MAX_PACKAGE_BYTES


@pytest.mark.shared_data
def test_loading_equals_importing(shared_data: Path) -> None:
    db = ResultsDB(":memory:", builtin=False)
    assert snap.seed_snapshots(db) == [s.name for s in snap.SPECS]
    reference = ResultsDB(":memory:", builtin=False)
    for s in snap.SPECS:
        import_path(reference, s.import_format, shared_data / s.import_path)
    # results, phases, estimates, hardware, (migrations differ in time), hardware prices
    ours, theirs = db.snapshot(), reference.snapshot()
    for i in (1, 2, 3, 4, 6):
        assert ours[i] == theirs[i]
    imports = db.imports()
    assert set(imports.kind) == {"snapshot"}
    assert imports.set_index("import_key").loc["futuretech:imagenet", "sha256"] == (
        reference.import_sha("futuretech:imagenet"))


def test_seeding_is_idempotent_and_tagged() -> None:
    db = ResultsDB(":memory:", builtin=False)
    loaded = snap.seed_snapshots(db)
    assert loaded == list(snap.manifest())
    before = db.snapshot()
    assert snap.seed_snapshots(db) == []
    assert db.snapshot() == before
    status = {s.source: s for s in snap.source_status(db)}
    assert status["futuretech"].kind == "snapshot"
    assert status["futuretech"].date == "2022-08-04"
    assert status["futuretech"].rows == 516
    assert status["epoch"].licence == "CC BY 4.0"
    assert status["epoch-prices"].rows == 595
    assert status["epoch_benchmarks"].date == "2025-12-03"


def test_an_outdated_snapshot_is_replaced(tmp_path: Path) -> None:
    """A newer dlcost ships a newer snapshot: seeding swaps it in, keys and all."""
    folder = tmp_path / "snaps"
    folder.mkdir()
    entries = snap.manifest()
    entry = json.loads(json.dumps(entries["epoch-prices"]))
    for table, info in entry["tables"].items():
        (folder / info["file"]).parent.mkdir(parents=True, exist_ok=True)
        rows = pq.read_table(snap.package_folder() / info["file"]).slice(0, 10)
        pq.write_table(rows, folder / info["file"])
        entry["tables"][table]["rows"] = 10
    entry["batches"][0]["rows"] = 10
    (folder / snap.MANIFEST).write_text(json.dumps({"snapshots": {"epoch-prices": entry}}))
    db = ResultsDB(":memory:", builtin=False)
    assert snap.seed_snapshots(db, folder) == ["epoch-prices"]
    assert len(db.hardware_prices()) == 10
    assert snap.snapshot_state(db, "epoch-prices", entries["epoch-prices"]) == "outdated"
    assert snap.seed_snapshots(db, snap.package_folder()) == list(entries)
    assert len(db.hardware_prices()) == 595


@pytest.mark.shared_data
def test_a_user_import_replaces_the_snapshot_of_its_source(shared_data: Path) -> None:
    db = ResultsDB(":memory:", builtin=False)
    snap.seed_snapshots(db)
    # One subset file has another import key than the snapshot; its rows would collide.
    import_path(db, "epoch", shared_data / "epoch_ai_models" / "notable_ai_models.csv")
    imports = db.imports()
    assert list(imports[imports.source == "epoch"].import_key) == ["epoch:notable_ai_models"]
    assert db.count("epoch") == 942  # SOURCES.md: 942 rows
    assert snap.snapshot_state(db, "epoch", snap.manifest()["epoch"]) == "replaced"
    assert "epoch" not in snap.seed_snapshots(db)


def test_unknown_snapshot_names_the_known_ones() -> None:
    with pytest.raises(DlcostError) as info:
        snap.snapshot_batches("pwc")
    assert str(info.value) == ("dlcost ships no snapshot called 'pwc'; snapshots: futuretech, "
                               "epoch, epoch-hardware, epoch-prices, epoch_benchmarks")
