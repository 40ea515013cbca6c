"""dlcost's simulation engine against two baselines, side by side, and at the paper's scale.

Modes (each prints what the closing note of issue #17 needs):

``python benchmarks/simulation.py [--runs N]``
    **Side by side.** The paper's problem (p = 1,000, s = 10, n from 20 to 20,000) on 8 sample
    sizes and 20 repetitions: the engine, the incremental numpy/scikit-learn loop and the plain
    scikit-learn loop in one run, each timed by wall clock and CPU (``--runs N``: the engine and
    the incremental loop N times each, min / median printed; the scikit-learn loop, ~50× slower,
    once; ``--skip-sklearn`` leaves it out). Headline: dlcost against the strongest baseline
    (the incremental loop; aim ≥ 5×).
``python benchmarks/simulation.py --agreement``
    **Agreement.** The same three at ≥ 100 repetitions (200 by default) on a smaller problem
    (p = 100, n to 5,000) so that the loops finish: mean performance of every model at every
    n must agree within Monte-Carlo error, |z| < 4; the script exits 1 otherwise. (The side-by-
    side mode also prints |z|, with a note when it has fewer than 100 repetitions.)
``python benchmarks/simulation.py --paper [--runs N] [--paper-reps R] [--workers W]``
    **Paper scale.** The engine alone on every default of ``dlcost simulate`` (p = 1,000, 1,000
    repetitions, 15 sizes to 20,000) with W worker processes (default 2, both cores; no cache):
    wall time, CPU time (this process and its workers), engine FLOP, achieved GFLOP/s and the
    distance to the matmul floor, min / median over N runs. ``--paper-reps`` runs fewer
    repetitions and says that the 1,000-repetition figure is extrapolated.
``python benchmarks/simulation.py --from-json RESULT.json``
    The floor distance of a finished ``dlcost simulate --json`` run.

Baselines. The **scikit-learn loop** fits every model afresh at every sample size of every
repetition (``LinearRegression`` for the oracle, expert and flexible model, ``Lasso`` with the
same universal penalty) and measures the excess MSE on a fresh test set of ``--n-test`` points.
The **incremental loop** (:func:`incremental_loop`) is what a careful numpy user would write:
the rows of a repetition are drawn once, ``XᵀX`` and ``Xᵀy`` accumulated along the grid, the
least-squares models solved by Cholesky on the accumulated Gram matrix, the risk in closed form
‖β̂ − β‖² (Gaussian features), and scikit-learn's Lasso warm-started from the previous sample
size on the precomputed Gram matrix. The two loops use the very same draws (rows, truths);
dlcost cannot share them, since it draws Wishart increments instead of rows, so agreement is
in law: within Monte-Carlo error. Every loop runs on one BLAS thread, as the engine does.

The floor. Dense float64 matrix multiplication (numpy ``@``, 2000 × 2000, one BLAS thread) is
timed best of 7 at the start and at the end; both rates are printed, by CPU time and by wall
clock, and the floor uses the better (load only slows a run down). The engine's floor is its
executed FLOP (``engine_flop``; the flexible OLS's float32 Cholesky counted as if it were
float64) at that rate; "× floor" is the measured time over it, CPU time against the CPU rate
(robust to load) and wall time against the wall rate × workers. The FLOP of the fits as a
practitioner runs them (``total_flop``) bound any per-fit method.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dlcost.simulation import MODELS, SimulationSettings, run_simulation  # noqa: E402

#: Below this many repetitions the agreement check is too weak to mean much (issue #17).
AGREEMENT_MIN_REPS = 100
#: |z| above which the mean performances are said to disagree.
Z_THRESHOLD = 4.0


class Rate(NamedTuple):
    """Best-of-N float64 matmul FLOP/s on one BLAS thread, by CPU time and by wall clock."""

    cpu: float
    wall: float


class Timing(NamedTuple):
    wall: float
    cpu: float


def matmul_rate(size: int = 2000, repeats: int = 7) -> Rate:
    """Best-of-``repeats`` FLOP/s of a ``size × size`` float64 product (2·size³ FLOP)."""
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((size, size)), rng.standard_normal((size, size))
    with threadpool_limits(limits=1, user_api="blas"):
        a @ b  # warm up
        runs = [timed(lambda: a @ b)[0] for _ in range(repeats)]
    return Rate(cpu=2 * size**3 / min(t.cpu for t in runs),
                wall=2 * size**3 / min(t.wall for t in runs))


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn: Callable[[], Any]) -> tuple[Timing, Any]:
    wall, cpu = time.perf_counter(), cpu_seconds()
    out = fn()
    return Timing(time.perf_counter() - wall, cpu_seconds() - cpu), out


def min_median(values: list[float], unit: str = "s", digits: int = 2) -> str:
    if len(values) == 1:
        return f"{values[0]:.{digits}f} {unit}"
    return (f"min {min(values):.{digits}f} / median {statistics.median(values):.{digits}f} {unit}"
            f" ({len(values)} runs)")


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


def _loop_setup(settings: SimulationSettings) -> tuple[np.ndarray, np.random.Generator,
                                                       np.ndarray]:
    """What both baseline loops start from: the expert's columns, the generator of the shared
    draws, and the (reps, models, n) result array (NaN where a model is undefined)."""
    s, correct = settings.relevant, settings.expert_correct or 0
    expert_cols = np.r_[np.arange(correct), np.arange(s, s + settings.expert_wrong)]
    out = np.full((settings.reps, len(MODELS), settings.n_grid.size), np.nan)
    return expert_cols, np.random.default_rng(settings.seed + 1), out


def incremental_loop(settings: SimulationSettings, n_test: int) -> np.ndarray:
    """The strongest plain baseline (module docstring): (reps, models, n) performance."""
    from scipy.linalg import cho_factor, cho_solve
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import Lasso

    p, s, sigma = settings.features, settings.relevant, settings.noise_sd
    grid = settings.n_grid
    expert_cols, rng, out = _loop_setup(settings)
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
    grid = settings.n_grid
    expert_cols, rng, out = _loop_setup(settings)
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


def _settings(args: argparse.Namespace) -> SimulationSettings:
    return SimulationSettings(features=args.features or 1000, relevant=args.relevant,
                              reps=args.reps or 20, n_min=args.n_min,
                              n_max=args.n_max or 20_000, n_points=args.n_points,
                              seed=args.seed)


def _print_rates(start: Rate, end: Rate) -> Rate:
    best = Rate(max(start.cpu, end.cpu), max(start.wall, end.wall))
    print(f"matmul floor (float64, one BLAS thread, best of 7): by CPU time "
          f"{start.cpu / 1e9:.1f} GFLOP/s at the start, {end.cpu / 1e9:.1f} at the end; by wall "
          f"clock {start.wall / 1e9:.1f} and {end.wall / 1e9:.1f}. The floor uses the better: "
          f"{best.cpu / 1e9:.1f} (CPU), {best.wall / 1e9:.1f} (wall)")
    return best


def agreement(result: Any, baselines: dict[str, np.ndarray | None], verbose: bool = True
              ) -> dict[str, float]:
    """Largest |z| of the difference in mean performance, per baseline, over models and n."""
    worst = {name: 0.0 for name, values in baselines.items() if values is not None}
    for m, model in enumerate(MODELS):
        ours = np.array([result.performance(model), result.standard_error(model)])
        defined = np.isfinite(ours[0])
        if verbose:
            print(f"  {model:9s} dlcost      " + " ".join(f"{v:7.3f}" for v in ours[0][defined]))
        for name, values in baselines.items():
            if values is None:
                continue
            theirs = _summary(values[:, m, :])
            z = (ours[0] - theirs[0]) / np.hypot(ours[1], theirs[1])
            ok = np.isfinite(z)
            worst[name] = max(worst[name], float(np.max(np.abs(z[ok]), initial=0.0)))
            if verbose:
                print(f"  {'':9s} {name:<11s} "
                      + " ".join(f"{v:7.3f}" for v in theirs[0][defined]))
    return worst


def _print_agreement(worst: dict[str, float], reps: int) -> bool:
    agree = all(v < Z_THRESHOLD for v in worst.values())
    parts = ", ".join(f"{v:.2f} against the {k} loop" for k, v in worst.items())
    print(f"agreement over {reps} repetitions: max |z| = {parts} "
          f"({'within' if agree else 'OUTSIDE'} Monte-Carlo error, threshold {Z_THRESHOLD:g})"
          + ("" if reps >= AGREEMENT_MIN_REPS else
             f"; fewer than {AGREEMENT_MIN_REPS} repetitions: run --agreement for the check"))
    return agree


def compare(args: argparse.Namespace) -> None:
    """Side by side: the engine, the incremental loop and the scikit-learn loop in one run."""
    settings = _settings(args)
    rate_start = matmul_rate()
    print(f"grid: p={settings.features}, s={settings.relevant}, reps={settings.reps}, "
          f"n={settings.n_grid.tolist()}; everything on one BLAS thread, in this process")
    warm = dataclasses.replace(settings, reps=2, n_max=4 * settings.relevant, n_points=3)
    # imports and first calls, untimed
    run_simulation(warm, workers=1)
    incremental_loop(warm, args.n_test)
    ours: list[Timing] = []
    incremental_t: list[Timing] = []
    result = incremental = None
    for _ in range(args.runs):
        t, result = timed(lambda: run_simulation(settings, workers=1))
        ours.append(t)
        with threadpool_limits(limits=1, user_api="blas"):
            t, incremental = timed(lambda: incremental_loop(settings, args.n_test))
        incremental_t.append(t)
    reference = sklearn_t = None
    if not args.skip_sklearn:
        with threadpool_limits(limits=1, user_api="blas"):
            sklearn_t, reference = timed(lambda: sklearn_loop(settings, args.n_test))
    rate = _print_rates(rate_start, matmul_rate())
    assert result is not None
    assert incremental is not None

    worst = agreement(result, {"incremental": incremental, "sklearn": reference})
    agree = _print_agreement(worst, settings.reps)
    for name, runs in (("dlcost", ours), ("incremental numpy/scikit-learn loop", incremental_t)):
        print(f"{name}: wall {min_median([t.wall for t in runs])}, "
              f"CPU {min_median([t.cpu for t in runs])}")
    if sklearn_t is not None:
        print(f"scikit-learn loop (1 run): wall {sklearn_t.wall:.2f} s, CPU {sklearn_t.cpu:.2f} s")
    cpu_ratios = [b.cpu / a.cpu for a, b in zip(ours, incremental_t, strict=True)]
    wall_ratios = [b.wall / a.wall for a, b in zip(ours, incremental_t, strict=True)]
    met = min(cpu_ratios) >= 5
    print(f"headline: dlcost is {min_median(cpu_ratios, '×', 1)} by CPU time "
          f"({min_median(wall_ratios, '×', 1)} by wall clock) faster than the strongest "
          f"baseline, the incremental loop, run by run side by side; aim ≥ 5×: "
          f"{'met' if met else 'NOT met'}")
    if sklearn_t is not None:
        print(f"  and {sklearn_t.cpu / min(t.cpu for t in ours):.1f}× (CPU) the scikit-learn loop")
    _bound(result.total_flop, result.engine_flop, [t.cpu for t in ours],
           [t.wall for t in ours], rate, workers=1)
    if not agree:
        raise SystemExit(1)


def agreement_check(args: argparse.Namespace) -> None:
    """Both baselines against the engine at ≥ 100 repetitions on a problem the loops finish."""
    settings = SimulationSettings(features=args.features or 100, relevant=args.relevant,
                                  reps=max(args.reps or 200, AGREEMENT_MIN_REPS),
                                  n_min=args.n_min, n_max=args.n_max or 5000,
                                  n_points=args.n_points, seed=args.seed)
    print(f"agreement check: p={settings.features}, s={settings.relevant}, "
          f"reps={settings.reps}, n={settings.n_grid.tolist()}")
    result = run_simulation(settings, workers=1)
    with threadpool_limits(limits=1, user_api="blas"):
        incremental = incremental_loop(settings, args.n_test)
        reference = None if args.skip_sklearn else sklearn_loop(settings, args.n_test)
    worst = agreement(result, {"incremental": incremental, "sklearn": reference})
    if not _print_agreement(worst, settings.reps):
        raise SystemExit(1)


def paper(args: argparse.Namespace) -> None:
    """The engine alone at the paper's scale, on ``--workers`` processes, min / median."""
    full = SimulationSettings(seed=args.seed)
    settings = dataclasses.replace(full, reps=args.paper_reps or full.reps)
    scale = full.reps / settings.reps
    rate_start = matmul_rate()
    print(f"paper scale: p={settings.features}, s={settings.relevant}, "
          f"{settings.reps:,} repetitions, n={settings.n_grid.tolist()}, "
          f"{args.workers} worker process(es), no cache")
    runs: list[Timing] = []
    flop = 0.0
    for _ in range(args.runs):
        t, result = timed(lambda: run_simulation(settings, workers=args.workers))
        runs.append(t)
        flop = result.engine_flop
        print(f"  run {len(runs)}: wall {t.wall:.1f} s, CPU {t.cpu:.1f} s")
    rate = _print_rates(rate_start, matmul_rate())
    walls, cpus = [t.wall for t in runs], [t.cpu for t in runs]
    print(f"engine FLOP {flop:.3g}; wall {min_median(walls, 's', 1)}; "
          f"CPU {min_median(cpus, 's', 1)}")
    print(f"achieved: {min_median([flop / c / 1e9 for c in cpus], 'GFLOP/s per core', 1)} "
          f"(FLOP / CPU time); {min_median([flop / w / 1e9 for w in walls], 'GFLOP/s', 1)} "
          f"on {args.workers} worker(s) (FLOP / wall)")
    _bound(result.total_flop, flop, cpus, walls, rate, workers=args.workers)
    if scale != 1:
        print(f"EXTRAPOLATED to the paper's {full.reps:,} repetitions (every repetition does "
              f"the same work): wall ≈ {min(walls) * scale:.0f} s, CPU ≈ {min(cpus) * scale:.0f} s"
              " (the workers' start-up scaled with them: an overestimate)")
    else:
        print(f"paper-scale wall time: {min_median(walls, 's', 1)} on {args.workers} worker(s)")


def _bound(total_flop: float, engine_flop: float, cpus: list[float], walls: list[float],
           rate: Rate, workers: int) -> None:
    floor_cpu = engine_flop / rate.cpu
    floor_wall = engine_flop / (rate.wall * workers)
    print(f"floor: engine FLOP {engine_flop:.3g} → {floor_cpu:.2f} s of CPU at "
          f"{rate.cpu / 1e9:.1f} GFLOP/s, {floor_wall:.2f} s of wall on {workers} core(s); "
          f"FLOP of the fits run one by one {total_flop:.3g} → {total_flop / rate.cpu:.1f} s "
          f"of CPU (any per-fit method)")
    by_wall = [w / floor_wall for w in walls]
    if not cpus:  # a JSON document has the wall time only
        print(f"× floor: {min_median(by_wall, '×', 2)} by wall clock")
        return
    by_cpu = [c / floor_cpu for c in cpus]
    print(f"× floor: {min_median(by_cpu, '×', 2)} by CPU time, {min_median(by_wall, '×', 2)} by "
          f"wall clock; aim ≤ 1.5×: {'met' if min(by_cpu) <= 1.5 else 'NOT met'}; "
          f"{total_flop / rate.cpu / min(cpus):.1f}× under the per-fit bound")


def from_json(path: Path, workers: int) -> None:
    run = json.loads(path.read_text())["run"]
    rate = matmul_rate()
    print(f"matmul rate (one thread, best of 7): {rate.wall / 1e9:.1f} GFLOP/s by wall clock; "
          f"{workers} worker(s); the JSON has wall time only")
    _bound(run["total_flop"], run["engine_flop"], [], [run["wall_seconds"]], rate, workers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--agreement", action="store_true",
                      help=f"agreement check at >= {AGREEMENT_MIN_REPS} repetitions (p=100)")
    mode.add_argument("--paper", action="store_true",
                      help="the engine alone at the paper's scale on --workers processes")
    mode.add_argument("--from-json", type=Path, default=None)
    parser.add_argument("--features", type=int, default=None,
                        help="p (default 1,000; 100 with --agreement)")
    parser.add_argument("--relevant", type=int, default=10)
    parser.add_argument("--reps", type=int, default=None,
                        help="repetitions (default 20; 200 with --agreement, at least 100)")
    parser.add_argument("--n-min", type=int, default=20)
    parser.add_argument("--n-max", type=int, default=None,
                        help="largest n (default 20,000; 5,000 with --agreement)")
    parser.add_argument("--n-points", type=int, default=8)
    parser.add_argument("--n-test", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=1, help="repeat the timed runs; min/median")
    parser.add_argument("--paper-reps", type=int, default=None,
                        help="--paper with fewer repetitions (the 1,000 figure extrapolated)")
    parser.add_argument("--skip-sklearn", action="store_true",
                        help="leave out the slow scikit-learn loop (the incremental one stays)")
    parser.add_argument("--workers", type=int, default=2,
                        help="worker processes of --paper (and of the --from-json run)")
    args = parser.parse_args()
    if args.from_json is not None:
        from_json(args.from_json, args.workers)
    elif args.paper:
        paper(args)
    elif args.agreement:
        agreement_check(args)
    else:
        compare(args)


if __name__ == "__main__":
    main()
