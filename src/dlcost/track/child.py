"""The training process under ``dlcost track -- python train.py …``.

``dlcost track`` runs ``python -m dlcost.track.child train.py …`` (or ``-m module …``) instead
of ``python train.py …``: this module counts steps and FLOP in the training process with the
same sampler as :class:`~dlcost.track.RunTracker`, runs the script as ``__main__`` exactly as
Python would, and at exit appends its count to the file named by
:data:`~dlcost.track.tracker.SIDECAR_ENV`. Time, chips and energy are measured by the
``dlcost track`` process itself. :func:`wrap_command` decides whether a command can be wrapped.
"""

from __future__ import annotations

import json
import os
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from dlcost.track.config import TrackerConfig
from dlcost.track.flop import FlopCount, torch_available
from dlcost.track.tracker import SIDECAR_ENV, acquire_sampler, release_sampler

#: ``warmup,sample,every`` of the sampler, passed from ``dlcost track`` to the child.
SAMPLING_ENV = "DLCOST_TRACK_SAMPLING"

_PYTHON = re.compile(r"^python[0-9.]*(\.exe)?$")
#: Interpreter options that take no argument and may stand before the script.
_FLAGS = {"-u", "-O", "-OO", "-B", "-s", "-S", "-E", "-I", "-q", "-b", "-bb", "-P", "-d", "-v"}
#: Interpreter options that take one argument.
_WITH_ARG = {"-W", "-X"}


def wrap_command(command: list[str]) -> tuple[list[str], str | None]:
    """``python [opts] script.py args`` → ``python [opts] -m dlcost.track.child script.py args``.

    Returns the command to run and, when it cannot be wrapped, why (FLOP are then counted
    only by a tracker inside the training code).
    """
    if not command:
        return command, "no command"
    if not _PYTHON.match(Path(command[0]).name):
        return command, (f"{command[0]} is not a Python interpreter: FLOP are counted only if "
                         "the training code uses dlcost.track itself")
    i = 1
    while i < len(command) and command[i] in _FLAGS | _WITH_ARG:
        i += 2 if command[i] in _WITH_ARG else 1
    if i >= len(command) or command[i] in ("-c", "-") or (
        command[i].startswith("-") and command[i] != "-m"
    ):
        return command, "python runs no script file or module here: FLOP are not counted"
    if not _imports_dlcost(command[0]):
        return command, (f"{command[0]} cannot import dlcost: FLOP are not counted (install "
                         "dlcost in that environment)")
    return [*command[:i], "-m", "dlcost.track.child", *command[i:]], None


def _imports_dlcost(python: str) -> bool:
    """Whether ``python`` can import this dlcost (asked only of another interpreter)."""
    found = shutil.which(python)
    if found and Path(found).resolve() == Path(sys.executable).resolve():
        return True
    probe = subprocess.run([python, "-c", "import dlcost.track.child"], capture_output=True,
                           check=False)
    return probe.returncode == 0


def _config() -> TrackerConfig:
    raw = os.environ.get(SAMPLING_ENV, "")
    try:
        warmup, sample, every = (int(x) for x in raw.split(","))
        return TrackerConfig(warmup_steps=warmup, sample_steps=sample,
                             sample_every=every or None)
    except ValueError:
        return TrackerConfig()


def _report(count: FlopCount | None) -> None:
    path = os.environ.get(SIDECAR_ENV)
    if not path or count is None:
        return
    line = {"kind": "child", "pid": os.getpid(), "count": count.to_dict()}
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(line) + "\n")


def read_sidecar(path: str | Path) -> tuple[dict[str, Any] | None, float | None, list[str]]:
    """The FLOP part, the score and notes from the lines the training process(es) wrote.

    Lines from a tracker inside the training code (which knows ``add_flop`` and the user's
    per-step figure) win over the wrapper's own count; several processes (one per rank) add up.
    """
    from dlcost.track.record import flop_part

    lines = []
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        text = ""
    for raw in text.splitlines():
        try:
            lines.append(json.loads(raw))
        except ValueError:
            continue
    notes: list[str] = []
    score = None
    for line in lines:
        if line.get("kind") == "tracker" and line.get("score") is not None:
            score = float(line["score"])
    parts = [ln["flop"] for ln in lines
             if ln.get("kind") == "tracker" and (ln.get("flop") or {}).get("total") is not None]
    if not parts:
        counts = [ln["count"] for ln in lines if ln.get("kind") == "child"]
        parts = [flop_part(c, 0.0, None, "auto", []) for c in counts]
        parts = [p for p in parts if p.get("total") is not None] or parts[:1]
    if not parts:
        return None, score, notes
    if len(parts) == 1:
        return parts[0], score, notes
    counted = [p for p in parts if p.get("total") is not None]
    total = sum(p["total"] for p in counted)
    merged = dict(counted[0])
    merged.update(
        total=total, steps=max(p.get("steps") or 0 for p in counted),
        description=f"sum over {len(counted)} processes: "
                    + "; ".join(str(p.get("description")) for p in counted),
        inputs={"processes": [p.get("inputs") for p in counted]},
    )
    notes.append(f"FLOP summed over {len(counted)} training processes")
    return merged, score, notes


def main(argv: list[str]) -> Any:
    """Run ``argv`` (``script.py args`` or ``-m module args``) as ``__main__``, counting FLOP."""
    if not argv:
        sys.exit("usage: python -m dlcost.track.child SCRIPT [ARGS] | -m MODULE [ARGS]")
    lease = None
    try:
        lease = acquire_sampler(_config(), torch_available())
    except Exception as exc:  # counting must never stop the training
        print(f"dlcost: FLOP counting unavailable: {exc}", file=sys.stderr)
    try:
        if argv[0] == "-m":
            sys.argv = argv[1:]
            return runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
        sys.argv = argv
        sys.path[0] = str(Path(argv[0]).resolve().parent)  # as `python script.py` sets it
        return runpy.run_path(argv[0], run_name="__main__")
    finally:
        if lease is not None:
            try:
                _report(release_sampler(lease))
            except Exception as exc:
                print(f"dlcost: could not report the FLOP count: {exc}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
