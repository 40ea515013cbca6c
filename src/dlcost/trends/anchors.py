"""Published growth rates set beside ours (METHODS.md §8–9): each with its source and span.

A figure is ``growth_per_year`` (× per year) with its interval where the source gives one.
They are other people's estimates on other vintages and selections of the data, shown as
anchors, not as targets a test must hit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Anchor:
    """One published growth rate."""

    key: str
    what: str
    growth_per_year: float
    ci: tuple[float, float] | None
    confidence: float | None
    span: str
    selection: str
    source: str
    url: str

    @property
    def doubling_years(self) -> float:
        return math.log10(2.0) / abs(math.log10(self.growth_per_year))

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "what": self.what, "growth_per_year": self.growth_per_year,
                "ci": list(self.ci) if self.ci else None, "confidence": self.confidence,
                "span": self.span, "selection": self.selection, "source": self.source,
                "url": self.url}


def _per_year_from_doubling(years: float) -> float:
    return float(2.0 ** (1.0 / years))


EPOCH_COMPUTE_URL = "https://epoch.ai/blog/training-compute-of-frontier-ai-models-grows-by-4-5x-per-year"
EPOCH_HARDWARE_URL = "https://epoch.ai/data/machine-learning-hardware"

#: quantity → its anchors (the first is the headline one).
ANCHORS: dict[str, tuple[Anchor, ...]] = {
    "compute": (
        Anchor("compute-notable", "training compute, notable models", 4.1, (3.7, 4.6), 0.90,
               "2010 – May 2024", "notable models",
               "Epoch AI (Sevilla & Roldán 2024), Training compute of frontier AI models "
               "grows by 4–5x per year", EPOCH_COMPUTE_URL),
        Anchor("compute-frontier", "training compute, running top 10", 5.3, None, None,
               "2010 – May 2024", "frontier: running top 10 by compute",
               "Epoch AI (Sevilla & Roldán 2024)", EPOCH_COMPUTE_URL),
        Anchor("compute-language", "training compute, notable language models", 9.5, None,
               None, "June 2017 – May 2024", "notable language models",
               "Epoch AI (Sevilla & Roldán 2024)", EPOCH_COMPUTE_URL),
    ),
    "cost": (
        Anchor("cost-frontier", "training compute cost, frontier models", 2.4, (2.0, 2.9),
               0.90, "2016 – 2023", "frontier models (amortized hardware and energy)",
               "Cottier, Rahman, Fattorini, Maslej & Owen 2024, The rising costs of training "
               "frontier AI models (arXiv:2405.21015)", "https://arxiv.org/abs/2405.21015"),
    ),
    "power": (
        Anchor("power-frontier", "training power draw, running top 10", 2.1, (1.9, 2.2), 0.90,
               "2010 – Sept 2024", "frontier: running top 10 by compute",
               "Epoch AI (Emberson & Rahman, 19 Sept 2024), The power required to train "
               "frontier AI models is doubling annually",
               "https://epoch.ai/data-insights/power-usage-trend"),
    ),
    "chip-flops": (
        Anchor("chip-flops", "ML hardware peak FLOP/s", 1.29, None, None,
               "to Jan 2025", "ML accelerators; measured at 16-bit, 'a similar trend' at FP32 "
               "(doubling every 2.7 years)",
               "Epoch AI, Machine Learning Hardware data insights (Jan 2025)",
               EPOCH_HARDWARE_URL),
    ),
    "flops-per-dollar": (
        Anchor("flops-per-dollar", "ML hardware FLOP/s per dollar", 1.30, None, None,
               "to Jan 2025", "ML accelerators at a fixed precision ('around 30% each year')",
               "Epoch AI, Machine Learning Hardware data insights (Jan 2025)",
               EPOCH_HARDWARE_URL),
    ),
    "flops-per-watt": (
        Anchor("flops-per-watt", "ML hardware energy efficiency (FLOP/s per W)", 1.5, None,
               None, "to Jan 2025", "leading ML hardware ('50% more energy-efficient each "
               "year')", "Epoch AI, Machine Learning Hardware data insights (Jan 2025)",
               EPOCH_HARDWARE_URL),
    ),
    "memory-bandwidth": (
        Anchor("memory-bandwidth", "ML hardware memory bandwidth",
               _per_year_from_doubling(4.1), None, None, "2010 – 2023",
               "47 ML accelerators (doubling every ~4.1 years)",
               "Hobbhahn, Heim & Aydos 2023, Trends in Machine Learning Hardware (Epoch AI)",
               "https://epoch.ai/blog/trends-in-machine-learning-hardware"),
    ),
}

#: Algorithmic progress (METHODS.md §9): compute needed for a fixed result halves every …
ERDIL_BESIROGLU_2022 = {
    "what": "ImageNet: compute needed for a fixed accuracy halves every 9 months",
    "halving_months": 9.0, "halving_months_ci": (4.0, 25.0), "confidence": 0.95,
    "source": "Erdil & Besiroglu 2022, Algorithmic progress in computer vision "
              "(arXiv:2212.05153)",
    "url": "https://arxiv.org/abs/2212.05153",
}


def anchors_for(
    quantity: str, *, frontier_top: int | None = None, domain: str | None = None
) -> tuple[Anchor, ...]:
    """The published anchors of ``quantity``, the one closest to the selection first.

    For training compute: the running-top-N anchor when a frontier is selected, the language
    models' one for ``domain="language"``, else the notable models' one.
    """
    found = ANCHORS.get(quantity, ())
    if quantity != "compute":
        return found
    if frontier_top:
        first = "compute-frontier"
    elif domain and domain.strip().lower() == "language":
        first = "compute-language"
    else:
        first = "compute-notable"
    return tuple(sorted(found, key=lambda a: a.key != first))
