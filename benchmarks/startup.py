"""How long the CLI takes to answer: ``dlcost --help`` (aim < 0.3 s) and ``dlcost fit imagenet
--json`` (aim < 1 s), each as min / median / max of several runs in new interpreters.

Run: ``PYTHONPATH=src python benchmarks/startup.py [--runs 7]``.

The commands run against a temporary store and cache. One untimed ``dlcost fit`` first does
what a user's first command does: it creates the store, writes the shipped data into it and
fills the cache of the combined view. The script then checks that the store is current (no
shipped dataset pending), so every timed run sees what a user's second command sees. Python's
byte-code is cached in the temporary folder too (``PYTHONPYCACHEPREFIX``, whatever
``PYTHONDONTWRITEBYTECODE`` says), as an installed package has it.

Beside the two aims it times, interleaved so that load drifts hit every row alike:

- ``python -c pass`` and the bare ``import numpy, pandas, duckdb`` the fit needs: the floor
  no lazy import can go under;
- ``dlcost data list`` and ``dlcost project imagenet`` (no aim; other common commands);
- the fit against a store that another process holds open for reading, so that the command
  cannot write the shipped data into it and seeds its in-memory snapshot instead: what every
  reading command did on every run before the shipped data was written to the file once.

Each row gives wall seconds (min / median / max) and the median CPU seconds of the child
process (user + system), which a loaded machine inflates less.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HOLD = ("import sys, duckdb; con = duckdb.connect(sys.argv[1], read_only=True); "
        "print('holding', flush=True); sys.stdin.read()")
CHECK = ("import sys; from dlcost.store import ResultsDB, seeding; "
         "db = ResultsDB(sys.argv[1], read_only=True); print(','.join(seeding.pending(db)))")


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--src", type=Path, default=ROOT / "src",
                        help="the dlcost source to time (e.g. another checkout's src, for a "
                             "before/after comparison); default: this checkout's")
    args = parser.parse_args()
    py = sys.executable
    fit = [py, "-m", "dlcost", "fit", "imagenet", "--json"]
    with tempfile.TemporaryDirectory(prefix="dlcost-startup-") as tmp:
        env = dict(os.environ)
        env["DLCOST_DB"] = str(Path(tmp) / "store.duckdb")
        env["DLCOST_CACHE_DIR"] = str(Path(tmp) / "cache")
        env["PYTHONPATH"] = os.pathsep.join(
            [str(args.src.resolve()), *filter(None, [env.get("PYTHONPATH")])])
        # Byte-code cached as an installed package has it (pip compiles on install), in the
        # temporary folder: with PYTHONDONTWRITEBYTECODE set, as on the project's machine,
        # every run would compile dlcost's ~50 modules from source again (~0.1 s).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        held_env = dict(env, DLCOST_DB=str(Path(tmp) / "held.duckdb"))
        # (command, environment, aim in seconds)
        commands: dict[str, tuple[list[str], dict[str, str], float | None]] = {
            "python -c pass": ([py, "-c", "pass"], env, None),
            "import numpy, pandas, duckdb": ([py, "-c", "import numpy, pandas, duckdb"], env,
                                             None),
            "dlcost --help": ([py, "-m", "dlcost", "--help"], env, 0.3),
            "dlcost fit imagenet --json": (fit, env, 1.0),
            "dlcost data list --json": ([py, "-m", "dlcost", "data", "list", "--json"], env,
                                        None),
            "dlcost project imagenet --json": (
                [py, "-m", "dlcost", "project", "imagenet", "--json"], env, None),
            "fit, store held (seeds in memory)": (fit, held_env, None),
        }
        first = timed(fit, env)  # the user's first command: writes the shipped data once
        for command in ([py, "-m", "dlcost", "--help"],  # every module's byte-code
                        [py, "-m", "dlcost", "project", "imagenet", "--json"]):
            subprocess.run(command, check=True, capture_output=True, env=env)
        pending = subprocess.run([py, "-c", CHECK, env["DLCOST_DB"]], check=True,
                                 capture_output=True, text=True, env=env).stdout.strip()
        state = (f"it left shipped data unwritten ({pending}): every run seeds in memory"
                 if pending else "the store was then current")
        # A store with its schema but no shipped data, held open by a reader throughout.
        subprocess.run([py, "-c", "import sys; from dlcost.store import ResultsDB; "
                        "ResultsDB(sys.argv[1]).close()", held_env["DLCOST_DB"]],
                       check=True, env=env)
        # (its combined view is the main store's: same imports, so the same cache entry)
        holder = subprocess.Popen([py, "-c", HOLD, held_env["DLCOST_DB"]], env=env,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout is not None
            assert holder.stdout.readline().strip() == "holding"
            subprocess.run(fit, check=True, capture_output=True, env=held_env)
            if subprocess.run([py, "-c", CHECK, held_env["DLCOST_DB"]], check=True,
                              capture_output=True, text=True, env=env).stdout.strip() == "":
                raise SystemExit("the held store was written to; the memory-seeding row "
                                 "would time something else")
            runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
            for _ in range(args.runs):  # interleaved, so load drifts hit every command alike
                for name, (command, run_env, _aim) in commands.items():
                    runs[name].append(timed(command, run_env))
        finally:
            assert holder.stdin is not None
            holder.stdin.close()
            holder.wait()
    print(f"{args.runs} runs each, interleaved; {os.cpu_count()} CPUs; load average "
          f"{os.getloadavg()[0]:.1f} (a loaded machine inflates every row alike: compare "
          "rows, not absolute times)")
    print(f"first fit on a fresh store (writes the shipped data; no byte-code cached yet): "
          f"{first[0]:.3f} s wall, "
          f"{first[1]:.3f} s CPU; {state}")
    print(f"dlcost from {args.src.resolve()}")
    print(f"{'command':<36} {'min s':>7} {'median s':>9} {'max s':>7} {'CPU med s':>10}  aim")
    medians: dict[str, float] = {}
    for name, (_command, _env, aim) in commands.items():
        wall = [w for w, _ in runs[name]]
        cpu = statistics.median(c for _, c in runs[name])
        median = medians[name] = statistics.median(wall)
        verdict = "" if aim is None else (
            f"< {aim:g} s: {'met' if median < aim else 'NOT met'} (median)")
        print(f"{name:<36} {min(wall):7.3f} {median:9.3f} {max(wall):7.3f} {cpu:10.3f}  "
              f"{verdict}")
    floor = medians["import numpy, pandas, duckdb"]
    fit_median = medians["dlcost fit imagenet --json"]
    print(f"fit --json is {fit_median / floor:.2f}× the bare import of numpy, pandas and "
          f"duckdb; seeding in memory on every run (the behaviour before) is "
          f"{medians['fit, store held (seeds in memory)'] / fit_median:.2f}× it")


if __name__ == "__main__":
    main()
