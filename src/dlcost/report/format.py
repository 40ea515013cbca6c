"""How numbers are written on the report's pages: :mod:`dlcost.formatting` in its html style.

Only the style is fixed here (``1.2×10²⁶``, never ``1.2e26``); every rule lives in
:mod:`dlcost.formatting`, the one formatter of the CLI, the report and figure labels.
"""

from __future__ import annotations

from typing import Any

from dlcost import formatting as _f
from dlcost.formatting import (
    UNBOUNDED_NOTE,
    decades,
    duration,
    fixed,
    integer,
    is_unbounded,
    number,
    percent,
    share,
    superscript,
    year,
)

__all__ = ["UNBOUNDED_NOTE", "decades", "duration", "fixed", "integer", "interval",
           "is_unbounded", "multiple", "number", "percent", "power", "quantity", "sci",
           "share", "superscript", "usd", "year"]


def sci(value: float | None, digits: int = 2) -> str:
    """``3.1×10²⁷``; plain digits between 0.01 and 10,000; "beyond 10³⁰⁰" past any meaning."""
    return _f.sci(value, "html", digits)


def quantity(value: float | None, unit: str, digits: int = 2) -> str:
    """``3.1×10²⁷ FLOP``."""
    return _f.quantity(value, unit, "html", digits)


def usd(value: float | None) -> str:
    """``$3.1×10⁹``."""
    return _f.usd(value, "html")


def multiple(value: float | None) -> str:
    """A compute multiple: ``16×``, ``2,050×``, ``3.1×10⁸×``."""
    return _f.multiple(value, "html")


def power(base: float, exponent: float) -> str:
    """``2⁴``."""
    return f"{base:g}{superscript(exponent)}"


def interval(lo: float | None, hi: float | None, fmt: Any = sci) -> str:
    """``a – b`` with the given formatter (``—`` when missing)."""
    return _f.interval(lo, hi, fmt)
