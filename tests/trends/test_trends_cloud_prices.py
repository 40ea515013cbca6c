"""``flops-per-dollar`` on dated on-demand cloud prices (``--prices cloud``), on the shipped data.

The cloud points are recomputed here by hand, in plain Python, from ``db.hardware_prices()``
and the chip facts of ``db.hardware()``; the release variant must stay what it was.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import defaultdict
from collections.abc import Iterator

import numpy as np
import pytest
from typer.testing import CliRunner

from dlcost.cli.main import app
from dlcost.exceptions import InvalidParameterError
from dlcost.store import ResultsDB, open_db
from dlcost.trends import CLOUD_FLOPS_PER_DOLLAR, Selection, trend, trend_rows

runner = CliRunner()


@pytest.fixture(scope="module")
def db() -> Iterator[ResultsDB]:
    store = open_db(":memory:")
    yield store
    store.close()


def _decimal_year(day: dt.date) -> float:
    return day.year + (day.timetuple().tm_yday - 1) / 365.25


def _by_hand(db: ResultsDB, column: str = "peak_fp32_flop_per_s",
             ) -> dict[str, tuple[float, float]]:
    """``"chip 2023Q4"`` → (median decimal year, FLOP per USD), from the raw tables."""
    peak = {str(r["name"]).strip(): r[column] for _, r in db.hardware().iterrows()}
    groups: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for _, r in db.hardware_prices().iterrows():
        chip, usd = str(r["hardware"]).strip(), r["on_demand_usd_per_chip_hour"]
        flops = peak.get(chip)
        if not (usd > 0) or flops is None or not (flops > 0):  # NaN fails both
            continue
        day = r["price_date"]
        day = day.date() if hasattr(day, "date") else day
        key = f"{chip} {day.year}Q{(day.month - 1) // 3 + 1}"
        groups[key].append((_decimal_year(day), float(usd)))
    out = {}
    for key, obs in groups.items():
        flops = float(peak[key.rsplit(" ", 1)[0]])
        out[key] = (statistics.median(y for y, _ in obs),
                    flops * 3600.0 / statistics.median(u for _, u in obs))
    return out


def test_cloud_points_are_the_median_on_demand_price_per_chip_and_quarter(
        db: ResultsDB) -> None:
    rows = trend_rows(db, "flops-per-dollar", prices="cloud")
    assert rows.quantity is CLOUD_FLOPS_PER_DOLLAR
    assert rows.selection.prices == "cloud" and rows.selection.precision == "fp32"
    assert set(rows.selection.sources or ()) >= {"epoch-hardware", "epoch-prices"}
    expected = _by_hand(db)
    got = {n: (y, v) for n, y, v in rows.frame[["name", "year", "value"]].itertuples(
        index=False)}
    assert set(got) == set(expected) and len(got) > 50
    for name, (year, value) in expected.items():
        assert got[name][0] == pytest.approx(year, abs=1e-12)
        assert got[name][1] == pytest.approx(value, rel=1e-12)
    # One H100 quarter with several vendors or regions: one point, not one per price row.
    prices = db.hardware_prices()
    on_demand = prices[prices["on_demand_usd_per_chip_hour"] > 0]
    assert len(rows.frame) < len(on_demand)
    note = next(n for n in rows.notes if n.startswith("cloud prices:"))
    assert f"in {len(rows.frame)} chip-quarter observations" in note
    assert f"of {len(prices)} price rows" in note
    assert "without an on-demand price" in note and "without a peak FLOP/s at fp32" in note


def test_cloud_fit_is_the_ols_of_the_hand_made_points(db: ResultsDB) -> None:
    points = _by_hand(db, "peak_fp16_tensor_flop_per_s")
    years = np.array([y for y, _ in points.values()])
    logs = np.log10([v for _, v in points.values()])
    slope = np.polyfit(years, logs, 1)[0]
    result = trend(db, "flops-per-dollar", Selection(prices="cloud", precision="tensor-fp16"))
    assert result.fit.n_ == len(points)
    assert result.fit.growth_per_year_ == pytest.approx(10.0 ** slope, rel=1e-9)
    assert result.anchors == ()  # Epoch's figure is on purchase prices
    doc = result.to_dict()
    assert doc["unit"] == "FLOP per USD (on-demand rental)"
    assert doc["selection"]["prices"] == "cloud"


def test_release_prices_stay_the_default(db: ResultsDB) -> None:
    default = trend(db, "flops-per-dollar")
    assert default.selection.prices == "release"
    assert "prices" not in default.to_dict()["selection"]
    hw = db.hardware()
    value = hw["peak_fp32_flop_per_s"] / hw["release_price_usd"]
    keep = (value > 0) & hw["release_date"].notna()
    years = [_decimal_year(d.date() if hasattr(d, "date") else d)
             for d in hw.loc[keep, "release_date"]]
    slope = np.polyfit(years, np.log10(value[keep].to_numpy(dtype=float)), 1)[0]
    assert default.fit.growth_per_year_ == pytest.approx(10.0 ** slope, rel=1e-9)
    assert default.anchors and default.quantity.unit == "FLOP/s per USD"


def test_cli_default_is_byte_identical_to_release_and_cloud_differs() -> None:
    base = runner.invoke(app, ["--db", ":memory:", "trend", "flops-per-dollar", "--json"])
    explicit = runner.invoke(app, ["--db", ":memory:", "trend", "flops-per-dollar",
                                   "--prices", "release", "--json"])
    cloud = runner.invoke(app, ["--db", ":memory:", "trend", "flops-per-dollar",
                                "--prices", "cloud", "--json"])
    assert base.exit_code == explicit.exit_code == cloud.exit_code == 0, cloud.output
    assert base.stdout == explicit.stdout
    assert list(json.loads(base.stdout)["selection"]) == [
        "subset", "frontier_top", "domain", "organization", "since", "until", "exclude",
        "precision", "sources"]
    doc = json.loads(cloud.stdout)
    assert doc["selection"]["prices"] == "cloud" and doc["anchors"] == []
    table = runner.invoke(app, ["--db", ":memory:", "trend", "flops-per-dollar", "--prices",
                                "cloud", "--since", "2020", "--organization", "nvidia"])
    assert table.exit_code == 0, table.output
    assert "on-demand cloud time" in table.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["flops-per-dollar", "--prices", "spot"], "Error: unknown price basis 'spot'"),
    (["compute", "--prices", "cloud"], "Error: --prices applies to flops-per-dollar"),
])
def test_bad_price_basis_is_one_error_line(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["--db", ":memory:", "trend", *args])
    assert result.exit_code == 1
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


def test_bad_price_basis_in_python(db: ResultsDB) -> None:
    with pytest.raises(InvalidParameterError, match="release, cloud"):
        trend_rows(db, "flops-per-dollar", prices="list")
