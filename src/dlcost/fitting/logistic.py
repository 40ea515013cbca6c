"""A logistic in log compute for saturating benchmarks, with its floor at chance (METHODS.md §10).

    score = floor + (ceiling − floor) · σ(a · (log10 C − c))

``floor`` is the benchmark's chance level (fixed, not fitted); ``ceiling`` is 1 or fitted
(label noise can hold the best reachable score below 1); ``a`` is the slope per decade of
compute and ``c`` the midpoint, the log10 FLOP at which the score is half-way between floor
and ceiling. Scores are fractions of a perfect score (0–1).

The paper's two forms regress a transform of the error on log compute and cannot bend at a
floor or a ceiling; a benchmark like MMLU starts at 25 % (guessing) and saturates near 90 %,
which this form follows. Compare forms on held-out prediction of the *score*
(:func:`dlcost.fitting.compare.held_out_errors`), never on AIC: the forms model different
responses.

Least squares by Levenberg–Marquardt on unconstrained parameters (``a = e^u`` keeps the slope
positive, ``ceiling = floor + (1 − floor)·σ(v)`` keeps the ceiling in (floor, 1)), run on all
bootstrap resamples at once as weighted fits (a resample is a vector of row counts).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from dlcost.exceptions import FitError, NotFittedError, TargetOutOfRangeError
from dlcost.stats import bootstrap_index_chunks, counts_from_indices
from dlcost.validation import Interval, validate

#: The constructor's parameters, declared once (messages from :mod:`dlcost.validation`).
CONSTRAINTS = {
    "floor": Interval(float, 0, 1, closed="left"),
    "alpha": Interval(float, 0, 1, closed="neither"),
    "n_boot": Interval(int, 0, None),
}
#: Fewest points for a logistic fit: three parameters at most, and some left to fit them.
MIN_POINTS = 5
_LM_ITERATIONS = 200
_LM_TOLERANCE = 1e-10
#: Resample-rows refitted at once by the bootstrap: its working set is about 17 float64
#: arrays of chunk size (predictions, Jacobian, weighted Jacobian, trial steps; 132 bytes per
#: resample-row measured with tracemalloc), ~140 MB at 2²⁰ cells, whatever the number of
#: resamples. The default bootstraps (1,000 resamples of ≤ 250 models) are one chunk.
LM_CHUNK_CELLS = 1 << 20
#: Bootstrap resamples kept per process, by points, start, floor, ceiling, count and seed.
_BOOT_MEMO: OrderedDict[tuple[Any, ...], NDArray[np.float64]] = OrderedDict()
_BOOT_MEMO_SIZE = 64

BELOW_FLOOR = (
    "a score of {target:.4g} is at or below the floor ({floor:.4g}, the chance level): the "
    "logistic never goes below its floor, so no compute corresponds to it. Ask for a score "
    "above the floor."
)
ABOVE_CEILING = (
    "a score of {target:.4g} is at or above the fitted ceiling ({ceiling:.4g}): the fit never "
    "reaches it. Ask for a lower score, or fit with ceiling=1.0 (the default) to assume a "
    "perfect score is reachable."
)


def _sigmoid(z: NDArray[np.float64]) -> NDArray[np.float64]:
    out: NDArray[np.float64] = 0.5 * (1.0 + np.tanh(0.5 * z))
    return out


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


class LogisticFit:
    """Logistic of score in log10 compute with a fixed floor; fitter in the lifelines style.

    Parameters
    ----------
    floor : float
        Chance level as a fraction (0.25 for four-way multiple choice); not fitted.
    ceiling : float or "fit"
        Best reachable score (default 1.0); ``"fit"`` estimates it in (floor, 1).
    alpha : float
        1 − confidence level of the bootstrap intervals (default 0.05).
    n_boot : int
        Bootstrap resamples drawn by :meth:`fit` (default 1000; 0: none).
    random_state : int, numpy Generator or None
        Seed of the bootstrap.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> x = np.linspace(21, 26, 30)
    >>> frame = pd.DataFrame({"compute_flop": 10 ** x,
    ...                       "score": 0.25 + 0.75 / (1 + np.exp(-1.5 * (x - 23.5)))})
    >>> fit = LogisticFit(floor=0.25, n_boot=0).fit(frame)
    >>> round(fit.slope_, 3), round(fit.midpoint_, 3)
    (1.5, 23.5)
    """

    form = "logistic"
    form_label = "logistic"

    #: Provenance, set by the caller (None for a fit on a bare frame).
    benchmark_: str | None = None
    notes_: list[str] | None = None

    def __init__(
        self,
        *,
        floor: float = 0.0,
        ceiling: float | str = 1.0,
        alpha: float = 0.05,
        n_boot: int = 1000,
        random_state: int | np.random.Generator | None = None,
    ) -> None:
        validate({"floor": floor, "alpha": alpha, "n_boot": n_boot}, CONSTRAINTS,
                 owner="LogisticFit", error=FitError)
        if ceiling != "fit" and (not isinstance(ceiling, int | float)
                                 or not floor < float(ceiling) <= 1.0):
            raise FitError(f"The 'ceiling' parameter of LogisticFit must be 'fit' or a number "
                           f"in (floor, 1] = ({floor:g}, 1]. Got {ceiling!r} instead.")
        self.floor = float(floor)
        self.ceiling = ceiling
        self.alpha = alpha
        self.n_boot = n_boot
        self.random_state = random_state

    @property
    def fit_ceiling(self) -> bool:
        return self.ceiling == "fit"

    # -- fitting ----------------------------------------------------------------------------

    def fit(self, data: pd.DataFrame, *, compute_col: str = "compute_flop",
            score_col: str = "score") -> LogisticFit:
        """Fit to ``data``: compute in FLOP, score as a fraction (0–1). Returns ``self``."""
        compute = np.asarray(data[compute_col], dtype=float)
        score = np.asarray(data[score_col], dtype=float)
        keep = np.isfinite(compute) & (compute > 0) & np.isfinite(score)
        compute, score = compute[keep], score[keep]
        if len(score) < MIN_POINTS:
            raise FitError(
                f"a logistic fit needs at least {MIN_POINTS} points with compute and a score; "
                f"{len(score)} given. Try: 1. include distilled models; 2. another "
                "one-score-per-model rule; 3. the poly form, which needs 3."
            )
        if np.any((score < 0) | (score > 1)):
            raise FitError(
                f"scores must be fractions in [0, 1]; got {score.min():.4g} … {score.max():.4g}"
                " (percentages? divide by 100)"
            )
        x = np.log10(compute)
        if np.ptp(x) == 0:
            raise FitError(f"every point has the same compute ({compute[0]:.3g} FLOP), so no "
                           "slope can be fitted")
        self.x_, self.y_ = x, score
        self.n_ = len(score)
        theta0 = self._start(x, score)
        theta, sse = _levenberg_marquardt(x, score, np.ones((1, self.n_)), theta0[None, :],
                                          self.floor, self.fit_ceiling,
                                          self._fixed_ceiling())
        self.theta_ = theta[0]
        self.sse_ = float(sse[0])
        self.rmse_ = math.sqrt(self.sse_ / self.n_)
        self.boot_params_: NDArray[np.float64] | None = None
        if self.n_boot:
            self.bootstrap(self.n_boot, random_state=self.random_state)
        return self

    def _fixed_ceiling(self) -> float:
        return 1.0 if self.fit_ceiling else float(self.ceiling)

    def _start(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
        """Best starting point on a grid of slopes and midpoints (least squares)."""
        top = float(min(max(y.max() + 0.02, self.floor + 0.05), 1.0))
        ceiling = top if self.fit_ceiling else self._fixed_ceiling()
        slopes = np.array([0.3, 0.7, 1.5, 3.0, 6.0])
        mids = np.linspace(x.min() - 1, x.max() + 1, 25)
        z = slopes[:, None, None] * (x[None, None, :] - mids[None, :, None])
        pred = self.floor + (ceiling - self.floor) * _sigmoid(z)
        sse = np.sum((y[None, None, :] - pred) ** 2, axis=2)
        i, j = np.unravel_index(int(np.argmin(sse)), sse.shape)
        best = (float(sse[i, j]), float(slopes[i]), float(mids[j]))
        v = _logit(min(max((ceiling - self.floor) / (1.0 - self.floor), 1e-3), 1 - 1e-3))
        return np.array([math.log(best[1]), best[2], v])

    def bootstrap(self, n_boot: int = 1000, *,
                  random_state: int | np.random.Generator | None = None) -> LogisticFit:
        """Refit ``n_boot`` row resamples at once (weighted fits); returns ``self``."""
        self._require_fitted()
        if n_boot < 1:
            raise FitError(f"n_boot must be at least 1, got {n_boot!r}")
        # Seeded by an int, the same points give the same resamples: kept for the process
        # (a report fits each language-model benchmark for its table and again for its figure).
        key = None
        if isinstance(random_state, int | np.integer):
            key = (self.x_.tobytes(), self.y_.tobytes(), self.theta_.tobytes(), self.floor,
                   self.ceiling, n_boot, int(random_state))
            if key in _BOOT_MEMO:
                _BOOT_MEMO.move_to_end(key)
                self.boot_params_ = _BOOT_MEMO[key].copy()
                self.n_boot_ = n_boot
                return self
        rng = random_state if isinstance(random_state, np.random.Generator) else \
            np.random.default_rng(random_state)
        # The draws of one (n_boot, n) array, a chunk of resamples at a time (the same draws;
        # each resample's fit is computed on its own row, so the numbers do not change).
        parts = [self._refit(counts_from_indices(idx, self.n_).astype(float))
                 for idx in bootstrap_index_chunks(self.n_, n_boot, rng, LM_CHUNK_CELLS)]
        self.boot_params_ = self._natural(np.concatenate(parts))
        self.n_boot_ = n_boot
        if key is not None:
            _BOOT_MEMO[key] = self.boot_params_.copy()
            while len(_BOOT_MEMO) > _BOOT_MEMO_SIZE:
                _BOOT_MEMO.popitem(last=False)
        return self

    def _refit(self, weights: NDArray[np.float64]) -> NDArray[np.float64]:
        """θ of each row of resample ``weights``, NaN where the resample has no spread."""
        theta0 = np.repeat(self.theta_[None, :], len(weights), axis=0)
        theta, _ = _levenberg_marquardt(self.x_, self.y_, weights, theta0, self.floor,
                                        self.fit_ceiling, self._fixed_ceiling())
        # A resample whose x has no spread cannot identify the slope: drop it.
        drawn = weights > 0
        spread = (np.where(drawn, self.x_, -np.inf).max(axis=1)
                  > np.where(drawn, self.x_, np.inf).min(axis=1))
        theta[~spread] = np.nan
        return theta

    # -- parameters -------------------------------------------------------------------------

    def _natural(self, theta: NDArray[np.float64]) -> NDArray[np.float64]:
        """(u, c, v) → (a, c, ceiling) row-wise."""
        theta = np.atleast_2d(theta)
        a = np.exp(theta[:, 0])
        ceiling = (self.floor + (1.0 - self.floor) * _sigmoid(theta[:, 2])
                   if self.fit_ceiling else np.full(len(theta), self._fixed_ceiling()))
        return np.column_stack([a, theta[:, 1], ceiling])

    def _require_fitted(self) -> None:
        if not hasattr(self, "theta_"):
            raise NotFittedError(f"this {type(self).__name__} is not fitted yet; call "
                                 ".fit(data) first")

    @property
    def params_(self) -> NDArray[np.float64]:
        self._require_fitted()
        return self._natural(self.theta_)[0]

    @property
    def slope_(self) -> float:
        """a: logits of the score's position between floor and ceiling per decade of compute."""
        return float(self.params_[0])

    @property
    def midpoint_(self) -> float:
        """c: log10 FLOP at which the score is half-way between floor and ceiling."""
        return float(self.params_[1])

    @property
    def midpoint_flop_(self) -> float:
        return float(10.0 ** self.midpoint_)

    @property
    def ceiling_(self) -> float:
        return float(self.params_[2])

    @property
    def compute_range_(self) -> tuple[float, float]:
        """Smallest and largest compute (FLOP) in the data."""
        self._require_fitted()
        return float(10.0 ** self.x_.min()), float(10.0 ** self.x_.max())

    def _boot_interval(self, samples: NDArray[np.float64]) -> tuple[float, float]:
        good = samples[np.isfinite(samples)]
        if good.size == 0:
            return (float("nan"), float("nan"))
        lo, hi = np.quantile(good, [self.alpha / 2, 1 - self.alpha / 2])
        return float(lo), float(hi)

    def _require_boot(self) -> NDArray[np.float64]:
        self._require_fitted()
        if self.boot_params_ is None:
            raise NotFittedError("no bootstrap resamples: fit with n_boot > 0 or call "
                                 ".bootstrap(n_boot)")
        return self.boot_params_

    def conf_int(self) -> pd.DataFrame:
        """Bootstrap percentile intervals of slope, midpoint and ceiling."""
        boot = self._require_boot()
        names = ["slope_per_decade", "midpoint_log10_flop", "ceiling"]
        level = f"{100 * (1 - self.alpha):g}%"
        rows = [self._boot_interval(boot[:, i]) for i in range(3)]
        return pd.DataFrame(rows, index=names, columns=[f"lower {level}", f"upper {level}"])

    @property
    def summary(self) -> pd.DataFrame:
        """Estimates with bootstrap intervals (when drawn); the floor is fixed."""
        self._require_fitted()
        frame = pd.DataFrame(
            {"estimate": [self.slope_, self.midpoint_, self.ceiling_, self.floor],
             "fitted": [True, True, self.fit_ceiling, False]},
            index=["slope_per_decade", "midpoint_log10_flop", "ceiling", "floor"],
        )
        if self.boot_params_ is not None:
            ci = self.conf_int()
            frame = frame.join(ci)
        return frame

    # -- prediction and inversion -----------------------------------------------------------

    def predict(self, compute_flop: ArrayLike) -> NDArray[np.float64]:
        """Score (fraction) predicted at ``compute_flop``."""
        a, c, h = self.params_
        x = np.log10(np.asarray(compute_flop, dtype=float))
        out: NDArray[np.float64] = self.floor + (h - self.floor) * _sigmoid(a * (x - c))
        return out

    def _log10_compute_for(self, score: float, params: NDArray[np.float64]) -> Any:
        a, c, h = params[..., 0], params[..., 1], params[..., 2]
        with np.errstate(divide="ignore", invalid="ignore"):
            q = (score - self.floor) / (h - self.floor)
            x = c + np.log(q / (1.0 - q)) / a
        return np.where(q >= 1.0, np.inf, x)

    def check_target(self, score: float) -> None:
        """Raise :class:`TargetOutOfRangeError` unless floor < score < fitted ceiling."""
        self._require_fitted()
        if not math.isfinite(score) or score <= self.floor:
            raise TargetOutOfRangeError(BELOW_FLOOR.format(target=score, floor=self.floor))
        if score >= self.ceiling_:
            raise TargetOutOfRangeError(ABOVE_CEILING.format(target=score,
                                                             ceiling=self.ceiling_))

    def log10_compute_for(self, score: float) -> float:
        """log10 FLOP at which the fit reaches ``score`` (a fraction)."""
        self.check_target(score)
        return float(self._log10_compute_for(score, self.params_))

    def compute_for(self, score: float) -> float:
        """Compute (FLOP) at which the fit reaches ``score``; clear errors outside the range."""
        with np.errstate(over="ignore"):
            return float(np.power(10.0, self.log10_compute_for(score)))

    def log10_compute_samples(self, score: float) -> NDArray[np.float64]:
        """log10 FLOP for ``score`` under each bootstrap resample (+inf where a resample's
        ceiling lies below the score; NaN where the resample failed)."""
        self.check_target(score)
        boot = self._require_boot()
        logs = np.asarray(self._log10_compute_for(score, boot), dtype=float)
        out: NDArray[np.float64] = np.where(np.isnan(logs) & np.isfinite(boot[:, 0]), np.inf,
                                            logs)
        return out

    def compute_interval(self, score: float) -> tuple[float, float]:
        """Bootstrap percentile interval (FLOP) of the compute for ``score``.

        A resample whose ceiling lies below ``score`` never reaches it and counts as +inf, so
        the upper bound can be infinite: the data then cannot rule out that the score is never
        reached.
        """
        logs = self.log10_compute_samples(score)
        logs = logs[~np.isnan(logs)]
        if logs.size == 0:
            return (float("nan"), float("nan"))
        lo, hi = np.quantile(logs, [self.alpha / 2, 1 - self.alpha / 2])
        with np.errstate(over="ignore"):
            return float(np.power(10.0, lo)), float(np.power(10.0, hi))

    def decades_beyond_data(self, compute_flop: float) -> float:
        """How many decades ``compute_flop`` lies above the largest compute in the data
        (negative: inside or below the data)."""
        return float(math.log10(compute_flop) - self.x_.max())

    def halving_cost(self, error: float) -> float:
        """Compute multiple that halves the error ``error = 1 − score`` from ``error``.

        Raises :class:`TargetOutOfRangeError` when the halved error is below the fitted
        floor of the error (1 − ceiling) or the starting score is at or below chance.
        """
        start = self.compute_for(1.0 - error)
        end = self.compute_for(1.0 - error / 2.0)
        return end / start

    def implied_exponent(self, error: float) -> float:
        """log2 of :meth:`halving_cost`: compute ∝ (1/error)^k locally; theory says k ≥ 4."""
        return math.log2(self.halving_cost(error))

    # -- output -----------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: form, n, floor, ceiling, slope, midpoint (log10 and FLOP), intervals."""
        self._require_fitted()
        out: dict[str, Any] = {
            "form": self.form, "n": self.n_, "floor": self.floor, "ceiling": self.ceiling_,
            "ceiling_fitted": self.fit_ceiling, "slope_per_decade": self.slope_,
            "midpoint_log10_flop": self.midpoint_, "midpoint_flop": self.midpoint_flop_,
            "rmse": self.rmse_, "confidence": 1.0 - self.alpha,
        }
        if self.boot_params_ is not None:
            ci = self.conf_int().to_numpy()
            out["n_boot"] = self.n_boot_
            out["slope_ci"] = ci[0].tolist()
            out["midpoint_log10_flop_ci"] = ci[1].tolist()
            if self.fit_ceiling:
                out["ceiling_ci"] = ci[2].tolist()
        return out

    def __repr__(self) -> str:
        if not hasattr(self, "theta_"):
            return f"LogisticFit(floor={self.floor:g}, ceiling={self.ceiling!r}) (not fitted)"
        return (f"LogisticFit(score = {self.floor:g} + ({self.ceiling_:.3f} − {self.floor:g})·"
                f"σ({self.slope_:.3f}·(log10 C − {self.midpoint_:.3f})); n={self.n_}, "
                f"RMSE={self.rmse_:.4f})")

    def _repr_html_(self) -> str:
        return f"<p><code>{self!r}</code></p>" + self.summary.to_html()


def _model(x: NDArray[np.float64], theta: NDArray[np.float64], floor: float, fit_ceiling: bool,
           ceiling: float, *, jacobian: bool = True,
           ) -> tuple[NDArray[np.float64], NDArray[np.float64] | None]:
    """Predictions (B × n) and Jacobian (B × n × k) in the unconstrained parameters; ``x`` is
    (n,), shared by the B fits, or (B × n), each fit's own points."""
    a = np.exp(theta[:, 0])[:, None]
    c = theta[:, 1][:, None]
    if fit_ceiling:
        sv = _sigmoid(theta[:, 2])[:, None]
        h = floor + (1.0 - floor) * sv
    else:
        h = np.full_like(a, ceiling)
    z = a * ((x if x.ndim == 2 else x[None, :]) - c)
    p = _sigmoid(z)
    span = h - floor
    pred = floor + span * p
    if not jacobian:
        return pred, None
    dp = span * p * (1.0 - p)
    cols = [dp * z, -dp * a]  # d/du (a = e^u gives a·(x − c)) and d/dc
    if fit_ceiling:
        cols.append((1.0 - floor) * sv * (1.0 - sv) * p)
    return pred, np.stack(cols, axis=-1)


def _levenberg_marquardt(
    x: NDArray[np.float64], y: NDArray[np.float64], weights: NDArray[np.float64],
    theta0: NDArray[np.float64], floor: float, fit_ceiling: bool, ceiling: float,
    *, strict: bool = False,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Weighted least squares for B weight vectors at once; returns (B × 3 θ, B SSE).

    ``x`` and ``y`` are (n,), the same points for every fit (the bootstrap weights them), or
    (B × n), each fit's own points (leave-one-out). Each fit stops on its own (its step no
    longer lowers the sum of squares by a relative 1e-10, or its parameters move less than
    1e-10, or its damping grows past 1e6); only the fits still running are computed on, row
    by row, so a fit's numbers do not depend on the others in the batch. A singular system
    gives every running fit a zero step, or with ``strict`` raises ``LinAlgError``.
    """
    k = 3 if fit_ceiling else 2
    theta = theta0.astype(float).copy()
    lam = np.full(len(theta), 1e-2)
    own = x.ndim == 2

    def points(rows: NDArray[np.int64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        return (x[rows], y[rows]) if own else (x, y[None, :])

    def sse_of(t: NDArray[np.float64], w: NDArray[np.float64], xs: NDArray[np.float64],
               ys: NDArray[np.float64]) -> NDArray[np.float64]:
        pred, _ = _model(xs, t, floor, fit_ceiling, ceiling, jacobian=False)
        out: NDArray[np.float64] = np.sum(w * (ys - pred) ** 2, axis=1)
        return out

    sse = sse_of(theta, weights, *points(np.arange(len(theta))))
    eye = np.eye(k)
    active = np.arange(len(theta))
    for _ in range(_LM_ITERATIONS):
        if active.size == 0:
            break
        th, w, lm = theta[active], weights[active], lam[active]
        xs, ys = points(active)
        pred, jac = _model(xs, th, floor, fit_ceiling, ceiling)
        assert jac is not None
        jw = jac * w[:, :, None]
        jtj = np.einsum("bni,bnj->bij", jw, jac)
        grad = np.einsum("bni,bn->bi", jw, ys - pred)
        damp = lm[:, None, None] * (jtj * eye + 1e-12 * eye)
        try:
            step = np.linalg.solve(jtj + damp, grad[:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:
            if strict:
                raise
            step = np.zeros_like(grad)
        trial = th.copy()
        trial[:, :k] += step
        trial[:, 0] = np.clip(trial[:, 0], -8.0, 5.0)  # slope between e^-8 and e^5 per decade
        new = sse_of(trial, w, xs, ys)
        old = sse[active]
        better = new < old
        gain = np.where(better, old - new, 0.0)
        theta[active[better]] = trial[better]
        sse[active[better]] = new[better]
        lam[active] = np.where(better, lm / 3.0, lm * 4.0)
        small = np.max(np.abs(step), axis=1) < _LM_TOLERANCE
        done = ((better & (gain <= _LM_TOLERANCE * (new + _LM_TOLERANCE))) | small
                | (lam[active] > 1e6))
        active = active[~done]
    return theta, sse


def leave_one_out(compute: ArrayLike, score: ArrayLike, *, floor: float = 0.0,
                  ceiling: float | str = 1.0) -> NDArray[np.float64] | None:
    """Each point's score predicted by the logistic fitted without it, every fold at once.

    The numbers are those of ``LogisticFit(floor=…, ceiling=…, n_boot=0).fit(others)
    .predict(point)`` for each point, bit for bit (a test compares them): the same start per
    fold, the same Levenberg–Marquardt steps, run as one batch of fits on their own points.
    Returns None where one batch cannot reproduce the fold-by-fold fits (a fold that would
    fail, or a singular step): the caller then fits fold by fold.
    """
    compute = np.asarray(compute, dtype=float)
    score = np.asarray(score, dtype=float)
    n = len(score)
    template = LogisticFit(floor=floor, ceiling=ceiling, n_boot=0)
    usable = np.isfinite(compute) & (compute > 0) & np.isfinite(score)
    if n - 1 < MIN_POINTS or not usable.all() or np.any((score < 0) | (score > 1)):
        return None
    xs, ys, starts = [], [], []
    for i in range(n):
        train = np.setdiff1d(np.arange(n), [i])
        x = np.log10(compute[train])
        if np.ptp(x) == 0:
            return None
        y = score[train]
        xs.append(x)
        ys.append(y)
        starts.append(template._start(x, y))
    try:
        theta, _ = _levenberg_marquardt(np.stack(xs), np.stack(ys), np.ones((n, n - 1)),
                                        np.stack(starts), template.floor,
                                        template.fit_ceiling, template._fixed_ceiling(),
                                        strict=True)
    except np.linalg.LinAlgError:
        return None
    out = np.empty(n)
    for i in range(n):
        a, c, h = template._natural(theta[i])[0]
        x = np.log10(np.asarray(compute[[i]], dtype=float))
        out[i] = (template.floor + (h - template.floor) * _sigmoid(a * (x - c)))[0]
    return out
