"""Time ``dlcost report`` on the embedded data, cold and warm, per section, against the 10 s aim.

Each run starts a new interpreter (``python -m dlcost report --json``). A **cold** run has an
empty results store and an empty simulation cache in a temporary folder, so it pays for
everything a fresh install pays for: imports, loading the shipped data into DuckDB, every fit
and bootstrap, the simulation, the PNG/SVG/CSV files and the page. A **warm** run reuses that
store and cache (what a user's second report costs: the simulation comes from the cache).

For every run it prints the wall time and the CPU time of the whole command (its own and its
workers': the figure renderer and the simulation's processes), and from the command's JSON
summary, per section, the wall and CPU seconds of building it and of writing its files, the
figure worker's render time, and the total against the aim. On a shared machine wall times
swing with load; CPU times much less, so both are printed.

Run: ``PYTHONPATH=src python benchmarks/report.py [--runs 3] [--aim 10] [--full]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def run_once(folder: Path, full: bool, seed: int) -> tuple[float, float, dict[str, Any]]:
    """One run with the store and cache in ``folder``: (wall s, CPU s incl. workers, summary)."""
    env = dict(os.environ)
    env["DLCOST_DB"] = str(folder / "store.duckdb")
    env["DLCOST_CACHE_DIR"] = str(folder / "cache")
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    env["MPLBACKEND"] = "Agg"
    command = [sys.executable, "-m", "dlcost", "report", "--out", str(folder / "out"),
               "--seed", str(seed), "--json", *(["--full"] if full else [])]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"dlcost report failed ({done.returncode}):\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, json.loads(done.stdout)


def show(kind: str, wall: float, cpu: float, summary: dict[str, Any]) -> None:
    t = summary["timings"]
    print(f"\n{kind}: {wall:.1f} s wall, {cpu:.1f} s CPU (all processes); the command's own "
          f"total {t['total_s']:.1f} s, main process CPU {t.get('main_cpu_s', float('nan')):.1f} s")
    print(f"  {'section':<46} {'build s':>8} {'cpu s':>6} {'files s':>8} {'cpu s':>6}")
    print(f"  {'open store, load data, start simulation':<46} {t['open_s']:8.2f}")
    for section in summary["sections"]:
        s = section["seconds"]
        print(f"  {section['title'][:46]:<46} {s['build_s']:8.2f} "
              f"{s.get('build_cpu_s', float('nan')):6.2f} {s['files_s']:8.2f} "
              f"{s.get('files_cpu_s', float('nan')):6.2f}")
    where = "in a worker, beside the sections" if t.get("figures_in_worker") else "in-process"
    print(f"  figures rendered {where}: {t.get('figures_render_s', float('nan')):.2f} s of "
          f"rendering, {t.get('figures_wait_s', float('nan')):.2f} s waited for at the end")
    print(f"  {'render the page':<46} {t['render_s']:8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="cold (and as many warm) runs")
    parser.add_argument("--aim", type=float, default=10.0, help="seconds aimed at, cold")
    parser.add_argument("--full", action="store_true", help="paper-scale simulation")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    print(f"dlcost report on the embedded data; {os.cpu_count()} CPUs; load average "
          f"{os.getloadavg()[0]:.1f} at the start")
    cold: list[tuple[float, float]] = []
    warm: list[tuple[float, float]] = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="dlcost-report-bench-") as tmp:
            wall, cpu, summary = run_once(Path(tmp), args.full, args.seed)
            cold.append((wall, cpu))
            show("cold", wall, cpu, summary)
            wall, cpu, summary = run_once(Path(tmp), args.full, args.seed)
            warm.append((wall, cpu))
            show("warm", wall, cpu, summary)
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end (2 CPUs: above 2 the times are "
          "inflated by other work)")
    for kind, runs in (("cold", cold), ("warm", warm)):
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        print(f"{kind}: wall min {min(walls):.1f} / median {statistics.median(walls):.1f} s; "
              f"CPU min {min(cpus):.1f} / median {statistics.median(cpus):.1f} s")
    best = min(w for w, _ in cold)
    print(f"cold, best wall {best:.1f} s: {'within' if best <= args.aim else 'OVER'} the "
          f"{args.aim:g} s aim (the aim is for an idle 2-core machine)")


if __name__ == "__main__":
    main()
