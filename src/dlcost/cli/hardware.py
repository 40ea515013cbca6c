"""``dlcost hardware``: list the accelerator catalogue and show one chip with its sources."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

import typer

from dlcost import formatting as fmt
from dlcost.cli._common import emit_json, new_app, new_console

if TYPE_CHECKING:
    from dlcost.data.accelerators import Chip

app = new_app(
    "The accelerator catalogue: dense peak FLOP/s by precision, power, price and sources."
)

_TERA = 1e12


class Kind(StrEnum):
    """The ``kind`` column of the catalogue."""

    gpu = "gpu"
    tpu = "tpu"
    cpu = "cpu"
    asic = "asic"


def _tflops(value: float | None) -> str:
    """TFLOP/s, about 3 significant digits, never in e-notation ("" when unknown)."""
    return "" if value is None else fmt.sci(value / _TERA, digits=3)


def _summary(chip: Chip) -> dict[str, Any]:
    """The chip's fields plus both conventions' peaks, for JSON output."""
    from dataclasses import asdict

    return {
        **chip.to_dict(),
        "burden_peak": asdict(chip.burden_peak()),
        "training_peak": asdict(chip.training_peak()),
    }


@app.command("list")
def list_(
    kind: Kind | None = typer.Option(None, "--kind", help="Only this kind of chip."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """List every chip: peak TFLOP/s by precision (dense), power, and the hardware-burden peak."""
    from dlcost.data.accelerators import BURDEN_ORDER, list_chips

    chips = list_chips(kind.value if kind else None)
    if as_json:
        emit_json([_summary(chip) for chip in chips])
        return

    from rich import box
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"Accelerator catalogue: {len(chips)} rows, dense peak TFLOP/s per unit",
                  box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    table.add_column("name", no_wrap=True)
    table.add_column("year")
    for header in ("FP32", "TF32", "16-bit", "FP8", "TDP W", "burden"):
        table.add_column(header, justify="right", no_wrap=True)
    for chip in chips:
        peaks = chip.peak_flop_per_s
        burden = chip.burden_peak()
        fallback = "*" if burden.precision != BURDEN_ORDER[chip.kind][0] else ""
        table.add_row(
            escape(chip.name if chip.unit == "chip" else f"{chip.name} [{chip.unit}]"),
            str(chip.release_date.year) if chip.release_date else "",
            _tflops(peaks.get("fp32")), _tflops(peaks.get("tf32")),
            _tflops(peaks.get("fp16_tensor")), _tflops(peaks.get("fp8")),
            f"{chip.tdp_w:g}" if chip.tdp_w else "",
            _tflops(burden.flop_per_s) + fallback,
        )
    console = new_console()
    console.print(table)
    console.print("16-bit: dense FP16/BF16 tensor. burden: the peak of Thompson et al.'s hardware "
                  "burden (FP32 for GPUs and CPUs, 16-bit for TPUs and ASICs; * marks a fallback)."
                  " `dlcost hardware show NAME` gives every field and source.")


@app.command("show")
def show(
    name: str = typer.Argument(..., help="A chip name or alias, e.g. 'V100' or 'Cloud TPU v3'."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Show every field of one chip, its sources, and which peak the hardware burden uses."""
    from dlcost.data.accelerators import PRECISION_LABELS, get_chip

    chip = get_chip(name)
    if as_json:
        emit_json(_summary(chip))
        return

    from rich.markup import escape
    from rich.table import Table

    burden, training = chip.burden_peak(), chip.training_peak()
    table = Table(title=escape(chip.name), show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value", overflow="fold")
    fields: list[tuple[str, str]] = [
        ("aliases", "; ".join(chip.aliases)),
        ("kind", chip.kind),
        ("manufacturer", chip.manufacturer),
        ("release date", chip.release_date.isoformat() if chip.release_date else "unknown"),
        ("unit (one row counts)", chip.unit),
        ("cores per unit", str(chip.cores_per_unit) if chip.cores_per_unit else ""),
    ]
    fields += [(f"peak {PRECISION_LABELS[p]}", f"{_tflops(v)} TFLOP/s")
               for p, v in chip.peak_flop_per_s.items()]
    fields += [
        ("TDP", f"{chip.tdp_w:g} W" if chip.tdp_w else "not published"),
        ("launch price", f"USD {chip.launch_price_usd:,.0f}" if chip.launch_price_usd
         else "not public"),
        ("hardware-burden peak", f"{_tflops(burden.flop_per_s)} TFLOP/s — {burden.reason}"),
        ("training peak (Epoch AI)", f"{_tflops(training.flop_per_s)} TFLOP/s — "
                                     f"{training.reason}"),
        ("source", chip.source_url),
        ("source note", chip.source_note),
        ("notes", chip.notes),
    ]
    for label, value in fields:
        table.add_row(label, escape(value))
    new_console().print(table)
