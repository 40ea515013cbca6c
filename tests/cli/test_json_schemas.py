"""Every ``--json`` document has one documented shape (issue 10, item 8).

Each command that takes ``--json`` has a JSON Schema in docs/schemas/; this module runs the
commands not covered by tests/cli/test_conventions.py once, with their smallest settings, on
one fresh store (the shipped snapshots), and validates what they print. A command added
without a schema fails :func:`test_every_json_command_has_a_schema`.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
import typer
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from dlcost.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "docs" / "schemas"
runner = CliRunner()

#: Commands whose ``--json`` document changes shape with a mode flag: one schema per mode.
MODES: dict[str, tuple[str, ...]] = {
    "decompose": ("decompose-pair", "decompose-trend"),
    "backtest": ("backtest", "backtest-paper"),
    "data export": ("data-export", "data-export-written"),
    "estimate hardware": ("estimate",),
    "estimate operations": ("estimate",),
}

#: Schemas validated in other test files (they build the same documents for other checks).
ELSEWHERE: dict[str, str] = {
    "fit": "tests/cli/test_conventions.py",
    "project": "tests/cli/test_conventions.py",
    "estimate": "tests/cli/test_conventions.py",
    "data-import": "tests/cli/test_conventions.py",
    "data-list": "tests/cli/test_conventions.py",
    "hardware-list": "tests/cli/test_conventions.py",
    "decompose-pair": "tests/cli/test_conventions.py",
    "plan": "tests/plan/test_plan_cli.py",
    "cost": "tests/plan/test_plan_cli.py",
    "report": "tests/cli/test_report_cli.py",
}

#: (schema, arguments): each command once, with the smallest settings it allows.
CASES: list[tuple[str, list[str]]] = [
    ("data-status", ["data", "status"]),
    ("data-fetch", ["data", "fetch", "squad"]),
    ("data-combined", ["data", "combined"]),
    ("data-join-report", ["data", "join-report", "--sample", "2"]),
    ("data-check", ["data", "check"]),
    ("data-export", ["data", "export", "--benchmark", "conll2003"]),
    ("data-export-written", ["data", "export", "--benchmark", "conll2003", "--format", "parquet",
                             "--out", "OUT/rows.parquet"]),
    ("decompose-trend", ["decompose", "--trend", "--boot", "20"]),
    ("simulate", ["simulate", "--features", "20", "--relevant", "3", "--reps", "5", "--n-min",
                  "20", "--n-max", "80", "--n-points", "3", "--workers", "1"]),
    ("trend", ["trend", "compute"]),
    ("trend", ["trend", "chip-flops", "--boot", "20", "--breakpoint"]),
    ("trend", ["trend", "flops-per-dollar", "--prices", "cloud"]),
    ("forecast", ["forecast", "imagenet", "--boot", "50", "--cutoff", "2020-06-30"]),
    ("backtest", ["backtest", "imagenet"]),
    ("backtest", ["backtest", "bbh"]),
    ("backtest-paper", ["backtest", "--paper"]),
    ("hardware-show", ["hardware", "show", "V100"]),
    ("frontier-summary", ["frontier", "summary", "mmlu", "--boot", "20"]),
    ("frontier-progress", ["frontier", "progress", "--boot", "20"]),
]


def validate(name: str, text: str) -> object:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    doc = json.loads(text)
    errors = sorted(Draft202012Validator(schema).iter_errors(doc), key=str)
    assert not errors, f"{name}: {errors[0]}"
    return doc


def run_json(db: str, args: list[str]) -> str:
    result = runner.invoke(app, ["--db", db, *args, "--json"])
    assert result.exit_code == 0, f"{args}: {result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One fresh store for the module: the shipped snapshots, seeded on first use."""
    return str(tmp_path_factory.mktemp("schemas") / "store.duckdb")


def json_commands() -> Iterator[tuple[str, click.Command]]:
    """(path, command) of every command that has a ``--json`` option."""
    def walk(cmd: click.Command, path: list[str]) -> Iterator[tuple[str, click.Command]]:
        subcommands = getattr(cmd, "commands", None)
        if subcommands is not None:
            for name, sub in subcommands.items():
                yield from walk(sub, [*path, name])
        elif any("--json" in getattr(p, "opts", ()) for p in cmd.params):
            yield " ".join(path), cmd

    yield from walk(typer.main.get_command(app), [])


def test_every_json_command_has_a_schema() -> None:
    commands = dict(json_commands())
    assert len(commands) > 25  # the walk reached the groups' commands
    wanted = {name for path in commands for name in MODES.get(path, (path.replace(" ", "-"),))}
    files = {p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.schema.json")}
    assert sorted(wanted - files) == [], "commands with --json but no schema in docs/schemas/"
    assert sorted(files - wanted) == [], "schemas of no command"
    # ... and each schema is checked against a real document somewhere.
    here = {name for name, _ in CASES} | {"track", "runs-list", "runs-show", "runs-delete",
                                          "data-show"}
    for name in sorted(files - here):
        text = (ROOT / ELSEWHERE[name]).read_text()
        named = (f'validate("{name}"', f'"{name}"),', f"{name}.schema.json")
        assert any(n in text for n in named), f"{name}: not validated in {ELSEWHERE[name]}"


@pytest.mark.parametrize(("name", "args"), [
    pytest.param(name, args, id=" ".join(args),
                 marks=[pytest.mark.shared_data] if args[:2] == ["data", "fetch"] else [])
    for name, args in CASES])
def test_json_document_matches_its_schema(
    name: str, args: list[str], store: str, tmp_path: Path, request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if args[:2] == ["data", "fetch"]:  # offline: the verified copy in the cache is reused
        shared_data: Path = request.getfixturevalue("shared_data")
        cache = tmp_path / "fetch-cache"
        (cache / "squad").mkdir(parents=True)
        shutil.copy(shared_data / "pwc_sota_extractor" / "squad_leaderboard_2021-05-20.json",
                    cache / "squad" / "squad.json")
        monkeypatch.setenv("DLCOST_CACHE_DIR", str(cache))
    if args[0] == "simulate":
        args = [*args, "--out", str(tmp_path / "simulation")]
    args = [a.replace("OUT/", f"{tmp_path}/") for a in args]
    validate(name, run_json(store, args))


def test_data_show_matches_its_schema(store: str) -> None:
    rows = json.loads(run_json(store, ["data", "list", "--limit", "40"]))
    ids = {row["id"][:3]: row["id"] for row in rows}  # one result of each source prefix
    assert ids
    for result_id in ids.values():
        validate("data-show", run_json(store, ["data", "show", result_id]))


def test_track_and_runs_match_their_schemas(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DLCOST_PENDING_RUNS", str(tmp_path / "pending-runs"))
    result = runner.invoke(app, [
        "--db", store, "track", "--benchmark", "imagenet", "--score", "50", "--energy", "none",
        "--flop-per-step", "1e9", "--json", "--", sys.executable, "-c", "pass"])
    assert result.exit_code == 0, result.output
    tracked = validate("track", result.stdout)
    assert isinstance(tracked, dict)
    listed = validate("runs-list", run_json(store, ["runs", "list"]))
    assert isinstance(listed, list) and len(listed) == 1
    validate("runs-show", run_json(store, ["runs", "show", "latest"]))
    deleted = validate("runs-delete", run_json(store, ["runs", "delete", tracked["id"]]))
    assert deleted == {"deleted": tracked["id"], "model": tracked["model"]}
