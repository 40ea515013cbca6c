"""How long ``dlcost --help`` takes (target: under 0.5 s), median of several runs.

Run: ``python benchmarks/startup.py``. The CLI imports the library lazily inside commands, so
the help path loads only typer and dlcost's small CLI modules.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 7


def main() -> None:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "dlcost", "--help"], check=True,
                       capture_output=True)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"dlcost --help: median {median:.3f} s over {RUNS} runs "
          f"(min {min(times):.3f} s, max {max(times):.3f} s); target < 0.5 s: "
          f"{'met' if median < 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
