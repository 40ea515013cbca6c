"""``dlcost data``: import, fetch, list, show, check and export results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from dlcost import formatting as numfmt
from dlcost.cli._common import db_path, emit_json, new_app, new_console, wait_message

app = new_app("Import, fetch, list, check and export benchmark results and their compute.")

LIST_COLUMNS = ["id", "benchmark", "model", "year", "score", "error", "source",
                "hardware_burden", "network_operations"]


#: Written out here so that ``--help`` stays fast (the importers load the store); a test
#: checks it names every format of :data:`dlcost.store.importers.FORMATS`.
IMPORT_FORMATS_HELP = (
    "futuretech (the six FutureTech 2022 CSVs), builtin (YAML in dlcost's schema), epoch "
    "(Epoch AI's all_ai_models.csv or its folder), epoch-hardware (ml_hardware.csv), pwc "
    "(Papers with Code evaluation-tables JSON, gzip or plain), squad (sota-extractor SQuAD "
    "leaderboard JSON), computerprogress (hardware-burden points CSV or *_data.js folder), "
    "epoch-benchmarks (Epoch AI's Benchmarking Hub: the epoch_benchmarks folder) or "
    "epoch-prices (Epoch AI's hardware_prices.csv)."
)


def shown(value: Any) -> str:
    """Data as terminal text: control and bidi characters escaped, rich markup inert."""
    from rich.markup import escape

    from dlcost.text import sanitize

    return escape(sanitize(str(value)))


def _open(ctx: typer.Context, *, read_only: bool = True) -> Any:
    """The store, seeded: a snapshot for reading (holds no lock), or the file for an import."""
    from dlcost.store import open_db

    return open_db(db_path(ctx), read_only=read_only, on_wait=wait_message)


@app.command("import")
def import_(
    ctx: typer.Context,
    fmt: str = typer.Argument(..., metavar="FORMAT", help=IMPORT_FORMATS_HELP),
    path: Path = typer.Argument(..., help="File or folder to import."),
    force: bool = typer.Option(
        False, "--force",
        help="Replace existing rows even when the file has far fewer (see docs/data.md).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Import a public dataset file (atomic: all of it, or nothing).

    The file is checked whole before anything is replaced; an import that would shrink what it
    replaces by more than 10 % (or to nothing) is refused unless --force is given.
    """
    from dlcost.store.importers import import_file

    with _open(ctx, read_only=False) as db:
        summary = import_file(db, fmt, path, force=force)
        total = db.count()
        by_source = {s: db.count(s) for s in db.sources()}
    if as_json:
        emit_json({**summary.to_dict(), "total_rows": total, "rows_by_source": by_source})
        return
    held = ", ".join(f"{n} {s}" for s, n in by_source.items())
    typer.echo(f"Imported {summary.rows} rows from {path} ({fmt}); the store now holds "
               f"{total} results ({held}).")
    for reason, n in summary.skipped.items():
        typer.echo(f"  skipped {n}: {reason}")


@app.command("fetch")
def fetch(
    ctx: typer.Context,
    source: str = typer.Argument(..., help="futuretech, epoch, epoch-hardware, pwc, squad, …"),
    force: bool = typer.Option(
        False, "--force",
        help="Replace existing rows even when the download has far fewer (see docs/data.md).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Download a public dataset from its origin, verify it, cache it and import it."""
    from dlcost.store.fetch import fetch as do_fetch

    with _open(ctx, read_only=False) as db:
        result = do_fetch(source, db, progress=not as_json, force=force)
    doc = result.to_dict()
    if as_json:
        emit_json(doc)
        return
    how = "downloaded" if doc.get("downloaded") else "reused from the cache"
    pinned = "checksum verified" if doc.get("pinned") else "not pinned (the origin updates it)"
    typer.echo(f"Fetched {source} ({how}; {pinned}) and imported {doc.get('rows')} rows.")
    for reason, n in (doc.get("skipped") or {}).items():
        typer.echo(f"  skipped {n}: {reason}")


@app.command("status")
def status(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Per source: shipped snapshot or fetched (or imported), its date, rows and licence."""
    from dlcost.store.snapshots import source_status

    with _open(ctx) as db:
        imports = db.imports()
        doc = {
            "db": str(db.path),
            "default_sources": db.default_sources(),
            "sources": [s.to_dict() for s in source_status(db)],
            "imports": imports.astype(object).where(imports.notna(), None).to_dict("records"),
        }
    if as_json:
        emit_json(doc)
        return
    from rich.table import Table

    table = Table(title=f"Results store {doc['db']}")
    for col in ("source", "data", "date", "rows", "licence"):
        table.add_column(col, overflow="fold")
    for row in doc["sources"]:
        table.add_row(shown(row["source"]), shown(row["kind"]), shown(row["date"] or ""),
                      str(row["rows"]), shown(row["licence"] or "unknown"))
    console = new_console()
    console.print(table)
    console.print(f"Commands use by default: {', '.join(doc['default_sources'])}")
    console.print("[dim]`dlcost data fetch SOURCE` replaces a snapshot with the current public "
                  "data.[/dim]")


@app.command("combined")
def combined(
    ctx: typer.Context,
    benchmark: str | None = typer.Option(None, "--benchmark", "-b", help="Benchmark id."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """How the sources were matched into one row per result, and the ambiguous matches left out."""
    from dlcost.benchmarks import get_benchmark

    bench = get_benchmark(benchmark).id if benchmark is not None else None
    with _open(ctx) as db:
        view = db.combined()
    ambiguous = [a for a in view.ambiguous if bench is None or a.benchmark == bench]
    doc = {"summary": view.summary(), "ambiguous": [a.to_dict() for a in ambiguous]}
    if as_json:
        emit_json(doc)
        return
    from rich.table import Table

    s = doc["summary"]
    console = new_console()
    rows = ", ".join(f"{n} {src}" for src, n in s["rows_by_source"].items())
    console.print(f"{s['results']} results ({rows}); {s['matched_across_sources']} hold rows of "
                  f"several sources; {s['ambiguous']} ambiguous matches left out.")
    if ambiguous:
        table = Table(title="Ambiguous matches (reported, not guessed)")
        for col in ("benchmark", "source", "id", "model", "could be", "rule"):
            table.add_column(col, overflow="fold")
        for a in ambiguous:
            table.add_row(a.benchmark, a.source, a.id, a.model, "; ".join(a.candidates), a.rule)
        console.print(table)


@app.command("join-report")
def join_report_(
    ctx: typer.Context,
    sample: int = typer.Option(5, "--sample", help="Unjoined rows to show per benchmark."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """How the language-model scores (epoch-benchmarks) joined to Epoch's models table."""
    from dlcost.store.lm import join_report

    with _open(ctx) as db:
        report = join_report(db, sample=sample)
    if as_json:
        emit_json(report.to_dict())
        return
    from rich.table import Table

    table = Table(title="Language-model scores joined to Epoch's models table")
    for col in ("benchmark", "rows", "with_version", "joined", "joined_by_name",
                "with_compute"):
        table.add_column(col, justify="left" if col == "benchmark" else "right")
    for row in report.table.itertuples(index=False):
        table.add_row(*(str(v) for v in row))
    console = new_console()
    console.print(table)
    for bench, rows in report.unjoined.items():
        console.print(f"[bold]{bench}[/bold] not joined, e.g.: " + "; ".join(
            f"{r['model']} ({r['reason']})" for r in rows))


@app.command("list")
def list_(
    ctx: typer.Context,
    benchmark: str | None = typer.Option(None, "--benchmark", "-b", help="Benchmark id."),
    source: list[str] | None = typer.Option(
        None, "--source", "-s", "--data", "-d",
        help="Source(s), or 'combined' (one row per result across sources, the default once "
             "more than builtin is in the store).",
    ),
    limit: int | None = typer.Option(None, "--limit", help="Show at most N rows."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """List results (one row per model) with their error and compute."""
    from dlcost.benchmarks import get_benchmark

    if benchmark is not None:
        benchmark = get_benchmark(benchmark).id
    with _open(ctx) as db:
        frame = db.results(benchmark=benchmark, sources=source)
    frame = frame[LIST_COLUMNS]
    if limit is not None:
        frame = frame.head(limit)
    if as_json:
        emit_json(frame.astype(object).where(frame.notna(), None).to_dict("records"))
        return
    from rich.table import Table

    table = Table(title=f"{len(frame)} results")
    for col in ("id", "benchmark", "model", "year", "score", "source", "hardware_burden"):
        table.add_column(col, overflow="fold")
    import pandas as pd

    for row in frame.itertuples():
        table.add_row(
            shown(row.id), shown("" if pd.isna(row.benchmark) else row.benchmark),
            shown(row.model), "" if pd.isna(row.year) else str(int(row.year)),
            "" if pd.isna(row.score) else f"{row.score:.2f}", shown(row.source),
            "" if pd.isna(row.hardware_burden) else numfmt.sci(row.hardware_burden),
        )
    new_console().print(table)


@app.command("show")
def show(
    ctx: typer.Context,
    result_id: str = typer.Argument(..., metavar="ID", help="Result id (see dlcost data list)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Everything about one result: facts, phases, estimates and their provenance."""
    with _open(ctx) as db:
        result = db.get(result_id)
    if as_json:
        emit_json(result)
        return

    console = new_console()
    console.print(f"[bold]{shown(result['model'])}[/bold] ({shown(result['benchmark'])}, "
                  f"{shown(result['source'])})")
    for key in ("paper_title", "paper_url", "reference", "year", "date", "metric", "score",
                "split", "extra_data", "parameters", "ops_per_pass_flop", "metrics", "notes"):
        if result.get(key) not in (None, "", {}):
            console.print(f"  {key}: {shown(result[key])}")
    for phase in result["phases"]:
        facts = {k: v for k, v in phase.items() if v is not None and v == v}
        console.print(f"  phase: {shown(facts)}")
    for e in result["estimates"]:
        value = numfmt.quantity(e["flop"], "FLOP")
        console.print(f"  {e['method']}: {value}  "
                      f"{shown(e['description'] or e['problem'] or '')}")
        if e.get("reported_flop") == e.get("reported_flop") and e.get("reported_flop"):
            console.print(f"    reported by source: {numfmt.quantity(e['reported_flop'], 'FLOP')}")
        for note in e.get("assumptions") or []:
            console.print(f"    [dim]assumption: {shown(note)}[/dim]")
    _print_combined(console, result.get("combined"))


def _print_combined(console: Any, view: dict[str, Any] | None) -> None:
    """The combined result this row belongs to: each source's values, and who gave which."""
    if not view or len(view["contributors"]) < 2:
        return
    from rich.table import Table

    fields = view["field_sources"]
    table = Table(title=f"Combined result {view['id']} (fields by documented precedence)")
    for col in ("source", "id", "model", "score", "date", "hardware burden",
                "training compute"):
        table.add_column(col, overflow="fold")

    def cell(value: Any, fmt: str = "") -> str:
        if value is None or value != value:
            return ""
        return format(value, fmt) if fmt else shown(value)

    for c in view["contributors"]:
        table.add_row(shown(c["source"]), shown(c["id"]), shown(c["model"]),
                      cell(c.get("score"), ".2f"), cell(c.get("date") or c.get("year")),
                      cell(c.get("hardware_burden"), ".3g"),
                      cell(c.get("training_compute"), ".3g"))
    console.print(table)
    console.print("  taken from: " + ", ".join(f"{k} ← {shown(v)}" for k, v in fields.items()))


@app.command("check")
def check(
    ctx: typer.Context,
    against: list[Path] | None = typer.Option(
        None, "--against", help="Public dataset folder(s) to compare with (e.g. shared/data/raw)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Check data quality: dlcost's recomputation vs the sources, builtin vs public datasets."""
    from dlcost.store.check import run_checks

    with _open(ctx) as db:
        report = run_checks(db, against=against or [])
    if as_json:
        emit_json(report.to_dict())
        return

    report.print(new_console())


@app.command("export")
def export(
    ctx: typer.Context,
    fmt: str = typer.Option("csv", "--format", "-f", help="csv, parquet or json."),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Output file (default: stdout for csv/json)."
    ),
    benchmark: str | None = typer.Option(None, "--benchmark", "-b", help="Benchmark id."),
    source: list[str] | None = typer.Option(None, "--source", "-s", "--data", "-d",
                                            help="Source(s)."),
    as_json: bool = typer.Option(False, "--json",
                                 help="Print one JSON document: the rows (same as --format "
                                      "json), or with --out what was written."),
    raw_cells: bool = typer.Option(
        False, "--raw-cells",
        help="CSV: write text cells as stored, without the ' that keeps spreadsheets from "
             "running cells starting with = + - @ as formulas (for programs).",
    ),
) -> None:
    """Export results with their compute columns as CSV, Parquet or JSON.

    CSV text cells starting with = + - @ (or a tab or carriage return) get a leading ' so that
    spreadsheets show them as text instead of running them (see docs/data.md); --raw-cells
    turns that off.
    """
    from dlcost.benchmarks import get_benchmark
    from dlcost.exceptions import InvalidParameterError

    if as_json and out is None:
        fmt = "json"
    if fmt not in ("csv", "parquet", "json"):
        raise InvalidParameterError(f"unknown export format {fmt!r}; use csv, parquet or json")
    if fmt == "parquet" and out is None:
        raise InvalidParameterError("parquet is binary: give --out FILE")
    if benchmark is not None:
        benchmark = get_benchmark(benchmark).id
    with _open(ctx) as db:
        frame = db.results(benchmark=benchmark, sources=source)
    if fmt == "parquet":
        frame.to_parquet(out, index=False)
    elif fmt == "csv":
        from dlcost.text import neutralize_frame

        text = (frame if raw_cells else neutralize_frame(frame)).to_csv(index=False)
        if out is None:
            typer.echo(text, nl=False)
        else:
            out.write_text(text)
    else:
        text = frame.to_json(orient="records", date_format="iso", indent=2)
        if out is None:
            typer.echo(text)
        else:
            out.write_text(text)
    if out is not None:
        if as_json:
            emit_json({"path": str(out), "format": fmt, "rows": len(frame)})
        else:
            typer.echo(f"Wrote {len(frame)} rows to {out}", err=True)
