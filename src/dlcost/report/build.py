"""Build the report: run the sections, write the static files, render the page.

:func:`build_report` is the one entry point (the ``dlcost report`` command is a thin shell
around it). It writes, under the output folder::

    index.html            the interactive report (self-contained: works from file://)
    figures/<id>.png|svg  every figure, drawn by matplotlib from the same plotly figure
    tables/<id>.csv       every table, raw numbers (byte-identical for the same data and seed)
    manifest.json         what was written, so that a rebuild can replace it safely
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import shutil
import time
import warnings
from collections.abc import Callable
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dlcost import __version__
from dlcost.exceptions import ReportFolderError
from dlcost.report.context import ReportContext, ReportSettings
from dlcost.report.model import FrozenFigure, ReportFigure, ReportTable, Section
from dlcost.serialize import write_json

MANIFEST = "manifest.json"
INDEX = "index.html"
TITLE = "The computational price of progress in deep learning"
SUBTITLE = (
    "Thompson, Greenewald, Lee & Manso's analysis in The Computational Limits of Deep Learning, "
    "rerun on the data below: how fast the compute needed for better models grows, what the "
    "next steps would cost, and why theory expected it."
)

#: Progress callback: (step name, steps done, steps in all).
ProgressCallback = Callable[[str, int, int], None]

NOT_A_REPORT_FOLDER = (
    "{path} exists, is not empty and does not hold a dlcost report (no {manifest}); "
    "dlcost will not write into it. Choose another folder with --out DIR, or empty this one."
)


@dataclass
class ReportResult:
    """What a build wrote and how long each part took."""

    out_dir: Path
    index_html: Path
    sections: list[Section]
    files: list[Path]
    sources: list[str]
    seed: int
    full: bool
    #: Seconds: per section ``build`` and ``files`` (its PNG/SVG/CSV), then render and total.
    timings: dict[str, Any] = field(default_factory=dict)
    #: Distinct warnings raised while building (numerical edge cases in the library, …), sorted.
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` summary: paths written, sections, timings."""
        return {
            "index_html": str(self.index_html),
            "out_dir": str(self.out_dir),
            "sources": self.sources,
            "seed": self.seed,
            "full": self.full,
            "dlcost_version": __version__,
            "sections": [
                {
                    "id": s.id,
                    "title": s.title,
                    "figures": [f.id for f in s.figures()],
                    "tables": [t.id for t in s.tables()],
                    "unavailable": [{"what": u.what, "reason": u.reason}
                                    for u in s.unavailable()],
                    "seconds": self.timings["sections"][s.id],
                }
                for s in self.sections
            ],
            "files": [str(p) for p in self.files],
            "timings": self.timings,
            "warnings": self.warnings,
        }


def _prepare_folder(out_dir: Path) -> list[str]:
    """Create ``out_dir``, or check that it holds an earlier report; its files, if any."""
    manifest = out_dir / MANIFEST
    if out_dir.exists() and not out_dir.is_dir():
        raise ReportFolderError(f"{out_dir} is a file, not a folder; choose another --out DIR")
    if out_dir.is_dir() and any(out_dir.iterdir()):
        if not manifest.is_file():
            raise ReportFolderError(NOT_A_REPORT_FOLDER.format(path=out_dir, manifest=MANIFEST))
        try:
            previous = json.loads(manifest.read_text(encoding="utf-8"))["files"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ReportFolderError(
                f"{manifest} is not a dlcost manifest ({exc}); empty the folder or choose "
                "another --out DIR"
            ) from exc
        return [str(p) for p in previous]
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportFolderError(
            f"cannot create the report folder {out_dir}: {exc.strerror}; choose another "
            "with --out DIR"
        ) from exc
    return []


def _remove_stale(out_dir: Path, previous: list[str], current: set[str]) -> None:
    """Delete files an earlier build wrote that this one did not (only those it listed)."""
    root = out_dir.resolve()
    for rel in previous:
        if rel in current:
            continue
        path = (out_dir / rel).resolve()
        if root in path.parents and path.is_file():
            path.unlink()


def write_figure(figure: ReportFigure, out_dir: Path) -> list[Path]:
    """PNG and SVG of ``figure`` (matplotlib; reproducible SVG: fixed ids, no date)."""
    from dlcost.plotting.static import write_static

    folder = out_dir / "figures"
    folder.mkdir(exist_ok=True)
    written = write_static(figure.figure, folder, figure.id)
    for fmt, path in written.items():
        figure.files[fmt] = f"figures/{path.name}"
    return list(written.values())


@dataclass
class _FigureJob:
    """One figure to write: its plotly JSON, where it goes, its cache, and the worker's future."""

    name: str
    spec: Any
    cache: Path | None
    future: Any = None
    paths: list[Path] = field(default_factory=list)


class FigureWriter:
    """Writes the figures' PNG/SVG files, mostly in a worker process, while sections build.

    Rendering needs nothing from the analysis but each figure's plotly JSON, so a worker
    process (started first, so that its imports overlap this process's opening the store)
    renders while this process goes on with the next section; on a 2-core machine the two run
    side by side. The same worker pool (:attr:`executor`) takes the reduced simulation and
    any section built beside this process. When this process has nothing else to do (waiting
    for the simulation, or at the end) it takes back figures the worker has not started and
    renders them itself (:meth:`steal`), newest first, so neither core idles while the other
    has a queue. With one usable CPU, ``parallel=False``, or if no worker can start, every
    figure is written in this process. The bytes are the same wherever a figure is drawn.
    """

    def __init__(self, out_dir: Path, *, parallel: bool = True) -> None:
        self.folder = out_dir / "figures"
        self.pool: Any = None
        self.jobs: list[_FigureJob] = []
        self.warm: Any = None
        #: Seconds of rendering (worker and this process) and how many figures each drew.
        self.seconds = 0.0
        self.drawn_here = 0
        self.drawn_in_worker = 0
        from dlcost.parallel import usable_cpus

        cpus = usable_cpus()
        if parallel and cpus > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            try:
                self.pool = ProcessPoolExecutor(
                    max_workers=cpus - 1, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_initialize_worker)
                self.warm = self.pool.submit(_warm_worker)
            except OSError:  # no processes here (a sandbox): write in this process
                self.pool = None

    @property
    def executor(self) -> Any:
        """The worker pool (a ``concurrent.futures`` executor), or None when serial."""
        return self.pool

    def submit(self, figure: ReportFigure) -> None:
        """Write ``figure``'s files now or in the worker; its ``files`` are set at once.

        A figure drawn before from the very same plotly JSON (same data, seed and code: a
        warm rebuild) is copied from the figure cache instead of being drawn again.
        """
        from dlcost.plotting.static import STATIC_FORMATS

        self.folder.mkdir(parents=True, exist_ok=True)
        for fmt, _dpi in STATIC_FORMATS:
            figure.files[fmt] = f"figures/{figure.id}.{fmt}"
        spec = figure.figure.to_plotly_json() if hasattr(figure.figure, "to_plotly_json") \
            else figure.figure
        job = _FigureJob(figure.id, spec, _figure_cache(figure.figure))
        self.jobs.append(job)
        cache = job.cache
        if cache is not None and all((cache / f"figure.{fmt}").is_file()
                                     for fmt, _ in STATIC_FORMATS):
            for fmt, _dpi in STATIC_FORMATS:
                target = self.folder / f"{figure.id}.{fmt}"
                shutil.copyfile(cache / f"figure.{fmt}", target)
                job.paths.append(target)
            return
        if self.pool is None:
            self._draw_here(job)
            return
        try:
            job.future = self.pool.submit(_render_in_worker, spec, self.folder, job.name, cache)
        except BrokenExecutor:  # the worker died earlier: draw here
            self._draw_here(job)

    def _draw_here(self, job: _FigureJob) -> None:
        paths, seconds = _render_in_worker(job.spec, self.folder, job.name, job.cache)
        job.paths, job.future = paths, None
        self.seconds += seconds
        self.drawn_here += 1

    def steal(self) -> bool:
        """Draw here the newest figure the worker has not started; False when there is none."""
        for job in reversed(self.jobs):
            if job.future is not None and job.future.cancel():
                self._draw_here(job)
                return True
        return False

    def finish(self) -> dict[str, list[Path]]:
        """Help with, then wait for, the worker's figures; the files of each figure."""
        try:
            while self.steal():
                pass
            for job in self.jobs:
                if job.future is None:
                    continue
                try:
                    paths, seconds = job.future.result()
                except BrokenExecutor:  # the worker died: draw the figure here instead
                    self._draw_here(job)
                    continue
                job.paths, job.future = paths, None
                self.seconds += seconds
                self.drawn_in_worker += 1
        finally:
            self.close()
        return {job.name: job.paths for job in self.jobs}

    def close(self) -> None:
        """Stop the worker pool (figures not yet started are dropped)."""
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def _initialize_worker() -> None:
    """Pool initializer: BLAS on one thread (set before numpy loads), like the main process's
    bootstraps, so one worker uses one core."""
    from dlcost.parallel import single_thread_environment

    os.environ.update(single_thread_environment())


def _warm_worker() -> None:
    """Import what the worker's first tasks need (a section: the store, pandas, the section
    builders) while the main process opens the store; matplotlib loads with the first figure
    the worker draws (none at all in a warm build whose figures are all cached)."""
    import dlcost.report.sections
    import dlcost.store  # noqa: F401


def _render_in_worker(spec: Any, folder: Path, name: str,
                      cache: Path | None = None) -> tuple[list[Path], float]:
    from dlcost.plotting.static import write_static

    t0 = time.perf_counter()
    written = write_static(spec, folder, name)
    if cache is not None:  # keep a copy for the next build of the same figure
        with contextlib.suppress(OSError):
            cache.mkdir(parents=True, exist_ok=True)
            for fmt, path in written.items():
                partial = cache / f"figure.{fmt}.{os.getpid()}.part"
                shutil.copyfile(path, partial)
                partial.replace(cache / f"figure.{fmt}")
    return list(written.values()), time.perf_counter() - t0


def _figure_cache(figure: Any) -> Path | None:
    """Where the files of this exact figure are kept between builds (None: no cache).

    Keyed on the figure's plotly JSON, the renderer's code and matplotlib's version, so the
    cached files are the bytes a new render would write.
    """
    import hashlib
    from importlib.metadata import PackageNotFoundError, version

    from dlcost.store.diskcache import ENV_SWITCH, cache_dir, code_digest

    if os.environ.get(ENV_SWITCH, "1") == "0" or not hasattr(figure, "to_json"):
        return None
    try:
        mpl = version("matplotlib")
    except PackageNotFoundError:  # pragma: no cover - matplotlib is a dependency
        return None
    digest = hashlib.sha256(figure.to_json().encode())
    digest.update(code_digest("plotting/static", "plotting/style").encode())
    digest.update(mpl.encode())
    return cache_dir() / "figures" / digest.hexdigest()[:32]


def write_table(table: ReportTable, out_dir: Path, *, raw_csv: bool = False) -> Path:
    """The table's raw frame as CSV (floats in full precision, ``\\n`` line ends).

    Text cells that a spreadsheet would run as a formula are prefixed with ``'``
    (:func:`dlcost.text.neutralize_frame`) unless ``raw_csv``.
    """
    from dlcost.text import neutralize_frame

    folder = out_dir / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{table.id}.csv"
    frame = table.frame if raw_csv else neutralize_frame(table.frame)
    frame.to_csv(path, index=False, lineterminator="\n")
    table.files["csv"] = f"tables/{path.name}"
    return path


def build_report(
    settings: ReportSettings,
    *,
    progress: ProgressCallback | None = None,
) -> ReportResult:
    """Build the whole report into ``settings.out_dir``; see the module docstring.

    Warnings raised on the way are collected in :attr:`ReportResult.warnings` instead of being
    printed over the progress display.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = _build(settings, progress)
    # Sorted: the worker's warnings arrive when its sections do, so the order of first
    # occurrence would depend on timing; the list must not.
    result.warnings = sorted({f"{w.category.__name__}: {w.message}" for w in caught})
    return result


#: Sections built after the others: they wait for the background simulation, and this
#: process draws figures meanwhile instead of idling.
LAST = ("theory",)

#: The open store and context of a worker process, kept for the sections it builds next.
_WORKER_STATE: dict[str, Any] = {}


def _section_in_worker(section_id: str, settings: ReportSettings, shared: dict[str, Any]
                       ) -> tuple[Section, float, float, list[tuple[type[Warning], str]],
                                  float]:
    """Build one section in a worker process: (section, wall s, CPU s, warnings raised, CPU s
    the worker took to open its snapshot of the store, the first time).

    The worker opens its own read-only snapshot of the store once (with its reads cached for
    the rest of the build, like the main process's) and keeps it for the next section.
    """
    from dlcost.report.sections import SECTIONS
    from dlcost.store import open_db

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if _WORKER_STATE.get("settings") != settings:
            _close_worker_state()
            c0 = time.process_time()
            stack = contextlib.ExitStack()
            db = stack.enter_context(open_db(settings.db_path, read_only=True))
            stack.enter_context(db.cached_reads())
            db.sanitize_text()
            _WORKER_STATE.update(settings=settings, stack=stack,
                                 ctx=ReportContext.open(db, settings),
                                 open_cpu_s=time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        ctx = _WORKER_STATE["ctx"]
        ctx.__dict__.update(shared)  # the shared results, as the main process computed them
        spec = next(spec for spec in SECTIONS if spec.id == section_id)
        section = spec.build(ctx)
        for figure in section.figures():
            figure.figure = FrozenFigure.of(figure.figure)
        seconds = time.perf_counter() - t0, time.process_time() - c0
    raised = [(w.category, str(w.message)) for w in caught]
    return section, seconds[0], seconds[1], raised, _WORKER_STATE["open_cpu_s"]


def _close_worker_state() -> None:
    stack = _WORKER_STATE.pop("stack", None)
    if stack is not None:
        stack.close()
    _WORKER_STATE.clear()


def _build(settings: ReportSettings, progress: ProgressCallback | None) -> ReportResult:
    from dlcost.report.sections import SECTIONS, provenance
    from dlcost.report.sections.theory import start_simulation, stop_simulation
    from dlcost.store import open_db

    started = time.perf_counter()
    out_dir = Path(settings.out_dir)
    previous = _prepare_folder(out_dir)
    steps = len(SECTIONS) + 3  # the sections, provenance, the files, the page
    done = 0

    def step(name: str) -> None:
        if progress is not None:
            progress(name, done, steps)

    timings: dict[str, Any] = {"sections": {}}
    built: dict[str, Section] = {}
    tables: dict[str, list[Path]] = {}
    figures = FigureWriter(out_dir, parallel=settings.parallel)
    pool = figures.executor
    cpu_started = time.process_time()

    def add(section: Section, build_s: float, build_cpu: float, *, where: str) -> None:
        nonlocal done
        section.seconds = build_s
        built[section.id] = section
        t0, c0 = time.perf_counter(), time.process_time()
        for figure in section.figures():
            figures.submit(figure)
        tables[section.id] = [write_table(table, out_dir, raw_csv=settings.raw_csv)
                              for table in section.tables()]
        timings["sections"][section.id] = {
            "build_s": build_s, "build_cpu_s": build_cpu,
            "files_s": time.perf_counter() - t0,
            "files_cpu_s": time.process_time() - c0, "built_in": where}
        done += 1

    remote: dict[str, Any] = {}

    def collect(*, wait: bool) -> None:
        """Add the sections the worker has finished (all of them, with ``wait``)."""
        for section_id, future in list(remote.items()):
            if not wait and not future.done():
                continue
            del remote[section_id]
            if wait and future.cancel():
                # The worker has not started it (it is busy with the simulation or another
                # section) and this process has nothing left to do: build it here.
                spec = next(spec for spec in SECTIONS if spec.id == section_id)
                t0, c0 = time.perf_counter(), time.process_time()
                add(spec.build(ctx), time.perf_counter() - t0, time.process_time() - c0,
                    where="main")
                continue
            while not future.done() and figures.steal():
                pass  # draw figures here while the worker builds the section
            try:
                section, build_s, build_cpu, raised, open_cpu = future.result()
                timings["worker_open_cpu_s"] = open_cpu
            except (BrokenExecutor, pickle.PicklingError, AttributeError, TypeError) as exc:
                # The worker died, or the section could not travel back (a formatter that
                # does not pickle): build it here. A real error in it recurs here, unhidden.
                timings.setdefault("worker_fallbacks", []).append(
                    f"{section_id}: {type(exc).__name__}: {exc}")
                spec = next(spec for spec in SECTIONS if spec.id == section_id)
                t0, c0 = time.perf_counter(), time.process_time()
                add(spec.build(ctx), time.perf_counter() - t0, time.process_time() - c0,
                    where="main")
                continue
            for category, message in raised:
                warnings.warn(message, category, stacklevel=1)
            add(section, build_s, build_cpu, where="worker")

    try:
        # A snapshot: the report holds no lock on the store while it builds.
        with open_db(settings.db_path, read_only=True) as db, db.cached_reads():
            db.sanitize_text()  # no control or bidi-override character reaches the page
            step("Reading the results store")
            ctx = ReportContext.open(db, settings)
            # The worker's queue: its first section, the simulation, its other sections (which
            # this process takes back if it runs out of work before the worker starts them).
            if pool is not None:
                for spec in SECTIONS:
                    if spec.worker:
                        shared = {name: getattr(ctx, name) for name in spec.shares}
                        try:
                            remote[spec.id] = pool.submit(_section_in_worker, spec.id,
                                                          settings, shared)
                        except BrokenExecutor:  # the worker died starting: build it here
                            break
                        if len(remote) == 1:
                            start_simulation(ctx, pool)
            offloaded = set(remote)
            start_simulation(ctx, pool)  # (once: a no-op when started above)
            timings["open_s"] = time.perf_counter() - started
            order = [spec for spec in SECTIONS if spec.id not in LAST] + \
                [spec for spec in SECTIONS if spec.id in LAST]
            try:
                for spec in order:
                    if spec.worker and spec.id in offloaded:
                        continue  # built by the worker (collected as soon as it is done)
                    if spec.id in LAST:
                        collect(wait=True)
                        # Draw figures here while the simulation finishes in the worker.
                        t0 = time.perf_counter()
                        while ctx.simulation is not None and not ctx.simulation.done() \
                                and figures.steal():
                            pass
                        timings["stolen_while_waiting_s"] = time.perf_counter() - t0
                    step(spec.label)
                    t0, c0 = time.perf_counter(), time.process_time()
                    section = spec.build(ctx)
                    add(section, time.perf_counter() - t0, time.process_time() - c0,
                        where="main")
                    collect(wait=False)
                collect(wait=True)
                step("Assumptions and provenance")
                sections = [built[spec.id] for spec in SECTIONS]
                t0, c0 = time.perf_counter(), time.process_time()
                section = provenance(ctx, sections)
                add(section, time.perf_counter() - t0, time.process_time() - c0,
                    where="main")
                sections.append(section)
            finally:
                for future in remote.values():
                    future.cancel()
                stop_simulation(ctx)
        step("Writing figures (PNG, SVG) and tables (CSV)")
        while figures.steal():  # draw here what the worker has not started
            pass
        done += 1

        # The page needs the figures' file names only (set when they were submitted), so it
        # is rendered while the worker finishes its last figures.
        step("Rendering the page")
        t0 = time.perf_counter()
        from dlcost.report.render import render_html

        page = render_html(
            sections,
            title=TITLE,
            subtitle=SUBTITLE,
            facts=_facts(ctx),
        )
        index = out_dir / INDEX
        index.write_text(page, encoding="utf-8")
        timings["render_s"] = time.perf_counter() - t0
        done += 1
        t0 = time.perf_counter()
    finally:
        drawn = figures.finish()
    timings["figures_wait_s"] = time.perf_counter() - t0
    timings["figures_render_s"] = figures.seconds
    timings["figures_in_worker"] = figures.pool is not None
    timings["figures_drawn_here"] = figures.drawn_here
    timings["figures_drawn_in_worker"] = figures.drawn_in_worker
    # In page order, whichever process built or drew them: tables, figures, then the page.
    written = [path for section in sections for path in tables[section.id]]
    written += [path for section in sections for figure in section.figures()
                for path in drawn[figure.id]]
    written.append(index)

    relative = sorted(str(p.relative_to(out_dir)) for p in written)
    _remove_stale(out_dir, previous, set(relative))
    manifest = out_dir / MANIFEST
    write_json(manifest, {"generator": f"dlcost {__version__}", "files": relative})
    written.append(manifest)
    timings["total_s"] = time.perf_counter() - started
    timings["main_cpu_s"] = time.process_time() - cpu_started
    step("Done")
    return ReportResult(
        out_dir=out_dir, index_html=index, sections=sections, files=written,
        sources=ctx.sources, seed=settings.seed, full=settings.full, timings=timings,
    )


def _facts(ctx: ReportContext) -> list[tuple[str, str]]:
    from dlcost.report.sections.theory import scale_note, simulation_settings

    sim = simulation_settings(ctx)
    return [
        ("Data", ", ".join(ctx.sources)),
        ("Results", f"{len(ctx.results):,}"),
        ("Benchmarks", str(len(ctx.benchmarks()))),
        ("Seed", str(ctx.seed)),
        ("Simulation", f"{sim.reps:,} repetitions ({scale_note(sim)})"),
        ("dlcost", __version__),
    ]
