"""Time the bootstrap against fair baselines on the same draws, side by side, with agreement.

For each of the six FutureTech 2022 benchmarks and both forms (power law, exponential), draw
10,000 resamples of rows and refit all of them four ways on the very same draws:

- **dlcost**: counts per row and closed-form weighted least squares for all resamples
  (:func:`dlcost.stats.weighted_ols_batch`), exactly as ``fit.bootstrap`` runs one chunk
  (``refit_bootstrap_chunk``, on one BLAS thread);
- **numpy, vectorized** (the strongest plain baseline): gather the resampled rows into a
  ``(B, n, p)`` array and solve every resample's normal equations with one batched
  ``np.linalg.solve``;
- **numpy lstsq loop**: ``np.linalg.lstsq`` per resample;
- **statsmodels loop**: ``statsmodels.OLS(...).fit()`` per resample.

The two loops run on the first ``--loop`` resamples and are extrapolated linearly (each refit
costs the same), as the output says. Every time is the best of ``--repeat`` runs. The headline
ratio is against the strongest baseline (vectorized numpy); the coefficients of every
baseline are compared with dlcost's (max |Δβ|). A last section shows that the quantile
bootstrap's time is linear in rows × resamples (time per resample-row about constant over
rows ×1, ×2, ×4 and 250–1,000 resamples), and the chunking's peak memory (tracemalloc) at
growing resample counts.

The whole race runs ``--runs`` times on new draws; the ratios are printed per run and as min /
median over the runs, against (a) the statsmodels loop and (b) vectorized numpy (the headline).

Run: ``PYTHONPATH=src python benchmarks/bootstrap.py [--boot 10000] [--loop 500] [--runs 3]
[--seed 0]``.
Needs the FutureTech CSVs: ``$DLCOST_SHARED_DATA/futuretech_2022`` (default
``../shared/data/raw`` beside the repository).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dlcost import stats  # noqa: E402
from dlcost.benchmarks import BENCHMARKS  # noqa: E402
from dlcost.fitting import make_fit, scaling_data  # noqa: E402
from dlcost.fitting.resample import refit_bootstrap_chunk  # noqa: E402
from dlcost.parallel import one_blas_thread  # noqa: E402
from dlcost.store import ResultsDB  # noqa: E402
from dlcost.store.importers import import_path  # noqa: E402

T = TypeVar("T")


def shared_data() -> Path:
    value = os.environ.get("DLCOST_SHARED_DATA")
    path = Path(value) if value else ROOT.parent / "shared" / "data" / "raw"
    if not (path / "futuretech_2022").is_dir():
        sys.exit(f"FutureTech data not found under {path}; set DLCOST_SHARED_DATA")
    return path


def best_of(repeat: int, func: Callable[[], T]) -> tuple[float, T]:
    """Smallest wall time of ``repeat`` calls, and the last result."""
    best = float("inf")
    result: T
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - t0)
    return best, result


def numpy_vectorized(X: np.ndarray, y: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """The strongest plain-numpy bootstrap: gathered rows, batched normal equations (on one
    BLAS thread, like dlcost's, which is faster for it too on a busy machine)."""
    with one_blas_thread():
        Xb, yb = X[idx], y[idx]
        Xt = Xb.transpose(0, 2, 1)
        return np.linalg.solve(Xt @ Xb, (Xt @ yb[:, :, None]))[:, :, 0]


def race(strategy: Any, X: np.ndarray, y: np.ndarray, idx: np.ndarray, loop: int,
         repeat: int) -> list[tuple[float, np.ndarray]]:
    """dlcost, vectorized numpy, the lstsq loop and the statsmodels loop on the same draws."""
    import statsmodels.api as sm

    return [
        best_of(repeat, lambda: refit_bootstrap_chunk((strategy, X, y, idx))[0]),
        best_of(repeat, lambda: numpy_vectorized(X, y, idx)),
        best_of(1, lambda: np.array(
            [np.linalg.lstsq(X[idx[i]], y[idx[i]], rcond=None)[0] for i in range(loop)])),
        best_of(1, lambda: np.array(
            [sm.OLS(y[idx[i]], X[idx[i]]).fit().params for i in range(loop)])),
    ]


def one_run(db: ResultsDB, args: argparse.Namespace, rng: np.random.Generator, loop: int,
            show: bool) -> tuple[dict[str, float], float]:
    """All 12 fits raced once: total seconds per method, and the largest |Δβ| seen."""
    scale = args.boot / loop
    totals = dict.fromkeys(("dlcost", "vec", "lstsq", "sm"), 0.0)
    worst = 0.0
    for bench in BENCHMARKS:
        data = scaling_data(db, bench, sources=["futuretech"])
        for form in ("poly", "exp"):
            fit = make_fit(form).fit(data.frame)
            X, y = fit._X, fit._y
            n = len(y)
            idx = rng.integers(0, n, size=(args.boot, n))
            timed = race(fit.strategy, X, y, idx, loop, args.repeat)
            (t_d, ours), (t_v, vec), (t_l, lst), (t_s, smp) = timed
            t_l, t_s = t_l * scale, t_s * scale
            ok = ~np.isnan(ours).any(axis=1)
            okl = ok[:loop]
            diff = max(float(np.max(np.abs(ours[ok] - vec[ok]), initial=0.0)),
                       float(np.max(np.abs(ours[:loop][okl] - lst[okl]), initial=0.0)),
                       float(np.max(np.abs(ours[:loop][okl] - smp[okl]), initial=0.0)))
            worst = max(worst, diff)
            for key, value in zip(("dlcost", "vec", "lstsq", "sm"), (t_d, t_v, t_l, t_s),
                                  strict=True):
                totals[key] += value
            if show:
                print(f"{bench:<12} {form:<4} {n:>4} {t_d:>9.4f} {t_v:>11.4f} {t_l:>12.3f} "
                      f"{t_s:>10.2f} {t_v / t_d:>9.1f}× {t_l / t_d:>6.0f}× "
                      f"{t_s / t_d:>5.0f}× {diff:>9.1e}")
    return totals, worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boot", type=int, default=10_000, help="resamples per fit")
    parser.add_argument("--loop", type=int, default=500,
                        help="resamples refitted by the two loops (then extrapolated)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (best kept)")
    parser.add_argument("--runs", type=int, default=3,
                        help="whole races (new draws each); min and median of their ratios")
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

    print(f"{args.boot:,} resamples per fit, best of {args.repeat} per timing, {args.runs} "
          f"run(s); the two loops timed on {loop:,} resamples and extrapolated "
          f"×{args.boot / loop:g}")
    print(f"{'benchmark':<12} {'form':<4} {'n':>4} {'dlcost s':>9} {'numpy-vec s':>11} "
          f"{'lstsq-loop s':>12} {'sm-loop s':>10} {'×numpy-vec':>10} {'×lstsq':>7} "
          f"{'×sm':>6} {'max |Δβ|':>9}")
    ratios: dict[str, list[float]] = {"vec": [], "lstsq": [], "sm": []}
    worst = 0.0
    for run in range(args.runs):
        totals, diff = one_run(db, args, rng, loop, show=run == 0)
        worst = max(worst, diff)
        d = totals["dlcost"]
        for key in ratios:
            ratios[key].append(totals[key] / d)
        print(f"{f'run {run + 1}: all 12 fits':<22} {d:>9.3f} {totals['vec']:>11.3f} "
              f"{totals['lstsq']:>12.2f} {totals['sm']:>10.1f} {totals['vec'] / d:>9.1f}× "
              f"{totals['lstsq'] / d:>6.0f}× {totals['sm'] / d:>5.0f}×")

    def span(key: str, digits: int) -> str:
        values = ratios[key]
        return (f"min {min(values):.{digits}f}× / median {statistics.median(values):.{digits}f}×"
                f" over {len(values)} run(s)")

    print(f"agreement: max |Δβ| between dlcost and every baseline {worst:.1e} (all runs)")
    print(f"against (a) the statsmodels loop: {span('sm', 0)}; the lstsq loop: "
          f"{span('lstsq', 0)}")
    print(f"headline, against (b) the strongest baseline (vectorized numpy): {span('vec', 1)}")

    # End to end through the public API (draws + counts + refits), all twelve fits.
    t0 = time.perf_counter()
    for bench in BENCHMARKS:
        data = scaling_data(db, bench, sources=["futuretech"])
        for form in ("poly", "exp"):
            make_fit(form).fit(data.frame).bootstrap(args.boot, random_state=args.seed)
    t_api = time.perf_counter() - t0
    print(f"public API, fit + bootstrap({args.boot:,}) for all 12 fits (incl. data prep): "
          f"{t_api:.3f} s")
    scaling_section(db, args.seed)


def scaling_section(db: ResultsDB, seed: int) -> None:
    """Quantile bootstrap time per resample-row over rows × resamples; peak memory in chunks."""
    import tracemalloc
    import warnings

    from dlcost.exceptions import ConvergenceWarning

    warnings.simplefilter("ignore", ConvergenceWarning)  # a few resamples of 10⁵: counted
    data = scaling_data(db, "imagenet", sources=["futuretech"]).frame
    base = make_fit("poly", variant="quantile").fit(data).n_
    print(f"\nquantile bootstrap (imagenet, n = {base}, rows repeated ×1, ×2, ×4): time per "
          "resample-row over rows × resamples (linear scaling: about constant)")
    per_cell = []
    for times in (1, 2, 4):
        fit = make_fit("poly", variant="quantile").fit(
            pd.concat([data] * times, ignore_index=True))
        for n_boot in (250, 500, 1000):
            t, _ = best_of(1, lambda b=n_boot, f=fit: f.bootstrap(b, random_state=seed))
            per_cell.append(t / (fit.n_ * n_boot))
            print(f"  {fit.n_:>4} rows × {n_boot:>5,} resamples = {fit.n_ * n_boot:>9,} "
                  f"resample-rows: {t:7.3f} s, {1e9 * per_cell[-1]:7.1f} ns per resample-row")
    print(f"  ns per resample-row at 4× the rows vs 1× (1,000 resamples each): "
          f"{per_cell[-1] / per_cell[2]:.2f} (about 1: linear in rows × resamples; well above 1, "
          "e.g. 1.5, would be super-linear; small runs pay a fixed start-up on top)")
    cells = 1 << 16
    old_cells = stats.BOOT_CHUNK_CELLS
    stats.BOOT_CHUNK_CELLS = cells
    try:
        fit = make_fit("poly", variant="quantile").fit(data)
        for n_boot in (1000, 4000):
            tracemalloc.start()
            fit.bootstrap(n_boot, random_state=seed)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(f"  quantile, {n_boot:,} resamples in chunks of {cells:,} resample-rows: "
                  f"peak {peak / 1e6:.1f} MB ({peak / (8 * cells):.1f} chunk-sized float64 "
                  "arrays; the bound does not grow with the resamples)")
    finally:
        stats.BOOT_CHUNK_CELLS = old_cells
    ols_fit = make_fit("poly").fit(data)
    n = ols_fit.n_
    n_boot = 1_000_000
    tracemalloc.start()
    t0 = time.perf_counter()
    ols_fit.bootstrap(n_boot, random_state=seed)
    t = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    kept = ols_fit.boot_coef_.nbytes
    one_piece = 4 * 8 * n * n_boot
    print(f"least-squares bootstrap, {n_boot:,} resamples × {n} rows = {n * n_boot:.1e} "
          f"resample-rows: {t:.2f} s, peak {peak / 1e6:.0f} MB ({kept / 1e6:.0f} MB of it the "
          f"coefficients kept; one piece would hold ~{one_piece / 1e9:.1f} GB; bound: "
          f"{stats.BOOT_CHUNK_CELLS * 8 * 8 / 1e6:.0f} MB of chunk work arrays + the "
          "coefficients)")


if __name__ == "__main__":
    main()
