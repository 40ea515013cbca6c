"""The one held-out implementation (:mod:`dlcost.fitting.holdout`): folds, the fold loop, the
scales."""

from __future__ import annotations

import numpy as np
import pytest

from dlcost.exceptions import FitError
from dlcost.fitting.holdout import (
    LOG10_INV_ERROR,
    folds_for,
    held_out_predictions,
    misses,
    score_scale,
)


def test_leave_one_out_of_the_mean_is_the_mean_of_the_others() -> None:
    """Closed form: the mean without point i is (Σy − yᵢ)/(n − 1)."""
    y = np.array([1.0, 4.0, 2.0, 8.0, 5.0])

    def fit(train):  # type: ignore[no-untyped-def]
        level = y[train].mean()
        return lambda at: np.full(len(at), level)

    predicted, failed = held_out_predictions(fit, np.zeros(len(y)), folds_for(len(y), "loo"))
    np.testing.assert_allclose(predicted, (y.sum() - y) / (len(y) - 1), rtol=1e-12)
    assert failed == 0


def test_a_failed_fold_is_counted_and_left_undefined() -> None:
    def fit(train):  # type: ignore[no-untyped-def]
        if 0 not in train:
            raise FitError("no")
        return lambda at: np.ones(len(at))

    predicted, failed = held_out_predictions(fit, np.zeros(4), folds_for(4, "loo"))
    assert failed == 1 and np.isnan(predicted[0]) and np.all(predicted[1:] == 1.0)


def test_k_folds_partition_the_rows_and_are_seeded() -> None:
    folds = folds_for(11, 3, 7)
    assert sorted(np.concatenate(folds).tolist()) == list(range(11))
    assert [f.tolist() for f in folds] == [f.tolist() for f in folds_for(11, 3, 7)]
    with pytest.raises(FitError, match="folds must be"):
        folds_for(3, 1)


def test_scales() -> None:
    truth = np.array([0.1, 0.1, 0.1, 0.1])
    predicted = np.array([0.01, 0.0, np.nan, -1.0])
    got = misses(predicted, truth, LOG10_INV_ERROR)
    assert got[0] == pytest.approx(1.0, rel=1e-12) and np.isnan(got[1:]).all()
    np.testing.assert_array_equal(misses(np.array([0.5, 0.7]), np.array([0.25, 0.7]),
                                         score_scale()), [25.0, 0.0])
