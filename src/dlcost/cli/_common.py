"""Helpers shared by the command modules: the error-mapping group, JSON output, the db path."""

from __future__ import annotations

import contextlib
import errno
import math
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup, TyperOption

from dlcost.exceptions import DlcostError

if TYPE_CHECKING:
    from rich.console import Console

#: typer's usage error (a missing argument, an unknown option) and the base of its errors,
#: reached through the public :class:`typer.BadParameter`.
UsageError: type[Exception] = typer.BadParameter.__mro__[1]
ClickException: type[Exception] = typer.BadParameter.__mro__[2]

#: Exit status after the reader of a pipe went away (``dlcost … | head -1``): 128 + SIGPIPE,
#: what a Unix tool killed by SIGPIPE reports. Nothing is printed.
EXIT_CLOSED_PIPE = 141

#: Width of terminal output when it goes to a pipe or a file: wide enough that no line, ID or
#: URL is wrapped (a terminal's own width is used when there is one).
PIPE_WIDTH = 4096


def _closed_pipe(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno == errno.EPIPE


def _quiet_exit_on_closed_pipe() -> int:
    """Point stdout at /dev/null so that the interpreter's last flush does not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (e.g. under a test runner)
        pass
    return EXIT_CLOSED_PIPE


def _hide_flag_types(command: Any) -> None:
    """Flags take no value: show no ``<bool>`` type beside them in ``--help``."""
    # ``--help`` itself is made on first use from the context's option names (default).
    help_option = command.get_help_option(SimpleNamespace(help_option_names=["--help"]))
    for param in [*command.params, *([help_option] if help_option is not None else [])]:
        if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""
    for sub in getattr(command, "commands", {}).values():
        _hide_flag_types(sub)


class DlcostGroup(TyperGroup):
    """Maps dlcost's errors (and anything unexpected) to one ``Error: …`` line and exit 1.

    Usage errors (a missing argument, an unknown option, a bad value) get the same one line,
    with a hint naming the command's ``--help``, instead of a boxed usage text; a closed pipe
    ends quietly (:data:`EXIT_CLOSED_PIPE`).
    """

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             windows_expand_args: bool = True, **extra: Any) -> Any:
        _hide_flag_types(self)
        try:
            rv = super().main(args=args, prog_name=prog_name, complete_var=complete_var,
                              standalone_mode=False, windows_expand_args=windows_expand_args,
                              **extra)
            code = rv if isinstance(rv, int) and not isinstance(rv, bool) else 0
        except UsageError as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # a bare group: its help, as asked
                help_ctx = getattr(exc, "ctx", None)
                typer.echo(help_ctx.get_help() if help_ctx is not None else "")
                code = 0
            else:
                code = _usage_error(exc)
        except ClickException as exc:
            code = _print_error(exc.format_message())  # type: ignore[attr-defined]
        except typer.Abort:
            code = _print_error("aborted")
        except OSError as exc:
            if not _closed_pipe(exc):
                raise
            code = _quiet_exit_on_closed_pipe()
        if standalone_mode:
            sys.exit(code)
        return code

    def invoke(self, ctx: Any) -> Any:
        try:
            with warnings.catch_warnings():
                warnings.showwarning = _show_warning
                return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException, ClickException):
            raise
        except DlcostError as exc:
            _fail(str(exc))
        except OSError as exc:
            if _closed_pipe(exc) or os.environ.get("DLCOST_DEBUG"):
                raise
            what = f"{exc.filename}: " if exc.filename else ""
            _fail(f"{what}{exc.strerror or exc}")
        except Exception as exc:
            if os.environ.get("DLCOST_DEBUG"):
                raise
            _fail(
                f"unexpected {type(exc).__name__}: {exc} "
                "(set DLCOST_DEBUG=1 to see the traceback, and please report it)"
            )


def _usage_error(exc: Exception) -> int:
    """One line for a usage error, with the command whose help to read."""
    where = getattr(exc, "ctx", None)
    hint = f" (see '{where.command_path} --help')" if where is not None else ""
    message = exc.format_message().replace(": Value error, ", ": ")  # type: ignore[attr-defined]
    return _print_error(message + hint)


def _print_error(message: str) -> int:
    with contextlib.suppress(OSError):  # stderr closed too: nothing more to say
        typer.echo(f"Error: {_one_line(message)}", err=True)
    return 1
def _show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                  file: Any = None, line: str | None = None) -> None:
    """A warning as one ``Warning: …`` line on stderr (it ran, but be careful)."""
    typer.echo(f"Warning: {_one_line(str(message))}", err=True)


def _fail(message: str) -> None:
    """Print one ``Error: …`` line on stderr and exit with status 1."""
    raise typer.Exit(code=_print_error(message))


def new_console(*, stderr: bool = False) -> Console:
    """A rich console for command output: a terminal's width, or no wrapping in a pipe."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return Console(stderr=stderr, width=None if tty else PIPE_WIDTH)


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


#: Significant digits of floats in ``--json`` output: beyond the precision of any input, and
#: short enough to drop binary noise (0.1 + 0.2 prints 0.3, not 0.30000000000000004).
JSON_DIGITS = 12


def _round_floats(obj: Any) -> Any:
    if isinstance(obj, float):
        return float(f"{obj:.{JSON_DIGITS}g}") if math.isfinite(obj) else obj
    if isinstance(obj, dict):
        return {k: _round_floats(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_round_floats(v) for v in obj]
    return obj


def emit_json(obj: Any) -> None:
    """Print one JSON document on stdout (:func:`dlcost.serialize.dumps`, floats rounded to
    :data:`JSON_DIGITS` significant digits; NaN and infinity are ``null``)."""
    from dlcost.serialize import dumps, jsonable

    sys.stdout.write(dumps(_round_floats(jsonable(obj))) + "\n")


def _finite(value: float | None, what: str) -> float | None:
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a number; give a finite {what}")
    return value


def positive(value: float | None) -> float | None:
    """Option callback: a finite number above 0 (nan, inf and negatives are refused)."""
    if _finite(value, "positive number") is not None and not value > 0:  # type: ignore[operator]
        raise typer.BadParameter(f"must be above 0; got {value:g}")
    return value


def fraction(value: float | None) -> float | None:
    """Option callback: a share in (0, 1], such as a utilization."""
    if _finite(value, "fraction") is not None and not 0 < value <= 1:  # type: ignore[operator]
        raise typer.BadParameter(f"must lie in (0, 1] (40% is 0.4); got {value:g}")
    return value


def confidence_level(value: float | None) -> float | None:
    """Option callback: a confidence level strictly between 0 and 1."""
    if _finite(value, "level") is not None and not 0 < value < 1:  # type: ignore[operator]
        raise typer.BadParameter(f"must lie strictly between 0 and 1 (95% is 0.95); got {value:g}")
    return value


def finite(value: float | None) -> float | None:
    """Option callback: any finite number (a year, a bound)."""
    return _finite(value, "number")


def wait_message(message: str) -> None:
    """Tell the user on stderr that a command waits for the store (another process holds it)."""
    typer.echo(f"Note: {message}…", err=True)


def db_path(ctx: typer.Context) -> Path | None:
    """The ``--db`` given to the root command, if any (else the store's default applies)."""
    root = ctx.find_root()
    obj = root.obj or {}
    value = obj.get("db")
    return Path(value) if value else None
