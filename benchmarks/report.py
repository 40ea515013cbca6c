"""Time ``dlcost report`` on the embedded data, cold and warm, per section, against the 10 s aim.

Each run starts a new interpreter. A **cold** run has an empty results store and empty caches
(simulation, figures, combined view) in a temporary folder, so it pays for everything a fresh
install pays for: imports, loading the shipped data into DuckDB, every fit and bootstrap, the
simulation, the PNG/SVG/CSV files and the page. A **warm** run reuses that store and those
caches (what a user's second report costs: the simulation and unchanged figures come from the
caches).

The parallel build (the default: ``python -m dlcost report``) runs a worker process beside the
main one; it takes the reduced simulation, the figures and the frontier-era section, and the
main process draws the figures the worker has not started whenever it would otherwise wait.
With ``--serial`` the benchmark also times the same build in one process
(``ReportSettings(parallel=False)``), side by side, as the baseline.

For every run it prints the wall time, the CPU time of all processes, of the main process and
of its workers (figure/section worker and, for ``--full``, the simulation's own processes),
then per section the wall and CPU seconds of building it, where it was built and the seconds
of writing its files; the figures drawn in each process; and at the end min / median over the
runs, the ratio to the serial build, the load average at the start and the end, and whether
the best cold wall time meets the aim. On a shared machine wall times swing with load; CPU
times much less, so both are printed. With two cores the cold wall time is at best about
max(main-process CPU, worker CPU).

Run: ``PYTHONPATH=src python benchmarks/report.py [--runs 3] [--aim 10] [--serial] [--full]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: Runs ``dlcost report`` (parallel: the command line itself; serial: the same build through
#: the API with ``parallel=False``) and prints its own and its children's CPU at exit.
CHILD = r"""
import atexit, json, resource, sys

def _usage():
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    sys.stderr.write("\nRUSAGE " + json.dumps({
        "self": me.ru_utime + me.ru_stime, "children": kids.ru_utime + kids.ru_stime}) + "\n")

atexit.register(_usage)
mode, out, seed, full = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
if mode == "parallel":
    sys.argv = ["dlcost", "report", "--out", out, "--seed", str(seed), "--json",
                *(["--full"] if full else [])]
    from dlcost.cli.main import main
    main()
else:
    from pathlib import Path
    from dlcost.report import ReportSettings, build_report
    result = build_report(ReportSettings(out_dir=Path(out), seed=seed, full=full,
                                         parallel=False))
    print(json.dumps(result.to_dict(), default=str))
"""


def run_once(folder: Path, mode: str, full: bool, seed: int) -> dict[str, Any]:
    """One build with the store and caches in ``folder``: wall, CPU and the JSON summary."""
    env = dict(os.environ)
    env["DLCOST_DB"] = str(folder / "store.duckdb")
    env["DLCOST_CACHE_DIR"] = str(folder / "cache")
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    env["MPLBACKEND"] = "Agg"
    command = [sys.executable, "-c", CHILD, mode, str(folder / f"out-{mode}"), str(seed),
               "1" if full else "0"]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"dlcost report ({mode}) failed ({done.returncode}):\n{done.stderr}")
    usage = json.loads(done.stderr.rsplit("RUSAGE ", 1)[1])
    return {"wall": wall, "cpu": usage["self"] + usage["children"], "main_cpu": usage["self"],
            "worker_cpu": usage["children"], "summary": json.loads(done.stdout)}


def show(kind: str, run: dict[str, Any], aim: float) -> None:
    t = run["summary"]["timings"]
    print(f"\n{kind}: {run['wall']:.1f} s wall ({'within' if run['wall'] <= aim else 'over'} "
          f"the {aim:g} s aim), {run['cpu']:.1f} s CPU in all processes: main process "
          f"{run['main_cpu']:.1f} s (of it {t.get('main_cpu_s', float('nan')):.1f} s in the "
          f"build, the rest start-up and imports), workers {run['worker_cpu']:.1f} s")
    print(f"  {'section':<46} {'build s':>8} {'cpu s':>6} {'where':>7} {'files s':>8}")
    open_line = "open store, load data, start worker + simulation"
    print(f"  {open_line:<46} {t['open_s']:8.2f}")
    for section in run["summary"]["sections"]:
        s = section["seconds"]
        print(f"  {section['title'][:46]:<46} {s['build_s']:8.2f} "
              f"{s.get('build_cpu_s', float('nan')):6.2f} {s.get('built_in', 'main'):>7} "
              f"{s['files_s']:8.2f}")
    if "worker_open_cpu_s" in t:
        print(f"  the worker's own snapshot of the store: {t['worker_open_cpu_s']:.2f} s CPU")
    where = "a worker beside the sections" if t.get("figures_in_worker") else "this process"
    print(f"  figures drawn in {where}: {t.get('figures_drawn_in_worker', 0)} by the worker, "
          f"{t.get('figures_drawn_here', 0)} by the main process, "
          f"{t.get('figures_render_s', float('nan')):.2f} s of drawing in all; "
          f"{t.get('figures_wait_s', float('nan')):.2f} s waited for at the end "
          "(cached figures are copied, not drawn)")
    print(f"  {'render the page':<46} {t['render_s']:8.2f}")


def summarize(label: str, runs: list[dict[str, Any]]) -> dict[str, float]:
    out: dict[str, float] = {}
    parts = []
    for key in ("wall", "cpu", "main_cpu", "worker_cpu"):
        values = [r[key] for r in runs]
        out[key] = statistics.median(values)
        out[key + "_min"] = min(values)
        parts.append(f"{key.replace('_', ' ')} min {min(values):.1f} / median "
                     f"{statistics.median(values):.1f} s")
    print(f"{label}: " + "; ".join(parts))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="cold (and as many warm) runs")
    parser.add_argument("--aim", type=float, default=10.0, help="seconds aimed at, cold")
    parser.add_argument("--serial", action="store_true",
                        help="also time the one-process build, side by side (the baseline)")
    parser.add_argument("--full", action="store_true", help="paper-scale simulation")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    modes = ["parallel", "serial"] if args.serial else ["parallel"]
    load_start = os.getloadavg()
    print(f"dlcost report on the embedded data; {os.cpu_count()} CPUs; load average "
          f"{load_start[0]:.1f} / {load_start[1]:.1f} / {load_start[2]:.1f} at the start")
    results: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for index in range(args.runs):
        for mode in modes if index % 2 == 0 else modes[::-1]:  # alternate who goes first
            with tempfile.TemporaryDirectory(prefix="dlcost-report-bench-") as tmp:
                for kind in ("cold", "warm"):
                    run = run_once(Path(tmp), mode, args.full, args.seed)
                    results.setdefault((mode, kind), []).append(run)
                    show(f"{kind}, {mode} (run {index + 1})", run, args.aim)
    load_end = os.getloadavg()
    print(f"\nload average {load_end[0]:.1f} / {load_end[1]:.1f} / {load_end[2]:.1f} at the "
          f"end ({os.cpu_count()} CPUs: above that the times are inflated by other work)")
    medians = {key: summarize(f"{key[1]}, {key[0]}", runs) for key, runs in results.items()}
    if args.serial:
        for kind in ("cold", "warm"):
            p, s = medians[("parallel", kind)], medians[("serial", kind)]
            print(f"{kind}: parallel / serial median wall {p['wall'] / s['wall']:.2f}×, "
                  f"CPU {p['cpu'] / s['cpu']:.2f}× (the worker's own imports and snapshot "
                  "cost CPU; the second core pays for them)")
    for kind in ("cold", "warm"):
        runs = results[("parallel", kind)]
        balance = statistics.median(max(r["main_cpu"], r["worker_cpu"]) for r in runs)
        print(f"{kind}: median max(main CPU, worker CPU) {balance:.1f} s — the wall time two "
              "idle cores could reach")
    best = min(r["wall"] for r in results[("parallel", "cold")])
    print(f"cold, best wall {best:.1f} s: {'within' if best <= args.aim else 'OVER'} the "
          f"{args.aim:g} s aim (the aim is for an idle 2-core machine)")


if __name__ == "__main__":
    main()
