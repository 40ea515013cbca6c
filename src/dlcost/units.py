"""Units: exact conversion constants and small formatting helpers.

dlcost speaks SI floats with the unit in the name (``flop``, ``seconds``, ``kwh``, ``usd``,
``kg_co2e``). Every conversion constant here is exact by definition; none is a rounded
decimal.
"""

from __future__ import annotations

import math

SECONDS_PER_MINUTE = 60
SECONDS_PER_HOUR = 60 * 60
SECONDS_PER_DAY = 24 * SECONDS_PER_HOUR
SECONDS_PER_WEEK = 7 * SECONDS_PER_DAY
#: Julian year (365.25 days), the astronomers' and the SI brochure's year.
SECONDS_PER_YEAR = 365.25 * SECONDS_PER_DAY
#: A month as one twelfth of a Julian year (used only for "N months" in papers).
SECONDS_PER_MONTH = SECONDS_PER_YEAR / 12

FLOP_PER_GFLOP = 10**9
FLOP_PER_TFLOP = 10**12
FLOP_PER_PFLOP = 10**15
#: One multiply-accumulate is two floating-point operations (a multiply and an add).
FLOP_PER_MULTIPLY_ADD = 2

JOULES_PER_KWH = 3_600_000  # 1 kWh = 1000 W × 3600 s
KWH_PER_MWH = 1000
KG_PER_TONNE = 1000
#: Avoirdupois pound, exact by the 1959 international yard and pound agreement.
KG_PER_POUND = 0.45359237


def flop_to_gflop(flop: float) -> float:
    """FLOP → GFLOP (the unit of the paper's projection table)."""
    return flop / FLOP_PER_GFLOP


def gflop_to_flop(gflop: float) -> float:
    """GFLOP → FLOP."""
    return gflop * FLOP_PER_GFLOP


def multiply_adds_to_flop(macs: float) -> float:
    """Multiply-accumulates → FLOP (× 2)."""
    return macs * FLOP_PER_MULTIPLY_ADD


def pounds_to_kg(pounds: float) -> float:
    """Avoirdupois pounds → kilograms."""
    return pounds * KG_PER_POUND


def kwh_from_watts_seconds(watts: float, seconds: float) -> float:
    """Energy in kWh of a constant power draw over a time."""
    return watts * seconds / JOULES_PER_KWH


def format_si(value: float, unit: str, digits: int = 2) -> str:
    """Format ``value`` with an SI prefix: ``format_si(1.58e12, "FLOP/s") == "1.58 TFLOP/s"``."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g} {unit}"
    prefixes = [(1e24, "Y"), (1e21, "Z"), (1e18, "E"), (1e15, "P"), (1e12, "T"),
                (1e9, "G"), (1e6, "M"), (1e3, "k"), (1.0, "")]
    for scale, prefix in prefixes:
        if abs(value) >= scale:
            return f"{value / scale:.{digits}f} {prefix}{unit}"
    return f"{value:.{digits}g} {unit}"


def format_flop(flop: float) -> str:
    """``1.6e18 FLOP``: two significant digits in scientific notation, as papers write compute."""
    if flop == 0 or not math.isfinite(flop):
        return f"{flop:g} FLOP"
    mantissa, exponent = f"{flop:.1e}".split("e")
    return f"{mantissa}e{int(exponent)} FLOP"


def format_seconds(seconds: float) -> str:
    """A training time in the unit a paper would use: ``6.0 days``, ``84.0 h``, ``2.5 min``."""
    if seconds >= 2 * SECONDS_PER_DAY:
        return f"{seconds / SECONDS_PER_DAY:.1f} days"
    if seconds >= 2 * SECONDS_PER_HOUR:
        return f"{seconds / SECONDS_PER_HOUR:.1f} h"
    if seconds >= 2 * SECONDS_PER_MINUTE:
        return f"{seconds / SECONDS_PER_MINUTE:.1f} min"
    return f"{seconds:.0f} s"
