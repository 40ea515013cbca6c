"""Section 5: why theory expected steep costs — the k²/k⁴ argument and the simulation."""

from __future__ import annotations

from typing import Any

from dlcost.exceptions import DlcostError
from dlcost.plotting.style import MODEL_LABELS
from dlcost.report import format as F
from dlcost.report.context import ReportContext
from dlcost.report.model import (
    Column,
    Prose,
    ReportTable,
    Section,
    Unavailable,
    figure_from,
    qualified_name,
)

HOW_TO_READ = (
    "The simulation asks why flexible models cost so much. The truth is a simple linear rule "
    "that uses a few of many candidate inputs. An 'expert' model is handed a few inputs, one of "
    "them wrong: it learns fast from little data, then stalls. 'Flexible' models are handed all "
    "the inputs and must find the right ones: they start badly but keep improving, and "
    "eventually overtake the expert — at a far higher cost in data and computation.",
    "Both panels plot performance (higher is better; one unit is a tenfold smaller excess "
    "error) against data points on the left and against the computation each fit took on the "
    "right, both on logarithmic scales. Shaded bands are ±{band_se:g} standard errors of the mean "
    "over repetitions.",
)

_MODEL_LABELS = MODEL_LABELS


def simulation_settings(ctx: ReportContext) -> Any:
    """The simulation the report runs: the paper's scale with ``--full``, else fewer reps."""
    return ctx.simulation_settings()


def scale_note(sim: Any) -> str:
    """"paper scale", or how far below it a run is and how to get it."""
    paper = type(sim)().reps
    if sim.reps >= paper:
        return "the paper's scale"
    return f"reduced from the paper's {paper:,} (rerun with --full)"


def start_simulation(ctx: ReportContext, executor: Any = None) -> None:
    """Start the simulation in the background, so it runs while the other sections build
    (as a task of ``executor``, the build's worker pool, when given).

    Finished work units are cached (``$DLCOST_CACHE_DIR``), so a second report reuses them.
    """
    ctx.start_simulation(executor)


def stop_simulation(ctx: ReportContext) -> None:
    """Stop a background run that is no longer wanted (the build failed) and wait for it."""
    ctx.stop_simulation()


def simulation_result(ctx: ReportContext) -> Any:
    """The simulation's result (waits for the background run, or runs it now)."""
    return ctx.simulation_result()


def exponents_frame(result: Any) -> Any:
    import pandas as pd

    records = []
    for model, e in result.exponents.items():
        d = e.to_dict()
        records.append({
            "model": model, "label": _MODEL_LABELS.get(model, model),
            "data_exponent": d["data"], "data_lo": d["data_ci"][0], "data_hi": d["data_ci"][1],
            "compute_exponent": d["compute"], "compute_lo": d["compute_ci"][0],
            "compute_hi": d["compute_ci"][1], "theory_data": d["theory_data"],
            "theory_compute": d["theory_compute"],
            "n_from": d["n_range"][0] if d["n_range"] else None,
            "n_to": d["n_range"][1] if d["n_range"] else None,
            "points": d["points"], "confidence": d["confidence"], "note": d["note"],
        })
    return pd.DataFrame(records)


def theory(ctx: ReportContext) -> Section:
    import numpy as np

    from dlcost.plotting.report_figures import simulation_figure
    from dlcost.plotting.simulation import BAND_SE, MODEL_COLORS, X_LABELS, Y_LABEL
    from dlcost.simulation.theory import OVERPARAMETERIZED, STATISTICAL

    section = Section("theory", "Why theory expected it",
                      [p.format(band_se=BAND_SE) for p in HOW_TO_READ])
    section.blocks.append(Prose(["Data: none from the store: the simulation draws its own "
                                 "data (its settings are below), the theory is closed-form."]))
    k = 10.0
    k_over = F.superscript(OVERPARAMETERIZED.compute_exponent)
    section.blocks.append(Prose([
        f"The statistical part. An error that shrinks like one over the square root of the data "
        f"needs k{F.superscript(STATISTICAL.data_exponent)} times the data to get k times smaller. "
        f"For a model of fixed size, compute grows like the data, so the compute also grows as "
        f"k{F.superscript(STATISTICAL.compute_exponent)}.",
        f"The over-parameterization part. Deep networks grow their parameters with their data, "
        f"and each pass over the data costs in proportion to the parameters. Compute then grows "
        f"like the square of the data: at least k{k_over} for a k-fold improvement, so a "
        f"{F.number(k)}-fold improvement needs at least "
        f"{F.multiple(OVERPARAMETERIZED.compute_factor(k))} the compute, and halving an error "
        f"at least {F.multiple(OVERPARAMETERIZED.compute_factor(2.0))}. Section 1 compares that "
        "bound with the exponents actually observed.",
    ]))
    try:
        result = simulation_result(ctx)
    except (DlcostError, OSError, RuntimeError) as exc:  # e.g. worker processes cannot start
        section.blocks.append(Unavailable("the simulation", f"{type(exc).__name__}: {exc}"))
        return section
    s = result.settings
    reps = result.excess.shape[0]
    curves = {}
    for model in result.models:
        perf = result.performance(model)
        keep = np.isfinite(perf)  # NaN where the model is undefined (OLS at n ≤ p)
        curves[model] = {
            "label": _MODEL_LABELS.get(model, model),
            "n": result.n[keep], "flop": result.mean_flop(model)[keep],
            "performance": perf[keep], "se": result.standard_error(model)[keep],
        }
    scale = scale_note(s)
    section.blocks.append(figure_from(
        simulation_figure, curves, colors=MODEL_COLORS, band_se=BAND_SE, y_label=Y_LABEL,
        x_labels=X_LABELS,
        id="fig-simulation",
        title="Expert versus flexible models: performance against data and against compute",
        caption=f"{s.features:,} candidate features of which {s.relevant} matter; the expert "
                f"uses {s.expert_correct} right and {s.expert_wrong} wrong. Averages over "
                f"{reps:,} repetitions, {scale}. Seed {s.seed}.",
        inputs=f"dlcost.simulation.run_simulation, {reps:,} repetitions",
    ))
    cross = result.crossover_n
    section.blocks.append(Prose([
        "Where the flexible models overtake the expert: "
        + "; ".join(
            f"{_MODEL_LABELS[key.split('_vs_')[0]].split(' (')[0].lower()} from n ≈ "
            f"{F.integer(value)} data points" if value is not None else
            f"{_MODEL_LABELS[key.split('_vs_')[0]].split(' (')[0].lower()}: not within the "
            "simulated range"
            for key, value in cross.items()
        ) + "."
    ]))
    section.blocks.append(ReportTable(
        id="table-simulation-exponents",
        title="Measured exponents: data and compute for a k-fold improvement",
        frame=exponents_frame(result),
        columns=[
            Column("label", "Model"),
            Column("data_exponent", "Data exponent", F.number, numeric=True),
            Column("data_lo", "low", F.number, numeric=True),
            Column("data_hi", "high", F.number, numeric=True),
            Column("compute_exponent", "Compute exponent", F.number, numeric=True),
            Column("compute_lo", "low", F.number, numeric=True),
            Column("compute_hi", "high", F.number, numeric=True),
            Column("theory_compute", "Theory", F.number, numeric=True),
            Column("note", "Note"),
        ],
        maker=qualified_name(exponents_frame),
        caption="Data ∝ k^(data exponent) and FLOP per fit ∝ k^(compute exponent) for a k-fold "
                "smaller error, fitted where each model is still improving, with bootstrap "
                "intervals over repetitions. The expert plateaus, so its exponents are large "
                "or undefined.",
    ))
    section.blocks.append(ReportTable(
        id="table-simulation-curves",
        title="The simulated curves",
        frame=result.to_frame(),
        columns=[
            Column("model", "Model"),
            Column("n", "Data points", F.integer, numeric=True),
            Column("performance", "Performance", lambda v: F.fixed(v, 3), numeric=True),
            Column("se", "s.e.", lambda v: F.fixed(v, 3), numeric=True),
            Column("flop", "FLOP per fit", F.sci, numeric=True),
        ],
        maker=qualified_name(type(result).to_frame),
        collapsed=True,
    ))
    return section
