"""Helpers shared by the command modules: the error-mapping group, JSON output, the db path."""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from dlcost.exceptions import DlcostError


class DlcostGroup(TyperGroup):
    """Maps dlcost's errors (and anything unexpected) to one ``Error: …`` line and exit 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            with warnings.catch_warnings():
                warnings.showwarning = _show_warning
                return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except DlcostError as exc:
            _fail(str(exc))
        except Exception as exc:
            if os.environ.get("DLCOST_DEBUG"):
                raise
            _fail(
                f"unexpected {type(exc).__name__}: {exc} "
                "(set DLCOST_DEBUG=1 to see the traceback, and please report it)"
            )


def _show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                  file: Any = None, line: str | None = None) -> None:
    """A warning as one ``Warning: …`` line on stderr (it ran, but be careful)."""
    typer.echo(f"Warning: {_one_line(str(message))}", err=True)


def _fail(message: str) -> None:
    """Print one ``Error: …`` line on stderr and exit with status 1."""
    typer.echo(f"Error: {_one_line(message)}", err=True)
    raise typer.Exit(code=1)


def _one_line(message: str) -> str:
    from dlcost.text import sanitize

    return " ".join(sanitize(message).split())


def new_app(help_text: str) -> typer.Typer:
    """A typer app (root or sub-group) with dlcost's conventions."""
    return typer.Typer(
        help=help_text,
        cls=DlcostGroup,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
        rich_markup_mode="rich",
    )


def emit_json(obj: Any) -> None:
    """Print one JSON document on stdout (:func:`dlcost.serialize.dumps`)."""
    from dlcost.serialize import dumps

    sys.stdout.write(dumps(obj) + "\n")


def wait_message(message: str) -> None:
    """Tell the user on stderr that a command waits for the store (another process holds it)."""
    typer.echo(f"Note: {message}…", err=True)


def db_path(ctx: typer.Context) -> Path | None:
    """The ``--db`` given to the root command, if any (else the store's default applies)."""
    root = ctx.find_root()
    obj = root.obj or {}
    value = obj.get("db")
    return Path(value) if value else None
