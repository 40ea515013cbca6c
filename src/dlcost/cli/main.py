"""Root of the ``dlcost`` command line."""

from __future__ import annotations

from pathlib import Path

import typer

from dlcost import __version__
from dlcost.cli import (
    analysis,
    backtest,
    data,
    estimate,
    frontier,
    hardware,
    plan,
    report,
    simulate,
    track,
    trends,
)
from dlcost.cli._common import new_app

app = new_app(
    "Measure and forecast the computational price of progress in deep learning.\n\n"
    "Start with [bold]dlcost report[/bold] (the whole analysis on the embedded data), "
    "or [bold]dlcost data fetch futuretech[/bold] for the paper's own data."
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dlcost {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    db: Path | None = typer.Option(
        None, "--db", envvar="DLCOST_DB", help="Results database (default: the user data dir)."
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Measure and forecast the computational price of progress in deep learning."""
    ctx.obj = {"db": str(db) if db else None}


app.add_typer(data.app, name="data")
app.add_typer(hardware.app, name="hardware")
app.add_typer(estimate.app, name="estimate")
app.add_typer(frontier.app, name="frontier")
analysis.register(app)
simulate.register(app)
trends.register(app)
backtest.register(app)
plan.register(app)
report.register(app)
track.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
