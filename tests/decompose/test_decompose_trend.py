"""Growth per year of compute and its hardware drivers, on a synthetic store and on Epoch's data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dlcost.compute.durations import Duration
from dlcost.compute.estimates import ChipUse, Phase
from dlcost.decompose import DRIVERS, EPOCH_2025, rolling_top, trend
from dlcost.exceptions import FitError
from dlcost.store import ResultsDB
from dlcost.store.batch import ImportBatch
from dlcost.units import SECONDS_PER_HOUR


def synthetic_store(rates: dict[str, float], n: int = 40, seed: int = 0) -> ResultsDB:
    """Models whose peak, chip count and hours grow exactly at ``rates`` per year."""
    rng = np.random.default_rng(seed)
    batch = ImportBatch(source="epoch", import_key="epoch:synthetic", path=None, sha256="0")
    for i in range(n):
        date = dt.date(2016, 1, 1) + dt.timedelta(days=int(rng.integers(0, 8 * 365)))
        t = date.year + (date.timetuple().tm_yday - 1) / 365.25 - 2018
        peak = 1e13 * rates["hardware_flop_per_s"] ** t
        chips = 100 * rates["hardware_quantity"] ** t
        hours = 100 * rates["training_time"] ** t
        phase = Phase(chips=(ChipUse("Synthetic chip", chips, peak),),
                      time=Duration(seconds=hours * SECONDS_PER_HOUR, kind="wall",
                                    text=f"{hours:g} h"))
        rid = batch.add_result({"model": f"model {i}", "date": date, "year": date.year,
                                "attributes": {"notable": True}})
        batch.add_phases(rid, [phase])
        batch.add_estimates(rid, [phase], None, reported={
            "training_compute": 0.4 * peak * chips * hours * SECONDS_PER_HOUR})
    db = ResultsDB(":memory:", builtin=False)
    db.write(batch)
    return db


def test_exact_growth_is_recovered() -> None:
    rates = {"hardware_flop_per_s": 1.4, "hardware_quantity": 1.7, "training_time": 1.5}
    db = synthetic_store(rates)
    result = trend(db, since=None, top_n=None, n_boot=200, random_state=0)
    for key, rate in rates.items():
        assert result.rates[key].growth_per_year == pytest.approx(rate, rel=1e-6)
        lo, hi = result.rates[key].ci
        assert lo == pytest.approx(rate, rel=1e-6) and hi == pytest.approx(rate, rel=1e-6)
    product = 1.4 * 1.7 * 1.5
    assert result.rates["combined"].growth_per_year == pytest.approx(product, rel=1e-6)
    assert result.rates["training_compute"].growth_per_year == pytest.approx(product, rel=1e-6)
    shares = {k: result.shares[k][0] for k in DRIVERS}
    assert sum(shares.values()) == pytest.approx(1.0)
    assert shares["hardware_quantity"] == pytest.approx(np.log(1.7) / np.log(product))


def test_selection_since_and_until() -> None:
    db = synthetic_store({"hardware_flop_per_s": 1.3, "hardware_quantity": 1.3,
                          "training_time": 1.3})
    all_rows = trend(db, since=None, top_n=None, n_boot=10, random_state=0)
    later = trend(db, since=2020, until=2023, top_n=None, n_boot=10, random_state=0)
    assert later.n_models < all_rows.n_models
    assert (later.data["year"] >= 2020).all() and (later.data["year"] < 2023).all()
    with pytest.raises(FitError, match="model\\(s\\) left after the selection"):
        trend(db, since=2030, top_n=None, n_boot=10)


def test_rolling_top_n() -> None:
    compute = pd.Series([5.0, 1.0, 6.0, 2.0, 7.0, np.nan, 3.0])
    when = pd.Series([2010, 2011, 2012, 2013, 2014, 2015, 2016.0])
    assert rolling_top(compute, when, 2).tolist() == [True, True, True, False, True, False, False]


@pytest.mark.shared_data
def test_trend_on_epoch_models(shared_data: Path) -> None:
    """Epoch AI's models (Nov 2025 download) through the importer; Epoch's 2025 medians (frontier
    runs since 2018) are 1.41×/yr hardware, 1.69×/yr chips, 1.53×/yr time, 4.17×/yr compute.

    The selection follows Epoch's; the data are a later vintage and peaks come from dlcost's
    catalogue, so the rates are compared within broad bands, not to the digit.
    """
    from dlcost.store.importers import import_path

    db = ResultsDB(":memory:", builtin=False)
    import_path(db, "epoch", shared_data / "epoch_ai_models")
    result = trend(db, sources=["epoch"], n_boot=500, random_state=0)
    assert result.n_models > 40
    for key in ("training_compute", *DRIVERS, "combined"):
        rate = result.rates[key]
        assert rate.n >= 20
        assert rate.ci[0] < rate.growth_per_year < rate.ci[1]
        epoch_median = EPOCH_2025[key][1]
        assert epoch_median / 1.6 < rate.growth_per_year < epoch_median * 1.6
    assert result.rates["training_compute"].growth_per_year > 3
    drivers = {k: result.rates[k].growth_per_year for k in DRIVERS}
    assert max(drivers, key=drivers.__getitem__) == "hardware_quantity"


def test_a_selection_object_and_keywords_choose_the_same_models() -> None:
    from dlcost.decompose import TrendSelection, trend_data

    db = synthetic_store({"hardware_flop_per_s": 1.3, "hardware_quantity": 1.3,
                          "training_time": 1.3})
    by_object, used, _ = trend_data(db, TrendSelection(since=2019.0, top_n=None))
    by_keywords, _, _ = trend_data(db, since=2019.0, top_n=None)
    pd.testing.assert_frame_equal(by_object, by_keywords)
    assert used["sources"] == ["epoch"] and used["since"] == 2019.0


def test_an_unknown_selection_option_is_named() -> None:
    from dlcost.exceptions import InvalidParameterError

    with pytest.raises(InvalidParameterError, match=r"unknown trend selection option.*sincee"):
        trend(synthetic_store({"hardware_flop_per_s": 1.3, "hardware_quantity": 1.3,
                          "training_time": 1.3}), sincee=2019)
