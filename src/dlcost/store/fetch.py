"""Download a public dataset from its origin, check it, cache it, and import it.

Each source in :data:`SOURCES` names its files' public URLs and, where the origin serves a
fixed version (a git commit), the SHA-256 of each file: a download that does not match is
refused and nothing is imported. Epoch AI's CSVs are rebuilt daily at the origin, so they
cannot be pinned; their import records the SHA-256 of what was read instead.

Files are cached in ``$DLCOST_CACHE_DIR`` or the user's cache directory (platformdirs), one
folder per source; a cached pinned file whose hash matches is reused without a download.
``base_url`` (or ``$DLCOST_FETCH_BASE_URL``) replaces the origin's scheme and host, keeping
the path, so a mirror with the origin's layout (or a test server) can stand in for it.
Without a network the fetch fails at once and names the file and the `dlcost data import`
command that reads a copy obtained another way. Only the standard library's urllib is used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from dlcost import __version__
from dlcost.exceptions import FetchError, UnknownSourceError
from dlcost.store.importers import parser

if TYPE_CHECKING:
    from dlcost.store.db import ResultsDB

ENV_CACHE = "DLCOST_CACHE_DIR"
ENV_BASE_URL = "DLCOST_FETCH_BASE_URL"
#: Seconds to wait for a connection or for data before calling the origin unreachable.
TIMEOUT_SECONDS = 10.0
CHUNK_BYTES = 1 << 16

_FUTURETECH = (
    "https://raw.githubusercontent.com/MIT-FutureTech/TheComputationalLimitsOfDeepLearning/"
    "62f1e4d22762ede9503b7a10ac3027e499e42ab1/data/"
)
_COMPUTERPROGRESS = (
    "https://raw.githubusercontent.com/Computer-Progress/computerprogress.com/"
    "98079c546758b5ca710a6e0d4eabb88ca50aafdd/data/"
)


@dataclass(frozen=True)
class RemoteFile:
    """One file of a source: its origin URL, its name in the cache, its pinned SHA-256."""

    url: str
    name: str
    sha256: str | None = None


@dataclass(frozen=True)
class Source:
    """A public dataset dlcost can fetch, and the import format that reads it.

    ``import_path`` is what the importer is given, relative to the source's cache folder
    (``"."`` for the folder itself).
    """

    name: str
    description: str
    import_format: str
    files: tuple[RemoteFile, ...]
    import_path: str
    licence: str
    note: str = ""

    @property
    def pinned(self) -> bool:
        """Whether every file has a pinned SHA-256 (a fixed version of the data)."""
        return all(f.sha256 for f in self.files)

    @property
    def urls(self) -> tuple[str, ...]:
        return tuple(f.url for f in self.files)


#: SHA-256 of the six CSVs at the commit above, as listed in the shared data's SHA256SUMS.
_FUTURETECH_FILES = (
    ("image-classification-on-imagenet.csv",
     "e83c4471a66ee5831454e58b4eedfba0ffdb4a5aca069f17676611fd442ccdee"),
    ("object-detection-on-coco.csv",
     "66d7306de0d794531e1758753d1fc120899029d1594273f73b01c84c00a48e93"),
    ("question-answering-on-squad-1-1.csv",
     "f66a72db48cc8b44c50a24be2db954079a2264075d4ca11b6856eea45602b2c2"),
    ("named-entity-recognition-on-conll-2003.csv",
     "ce2f736323503beaf6415e5979ddae5dc2008553325af1163cbc80654fdc120b"),
    ("machine-translation-on-wmt2014-en-fr.csv",
     "0947f444e15615f32dccb3b90ede7daedc37a00c114ea99add937dbc1a691421"),
    ("machine-translation-on-wmt2014-en-de.csv",
     "8da004496b756aef85e2a9624058b9b4dc6004d959edc6377147e803188e246a"),
)
#: Epoch AI's models table and its three subsets; importing the folder flags the models the
#: subsets hold (notable, large-scale, frontier), which ``all_ai_models.csv`` alone does not.
_EPOCH_MODEL_FILES = ("all_ai_models.csv", "notable_ai_models.csv",
                      "large_scale_ai_models.csv", "frontier_ai_models.csv")
_BENCHMARK_STITCHING = (
    "https://raw.githubusercontent.com/epoch-research/benchmark-stitching/"
    "f87d3cc8e8a8f8471be475ebce58fb9a73b4e756/data/"
)
#: The capabilities index was removed from the repository after this commit.
_ECI_AT = (
    "https://raw.githubusercontent.com/epoch-research/benchmark-stitching/"
    "07356c2106015f283c23a1f2478ea9e654a9f24f/data/website/"
)
_ECI = "epoch_capabilities_index.csv"


def _epoch_benchmark_files() -> tuple[RemoteFile, ...]:
    """The Benchmarking Hub's 41 files, pinned by ``epoch_benchmarks.sha256`` beside this module."""
    pins = (Path(__file__).with_name("epoch_benchmarks.sha256")
            .read_text(encoding="utf-8").splitlines())
    files = []
    for line in pins:
        if not line.strip() or line.startswith("#"):
            continue
        sha, name = line.split()
        files.append(RemoteFile((_ECI_AT if name == _ECI else _BENCHMARK_STITCHING) + name,
                                name, sha))
    return tuple(files)


_COMPUTERPROGRESS_KEYS = ("imagenet", "mscoco", "squad1_1", "conll2003", "wmt2014_en-fr",
                          "wmt2014_en-ge")

SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source(
            name="futuretech",
            description="MIT FutureTech's release of the paper's data (v2, 2022): six CSVs, "
                        "516 models with per-phase hardware and compute",
            import_format="futuretech",
            files=tuple(RemoteFile(_FUTURETECH + name, name, sha)
                        for name, sha in _FUTURETECH_FILES),
            import_path=".",
            licence="GPL-3.0 (origin repository); cite Thompson et al., arXiv:2007.05558",
        ),
        Source(
            name="epoch",
            description="Epoch AI, Data on AI Models: every model with its training compute, "
                        "hardware and training time, flagged notable / large-scale / frontier",
            import_format="epoch",
            files=tuple(RemoteFile(f"https://epoch.ai/data/{name}", name)
                        for name in _EPOCH_MODEL_FILES),
            import_path=".",
            licence="CC BY 4.0; cite Epoch AI, 'Data on AI Models', epoch.ai",
            note="updated daily by Epoch AI: not pinned, each fetch may bring different rows",
        ),
        Source(
            name="epoch-benchmarks",
            description="Epoch AI's Benchmarking Hub as of December 2025: language-model "
                        "scores on 37 public benchmarks, Epoch's own runs, model versions, "
                        "distilled models and the Epoch Capabilities Index",
            import_format="epoch-benchmarks",
            files=_epoch_benchmark_files(),
            import_path=".",
            licence="CC BY 4.0; cite Epoch AI, 'AI Benchmarking Hub', epoch.ai/benchmarks",
        ),
        Source(
            name="epoch-hardware",
            description="Epoch AI, Data on Machine Learning Hardware: peak FLOP/s, TDP, "
                        "release date and price of ML accelerators",
            import_format="epoch-hardware",
            files=(RemoteFile("https://epoch.ai/data/ml_hardware.csv", "ml_hardware.csv"),),
            import_path="ml_hardware.csv",
            licence="CC BY 4.0; cite Epoch AI, 'Data on Machine Learning Hardware', epoch.ai",
            note="updated by Epoch AI as chips are added: not pinned",
        ),
        Source(
            name="epoch-prices",
            description="Epoch AI's hardware prices (training-cost-trends, November 2025 data "
                        "update): dated cloud $ per chip-hour and purchase prices",
            import_format="epoch-prices",
            files=(RemoteFile(
                "https://raw.githubusercontent.com/epoch-research/training-cost-trends/"
                "5deb003d233687beaa59f9957d6c69534b234364/data/Hardware%20prices.csv",
                "hardware_prices.csv",
                "5a0c4992bc5e97962556dd5d6db7d43a253ab91cde111087e533afb818416f48",
            ),),
            import_path="hardware_prices.csv",
            licence="CC BY 4.0; cite Epoch AI, Cottier et al. 2024, 'The rising costs of "
                    "training frontier AI models'",
        ),
        Source(
            name="pwc",
            description="Papers with Code evaluation tables, 2020-08-28 dump (the vintage "
                        "Thompson et al. used): leaderboards of the six benchmarks",
            import_format="pwc",
            files=(RemoteFile(
                "https://raw.githubusercontent.com/skaltman/ai-progress/"
                "3cb3d8db715840813b97ebd6dbcdcc2a8d2a9f56/data/sota/evaluation_tables.json",
                "evaluation_tables.json",
                "47210c636989a23ae84681535f6f38b3b45af4f6af7218e70337793ff65c1539",
            ),),
            import_path="evaluation_tables.json",
            licence="CC BY-SA 4.0 (Papers with Code); derived data must keep the licence",
        ),
        Source(
            name="squad",
            description="The official SQuAD 1.1 leaderboard with submission dates, as scraped "
                        "by Papers with Code's sota-extractor (2021-05-20)",
            import_format="squad",
            files=(RemoteFile(
                "https://raw.githubusercontent.com/paperswithcode/sota-extractor/"
                "e6374da129cedab1736e97883bfbcddb7ddd2a72/data/tasks/squad.json",
                "squad.json",
                "36f1896ca5cc38be3d2faffd84fbce08c3e5c57072134cfe70ea9ef6b9e6b66c",
            ),),
            import_path="squad.json",
            licence="CC BY-SA 4.0 (Papers with Code)",
        ),
        Source(
            name="computerprogress",
            description="Hardware-burden points the Thompson et al. group plotted on "
                        "computerprogress.com (2021): six JavaScript data files",
            import_format="computerprogress",
            files=tuple(RemoteFile(f"{_COMPUTERPROGRESS}{key}_data.js", f"{key}_data.js")
                        for key in _COMPUTERPROGRESS_KEYS),
            import_path=".",
            licence="GPL-3.0 (origin repository); cite Thompson et al., arXiv:2007.05558",
            note="not pinned: the files' bytes were not at hand to hash when dlcost was "
                 "written; the commit in the URL fixes them",
        ),
    )
}


@dataclass(frozen=True)
class FetchResult:
    """What a fetch did: rows imported, files downloaded or reused, rows the import skipped."""

    source: str
    rows: int
    folder: Path
    downloaded: tuple[str, ...]
    reused: tuple[str, ...]
    pinned: bool
    skipped: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "rows": self.rows, "folder": str(self.folder),
                "downloaded": list(self.downloaded), "reused": list(self.reused),
                "pinned": self.pinned, "skipped": dict(self.skipped)}


def get_source(name: str) -> Source:
    """The source called ``name``; unknown names list the known ones."""
    if name not in SOURCES:
        raise UnknownSourceError(
            f"unknown data source {name!r}; known sources: {', '.join(SOURCES)}. "
            "To import a file you have, use `dlcost data import FORMAT PATH`"
        )
    return SOURCES[name]


def cache_root(cache_dir: str | Path | None = None) -> Path:
    """``cache_dir``, else ``$DLCOST_CACHE_DIR``, else the user's cache dir for dlcost."""
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    env = os.environ.get(ENV_CACHE)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("dlcost", appauthor=False))


def mirror_url(url: str, base_url: str | None) -> str:
    """``url`` with its scheme and host replaced by ``base_url`` (the path is kept)."""
    if not base_url:
        return url
    parts = urlsplit(url)
    return base_url.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query else "")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fetch(
    source: str,
    db: ResultsDB,
    *,
    base_url: str | None = None,
    cache_dir: str | Path | None = None,
    progress: bool = True,
    force: bool = False,
) -> FetchResult:
    """Download ``source`` (or reuse its verified cache), then import it in one transaction.

    Raises :class:`FetchError` when a file cannot be downloaded or does not match its pinned
    SHA-256; the database is then unchanged. As with an import, a download that would shrink
    what it replaces by more than :data:`dlcost.store.db.MAX_SHRINK` is refused unless
    ``force``.
    """
    src = get_source(source)
    base = base_url or os.environ.get(ENV_BASE_URL) or None
    folder = cache_root(cache_dir) / src.name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FetchError(
            f"cannot create the cache folder {folder}: {exc.strerror}. Choose another with "
            f"{ENV_CACHE}"
        ) from exc
    downloaded: list[str] = []
    reused: list[str] = []
    with _progress_bar(progress) as bar:
        for remote in src.files:
            target = folder / remote.name
            if remote.sha256 and target.exists() and file_sha256(target) == remote.sha256:
                reused.append(str(target))
                continue
            url = mirror_url(remote.url, base)
            _download(url, target, remote.sha256, src, bar)
            downloaded.append(url)
    batches = parser(src.import_format)(folder / src.import_path)
    for batch in batches:  # recorded as fetched today (it replaces a shipped snapshot)
        batch.kind = "fetch"
        batch.data_date = dt.date.today()
        batch.licence = src.licence
        batch.origin = src.urls[0]
    from dlcost.store.db import MAX_SHRINK

    rows = db.write(batches, max_shrink=None if force else MAX_SHRINK)
    skipped: dict[str, int] = {}
    for batch in batches:
        for reason, n in batch.skipped.items():
            skipped[f"{batch.import_key}: {reason}"] = n
    return FetchResult(source=src.name, rows=rows, folder=folder, downloaded=tuple(downloaded),
                       reused=tuple(reused), pinned=src.pinned, skipped=skipped)


def _download(url: str, target: Path, sha256: str | None, src: Source, bar: Any) -> None:
    """Stream ``url`` into ``target`` via a temporary file, checking the pinned hash."""
    request = urllib.request.Request(url, headers={"User-Agent": f"dlcost/{__version__}"})
    partial = target.with_name(target.name + ".part")
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            total = response.headers.get("Content-Length")
            task = bar.add_task(target.name, total=int(total) if total else None) if bar else None
            with partial.open("wb") as out:
                while chunk := response.read(CHUNK_BYTES):
                    digest.update(chunk)
                    out.write(chunk)
                    if bar is not None:
                        bar.advance(task, len(chunk))
    except urllib.error.HTTPError as exc:
        partial.unlink(missing_ok=True)
        raise FetchError(
            f"cannot download {url}: the server answered HTTP {exc.code} {exc.reason}. "
            f"{_alternative(src)}."
        ) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        partial.unlink(missing_ok=True)
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        earlier = f" A copy fetched earlier is {target}." if target.exists() else ""
        raise FetchError(
            f"cannot download {url}: {reason or type(reason).__name__} (offline, or the host "
            f"is unreachable; timeout {TIMEOUT_SECONDS:g} s). {_alternative(src)}.{earlier}"
        ) from None
    actual = digest.hexdigest()
    if sha256 and actual != sha256:
        partial.unlink(missing_ok=True)
        raise FetchError(
            f"checksum mismatch for {url}: expected SHA-256 {sha256}, got {actual}. The file "
            "is not the version dlcost pins (a changed origin, a mirror with other bytes, or "
            "a broken transfer); nothing was imported"
        )
    os.replace(partial, target)


def _alternative(src: Source) -> str:
    names = ", ".join(f.name for f in src.files)
    what = "the folder holding them" if src.import_path == "." else "the file"
    return (f"Get {names} another way and run `dlcost data import {src.import_format} PATH` "
            f"with PATH {what}")


class _NoBar:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _progress_bar(enabled: bool) -> Any:
    """A rich progress bar on stderr, or a stand-in that shows nothing."""
    if not enabled:
        return _NoBar()
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TransferSpeedColumn,
    )

    return Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                    TransferSpeedColumn(), console=Console(stderr=True), transient=False)
