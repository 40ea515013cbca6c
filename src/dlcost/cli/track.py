"""``dlcost track -- COMMAND`` and ``dlcost runs list|show``: measure and list your own runs.

Thin shells over :mod:`dlcost.track`; nothing heavy is imported until a command runs.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from dlcost.cli._common import db_path, emit_json, new_app, new_console, wait_message

if TYPE_CHECKING:
    from dlcost.fitting import BaseScalingFit
    from dlcost.store import ResultsDB
    from dlcost.track import Placement

JSON_HELP = "Print one JSON document."

runs_app = new_app("Runs you measured with dlcost track: list them, show one, delete one.")


def track_command(
    ctx: typer.Context,
    command: list[str] = typer.Argument(
        ..., metavar="-- COMMAND...",
        help="The training command, after --, e.g. -- python train.py --epochs 3."),
    benchmark: str | None = typer.Option(
        None, "--benchmark", "-b", help="Benchmark the run is scored on (imagenet, coco, …)."),
    model: str = typer.Option("my-run", "--model", "-m", help="Name of the run's model."),
    score: float | None = typer.Option(
        None, "--score", help="Score reached (76.1 for 76.1 % top-1); overrides one the "
                              "training code logs."),
    chip: str | None = typer.Option(
        None, "--chip", help="Chip to charge (catalogue name) when detection cannot see it."),
    chip_count: float | None = typer.Option(None, "--chip-count", help="How many of --chip."),
    peak: float | None = typer.Option(
        None, "--peak-flop-per-s", help="Peak FLOP/s per chip, for a chip not in the catalogue."),
    tdp: float | None = typer.Option(None, "--tdp-w",
                                     help="Power per chip (W) for the TDP energy fallback."),
    energy: str = typer.Option(
        "auto", "--energy", help="Energy method: auto, codecarbon, nvml, rapl, tdp or none."),
    flop_per_step: float | None = typer.Option(
        None, "--flop-per-step", help="FLOP of one training step (replaces counting)."),
    no_flop: bool = typer.Option(False, "--no-flop",
                                 help="Do not count FLOP in the training process."),
    kg_co2_per_kwh: float | None = typer.Option(
        None, "--kg-co2-per-kwh", help="Grid intensity (default: the hardware preset's)."),
    pue: float | None = typer.Option(None, "--pue",
                                     help="Power usage effectiveness (default: the preset's)."),
    usd_per_chip_hour: float | None = typer.Option(
        None, "--usd-per-chip-hour", help="Price per chip-hour (default: the cloud price "
                                          "table, else the thompson2020 preset)."),
    as_json: bool = typer.Option(False, "--json", help="Print the stored run as JSON."),
) -> None:
    """Run a training command and store what it cost: FLOP, hardware burden, energy, $, CO₂.

    The run becomes a result of source `runs`; `dlcost runs show latest` prints it and
    `dlcost fit BENCHMARK --highlight latest` places it on the benchmark's trend. dlcost exits
    with the command's exit status.
    """
    from dlcost.track import SIDECAR_ENV, RunTracker, TrackerConfig
    from dlcost.track.child import SAMPLING_ENV, read_sidecar, wrap_command
    from dlcost.track.record import flop_part
    from dlcost.track.runs import store_run

    config = TrackerConfig(
        benchmark=benchmark, model=model, score=score, chip=chip, chip_count=chip_count,
        peak_flop_per_s=peak, tdp_w=tdp, energy=energy, flop="manual",
        flop_per_step=flop_per_step, kg_co2_per_kwh=kg_co2_per_kwh, pue=pue,
        usd_per_chip_hour=usd_per_chip_hour, store=False,
    )
    wrapped, why = (command, "--no-flop given") if no_flop else wrap_command(list(command))
    fd, sidecar = tempfile.mkstemp(prefix="dlcost-track-", suffix=".jsonl")
    os.close(fd)
    env = dict(os.environ)
    env[SIDECAR_ENV] = sidecar
    # With --flop-per-step the training process only counts steps (no step is sampled).
    env[SAMPLING_ENV] = ("0,0,0" if flop_per_step else
                         f"{config.warmup_steps},{config.sample_steps},{config.sample_every or 0}")
    tracker = RunTracker(config)
    tracker.start()
    try:
        code = _run_to_the_end(wrapped, env)
    except OSError as exc:
        tracker.stop()
        Path(sidecar).unlink(missing_ok=True)
        from dlcost.exceptions import TrackedCommandError

        raise TrackedCommandError(
            f"cannot run {command[0]!r}: {exc.strerror or exc}. Check the command after --"
        ) from None
    flop, child_score, notes = read_sidecar(sidecar)
    Path(sidecar).unlink(missing_ok=True)
    if flop is not None and flop_per_step:
        flop = flop_part({"steps": flop.get("steps") or 0}, 0.0, flop_per_step, "manual", [])
    if flop is not None:
        tracker.use_flop(flop)
    if score is None and child_score is not None:
        tracker.log_score(child_score)
    record = tracker.stop(exit_code=code, command=list(command))
    if record is None:
        raise typer.Exit(code or 1)
    if why and flop is None:
        record.problems.append(why)
    record.problems.extend(notes)
    with _open(ctx) as db:
        store_run(record, db=db)
    placement = _place_on_trend(ctx, record)
    if as_json:
        emit_json({**record.to_dict(), "placement": placement})
    else:
        for line in record.summary_lines():
            typer.echo(line, err=True)
        if placement:
            typer.echo(f"  against the trend: {placement['description']}", err=True)
        typer.echo(f"stored as {record.result_id}: dlcost runs show {record.result_id}",
                   err=True)
    if code:
        raise typer.Exit(code)


def _place_on_trend(ctx: typer.Context, record: Any) -> dict[str, Any] | None:
    """The run on its benchmark's default power-law fit, when it has a benchmark and a score.

    The run is already stored: a fit that cannot be made is a note, not a failure.
    """
    if record.benchmark is None or record.score is None:
        return None
    from dlcost.exceptions import DlcostError
    from dlcost.fitting import fit_benchmark
    from dlcost.store import open_db
    from dlcost.track import get_run, place_run

    try:
        with open_db(db_path(ctx), read_only=True, on_wait=wait_message) as db:
            fit = fit_benchmark(db, record.benchmark)
            return place_run(get_run(db, str(record.result_id)), fit).to_dict()
    except DlcostError as exc:
        return {"problem": str(exc), "description": f"not placed: {exc}"}


def _run_to_the_end(command: list[str], env: dict[str, str]) -> int:
    """Run ``command``; on Ctrl-C (which the child receives too) wait for it to finish, so
    that the interrupted run is still measured and stored."""
    proc = subprocess.Popen(command, env=env)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        try:
            return proc.wait(timeout=30)
        except (KeyboardInterrupt, subprocess.TimeoutExpired):
            proc.kill()
            return proc.wait()


def _open(ctx: typer.Context) -> ResultsDB:
    from dlcost.store import ResultsDB

    return ResultsDB(db_path(ctx))


@runs_app.command("list")
def runs_list(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """List tracked runs, newest first: FLOP, hardware burden, energy, CO₂ and $."""
    from dlcost.track import list_runs
    from dlcost.track.runs import flush_pending

    with _open(ctx) as db:
        flush_pending(db)
        frame = list_runs(db)
    if as_json:
        emit_json(frame.to_dict(orient="records"))
        return
    if frame.empty:
        typer.echo("No tracked runs yet: `dlcost track -- python train.py` or "
                   "`with dlcost.track(...)` records one.")
        return
    from rich.table import Table

    table = Table(title=f"Tracked runs ({len(frame)})")
    for col in ("id", "model", "benchmark", "score", "FLOP", "burden", "kWh (method)",
                "CO₂ kg", "$"):
        table.add_column(col, justify="right" if col not in ("id", "model", "benchmark")
                         else "left", no_wrap=col == "id")
    for r in frame.itertuples():
        table.add_row(r.id, r.model, r.benchmark or "–", _g(r.score), _e(r.flop),
                      _e(r.hardware_burden), f"{_g(r.kwh)} ({r.energy_method})", _g(r.co2_kg),
                      _g(r.usd))
    new_console().print(table)


def _g(x: Any) -> str:
    return "–" if x is None or x != x else f"{x:.3g}"


def _e(x: Any) -> str:
    return "–" if x is None or x != x else f"{x:.2e}"


@runs_app.command("show")
def runs_show(
    ctx: typer.Context,
    run: str = typer.Argument(..., help="Run id (from `dlcost runs list`), or latest."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Everything measured about one run, with its inputs and assumptions."""
    from dlcost.track import get_run
    from dlcost.track.runs import run_lines

    with _open(ctx) as db:
        doc = get_run(db, run)
    if as_json:
        emit_json(doc)
        return
    for line in run_lines(doc):
        typer.echo(line)
    for label, part in (("FLOP", doc.get("flop")), ("hardware burden",
                                                     doc.get("hardware_burden")),
                        ("cost", doc.get("cost"))):
        for note in (part or {}).get("assumptions") or []:
            typer.echo(f"  {label}: {note}")
    for note in (doc.get("energy") or {}).get("notes") or []:
        typer.echo(f"  energy: {note}")
    for note in (doc.get("hardware") or {}).get("notes") or []:
        typer.echo(f"  hardware: {note}")


@runs_app.command("delete")
def runs_delete(
    ctx: typer.Context,
    run: str = typer.Argument(..., help="Run id (from `dlcost runs list`), or latest."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Remove one tracked run from the store."""
    from dlcost.track import delete_run

    with _open(ctx) as db:
        doc = delete_run(db, run)
    if as_json:
        emit_json({"deleted": doc["id"], "model": doc["model"]})
    else:
        typer.echo(f"deleted {doc['id']} ({doc['model']})")


def highlight_runs(db: ResultsDB, fits: list[BaseScalingFit],
                   runs: list[str]) -> dict[int, list[Placement]]:
    """Placements of the named runs on each fit of their benchmark (``fit --highlight``)."""
    from dlcost.track import get_run, place_run

    docs = [get_run(db, r) for r in runs]
    out: dict[int, list[Placement]] = {}
    for i, fit in enumerate(fits):
        out[i] = [place_run(d, fit) for d in docs if d.get("benchmark") == fit.benchmark_]
    placed = {p.run_id for ps in out.values() for p in ps}
    missing = [d for d in docs if d["id"] not in placed]
    if missing:
        from dlcost.exceptions import InvalidParameterError

        d = missing[0]
        raise InvalidParameterError(
            f"run {d['id']} ({d['model']}) is on {d.get('benchmark') or 'no benchmark'}, "
            "which none of the fits covers; fit its benchmark, e.g. "
            f"`dlcost fit {d.get('benchmark') or 'imagenet'} --highlight {d['id']}`"
        )
    return out


def print_placements(placements: dict[int, list[Placement]]) -> None:
    from rich.markup import escape

    console = new_console()
    for ps in placements.values():
        for p in ps:
            console.print(escape(p.describe()))


def plot_highlight(fits: list[BaseScalingFit], placements: dict[int, list[Placement]],
                   path: Path) -> None:
    """Draw the first fit with its points and the placed runs, saved to ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from dlcost.plotting.runs import RunsDisplay
    from dlcost.plotting.scaling import ScalingDisplay

    fig, ax = plt.subplots(figsize=(7, 5))
    ScalingDisplay.from_fit(fits[0], ax=ax)
    RunsDisplay(placements.get(0, [])).plot(ax=ax)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def register(app: typer.Typer) -> None:
    """Add ``track`` and ``runs`` to the root app."""
    app.command(
        "track",
        context_settings={"allow_interspersed_args": False},
    )(track_command)
    app.add_typer(runs_app, name="runs")


