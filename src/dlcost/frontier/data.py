"""From the joined language-model scores to one comparable point per model: explicit filters.

Scores of one model on one benchmark come in many versions: base or chat, 0- or 5-shot,
reasoning effort low or high, from the developer's paper or from a leaderboard. A scaling fit
needs one point per model, and which one is a choice: :class:`Comparability` states it, every
output prints :meth:`Comparability.describe` and the counts of what each step dropped, and
every choice can be overridden.

Default rule, in order:

1. rows not joined to a model of Epoch's models table are dropped (``dlcost data
   join-report`` says why each did not join);
2. models without training compute are dropped, with a count;
3. distilled models (``distilled_models.csv``) are dropped: they are trained on a larger
   model's outputs and sit off the compute→score curve (``include_distilled=True`` keeps them);
4. one score per model: among its rows at the benchmark's standard shot count (the count
   most of the benchmark's rows use), else among all its rows, the highest score — the
   model's best reported configuration, as developers report it (``pick="best"`` ignores the
   shot count; ``pick="median"`` takes the median row).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from dlcost.benchmarks import LMBenchmark, get_lm_benchmark
from dlcost.exceptions import FitError, InvalidParameterError
from dlcost.fitting.memo import hashable, store_memo
from dlcost.store.lm import JOINED, JOINED_BY_NAME, lm_scores
from dlcost.validation import Interval, Optional, Options, validate

if TYPE_CHECKING:
    from dlcost.store.db import ResultsDB

Pick = Literal["standard-shots", "best", "median"]
PICKS: dict[str, str] = {
    "standard-shots": "the highest score at the benchmark's standard shot count (the count "
                      "most of its rows use), else the highest of the model's scores",
    "best": "the highest of the model's scores, whatever the shot count",
    "median": "the median of the model's scores",
}
#: Epoch's compute confidence levels, most confident first.
CONFIDENCE_ORDER = ("Confident", "Likely", "Speculative")
#: :class:`Comparability`'s fields, declared once (messages from :mod:`dlcost.validation`).
CONSTRAINTS = {
    "pick": Options(*PICKS),
    "shots": Optional(Interval(int, 0, None)),
    "include_distilled": Options(True, False),
    "min_confidence": Optional(Options(*CONFIDENCE_ORDER)),
}


@dataclass(frozen=True)
class Comparability:
    """Which scores a language-model analysis uses. Every field is a stated, overridable rule.

    Parameters
    ----------
    pick : {"standard-shots", "best", "median"}
        How one score per model is chosen (:data:`PICKS`).
    shots : int, optional
        Keep only scores at this shot count.
    include_distilled : bool
        Keep models that ``distilled_models.csv`` flags as distilled (default False).
    origins : tuple of str
        ``external`` (papers, leaderboards) and/or ``epoch_run`` (Epoch's own evaluations).
    min_confidence : str, optional
        Keep models whose compute Epoch rates at least this confident (``Confident``,
        ``Likely``, ``Speculative``); default: any.
    """

    pick: Pick = "standard-shots"
    shots: int | None = None
    include_distilled: bool = False
    origins: tuple[str, ...] = ("external", "epoch_run")
    min_confidence: str | None = None

    def __post_init__(self) -> None:
        validate({"pick": self.pick, "shots": self.shots,
                  "include_distilled": self.include_distilled,
                  "min_confidence": self.min_confidence}, CONSTRAINTS, owner="Comparability")
        unknown = set(self.origins) - {"external", "epoch_run"}
        if unknown or not self.origins:
            raise InvalidParameterError(
                f"The 'origins' parameter of Comparability must be a non-empty tuple of "
                f"'external', 'epoch_run'. Got {self.origins!r} instead.")

    def describe(self) -> list[str]:
        """The rules in words, as every output shows them."""
        lines = [
            "one score per model: " + PICKS[self.pick],
            "distilled models " + ("kept" if self.include_distilled else
                                   "excluded (distilled_models.csv; they sit off the compute "
                                   "curve)"),
            "models without training compute dropped",
        ]
        if self.shots is not None:
            lines.append(f"only {self.shots}-shot scores")
        if tuple(self.origins) != ("external", "epoch_run"):
            lines.append(f"only scores of origin {', '.join(self.origins)}")
        if self.min_confidence:
            lines.append(f"only compute Epoch rates {self.min_confidence} or better")
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {"pick": self.pick, "shots": self.shots,
                "include_distilled": self.include_distilled, "origins": list(self.origins),
                "min_confidence": self.min_confidence}


@dataclass
class LMData:
    """One benchmark's points, one per model, and how they were chosen.

    ``frame`` columns: ``benchmark, model, epoch_model, organization, date, year, score``
    (fraction), ``score_pct, error, compute_flop, compute_confidence, parameters, shots,
    reasoning, distilled, origin, source_name, source_url, model_version, compute_frontier``
    (no model with less or equal compute scores higher).
    """

    frame: pd.DataFrame
    benchmark: LMBenchmark
    filters: Comparability
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    standard_shots: int | None = None

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def floor(self) -> float:
        return self.benchmark.floor


def decimal_year(dates: pd.Series) -> pd.Series:
    """Year + (day of year − 1)/365.25, as METHODS.md §8 writes it."""
    when = pd.to_datetime(dates)
    return when.dt.year + (when.dt.day_of_year - 1) / 365.25


def compute_frontier(compute: np.ndarray, score: np.ndarray) -> np.ndarray:
    """True where no point with less or equal compute has a higher score."""
    order = np.argsort(compute, kind="stable")
    out = np.zeros(len(compute), dtype=bool)
    best = -np.inf
    i = 0
    while i < len(order):
        j = i
        while j < len(order) and compute[order[j]] == compute[order[i]]:
            j += 1
        group = order[i:j]
        top = float(np.max(score[group]))
        out[group] = (score[group] >= top) & (score[group] > best)
        best = max(best, top)
        i = j
    return out


def lm_data(
    db: ResultsDB,
    benchmark: str,
    *,
    filters: Comparability | None = None,
    sources: Sequence[str] | None = None,
    scores: pd.DataFrame | None = None,
) -> LMData:
    """The comparable points of one language-model benchmark (module docstring).

    ``scores``: the joined scores of every benchmark (:func:`dlcost.store.lm.lm_scores`),
    when several benchmarks are prepared in a row (the join is then made once).
    """
    bench = get_lm_benchmark(benchmark)
    filters = filters or Comparability()
    if scores is not None:
        return _lm_data(scores[scores["benchmark"] == bench.id].reset_index(drop=True), bench,
                        filters)
    # Without ``scores``: the benchmark's join and points are kept per store state (a report
    # asks for the same benchmark's points from several sections), handed out as copies.
    memo = store_memo(db)
    chosen = tuple(sources) if sources else None
    key = ("lm_data", bench.id, filters, chosen)
    if not hashable(key):  # filters built with a list: not kept
        return _lm_data(lm_scores(db, benchmark=bench.id,
                                  **({"sources": sources} if sources else {})), bench, filters)
    if key not in memo:
        rows = lm_scores(db, benchmark=bench.id, **({"sources": sources} if sources else {}))
        memo[key] = _lm_data(rows, bench, filters)
    kept: LMData = memo[key]
    return replace(kept, frame=kept.frame.copy(), notes=list(kept.notes),
                   counts=dict(kept.counts))


def joined_scores(db: ResultsDB, sources: Sequence[str] | None = None) -> pd.DataFrame:
    """:func:`dlcost.store.lm.lm_scores` of every benchmark, joined once per store state
    and handed out as a copy (the join parses every score's attributes).

    Pass it as ``scores`` to :func:`lm_data` when preparing several benchmarks. The points are
    those of ``lm_data(db, benchmark)``; only the dtypes of a few text columns (``shots``,
    ``reasoning``) can differ, as pandas infers them over all benchmarks' rows.
    """
    memo = store_memo(db)
    key = ("scores", tuple(sources) if sources else None)
    if key not in memo:
        memo[key] = lm_scores(db, sources=sources) if sources else lm_scores(db)
    frame: pd.DataFrame = memo[key]
    return frame.copy()


def _lm_data(rows: pd.DataFrame, bench: LMBenchmark, filters: Comparability) -> LMData:
    if rows.empty:
        raise FitError(
            f"no {bench.name} scores in the store; import Epoch's benchmarking hub with "
            "`dlcost data import epoch-benchmarks DIR`"
        )
    counts: dict[str, int] = {"rows": len(rows)}
    notes: list[str] = []

    def drop(mask: pd.Series, key: str, text: str) -> pd.DataFrame:
        n = int(mask.sum())
        counts[key] = n
        if n:
            notes.append(f"{n} {text}")
        return rows[~mask]

    rows = drop(~rows["join_status"].isin([JOINED, JOINED_BY_NAME]), "not_joined",
                "score(s) not joined to Epoch's models table dropped (dlcost data join-report)")
    rows = drop(~rows["training_compute_flop"].gt(0), "no_compute",
                "score(s) of models without training compute dropped")
    if not filters.include_distilled:
        rows = drop(rows["distilled"].eq(True), "distilled",
                    "score(s) of distilled models excluded (distilled_models.csv)")
    rows = drop(~rows["origin"].isin(filters.origins), "origin",
                f"score(s) of other origins than {', '.join(filters.origins)} dropped")
    if filters.min_confidence:
        allowed = CONFIDENCE_ORDER[:CONFIDENCE_ORDER.index(filters.min_confidence) + 1]
        rows = drop(~rows["compute_confidence"].isin(allowed), "confidence",
                    f"score(s) whose compute Epoch rates below {filters.min_confidence} dropped")
    numeric = pd.to_numeric(rows["shots"], errors="coerce")
    standard = None
    if numeric.notna().any():
        modes = numeric.dropna().astype(int).value_counts()
        standard = int(min(modes.index[modes == modes.max()]))
    if filters.shots is not None:
        rows = drop(numeric.reindex(rows.index).ne(filters.shots), "shots",
                    f"score(s) at other shot counts than {filters.shots} dropped")
    before = len(rows)
    rows = _one_per_model(rows, filters.pick, standard)
    counts["duplicates"] = before - len(rows)
    if counts["duplicates"]:
        notes.append(f"{counts['duplicates']} other score(s) of the same models set aside "
                     f"(one per model: {filters.pick}"
                     + (f"; standard shot count {standard}" if filters.pick == "standard-shots"
                        and standard is not None else "") + ")")
    frame = pd.DataFrame({
        "benchmark": bench.id, "model": rows["model"], "epoch_model": rows["epoch_model"],
        "organization": rows["organization"], "date": pd.to_datetime(rows["date"]),
        "score_pct": rows["score"].astype(float), "error": rows["error"].astype(float),
        "compute_flop": rows["training_compute_flop"].astype(float),
        "compute_confidence": rows["compute_confidence"], "parameters": rows["parameters"],
        "shots": rows["shots"], "reasoning": rows["reasoning"], "distilled": rows["distilled"],
        "origin": rows["origin"], "source_name": rows["source_name"],
        "source_url": rows["source_url"], "model_version": rows["model_version"],
    }).reset_index(drop=True)
    frame["score"] = frame["score_pct"] / 100.0
    frame["year"] = decimal_year(frame["date"])
    frame["compute_frontier"] = compute_frontier(frame["compute_flop"].to_numpy(),
                                                 frame["score"].to_numpy())
    counts["used"] = len(frame)
    return LMData(frame=frame, benchmark=bench, filters=filters, notes=notes, counts=counts,
                  standard_shots=standard)


def _one_per_model(rows: pd.DataFrame, pick: str, standard: int | None) -> pd.DataFrame:
    if rows.empty:
        return rows
    rows = rows.copy()
    rows["_key"] = rows["epoch_model"].str.lower()
    if pick == "median":
        def median_row(group: pd.DataFrame) -> Any:
            ordered = group.sort_values("score", kind="stable")
            return ordered.index[(len(ordered) - 1) // 2]
        chosen = [median_row(g) for _, g in rows.groupby("_key", sort=True)]
        return rows.loc[chosen].drop(columns="_key")
    at_standard = pd.to_numeric(rows["shots"], errors="coerce").eq(standard) \
        if pick == "standard-shots" and standard is not None else pd.Series(False, rows.index)
    rows["_std"] = at_standard
    rows["_has_std"] = rows.groupby("_key")["_std"].transform("any")
    rows = rows[rows["_std"] | ~rows["_has_std"]]
    rows = rows.sort_values(["_key", "score", "id"], ascending=[True, False, True],
                            kind="stable")
    return rows.drop_duplicates("_key").drop(columns=["_key", "_std", "_has_std"])
