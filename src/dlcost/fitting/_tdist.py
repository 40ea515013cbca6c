"""Student's t distribution: the two-sided tail and the quantile, in plain Python.

The fits need only ``t.ppf`` (interval half-widths) and ``t.sf`` (p-values). Importing
``scipy.stats`` for them costs about half a second, and ``scipy.special`` a third of one,
which is most of ``dlcost fit --json``'s run time. Both are computed here from the regularized
incomplete beta function (continued fraction, modified Lentz), with the quantile polished by
Newton steps inside a bracket. They agree with scipy to within a few units in the last place
(``tests/fitting/test_fitting_tdist.py`` compares them over a grid), so every printed digit
of a fit is unchanged.
"""

from __future__ import annotations

import math
from statistics import NormalDist

_EPS = 1e-16
_TINY = 1e-300


def _beta_continued_fraction(x: float, a: float, b: float) -> float:
    """The continued fraction of I_x(a, b) (Numerical Recipes' ``betacf``, modified Lentz)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            break
    return h


def _betainc(x: float, a: float, b: float, one_minus_x: float) -> float:
    """Regularized incomplete beta I_x(a, b); ``one_minus_x`` given exactly by the caller."""
    if x <= 0.0:
        return 0.0
    if one_minus_x <= 0.0:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log(one_minus_x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_continued_fraction(x, a, b) / a
    return 1.0 - math.exp(log_front) * _beta_continued_fraction(one_minus_x, b, a) / b


def t_two_sided(t: float, df: float) -> float:
    """P(|T| ≥ |t|) for Student's t with ``df`` degrees of freedom (``2 · t.sf(|t|, df)``)."""
    if math.isnan(t) or not df > 0:
        return math.nan
    if math.isinf(t):
        return 0.0
    t2 = t * t
    return _betainc(df / (df + t2), df / 2.0, 0.5, t2 / (df + t2))


def _sf(t: float, df: float) -> float:
    half = 0.5 * t_two_sided(t, df)
    return half if t >= 0 else 1.0 - half


def _pdf(t: float, df: float) -> float:
    log_c = math.lgamma((df + 1.0) / 2.0) - math.lgamma(df / 2.0) - 0.5 * math.log(df * math.pi)
    return math.exp(log_c - (df + 1.0) / 2.0 * math.log1p(t * t / df))


def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom (``t.ppf(p, df)``)."""
    if math.isnan(p) or not df > 0 or not 0.0 <= p <= 1.0:
        return math.nan
    if p == 0.5:
        return 0.0
    if p in (0.0, 1.0):
        return math.copysign(math.inf, p - 0.5)
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    tail = 1.0 - p
    if df == 1.0:  # Cauchy: exact
        return math.tan(math.pi * (p - 0.5))
    if df == 2.0:  # exact
        return (2.0 * p - 1.0) / math.sqrt(2.0 * p * (1.0 - p))
    # Bracket [0, hi] with sf(hi) < tail, start from the normal quantile with a first
    # Cornish–Fisher correction, then safeguarded Newton steps.
    z = NormalDist().inv_cdf(p)
    t = z + (z ** 3 + z) / (4.0 * df)
    lo, hi = 0.0, max(2.0 * t, 1.0)
    while _sf(hi, df) > tail:
        lo, hi = hi, 2.0 * hi
    if not lo < t < hi:
        t = 0.5 * (lo + hi)
    for _ in range(200):
        f = _sf(t, df) - tail  # decreasing in t
        if f > 0:
            lo = t
        else:
            hi = t
        step = f / _pdf(t, df)
        candidate = t + step
        if not lo < candidate < hi:
            candidate = 0.5 * (lo + hi)
        if abs(candidate - t) <= 4.0 * _EPS * abs(t) or hi - lo <= 4.0 * _EPS * hi:
            return candidate
        t = candidate
    return t
