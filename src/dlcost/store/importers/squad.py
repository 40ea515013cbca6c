"""The official SQuAD 1.1 leaderboard, as scraped by Papers with Code's sota-extractor.

Origin: github.com/paperswithcode/sota-extractor, ``data/tasks/squad.json`` (data licence
CC BY-SA 4.0). Same JSON format as the evaluation tables; its ``paper_date`` is the date of
the leaderboard submission, which the Papers with Code SQuAD 1.1 table mostly lacks. Only
the SQuAD 1.1 board is read (SQuAD 2.0 is not one of dlcost's benchmarks): EM is the score,
F1 goes to ``metrics``. Broken submissions (EM 0) and resubmissions under the same name are
skipped and counted, the first (best-ranked) entry of a name being kept.
"""

from __future__ import annotations

from pathlib import Path

from dlcost.exceptions import DataFormatError
from dlcost.store.batch import ImportBatch, sha256_of
from dlcost.store.importers.pwc import (
    Leaderboard,
    find_leaderboards,
    leaderboard_batch,
    load_tasks,
)

SOURCE = "squad"
FORMAT_NAME = "SQuAD leaderboard (sota-extractor)"
BOARD = Leaderboard("Question Answering", "SQuAD1.1", "squad1.1", "EM", {"f1": "F1"})


def parse(path: Path) -> list[ImportBatch]:
    """Parse ``squad.json`` into the SQuAD 1.1 results."""
    tasks = load_tasks(path, format_name=FORMAT_NAME)
    found = find_leaderboards(tasks, (BOARD,), path=str(path))
    if BOARD not in found:
        raise DataFormatError(
            f"holds no {BOARD.label!r} leaderboard; expected sota-extractor's "
            "data/tasks/squad.json",
            path=str(path),
        )
    return [leaderboard_batch(SOURCE, path, sha256_of([path]), BOARD, found[BOARD])]
