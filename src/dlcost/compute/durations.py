"""Parse training times the way papers write them.

Papers state training time as wall-clock ("5-6 days", "84 h", "2.5 weeks"), sometimes with the
hardware in the same phrase ("3 weeks on 8 GPUs"), or as a chip-time product ("2.5k
TPUv3-core-days", "10,000 GPU-hours"). :func:`parse_duration` turns each into seconds and says
which kind of time it is, so hardware burden can multiply by the chip count only when the time is
wall-clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from dlcost.exceptions import DurationParseError
from dlcost.units import (
    SECONDS_PER_DAY,
    SECONDS_PER_HOUR,
    SECONDS_PER_MINUTE,
    SECONDS_PER_MONTH,
    SECONDS_PER_WEEK,
    SECONDS_PER_YEAR,
)

TimeKind = Literal["wall", "chip", "core"]

_UNIT_SECONDS: dict[str, float] = {}
for _names, _secs in (
    (("s", "sec", "secs", "second", "seconds"), 1),
    (("m", "min", "mins", "minute", "minutes"), SECONDS_PER_MINUTE),
    (("h", "hr", "hrs", "hour", "hours"), SECONDS_PER_HOUR),
    (("d", "day", "days"), SECONDS_PER_DAY),
    (("w", "wk", "wks", "week", "weeks"), SECONDS_PER_WEEK),
    (("mo", "month", "months"), SECONDS_PER_MONTH),
    (("y", "yr", "yrs", "year", "years"), SECONDS_PER_YEAR),
):
    for _n in _names:
        _UNIT_SECONDS[_n] = _secs

_MULTIPLIERS = {"": 1.0, "k": 1e3, "m": 1e6}
_NUMBER = r"(\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)\s*([kK]|[mM](?![a-z]))?"
_RANGE = rf"{_NUMBER}(?:\s*(?:-|–|—|to)\s*{_NUMBER})?"
_UNIT = r"(" + "|".join(sorted(_UNIT_SECONDS, key=len, reverse=True)) + r")\b"
_CHIPWORD = r"(?:(?:cloud\s*)?tpu\s*v?\d*[a-z]?|gpu|chip|accelerator|device|cpu)"
_CHIP_TIME = re.compile(
    rf"^{_RANGE}\s*(?:{_CHIPWORD})?[\s-]*(core|chip|gpu|tpu|device|accelerator|cpu)?"
    rf"[\s-]*{_UNIT}$",
    re.IGNORECASE,
)
_ON_CHIPS = re.compile(
    rf"\s+(?:on|using|with|across)\s+{_NUMBER}\s*(?:x\s*)?(.+)$", re.IGNORECASE
)
_PREFIX = re.compile(
    r"^(?:~|≈|about|approx\.?|approximately|around|roughly|circa|ca\.)\s*", re.IGNORECASE
)


@dataclass(frozen=True)
class Duration:
    """A parsed training time.

    ``kind`` is ``"wall"`` for wall-clock time (multiply by the chip count for hardware
    burden), ``"chip"`` for a chip-time product (chip-hours, GPU-days) and ``"core"`` for a TPU
    core-time product. ``chip_count`` and ``chip_text`` are set when the phrase named the
    hardware ("3 weeks on 8 GPUs").
    """

    seconds: float
    kind: TimeKind
    text: str
    chip_count: float | None = None
    chip_text: str | None = None
    assumptions: tuple[str, ...] = ()


def _number(value: str, suffix: str | None) -> float:
    return float(value.replace(",", "")) * _MULTIPLIERS[(suffix or "").lower()]


def parse_duration(text: str) -> Duration:
    """Parse a training time as a paper writes it.

    >>> parse_duration("5-6 days").seconds / 86400
    5.5
    >>> d = parse_duration("3 weeks on 8 GPUs"); (d.seconds / 86400, d.chip_count)
    (21.0, 8.0)
    >>> parse_duration("2.5k TPUv3-core-days").kind
    'core'
    """
    if not isinstance(text, str) or not text.strip():
        raise DurationParseError(f"cannot parse an empty training time ({text!r})")
    original = text
    s = " ".join(text.strip().split())
    s = _PREFIX.sub("", s)
    assumptions: list[str] = []

    chip_count = None
    chip_text = None
    on = _ON_CHIPS.search(s)
    if on:
        chip_count = _number(on.group(1), on.group(2))
        chip_text = on.group(3).strip()
        s = s[: on.start()].strip()

    total = 0.0
    kinds: set[str] = set()
    rest = s
    # A time may be a sum of terms ("2 days 12 hours"); each term is a number or range + unit.
    term = re.compile(
        rf"{_RANGE}\s*(?:{_CHIPWORD})?[\s-]*(core|chip|gpu|tpu|device|accelerator|cpu)?"
        rf"[\s-]*{_UNIT}\s*(?:,|and|\+)?\s*",
        re.IGNORECASE,
    )
    pos = 0
    matched_any = False
    while pos < len(rest):
        m = term.match(rest, pos)
        if not m:
            break
        matched_any = True
        lo = _number(m.group(1), m.group(2))
        if m.group(3) is not None:
            hi = _number(m.group(3), m.group(4))
            if hi < lo:
                raise DurationParseError(
                    f"cannot parse training time {original!r}: the range {lo:g}–{hi:g} is "
                    "decreasing"
                )
            value = (lo + hi) / 2
            assumptions.append(f"range {lo:g}–{hi:g} in {original!r} taken at its midpoint")
        else:
            value = lo
        product = (m.group(5) or "").lower()
        unit = m.group(6).lower()
        chipword_present = bool(re.search(_CHIPWORD, m.group(0), re.IGNORECASE))
        if product == "core":
            kinds.add("core")
        elif product or chipword_present:
            kinds.add("chip")
        else:
            kinds.add("wall")
        total += value * _UNIT_SECONDS[unit]
        pos = m.end()

    if not matched_any or pos < len(rest):
        raise DurationParseError(
            f"cannot parse training time {original!r}. Write it as a number or range with a "
            "unit ('84 h', '5-6 days', '2.5 weeks'), optionally 'on N <chips>', or as a "
            "chip-time product ('256 TPUv3-core-days', '10,000 GPU-hours')"
        )
    if len(kinds) > 1:
        raise DurationParseError(
            f"cannot parse training time {original!r}: it mixes wall-clock and chip-time terms"
        )
    kind: TimeKind = kinds.pop()  # type: ignore[assignment]
    if total <= 0:
        raise DurationParseError(f"training time {original!r} is not positive")
    if kind != "wall" and chip_count is not None:
        raise DurationParseError(
            f"training time {original!r} is already a chip-time product; it cannot also name "
            "a chip count"
        )
    return Duration(
        seconds=total,
        kind=kind,
        text=original,
        chip_count=chip_count,
        chip_text=chip_text,
        assumptions=tuple(assumptions),
    )
