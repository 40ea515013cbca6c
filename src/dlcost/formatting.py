"""How dlcost writes numbers for people: the one formatter of the CLI, the report and labels.

Presentation only: nothing here computes a quantity. Two styles, never mixed in one place:

- ``"text"`` (the terminal, logs, CSV-adjacent labels): ``1.2e26``, ``$3.4e9``;
- ``"html"`` (the report, hover text, figure labels): ``1.2×10²⁶``, ``$3.4×10⁹``.

Shared rules: years are plain integers (``2012``, never ``2,012``); values between 0.01 and
10,000 are written in plain digits; durations use the natural unit (``13.8 years``, not
``20100.0 days``); a missing value is ``—``. Values at or past :data:`LARGEST_MEANINGFUL`
(including infinity) are written as "beyond 10³⁰⁰" (:data:`UNBOUNDED_NOTE` says why) instead
of digits that only mean "the arithmetic overflowed".
"""

from __future__ import annotations

import math
from typing import Any, Literal

from dlcost.units import SECONDS_PER_DAY, SECONDS_PER_HOUR, SECONDS_PER_MINUTE, SECONDS_PER_YEAR

Style = Literal["text", "html"]

#: Magnitudes from here on are shown as "beyond 10³⁰⁰". A double-precision float overflows
#: at 1.8×10³⁰⁸, so a projection this large is a few multiplications from infinity: its digits
#: carry no information, only that the fitted curve never reaches the target in practice.
LARGEST_MEANINGFUL = 1e300
_LARGEST_EXPONENT = 300

#: The sentence shown beside an unbounded value.
UNBOUNDED_NOTE = (
    "Values beyond 10³⁰⁰ are shown as unbounded: they are a few steps from overflowing a "
    "double-precision number (largest 1.8×10³⁰⁸), so the fitted curve does not reach that "
    "target at any compute that means anything."
)

MISSING = "—"

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(math.isnan(float(value)))
    except (TypeError, ValueError):
        return True


def superscript(exponent: float) -> str:
    """``⁴`` for whole exponents, ``^4.5`` otherwise."""
    if float(exponent).is_integer():
        return str(int(exponent)).translate(_SUPERSCRIPT)
    return f"^{exponent:.3g}"


def power_of_ten(exponent: int, style: Style = "text") -> str:
    """``10³⁰⁰`` (html) or ``1e300`` (text)."""
    return f"10{superscript(exponent)}" if style == "html" else f"1e{exponent}"


def is_unbounded(value: float) -> bool:
    """True for infinities and magnitudes at or past :data:`LARGEST_MEANINGFUL`."""
    return math.isinf(value) or abs(value) >= LARGEST_MEANINGFUL


def unbounded(value: float, style: Style = "text") -> str:
    """``beyond 10³⁰⁰`` (or ``beyond −10³⁰⁰`` for large negatives)."""
    sign = "−" if value < 0 and style == "html" else ("-" if value < 0 else "")
    return f"beyond {sign}{power_of_ten(_LARGEST_EXPONENT, style)}"


def sci(value: float | None, style: Style = "text", digits: int = 2) -> str:
    """A number of any size: plain digits between 0.01 and 10,000, else ``1.2e26`` (text) or
    ``1.2×10²⁶`` (html) with ``digits`` significant digits."""
    if _missing(value):
        return MISSING
    x = float(value)  # type: ignore[arg-type]
    if is_unbounded(x):
        return unbounded(x, style)
    if x == 0:
        return "0"
    if 0.01 <= abs(x) < 10_000:
        return f"{x:,.{digits}g}" if abs(x) < 10 ** digits else f"{x:,.0f}"
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    exp = int(exponent)
    if style == "text":
        return f"{mantissa}e{exp}"
    if mantissa in ("1", "1.0", "1.00"):
        return power_of_ten(exp, style)
    return f"{mantissa}×{power_of_ten(exp, style)}"


def quantity(value: float | None, unit: str, style: Style = "text", digits: int = 2) -> str:
    """``1.2e26 FLOP`` / ``1.2×10²⁶ FLOP``."""
    text = sci(value, style, digits)
    return text if text == MISSING else f"{text} {unit}"


def usd(value: float | None, style: Style = "text", digits: int = 2) -> str:
    """``$3.4e9`` / ``$3.4×10⁹``."""
    text = sci(value, style, digits)
    if text == MISSING or text.startswith("beyond"):
        return text if text == MISSING else f"{text} dollars"
    return f"-${text[1:]}" if text.startswith("-") else f"${text}"


def multiple(value: float | None, style: Style = "text") -> str:
    """A ratio: ``0.5×``, ``16×``, ``2,050×``, ``3.1e8×`` / ``3.1×10⁸×``."""
    if _missing(value):
        return MISSING
    x = float(value)  # type: ignore[arg-type]
    if is_unbounded(x):
        return f"{unbounded(x, style)}×"
    if x < 100:
        return f"{x:.3g}×"
    if x < 1_000_000:
        return f"{x:,.0f}×" if x >= 1000 else f"{x:.3g}×"
    return f"{sci(x, style)}×"


def year(value: Any) -> str:
    """A calendar year as a plain integer: ``2012`` (a fractional year keeps one decimal)."""
    if _missing(value):
        return MISSING
    x = float(value)
    return str(int(x)) if x.is_integer() else f"{x:.1f}"


def integer(value: Any) -> str:
    """A count with thousands separators: ``12,000``."""
    if _missing(value):
        return MISSING
    return f"{int(value):,}"


def number(value: float | None, digits: int = 3) -> str:
    """A plain number with ``digits`` significant digits (``0.0908``)."""
    if _missing(value):
        return MISSING
    x = float(value)  # type: ignore[arg-type]
    if math.isinf(x):
        return "unbounded" if x > 0 else "−unbounded"
    return f"{x:.{digits}g}"


def fixed(value: float | None, decimals: int = 3) -> str:
    """A number with a fixed number of decimals (coefficients, R²)."""
    if _missing(value):
        return MISSING
    return f"{float(value):.{decimals}f}"  # type: ignore[arg-type]


def percent(error: float | None, digits: int = 3) -> str:
    """A rate as a percentage: ``11.5%``."""
    if _missing(error):
        return MISSING
    return f"{100 * float(error):.{digits}g}%"  # type: ignore[arg-type]


def share(value: float | None) -> str:
    """A share of a total as a whole percentage (may be negative or above 100%)."""
    if _missing(value) or not math.isfinite(float(value)):  # type: ignore[arg-type]
        return MISSING
    return f"{100 * float(value):,.0f}%"  # type: ignore[arg-type]


def interval(lo: float | None, hi: float | None, fmt: Any = sci) -> str:
    """``a – b`` with the given formatter (``—`` when either end is missing)."""
    if _missing(lo) or _missing(hi):
        return MISSING
    return f"{fmt(lo)} – {fmt(hi)}"


def bracket(lo: float | None, hi: float | None, fmt: Any = sci) -> str:
    """``[a, b]``: an interval beside its estimate in a table cell."""
    if _missing(lo) or _missing(hi):
        return MISSING
    return f"[{fmt(lo)}, {fmt(hi)}]"


def si(value: float, unit: str, digits: int = 2) -> str:
    """An SI prefix: ``si(1.58e12, "FLOP/s") == "1.58 TFLOP/s"``."""
    if _missing(value):
        return MISSING
    if value == 0 or not math.isfinite(value):
        return f"{sci(value)} {unit}"
    prefixes = [(1e24, "Y"), (1e21, "Z"), (1e18, "E"), (1e15, "P"), (1e12, "T"),
                (1e9, "G"), (1e6, "M"), (1e3, "k"), (1.0, "")]
    for scale, prefix in prefixes:
        if abs(value) >= scale:
            return f"{value / scale:.{digits}f} {prefix}{unit}"
    return f"{value:.{digits}g} {unit}"


def duration(seconds: float, *, of: str = "") -> str:
    """A duration in its natural unit: ``45 s``, ``2.5 min``, ``84.0 h``, ``6.0 days``,
    ``13.8 years``; ``of`` names what the time is of (``"core-time"``)."""
    if _missing(seconds):
        return MISSING
    s = float(seconds)
    suffix = f" of {of}" if of else ""
    if math.isinf(s):
        return f"unbounded{suffix}"
    if s >= 2 * SECONDS_PER_YEAR:
        text = f"{s / SECONDS_PER_YEAR:,.1f} years"
    elif s >= 2 * SECONDS_PER_DAY:
        text = f"{s / SECONDS_PER_DAY:.1f} days"
    elif s >= 2 * SECONDS_PER_HOUR:
        text = f"{s / SECONDS_PER_HOUR:.1f} h"
    elif s >= 2 * SECONDS_PER_MINUTE:
        text = f"{s / SECONDS_PER_MINUTE:.1f} min"
    else:
        text = f"{s:.0f} s"
    return text + suffix


def decades(value: float | None) -> str:
    """Orders of magnitude: ``2.3 decades``; unbounded ones as ``unbounded``."""
    if _missing(value):
        return MISSING
    x = float(value)  # type: ignore[arg-type]
    if math.isinf(x) or x >= _LARGEST_EXPONENT:
        return "unbounded"
    return f"{x:.1f} decades"
