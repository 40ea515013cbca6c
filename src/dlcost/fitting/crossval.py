"""Which functional form predicts better: out-of-sample error on one common scale.

The power law fits log10(1/err) and the exponential fits 1/err, so their likelihoods (and
AICs) are of different responses and cannot be compared. Instead every form is scored the
same way: hold each point out (leave-one-out, or ``k`` folds), fit on the rest, predict the
held-out error, and measure the miss on the log10(1/err) scale, the scale of the paper's
figures. A lower root-mean-square miss is a better form; the paired difference of the squared
misses, with its standard error, says by how much and how surely.

Any form works: pass a form name of :data:`dlcost.fitting.FORMS` or a callable returning an
unfitted estimator with ``fit(frame)`` (returning itself) and ``predict(compute_flop)``
(returning errors), e.g. a logistic or saturating form defined elsewhere.

:mod:`dlcost.fitting.compare` does the same on the *score* scale for the language-model forms
(logistic included); this module keeps the paper's error scale, log10(1/err). Both run the
folds through :mod:`dlcost.fitting.holdout`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd

from dlcost.exceptions import DlcostError, FitError
from dlcost.fitting.holdout import (
    LOG10_INV_ERROR,
    Predictor,
    folds_for,
    frame_fit,
    held_out_predictions,
    misses,
    ols_refit,
)
from dlcost.fitting.models import FORMS, make_fit

#: Fewest points for a comparison: each training fold then keeps at least three.
MIN_POINTS = 4

#: How the verdict names the forms of :data:`dlcost.fitting.FORMS`.
FORM_NAMES: dict[str, str] = {"poly": "the power law", "exp": "the exponential"}

#: Relative gap in root-mean-square miss below which the forms are called "about as good".
#: A convention of this module (not from the paper): 5 % is within the fold-to-fold noise of
#: samples of the size of the paper's benchmarks (16–110 points).
TIE_TOLERANCE = 0.05


class Estimator(Protocol):
    """What a form needs for the comparison."""

    def fit(self, data: pd.DataFrame) -> Any: ...

    def predict(self, compute_flop: Any) -> Any: ...


FormSpec = str | Callable[[], Estimator]


@dataclass(frozen=True)
class FormScore:
    """The out-of-sample misses of one form, in log10(1/err)."""

    form: str
    rmse: float
    mae: float
    n: int
    n_undefined: int
    misses: np.ndarray = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {"form": self.form, "rmse_log10_inv_error": self.rmse,
                "mae_log10_inv_error": self.mae, "n": self.n, "n_undefined": self.n_undefined}


@dataclass(frozen=True)
class FormComparison:
    """Out-of-sample scores of several forms on one benchmark, best first."""

    benchmark: str | None
    scheme: str
    scores: list[FormScore]
    #: Mean difference of squared misses (runner-up − best) and its paired standard error.
    mse_difference: float
    mse_difference_se: float

    @property
    def best(self) -> str:
        return self.scores[0].form

    @property
    def relative_gap(self) -> float:
        """How much larger the runner-up's RMSE is than the best's (0.15 = 15 % larger)."""
        if len(self.scores) < 2 or not self.scores[0].rmse > 0:
            return float("nan")
        return self.scores[1].rmse / self.scores[0].rmse - 1.0

    @property
    def verdict(self) -> str:
        """One sentence: which form predicts held-out points better, and by how much."""
        if len(self.scores) < 2:
            return f"only {self.best} was scored"
        a, b = self.scores[0], self.scores[1]
        name_a, name_b = (FORM_NAMES.get(s.form, s.form) for s in (a, b))
        if not np.isfinite(b.rmse):
            return (f"{name_a} predicts held-out points ({self.scheme}, RMSE {a.rmse:.3f} in "
                    f"log10(1/err)); {name_b} gave {b.n_undefined} undefined prediction(s)")
        gap = self.relative_gap
        numbers = (f"RMSE {a.rmse:.3f} vs {b.rmse:.3f} in log10(1/err), {self.scheme}, "
                   f"n = {a.n}; paired MSE difference {self.mse_difference:.2g} "
                   f"± {self.mse_difference_se:.2g}")
        if gap < TIE_TOLERANCE:
            return f"{name_a} and {name_b} predict held-out points about as well ({numbers})"
        return (f"{name_a} predicts held-out points better than {name_b}: its miss is "
                f"{100 * gap:.0f}% smaller ({numbers})")

    def to_dict(self) -> dict[str, Any]:
        return {
            "benchmark": self.benchmark, "scheme": self.scheme, "best": self.best,
            "relative_gap": self.relative_gap, "mse_difference": self.mse_difference,
            "mse_difference_se": self.mse_difference_se,
            "scores": [s.to_dict() for s in self.scores], "verdict": self.verdict,
        }


def _factory(spec: FormSpec, options: Mapping[str, Any]) -> tuple[str, Callable[[], Estimator]]:
    if isinstance(spec, str):
        if spec not in FORMS:
            raise FitError(f"unknown form {spec!r}; choose one of {', '.join(FORMS)}")
        return spec, lambda: make_fit(spec, **options)
    name = getattr(spec, "form", None) or getattr(spec, "__name__", None) or repr(spec)
    return str(name), spec


def _folds(n: int, k: int | None, random_state: int | np.random.Generator | None
           ) -> tuple[list[np.ndarray], str]:
    if k is None or k >= n:
        return folds_for(n, "loo"), "leave-one-out"
    if k < 2:
        raise FitError(f"k-fold cross-validation needs k ≥ 2 folds; got {k}")
    return folds_for(n, k, random_state), f"{k}-fold"


#: What makes a fold's fit fail (its points stay undefined) rather than the comparison.
FOLD_FAILURES: tuple[type[BaseException], ...] = (DlcostError, ValueError, ArithmeticError,
                                                  np.linalg.LinAlgError)


def _fitted(make: Callable[[], Estimator]) -> Callable[[pd.DataFrame], Predictor]:
    """A training frame → the predict of a new estimator fitted on it."""
    def factory(train: pd.DataFrame) -> Predictor:
        return make().fit(train).predict
    return factory


def compare_forms(
    data: Any,
    forms: Sequence[FormSpec] = ("poly", "exp"),
    *,
    k: int | None = None,
    random_state: int | np.random.Generator | None = 0,
    compute_col: str = "compute_flop",
    error_col: str = "error",
    **options: Any,
) -> FormComparison:
    """Score ``forms`` by their out-of-sample misses in log10(1/err) (module docstring).

    Parameters
    ----------
    data : ScalingData or DataFrame
        The points (one row per result), e.g. :func:`dlcost.fitting.scaling_data`.
    forms : sequence of str or callable
        Form names (``"poly"``, ``"exp"``) or factories of unfitted estimators.
    k : int, optional
        Number of folds; default leave-one-out (each point held out once).
    random_state
        Seed of the fold assignment (k-fold only).
    **options
        Constructor options for named forms (e.g. ``variant="frontier"``).
    """
    frame = getattr(data, "frame", data)
    benchmark = getattr(data, "benchmark", None)
    frame = frame[frame[compute_col].gt(0) & frame[error_col].gt(0) & frame[error_col].lt(1)]
    frame = frame.reset_index(drop=True)
    n = len(frame)
    if n < MIN_POINTS:
        raise FitError(f"comparing forms needs at least {MIN_POINTS} points; got {n}")
    if len(forms) < 1:
        raise FitError("give at least one form to score")
    folds, scheme = _folds(n, k, random_state)
    compute = frame[compute_col].to_numpy(dtype=float)
    error = frame[error_col].to_numpy(dtype=float)
    scores = []
    # Named forms of the plain regression refit each fold on arrays (the same numbers as the
    # fit objects, bit for bit; tests/fitting/test_fitting_crossval_fast.py).
    plain = (not options or dict(options) == {"variant": "ols"}) and \
        (compute_col, error_col) == ("compute_flop", "error")
    for spec in forms:
        name, make = _factory(spec, options)
        fit = (ols_refit(spec, compute, error) if plain and isinstance(spec, str)
               else frame_fit(_fitted(make), frame))
        predicted, _ = held_out_predictions(fit, compute, folds, failures=FOLD_FAILURES)
        missed = misses(predicted, error, LOG10_INV_ERROR)
        undefined = int((~np.isfinite(missed)).sum())
        rmse = float(np.sqrt(np.mean(missed ** 2))) if not undefined else float("inf")
        mae = float(np.mean(np.abs(missed))) if not undefined else float("inf")
        scores.append(FormScore(name, rmse, mae, n, undefined, missed))
    scores.sort(key=lambda s: s.rmse)
    diff, se = float("nan"), float("nan")
    if len(scores) >= 2 and np.isfinite(scores[1].rmse):
        d = scores[1].misses ** 2 - scores[0].misses ** 2
        diff, se = float(d.mean()), float(d.std(ddof=1) / np.sqrt(n))
    return FormComparison(benchmark=benchmark, scheme=scheme, scores=scores,
                          mse_difference=diff, mse_difference_se=se)


def compare_fitted(fits: Sequence[Any], *, k: int | None = None,
                   random_state: int | np.random.Generator | None = 0) -> FormComparison:
    """:func:`compare_forms` for fits of one benchmark in several forms, on their own points
    and with their own variant (e.g. the ``poly`` and ``exp`` fits of ``fit --form both``)."""
    if not fits:
        raise FitError("give at least one fit to compare")
    first = fits[0]
    comparison = compare_forms(
        first.data_, [f.form for f in fits], k=k, random_state=random_state,
        compute_col=first.compute_col_, error_col=first.error_col_, variant=first.variant)
    return FormComparison(benchmark=getattr(first, "benchmark_", None), scheme=comparison.scheme,
                          scores=comparison.scores, mse_difference=comparison.mse_difference,
                          mse_difference_se=comparison.mse_difference_se)


def compare_by_benchmark(fits: Sequence[Any]) -> list[FormComparison]:
    """:func:`compare_fitted` for each benchmark with fits in several forms (in the order of
    ``fits``); a benchmark too small to hold points out gets no verdict."""
    from dlcost.fitting.benchmark import FIT_FAILURES

    groups: dict[str, list[Any]] = {}
    for f in fits:
        groups.setdefault(str(getattr(f, "benchmark_", None)), []).append(f)
    found = []
    for group in groups.values():
        if len(group) < 2:
            continue
        try:
            found.append(compare_fitted(group))
        except FIT_FAILURES:
            continue
    return found
