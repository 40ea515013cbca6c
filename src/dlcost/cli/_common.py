"""Helpers shared by the command modules: the error-mapping group, JSON output, the db path."""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from dlcost.exceptions import DlcostError


class DlcostGroup(TyperGroup):
    """Maps dlcost's errors (and anything unexpected) to one ``Error: …`` line and exit 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
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


def _json_default(obj: Any) -> Any:
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy is a hard dependency
        np = None  # type: ignore[assignment]
    if np is not None:
        if isinstance(obj, np.integer):
            return int(obj)
        if isinstance(obj, np.floating):
            return _finite(float(obj))
        if isinstance(obj, np.ndarray):
            return [_json_default(x) if not isinstance(x, float) else _finite(x)
                    for x in obj.tolist()]
        if isinstance(obj, np.bool_):
            return bool(obj)
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    raise TypeError(f"{type(obj).__name__} is not JSON serializable")


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def _clean(obj: Any) -> Any:
    """Replace NaN/inf by None recursively (JSON has no NaN)."""
    if isinstance(obj, float):
        return _finite(obj)
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    return obj


def emit_json(obj: Any) -> None:
    """Print one JSON document on stdout."""
    sys.stdout.write(json.dumps(_clean(obj), default=_json_default, indent=2) + "\n")


def wait_message(message: str) -> None:
    """Tell the user on stderr that a command waits for the store (another process holds it)."""
    typer.echo(f"Note: {message}…", err=True)


def db_path(ctx: typer.Context) -> Path | None:
    """The ``--db`` given to the root command, if any (else the store's default applies)."""
    root = ctx.find_root()
    obj = root.obj or {}
    value = obj.get("db")
    return Path(value) if value else None
