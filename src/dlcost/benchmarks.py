"""The six benchmarks of the paper, the language-model benchmarks, and how a score becomes an error.

Performance in the paper's fits is ``log10(1/error)``; this module is the only place that knows
how each benchmark's headline metric maps to an error (METHODS.md §1). Nothing else in dlcost is
benchmark-specific.

:data:`LM_BENCHMARKS` are the language-model benchmarks of Epoch AI's Benchmarking Hub with at
least 20 models that have training compute (``dlcost data join-report``). Each carries its
chance level (``floor``: what guessing scores, the floor of the logistic fit, METHODS.md §10)
and where that level comes from. Their scores are stored in percent, like the paper's.
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

@dataclass(frozen=True)
class LMBenchmark:
    """A language-model benchmark: id, name, headline metric, chance level and score scale.

    ``floor`` is the chance level as a fraction of a perfect score (0.25 for four-way multiple
    choice); ``floor_source`` says where it comes from. Scores are stored in percent
    (``score_scale``), so ``error = 1 − score/100``.
    """

    id: str
    name: str
    metric: str
    metric_label: str
    floor: float
    floor_source: str
    score_scale: str = "percent (0–100)"

    def error_from_score(self, score: float) -> float:
        return 1.0 - score / 100.0

    def score_from_error(self, error: float) -> float:
        return 100.0 * (1.0 - error)


_FOUR_WAY = "four answer options per question: guessing scores 1/4"
_TWO_WAY = "two options per question: guessing scores 1/2"
_FREE = "free-form answer checked for an exact match: guessing scores ≈ 0"

LM_BENCHMARKS: dict[str, LMBenchmark] = {
    b.id: b
    for b in (
        LMBenchmark("mmlu", "MMLU", "em", "accuracy (%)", 0.25,
                    f"{_FOUR_WAY} (Hendrycks et al. 2021, arXiv 2009.03300)"),
        LMBenchmark("gsm8k", "GSM8K", "em", "exact match (%)", 0.0,
                    f"{_FREE}: a numeric answer (Cobbe et al. 2021, arXiv 2110.14168)"),
        LMBenchmark("hellaswag", "HellaSwag", "overall_accuracy", "accuracy (%)", 0.25,
                    "four candidate endings per context: guessing scores 1/4 (Zellers et al. "
                    "2019, arXiv 1905.07830)"),
        LMBenchmark("winogrande", "WinoGrande", "accuracy", "accuracy (%)", 0.5,
                    f"{_TWO_WAY} (Sakaguchi et al. 2019, arXiv 1907.10641)"),
        LMBenchmark("arc-ai2", "ARC (AI2), Challenge", "challenge_score", "accuracy (%)", 0.25,
                    "multiple choice, nearly all with four options: guessing scores ≈ 1/4 "
                    "(Clark et al. 2018, arXiv 1803.05457)"),
        LMBenchmark("bbh", "BIG-Bench Hard", "average", "average accuracy (%)", 0.0,
                    "23 tasks, many with free-form exact-match answers; no single chance level "
                    "(Suzgun et al. 2022, arXiv 2210.09261): floor 0 as the conservative bound"),
        LMBenchmark("gpqa-diamond", "GPQA diamond", "best_score", "accuracy (%)", 0.25,
                    f"{_FOUR_WAY} (Rein et al. 2023, arXiv 2311.12022)"),
        LMBenchmark("boolq", "BoolQ", "score", "accuracy (%)", 0.5,
                    "yes/no questions: guessing scores 1/2 (Clark et al. 2019, arXiv "
                    "1905.10044)"),
        LMBenchmark("piqa", "PIQA", "score", "accuracy (%)", 0.5,
                    "two candidate solutions per goal: guessing scores 1/2 (Bisk et al. 2020, "
                    "arXiv 1911.11641)"),
        LMBenchmark("openbookqa", "OpenBookQA", "accuracy", "accuracy (%)", 0.25,
                    f"{_FOUR_WAY} (Mihaylov et al. 2018, arXiv 1809.02789)"),
        LMBenchmark("triviaqa", "TriviaQA", "em", "exact match (%)", 0.0,
                    f"{_FREE} (Joshi et al. 2017, arXiv 1705.03551)"),
        LMBenchmark("lambada", "LAMBADA", "score", "accuracy (%)", 0.0,
                    "predict a passage's last word from an open vocabulary: guessing scores ≈ 0 "
                    "(Paperno et al. 2016, arXiv 1606.06031)"),
        LMBenchmark("math-level-5", "MATH level 5", "best_score", "accuracy (%)", 0.0,
                    f"{_FREE}: competition mathematics (Hendrycks et al. 2021, arXiv "
                    "2103.03874)"),
        LMBenchmark("otis-mock-aime-2024-2025", "OTIS Mock AIME 2024–2025", "best_score",
                    "accuracy (%)", 0.0,
                    "integer answers from 0 to 999: guessing scores ≈ 0.1 % (AIME format; "
                    "Epoch AI Benchmarking Hub)"),
        LMBenchmark("weirdml", "WeirdML", "accuracy", "accuracy (%)", 0.0,
                    "the model writes code for unusual ML tasks; failed code scores 0 "
                    "(WeirdML, htihle.github.io/weirdml.html); floor 0 as the conservative "
                    "bound"),
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


def is_lm_benchmark(benchmark_id: str) -> bool:
    """True for an id of :data:`LM_BENCHMARKS` (case-insensitive)."""
    return benchmark_id.strip().lower() in LM_BENCHMARKS


def get_lm_benchmark(benchmark_id: str) -> LMBenchmark:
    """Look a language-model benchmark up by id; unknown ids list the valid ones."""
    key = benchmark_id.strip().lower()
    if key in LM_BENCHMARKS:
        return LM_BENCHMARKS[key]
    close = difflib.get_close_matches(key, list(LM_BENCHMARKS) + list(BENCHMARKS), n=3,
                                      cutoff=0.4)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise UnknownBenchmarkError(
        f"unknown language-model benchmark {benchmark_id!r}; known: "
        f"{', '.join(LM_BENCHMARKS)}.{hint}"
    )
