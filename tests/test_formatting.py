"""The one number formatter: styles never mix, years stay plain, huge values say so."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlcost import formatting as fmt
from dlcost.units import SECONDS_PER_DAY, SECONDS_PER_YEAR


@pytest.mark.parametrize(("value", "text", "html"), [
    (1.234e26, "1.2e26", "1.2×10²⁶"),
    (1e18, "1.0e18", "10¹⁸"),
    (3.2e-5, "3.2e-5", "3.2×10⁻⁵"),
    (730.0, "730", "730"),
    (5.4, "5.4", "5.4"),
    (0.054, "0.054", "0.054"),
    (12_345.0, "1.2e4", "1.2×10⁴"),
    (0.0, "0", "0"),
    (math.inf, "beyond 1e300", "beyond 10³⁰⁰"),
    (7.6e307, "beyond 1e300", "beyond 10³⁰⁰"),
    (None, "—", "—"),
    (math.nan, "—", "—"),
])
def test_sci_in_both_styles(value: float | None, text: str, html: str) -> None:
    assert fmt.sci(value) == text
    assert fmt.sci(value, "html") == html


@given(st.floats(min_value=-1e308, max_value=1e308, allow_nan=False))
def test_styles_never_mix(x: float) -> None:
    text, html = fmt.sci(x), fmt.sci(x, "html")
    assert "×" not in text and "10⁰" not in text
    assert "e" not in html.replace("beyond", "")
    assert "e+" not in text  # no Python float noise such as 7.3e+02


def test_years_are_plain_integers() -> None:
    assert fmt.year(2012) == "2012"
    assert fmt.year(2012.0) == "2012"
    assert fmt.year(None) == "—"


def test_durations_use_natural_units() -> None:
    assert fmt.duration(20100 * SECONDS_PER_DAY, of="core-time") == "55.0 years of core-time"
    assert fmt.duration(13.8 * SECONDS_PER_YEAR) == "13.8 years"
    assert fmt.duration(6 * SECONDS_PER_DAY) == "6.0 days"
    assert fmt.duration(30 * 3600) == "30.0 h"
    assert fmt.duration(150) == "2.5 min"
    assert fmt.duration(45) == "45 s"


def test_money_multiples_and_decades() -> None:
    assert fmt.usd(1.4e103) == "$1.4e103"
    assert fmt.usd(1.4e103, "html") == "$1.4×10¹⁰³"
    assert fmt.usd(math.inf) == "beyond 1e300 dollars"
    assert fmt.multiple(2050) == "2,050×"
    assert fmt.multiple(3.1e8, "html") == "3.1×10⁸×"
    assert fmt.decades(2.34) == "2.3 decades"
    assert fmt.decades(301.0) == "unbounded"
    assert "10³⁰⁰" in fmt.UNBOUNDED_NOTE


def test_si_and_intervals() -> None:
    assert fmt.si(1.58e12, "FLOP/s") == "1.58 TFLOP/s"
    assert fmt.interval(1e20, 2e21) == "1.0e20 – 2.0e21"
    assert fmt.bracket(0.0751, 0.1, lambda v: fmt.fixed(v, 3)) == "[0.075, 0.100]"
    assert fmt.bracket(None, 1.0) == "—"
