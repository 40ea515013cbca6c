"""The frontier era's fast paths give the straightforward computation's numbers, bit for bit.

Each shortcut (leave-one-out without refitting frames, the ECI bootstrap as one batch, the
joins kept per store state) is compared with the plain loop it replaces on the real data.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dlcost.backtest.extrapolation import compute_extrapolation, extrapolation_table
from dlcost.benchmarks import LM_BENCHMARKS
from dlcost.exceptions import FitError
from dlcost.fitting.compare import Form, held_out_errors, score_forms
from dlcost.fitting.logistic import LogisticFit, leave_one_out
from dlcost.frontier import Comparability, lm_data
from dlcost.frontier.data import joined_scores
from dlcost.frontier.progress import (
    _interval,
    _trend,
    _within_slope,
    eci_models,
    eci_progress,
    families,
)
from dlcost.store import ResultsDB
from dlcost.store.importers import import_path


@pytest.fixture(scope="module")
def db(shared_data: Path) -> ResultsDB:
    store = ResultsDB(":memory:", builtin=False)
    import_path(store, "epoch-benchmarks", shared_data / "epoch_benchmarks")
    import_path(store, "epoch", shared_data / "epoch_ai_models")
    return store


def _datasets(db: ResultsDB) -> list:  # type: ignore[type-arg]
    out = []
    for bench in LM_BENCHMARKS:
        try:
            out.append(lm_data(db, bench))
        except FitError:
            continue
    assert len(out) >= 10
    return out


def test_leave_one_out_shortcuts_match_refitting_fold_by_fold(db: ResultsDB) -> None:
    for data in _datasets(db):
        forms = score_forms(data.floor)
        assert all(isinstance(f, Form) and f.leave_one_out is not None for f in forms.values())
        fast = held_out_errors(forms, data.frame)
        plain = held_out_errors({k: f.factory for k, f in forms.items()}, data.frame)
        pd.testing.assert_frame_equal(fast, plain, check_exact=True)
        assert (fast["n_predicted"] == len(data)).all()


def test_logistic_leave_one_out_predictions_are_the_refits(db: ResultsDB) -> None:
    for bench in ("mmlu", "gsm8k", "bbh"):
        data = lm_data(db, bench)
        compute = data.frame["compute_flop"].to_numpy(float)
        score = data.frame["score"].to_numpy(float)
        fast = leave_one_out(compute, score, floor=data.floor)
        assert fast is not None
        for i in range(len(score)):
            keep = np.arange(len(score)) != i
            fit = LogisticFit(floor=data.floor, n_boot=0).fit(data.frame[keep])
            assert fit.predict(compute[[i]])[0] == fast[i]


def test_leave_one_out_declines_what_it_cannot_reproduce() -> None:
    # Four points: a fold has three, below the logistic's minimum, so the caller must refit.
    assert leave_one_out(np.array([1e20, 1e21, 1e22, 1e23]), np.full(4, 0.5)) is None
    frame = pd.DataFrame({"compute_flop": [1e20, 1e21, 1e22, 1e23], "score": 0.5})
    table = held_out_errors(score_forms(0.25, forms=("logistic",)), frame)
    assert int(table.loc["logistic", "failed_folds"]) == 4


def _eci_loop(db: ResultsDB, n_boot: int, seed: int) -> tuple[tuple[float, float], list[float]]:
    """The ECI bootstrap as first written: one resample after another."""
    frame = eci_models(db)
    frame["family"] = families(frame)
    x_all = np.log(frame["compute_flop"].to_numpy())
    spread = frame.groupby("family")["compute_flop"].transform(lambda s: s.nunique() >= 2)
    fam = frame[spread]
    fx, fy = np.log(fam["compute_flop"].to_numpy()), fam["eci"].to_numpy()
    ff = fam["family"].to_numpy()
    t, y = frame["year"].to_numpy(), frame["eci"].to_numpy()
    rng = np.random.default_rng(seed)
    names = np.unique(ff)
    gains, ks = np.full(n_boot, np.nan), np.full(n_boot, np.nan)
    for i in range(n_boot):
        picked = rng.choice(len(names), size=len(names))
        w = np.bincount(picked, minlength=len(names)).astype(float)[np.searchsorted(names, ff)]
        kb = _within_slope(fx, fy, ff, w)
        mw = np.bincount(rng.integers(0, len(y), len(y)), minlength=len(y)).astype(float)
        sb = _trend(t, y - kb * x_all, mw)
        ks[i] = kb
        if kb > 0 and np.isfinite(sb):
            gains[i] = math.exp(min(sb / kb, 700.0))
    return _interval(gains, 0.9), list(_interval(ks, 0.9))


def test_eci_bootstrap_in_one_batch_is_the_loop(db: ResultsDB) -> None:
    est = eci_progress(db, n_boot=400, random_state=3)
    ci, k_ci = _eci_loop(db, 400, 3)
    assert est.ci == ci
    assert est.details["k_ci"] == k_ci


def test_points_are_kept_per_store_state_and_handed_out_as_copies(db: ResultsDB) -> None:
    first = lm_data(db, "mmlu")
    first.frame.loc[:, "score"] = -1.0
    first.notes.append("changed by the caller")
    again = lm_data(db, "mmlu")
    assert (again.frame["score"] > 0).all()
    assert "changed by the caller" not in again.notes
    # Filters given as a list (unhashable) are still served, just not kept.
    listed = lm_data(db, "mmlu", filters=Comparability(origins=["external", "epoch_run"]))  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(listed.frame, again.frame)


def test_a_new_import_is_seen(shared_data: Path) -> None:
    store = ResultsDB(":memory:", builtin=False)
    import_path(store, "epoch-benchmarks", shared_data / "epoch_benchmarks")
    before = len(lm_data(store, "mmlu"))  # no models table yet: no compute joined
    import_path(store, "epoch", shared_data / "epoch_ai_models")
    assert before == 0 < 20 < len(lm_data(store, "mmlu"))


def test_extrapolation_from_the_shared_join_is_the_per_benchmark_one(db: ResultsDB) -> None:
    scores = joined_scores(db)
    for bench in ("bbh", "mmlu", "gsm8k"):
        data = lm_data(db, bench)
        plain = extrapolation_table(data.frame, data.floor, data.benchmark.id)
        fast = compute_extrapolation(db, bench)
        pd.testing.assert_frame_equal(fast.table, plain.table, check_exact=True)
        assert fast.cutoffs == plain.cutoffs
        shared = lm_data(db, bench, scores=scores)
        assert shared.counts == data.counts and shared.notes == data.notes
