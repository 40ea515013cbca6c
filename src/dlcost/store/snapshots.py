"""Dated snapshots of public datasets shipped as package data, so a fresh store has them.

A snapshot is what one of dlcost's own importers makes of a public dataset, stored as Parquet
(zstd) tables holding the store's columns, with a manifest that records where the data came
from: origin URL, origin commit or download date, the SHA-256 of every source file, licence
and attribution. ``scripts/build_snapshots.py`` builds them from the raw files
(``$DLCOST_SHARED_DATA``); a test rebuilds them and asserts that the result equals what ships.

Building goes *through the importers*: each :class:`SnapshotSpec` names an import format, and
the batches that format's parser returns are written to a throw-away store and read back, so a
snapshot holds exactly the rows an import of the same files would. Adding a dataset is one
entry in :data:`SPECS`.

Loading (:func:`load_snapshot`) turns the tables back into import batches and writes them with
:meth:`ResultsDB.write`, recorded as ``kind = 'snapshot'`` with the snapshot's date, licence and
attribution. Seeding (:func:`seed_snapshots`) loads each snapshot once; a source the user has
imported or fetched since is left alone, and ``dlcost data fetch`` replaces a snapshot.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dlcost.exceptions import DataNotFoundError, UnknownSourceError
from dlcost.store.batch import BATCH_TABLES, ImportBatch
from dlcost.store.seeding import ImportRow, Seeder, import_rows, register

if TYPE_CHECKING:
    from dlcost.store.db import ResultsDB

MANIFEST = "manifest.json"
#: Parquet settings: zstd at a high level; one row group per table keeps the files small.
COMPRESSION = "zstd"
COMPRESSION_LEVEL = 19
#: Primary-key order of each store table, so that a rebuild writes the same rows in the same
#: order (the files are compared by content).
ORDER_BY = {
    "results": "id",
    "phases": "result_id, phase, chip_index",
    "estimates": "result_id, method",
    "hardware": "source, name",
    "hardware_prices": "import_key, source_row",
}
PACKAGE_FOLDER = "snapshots"


@dataclass(frozen=True)
class SnapshotSpec:
    """One public dataset to ship: which importer reads which raw files, and their provenance.

    ``import_path`` is given to the importer (relative to the raw-data root); ``files`` are the
    glob patterns of every file the importer reads there (hashed into the manifest).
    ``date`` is the origin commit's date or the download date, as ``date_kind`` says.
    """

    name: str
    import_format: str
    import_path: str
    files: tuple[str, ...]
    title: str
    origin_url: str
    date: str
    date_kind: str
    licence: str
    attribution: str
    origin_commit: str | None = None
    obtained_from: str | None = None


_EPOCH_LICENCE = "CC BY 4.0"
SPECS: tuple[SnapshotSpec, ...] = (
    SnapshotSpec(
        name="futuretech",
        import_format="futuretech",
        import_path="futuretech_2022",
        files=("futuretech_2022/*.csv",),
        title="MIT FutureTech, The Computational Limits of Deep Learning: data (v2, 2022)",
        origin_url="https://github.com/MIT-FutureTech/TheComputationalLimitsOfDeepLearning",
        origin_commit="62f1e4d22762ede9503b7a10ac3027e499e42ab1",
        date="2022-08-04",
        date_kind="origin commit",
        licence="GPL-3.0",
        attribution="Thompson, Greenewald, Lee, Manso, \"The Computational Limits of Deep "
                    "Learning\" (arXiv:2007.05558), v2 data; MIT FutureTech.",
    ),
    SnapshotSpec(
        name="epoch",
        import_format="epoch",
        import_path="epoch_ai_models",
        files=("epoch_ai_models/*.csv",),
        title="Epoch AI, Data on AI Models (all models, with the notable, large-scale and "
              "frontier flags)",
        origin_url="https://epoch.ai/data/ai-models",
        obtained_from="github.com/Zanmadit/ai_hack_cast data/ai_models.zip at commit "
                      "09f583827551cf482d2674654556b1d038e61f9f",
        date="2025-11-01",
        date_kind="downloaded",
        licence=_EPOCH_LICENCE,
        attribution="Epoch AI, \"Data on AI Models\". Published online at epoch.ai. "
                    "Retrieved 2025-11-01.",
    ),
    SnapshotSpec(
        name="epoch-hardware",
        import_format="epoch-hardware",
        import_path="epoch_ml_hardware/ml_hardware.csv",
        files=("epoch_ml_hardware/ml_hardware.csv",),
        title="Epoch AI, Data on Machine Learning Hardware",
        origin_url="https://epoch.ai/data/machine-learning-hardware",
        obtained_from="github.com/natepaulo43-oss/Capstone-AI-Capex-Wall data/ml_hardware.csv "
                      "at commit efc5e00199e325df2a3832947e1a20c3dc25e5d7",
        date="2026-03-31",
        date_kind="downloaded",
        licence=_EPOCH_LICENCE,
        attribution="Epoch AI, \"Data on Machine Learning Hardware\". Published online at "
                    "epoch.ai. Retrieved 2026-03-31.",
    ),
    SnapshotSpec(
        name="epoch-prices",
        import_format="epoch-prices",
        import_path="epoch_training_cost_trends/hardware_prices.csv",
        files=("epoch_training_cost_trends/hardware_prices.csv",),
        title="Epoch AI, hardware prices of \"The rising costs of training frontier AI "
              "models\" (November 2025 data update)",
        origin_url="https://github.com/epoch-research/training-cost-trends",
        origin_commit="5deb003d233687beaa59f9957d6c69534b234364",
        date="2025-11-28",
        date_kind="origin commit",
        licence=_EPOCH_LICENCE,
        attribution="Epoch AI; Cottier et al. 2024, \"The rising costs of training frontier "
                    "AI models\" (arXiv:2405.21015), data/Hardware prices.csv.",
    ),
    SnapshotSpec(
        name="epoch_benchmarks",
        import_format="epoch-benchmarks",
        import_path="epoch_benchmarks",
        files=("epoch_benchmarks/*.csv",),
        title="Epoch AI, Benchmarking Hub data (external benchmarks, Epoch's runs, model "
              "versions, distilled models, Epoch Capabilities Index)",
        origin_url="https://github.com/epoch-research/benchmark-stitching",
        origin_commit="f87d3cc8e8a8f8471be475ebce58fb9a73b4e756",
        date="2025-12-03",
        date_kind="origin commit",
        licence=_EPOCH_LICENCE,
        attribution="Epoch AI, \"AI Benchmarking Hub\" and \"A Rosetta Stone for AI "
                    "Benchmarks\" (github.com/epoch-research/benchmark-stitching, data/; the "
                    "capabilities index from data/website/epoch_capabilities_index.csv at commit "
                    "07356c2106015f283c23a1f2478ea9e654a9f24f). Published online at epoch.ai.",
    ),
)


def spec(name: str) -> SnapshotSpec:
    for s in SPECS:
        if s.name == name:
            return s
    raise UnknownSourceError(f"no snapshot called {name!r}; snapshots: "
                      f"{', '.join(s.name for s in SPECS)}")


# --- building ------------------------------------------------------------------------------


def source_files(raw_root: Path, snapshot: SnapshotSpec) -> list[Path]:
    """The raw files of ``snapshot`` under ``raw_root``, sorted by relative path."""
    found = sorted({p for pattern in snapshot.files for p in raw_root.glob(pattern)
                    if p.is_file()})
    if not found:
        raise DataNotFoundError(
            f"{raw_root}: none of {', '.join(snapshot.files)} found for the snapshot "
            f"{snapshot.name!r}; give the shared/data/raw folder (DLCOST_SHARED_DATA)"
        )
    return found


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_snapshot(raw_root: Path, snapshot: SnapshotSpec, out_dir: Path) -> dict[str, Any]:
    """Import ``snapshot``'s raw files with its importer and write its tables; its manifest."""
    import pyarrow.parquet as pq

    from dlcost.store.db import ResultsDB
    from dlcost.store.importers import parser

    raw_root = raw_root.resolve()
    files = source_files(raw_root, snapshot)
    batches = parser(snapshot.import_format)(raw_root / snapshot.import_path)
    folder = out_dir / snapshot.name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.parquet"):
        old.unlink()
    tables: dict[str, dict[str, Any]] = {}
    with ResultsDB(":memory:", builtin=False) as db:
        db.write(batches)
        for _, (table, _columns) in BATCH_TABLES.items():
            rel = db.con.sql(f"SELECT * FROM {table} ORDER BY {ORDER_BY[table]}")
            # duckdb ≥ 1.4 names it to_arrow_table; older releases fetch_arrow_table
            to_arrow = getattr(rel, "to_arrow_table", None) or rel.fetch_arrow_table
            data = to_arrow()
            if data.num_rows == 0:
                continue
            name = f"{table}.parquet"
            pq.write_table(data, folder / name, compression=COMPRESSION,
                           compression_level=COMPRESSION_LEVEL, row_group_size=data.num_rows)
            tables[table] = {"file": f"{snapshot.name}/{name}", "rows": data.num_rows}
    entry = {
        **{k: v for k, v in asdict(snapshot).items() if k not in ("files", "import_path")},
        "files": [{"path": str(p.relative_to(raw_root)), "bytes": p.stat().st_size,
                   "sha256": _sha256(p)} for p in files],
        "batches": [{"import_key": b.import_key, "source": b.source, "sha256": b.sha256,
                     "rows": b.n_rows, "skipped": dict(sorted(b.skipped.items()))}
                    for b in sorted(batches, key=lambda b: b.import_key)],
        "tables": tables,
    }
    return entry


def build(raw_root: Path, out_dir: Path, names: Sequence[str] | None = None) -> dict[str, Any]:
    """Build every snapshot (or those named) from ``raw_root`` into ``out_dir``; the manifest.

    The output depends only on the raw files and dlcost's importers: building twice gives the
    same tables and the same manifest.
    """
    chosen = [spec(n) for n in names] if names else list(SPECS)
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = out_dir / MANIFEST
    manifest: dict[str, Any] = {"snapshots": {}}
    if names and manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
    for s in chosen:
        manifest["snapshots"][s.name] = build_snapshot(raw_root, s, out_dir)
    manifest["snapshots"] = {s.name: manifest["snapshots"][s.name] for s in SPECS
                             if s.name in manifest["snapshots"]}
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return manifest


# --- reading the shipped snapshots ---------------------------------------------------------


def package_folder() -> Path:
    """Where the shipped snapshots live (``dlcost/data/snapshots``)."""
    return Path(str(resources.files("dlcost.data") / PACKAGE_FOLDER))


def manifest(folder: Path | None = None) -> dict[str, Any]:
    """The manifest of the snapshots in ``folder`` (default: the shipped ones); name → entry."""
    path = (folder or package_folder()) / MANIFEST
    if not path.exists():
        return {}
    snapshots: dict[str, Any] = json.loads(path.read_text())["snapshots"]
    order = {s.name: i for i, s in enumerate(SPECS)}
    return dict(sorted(snapshots.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


def read_tables(entry: dict[str, Any], folder: Path | None = None) -> dict[str, Any]:
    """The Arrow tables of one snapshot, by store table name."""
    import pyarrow.parquet as pq

    root = folder or package_folder()
    return {table: pq.read_table(root / info["file"]) for table, info in entry["tables"].items()}


def fingerprint(entry: dict[str, Any]) -> str:
    """What identifies a snapshot's content: the hash of its manifest entry."""
    return hashlib.sha256(json.dumps(entry, sort_keys=True).encode()).hexdigest()


def snapshot_batches(name: str, folder: Path | None = None) -> list[ImportBatch]:
    """The shipped snapshot ``name`` as import batches, tagged as a snapshot."""
    entries = manifest(folder)
    if name not in entries:
        raise UnknownSourceError(f"dlcost ships no snapshot called {name!r}; snapshots: "
                          f"{', '.join(entries) or 'none'}")
    entry = entries[name]
    tables = read_tables(entry, folder)
    batches: dict[str, ImportBatch] = {}
    for b in entry["batches"]:
        batch = ImportBatch(source=b["source"], import_key=b["import_key"], path=None,
                            sha256=b["sha256"])
        batch.kind = "snapshot"
        batch.data_date = dt.date.fromisoformat(entry["date"])
        batch.licence = entry["licence"]
        batch.attribution = entry["attribution"]
        batch.origin = entry["origin_url"]
        batch.snapshot = fingerprint(entry)
        batches[b["import_key"]] = batch
    key_of: dict[str, str] = {}
    for attr, (table, _columns) in BATCH_TABLES.items():
        if table not in tables:
            continue
        for row in tables[table].to_pylist():
            if "import_key" in row:
                key = row["import_key"]
                if attr == "results":
                    key_of[row["id"]] = key
            else:
                key = key_of[row["result_id"]]
            getattr(batches[key], attr).append(row)
    return list(batches.values())


def package_bytes(folder: Path | None = None) -> int:
    """Total size of the shipped snapshot files (Parquet and manifest), in bytes."""
    root = folder or package_folder()
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


@dataclass(frozen=True)
class Snapshot:
    """One shipped snapshot as the store and the report describe it."""

    name: str
    title: str
    date: str
    date_kind: str
    origin_url: str
    origin_commit: str | None
    licence: str
    attribution: str
    files: tuple[dict[str, Any], ...]
    rows: int

    @classmethod
    def from_entry(cls, name: str, entry: dict[str, Any]) -> Snapshot:
        return cls(name=name, title=entry["title"], date=entry["date"],
                   date_kind=entry["date_kind"], origin_url=entry["origin_url"],
                   origin_commit=entry.get("origin_commit"), licence=entry["licence"],
                   attribution=entry["attribution"], files=tuple(entry["files"]),
                   rows=sum(b["rows"] for b in entry["batches"]))

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "files": list(self.files)}


def shipped() -> list[Snapshot]:
    """Every snapshot dlcost ships, in :data:`SPECS` order."""
    return [Snapshot.from_entry(n, e) for n, e in manifest().items()]


# --- seeding -------------------------------------------------------------------------------


def snapshot_state(db: ResultsDB, name: str, entry: dict[str, Any],
                   imports: Sequence[ImportRow] | None = None) -> str:
    """``current``, ``missing``, ``outdated`` (an older snapshot) or ``replaced`` (by the user).

    A snapshot is replaced when any of its import keys, or its source, holds data the user
    imported or fetched: seeding never overwrites those.
    """
    keys = [b["import_key"] for b in entry["batches"]]
    sources = {b["source"] for b in entry["batches"]}
    # Plain rows, not db.imports(): every command asks this of every snapshot.
    rows = import_rows(db) if imports is None else imports
    mine = [(r.import_key, r.kind, r.snapshot) for r in rows
            if r.import_key in keys or r.source in sources]
    if not mine:
        return "missing"
    if any(kind != "snapshot" for _key, kind, _snapshot in mine):
        return "replaced"
    want = fingerprint(entry)
    if {key for key, _kind, _snapshot in mine} == set(keys) and all(
            snapshot == want for _key, _kind, snapshot in mine):
        return "current"
    return "outdated"


def load_snapshot(db: ResultsDB, name: str, folder: Path | None = None) -> int:
    """Write the snapshot ``name`` into ``db`` (replacing an older one) in one transaction."""
    batches = snapshot_batches(name, folder)
    keys = {b["import_key"] for b in manifest(folder)[name]["batches"]}
    sources = {b.source for b in batches}
    with db.atomic():
        stale = db.imports()
        stale = stale[(stale.kind == "snapshot") & stale.source.isin(sources)
                      & ~stale.import_key.isin(keys)]
        for key in stale.import_key:
            db.remove_import(key)
        return db.write(batches)


@dataclass(frozen=True)
class SnapshotSeeder(Seeder):
    """The seeding step's view of one shipped snapshot (:mod:`dlcost.store.seeding`).

    Current when the store holds this very snapshot, or when the user has imported or fetched
    the source since (seeding never overwrites that); missing or older snapshots are loaded.
    """

    def is_current(self, db: ResultsDB, imports: Sequence[ImportRow] | None = None) -> bool:
        entry = manifest().get(self.name)
        return entry is None or snapshot_state(db, self.name, entry, imports) in (
            "current", "replaced")

    def load(self, db: ResultsDB) -> int:
        return load_snapshot(db, self.name)


def seeder(name: str) -> Seeder:
    """The :class:`SnapshotSeeder` of the shipped snapshot ``name``."""
    def batches(_fingerprint: str) -> list[ImportBatch]:
        return snapshot_batches(name)

    key = next((b["import_key"] for b in manifest().get(name, {}).get("batches", [])), name)
    return SnapshotSeeder(name=name, import_key=key,
                          fingerprint=lambda: fingerprint(manifest()[name]), batches=batches)


def register_snapshots() -> None:
    """Make :func:`dlcost.store.seeding.seed` load every snapshot in :data:`SPECS`."""
    for s in SPECS:
        register(s.name, functools.partial(seeder, s.name))


def seed_snapshots(db: ResultsDB, folder: Path | None = None) -> list[str]:
    """Load every shipped snapshot that is missing or outdated in ``db``; the names loaded.

    Idempotent: a current store is not written to. Sources the user imported or fetched are
    never overwritten.
    """
    loaded = []
    for name, entry in manifest(folder).items():
        if snapshot_state(db, name, entry) in ("missing", "outdated"):
            load_snapshot(db, name, folder)
            loaded.append(name)
    return loaded


# --- what the store holds, per source ------------------------------------------------------

KIND_LABELS = {"snapshot": "snapshot", "fetch": "fetched", "import": "imported",
               "builtin": "builtin"}


@dataclass(frozen=True)
class SourceStatus:
    """One source in the store: how its data came, its date, rows and licence."""

    source: str
    kind: str               # snapshot | fetched | imported | builtin (mixed: joined by "+")
    date: str | None        # the data's date (snapshot or fetch), else the import's day
    rows: int
    licence: str | None
    attribution: str | None
    import_keys: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "import_keys": list(self.import_keys)}


def _licence_of(source: str) -> str | None:
    """A source's licence when the import did not record one (the fetch table knows it)."""
    from dlcost.store.fetch import SOURCES

    known = {s.name: s.licence for s in SPECS} | {n: s.licence for n, s in SOURCES.items()}
    if source == "builtin":
        return "CC BY 4.0 (dlcost's compilation, README); facts cited row by row"
    return known.get(source)


def source_status(db: ResultsDB) -> list[SourceStatus]:
    """Per source in ``db``: snapshot or fetched (or imported), date, rows and licence."""
    imports = db.imports()
    out = []
    for source, group in imports.groupby("source", sort=True):
        kinds = sorted({KIND_LABELS.get(str(k), str(k)) for k in group.kind})
        dates = [d for d in group.data_date if d is not None and d == d]
        if not dates:
            dates = [t for t in group.imported_at if t is not None and t == t]
        date = str(max(dates).date() if hasattr(max(dates), "date") else max(dates)) \
            if dates else None
        licences = sorted({str(x) for x in group.licence if isinstance(x, str)})
        attributions = sorted({str(x) for x in group.attribution if isinstance(x, str)})
        out.append(SourceStatus(
            source=str(source), kind="+".join(kinds), date=date, rows=int(group.n_rows.sum()),
            licence="; ".join(licences) or _licence_of(str(source)),
            attribution="; ".join(attributions) or None,
            import_keys=tuple(str(k) for k in group.import_key),
        ))
    return out
