"""How long the CLI takes to answer: ``dlcost --help`` (aim < 0.3 s) and ``dlcost fit imagenet
--json`` (aim < 1 s), each as min / median / max of several runs in new interpreters.

Run: ``PYTHONPATH=src python benchmarks/startup.py [--runs 7]``. The fit runs against a
temporary store that one untimed run fills with the builtin data first (what a user's second
command sees). For scale, the same number of runs of ``python -c pass`` and of the bare
imports the fit needs (numpy, pandas, duckdb) are timed side by side: they are the floor no
lazy import can go under. The CLI imports the library inside commands, so ``--help`` loads
only typer and dlcost's small CLI modules; the fit computes its t quantiles without
scipy.stats (``dlcost.fitting._tdist``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dlcost-startup-") as tmp:
        env = dict(os.environ)
        env["DLCOST_DB"] = str(Path(tmp) / "store.duckdb")
        env["PYTHONPATH"] = os.pathsep.join(
            [str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
        py = sys.executable
        commands = {
            "python -c pass": ([py, "-c", "pass"], None),
            "import numpy, pandas, duckdb": ([py, "-c", "import numpy, pandas, duckdb"], None),
            "dlcost --help": ([py, "-m", "dlcost", "--help"], 0.3),
            "dlcost fit imagenet --json": ([py, "-m", "dlcost", "fit", "imagenet", "--json"], 1.0),
        }
        subprocess.run(commands["dlcost fit imagenet --json"][0], check=True,
                       capture_output=True, env=env)  # loads builtin into the store
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):  # interleaved, so load drifts hit every command alike
            for name, (command, _aim) in commands.items():
                times[name].append(timed(command, env))
    print(f"{args.runs} runs each, interleaved; {os.cpu_count()} CPUs (a loaded machine "
          "inflates every row alike: compare rows, not absolute times)")
    print(f"{'command':<30} {'min s':>7} {'median s':>9} {'max s':>7}  aim")
    for name, (_command, aim) in commands.items():
        t = times[name]
        median = statistics.median(t)
        verdict = "" if aim is None else (
            f"< {aim:g} s: {'met' if median < aim else 'NOT met'} (median)")
        print(f"{name:<30} {min(t):7.3f} {median:9.3f} {max(t):7.3f}  {verdict}")
    floor = statistics.median(times["import numpy, pandas, duckdb"])
    fit = statistics.median(times["dlcost fit imagenet --json"])
    print(f"fit --json is {fit / floor:.2f}× the bare import of numpy, pandas and duckdb")


if __name__ == "__main__":
    main()
