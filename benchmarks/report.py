"""Time ``dlcost report`` on the embedded data as a first-time user would run it.

Each run starts a new interpreter (``python -m dlcost report --json``) with an empty results
database and an empty simulation cache in a temporary folder, so it pays for everything a
fresh install pays for: imports, loading the shipped ``builtin`` dataset into DuckDB, every
fit and bootstrap, the simulation, the static PNG/SVG/CSV files and the page. It prints the
wall time of each run and, from the command's own JSON summary, the time of each section
(building it, and writing its files).

Run: ``PYTHONPATH=src python benchmarks/report.py [--runs 1] [--budget 30] [--full]``. Exits
with status 1 when a run takes longer than ``--budget`` seconds (the issue's limit: 30 s on a
2-core machine).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_once(full: bool, seed: int) -> tuple[float, dict]:
    """One cold run in a fresh temporary environment: (wall seconds, JSON summary)."""
    with tempfile.TemporaryDirectory(prefix="dlcost-report-bench-") as tmp:
        env = dict(os.environ)
        env["DLCOST_DB"] = str(Path(tmp) / "fresh.duckdb")
        env["DLCOST_CACHE_DIR"] = str(Path(tmp) / "cache")
        env["PYTHONPATH"] = os.pathsep.join(
            [str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
        env["MPLBACKEND"] = "Agg"
        command = [sys.executable, "-m", "dlcost", "report", "--out", str(Path(tmp) / "out"),
                   "--seed", str(seed), "--json", *(["--full"] if full else [])]
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - started
        if done.returncode != 0:
            sys.exit(f"dlcost report failed ({done.returncode}):\n{done.stderr}")
        return wall, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="cold runs to time")
    parser.add_argument("--budget", type=float, default=30.0, help="seconds allowed per run")
    parser.add_argument("--full", action="store_true", help="paper-scale simulation")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    print(f"dlcost report on the embedded data, cold (fresh database and cache), "
          f"{os.cpu_count()} CPUs")
    walls = []
    for i in range(args.runs):
        wall, summary = run_once(args.full, args.seed)
        walls.append(wall)
        timings = summary["timings"]
        print(f"\nrun {i + 1}: {wall:.1f} s wall (the command's own total: "
              f"{timings['total_s']:.1f} s; the rest is interpreter start and imports)")
        print(f"  {'open store, load builtin':<48} {timings['open_s']:6.2f} s")
        for section in summary["sections"]:
            s = section["seconds"]
            print(f"  {section['title']:<48} {s['build_s']:6.2f} s build "
                  f"+ {s['files_s']:5.2f} s files")
        print(f"  {'render the page':<48} {timings['render_s']:6.2f} s")
        print(f"  {len(summary['files'])} files; simulation: "
              f"{'paper scale' if args.full else 'reduced'}")
    worst = max(walls)
    verdict = "within" if worst <= args.budget else "OVER"
    print(f"\nslowest run {worst:.1f} s: {verdict} the {args.budget:g} s budget")
    if worst > args.budget:
        sys.exit(1)


if __name__ == "__main__":
    main()
