"""CLI conventions (issue 10, item 8): one-line errors, refused nonsense, stable JSON shapes
validated against the schemas in docs/schemas/, quiet pipes, help without ``<bool>``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from dlcost.cli.analysis import FORM_CHOICES, PRESET_CHOICES, VARIANT_CHOICES
from dlcost.cli.data import IMPORT_FORMATS_HELP
from dlcost.cli.main import app

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "schemas"
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def validate(name: str, text: str) -> object:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    doc = json.loads(text)
    errors = sorted(Draft202012Validator(schema).iter_errors(doc), key=str)
    assert not errors, f"{name}: {errors[0]}"
    return doc


@pytest.fixture(scope="module")
def db_file(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("conventions") / "store.duckdb")
    code, out, err = run("--db", path, "data", "import", "futuretech",
                         str(shared_data / "futuretech_2022"), "--json")
    assert code == 0, err
    validate("data-import", out)
    return path


@pytest.mark.parametrize(("args", "start"), [
    (["project"], "Error: Missing argument"),
    (["fit", "--bogus"], "Error: No such option: --bogus"),
    (["data", "export", "extra-argument"], "Error: Got unexpected extra argument"),
    (["fit", "--seed", "-1"], "Error: Invalid value for '--seed'"),
    (["decompose", "--trend", "--top-n", "-1"], "Error: Invalid value for '--top-n'"),
    (["estimate", "hardware", "--chip", "V100", "--count", "nan", "--days", "3"],
     "Error: Invalid value for '--count': nan is not a number"),
    (["estimate", "hardware", "--chip", "V100", "--count", "-4", "--days", "3"],
     "Error: Invalid value for '--count': must be above 0"),
    (["estimate", "operations", "--flops-per-pass", "inf", "--epochs", "1", "--examples", "1"],
     "Error: Invalid value for '--flops-per-pass': inf is not a number"),
    (["project", "imagenet", "--utilization", "1.5"], "Error: Invalid value for '--utilization'"),
    (["fit", "--confidence", "95"], "Error: Invalid value for '--confidence'"),
    (["estimate", "hardware", "--chip", "V100", "--count", "4", "--time", "3 weeks on 8 GPUs"],
     "Error: the chip count is given twice and disagrees: 4 chips"),
])
def test_usage_and_value_errors_are_one_line(args: list[str], start: str) -> None:
    code, out, err = run(*args)
    assert code == 1
    assert out == ""
    assert err.startswith(start), err
    assert err.count("\n") == 1 and "╭" not in err


def test_unknown_metric_is_refused(db_file: str) -> None:
    code, _, err = run("--db", db_file, "fit", "--metric", "nonsense")
    assert code == 1
    assert err.startswith("Error: unknown metric 'nonsense'") and "f1" in err


def test_help_shows_choices_and_no_bool() -> None:
    for args in (["--help"], ["fit", "--help"], ["project", "--help"], ["data", "list", "--help"],
                 ["report", "--help"], ["data", "import", "--help"]):
        code, out, _ = run(*args)
        assert code == 0
        assert "<bool>" not in out, args
    out = runner.invoke(app, ["project", "--help"], env={"COLUMNS": "200"}).stdout
    for choices in (FORM_CHOICES, VARIANT_CHOICES, PRESET_CHOICES):
        assert choices in out


def test_help_choices_match_the_library() -> None:
    from dlcost.fitting import FORMS, VARIANTS
    from dlcost.projection import PRESETS
    from dlcost.store.importers import FORMATS

    # the paper's forms, both of them, and the language-model benchmarks' logistic and all
    assert set(FORM_CHOICES.strip("[]").split("|")) == {*FORMS, "both", "logistic", "all"}
    assert set(VARIANT_CHOICES.strip("[]").split("|")) == set(VARIANTS)
    assert set(PRESET_CHOICES.strip("[]").split("|")) == set(PRESETS)
    for fmt in FORMATS:
        assert fmt in IMPORT_FORMATS_HELP


@pytest.mark.shared_data
def test_json_documents_match_their_schemas(db_file: str) -> None:
    code, out, err = run("--db", db_file, "fit", "--form", "both", "--json")
    assert code == 0, err
    doc = validate("fit", out)
    assert isinstance(doc, dict) and len(doc["comparisons"]) == 6
    code, out, err = run("--db", db_file, "fit", "imagenet", "--json")
    assert code == 0, err
    validate("fit", out)  # one benchmark: the same shape
    code, out, err = run("--db", db_file, "project", "conll2003", "--form", "exp",
                         "--boot", "100", "--json")
    assert code == 0, err
    doc = validate("project", out)
    assert isinstance(doc, dict)
    far = [r for r in doc["projections"][0]["targets"] if r["warning"]]
    assert far and all(r["extrapolation_decades"] > 2 for r in far)
    assert "Warning: conll2003 (exp)" in err  # the extrapolation is said on stderr too
    for args, name in (
        (["estimate", "hardware", "--chip", "V100", "--count", "8", "--days", "3"], "estimate"),
        (["estimate", "operations", "--flops-per-pass", "1e9", "--epochs", "3",
          "--examples", "1e6"], "estimate"),
        (["data", "list", "--limit", "5"], "data-list"),
        (["hardware", "list"], "hardware-list"),
        (["decompose", "--paper"], "decompose-pair"),
    ):
        code, out, err = run("--db", db_file, *args, "--json")
        assert code == 0, f"{args}: {err}"
        validate(name, out)


def test_json_has_no_float_noise() -> None:
    code, out, _ = run("estimate", "operations", "--flops-per-pass", "0.1", "--epochs", "3",
                       "--examples", "1", "--json")
    assert code == 0
    assert "0.30000000000000004" not in out and json.loads(out)["flop"] == pytest.approx(0.9)


def _cli(*args: str, stdin_from: str | None = None) -> list[str]:
    return [sys.executable, "-c", "from dlcost.cli.main import main; main()", *args]


@pytest.mark.shared_data
def test_pipes_are_neither_wrapped_nor_noisy(db_file: str) -> None:
    env = {**os.environ, "COLUMNS": "80"}
    listing = subprocess.run(_cli("--db", db_file, "data", "list", "--limit", "20"),
                             capture_output=True, text=True, env=env, check=True)
    lines = listing.stdout.splitlines()
    assert max(len(line) for line in lines) > 80  # not wrapped at 80 columns
    ids = json.loads(subprocess.run(
        _cli("--db", db_file, "data", "list", "--limit", "20", "--json"),
        capture_output=True, text=True, env=env, check=True).stdout)
    for row in ids:
        assert row["id"] in listing.stdout  # never split across lines
    # A reader that stops after one line: the command ends without a traceback.
    proc = subprocess.Popen(_cli("--db", db_file, "data", "list"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None
    proc.stdout.readline()
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err and b"BrokenPipe" not in err and b"Error" not in err
    assert proc.returncode in (0, 141)
