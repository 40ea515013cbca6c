"""Cross-validation refits folds on arrays: the same numbers as refitting fit objects."""

from __future__ import annotations

import numpy as np
import pytest

from dlcost.benchmarks import BENCHMARKS
from dlcost.exceptions import FitError
from dlcost.fitting import make_fit, scaling_data
from dlcost.fitting.crossval import compare_forms
from dlcost.fitting.holdout import held_out_predictions, ols_refit


def _objects(form: str):  # type: ignore[no-untyped-def]
    """A factory of fit objects: compare_forms refits it fold by fold (the plain path)."""
    def make():  # type: ignore[no-untyped-def]
        return make_fit(form)
    make.form = form  # type: ignore[attr-defined]
    return make


@pytest.mark.parametrize("k", [None, 5])
def test_fold_refits_on_arrays_are_the_fit_objects(futuretech_db, k: int | None) -> None:  # type: ignore[no-untyped-def]
    checked = 0
    for bench in BENCHMARKS:
        try:
            data = scaling_data(futuretech_db, bench)
        except FitError:
            continue
        fast = compare_forms(data, ("poly", "exp"), k=k)
        plain = compare_forms(data, (_objects("poly"), _objects("exp")), k=k)
        for a, b in zip(fast.scores, plain.scores, strict=True):
            assert a.form == b.form
            np.testing.assert_array_equal(a.misses, b.misses)
            assert (a.rmse, a.mae, a.n_undefined) == (b.rmse, b.mae, b.n_undefined)
        assert (fast.mse_difference, fast.mse_difference_se) == \
            (plain.mse_difference, plain.mse_difference_se)
        checked += 1
    assert checked >= 5


def test_a_fold_that_cannot_be_fitted_reports_its_error() -> None:
    compute = np.array([1e18, 1e18, 1e18, 1e20])
    error = np.array([0.5, 0.4, 0.3, 0.2])
    fit = ols_refit("poly", compute, error)
    with pytest.raises(FitError):
        fit(np.array([0, 1, 2]))  # the rest share one compute: no slope
    assert fit(np.array([1, 2, 3]))(compute[[0]]).shape == (1,)
    predicted, failed = held_out_predictions(fit, compute, [np.array([3]), np.array([0])])
    assert failed == 1 and np.isnan(predicted[3]) and np.isfinite(predicted[0])
