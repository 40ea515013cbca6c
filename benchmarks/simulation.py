"""dlcost's simulation engine against a straightforward scikit-learn loop, on a reduced grid.

Run: ``python benchmarks/simulation.py`` (about two minutes, nearly all of it the scikit-learn
loop). The default grid is the paper's problem (p = 1,000, s = 10, n from 20 to 20,000) with 8
sample sizes instead of 15 and 20 repetitions instead of 1,000. Options shrink or grow it;
``--from-json RESULT.json`` instead reads a finished ``dlcost simulate --json`` document and
prints its distance from the matrix-multiply bound.

The straightforward way fits every model afresh at every sample size of every repetition —
``LinearRegression`` for the oracle, the expert and the flexible model, ``Lasso`` (same
universal penalty) for the regularized one — and measures the excess MSE on a fresh test set
of ``--n-test`` points against the noiseless truth. dlcost gets the same numbers from
accumulated Gram matrices, Wishart increments and the closed-form risk. The script checks that
both agree within Monte-Carlo error (|z| < 4 for every model and sample size) and prints both
wall times and their ratio.

It also prints the bound each approach is chasing: FLOP divided by the machine's measured
dense matrix-multiply rate (numpy ``@`` on two 2000 × 2000 float64 matrices). The fits' FLOP
(``total_flop``: Gram + Cholesky per fit) bounds any per-fit method; the engine's FLOP bounds
dlcost. Both runs use one BLAS thread, so the single-thread rate is the relevant one.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from dlcost.simulation import MODELS, SimulationSettings, run_simulation


def matmul_flop_per_s(size: int = 2000, repeats: int = 5) -> float:
    """Best-of-``repeats`` FLOP/s of a ``size × size`` float64 matrix product (2·size³ FLOP)."""
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((size, size)), rng.standard_normal((size, size))
    a @ b  # warm up
    best = min(_timed(lambda: a @ b) for _ in range(repeats))
    return 2 * size**3 / best


def _timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def sklearn_loop(settings: SimulationSettings, n_test: int) -> np.ndarray:
    """Per-repetition ``−log10(excess MSE / σ²)`` the straightforward way: (reps, models, n)."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import Lasso, LinearRegression

    p, s, sigma = settings.features, settings.relevant, settings.noise_sd
    correct = settings.expert_correct or 0
    expert_cols = np.r_[np.arange(correct), np.arange(s, s + settings.expert_wrong)]
    grid = settings.n_grid
    rng = np.random.default_rng(settings.seed + 1)
    out = np.full((settings.reps, len(MODELS), grid.size), np.nan)
    for rep in range(settings.reps):
        beta = np.zeros(p)
        beta[:s] = rng.standard_normal(s)
        x = rng.standard_normal((grid[-1], p))
        y = x @ beta + sigma * rng.standard_normal(grid[-1])
        x_test = rng.standard_normal((n_test, p))
        truth = x_test @ beta
        for k, n in enumerate(grid):
            xn, yn = x[:n], y[:n]
            fits = {}
            if n > s:
                fits["oracle"] = (np.arange(s), LinearRegression(fit_intercept=False))
                fits["expert"] = (expert_cols, LinearRegression(fit_intercept=False))
            if n > p:
                fits["flexible"] = (np.arange(p), LinearRegression(fit_intercept=False))
            alpha = sigma * np.sqrt(2 * np.log(p) / n)
            fits["lasso"] = (
                np.arange(p),
                Lasso(alpha=alpha, fit_intercept=False, tol=1e-8, max_iter=100_000),
            )
            for model, (cols, estimator) in fits.items():
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    estimator.fit(xn[:, cols], yn)
                prediction = x_test[:, cols] @ estimator.coef_
                excess = np.mean((prediction - truth) ** 2) / sigma**2
                out[rep, MODELS.index(model), k] = -np.log10(excess)
    return out


def _summary(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return values.mean(axis=0), values.std(axis=0, ddof=1) / np.sqrt(values.shape[0])


def compare(args: argparse.Namespace) -> None:
    settings = SimulationSettings(
        features=args.features,
        relevant=args.relevant,
        reps=args.reps,
        n_min=args.n_min,
        n_max=args.n_max,
        n_points=args.n_points,
        seed=args.seed,
    )
    rate = matmul_flop_per_s()
    with threadpool_limits(limits=1):
        rate_1 = matmul_flop_per_s()
    print(
        f"matmul rate: {rate / 1e9:.1f} GFLOP/s (all threads), {rate_1 / 1e9:.1f} GFLOP/s "
        "(one thread)"
    )
    print(
        f"grid: p={settings.features}, s={settings.relevant}, reps={settings.reps}, "
        f"n={settings.n_grid.tolist()}"
    )

    start = time.perf_counter()
    result = run_simulation(settings, workers=1)
    dlcost_s = time.perf_counter() - start
    with threadpool_limits(limits=1):
        start = time.perf_counter()
        reference = sklearn_loop(settings, args.n_test)
        sklearn_s = time.perf_counter() - start

    worst = 0.0
    for m, model in enumerate(MODELS):
        ours = np.array([result.performance(model), result.standard_error(model)])
        theirs = _summary(reference[:, m, :])
        z = (ours[0] - theirs[0]) / np.hypot(ours[1], theirs[1])
        defined = np.isfinite(z)
        worst = max(worst, float(np.max(np.abs(z[defined]))))
        print(f"  {model:9s} dlcost  " + " ".join(f"{v:7.3f}" for v in ours[0][defined]))
        print(f"  {'':9s} sklearn " + " ".join(f"{v:7.3f}" for v in theirs[0][defined]))
    agree = worst < 4
    print(
        f"agreement: max |z| = {worst:.2f} over all models and n "
        f"({'within' if agree else 'OUTSIDE'} Monte-Carlo error, threshold 4)"
    )
    print(
        f"wall time: dlcost {dlcost_s:.2f} s, scikit-learn loop {sklearn_s:.2f} s, "
        f"ratio {sklearn_s / dlcost_s:.1f}× (aim ≥ 30×)"
    )
    _bound(result.total_flop, result.engine_flop, dlcost_s, rate_1, workers=1)
    if not agree:
        raise SystemExit(1)


def _bound(
    total_flop: float, engine_flop: float, seconds: float, rate: float, workers: int
) -> None:
    cores = rate * workers
    print(
        f"FLOP of the fits {total_flop:.3g} → {total_flop / cores:.1f} s at the matmul rate "
        f"× {workers} (any per-fit method); engine FLOP {engine_flop:.3g} → "
        f"{engine_flop / cores:.1f} s (dlcost's floor); measured {seconds:.1f} s = "
        f"{seconds / (engine_flop / cores):.2f}× its floor, "
        f"{(total_flop / cores) / seconds:.1f}× faster than the per-fit bound"
    )


def from_json(path: Path, workers: int) -> None:
    run = json.loads(path.read_text())["run"]
    with threadpool_limits(limits=1):
        rate_1 = matmul_flop_per_s()
    print(f"matmul rate (one thread): {rate_1 / 1e9:.1f} GFLOP/s; {workers} worker(s)")
    _bound(run["total_flop"], run["engine_flop"], run["wall_seconds"], rate_1, workers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=int, default=1000)
    parser.add_argument("--relevant", type=int, default=10)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--n-min", type=int, default=20)
    parser.add_argument("--n-max", type=int, default=20_000)
    parser.add_argument("--n-points", type=int, default=8)
    parser.add_argument("--n-test", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--from-json", type=Path, default=None)
    parser.add_argument("--workers", type=int, default=2, help="workers of the --from-json run")
    args = parser.parse_args()
    if args.from_json is not None:
        from_json(args.from_json, args.workers)
    else:
        compare(args)


if __name__ == "__main__":
    main()
