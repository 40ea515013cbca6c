"""The six benchmarks of the paper, their metrics, and how a score becomes an error.

Performance in every fit is ``log10(1/error)``; this module is the only place that knows how
each benchmark's headline metric maps to an error (METHODS.md §1). Nothing else in dlcost is
benchmark-specific.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from dlcost.exceptions import UnknownBenchmarkError


@dataclass(frozen=True)
class Benchmark:
    """A benchmark: id, display name, the headline metric and its unit."""

    id: str
    name: str
    task: str
    metric: str
    metric_label: str
    #: Other metrics the importers keep (top-5, AP50, F1, SacreBLEU, …).
    secondary_metrics: tuple[str, ...] = ()

    def error_from_score(self, score: float) -> float:
        """Error = 1 − score/100 for every benchmark (scores in percent; BLEU in points)."""
        return 1.0 - score / 100.0

    def score_from_error(self, error: float) -> float:
        """Inverse of :meth:`error_from_score`."""
        return 100.0 * (1.0 - error)


BENCHMARKS: dict[str, Benchmark] = {
    b.id: b
    for b in (
        Benchmark("imagenet", "ImageNet", "image classification", "top1", "top-1 accuracy (%)",
                  ("top5",)),
        Benchmark("coco", "MS COCO", "object detection", "box_ap", "box AP (%)",
                  ("ap50", "ap75", "aps", "apm", "apl")),
        Benchmark("squad1.1", "SQuAD 1.1", "question answering", "em", "exact match (%)",
                  ("f1",)),
        Benchmark("conll2003", "CoNLL-2003", "named entity recognition", "f1", "F1 (%)"),
        Benchmark("wmt14-en-fr", "WMT14 EN-FR", "machine translation", "bleu", "BLEU",
                  ("sacrebleu",)),
        Benchmark("wmt14-en-de", "WMT14 EN-DE", "machine translation", "bleu", "BLEU",
                  ("sacrebleu",)),
    )
}

def get_benchmark(benchmark_id: str) -> Benchmark:
    """Look a benchmark up by id (case-insensitive); unknown ids list the valid ones."""
    key = benchmark_id.strip().lower()
    if key in BENCHMARKS:
        return BENCHMARKS[key]
    close = difflib.get_close_matches(key, list(BENCHMARKS), n=3, cutoff=0.4)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise UnknownBenchmarkError(
        f"unknown benchmark {benchmark_id!r}; known: {', '.join(BENCHMARKS)}.{hint}"
    )
