"""Epoch AI's hardware prices: dated cloud rental and purchase prices of ML chips.

Origin: Epoch AI's ``training-cost-trends`` repository (Cottier et al. 2024, "The rising costs
of training frontier AI models"), ``data/Hardware prices.csv``; the data are Epoch's, CC BY 4.0.
One row per price observation: the chip as Epoch names it, the date, the cloud vendor and
region, the on-demand and 1- and 3-year committed-use price per chip-hour (USD), or the
purchase price (USD) with the number of chips it covers, and the URL of the observation.

Rows go to the ``hardware_prices`` table, each keyed by its line in the file, with the values
as Epoch states them (no deflation, no unit change). A row with neither a rental nor a purchase
price carries no price and is skipped (counted in the import summary).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dlcost.exceptions import DataFormatError
from dlcost.store.batch import PRICE_COLUMNS, ImportBatch, parse_date, parse_number, sha256_of
from dlcost.store.importers._csv import read_rows

SOURCE = "epoch-prices"
FORMAT_NAME = "Epoch AI hardware prices"
HINT = (
    "Expected 'Hardware prices.csv' (hardware_prices.csv) from "
    "github.com/epoch-research/training-cost-trends, folder data/."
)
FILE_NAMES = ("hardware_prices.csv", "Hardware prices.csv")
HARDWARE = "Hardware model"
DATE = "Price date"
#: price-table column → Epoch column holding a price in USD
PRICES = {
    "on_demand_usd_per_chip_hour": "Price per chip-hour (on-demand)",
    "one_year_usd_per_chip_hour": "Price per chip-hour (1-year CUD)",
    "three_year_usd_per_chip_hour": "Price per chip-hour (3-year CUD)",
    "purchase_price_usd": "Price (hardware purchase)",
}
TEXT = {
    "manufacturer": "Manufacturer",
    "vendor": "Vendor",
    "location": "Location",
    "description": "Cloud GPU description",
    "notes": "Notes",
    "price_source": "Price source",
}
CHIPS = "Number of GPUs"
REQUIRED = (HARDWARE, DATE, *PRICES.values(), "Price source")


def parse(path: Path) -> list[ImportBatch]:
    """Parse Epoch's hardware-prices CSV, or a folder holding it."""
    if path.is_dir():
        found = [path / n for n in FILE_NAMES if (path / n).exists()]
        if not found:
            raise DataFormatError(
                f"the folder lacks {' or '.join(FILE_NAMES)}; {HINT}", path=str(path))
        path = found[0]
    batch = ImportBatch(source=SOURCE, import_key=f"{SOURCE}:hardware_prices", path=str(path),
                        sha256=sha256_of([path]))
    where = str(path)
    # Epoch's hardware_prices.csv ends without a line break, so a cut inside its very last
    # cell cannot be told from a complete file; read_rows catches every other truncation.
    for line, row in read_rows(path, required=REQUIRED, format_name=FORMAT_NAME,
                                  format_hint=HINT, final_newline=False):
        hardware = row[HARDWARE].strip()
        if not hardware:
            raise DataFormatError("a price has no hardware model", path=where, row=line,
                                  column=HARDWARE)
        date = parse_date(row[DATE], path=where, row=line, column=DATE)
        if date is None:
            raise DataFormatError("a price has no date", path=where, row=line, column=DATE)
        prices = {key: parse_number(row[col], path=where, row=line, column=col, positive=True)
                  for key, col in PRICES.items()}
        if all(v is None for v in prices.values()):
            batch.skip("rows without any price")
            continue
        price: dict[str, Any] = dict.fromkeys(PRICE_COLUMNS)
        price.update(prices)
        price.update(
            import_key=batch.import_key, source=SOURCE, source_row=line, hardware=hardware,
            price_date=date,
            chips=parse_number(row.get(CHIPS), path=where, row=line, column=CHIPS,
                               positive=True),
            **{key: " ".join((row.get(col) or "").split()) or None for key, col in TEXT.items()},
        )
        batch.prices.append(price)
    return [batch]
