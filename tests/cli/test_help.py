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


def test_the_command_map_names_each_command_s_module() -> None:
    from dlcost.cli import main

    every = list(typer.main.get_command(app).commands)
    assert sorted(every) == sorted(main.COMMANDS)
    for module in main.MODULES:
        alone = typer.main.get_command(main.build([module])).commands
        assert sorted(alone) == sorted(n for n, m in main.COMMANDS.items() if m == module)
        for name in alone:  # the same command, with the same options, as in the full app
            full = typer.main.get_command(app).commands[name]
            assert [p.name for p in alone[name].params] == [p.name for p in full.params]


def test_command_name_skips_the_root_options() -> None:
    from dlcost.cli.main import command_name

    assert command_name(["fit", "imagenet"]) == "fit"
    assert command_name(["--db", "x.duckdb", "data", "list"]) == "data"
    assert command_name(["--db=x.duckdb", "fit"]) == "fit"
    assert command_name(["--help"]) is None
    assert command_name(["--version"]) is None
    assert command_name([]) is None


def test_a_command_imports_only_its_own_module() -> None:
    code = (
        "import sys, runpy\n"
        "sys.argv = ['dlcost', 'hardware', 'list', '--json']\n"
        "try:\n    runpy.run_module('dlcost', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('dlcost.cli.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().splitlines()[-1] == str(
        ["dlcost.cli._common", "dlcost.cli.hardware", "dlcost.cli.main"])
