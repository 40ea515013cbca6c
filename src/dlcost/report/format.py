"""How numbers are written on the page. Presentation only: these never compute a quantity.

Projections span dozens of orders of magnitude, so large values are written as powers of ten
with superscripts (``3.1×10²⁷``) and small multiples in plain digits (``16×``).
"""

from __future__ import annotations

import math
from typing import Any

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def sci(value: float | None, digits: int = 2) -> str:
    """``3.1×10²⁷``; plain digits between 0.01 and 10,000; ``∞`` for infinity."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if value == 0:
        return "0"
    if 0.01 <= abs(value) < 10_000:
        return f"{value:,.{digits}g}" if abs(value) < 1000 else f"{value:,.0f}"
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    power = str(int(exponent)).translate(_SUPERSCRIPT)
    if mantissa in ("1", "1.0", "1.00"):
        return f"10{power}"
    return f"{mantissa}×10{power}"


def superscript(exponent: float) -> str:
    """``⁴`` for whole exponents, ``^4.5`` otherwise."""
    if float(exponent).is_integer():
        return str(int(exponent)).translate(_SUPERSCRIPT)
    return f"^{exponent:.3g}"


def power(base: float, exponent: float) -> str:
    """``2⁴``."""
    return f"{base:g}{superscript(exponent)}"


def multiple(value: float | None) -> str:
    """A compute multiple: ``16×``, ``2,050×``, ``3.1×10⁸×``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if math.isinf(value):
        return "∞"
    if value < 100:
        return f"{value:.3g}×"
    if value < 1_000_000:
        return f"{value:,.0f}×" if value >= 1000 else f"{value:.3g}×"
    return f"{sci(value)}×"


def interval(lo: float | None, hi: float | None, fmt: Any = sci) -> str:
    """``a – b`` with the given formatter (``—`` when missing)."""
    if lo is None or hi is None or (isinstance(lo, float) and math.isnan(lo)) or (
            isinstance(hi, float) and math.isnan(hi)):
        return "—"
    return f"{fmt(lo)} – {fmt(hi)}"


def percent(error: float | None, digits: int = 3) -> str:
    """An error rate as a percentage: ``11.5%``."""
    if error is None or (isinstance(error, float) and math.isnan(error)):
        return "—"
    return f"{100 * error:.{digits}g}%"


def share(value: float | None) -> str:
    """A share of a total as a whole percentage (may be negative or above 100%)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return f"{100 * value:,.0f}%"


def number(value: float | None, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, float) and math.isinf(value):
        return "∞" if value > 0 else "−∞"
    return f"{value:.{digits}g}"


def fixed(value: float | None, decimals: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:.{decimals}f}"


def integer(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{int(value):,}"


def usd(value: float | None) -> str:
    return "—" if value is None else f"${sci(value)}"
