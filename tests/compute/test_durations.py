"""Training times as papers write them."""

from __future__ import annotations

import pytest

from dlcost.compute import parse_duration
from dlcost.exceptions import DurationParseError
from dlcost.units import SECONDS_PER_DAY, SECONDS_PER_HOUR, SECONDS_PER_WEEK


@pytest.mark.parametrize(
    ("text", "seconds", "kind"),
    [
        ("84 h", 84 * SECONDS_PER_HOUR, "wall"),
        ("84 hours", 84 * SECONDS_PER_HOUR, "wall"),
        ("5-6 days", 5.5 * SECONDS_PER_DAY, "wall"),
        ("5–6 days", 5.5 * SECONDS_PER_DAY, "wall"),
        ("5 to 6 days", 5.5 * SECONDS_PER_DAY, "wall"),
        ("2.5 weeks", 2.5 * SECONDS_PER_WEEK, "wall"),
        ("~1 day", SECONDS_PER_DAY, "wall"),
        ("2 days 12 hours", 2.5 * SECONDS_PER_DAY, "wall"),
        ("1,000 hours", 1000 * SECONDS_PER_HOUR, "wall"),
        ("90 min", 90 * 60, "wall"),
        ("2.5k TPUv3-core-days", 2500 * SECONDS_PER_DAY, "core"),
        ("256 TPU core-days", 256 * SECONDS_PER_DAY, "core"),
        ("10,000 GPU-hours", 10_000 * SECONDS_PER_HOUR, "chip"),
        ("1200 GPU days", 1200 * SECONDS_PER_DAY, "chip"),
        ("8 GPU-weeks", 8 * SECONDS_PER_WEEK, "chip"),
    ],
)
def test_forms_papers_use(text: str, seconds: float, kind: str) -> None:
    d = parse_duration(text)
    assert d.seconds == pytest.approx(seconds, rel=1e-12)
    assert d.kind == kind
    assert d.text == text


def test_hardware_in_the_phrase() -> None:
    d = parse_duration("3 weeks on 8 GPUs")
    assert d.seconds == 3 * SECONDS_PER_WEEK
    assert d.chip_count == 8
    assert d.chip_text == "GPUs"


def test_range_midpoint_is_recorded_as_an_assumption() -> None:
    d = parse_duration("5-6 days")
    assert d.assumptions == ("range 5–6 in '5-6 days' taken at its midpoint",)
    assert parse_duration("6 days").assumptions == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "cannot parse an empty training time ('')"),
        (
            "fast",
            "cannot parse training time 'fast'. Write it as a number or range with a unit "
            "('84 h', '5-6 days', '2.5 weeks'), optionally 'on N <chips>', or as a chip-time "
            "product ('256 TPUv3-core-days', '10,000 GPU-hours')",
        ),
        ("6-5 days", "cannot parse training time '6-5 days': the range 6–5 is decreasing"),
        ("0 days", "training time '0 days' is not positive"),
        (
            "100 GPU-hours on 8 GPUs",
            "training time '100 GPU-hours on 8 GPUs' is already a chip-time product; it cannot "
            "also name a chip count",
        ),
        (
            "2 days 10 GPU-hours",
            "cannot parse training time '2 days 10 GPU-hours': it mixes wall-clock and chip-time "
            "terms",
        ),
    ],
)
def test_errors_say_what_to_write(text: str, message: str) -> None:
    with pytest.raises(DurationParseError) as info:
        parse_duration(text)
    assert str(info.value) == message
