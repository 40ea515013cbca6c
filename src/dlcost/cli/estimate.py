"""``dlcost estimate``: compute of one training run from its facts."""

from __future__ import annotations

import typer

from dlcost.cli._common import emit_json, fraction, new_app, new_console, positive

app = new_app("Estimate the compute of a training run (hardware burden or network operations).")


def _print(estimate: object, as_json: bool) -> None:
    if as_json:
        emit_json(estimate.to_dict())  # type: ignore[attr-defined]
        return

    console = new_console()
    console.print(str(estimate))
    for note in getattr(estimate, "assumptions", ()):
        console.print(f"  [dim]assumption: {note}[/dim]")


@app.command("hardware")
def hardware(
    chip: str = typer.Option(
        ..., "--chip", help="Chip name, e.g. 'V100' (see dlcost hardware list)."
    ),
    count: float = typer.Option(..., "--count", callback=positive, help="Number of chips."),
    hours: float | None = typer.Option(None, "--hours", callback=positive,
                                       help="Wall-clock training time in hours."),
    days: float | None = typer.Option(None, "--days", callback=positive,
                                      help="Wall-clock training time in days."),
    time: str | None = typer.Option(
        None, "--time", help="Training time as a paper writes it, e.g. '5-6 days'."
    ),
    utilization: float | None = typer.Option(
        None, "--utilization", callback=fraction,
        help="Give Epoch AI's training compute instead: chips × training-precision peak × "
             "time × this fraction of peak.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Hardware burden: chips × peak FLOP/s × training time (no utilization)."""
    from dlcost.compute import hardware_estimate
    from dlcost.exceptions import EstimationError
    from dlcost.units import SECONDS_PER_DAY, SECONDS_PER_HOUR

    given = [name for name, v in (("--hours", hours), ("--days", days), ("--time", time))
             if v is not None]
    if len(given) != 1:
        raise EstimationError(
            "give exactly one of --hours, --days or --time"
            + (f" (got {' and '.join(given)})" if given else "")
        )
    if time is not None:
        estimate = hardware_estimate(chip, count, time=time, utilization=utilization)
    else:
        seconds = hours * SECONDS_PER_HOUR if hours is not None else days * SECONDS_PER_DAY  # type: ignore[operator]
        estimate = hardware_estimate(chip, count, seconds=seconds, utilization=utilization)
    _print(estimate, as_json)


@app.command("operations")
def operations(
    flops_per_pass: float = typer.Option(
        ..., "--flops-per-pass", callback=positive,
        help="FLOP of one forward pass on one example."
    ),
    epochs: float = typer.Option(..., "--epochs", callback=positive,
                                 help="Passes over the training set."),
    examples: float = typer.Option(..., "--examples", callback=positive,
                                   help="Training examples per epoch."),
    multiadds: bool = typer.Option(
        False, "--multiadds", help="--flops-per-pass is in multiply-adds (× 2 FLOP)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Network operations: FLOP per forward pass × 3 × epochs × examples."""
    from dlcost.compute import Phase, network_operations
    from dlcost.units import multiply_adds_to_flop

    ops = multiply_adds_to_flop(flops_per_pass) if multiadds else flops_per_pass
    if not ops > 0:
        from dlcost.exceptions import EstimationError

        raise EstimationError(f"--flops-per-pass must be positive; got {flops_per_pass:g}")
    estimate = network_operations([Phase(examples=examples, epochs=epochs)], ops)
    _print(estimate, as_json)
