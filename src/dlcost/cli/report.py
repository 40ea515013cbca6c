"""``dlcost report``: the paper's whole analysis as one self-contained interactive HTML page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from dlcost.cli._common import db_path, emit_json, new_console

DATA_HELP = ("Source(s) of results: builtin, futuretech, all, … (repeat, or separate with "
             "commas). Default: everything imported, else the embedded builtin data.")


def _sources(values: list[str] | None) -> tuple[str, ...] | None:
    if not values:
        return None
    parts = [p.strip() for v in values for p in v.split(",") if p.strip()]
    return tuple(dict.fromkeys(parts)) or None


def report(
    ctx: typer.Context,
    data: list[str] | None = typer.Option(None, "--data", "-d", "--source", "-s", metavar="SOURCE",
                                          help=DATA_HELP),
    out: Path = typer.Option(Path("dlcost-report"), "--out", "-o", metavar="DIR",
                             help="Folder to write index.html, figures/ and tables/ into."),
    open_browser: bool = typer.Option(False, "--open", help="Open the report in a browser."),
    full: bool = typer.Option(False, "--full",
                              help="Run the simulation at the paper's scale (minutes)."),
    seed: int = typer.Option(0, "--seed", min=0, metavar="S",
                             help="Seed of the bootstraps and the simulation."),
    raw_csv: bool = typer.Option(
        False, "--raw-csv",
        help="Write table cells as they are, without the ' that keeps spreadsheets from running "
             "cells starting with = + - @ as formulas (for programs).",
    ),
    as_json: bool = typer.Option(False, "--json",
                                 help="Print a JSON summary (paths, sections, timings)."),
) -> None:
    """Build the whole analysis as one interactive HTML report (works offline, from disk).

    Writes DIR/index.html, DIR/figures/ (PNG, SVG) and DIR/tables/ (CSV, byte-identical).
    """
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from dlcost.report import ReportSettings, build_report

    settings = ReportSettings(out_dir=out, sources=_sources(data), full=full, seed=seed,
                              db_path=db_path(ctx), raw_csv=raw_csv)
    console = new_console(stderr=True)
    with Progress(
        SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
        TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
        console=console, transient=True, disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task("Starting", total=None)

        def show(step: str, done: int, total: int) -> None:
            progress.update(task, description=step, completed=done, total=total)

        result = build_report(settings, progress=show)
    summary = result.to_dict()
    if open_browser:
        import webbrowser

        webbrowser.open(result.index_html.resolve().as_uri())
    if as_json:
        emit_json(summary)
        return
    _print_summary(console, summary)


def _print_summary(console: Any, summary: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(title="dlcost report", show_edge=False, title_justify="left")
    table.add_column("Section")
    table.add_column("Figures", justify="right")
    table.add_column("Tables", justify="right")
    table.add_column("Time", justify="right")
    for s in summary["sections"]:
        seconds = s["seconds"]["build_s"] + s["seconds"]["files_s"]
        title = s["title"] + (f" [yellow]({len(s['unavailable'])} not available)[/yellow]"
                              if s["unavailable"] else "")
        table.add_row(title, str(len(s["figures"])), str(len(s["tables"])), f"{seconds:.1f} s")
    console.print(table)
    typer.echo(f"Wrote {summary['index_html']} ({len(summary['files'])} files) in "
               f"{summary['timings']['total_s']:.1f} s.")


def register(app: typer.Typer) -> None:
    """Add the top-level ``report`` command to ``app``."""
    app.command("report")(report)
