"""``dlcost simulate``: the expert-vs-flexible simulation, its exponents and crossovers."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from dlcost import formatting as fmt
from dlcost.cli._common import emit_json, new_console

if TYPE_CHECKING:
    from rich.console import Console

    from dlcost.simulation import SimulationResult


class Coefficients(StrEnum):
    """How the relevant features' coefficients are drawn."""

    gaussian = "gaussian"
    equal = "equal"


class LassoAlpha(StrEnum):
    """How the Lasso's penalty is chosen."""

    universal = "universal"
    cv = "cv"


class Backend(StrEnum):
    """Where the work units run."""

    process = "process"
    ray = "ray"


def _fmt_ci(value: float, ci: list[float] | tuple[float, float]) -> str:
    """``2.03 [1.95, 2.11]``; an exponent with no finite estimate is ``unbounded``."""
    def two(x: float | None) -> str:
        return fmt.number(x) if x is not None and x == float("inf") else fmt.fixed(x, 2)

    if fmt.fixed(value, 2) == fmt.MISSING:
        return fmt.MISSING
    return f"{two(value)} {fmt.bracket(ci[0], ci[1], fmt=two)}"


def _print_human(result: SimulationResult, console: Console) -> None:
    from rich.table import Table

    s = result.settings
    reps = result.excess.shape[0]
    console.print(
        f"[bold]Expert vs flexible[/bold]: p = {s.features} features, s = {s.relevant} relevant, "
        f"expert {s.expert_correct} right + {s.expert_wrong} wrong, σ = {s.noise_sd:g} "
        f"(oracle R² = {s.oracle_r2:.3f}), {s.coefficients} coefficients, "
        f"Lasso α: {s.lasso_alpha}, {reps} repetitions, seed {s.seed}"
    )
    perf = Table(title="Performance −log10(excess MSE / σ²): mean ± s.e.")
    perf.add_column("n", justify="right")
    for model in result.models:
        perf.add_column(model, justify="right")
    columns = {m: (result.performance(m), result.standard_error(m)) for m in result.models}
    for k, n in enumerate(result.n):
        cells = []
        for model in result.models:
            p, se = columns[model][0][k], columns[model][1][k]
            cells.append("–" if p != p else f"{p:.3f} ± {se:.3f}")
        perf.add_row(f"{int(n):,}", *cells)
    console.print(perf)

    exps = Table(title="Exponents of a k-fold smaller RMSE: data ∝ k^x, FLOP per fit ∝ k^y")
    for name in ("model", "n range", "data x [95% CI]", "compute y [95% CI]", "theory", "note"):
        exps.add_column(name)
    for model, e in result.exponents.items():
        span = f"{e.n_range[0]:,}–{e.n_range[1]:,}" if e.n_range else "–"
        exps.add_row(
            model,
            span,
            _fmt_ci(e.data, e.data_ci),
            _fmt_ci(e.compute, e.compute_ci),
            f"{e.theory_data:g} / {e.theory_compute:g}",
            e.note,
        )
    console.print(exps)
    console.print(
        "Theory: fixed parameters → k² data and k² compute; parameters growing with the data → "
        "k⁴ compute (dlcost.simulation.theory)."
    )
    for key, value in result.crossover_n.items():
        model = key.split("_vs_")[0]
        where = f"n ≈ {value:,.0f}" if value is not None else "not within the grid"
        console.print(f"{model} overtakes the expert at {where}")
    console.print(
        f"{fmt.quantity(result.total_flop, 'FLOP')} of fits simulated with "
        f"{fmt.quantity(result.engine_flop, 'FLOP')} in "
        f"{result.wall_seconds:.1f} s ({result.reps_from_cache} repetitions from the cache)"
    )
    if result.cache_path is not None:
        console.print(f"Results: {result.cache_path}")


def simulate(
    features: int = typer.Option(1000, "--features", help="Candidate features p."),
    relevant: int = typer.Option(10, "--relevant", help="Relevant features s."),
    expert_correct: int | None = typer.Option(
        None, "--expert-correct", help="Relevant features among the expert's s (default s − 1)."
    ),
    reps: int = typer.Option(1000, "--reps", help="Repetitions."),
    n_min: int = typer.Option(20, "--n-min", help="Smallest sample size."),
    n_max: int = typer.Option(20_000, "--n-max", help="Largest sample size."),
    n_points: int = typer.Option(15, "--n-points", help="Log-spaced sample sizes."),
    noise_sd: float = typer.Option(1.0, "--noise-sd", help="Noise standard deviation σ."),
    coefficients: Coefficients = typer.Option(
        Coefficients.gaussian,
        "--coefficients",
        help="gaussian: β ~ N(0, 1) drawn per repetition; equal: every β = 1.",
    ),
    lasso_alpha: LassoAlpha = typer.Option(
        LassoAlpha.universal,
        "--lasso-alpha",
        help="universal: σ·√(2 ln p / n); cv: cross-validated (about 12× slower).",
    ),
    cv_folds: int = typer.Option(5, "--cv-folds", help="Folds for --lasso-alpha cv."),
    seed: int = typer.Option(0, "--seed", help="Random seed (same seed, same numbers)."),
    workers: int | None = typer.Option(
        None, "--workers", help="Parallel work units (default: one per usable CPU)."
    ),
    backend: Backend = typer.Option(
        Backend.process,
        "--backend",
        help="process: local processes; ray: Ray tasks (needs dlcost\\[ray]).",
    ),
    block_size: int = typer.Option(10, "--block-size", help="Repetitions per work unit."),
    out: Path | None = typer.Option(
        None,
        "--out",
        help="Directory for the Parquet cache and results (default: the user cache directory).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Simulate expert vs flexible models; measure the k² law's exponents and the crossover.

    A linear truth over p Gaussian features, s of which matter. Four models:
    oracle (OLS on the s true features), expert (OLS on s features, some wrong),
    flexible (OLS on all p) and Lasso (all p). See docs/simulation.md.

    Finished work units are cached as Parquet under --out: an interrupted run
    resumes, and a longer run reuses a shorter one.
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from dlcost.simulation import (
        SimulationSettings,
        check_run_options,
        default_cache_dir,
        run_simulation,
    )

    settings = SimulationSettings(
        features=features,
        relevant=relevant,
        expert_correct=expert_correct,
        reps=reps,
        n_min=n_min,
        n_max=n_max,
        n_points=n_points,
        noise_sd=noise_sd,
        coefficients=coefficients.value,
        lasso_alpha=lasso_alpha.value,
        cv_folds=cv_folds,
        seed=seed,
        block_size=block_size,
    )
    check_run_options(workers, backend.value)
    stderr = new_console(stderr=True)
    with Progress(
        TextColumn("simulating"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("repetitions"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=stderr,
        transient=True,
        disable=not stderr.is_terminal,
    ) as bar:
        task = bar.add_task("simulate", total=settings.reps)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        result = run_simulation(
            settings,
            workers=workers,
            backend=backend.value,
            cache_dir=out if out is not None else default_cache_dir(),
            progress=progress,
        )
    result.save()
    if as_json:
        emit_json(result.to_json_dict())
    else:
        _print_human(result, new_console())


def register(app: typer.Typer) -> None:
    """Add ``dlcost simulate`` to the root app."""
    app.command("simulate")(simulate)
