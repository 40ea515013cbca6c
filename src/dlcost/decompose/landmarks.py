"""Which pairs of runs to decompose: the paper's example and each benchmark's landmarks.

The report and the API share this choice: the paper's AlexNet → NASNet-A (from the store,
else from the facts the paper cites), then per benchmark its earliest and its latest
state-of-the-art results whose training facts are complete (chips, count, wall-clock time).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from dlcost.benchmarks import BENCHMARKS
from dlcost.decompose.pair import (
    PairDecomposition,
    TrainingSetup,
    decompose_pair,
    paper_example,
    setup_from_store,
)
from dlcost.exceptions import DlcostError

if TYPE_CHECKING:
    from dlcost.fitting.data import ScalingData
    from dlcost.store.db import ResultsDB

#: The paper's worked example (Thompson et al. 2020, §4; METHODS.md §6).
PAPER_PAIR = ("AlexNet", "NASNet-A")
#: State-of-the-art results tried from each end of a benchmark's history when looking for a
#: pair with complete training facts.
PAIR_SEARCH_DEPTH = 4


def _first_setup(db: ResultsDB, ids: Sequence[str],
                 sources: Sequence[str] | None) -> TrainingSetup | None:
    """The training setup of the first of ``ids`` the store has complete facts for."""
    for rid in ids[:PAIR_SEARCH_DEPTH]:
        try:
            return setup_from_store(db, rid, sources=sources)
        except DlcostError:
            continue
    return None


def landmark_pairs(
    db: ResultsDB,
    data: Mapping[str, ScalingData],
    *,
    sources: Sequence[str] | None = None,
) -> tuple[list[tuple[str, PairDecomposition]], list[str]]:
    """Labelled pairwise decompositions, and why a benchmark has none.

    ``data`` maps benchmark ids to the points of their scaling fits
    (:func:`dlcost.fitting.scaling_data`), whose ``state_of_the_art`` and
    ``compute_method`` columns say which results are landmarks with observed hardware.
    """
    found: list[tuple[str, PairDecomposition]] = []
    problems: list[str] = []
    try:
        found.append(("The paper's example", decompose_pair(*PAPER_PAIR, db=db, sources=sources)))
    except DlcostError:
        # The data in use lack the pair's training facts: use the facts the paper cites.
        found.append(("The paper's example (facts as cited by Thompson et al.)",
                      decompose_pair(*paper_example())))
    for bench, points in data.items():
        frame = points.frame
        # Only results with an observed hardware burden can have complete training facts.
        sota = frame[frame["state_of_the_art"] & (frame["compute_method"] == "observed")]
        ids = list(sota.sort_values(["year", "date"], kind="stable")["id"])
        first, last = _first_setup(db, ids, sources), _first_setup(db, ids[::-1], sources)
        name = BENCHMARKS[bench].name
        if first is None or last is None or first.name == last.name:
            problems.append(f"{name}: no two state-of-the-art results with chips, a chip count "
                            "and a wall-clock training time")
            continue
        found.append((name, decompose_pair(first, last)))
    return found, problems
