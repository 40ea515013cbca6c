"""Units: exact conversion constants and small formatting helpers.

dlcost speaks SI floats with the unit in the name (``flop``, ``seconds``, ``kwh``, ``usd``,
``kg_co2e``). Every conversion constant here is exact by definition; none is a rounded
decimal.
"""

from __future__ import annotations

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
