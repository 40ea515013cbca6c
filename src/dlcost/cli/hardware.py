"""``dlcost hardware``: list the accelerator catalogue and show one chip with its sources."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any

import typer

from dlcost.cli._common import emit_json, new_app

if TYPE_CHECKING:
    from dlcost.data.accelerators import Chip

app = new_app(
    "The accelerator catalogue: dense peak FLOP/s by precision, power, price and sources."
)

_TERA = 1e12


class Kind(str, Enum):
    """The ``kind`` column of the catalogue."""

    gpu = "gpu"
    tpu = "tpu"
    cpu = "cpu"
    asic = "asic"


def _tflops(value: float | None) -> str:
    return "" if value is None else f"{value / _TERA:,.4g}"


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
    from dlcost.data.accelerators import list_chips

    chips = list_chips(kind.value if kind else None)
    if as_json:
        emit_json([_summary(chip) for chip in chips])
        return

    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Accelerator catalogue ({len(chips)} rows; dense peaks in TFLOP/s "
                        "per unit)")
    for header in ("name", "kind", "unit", "released", "FP32", "TF32", "FP16/BF16 tensor",
                   "FP8", "TDP W", "burden peak"):
        justify = "right" if header not in ("name", "kind", "unit", "released") else "left"
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    for chip in chips:
        peaks = chip.peak_flop_per_s
        burden = chip.burden_peak()
        table.add_row(
            chip.name, chip.kind, chip.unit,
            chip.release_date.isoformat() if chip.release_date else "",
            _tflops(peaks.get("fp32")), _tflops(peaks.get("tf32")),
            _tflops(peaks.get("fp16_tensor")), _tflops(peaks.get("fp8")),
            f"{chip.tdp_w:g}" if chip.tdp_w else "",
            f"{_tflops(burden.flop_per_s)} ({burden.precision})",
        )
    Console().print(table)


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

    from rich.console import Console
    from rich.table import Table

    burden, training = chip.burden_peak(), chip.training_peak()
    table = Table(title=chip.name, show_header=False)
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
        table.add_row(label, value)
    Console().print(table)
