"""Refitting the paper's forms on many subsets of the rows, on arrays.

Cross-validation and leave-one-out refit one regression per fold: hundreds of fits of a few
dozen points, where building a frame and a fit object per fold costs ~40× the arithmetic.
:func:`holdout_predictions` does the arithmetic of fitting each fold's frame and calling
``predict`` — the same operations in the same order, so the same numbers bit for bit (tests
compare them with the fit objects on the real data).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from dlcost.exceptions import FitError
from dlcost.fitting.models import BASE_YEAR, FORMS
from dlcost.fitting.variants import check_points, make_variant
from dlcost.stats import ols_params


def holdout_predictions(
    form: str,
    compute: NDArray[np.float64],
    error: NDArray[np.float64],
    folds: Sequence[NDArray[np.integer]],
    *,
    usable: NDArray[np.bool_] | None = None,
) -> list[NDArray[np.float64] | Exception]:
    """For each fold (the indices held out): the error that ``make_fit(form)`` (OLS) fitted
    on the other rows predicts at the held-out compute, or the exception that fit raised.

    The arithmetic of fitting each fold's frame and calling ``predict``, bit for bit (tests
    compare them), on arrays: no frames, no fit objects, no statistics beyond the
    coefficients — cross-validation refits hundreds of folds. ``usable`` leaves rows out of
    every training set (as filtering each fold's frame would).
    """
    model = FORMS[form]
    strategy = make_variant("ols")
    n = len(compute)
    out: list[NDArray[np.float64] | Exception] = []
    for held in folds:
        train = np.setdiff1d(np.arange(n), held)
        if usable is not None:
            train = train[usable[train]]
        c, e = compute[train], error[train]
        try:
            check_points(c, e, need=strategy.min_points, form=model.form_label)
            coef = ols_params(strategy.design(np.log10(c), None, BASE_YEAR), model.response(e))
        except (FitError, np.linalg.LinAlgError) as exc:
            out.append(exc)
            continue
        x = np.log10(np.asarray(compute[held], dtype=float))
        out.append(model.error_from_response(coef[..., 0] + coef[1] * x))
    return out
