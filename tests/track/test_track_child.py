"""``dlcost track``'s plumbing: which commands are wrapped, and how child counts are merged."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from dlcost.track.child import read_sidecar, wrap_command


def test_python_commands_are_wrapped() -> None:
    py = sys.executable
    assert wrap_command([py, "train.py", "--epochs", "3"]) == (
        [py, "-m", "dlcost.track.child", "train.py", "--epochs", "3"], None)
    assert wrap_command([py, "-u", "-W", "ignore", "-m", "pkg.train"]) == (
        [py, "-u", "-W", "ignore", "-m", "dlcost.track.child", "-m", "pkg.train"], None)
    same, why = wrap_command([py, "-c", "print(1)"])
    assert same == [py, "-c", "print(1)"] and "no script file" in (why or "")
    same, why = wrap_command(["torchrun", "--nproc-per-node", "2", "train.py"])
    assert same[0] == "torchrun" and "not a Python interpreter" in (why or "")


def _write(path: Path, *lines: dict) -> Path:  # type: ignore[type-arg]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def _count(steps: int, flop: float) -> dict:  # type: ignore[type-arg]
    return {"steps": steps, "step_source": "optimizer", "sampled_steps": [2, 3, 4],
            "sampled_flop": [flop] * 3, "per_step_median": flop, "per_step_min": flop,
            "per_step_max": flop, "total": steps * flop}


def test_child_counts_of_several_processes_add_up(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.jsonl", {"kind": "child", "pid": 1, "count": _count(10, 5.0)},
                  {"kind": "child", "pid": 2, "count": _count(10, 5.0)})
    flop, score, notes = read_sidecar(path)
    assert flop is not None and flop["total"] == pytest.approx(100.0)
    assert score is None and notes == ["FLOP summed over 2 training processes"]


def test_a_tracker_line_wins_over_the_wrapper(tmp_path: Path) -> None:
    tracker = {"total": 42.0, "method": "user_added", "steps": 3, "description": "added"}
    path = _write(tmp_path / "s.jsonl", {"kind": "child", "pid": 1, "count": _count(3, 5.0)},
                  {"kind": "tracker", "pid": 1, "flop": tracker, "score": 61.5},
                  {"kind": "junk"})
    (tmp_path / "s.jsonl").write_text((tmp_path / "s.jsonl").read_text() + "not json\n")
    flop, score, _ = read_sidecar(path)
    assert flop == tracker and score == 61.5
    assert read_sidecar(tmp_path / "missing.jsonl") == (None, None, [])
