"""Thin fits: too few results, or too narrow a span of compute, to say anything.

A fit on fewer than :data:`~dlcost.assumptions.MIN_RELIABLE_RESULTS` results, or spanning less
than :data:`~dlcost.assumptions.MIN_RELIABLE_DECADES` decades of compute, is still computed, but
the CLI, the JSON (``"reliable": false`` with the ``"reason"``) and the report show it as "too
few results to say", its numbers in small print, never as a headline.
"""

from __future__ import annotations

from collections.abc import Sequence

from dlcost.assumptions import MIN_RELIABLE_DECADES, MIN_RELIABLE_RESULTS

THIN = "too few results to say"


def thin_fit_reasons(n: int, log10_compute_range: tuple[float, float]) -> list[str]:
    """Why a fit on ``n`` results spanning ``log10_compute_range`` is too thin to headline.

    Empty when it has at least :data:`~dlcost.assumptions.MIN_RELIABLE_RESULTS` results and
    spans at least :data:`~dlcost.assumptions.MIN_RELIABLE_DECADES` decades of compute.
    """
    reasons = []
    need_n = int(MIN_RELIABLE_RESULTS.value)
    if n < need_n:
        reasons.append(f"{n} result{'s' if n != 1 else ''}, fewer than {need_n}")
    span = log10_compute_range[1] - log10_compute_range[0]
    if span < MIN_RELIABLE_DECADES.value:
        reasons.append(f"compute spans {span:.1f} decades, less than "
                       f"{MIN_RELIABLE_DECADES.value:g}")
    return reasons


def verdict(reasons: Sequence[str]) -> str | None:
    """``"too few results to say: <reasons>"``, or None when there are none."""
    return f"{THIN}: " + "; ".join(reasons) if reasons else None
