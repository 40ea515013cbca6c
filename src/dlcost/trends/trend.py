"""``trend(db, quantity, selection, …)``: select rows, fit the growth, set it beside anchors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dlcost.exceptions import FitError
from dlcost.trends.anchors import Anchor, anchors_for
from dlcost.trends.fit import DEFAULT_CONFIDENCE, MIN_POINTS, TOO_FEW, TrendFit
from dlcost.trends.selection import RELEASE_PRICES, Quantity, Selection, trend_rows

if TYPE_CHECKING:
    from dlcost.store.db import ResultsDB

#: Fewer points than this make a trend "thin"; the result says so.
THIN = 10


@dataclass
class TrendResult:
    """A fitted growth trend of one quantity over one selection, with its anchors."""

    quantity: Quantity
    selection: Selection
    fit: TrendFit
    data: pd.DataFrame
    anchors: tuple[Anchor, ...]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The ``trend --json`` contract: quantity, selection, n, start, end, growth_per_year,
        growth_ci, doubling_years, doubling_ci, confidence — then the details."""
        fit = self.fit.to_dict()
        out: dict[str, Any] = {
            "quantity": self.quantity.key, "selection": self.selection.to_dict(),
            "n": fit["n"], "start": fit["start"], "end": fit["end"],
            "growth_per_year": fit["growth_per_year"], "growth_ci": fit["growth_ci"],
            "doubling_years": fit["doubling_years"], "doubling_ci": fit["doubling_ci"],
            "confidence": fit["confidence"],
        }
        out.update({k: v for k, v in fit.items() if k not in out})
        out["unit"] = self.quantity.unit
        out["label"] = self.quantity.label
        out["anchors"] = [a.to_dict() for a in self.anchors]
        out["notes"] = self.notes
        return out

    def comparison(self) -> str:
        """One sentence: ours beside the headline anchor, and why they may differ."""
        f = self.fit
        ours = (f"{f.growth_per_year_:.2f}×/yr ({f.confidence:.0%} CI {f.growth_ci_[0]:.2f}–"
                f"{f.growth_ci_[1]:.2f}, n = {f.n_})")
        if not self.anchors:
            return f"{self.quantity.label}: {ours}; no published anchor."
        a = self.anchors[0]
        theirs = f"{a.growth_per_year:.2f}×/yr"
        if a.ci:
            theirs += f" ({a.confidence:.0%} CI {a.ci[0]:.2f}–{a.ci[1]:.2f})"
        inside = f.growth_ci_[0] <= a.growth_per_year <= f.growth_ci_[1]
        verdict = ("the published figure lies inside our interval" if inside else
                   "the published figure lies outside our interval")
        return (f"{self.quantity.label}: ours {ours} vs {a.source}: {theirs} over "
                f"{a.span} ({a.selection}); {verdict} — the data vintage and the selection "
                "differ.")


def trend(
    db: ResultsDB,
    quantity: str,
    selection: Selection | None = None,
    *,
    confidence: float = DEFAULT_CONFIDENCE,
    n_boot: int = 0,
    breakpoint: bool = False,
    random_state: int | np.random.Generator | None = None,
    **options: Any,
) -> TrendResult:
    """Growth per year of ``quantity`` over a selection of models or chips.

    ``selection`` (a :class:`Selection`) and keyword ``options`` (its field names, e.g.
    ``trend(db, "compute", frontier_top=10, since="2010-01-01")``) choose the rows, as in
    :func:`trend_rows` (:mod:`dlcost.trends.selection`); the fit: :class:`TrendFit`.
    """
    rows = trend_rows(db, quantity, selection, **options)
    frame = rows.frame
    if len(frame) < MIN_POINTS:
        what = f" for {rows.quantity.label} ({rows.selection.describe()})"
        raise FitError(TOO_FEW.format(need=MIN_POINTS, got=len(frame), what=what))
    fit = TrendFit(confidence=confidence, n_boot=n_boot, random_state=random_state,
                   breakpoint=breakpoint).fit(frame["year"], frame["value"],
                                              names=frame["name"].tolist())
    notes = list(rows.notes)
    if fit.n_ < THIN:
        notes.append(f"thin fit: only {fit.n_} points")
    sel = rows.selection
    # Epoch's FLOP/s-per-dollar figure is on purchase prices; it is no anchor for rental.
    anchors = (anchors_for(rows.quantity.key, frontier_top=sel.frontier_top,
                           domain=sel.domain) if sel.prices == RELEASE_PRICES else ())
    return TrendResult(quantity=rows.quantity, selection=sel, fit=fit, data=frame,
                       anchors=anchors, notes=notes)
