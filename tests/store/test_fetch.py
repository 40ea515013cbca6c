"""`dlcost.store.fetch` against a real HTTP server on 127.0.0.1 serving the shared data.

The server lays the files out as their origins do (``/<owner>/<repo>/<commit>/<path>``,
``/data/<file>``), so ``base_url`` swaps only the scheme and host, as it would for a mirror.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from dlcost.exceptions import DlcostError, FetchError
from dlcost.store import ResultsDB
from dlcost.store import fetch as fetch_module
from dlcost.store.fetch import SOURCES, fetch, file_sha256, mirror_url
from dlcost.store.importers import FORMATS, import_path
from dlcost.store.snapshots import manifest

#: source → the shared file each of its remote files is (computerprogress is generated)
SHARED_FILES = {
    "epoch": {f.name: f"epoch_ai_models/{f.name}" for f in SOURCES["epoch"].files},
    "epoch-benchmarks": {f.name: f"epoch_benchmarks/{f.name}"
                         for f in SOURCES["epoch-benchmarks"].files},
    "epoch-hardware": {"ml_hardware.csv": "epoch_ml_hardware/ml_hardware.csv"},
    "epoch-prices": {"hardware_prices.csv": "epoch_training_cost_trends/hardware_prices.csv"},
    "pwc": {"evaluation_tables.json": "pwc_2020/evaluation-tables_2020-08-28.json.gz"},
    "squad": {"squad.json": "pwc_sota_extractor/squad_leaderboard_2021-05-20.json"},
    "futuretech": {f.name: f"futuretech_2022/{f.name}" for f in SOURCES["futuretech"].files},
}
POINTS = "computerprogress_thompson/computerprogress_hardware_burden_points_2021.csv"


@dataclass
class Mirror:
    url: str
    root: Path
    shared: Path
    requests: list[str] = field(default_factory=list)

    def path_of(self, source: str, name: str) -> Path:
        remote = next(f for f in SOURCES[source].files if f.name == name)
        return self.root / urlsplit(remote.url).path.lstrip("/")

    def add(self, source: str) -> None:
        """Serve ``source``'s files at their origin paths."""
        if source == "computerprogress":
            with open(self.shared / POINTS, newline="") as fh:
                rows = list(csv.DictReader(fh))
            for remote in SOURCES[source].files:
                key = remote.name.removesuffix("_data.js")
                dest = self.path_of(source, remote.name)
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_text(_js([r for r in rows if r["benchmark_key"] == key]))
            return
        for name, rel in SHARED_FILES[source].items():
            dest = self.path_of(source, name)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.shared / rel, dest)


def _js(rows: list[dict[str, str]]) -> str:
    """A data module in the origin's layout, from the CSV made of it (values unchanged)."""
    items = [
        "  {\n"
        f"    index: {r['source_row_index']},\n    year: {r['year']},\n"
        f"    model: {json.dumps(r['model'])},\n"
        f"    hardware_burden: {r['hardware_burden_gflop']},\n    accuracy: {r['accuracy']},\n"
        "  },"
        for r in rows
    ]
    return "export default [\n" + "\n".join(items) + "\n];\n"


@pytest.fixture
def mirror(tmp_path: Path, shared_data: Path) -> Iterator[Mirror]:
    root = tmp_path / "mirror"
    root.mkdir()
    requests: list[str] = []

    class Handler(SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            super().do_GET()

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield Mirror(f"http://127.0.0.1:{server.server_address[1]}", root, shared_data,
                     requests)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def db() -> ResultsDB:
    return ResultsDB(":memory:", builtin=False)


def _unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- the registry -------------------------------------------------------------------------------


def test_every_source_names_a_registered_format() -> None:
    assert set(SOURCES) == {"futuretech", "epoch", "epoch-benchmarks", "epoch-hardware",
                            "epoch-prices", "pwc", "squad", "computerprogress"}
    for source in SOURCES.values():
        assert source.import_format in FORMATS
        assert all(url.startswith("https://") for url in source.urls)
    assert {s.name for s in SOURCES.values() if s.pinned} == {
        "futuretech", "epoch-benchmarks", "epoch-prices", "pwc", "squad"}
    assert all(s.note for s in SOURCES.values() if not s.pinned)


def test_pins_are_the_hashes_of_the_shared_files(shared_data: Path) -> None:
    lines = (shared_data / "futuretech_2022" / "SHA256SUMS").read_text().splitlines()
    sums = {name: sha for sha, name in (line.split() for line in lines)}
    assert {f.name: f.sha256 for f in SOURCES["futuretech"].files} == sums
    for name in ("pwc", "squad", "epoch-prices"):
        [remote] = SOURCES[name].files
        assert remote.sha256 == file_sha256(shared_data / SHARED_FILES[name][remote.name])
    hub = SOURCES["epoch-benchmarks"].files
    assert sorted(f.name for f in hub) == sorted(
        p.name for p in (shared_data / "epoch_benchmarks").glob("*.csv"))
    for remote in hub:
        assert remote.sha256 == file_sha256(shared_data / "epoch_benchmarks" / remote.name)


def test_mirror_url_keeps_the_origin_path() -> None:
    assert mirror_url("https://epoch.ai/data/ml_hardware.csv", "http://127.0.0.1:8/m/") == (
        "http://127.0.0.1:8/m/data/ml_hardware.csv")
    assert mirror_url("https://epoch.ai/data/ml_hardware.csv", None) == (
        "https://epoch.ai/data/ml_hardware.csv")


def test_unknown_source(db: ResultsDB) -> None:
    with pytest.raises(DlcostError) as info:
        fetch("imagenet", db, progress=False)
    assert str(info.value) == (
        "unknown data source 'imagenet'; known sources: futuretech, epoch, epoch-benchmarks, "
        "epoch-hardware, epoch-prices, pwc, squad, computerprogress. To import a file you "
        "have, use "
        "`dlcost data import FORMAT PATH`")


# --- downloading ---------------------------------------------------------------------------------


def test_futuretech_is_downloaded_verified_cached_and_imported(
    mirror: Mirror, db: ResultsDB, tmp_path: Path, shared_data: Path
) -> None:
    mirror.add("futuretech")
    result = fetch("futuretech", db, base_url=mirror.url, cache_dir=tmp_path / "c",
                   progress=False)
    assert (result.rows, result.pinned, result.reused) == (516, True, ())
    assert len(result.downloaded) == 6
    assert all(u.startswith(mirror.url + "/MIT-FutureTech/") for u in result.downloaded)
    for remote in SOURCES["futuretech"].files:
        assert file_sha256(tmp_path / "c" / "futuretech" / remote.name) == remote.sha256
    reference = ResultsDB(":memory:", builtin=False)
    import_path(reference, "futuretech", shared_data / "futuretech_2022")
    assert db.snapshot()[1:4] == reference.snapshot()[1:4]  # results, phases, estimates


def test_a_fetch_replaces_the_shipped_snapshot(
    mirror: Mirror, db: ResultsDB, tmp_path: Path
) -> None:
    from dlcost.store.snapshots import seed_snapshots, snapshot_state, source_status

    seed_snapshots(db)
    entry = manifest()["futuretech"]
    assert snapshot_state(db, "futuretech", entry) == "current"
    mirror.add("futuretech")
    fetch("futuretech", db, base_url=mirror.url, cache_dir=tmp_path / "c", progress=False)
    imports = db.imports()
    mine = imports[imports.source == "futuretech"]
    assert set(mine.kind) == {"fetch"} and len(mine) == 6
    assert db.count("futuretech") == 516  # replaced, not added
    [status] = [s for s in source_status(db) if s.source == "futuretech"]
    assert (status.kind, status.rows, status.date) == (
        "fetched", 516, str(dt.date.today()))
    assert status.licence is not None and status.licence.startswith("GPL-3.0")
    # Seeding again leaves the fetched data alone.
    assert snapshot_state(db, "futuretech", entry) == "replaced"
    assert "futuretech" not in seed_snapshots(db)
    assert set(db.imports().query("source == 'futuretech'").kind) == {"fetch"}


def test_a_verified_cache_is_reused_without_a_request(
    mirror: Mirror, db: ResultsDB, tmp_path: Path
) -> None:
    mirror.add("futuretech")
    fetch("futuretech", db, base_url=mirror.url, cache_dir=tmp_path / "c", progress=False)
    n_requests = len(mirror.requests)
    again = fetch("futuretech", db, base_url=mirror.url, cache_dir=tmp_path / "c",
                  progress=False)
    assert (again.rows, again.downloaded, len(again.reused)) == (516, (), 6)
    assert len(mirror.requests) == n_requests


def test_a_damaged_cached_file_is_downloaded_again(
    mirror: Mirror, db: ResultsDB, tmp_path: Path
) -> None:
    mirror.add("squad")
    fetch("squad", db, base_url=mirror.url, cache_dir=tmp_path / "c", progress=False)
    cached = tmp_path / "c" / "squad" / "squad.json"
    cached.write_text("[]")
    again = fetch("squad", db, base_url=mirror.url, cache_dir=tmp_path / "c", progress=False)
    assert again.downloaded == (mirror_url(SOURCES["squad"].files[0].url, mirror.url),)
    assert file_sha256(cached) == SOURCES["squad"].files[0].sha256


def test_checksum_mismatch_is_refused_and_changes_nothing(
    mirror: Mirror, db: ResultsDB, tmp_path: Path
) -> None:
    mirror.add("futuretech")
    served = mirror.path_of("futuretech", "object-detection-on-coco.csv")
    served.write_bytes(served.read_bytes() + b"\n")
    before = db.snapshot()
    with pytest.raises(FetchError) as info:
        fetch("futuretech", db, base_url=mirror.url, cache_dir=tmp_path / "c", progress=False)
    url = mirror.url + urlsplit(SOURCES["futuretech"].files[1].url).path
    assert str(info.value) == (
        f"checksum mismatch for {url}: expected SHA-256 "
        "66d7306de0d794531e1758753d1fc120899029d1594273f73b01c84c00a48e93, got "
        f"{file_sha256(served)}. The file is not the version dlcost pins (a changed origin, a "
        "mirror with other bytes, or a broken transfer); nothing was imported")
    assert db.snapshot() == before
    cache = tmp_path / "c" / "futuretech"
    assert not (cache / "object-detection-on-coco.csv").exists()
    assert not list(cache.glob("*.part"))


def test_offline_fails_at_once_naming_the_url_and_the_import_command(
    db: ResultsDB, tmp_path: Path
) -> None:
    base = f"http://127.0.0.1:{_unused_port()}"
    with pytest.raises(FetchError) as info:
        fetch("squad", db, base_url=base, cache_dir=tmp_path / "c", progress=False)
    url = base + urlsplit(SOURCES["squad"].files[0].url).path
    message = str(info.value)
    assert message.startswith(f"cannot download {url}: ")
    assert "Connection refused" in message
    assert message.endswith(
        "(offline, or the host is unreachable; timeout 10 s). Get squad.json another way and "
        "run `dlcost data import squad PATH` with PATH the file.")


def test_offline_points_to_a_copy_fetched_earlier(
    mirror: Mirror, db: ResultsDB, tmp_path: Path
) -> None:
    mirror.add("epoch-hardware")
    fetch("epoch-hardware", db, base_url=mirror.url, cache_dir=tmp_path / "c", progress=False)
    with pytest.raises(FetchError) as info:
        fetch("epoch-hardware", db, base_url=f"http://127.0.0.1:{_unused_port()}",
              cache_dir=tmp_path / "c", progress=False)
    copy = tmp_path / "c" / "epoch-hardware" / "ml_hardware.csv"
    assert str(info.value).endswith(
        "run `dlcost data import epoch-hardware PATH` with PATH the file. A copy fetched "
        f"earlier is {copy}.")
    assert copy.exists()


def test_a_silent_server_times_out(
    db: ResultsDB, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetch_module, "TIMEOUT_SECONDS", 0.5)
    with socket.socket() as listener:  # accepts connections (backlog) but never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        base = f"http://127.0.0.1:{listener.getsockname()[1]}"
        with pytest.raises(FetchError, match=r"timed out \(offline, or the host is "
                                             r"unreachable; timeout 0\.5 s\)"):
            fetch("squad", db, base_url=base, cache_dir=tmp_path / "c", progress=False)


def test_http_error_names_the_status(mirror: Mirror, db: ResultsDB, tmp_path: Path) -> None:
    with pytest.raises(FetchError) as info:
        fetch("squad", db, base_url=mirror.url, cache_dir=tmp_path / "c", progress=False)
    url = mirror.url + urlsplit(SOURCES["squad"].files[0].url).path
    assert str(info.value) == (
        f"cannot download {url}: the server answered HTTP 404 File not found. Get squad.json "
        "another way and run `dlcost data import squad PATH` with PATH the file.")


def test_base_url_and_cache_dir_come_from_the_environment(
    mirror: Mirror, db: ResultsDB, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror.add("squad")
    monkeypatch.setenv("DLCOST_FETCH_BASE_URL", mirror.url)
    monkeypatch.setenv("DLCOST_CACHE_DIR", str(tmp_path / "env-cache"))
    result = fetch("squad", db, progress=False)
    assert result.rows == 162
    assert result.folder == tmp_path / "env-cache" / "squad"
    assert result.skipped == {
        "squad:squad1.1: entries without a model name": 33,
        "squad:squad1.1: repeated entries of a model (kept the first)": 17,
        "squad:squad1.1: entries whose EM of 0 or ≥ 100 gives no usable error": 5,
    }


def test_unpinned_epoch_is_downloaded_every_time(
    mirror: Mirror, db: ResultsDB, tmp_path: Path
) -> None:
    mirror.add("epoch")
    first = fetch("epoch", db, base_url=mirror.url, cache_dir=tmp_path / "c", progress=False)
    again = fetch("epoch", db, base_url=mirror.url, cache_dir=tmp_path / "c", progress=False)
    assert (first.rows, again.rows, first.pinned) == (3169, 3169, False)
    assert len(first.downloaded) == len(again.downloaded) == 4
    assert db.count("epoch") == 3169


def test_fetched_epoch_models_keep_the_subset_flags(
    mirror: Mirror, db: ResultsDB, tmp_path: Path
) -> None:
    """The fetch brings the three subset files, so the flags match an import of the folder."""
    mirror.add("epoch")
    fetch("epoch", db, base_url=mirror.url, cache_dir=tmp_path / "c", progress=False)
    reference = ResultsDB(":memory:")
    import_path(reference, "epoch", mirror.shared / "epoch_ai_models")

    def counts(store: ResultsDB) -> dict[str, int]:
        attributes = [json.loads(a) for a in store.results(sources=["epoch"]).attributes]
        return {flag: sum(bool(a.get(flag)) for a in attributes)
                for flag in ("notable", "large_scale", "frontier")}

    fetched = counts(db)
    assert fetched == counts(reference)
    assert all(n > 0 for n in fetched.values())


def test_the_benchmarking_hub_fetches_its_pinned_files_and_imports_them(
    mirror: Mirror, db: ResultsDB, tmp_path: Path
) -> None:
    """41 files from two commits of benchmark-stitching; the same rows as importing the folder."""
    mirror.add("epoch-benchmarks")
    result = fetch("epoch-benchmarks", db, base_url=mirror.url, cache_dir=tmp_path / "c",
                   progress=False)
    assert (len(result.downloaded), result.pinned) == (41, True)
    assert sum("/data/website/" in url for url in result.downloaded) == 1
    reference = ResultsDB(":memory:")
    rows = import_path(reference, "epoch-benchmarks", mirror.shared / "epoch_benchmarks")
    assert result.rows == rows > 0
    again = fetch("epoch-benchmarks", db, base_url=mirror.url, cache_dir=tmp_path / "c",
                  progress=False)
    assert (len(again.downloaded), len(again.reused)) == (0, 41)  # verified cache


@pytest.mark.parametrize(("source", "rows"), [("pwc", 644), ("epoch-hardware", 175)])
def test_other_sources_fetch_and_import(
    mirror: Mirror, db: ResultsDB, tmp_path: Path, source: str, rows: int
) -> None:
    mirror.add(source)
    result = fetch(source, db, base_url=mirror.url, cache_dir=tmp_path / "c", progress=False)
    assert result.rows == rows


def test_computerprogress_fetches_the_origin_js_files(
    mirror: Mirror, db: ResultsDB, tmp_path: Path, shared_data: Path
) -> None:
    mirror.add("computerprogress")
    result = fetch("computerprogress", db, base_url=mirror.url, cache_dir=tmp_path / "c",
                   progress=False)
    assert (result.rows, len(result.downloaded)) == (101, 6)
    reference = ResultsDB(":memory:", builtin=False)
    import_path(reference, "computerprogress", shared_data / POINTS)
    cols = ["id", "score", "error", "year", "hardware_burden"]
    assert db.results(sources=["computerprogress"])[cols].equals(
        reference.results(sources=["computerprogress"])[cols])


def test_progress_bar_goes_to_stderr(
    mirror: Mirror, db: ResultsDB, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mirror.add("squad")
    fetch("squad", db, base_url=mirror.url, cache_dir=tmp_path / "c", progress=True)
    captured = capsys.readouterr()
    assert "squad.json" in captured.err
    assert captured.out == ""
