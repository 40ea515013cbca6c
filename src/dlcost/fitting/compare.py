"""Compare fitted forms by how well they predict points they were not fitted on.

AIC and R² cannot compare the paper's forms with each other or with a logistic: each models a
different response (log10(1/err), 1/err, the score). Held-out prediction error on one common
scale can: fit on all points but one (leave-one-out) or on k − 1 of k folds, predict the
points left out, and score the predictions on that scale (here the score, in percentage
points).

:func:`held_out_errors` is generic: a *form* is any function that takes a training frame and
returns a predictor (compute → score). :func:`score_forms` builds the three forms dlcost fits.
The folds, the refits and the misses are those of :mod:`dlcost.fitting.holdout`, which
:mod:`dlcost.fitting.crossval` uses on the paper's scale.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from dlcost.exceptions import FitError
from dlcost.fitting.holdout import (
    folds_for,
    frame_fit,
    held_out_predictions,
    misses,
    ols_refit,
    score_scale,
)

Predictor = Callable[[NDArray[np.float64]], NDArray[np.float64]]
FormFactory = Callable[[pd.DataFrame], Predictor]
#: Leave-one-out predictions of every point at once (compute, score → predictions), or None
#: where the shortcut cannot reproduce the fold-by-fold fits.
LeaveOneOut = Callable[[NDArray[np.float64], NDArray[np.float64]], "NDArray[np.float64] | None"]


@dataclass(frozen=True)
class Form:
    """A form factory (training frame → predictor) with an optional leave-one-out shortcut.

    :func:`held_out_errors` calls ``leave_one_out(compute, score)`` instead of refitting fold
    by fold when the folds are ``"loo"``; it must give the fold-by-fold numbers bit for bit
    (tests compare them on every language-model benchmark).
    """

    factory: FormFactory
    leave_one_out: LeaveOneOut | None = None

    def __call__(self, train: pd.DataFrame) -> Predictor:
        return self.factory(train)


def held_out_errors(
    forms: Mapping[str, FormFactory],
    frame: pd.DataFrame,
    *,
    target_col: str = "score",
    compute_col: str = "compute_flop",
    folds: str | int = "loo",
    scale: float = 100.0,
    random_state: int | np.random.Generator | None = 0,
) -> pd.DataFrame:
    """Held-out RMSE, MAE and bias of each form's predictions of ``target_col``.

    Errors are multiplied by ``scale`` (100: scores as fractions → percentage points). A fold
    whose fit fails (too few points) leaves its predictions out and is counted in
    ``failed_folds``. Returns one row per form: ``rmse, mae, bias, n_predicted,
    failed_folds, scheme``.
    """
    # Only the two columns travel into the folds (taking rows of a wide frame is slow).
    frame = frame[[compute_col, target_col]].reset_index(drop=True)
    n = len(frame)
    compute = frame[compute_col].to_numpy(dtype=float)
    target = frame[target_col].to_numpy(dtype=float)
    sets = folds_for(n, folds, random_state)
    rows: dict[str, dict[str, Any]] = {}
    for name, factory in forms.items():
        shortcut = getattr(factory, "leave_one_out", None)
        fast = (shortcut(compute, target) if shortcut is not None and folds == "loo"
                and (compute_col, target_col) == ("compute_flop", "score") else None)
        if fast is not None:
            predicted, failed = fast, 0
        else:
            predicted, failed = held_out_predictions(frame_fit(factory, frame), compute, sets)
        err = misses(predicted, target, score_scale(scale))
        ok = np.isfinite(err)
        rows[name] = {
            "rmse": float(np.sqrt(np.mean(err[ok] ** 2))) if ok.any() else float("nan"),
            "mae": float(np.mean(np.abs(err[ok]))) if ok.any() else float("nan"),
            "bias": float(np.mean(err[ok])) if ok.any() else float("nan"),
            "n_predicted": int(ok.sum()), "failed_folds": failed,
            "scheme": "leave-one-out" if folds == "loo" else f"{folds}-fold",
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def score_forms(floor: float, *, ceiling: float | str = 1.0,
                forms: tuple[str, ...] = ("poly", "exp", "logistic")) -> dict[str, FormFactory]:
    """The forms dlcost fits, as factories of score predictors (scores as fractions).

    ``poly`` and ``exp`` are the paper's forms on error = 1 − score (their predicted score is
    clipped to [0, 1]); ``logistic`` has its floor at ``floor``.
    """
    from dlcost.fitting.logistic import LogisticFit, leave_one_out
    from dlcost.fitting.models import make_fit

    def paper(form: str) -> Form:
        def factory(train: pd.DataFrame) -> Predictor:
            train = train.assign(error=1.0 - train["score"])
            # The paper's forms need 0 < error < 1: a score of 0 or 100 % cannot be fitted.
            fit = make_fit(form).fit(train[train["error"].between(0, 1, inclusive="neither")])

            def predict(compute: NDArray[np.float64]) -> NDArray[np.float64]:
                with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                    err = np.asarray(fit.predict(compute), dtype=float)
                return _score_from_error(err)
            return predict

        def loo(compute: NDArray[np.float64],
                score: NDArray[np.float64]) -> NDArray[np.float64] | None:
            return _paper_leave_one_out(form, compute, score)
        return Form(factory, loo)

    def logistic(train: pd.DataFrame) -> Predictor:
        fit = LogisticFit(floor=floor, ceiling=ceiling, n_boot=0).fit(train)
        return fit.predict

    def logistic_loo(compute: NDArray[np.float64],
                     score: NDArray[np.float64]) -> NDArray[np.float64] | None:
        return leave_one_out(compute, score, floor=floor, ceiling=ceiling)

    known: dict[str, FormFactory] = {"poly": paper("poly"), "exp": paper("exp"),
                                     "logistic": Form(logistic, logistic_loo)}
    unknown = [f for f in forms if f not in known]
    if unknown:
        raise FitError(f"unknown form(s) {', '.join(unknown)}; choose from poly, exp, logistic")
    return {f: known[f] for f in forms}


def _score_from_error(err: NDArray[np.float64]) -> NDArray[np.float64]:
    """A paper form's predicted error as a score: 1 − error, clipped to [0, 1]; an error that
    is not a positive number counts as 1 (a score of 0)."""
    err = np.where(np.isfinite(err) & (err > 0), err, 1.0)
    return np.clip(1.0 - err, 0.0, 1.0)


def _paper_leave_one_out(form: str, compute: NDArray[np.float64],
                         score: NDArray[np.float64]) -> NDArray[np.float64] | None:
    """The paper forms' leave-one-out predictions of the score, fold by fold on arrays.

    The same arithmetic as fitting ``make_fit(form)`` on each fold's frame and predicting the
    point left out (:func:`dlcost.fitting.holdout.ols_refit`; a test compares them bit for
    bit): error = 1 − score, the rows with 0 < error < 1, the prediction clipped to [0, 1].
    None where a fold would fail (the caller then fits fold by fold and counts it).
    """
    error = 1.0 - score
    fit = ols_refit(form, compute, error, usable=(error > 0) & (error < 1))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # as predict is
        predicted, failed = held_out_predictions(
            fit, compute, folds_for(len(score), "loo"),
            failures=(FitError, np.linalg.LinAlgError))
    return None if failed else _score_from_error(predicted)
