"""Out-of-sample comparison of functional forms (:mod:`dlcost.fitting.compare`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dlcost.exceptions import FitError
from dlcost.fitting import PolynomialFit, compare_fitted, compare_forms, make_fit


def _frame(errors: np.ndarray, compute: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"compute_flop": compute, "error": errors,
                         "year": np.arange(len(errors)) + 2012})


def _power_law(rng: np.random.Generator, n: int = 40) -> pd.DataFrame:
    log_c = rng.uniform(17, 23, n)
    log_inv_err = -1.0 + 0.09 * log_c + rng.normal(0, 0.03, n)
    return _frame(10.0 ** -log_inv_err, 10.0 ** log_c)


def test_leave_one_out_of_the_power_law_is_the_press_residual() -> None:
    """Reference: for OLS the leave-one-out residual is e_i / (1 − h_ii) (PRESS), computed
    with plain numpy from the hat matrix H = X (XᵀX)⁻¹ Xᵀ of log10(1/err) on log10(C)."""
    frame = _power_law(np.random.default_rng(1))
    x = np.log10(frame["compute_flop"].to_numpy())
    y = -np.log10(frame["error"].to_numpy())
    X = np.column_stack([np.ones_like(x), x])
    H = X @ np.linalg.solve(X.T @ X, X.T)
    resid = y - H @ y
    press = resid / (1 - np.diag(H))
    result = compare_forms(frame, ["poly"])
    (score,) = result.scores
    np.testing.assert_allclose(score.rmse, np.sqrt(np.mean(press ** 2)), rtol=1e-10)
    np.testing.assert_allclose(score.misses, -press, rtol=1e-8, atol=1e-12)
    assert result.scheme == "leave-one-out" and score.n_undefined == 0


def test_the_generating_form_wins_on_its_own_data() -> None:
    rng = np.random.default_rng(7)
    log_c = rng.uniform(17, 23, 60)
    inverse = (2.0 + 8.0 * (log_c - 17)) * np.exp(rng.normal(0, 0.02, 60))  # 1/err linear
    exponential = _frame(1.0 / inverse, 10.0 ** log_c)
    result = compare_forms(exponential)
    assert result.best == "exp" and result.relative_gap > 0.5
    assert result.verdict.startswith("the exponential predicts held-out points better than "
                                     "the power law")
    assert result.mse_difference > 3 * result.mse_difference_se
    power = compare_forms(_power_law(rng))
    assert power.best == "poly"


def test_any_estimator_can_be_scored() -> None:
    """A form defined elsewhere (here: the power law under another name) is scored alike."""
    frame = _power_law(np.random.default_rng(3))

    class Other(PolynomialFit):
        form = "other"

    result = compare_forms(frame, ["poly", Other])
    scores = {s.form: s.rmse for s in result.scores}
    assert scores["other"] == pytest.approx(scores["poly"])
    assert "about as well" in result.verdict


def test_k_fold_is_seeded_and_fitted_pairs_compare() -> None:
    frame = _power_law(np.random.default_rng(5))
    a = compare_forms(frame, k=5, random_state=11)
    b = compare_forms(frame, k=5, random_state=11)
    assert a.scheme == "5-fold" and a.to_dict() == b.to_dict()
    fits = [make_fit(f).fit(frame) for f in ("poly", "exp")]
    assert compare_fitted(fits).best in {"poly", "exp"}


def test_too_few_points_is_a_fit_error() -> None:
    frame = _power_law(np.random.default_rng(0), n=3)
    with pytest.raises(FitError, match="at least 4 points"):
        compare_forms(frame)
