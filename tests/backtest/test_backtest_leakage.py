"""No information from after an origin reaches the origin's fit: perturbing every later row
(errors, compute, imputation inputs; the running top N) leaves the fit unchanged, and the
perturbation does reach fits whose window includes the rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dlcost.backtest import curve_fit_at, growth_fit_at, time_fit_at
from dlcost.backtest.rolling import all_results, published

ORIGIN = 2019


@pytest.fixture(scope="module")
def imagenet_rows(futuretech_db) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    rows = futuretech_db.results(benchmark="imagenet").reset_index(drop=True)
    rows["published"] = published(rows)
    return rows


def _perturb_later(rows: pd.DataFrame, origin: int) -> pd.DataFrame:
    out = rows.copy()
    later = out["published"] >= origin + 1
    assert later.sum() > 10
    out.loc[later, "error"] = out.loc[later, "error"] / 3.0
    for col in ("hardware_burden", "network_operations"):
        out.loc[later, col] = out.loc[later, col] * 1e3
    return out


def test_curve_fit_ignores_later_rows(imagenet_rows: pd.DataFrame) -> None:
    before = curve_fit_at(imagenet_rows, "imagenet", ORIGIN)
    after = curve_fit_at(_perturb_later(imagenet_rows, ORIGIN), "imagenet", ORIGIN)
    assert before is not None and after is not None
    np.testing.assert_array_equal(before.coef_, after.coef_)
    assert before.n_ == after.n_
    # the check can fail: a later origin sees the perturbed rows
    moved = curve_fit_at(_perturb_later(imagenet_rows, ORIGIN), "imagenet", ORIGIN + 2)
    same = curve_fit_at(imagenet_rows, "imagenet", ORIGIN + 2)
    assert moved is not None and same is not None
    assert not np.allclose(moved.coef_, same.coef_)


def test_time_fit_ignores_later_rows(imagenet_rows: pd.DataFrame) -> None:
    a = time_fit_at(all_results(imagenet_rows), ORIGIN)
    b = time_fit_at(all_results(_perturb_later(imagenet_rows, ORIGIN)), ORIGIN)
    assert a is not None and b is not None
    assert (a.slope_, a.intercept_, a.n_) == (b.slope_, b.intercept_, b.n_)


def test_growth_fit_ignores_later_rows(rng: np.random.Generator) -> None:
    year = np.sort(rng.uniform(2010, 2024, 300))
    rows = pd.DataFrame({"name": [f"m{i}" for i in range(len(year))], "year": year,
                         "value": 10.0 ** (18 + 0.6 * (year - 2010) + rng.normal(0, 0.5,
                                                                                  len(year)))})
    later = rows["year"] >= ORIGIN + 1
    bumped = rows.copy()
    # giants released later would change the running top N if it looked ahead
    bumped.loc[later, "value"] *= 1e6
    a, b = growth_fit_at(rows, ORIGIN), growth_fit_at(bumped, ORIGIN)
    assert a is not None and b is not None
    assert (a.slope_, a.intercept_, a.n_) == (b.slope_, b.intercept_, b.n_)
    c, d = growth_fit_at(rows, ORIGIN + 3), growth_fit_at(bumped, ORIGIN + 3)
    assert c is not None and d is not None
    assert c.slope_ != d.slope_
