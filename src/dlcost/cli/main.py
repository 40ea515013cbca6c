"""Root of the ``dlcost`` command line.

Running one command imports only the module that defines it (:data:`COMMANDS`): the other
command modules and their typer definitions cost ~0.05 s of every command's start-up. ``app``,
the root with every command (for ``dlcost --help``, an unknown command, the reference in
docs/cli.md and the tests), is built on first use.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer

from dlcost import __version__
from dlcost.cli._common import new_app

HELP = (
    "Measure and forecast the computational price of progress in deep learning.\n\n"
    "Start with [bold]dlcost report[/bold] (the whole analysis on the embedded data), "
    "or [bold]dlcost data fetch futuretech[/bold] for the paper's own data."
)
#: The command modules under ``dlcost.cli``, in the order their commands are added.
MODULES = ("data", "hardware", "estimate", "frontier", "analysis", "simulate", "trends",
           "backtest", "plan", "report", "track")
#: Modules whose own typer app is one group of the root (``dlcost data …``); the others add
#: their commands with ``register(app)``.
GROUPS = frozenset({"data", "hardware", "estimate", "frontier"})
#: Each top-level command or group → the module that adds it (a test checks it against the
#: modules themselves).
COMMANDS = {
    "data": "data", "hardware": "hardware", "estimate": "estimate", "frontier": "frontier",
    "fit": "analysis", "project": "analysis", "decompose": "analysis", "simulate": "simulate",
    "trend": "trends", "forecast": "trends", "backtest": "backtest", "plan": "plan",
    "cost": "plan", "report": "report", "track": "track", "runs": "track",
}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dlcost {__version__}")
        raise typer.Exit()


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


def build(modules: Sequence[str] = MODULES) -> typer.Typer:
    """The root app with the commands of ``modules`` (default: all of them)."""
    root = new_app(HELP)
    root.callback()(_root)
    for name in modules:
        module = importlib.import_module(f"dlcost.cli.{name}")
        if name in GROUPS:
            root.add_typer(module.app, name=name)
        else:
            module.register(root)
    return root


def command_name(args: Sequence[str]) -> str | None:
    """The command a command line runs (``fit`` in ``--db x.duckdb fit imagenet``), or None
    when it asks the root itself (no command, ``--help``, ``--version``, an unknown option)."""
    rest = iter(args)
    for arg in rest:
        if arg == "--db":
            next(rest, None)
        elif arg.startswith("--db="):
            continue
        elif arg.startswith("-"):
            return None
        else:
            return arg
    return None


def __getattr__(name: str) -> Any:
    """``app``: the root with every command, built once on first use."""
    if name == "app":
        app = globals()["app"] = build()
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point: the root with only the module of the command asked for."""
    module = COMMANDS.get(command_name(sys.argv[1:]) or "")
    (build([module]) if module else __getattr__("app"))()
