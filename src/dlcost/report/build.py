"""Build the report: run the sections, write the static files, render the page.

:func:`build_report` is the one entry point (the ``dlcost report`` command is a thin shell
around it). It writes, under the output folder::

    index.html            the interactive report (self-contained: works from file://)
    figures/<id>.png|svg  every figure, drawn by matplotlib from the same plotly figure
    tables/<id>.csv       every table, raw numbers (byte-identical for the same data and seed)
    manifest.json         what was written, so that a rebuild can replace it safely
"""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dlcost import __version__
from dlcost.exceptions import ReportFolderError
from dlcost.report.context import ReportContext, ReportSettings
from dlcost.report.model import ReportFigure, ReportTable, Section
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
    #: Distinct warnings raised while building (numerical edge cases in the library, …).
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
    import matplotlib

    from dlcost.plotting.report_figures import to_matplotlib

    folder = out_dir / "figures"
    folder.mkdir(exist_ok=True)
    rendered = to_matplotlib(figure.figure)
    written = []
    with matplotlib.rc_context({"svg.hashsalt": "dlcost", "svg.fonttype": "path"}):
        for fmt in ("png", "svg"):
            path = folder / f"{figure.id}.{fmt}"
            metadata = {"Date": None} if fmt == "svg" else {"Software": "dlcost"}
            rendered.savefig(path, format=fmt, dpi=150 if fmt == "png" else 100,
                             metadata=metadata, bbox_inches="tight", pad_inches=0.15)
            figure.files[fmt] = f"figures/{path.name}"
            written.append(path)
    return written


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
    result.warnings = list(dict.fromkeys(f"{w.category.__name__}: {w.message}"
                                         for w in caught))
    return result


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
    sections: list[Section] = []
    # A snapshot: the report holds no lock on the store while it builds.
    with open_db(settings.db_path, read_only=True) as db:
        db.sanitize_text()  # no control or bidi-override character from the data reaches the page
        step("Reading the results store")
        ctx = ReportContext.open(db, settings)
        start_simulation(ctx)
        timings["open_s"] = time.perf_counter() - started
        try:
            for spec in SECTIONS:
                step(spec.label)
                t0 = time.perf_counter()
                section = spec.build(ctx)
                section.seconds = time.perf_counter() - t0
                sections.append(section)
                done += 1
            step("Assumptions and provenance")
            t0 = time.perf_counter()
            section = provenance(ctx, sections)
            section.seconds = time.perf_counter() - t0
            sections.append(section)
            done += 1
        finally:
            stop_simulation(ctx)

    step("Writing figures (PNG, SVG) and tables (CSV)")
    written: list[Path] = []
    for section in sections:
        t0 = time.perf_counter()
        for figure in section.figures():
            written.extend(write_figure(figure, out_dir))
        for table in section.tables():
            written.append(write_table(table, out_dir, raw_csv=settings.raw_csv))
        timings["sections"][section.id] = {"build_s": section.seconds,
                                           "files_s": time.perf_counter() - t0}
    done += 1

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
    written.append(index)
    timings["render_s"] = time.perf_counter() - t0
    done += 1

    relative = sorted(str(p.relative_to(out_dir)) for p in written)
    _remove_stale(out_dir, previous, set(relative))
    manifest = out_dir / MANIFEST
    write_json(manifest, {"generator": f"dlcost {__version__}", "files": relative})
    written.append(manifest)
    timings["total_s"] = time.perf_counter() - started
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
