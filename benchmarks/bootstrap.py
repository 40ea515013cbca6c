"""Time the vectorized bootstrap against a per-resample statsmodels loop on the same draws.

For each of the six FutureTech 2022 benchmarks and both forms (power law, exponential), draw
10,000 resamples of rows and refit all of them with dlcost's batched closed-form OLS
(:func:`dlcost.stats.weighted_ols_batch`). The reference refits the same draws one by
one with ``statsmodels.OLS(y[idx], X[idx]).fit()``; because that loop is slow it runs on the
first ``--loop`` resamples (default 500) and its time is extrapolated linearly to all of them
(each refit costs the same), which the output says. The coefficients of the looped resamples
are compared with the batched ones.

Run: ``PYTHONPATH=src python benchmarks/bootstrap.py [--boot 10000] [--loop 500] [--seed 0]``.
Needs the FutureTech CSVs: ``$DLCOST_SHARED_DATA/futuretech_2022`` (default
``../shared/data/raw`` beside the repository).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dlcost import stats  # noqa: E402
from dlcost.benchmarks import BENCHMARKS  # noqa: E402
from dlcost.fitting import PolynomialFit, make_fit, scaling_data  # noqa: E402
from dlcost.store import ResultsDB  # noqa: E402
from dlcost.store.importers import import_path  # noqa: E402


def shared_data() -> Path:
    value = os.environ.get("DLCOST_SHARED_DATA")
    path = Path(value) if value else ROOT.parent / "shared" / "data" / "raw"
    if not (path / "futuretech_2022").is_dir():
        sys.exit(f"FutureTech data not found under {path}; set DLCOST_SHARED_DATA")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boot", type=int, default=10_000, help="resamples per fit")
    parser.add_argument("--loop", type=int, default=500,
                        help="resamples refitted by the statsmodels loop (then extrapolated)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import statsmodels.api as sm

    db = ResultsDB(":memory:", builtin=False)
    import_path(db, "futuretech", shared_data() / "futuretech_2022")
    rng = np.random.default_rng(args.seed)
    loop = min(args.loop, args.boot)
    warm = np.column_stack([np.ones(3), [1.0, 2.0, 3.0]])  # first-call costs out of the timing
    stats.weighted_ols_batch(warm, np.ones(3), np.ones((2, 3)))
    sm.OLS(np.ones(3), warm).fit()

    print(f"{args.boot:,} resamples per fit; statsmodels loop timed on {loop:,} of them and "
          f"extrapolated ×{args.boot / loop:g}")
    print(f"{'benchmark':<12} {'form':<5} {'n':>4} {'batched s':>10} {'statsmodels s':>14} "
          f"{'ratio':>8} {'max |Δβ|':>9}")
    total_batched = total_loop = 0.0
    for bench in BENCHMARKS:
        data = scaling_data(db, bench, sources=["futuretech"])
        for form in ("poly", "exp"):
            fit = make_fit(form).fit(data.frame)
            X, y = fit._X, fit._y
            n = len(y)
            idx = rng.integers(0, n, size=(args.boot, n))
            t0 = time.perf_counter()
            counts = stats.counts_from_indices(idx, n).astype(float)
            batched = stats.weighted_ols_batch(X, y, counts)
            t_batched = time.perf_counter() - t0
            t0 = time.perf_counter()
            looped = np.array([sm.OLS(y[idx[i]], X[idx[i]]).fit().params for i in range(loop)])
            t_loop = (time.perf_counter() - t0) * args.boot / loop
            ok = ~np.isnan(batched[:loop]).any(axis=1)
            diff = float(np.max(np.abs(batched[:loop][ok] - looped[ok]))) if ok.any() else 0.0
            total_batched += t_batched
            total_loop += t_loop
            print(f"{bench:<12} {form:<5} {n:>4} {t_batched:>10.4f} {t_loop:>14.2f} "
                  f"{t_loop / t_batched:>7.0f}× {diff:>9.1e}")
    print(f"{'all 12 fits':<23} {total_batched:>10.3f} {total_loop:>14.1f} "
          f"{total_loop / total_batched:>7.0f}×")

    # End to end through the public API (draws + counts + refits), all twelve fits.
    t0 = time.perf_counter()
    for bench in BENCHMARKS:
        data = scaling_data(db, bench, sources=["futuretech"])
        for form in ("poly", "exp"):
            make_fit(form).fit(data.frame).bootstrap(args.boot, random_state=args.seed)
    t_api = time.perf_counter() - t0
    print(f"public API, fit + bootstrap({args.boot:,}) for all 12 fits (incl. data prep): "
          f"{t_api:.3f} s")
    assert isinstance(PolynomialFit(), PolynomialFit)  # the API the report uses


if __name__ == "__main__":
    main()
