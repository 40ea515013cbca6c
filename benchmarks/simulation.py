"""dlcost's simulation engine against two baselines on the same problem, side by side.

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

The second, stronger baseline is the **incremental** loop a careful numpy user would write
(:func:`incremental_loop`): the rows of a repetition are drawn once, ``XᵀX`` and ``Xᵀy`` are
accumulated along the sample-size grid, the least-squares models are solved by Cholesky on
the accumulated Gram matrix, the risk is the closed form ‖β̂ − β‖² (Gaussian features), and
the Lasso is scikit-learn's coordinate descent warm-started from the previous sample size on
the precomputed Gram matrix. It uses the scikit-learn loop's draws. The headline ratio is
against this, the strongest baseline; agreement is checked for both (|z| < 4).

It also prints the bound each approach is chasing: FLOP divided by the machine's measured
dense matrix-multiply rate (numpy ``@`` on two 2000 × 2000 float64 matrices, best of several
runs, measured at the start and again at the end: both are printed, and the floor uses the
better, since load only ever slows a run down). The fits' FLOP
(``total_flop``: Gram + Cholesky per fit) bounds any per-fit method; the engine's FLOP bounds
dlcost. Both runs use one BLAS thread, so the single-thread rate is the relevant one.
"""

from __future__ import annotations

import argparse
import dataclasses
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


def _problem(settings: SimulationSettings, rep_rng: np.random.Generator, n_test: int
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One repetition's draws, shared by both baselines: β, X, y, X_test, truth."""
    p, s, sigma = settings.features, settings.relevant, settings.noise_sd
    beta = np.zeros(p)
    beta[:s] = rep_rng.standard_normal(s)
    x = rep_rng.standard_normal((settings.n_grid[-1], p))
    y = x @ beta + sigma * rep_rng.standard_normal(settings.n_grid[-1])
    x_test = rep_rng.standard_normal((n_test, p))
    return beta, x, y, x_test, x_test @ beta


def incremental_loop(settings: SimulationSettings, n_test: int) -> np.ndarray:
    """The strongest plain baseline (module docstring): (reps, models, n) performance."""
    from scipy.linalg import cho_factor, cho_solve
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import Lasso

    p, s, sigma = settings.features, settings.relevant, settings.noise_sd
    correct = settings.expert_correct or 0
    expert_cols = np.r_[np.arange(correct), np.arange(s, s + settings.expert_wrong)]
    grid = settings.n_grid
    rng = np.random.default_rng(settings.seed + 1)
    out = np.full((settings.reps, len(MODELS), grid.size), np.nan)
    for rep in range(settings.reps):
        beta, x, y, _x_test, _truth = _problem(settings, rng, n_test)
        gram, xty, done = np.zeros((p, p)), np.zeros(p), 0
        lasso = Lasso(fit_intercept=False, tol=1e-8, max_iter=100_000, warm_start=True,
                      precompute=True)
        for k, n in enumerate(grid):
            gram += x[done:n].T @ x[done:n]
            xty += x[done:n].T @ y[done:n]
            done = n
            for model, cols, needed in (("oracle", np.arange(s), s), ("expert", expert_cols, s),
                                        ("flexible", np.arange(p), p)):
                if n <= needed:
                    continue
                coef = np.zeros(p)
                coef[cols] = cho_solve(cho_factor(gram[np.ix_(cols, cols)]), xty[cols])
                out[rep, MODELS.index(model), k] = -np.log10(np.sum((coef - beta) ** 2)
                                                             / sigma**2)
            lasso.set_params(alpha=sigma * np.sqrt(2 * np.log(p) / n), precompute=gram)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                lasso.fit(x[:n], y[:n])
            out[rep, MODELS.index("lasso"), k] = -np.log10(np.sum((lasso.coef_ - beta) ** 2)
                                                           / sigma**2)
    return out


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
        _beta, x, y, x_test, truth = _problem(settings, rng, n_test)
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
    with threadpool_limits(limits=1):
        rate_start = matmul_flop_per_s(repeats=7)
    print(
        f"grid: p={settings.features}, s={settings.relevant}, reps={settings.reps}, "
        f"n={settings.n_grid.tolist()}; everything on one BLAS thread"
    )

    start = time.perf_counter()
    result = run_simulation(settings, workers=1)
    dlcost_s = time.perf_counter() - start
    with threadpool_limits(limits=1):
        start = time.perf_counter()
        incremental = incremental_loop(settings, args.n_test)
        incremental_s = time.perf_counter() - start
        start = time.perf_counter()
        reference = sklearn_loop(settings, args.n_test) if not args.skip_sklearn else None
        sklearn_s = time.perf_counter() - start
        rate_end = matmul_flop_per_s(repeats=7)
    rate_1 = max(rate_start, rate_end)
    print(f"matmul floor (one thread, best of 7): {rate_start / 1e9:.1f} GFLOP/s at the start, "
          f"{rate_end / 1e9:.1f} GFLOP/s at the end; the floor below uses the better")

    worst = {"incremental": 0.0, "sklearn": 0.0}
    for m, model in enumerate(MODELS):
        ours = np.array([result.performance(model), result.standard_error(model)])
        defined = np.isfinite(ours[0])
        print(f"  {model:9s} dlcost      " + " ".join(f"{v:7.3f}" for v in ours[0][defined]))
        for name, values in (("incremental", incremental), ("sklearn", reference)):
            if values is None:
                continue
            theirs = _summary(values[:, m, :])
            z = (ours[0] - theirs[0]) / np.hypot(ours[1], theirs[1])
            ok = np.isfinite(z)
            worst[name] = max(worst[name], float(np.max(np.abs(z[ok]), initial=0.0)))
            print(f"  {'':9s} {name:<11s} " + " ".join(f"{v:7.3f}" for v in theirs[0][defined]))
    agree = all(v < 4 for v in worst.values())
    print(
        f"agreement: max |z| = {worst['incremental']:.2f} against the incremental loop, "
        f"{worst['sklearn']:.2f} against the scikit-learn loop "
        f"({'within' if agree else 'OUTSIDE'} Monte-Carlo error, threshold 4)"
    )
    print(f"wall time: dlcost {dlcost_s:.2f} s, incremental numpy/scikit-learn loop "
          f"{incremental_s:.2f} s, scikit-learn loop "
          f"{'skipped' if reference is None else f'{sklearn_s:.2f} s'}")
    print(f"headline: dlcost is {incremental_s / dlcost_s:.1f}× the strongest baseline (the "
          f"incremental loop; aim ≥ 5×)"
          + ("" if reference is None else f"; {sklearn_s / dlcost_s:.1f}× the scikit-learn loop"))
    _bound(result.total_flop, result.engine_flop, dlcost_s, rate_1, workers=1)
    _paper_scale(settings, result.engine_flop, dlcost_s, rate_1)
    if not agree:
        raise SystemExit(1)


def _paper_scale(measured: SimulationSettings, engine_flop: float, seconds: float,
                 rate: float) -> None:
    """The paper-scale wall time, extrapolated from a measured fraction of it (said so).

    Two repetitions of the paper's exact problem and grid are run; every repetition does the
    same work, so the time scales with the repetition count.
    """
    paper = SimulationSettings(seed=measured.seed)
    start = time.perf_counter()
    sample = run_simulation(dataclasses.replace(paper, reps=2), workers=1)
    sample_s = time.perf_counter() - start
    per_rep_s = sample_s / 2
    serial = per_rep_s * paper.reps
    floor = sample.engine_flop / 2 * paper.reps / rate
    print(f"paper scale (p = {paper.features}, {paper.reps:,} reps, {paper.n_points} sizes up "
          f"to n = {paper.n_max:,}): EXTRAPOLATED from 2 measured repetitions "
          f"({sample_s:.1f} s): {serial:.0f} s on one core, ≈{serial / 2:.0f} s on two "
          f"workers; engine floor {floor:.0f} s on one core → {serial / floor:.2f}× the floor")


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
    parser.add_argument("--skip-sklearn", action="store_true",
                        help="leave out the slow scikit-learn loop (the incremental one stays)")
    parser.add_argument("--from-json", type=Path, default=None)
    parser.add_argument("--workers", type=int, default=2, help="workers of the --from-json run")
    args = parser.parse_args()
    if args.from_json is not None:
        from_json(args.from_json, args.workers)
    else:
        compare(args)


if __name__ == "__main__":
    main()
