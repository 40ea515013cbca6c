"""The levers the article names, as named scenarios over the planner's inputs.

Thompson et al.'s IEEE Spectrum article (2021) closes on what could change the outlook:
specialised hardware, whose gains "face diminishing returns"; more efficient algorithms and
smaller networks; or simply spending more. Each :class:`Lever` changes one input of
:class:`~dlcost.plan.model.PlanInputs` and says which, and why:

``no-algorithmic-progress``
    compute needed for the target stays where the fit puts it today (a = 0);
``hardware-stalls``
    FLOP per dollar and FLOP per watt stop improving (h = 0, w = 0): the article's
    diminishing returns of specialisation taken to their limit;
``flat-budget``
    spend stays at the start year's level (s = 0);
``efficient-architecture``
    a one-off gain of the user's choosing (default 10×: "a 10× more efficient architecture"),
    which divides the compute needed (and so cost and energy) from the start year on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dlcost.exceptions import InvalidParameterError
from dlcost.plan.model import PlanInputs

ARTICLE = ("Thompson, Greenewald, Lee & Manso 2021, Deep Learning's Diminishing Returns "
           "(IEEE Spectrum)")
ARTICLE_URL = "https://spectrum.ieee.org/deep-learning-computational-cost"
#: The article's example of a user-given efficiency improvement.
DEFAULT_EFFICIENCY_GAIN = 10.0


@dataclass(frozen=True)
class Lever:
    """A named scenario: what it changes, the assumption it makes and its source."""

    key: str
    title: str
    assumption: str
    source: str
    apply: Callable[[PlanInputs], PlanInputs]


def _no_algorithms(inputs: PlanInputs) -> PlanInputs:
    return inputs.replace(algorithmic=inputs.algorithmic.fixed(
        0.0, "scenario: no algorithmic progress"))


def _hardware_stalls(inputs: PlanInputs) -> PlanInputs:
    return inputs.replace(
        price_performance=inputs.price_performance.fixed(0.0, "scenario: hardware stalls"),
        energy_efficiency=inputs.energy_efficiency.fixed(0.0, "scenario: hardware stalls"))


def _flat_budget(inputs: PlanInputs) -> PlanInputs:
    return inputs.replace(spend_growth=inputs.spend_growth.fixed(0.0, "scenario: flat budget"))


def efficiency_lever(gain: float = DEFAULT_EFFICIENCY_GAIN) -> Lever:
    """The "N× more efficient architecture" lever for a user-given ``gain`` (> 0)."""
    if not gain > 0:
        raise InvalidParameterError(
            f"an efficiency gain is a factor > 0 (10 for 10×), got {gain!r}")

    def apply(inputs: PlanInputs) -> PlanInputs:
        return inputs.replace(efficiency_gain=inputs.efficiency_gain * gain)

    return Lever(
        key="efficient-architecture", title=f"{gain:g}× more efficient architecture",
        assumption=f"the target needs {gain:g}× less compute from the start year on (a "
                   "user-given gain, on top of the algorithmic trend)",
        source=f"{ARTICLE} (more efficient algorithms and smaller networks); the factor is "
               "the user's", apply=apply)


def levers(efficiency_gain: float = DEFAULT_EFFICIENCY_GAIN) -> tuple[Lever, ...]:
    """The four levers, in the order the report shows them."""
    return (
        Lever("no-algorithmic-progress", "no algorithmic progress",
              "compute needed for the target stays at the fit's value (a = 0 decades/yr)",
              "counterfactual to the algorithmic-progress estimate (Erdil & Besiroglu 2022; "
              "Ho et al. 2024 measure it)", _no_algorithms),
        Lever("hardware-stalls", "hardware price-performance stalls",
              "FLOP per dollar and FLOP per watt stay at the start year's values",
              f"{ARTICLE}: specialised hardware 'faces diminishing returns'", _hardware_stalls),
        Lever("flat-budget", "flat budgets",
              "spend per training run stays at the start year's level (s = 0)",
              f"{ARTICLE} (spending more is the lever this removes)", _flat_budget),
        efficiency_lever(efficiency_gain),
    )
