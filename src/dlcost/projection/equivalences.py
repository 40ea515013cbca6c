"""CO₂ in terms a reader grasps: months of New York City, trans-Atlantic flights, …

Each equivalence is one sourced figure (kg CO₂e per unit); :func:`equivalences` divides an
amount of CO₂ by each. The figures are of their year and method — they make orders of
magnitude tangible, not precise comparisons.
"""

from __future__ import annotations

from dataclasses import dataclass

from dlcost.units import KG_PER_POUND, KG_PER_TONNE


@dataclass(frozen=True)
class Equivalence:
    """A familiar emitter: ``kg_co2e`` per ``unit``, with its source."""

    key: str
    unit: str
    kg_co2e: float
    source: str
    url: str

    def count(self, co2_kg: float) -> float:
        """How many ``unit`` emit ``co2_kg``."""
        return co2_kg / self.kg_co2e


#: New York City's citywide emissions in 2009: 49.3 million t CO₂e (a year) → one month.
NYC_MONTH = Equivalence(
    key="nyc_months",
    unit="months of New York City's emissions",
    kg_co2e=49.3e6 * KG_PER_TONNE / 12,
    source="City of New York, Inventory of New York City Greenhouse Gas Emissions 2010 "
           "(press release PR-412-10): 49.3 million t CO₂e in 2009, ÷ 12",
    url="http://www.nyc.gov/html/om/html/2010b/pr412-10.html",
)

#: London ↔ New York return, one economy passenger: about 986 kg CO₂ (Atmosfair).
TRANSATLANTIC_FLIGHT = Equivalence(
    key="transatlantic_flights",
    unit="London–New York return flights (one passenger)",
    kg_co2e=986.0,
    source="The Guardian, 19 July 2019, from Atmosfair data: London–New York return ≈ 986 kg "
           "CO₂ per passenger",
    url="https://www.theguardian.com/environment/ng-interactive/2019/jul/19/"
        "carbon-calculator-how-taking-one-flight-emits-as-much-as-many-people-do-in-a-year",
)

#: A typical US household's electricity for a year: 14,020 lb CO₂ (EPA, EIA RECS 2009 data).
US_HOUSEHOLD_ELECTRICITY_YEAR = Equivalence(
    key="us_household_electricity_years",
    unit="years of a US household's electricity",
    kg_co2e=14_020 * KG_PER_POUND,
    source="US EPA, Household Carbon Footprint Calculator, Assumptions and References (2017 "
           "snapshot): typical annual CO₂ from electricity 14,020 lb per household",
    url="https://19january2017snapshot.epa.gov/climatechange/"
        "assumptions-and-references-household-carbon-footprint-calculator_.html",
)

#: An average American's emissions for a year: 36,156 lb CO₂e (Strubell et al. 2019, Table 1).
AMERICAN_YEAR = Equivalence(
    key="american_years",
    unit="years of an average American's emissions",
    kg_co2e=36_156 * KG_PER_POUND,
    source="Strubell, Ganesh & McCallum 2019, Table 1 (American life, avg, 1 year: 36,156 lb)",
    url="https://arxiv.org/abs/1906.02243",
)

EQUIVALENCES: tuple[Equivalence, ...] = (
    NYC_MONTH, TRANSATLANTIC_FLIGHT, US_HOUSEHOLD_ELECTRICITY_YEAR, AMERICAN_YEAR,
)


def equivalences(co2_kg: float | None) -> dict[str, float]:
    """``{key: count}`` for each of :data:`EQUIVALENCES` (empty when ``co2_kg`` is None)."""
    if co2_kg is None:
        return {}
    return {e.key: e.count(co2_kg) for e in EQUIVALENCES}
