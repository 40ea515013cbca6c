"""Epoch AI's hardware prices importer (``epoch-prices``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dlcost.exceptions import DataFormatError
from dlcost.store import ResultsDB
from dlcost.store.importers import import_file, import_path

PRICES = "epoch_training_cost_trends/hardware_prices.csv"
HEADER = ("Price source,Price date,Hardware model,Manufacturer,Vendor,Location,"
          "Price per chip-hour (on-demand),Price per chip-hour (1-year CUD),"
          "Price per chip-hour (3-year CUD),Price (hardware purchase),Notes,"
          "Cloud GPU description,Number of GPUs\n")


@pytest.mark.shared_data
def test_real_file_every_observation(shared_data: Path) -> None:
    """SOURCES.md: 595 observations, 469 on-demand prices, 123 purchase prices, 2009–2025."""
    db = ResultsDB(":memory:", builtin=False)
    summary = import_file(db, "epoch-prices", shared_data / PRICES)
    prices = db.hardware_prices()
    assert summary.rows == len(prices) == 595
    assert prices.on_demand_usd_per_chip_hour.notna().sum() == 469
    assert prices.purchase_price_usd.notna().sum() == 123
    assert str(prices.price_date.min().date()) == "2009-01-15"
    assert str(prices.price_date.max().date()) == "2025-08-11"
    gtx580 = prices[prices.hardware == "NVIDIA GeForce GTX 580"].iloc[0]
    # File line 2: techpowerup, 2010-11-09, single-unit release price $499.
    assert gtx580.purchase_price_usd == 499.0
    assert gtx580.price_date.date() == dt.date(2010, 11, 9)
    assert gtx580.source_row == 2
    # Re-importing changes nothing (same import key, same rows).
    import_path(db, "epoch-prices", shared_data / PRICES)
    assert len(db.hardware_prices()) == 595


def test_row_without_price_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "hardware_prices.csv"
    path.write_text(HEADER + "https://x,2020-01-01,NVIDIA A100,NVIDIA,AWS,,3.2,,,,,,8\n"
                    "https://y,2020-01-02,NVIDIA V100,NVIDIA,,,,,,,no price,,\n")
    db = ResultsDB(":memory:", builtin=False)
    summary = import_file(db, "epoch-prices", tmp_path)
    assert summary.rows == 1
    assert summary.skipped == {"rows without any price": 1}
    row = db.hardware_prices().iloc[0]
    assert (row.hardware, row.vendor, row.on_demand_usd_per_chip_hour, row.chips) == (
        "NVIDIA A100", "AWS", 3.2, 8.0)


def test_bad_price_names_file_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "hardware_prices.csv"
    path.write_text(HEADER + "https://x,2020-01-01,NVIDIA A100,NVIDIA,AWS,,cheap,,,,,,8\n")
    db = ResultsDB(":memory:", builtin=False)
    before = db.snapshot()
    with pytest.raises(DataFormatError) as info:
        import_path(db, "epoch-prices", path)
    assert str(info.value) == (f"{path}, row 2, column 'Price per chip-hour (on-demand)': "
                               "expected a number, found 'cheap'")
    assert db.snapshot() == before


def test_missing_date_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "hardware_prices.csv"
    path.write_text(HEADER + "https://x,,NVIDIA A100,NVIDIA,AWS,,3.2,,,,,,8\n")
    with pytest.raises(DataFormatError, match="a price has no date"):
        import_path(ResultsDB(":memory:", builtin=False), "epoch-prices", path)
