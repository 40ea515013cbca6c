"""Which rows a trend uses: Epoch's running top N, subsets, windows; and trend() on real data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlcost.exceptions import DlcostError, FitError, InvalidParameterError
from dlcost.store import ResultsDB
from dlcost.trends import Selection, rolling_top, trend, trend_rows


def test_rolling_top_by_hand() -> None:
    values = pd.Series([5.0, 3.0, 8.0, 1.0, 9.0, 4.0, np.nan])
    when = pd.Series([2010.0, 2011.0, 2012.0, 2013.0, 2014.0, 2015.0, 2016.0])
    # Top 2 so far: {5}, {5,3}, {8,5}, 1 no, {9,8}, 4 no, NaN no.
    assert rolling_top(values, when, 2).tolist() == [True, True, True, False, True, False,
                                                     False]


@settings(max_examples=80, deadline=None)
@given(data=st.lists(st.tuples(st.integers(2010, 2016), st.floats(1.0, 1e6)),
                     min_size=1, max_size=30),
       n=st.integers(1, 5), seed=st.integers(0, 2**32 - 1))
def test_rolling_top_is_invariant_to_row_order(data: list[tuple[int, float]], n: int,
                                               seed: int) -> None:
    frame = pd.DataFrame(data, columns=["when", "value"])
    frame.index = [f"m{i}" for i in range(len(frame))]
    expected = rolling_top(frame["value"], frame["when"].astype(float), n)
    shuffled = frame.sample(frac=1.0, random_state=np.random.RandomState(seed % 2**32))
    got = rolling_top(shuffled["value"], shuffled["when"].astype(float), n)
    assert got.sort_index().equals(expected.sort_index())
    # Never more than n rows in the top on any one date-ordered prefix of distinct dates.
    assert int(expected.sum()) >= min(n, len(frame))


def test_trend_recovers_the_rate_and_respects_the_selection(model_store: Any) -> None:
    db = model_store()
    result = trend(db, "compute")
    assert result.fit.growth_per_year_ == pytest.approx(4.0, rel=1e-9)
    assert result.fit.n_ == 20  # notable only
    assert trend(db, "compute", subset="all").fit.n_ == 30
    power = trend(db, "power", subset="all")
    assert power.fit.growth_per_year_ == pytest.approx(2.0, rel=1e-9)
    assert trend(db, "compute", subset="all", domain="language").fit.n_ == 15
    assert trend(db, "compute", subset="all", organization="lab b").fit.n_ == 15
    windowed = trend(db, "compute", subset="all", since="2014-01-01", until="2016-12-31")
    assert windowed.fit.start_ >= 2014 and windowed.fit.end_ <= 2017
    # A bare year as --until keeps the whole year.
    assert trend(db, "compute", subset="all", since="2014", until="2016").fit.n_ \
        == windowed.fit.n_
    excluded = trend(db, "compute", subset="all", exclude=["model 0", "nothing"])
    assert excluded.fit.n_ == 29 and any("nothing" in n for n in excluded.notes)
    doc = result.to_dict()
    assert list(doc)[:10] == ["quantity", "selection", "n", "start", "end", "growth_per_year",
                              "growth_ci", "doubling_years", "doubling_ci", "confidence"]


def test_frontier_is_taken_before_the_window(model_store: Any) -> None:
    """Every model here is a new record, so the top 1 is everything, whatever the window;
    a late weak model is in the top 1 of a window only if it was taken after the window."""
    db = model_store()
    rows = trend_rows(db, "compute", subset="all", frontier_top=1, since="2015-01-01")
    assert rows.frame["frontier"].all()
    assert len(rows.frame) == len(trend_rows(db, "compute", subset="all",
                                             since="2015-01-01").frame)


def test_selection_errors(model_store: Any) -> None:
    db = model_store()
    with pytest.raises(DlcostError, match="unknown quantity"):
        trend(db, "speed")
    with pytest.raises(DlcostError, match="--precision applies"):
        trend(db, "compute", precision="fp32")
    with pytest.raises(DlcostError, match="before --since"):
        trend(db, "compute", since="2020", until="2015")
    with pytest.raises(FitError, match="at least 3 points"):
        trend(db, "compute", since="2030-01-01")
    with pytest.raises(FitError, match="no ML hardware"):
        trend(db, "chip-flops")


def test_a_selection_object_and_keywords_choose_the_same_rows(model_store: Any) -> None:
    """trend(db, q, Selection(...)) is trend(db, q, **fields); keywords override the object."""
    db = model_store()
    chosen = Selection(subset="all", domain="language", since="2014", exclude=["model 0"])
    by_object = trend(db, "compute", chosen)
    by_keywords = trend(db, "compute", subset="all", domain="language", since="2014",
                        exclude=["model 0"])
    assert by_object.to_dict() == by_keywords.to_dict()
    assert by_object.selection == by_keywords.selection
    # The result records the selection as applied: the request plus the sources read.
    assert by_object.selection.sources is not None and chosen.sources is None
    widened = trend_rows(db, "compute", chosen, domain=None)
    assert widened.selection.domain is None and widened.selection.subset == "all"
    assert len(widened.frame) > len(trend_rows(db, "compute", chosen).frame)
    with pytest.raises(InvalidParameterError, match=r"unknown trend selection option.*top_n"):
        trend(db, "compute", top_n=10)
    with pytest.raises(AttributeError):
        chosen.since = "2015"  # type: ignore[misc]
    assert Selection(exclude=["a"], sources=["epoch"]) == Selection(exclude=("a",),
                                                                    sources=("epoch",))


@pytest.fixture(scope="module")
def epoch_db(shared_data: Path):  # type: ignore[no-untyped-def]
    from dlcost.store.importers import import_path

    db = ResultsDB(":memory:", builtin=False)
    import_path(db, "epoch", shared_data / "epoch_ai_models")
    import_path(db, "epoch-hardware", shared_data / "epoch_ml_hardware" / "ml_hardware.csv")
    yield db
    db.close()


def test_epoch_anchors_on_the_shared_data(epoch_db: ResultsDB) -> None:
    """Our figures on the shared vintage of Epoch's data, beside Epoch's published ones.

    Tolerances are wide on purpose: the data vintage differs from the publications'. Each
    published figure must lie inside our 90 % interval, widened by 15 %.
    """
    cases = [
        ("compute", {"subset": "notable", "since": "2010-01-01", "until": "2024-05-31"}, 4.1),
        ("cost", {"frontier_top": 10, "since": "2016-01-01", "until": "2023-12-31"}, 2.4),
        ("power", {"frontier_top": 10, "since": "2010-01-01", "until": "2024-09-19"}, 2.1),
        ("chip-flops", {"precision": "fp32"}, 1.29),
    ]
    for quantity, options, anchor in cases:
        fit = trend(epoch_db, quantity, **options).fit
        lo, hi = fit.growth_ci_
        assert lo / 1.15 <= anchor <= hi * 1.15, (quantity, fit)
        assert fit.n_ >= 30


def test_acceptance_commands_run_on_the_embedded_snapshot() -> None:
    """The issue's four commands on a fresh store (Epoch AI's shipped snapshot)."""
    from dlcost.store import open_db

    with open_db(":memory:") as db:
        assert "epoch" in db.sources()
        for quantity, options in (
            ("compute", {"subset": "notable", "since": "2010-01-01"}),
            ("cost", {"frontier_top": 10, "since": "2016-01-01", "until": "2023-12-31"}),
            ("power", {"frontier_top": 10, "since": "2010-01-01", "until": "2024-09-19"}),
            ("chip-flops", {"precision": "fp32"}),
        ):
            fit = trend(db, quantity, **options).fit
            assert fit.n_ >= 30 and fit.growth_ci_[0] > 1
