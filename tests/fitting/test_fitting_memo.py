"""Results derived from the store are kept while the store is unchanged, and handed out as
copies: a caller's changes never reach the next answer, and a change of the store does."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dlcost.fitting import scaling_data
from dlcost.fitting.memo import store_memo, store_state
from dlcost.store import ResultsDB
from dlcost.store.importers import import_path
from dlcost.trends import trend_rows


def test_scaling_data_is_kept_and_copied(shared_data: Path) -> None:
    db = ResultsDB(":memory:", builtin=False)
    import_path(db, "futuretech", shared_data / "futuretech_2022")
    first = scaling_data(db, "imagenet", sources=["futuretech"])
    assert any(k[0] == "scaling_data" for k in store_memo(db))
    first.frame.loc[:, "error"] = 2.0
    first.notes.append("changed by the caller")
    again = scaling_data(db, "imagenet", sources=["futuretech"])
    assert (again.frame["error"] < 1).all() and "changed by the caller" not in again.notes
    third = scaling_data(db, "imagenet", sources=["futuretech"])
    pd.testing.assert_frame_equal(again.frame, third.frame)
    before = store_state(db)
    db.con.execute("DELETE FROM results WHERE benchmark = 'imagenet' AND year < 2015")
    assert store_state(db) != before  # even a change behind the store's back is seen
    assert len(scaling_data(db, "imagenet", sources=["futuretech"])) < len(again)
    db.close()


def test_trend_rows_select_from_kept_models(shared_data: Path) -> None:
    db = ResultsDB(":memory:", builtin=False)
    import_path(db, "epoch", shared_data / "epoch_ai_models")
    first = trend_rows(db, "compute", subset="notable", since="2010-01-01")
    first.frame.loc[:, "value"] = -1.0
    again = trend_rows(db, "compute", subset="notable", since="2010-01-01")
    assert (again.frame["value"] > 0).all() and len(again.frame) > 300
    top = trend_rows(db, "compute", subset="notable", frontier_top=10)
    assert 0 < len(top.frame) < len(trend_rows(db, "compute", subset="notable").frame)
    db.close()


def test_an_in_place_text_edit_is_a_new_state(shared_data: Path) -> None:
    """``sanitize_text`` changes cells, not imports or counts: the memo must still forget."""
    db = ResultsDB(":memory:", builtin=False)
    import_path(db, "futuretech", shared_data / "futuretech_2022")
    first = scaling_data(db, "imagenet", sources=["futuretech"])
    db.con.execute("UPDATE results SET model = model || chr(8238) WHERE benchmark = 'imagenet'")
    before = store_state(db)
    assert db.sanitize_text() > 0
    assert store_state(db) != before
    again = scaling_data(db, "imagenet", sources=["futuretech"])
    assert len(again) == len(first)
    assert again.frame["model"].str.endswith("\ufffd").all()
    db.close()
