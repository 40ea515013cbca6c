"""Algorithmic progress of language models, two ways (METHODS.md §9).

(a) :func:`time_trend_progress`, per benchmark: the paper's time-trend regression
    log10(1/err) = a + b·log10(C) + c·(year − 2012). A year of progress is worth c/b decades of
    compute: the compute needed for a fixed error falls 10^(c/b)-fold per year.
(b) :func:`eci_progress`, on the Epoch Capabilities Index: Epoch AI's two-stage method ("A
    Rosetta Stone for AI benchmarks", Nov 2025). Stage 1: the slope k of ECI against
    ln(training compute) *within model families* (models of one developer released together at
    several sizes, so that algorithms are held fixed). Stage 2: the trend over time of
    ECI − k·ln(C), the capability not explained by compute. Its slope s per year is worth s/k
    of ln compute: the compute-equivalent efficiency gain is e^(s/k) per year.

Intervals by bootstrap (families and models resampled independently in (b)). Anchors:
:data:`EPOCH_ECI_2025` and :data:`HO_2024`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dlcost.exceptions import FitError
from dlcost.frontier.data import LMData, decimal_year

if TYPE_CHECKING:
    from dlcost.store.db import ResultsDB

#: Epoch AI, "A Rosetta Stone for AI benchmarks" (Nov 2025, arXiv 2512.00193): algorithmic
#: progress on the ECI, ×/yr with its 90 % interval.
EPOCH_ECI_2025: dict[str, Any] = {"gain_per_year": 5.84, "ci": (4.21, 8.10), "level": 0.90,
                  "source": "Epoch AI, A Rosetta Stone for AI benchmarks (Nov 2025), "
                            "https://epoch.ai/blog/a-rosetta-stone-for-ai-benchmarks"}
#: Ho et al. 2024, "Algorithmic progress in language models" (arXiv 2403.05812): compute for a
#: fixed performance halves every ~8 months (95 % CI ~5–14), on WikiText and Penn Treebank.
HO_2024: dict[str, Any] = {"halving_months": 8.0, "ci_months": (5.0, 14.0), "level": 0.95,
           "source": "Ho et al. 2024, Algorithmic progress in language models, "
                     "arXiv 2403.05812"}
TIME_TREND = "time trend log10(1/err) = a + b·log10(C) + c·(year − 2012)"
#: Family rule: one developer's models released within this many days of the family's first.
FAMILY_WINDOW_DAYS = 45
#: Fewest models with distinct compute for a family to inform the within-family slope.
MIN_FAMILY_SIZE = 2


def halving_months(gain_per_year: float) -> float:
    """Months for the compute needed to halve at a gain of ``gain_per_year``×/yr."""
    if not gain_per_year > 1.0:
        return math.inf
    return 12.0 * math.log(2.0) / math.log(gain_per_year)


def _interval(samples: np.ndarray, level: float) -> tuple[float, float]:
    good = samples[np.isfinite(samples)]
    if good.size == 0:
        return (float("nan"), float("nan"))
    tail = (1.0 - level) / 2.0
    lo, hi = np.quantile(good, [tail, 1.0 - tail])
    return float(lo), float(hi)


@dataclass
class ProgressEstimate:
    """A compute-equivalent efficiency gain per year with its bootstrap interval."""

    method: str
    gain_per_year: float
    ci: tuple[float, float]
    level: float
    n: int
    details: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def halving_months(self) -> float:
        return halving_months(self.gain_per_year)

    @property
    def halving_months_ci(self) -> tuple[float, float]:
        # A faster gain gives a shorter halving time: the bounds swap.
        return halving_months(self.ci[1]), halving_months(self.ci[0])

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "gain_per_year": self.gain_per_year,
                "ci": list(self.ci), "level": self.level, "n": self.n,
                "halving_months": self.halving_months,
                "halving_months_ci": list(self.halving_months_ci),
                **self.details, "notes": self.notes}


def time_trend_progress(
    data: LMData,
    *,
    n_boot: int = 2000,
    level: float = 0.90,
    random_state: int | np.random.Generator | None = 0,
) -> ProgressEstimate:
    """(a) Gain per year 10^(c/b) from log10(1/err) = a + b·log10(C) + c·(year − 2012).

    The regression is the paper's ``time`` variant and the gain comes from
    :func:`dlcost.trends.algorithmic_progress` (the trends issue's function); the interval is
    its bootstrap percentile interval (the delta-method one is in ``details``).
    """
    from dlcost.fitting.models import make_fit
    from dlcost.trends import algorithmic_progress

    if n_boot < 1:
        raise FitError(f"n_boot must be at least 1 (the interval is a bootstrap), got {n_boot}")
    frame = data.frame[data.frame["error"].between(0, 1, inclusive="neither")]
    if len(frame) < 5:
        raise FitError(f"{data.benchmark.name}: the time trend needs at least 5 models with "
                       f"compute and an error in (0, 1); {len(frame)} given")
    fit = make_fit("poly", variant="time", alpha=1.0 - level, n_boot=n_boot,
                   random_state=random_state).fit(frame)
    b, c = float(fit.coef_[1]), float(fit.coef_[2])
    if b <= 0:
        return ProgressEstimate(
            method=TIME_TREND, gain_per_year=float("nan"), ci=(float("nan"), float("nan")),
            level=level, n=fit.n_,
            details={"benchmark": data.benchmark.id, "b": b, "c": c, "n_boot": n_boot},
            notes=[f"the compute slope b = {b:.4f} is not positive: more compute does not "
                   "lower the error at a fixed date in these data, so c/b has no meaning"])
    progress = algorithmic_progress(fit, confidence=level)
    ci = progress.per_year_boot_ci or progress.per_year_ci
    return ProgressEstimate(
        method=TIME_TREND, gain_per_year=progress.per_year, ci=(float(ci[0]), float(ci[1])),
        level=level, n=fit.n_,
        details={"benchmark": data.benchmark.id, "b": b, "c": c,
                 "decades_per_year": progress.decades_per_year,
                 "delta_method_ci": list(progress.per_year_ci), "n_boot": n_boot},
    )


# -- (b) the Epoch Capabilities Index ----------------------------------------------------------


def eci_models(db: ResultsDB, *, per_model: str = "best") -> pd.DataFrame:
    """ECI rows with training compute, one per model (its best version) or every version.

    Columns: ``model, epoch_model, organization, date, year, eci, compute_flop,
    compute_confidence, model_version``. Compute is the ECI file's (Epoch's).
    """
    from dlcost.store.lm import BENCHMARK_SOURCE, ECI_ID

    if BENCHMARK_SOURCE not in db.sources():
        raise FitError("no Epoch Capabilities Index in the store; import it with "
                       "`dlcost data import epoch-benchmarks DIR`")
    rows = db.results(benchmark=ECI_ID, sources=[BENCHMARK_SOURCE])
    import json

    attrs = rows["attributes"].map(lambda t: json.loads(t) if isinstance(t, str) else {})
    frame = pd.DataFrame({
        "model": rows["model"],
        "epoch_model": attrs.map(lambda a: a.get("epoch_model")).fillna(rows["model"]),
        "organization": attrs.map(lambda a: a.get("organization")),
        "date": pd.to_datetime(rows["date"]),
        "eci": rows["score"].astype(float),
        "compute_flop": attrs.map(lambda a: a.get("training_compute_flop")).astype(float),
        "compute_confidence": attrs.map(lambda a: a.get("compute_confidence")),
        "model_version": attrs.map(lambda a: a.get("model_version")),
    })
    frame = frame[frame["compute_flop"].gt(0) & frame["eci"].notna() & frame["date"].notna()]
    if per_model == "best":
        frame = frame.sort_values(["epoch_model", "eci"], ascending=[True, False],
                                  kind="stable").drop_duplicates("epoch_model")
    elif per_model != "all":
        raise FitError(f"per_model must be 'best' or 'all', got {per_model!r}")
    frame = frame.sort_values(["organization", "date", "model"], kind="stable")
    frame["year"] = decimal_year(frame["date"])
    return frame.reset_index(drop=True)


def families(frame: pd.DataFrame, *, window_days: int = FAMILY_WINDOW_DAYS) -> pd.Series:
    """Family label per row: one organization's models released within ``window_days`` of the
    family's first model (``"org#k"``)."""
    labels = pd.Series("", index=frame.index, dtype=object)
    for org, group in frame.sort_values("date").groupby("organization", sort=True):
        start = None
        k = 0
        for idx, when in group["date"].items():
            if start is None or (when - start).days > window_days:
                start = when
                k += 1
            labels[idx] = f"{org}#{k}"
    return labels


def _within_slope(x: np.ndarray, y: np.ndarray, fam: np.ndarray, weights: np.ndarray) -> float:
    """Within-family OLS slope of y on x (family fixed effects), families weighted."""
    num = den = 0.0
    for f in np.unique(fam):
        m = fam == f
        w = weights[m]
        if w.sum() == 0:
            continue
        dx = x[m] - np.average(x[m], weights=w)
        dy = y[m] - np.average(y[m], weights=w)
        num += float(np.sum(w * dx * dy))
        den += float(np.sum(w * dx * dx))
    return num / den if den > 0 else float("nan")


def _within_slopes(x: np.ndarray, y: np.ndarray, fam: np.ndarray,
                   weights: np.ndarray) -> np.ndarray:
    """:func:`_within_slope` for each row of ``weights`` (B × n), the same arithmetic."""
    num = np.zeros(len(weights))
    den = np.zeros(len(weights))
    with np.errstate(divide="ignore", invalid="ignore"):
        for f in np.unique(fam):
            m = fam == f
            w = weights[:, m]
            total = w.sum(axis=1)
            xm, ym = x[m], y[m]
            dx = xm[None, :] - (np.multiply(xm[None, :], w).sum(axis=1) / total)[:, None]
            dy = ym[None, :] - (np.multiply(ym[None, :], w).sum(axis=1) / total)[:, None]
            used = total != 0
            num = np.where(used, num + np.sum(w * dx * dy, axis=1), num)
            den = np.where(used, den + np.sum(w * dx * dx, axis=1), den)
        out: np.ndarray = np.where(den > 0, num / den, np.nan)
    return out


def _trends(t: np.ndarray, r: np.ndarray, w: np.ndarray) -> np.ndarray:
    """:func:`_trend` for each row of ``r`` and ``w`` (B × n), the same arithmetic."""
    total = w.sum(axis=1)
    tm = (np.multiply(t[None, :], w).sum(axis=1) / total)[:, None]
    rm = (np.multiply(r, w).sum(axis=1) / total)[:, None]
    den = np.sum(w * (t[None, :] - tm) ** 2, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        out: np.ndarray = np.where(den > 0, np.sum(w * (t[None, :] - tm) * (r - rm), axis=1)
                                   / den, np.nan)
    return out


def _trend(t: np.ndarray, r: np.ndarray, w: np.ndarray) -> float:
    tm = np.average(t, weights=w)
    rm = np.average(r, weights=w)
    den = float(np.sum(w * (t - tm) ** 2))
    return float(np.sum(w * (t - tm) * (r - rm))) / den if den > 0 else float("nan")


def eci_progress(
    db: ResultsDB,
    *,
    per_model: str = "best",
    window_days: int = FAMILY_WINDOW_DAYS,
    n_boot: int = 2000,
    level: float = 0.90,
    random_state: int | np.random.Generator | None = 0,
) -> ProgressEstimate:
    """(b) Epoch's two-stage estimate on the ECI (module docstring), with its interval."""
    frame = eci_models(db, per_model=per_model)
    frame["family"] = families(frame, window_days=window_days)
    x_all = np.log(frame["compute_flop"].to_numpy())
    spread = frame.groupby("family")["compute_flop"].transform(
        lambda s: s.nunique() >= MIN_FAMILY_SIZE)
    fam_frame = frame[spread]
    if fam_frame["family"].nunique() < 2:
        raise FitError("fewer than 2 model families with several compute levels in the ECI "
                       "data; widen the family window (window_days)")
    fx = np.log(fam_frame["compute_flop"].to_numpy())
    fy = fam_frame["eci"].to_numpy()
    ff = fam_frame["family"].to_numpy()
    k = _within_slope(fx, fy, ff, np.ones(len(fy)))
    t = frame["year"].to_numpy()
    y = frame["eci"].to_numpy()
    s = _trend(t, y - k * x_all, np.ones(len(y)))
    gain = math.exp(s / k) if k > 0 else float("nan")
    rng = random_state if isinstance(random_state, np.random.Generator) else \
        np.random.default_rng(random_state)
    names = np.unique(ff)
    # The draws, in the order one resample after another takes them; then every resample's
    # two stages at once (the same sums, row by row: a test compares with the loop).
    fam_weights = np.empty((n_boot, len(fy)))
    model_weights = np.empty((n_boot, len(y)))
    member = np.searchsorted(names, ff)
    for i in range(n_boot):
        picked = rng.choice(len(names), size=len(names))
        fam_weights[i] = np.bincount(picked, minlength=len(names)).astype(float)[member]
        model_weights[i] = np.bincount(rng.integers(0, len(y), len(y)),
                                       minlength=len(y)).astype(float)
    ks = _within_slopes(fx, fy, ff, fam_weights)
    sbs = _trends(t, y[None, :] - ks[:, None] * x_all[None, :], model_weights)
    gains = np.full(n_boot, np.nan)
    for i, (kb, sb) in enumerate(zip(ks.tolist(), sbs.tolist(), strict=True)):
        if kb > 0 and math.isfinite(sb):
            gains[i] = math.exp(min(sb / kb, 700.0))
    fam_sizes = fam_frame.groupby("family").size()
    notes = [
        f"families: one organization's models released within {window_days} days of the "
        f"family's first, with at least {MIN_FAMILY_SIZE} compute levels: "
        f"{len(fam_sizes)} families, {int(fam_sizes.sum())} models",
        f"one ECI per model ({'its best version' if per_model == 'best' else 'every version'});"
        " compute from the ECI file (Epoch's training compute)",
        f"stage 2 on {len(y)} models released {frame['date'].min():%Y-%m} … "
        f"{frame['date'].max():%Y-%m}",
    ]
    return ProgressEstimate(
        method="Epoch two-stage: within-family slope k of ECI on ln(C), then the time trend "
               "of ECI − k·ln(C)",
        gain_per_year=gain, ci=_interval(gains, level), level=level, n=len(y),
        details={"k": k, "k_ci": list(_interval(ks, level)), "trend_per_year": s,
                 "n_families": len(fam_sizes), "n_family_models": int(fam_sizes.sum()),
                 "families": {str(f): fam_frame.loc[fam_frame["family"] == f, "model"].tolist()
                              for f in fam_sizes.index},
                 "n_boot": n_boot, "anchor_epoch_2025": EPOCH_ECI_2025,
                 "anchor_ho_2024": HO_2024},
        notes=notes,
    )
