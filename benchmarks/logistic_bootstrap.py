"""Time the logistic fit's batched bootstrap against a per-resample scipy loop on the same draws.

For MMLU and GSM8K (Epoch's Benchmarking Hub joined to Epoch's models, default filters), draw
``--boot`` resamples of the models and refit all of them with dlcost's batched
Levenberg–Marquardt (:meth:`dlcost.fitting.LogisticFit.bootstrap`, all resamples in one set of
array operations). The reference refits the same draws one by one with
``scipy.optimize.curve_fit`` (trust-region least squares) started at the full-data estimate,
the strongest plain baseline. The slopes of the two are compared resample by resample.

Run: ``PYTHONPATH=src python benchmarks/logistic_bootstrap.py [--boot 1000] [--seed 0]``.
Needs ``$DLCOST_SHARED_DATA/epoch_benchmarks`` and ``epoch_ai_models``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dlcost.fitting import LogisticFit  # noqa: E402
from dlcost.frontier import lm_data  # noqa: E402
from dlcost.store import ResultsDB  # noqa: E402
from dlcost.store.importers import import_path  # noqa: E402


def shared_data() -> Path:
    value = os.environ.get("DLCOST_SHARED_DATA")
    path = Path(value) if value else ROOT.parent / "shared" / "data" / "raw"
    if not (path / "epoch_benchmarks").is_dir():
        sys.exit(f"Epoch benchmarking-hub data not found under {path}; set DLCOST_SHARED_DATA")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boot", type=int, default=1000, help="resamples per benchmark")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3,
                        help="timings of the batched bootstrap (min and median printed)")
    args = parser.parse_args()

    from scipy.optimize import curve_fit

    db = ResultsDB(":memory:")
    import_path(db, "epoch-benchmarks", shared_data() / "epoch_benchmarks")
    import_path(db, "epoch", shared_data() / "epoch_ai_models")
    print(f"{'benchmark':<10} {'n':>4} {'batched s':>10} {'scipy loop s':>13} {'ratio':>7} "
          f"{'max |Δ slope|':>14} {'resamples compared':>19}")
    for bench in ("mmlu", "gsm8k"):
        data = lm_data(db, bench)
        fit = LogisticFit(floor=data.floor, n_boot=0).fit(data.frame)
        x, y = fit.x_, fit.y_
        n = len(y)
        runs = []
        for _ in range(args.runs):  # a Generator, not an int seed: never the kept resamples
            start = time.perf_counter()
            fit.bootstrap(args.boot, random_state=np.random.default_rng(args.seed))
            runs.append(time.perf_counter() - start)
        batched, typical = min(runs), statistics.median(runs)
        assert fit.boot_params_ is not None
        # The same draws: the bootstrap takes n integers per resample from the same seed.
        idx = np.random.default_rng(args.seed).integers(0, n, size=(args.boot, n))
        floor = data.floor

        def model(xv: np.ndarray, a: float, c: float, _floor: float = floor) -> np.ndarray:
            return _floor + (1.0 - _floor) / (1.0 + np.exp(-a * (xv - c)))

        slopes = np.full(args.boot, np.nan)
        start = time.perf_counter()
        for b in range(args.boot):
            try:
                (a, _), _ = curve_fit(model, x[idx[b]], y[idx[b]],
                                      p0=(fit.slope_, fit.midpoint_), maxfev=2000)
                slopes[b] = a
            except RuntimeError:  # scipy gave up on this resample
                continue
        looped = time.perf_counter() - start
        both = np.isfinite(slopes) & np.isfinite(fit.boot_params_[:, 0])
        diff = float(np.max(np.abs(slopes[both] - fit.boot_params_[both, 0])))
        print(f"{bench:<10} {n:>4} {batched:>10.3f} {looped:>13.3f} {looped / batched:>6.1f}× "
              f"{diff:>14.2e} {int(both.sum()):>19}   (batched: min {batched:.3f} s, median "
              f"{typical:.3f} s of {args.runs}; ratio to the loop min {looped / typical:.1f}×"
              f"–{looped / batched:.1f}×)")


if __name__ == "__main__":
    main()
