"""Every command documents itself, and the help path stays light."""

from __future__ import annotations

import subprocess
import sys

import typer
from typer.testing import CliRunner

from dlcost.cli.main import app


def _commands(group, prefix=()):  # type: ignore[no-untyped-def]
    for name, cmd in getattr(group, "commands", {}).items():
        yield (*prefix, name), cmd
        yield from _commands(cmd, (*prefix, name))


def test_every_command_has_help_text() -> None:
    root = typer.main.get_command(app)
    names = []
    for path, cmd in _commands(root):
        assert (cmd.help or "").strip(), f"dlcost {' '.join(path)} has no help text"
        names.append(" ".join(path))
        for param in cmd.params:
            if param.param_type_name == "option" and param.name != "help":
                assert getattr(param, "help", None), f"{' '.join(path)} {param.name} lacks help"
    expected = {"data import", "data fetch", "data list", "data show", "data check",
                "data export", "hardware list", "hardware show", "estimate hardware",
                "estimate operations", "fit", "project", "decompose", "simulate", "report"}
    assert expected <= set(names)


def test_version_is_eager() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("dlcost ")


def test_help_imports_no_heavy_library() -> None:
    code = (
        "import sys, runpy\n"
        "sys.argv = ['dlcost', '--help']\n"
        "try:\n    runpy.run_module('dlcost', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = {'pandas', 'duckdb', 'matplotlib', 'plotly', 'statsmodels', 'scipy'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
