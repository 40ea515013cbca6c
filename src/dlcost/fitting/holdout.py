"""Held-out prediction: the one leave-one-out / k-fold implementation of dlcost.

A form is scored by how well it predicts points it was not fitted on: the rows are split into
folds (:func:`folds_for`: one point each for leave-one-out, or k shuffled folds), each fold's
points are predicted by a fit made without them (:func:`held_out_predictions`), and the misses
are measured on one common :class:`Scale` (:func:`misses`). Two callers use it:
:mod:`dlcost.fitting.crossval` (the paper's forms, misses in log10(1/err):
:data:`LOG10_INV_ERROR`) and :mod:`dlcost.fitting.compare` (any forms of the score, misses in
percentage points: :func:`score_scale`).

The fit of a fold is any function of the training row indices that returns a predictor.
:func:`ols_refit` is the fast one for the paper's forms: cross-validation refits hundreds of
folds of a few dozen points, where building a frame and a fit object per fold costs ~40× the
arithmetic, so it does the arithmetic of fitting each fold's frame with ``make_fit(form)`` and
calling ``predict`` on arrays — the same operations in the same order, so the same numbers bit
for bit (tests compare them with the fit objects on the real data).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from dlcost.exceptions import FitError
from dlcost.fitting.models import BASE_YEAR, FORMS
from dlcost.fitting.variants import check_points, make_variant
from dlcost.stats import ols_params

if TYPE_CHECKING:
    import pandas as pd

Predictor = Callable[[NDArray[np.float64]], NDArray[np.float64]]
#: The fit of one fold: training row indices → a predictor of the held-out points.
FoldFit = Callable[[NDArray[np.int64]], Predictor]
Transform = Callable[[NDArray[np.float64]], NDArray[np.float64]]


@dataclass(frozen=True)
class Scale:
    """The scale misses are measured on: ``(transform(predicted) − transform(truth)) × factor``
    (no ``transform``: the values themselves)."""

    name: str
    factor: float = 1.0
    transform: Transform | None = None


def _log10_inverse(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """log10(1/err) where err is a positive finite error, else NaN (an undefined miss)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out: NDArray[np.float64] = np.where((values > 0) & np.isfinite(values),
                                            -np.log10(values), np.nan)
    return out


#: The paper's scale: predictions and truths are errors, compared as log10(1/err).
LOG10_INV_ERROR = Scale("log10(1/err)", transform=_log10_inverse)


def score_scale(factor: float = 100.0) -> Scale:
    """Scores (fractions) compared as they are, times ``factor`` (100: percentage points)."""
    return Scale("score", factor=factor)


def folds_for(n: int, scheme: str | int, random_state: int | np.random.Generator | None = 0,
              ) -> list[NDArray[np.int64]]:
    """Held-out index sets: ``"loo"`` (one per point) or k shuffled folds (seeded)."""
    if scheme == "loo":
        return [np.array([i]) for i in range(n)]
    if not isinstance(scheme, int) or not 2 <= scheme <= n:
        raise FitError(f"folds must be 'loo' or an integer from 2 to n = {n}; got {scheme!r}")
    rng = random_state if isinstance(random_state, np.random.Generator) else \
        np.random.default_rng(random_state)
    return [np.sort(f) for f in np.array_split(rng.permutation(n), scheme)]


def held_out_predictions(
    fit: FoldFit,
    points: NDArray[np.float64],
    folds: Sequence[NDArray[np.integer]],
    *,
    failures: tuple[type[BaseException], ...] = (FitError,),
) -> tuple[NDArray[np.float64], int]:
    """Each held-out point predicted by ``fit`` made on the other rows, fold by fold.

    ``points`` are what predictors take (e.g. the compute of every row). A fold whose fit or
    prediction raises one of ``failures`` leaves NaN and is counted. Returns the predictions
    and the number of failed folds.
    """
    n = len(points)
    predicted = np.full(n, np.nan)
    failed = 0
    for held in folds:
        train = np.setdiff1d(np.arange(n), held)
        try:
            predicted[held] = fit(train)(points[held])
        except failures:
            failed += 1
    return predicted, failed


def frame_fit(factory: Callable[[pd.DataFrame], Predictor], frame: pd.DataFrame) -> FoldFit:
    """The fold fit of ``factory`` (a training frame → a predictor): its rows of ``frame``."""
    def fit(train: NDArray[np.int64]) -> Predictor:
        return factory(frame.iloc[train])
    return fit


def misses(predicted: NDArray[np.float64], truth: NDArray[np.float64],
           scale: Scale) -> NDArray[np.float64]:
    """Predicted minus true on ``scale``; NaN where a prediction is missing or undefined."""
    if scale.transform is not None:
        predicted, truth = scale.transform(predicted), scale.transform(truth)
    out: NDArray[np.float64] = (predicted - truth) * scale.factor
    return out


def ols_refit(form: str, compute: NDArray[np.float64], error: NDArray[np.float64], *,
              usable: NDArray[np.bool_] | None = None) -> FoldFit:
    """The fold fit of ``make_fit(form)`` (OLS) on arrays: training rows → a predictor of the
    error at a compute, the numbers of fitting the fold's frame and calling ``predict``.

    No frames, no fit objects, no statistics beyond the coefficients. ``usable`` leaves rows
    out of every training set (as filtering each fold's frame would). A fold that cannot be
    fitted raises what the fit would (``FitError``, or numpy's ``LinAlgError``).
    """
    model = FORMS[form]
    strategy = make_variant("ols")

    def fit(train: NDArray[np.int64]) -> Predictor:
        if usable is not None:
            train = train[usable[train]]
        c, e = compute[train], error[train]
        check_points(c, e, need=strategy.min_points, form=model.form_label)
        coef = ols_params(strategy.design(np.log10(c), None, BASE_YEAR), model.response(e))

        def predict(at: NDArray[np.float64]) -> NDArray[np.float64]:
            x = np.log10(np.asarray(at, dtype=float))
            out: NDArray[np.float64] = model.error_from_response(coef[..., 0] + coef[1] * x)
            return out
        return predict
    return fit
