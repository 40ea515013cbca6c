"""``dlcost track -- python tiny_train.py``, ``dlcost runs list|show``, ``fit --highlight``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dlcost.cli.main import app

TINY_TRAIN = '''
import sys
import torch

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(32, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x, y = torch.randn(16, 32), torch.randint(0, 10, (16,))
for _ in range(int(sys.argv[1])):
    opt.zero_grad()
    torch.nn.functional.cross_entropy(model(x), y).backward()
    opt.step()
sys.exit(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
'''

#: FLOP of one step of TINY_TRAIN by hand, as in tests/track/conftest.py: forward and weight
#: gradients 2·B·(32·64 + 64·10) each, plus the second layer's input gradient 2·B·64·10.
TINY_STEP_FLOP = 2 * 16 * (32 * 64 + 64 * 10) * 2 + 2 * 16 * 64 * 10


@pytest.fixture(autouse=True)
def _pending_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DLCOST_PENDING_RUNS", str(tmp_path / "pending-runs"))


@pytest.fixture
def tiny_train(tmp_path: Path) -> Path:
    path = tmp_path / "tiny_train.py"
    path.write_text(TINY_TRAIN)
    return path


def _track(tiny_train: Path, *args: str, steps: int = 7) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(app, [
        "track", "--benchmark", "imagenet", "--model", "tiny-cli", "--score", "12.5",
        "--chip", "Xeon Platinum 8168", "--energy", "tdp", "--json", *args,
        "--", sys.executable, str(tiny_train), str(steps)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_track_a_whole_process_and_show_it(tiny_train: Path) -> None:
    doc = _track(tiny_train)
    # FLOP counted inside the child process: 7 steps of the hand-counted MLP.
    assert doc["flop"]["total"] == pytest.approx(7 * TINY_STEP_FLOP, rel=1e-12)
    assert doc["flop"]["method"] == "flop_counter"
    assert doc["hardware_burden"]["flop"] > 0
    assert doc["energy"]["method"] == "tdp" and doc["energy"]["kwh"] > 0
    assert doc["cost"]["co2_kg"] > 0 and doc["cost"]["usd"] > 0
    assert doc["exit_code"] == 0 and doc["command"][-1] == "7"
    assert doc["placement"]["multiple"] > 0  # placed on the default ImageNet fit at once
    runner = CliRunner()
    shown = runner.invoke(app, ["runs", "show", doc["id"]])
    assert shown.exit_code == 0
    for needle in ("FLOP (counted)   1.3e6 FLOP", "hardware burden  ", "Xeon Platinum 8168",
                   "energy", "(method: tdp)", "kg CO₂e", "dollars          $"):
        assert needle in shown.stdout
    listed = json.loads(runner.invoke(app, ["runs", "list", "--json"]).stdout)
    assert [r["id"] for r in listed] == [doc["id"]]
    again = json.loads(runner.invoke(app, ["runs", "show", "latest", "--json"]).stdout)
    assert again["flop"]["total"] == doc["flop"]["total"]
    placed = json.loads(runner.invoke(app, ["fit", "imagenet", "--highlight", doc["id"],
                                            "--json"]).stdout)
    assert placed["runs"][0]["id"] == doc["id"]
    assert placed["runs"][0]["multiple"] > 0
    out = tiny_train.parent / "fit.png"
    drawn = runner.invoke(app, ["fit", "imagenet", "--highlight", "latest", "--plot", str(out)])
    assert drawn.exit_code == 0, drawn.output
    assert out.stat().st_size > 0
    assert doc["id"] in " ".join(drawn.stdout.split())


INNER_TRACKER = '''
import dlcost
import torch

model = torch.nn.Linear(8, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
with dlcost.track(model="inner", flop="manual") as run:
    for _ in range(3):
        opt.zero_grad()
        model(torch.randn(4, 8)).sum().backward()
        opt.step()
    run.add_flop(123456)
    run.log_score(42.0)
'''


def test_a_tracker_inside_the_command_reports_to_dlcost_track(tmp_path: Path) -> None:
    """add_flop and log_score inside the training process reach the one stored run."""
    script = tmp_path / "inner.py"
    script.write_text(INNER_TRACKER)
    result = CliRunner().invoke(app, ["track", "--benchmark", "imagenet", "--energy", "none",
                                      "--json", "--", sys.executable, str(script)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["flop"]["total"], doc["flop"]["method"], doc["score"]) == (
        123456.0, "user_added", 42.0)
    listed = json.loads(CliRunner().invoke(app, ["runs", "list", "--json"]).stdout)
    assert len(listed) == 1  # the inner tracker stored nothing of its own


def test_flop_per_step_counts_the_steps_of_the_process(tiny_train: Path) -> None:
    result = CliRunner().invoke(app, ["track", "--energy", "none", "--flop-per-step", "1e9",
                                      "--json", "--", sys.executable, str(tiny_train), "4"])
    assert result.exit_code == 0, result.output
    flop = json.loads(result.stdout)["flop"]
    assert (flop["total"], flop["steps"], flop["method"]) == (4e9, 4, "user_per_step")


def test_track_passes_the_exit_status_through() -> None:
    result = CliRunner().invoke(app, ["track", "--energy", "none", "--",
                                      sys.executable, "-c", "import sys; sys.exit(3)"])
    assert result.exit_code == 3
    listed = json.loads(CliRunner().invoke(app, ["runs", "list", "--json"]).stdout)
    assert len(listed) == 1 and listed[0]["flop"] is None
    shown = CliRunner().invoke(app, ["runs", "show", "latest"]).stdout
    assert "python runs no script file or module here: FLOP are not counted" in shown
    deleted = CliRunner().invoke(app, ["runs", "delete", listed[0]["id"], "--json"])
    assert json.loads(deleted.stdout)["deleted"] == listed[0]["id"]
    assert json.loads(CliRunner().invoke(app, ["runs", "list", "--json"]).stdout) == []


def test_runs_errors_are_one_line() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["runs", "show", "run-nope"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: no tracked run 'run-nope' in ")
    assert result.output.endswith("List them with `dlcost runs list`\n")
    result = runner.invoke(app, ["track", "--benchmark", "imagenett", "--", "true"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: unknown benchmark 'imagenett'")
    result = runner.invoke(app, ["track", "--energy", "none", "--", "no-such-command-xyz"])
    assert result.exit_code == 1
    assert result.output == ("Error: cannot run 'no-such-command-xyz': No such file or "
                             "directory. Check the command after --\n")
    empty = runner.invoke(app, ["runs", "list"])
    assert empty.stdout.startswith("No tracked runs yet")
