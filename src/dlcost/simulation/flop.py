"""FLOP counts of the fits in the simulation, written out so they can be checked.

Convention (METHODS.md §2): one multiply-add is 2 FLOP. Symmetry is used where an ordinary
implementation uses it (BLAS ``syrk`` for a Gram matrix, LAPACK ``potrf`` for Cholesky).

============================  ==================================  =========================
step                          formula (FLOP)                      why
============================  ==================================  =========================
Gram matrix ``XᵀX``           ``n·k·(k + 1)``                     k(k+1)/2 entries, n
                                                                  multiply-adds each
``Xᵀy``                       ``2·n·k``
Cholesky of ``k × k``         ``k³ / 3``                          Golub & Van Loan, §4.2
two triangular solves         ``2·k²``
OLS on ``k`` features         the four above
Lasso (feature-sign search)   Gram (when ``n > p``) + ``Xᵀy``     counted step by step by
                              + the solver's own steps            :mod:`._lasso`
============================  ==================================  =========================

These count the algorithm a practitioner runs on ``n`` rows of data. The simulation itself
does less work for the same fits (it draws Gram matrices from their Wishart distribution
instead of multiplying rows, see :mod:`._engine`); that work is reported separately as the
run's ``engine_flop``.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np

#: A count for one size (float) or for an array of sizes (element-wise).
Size = TypeVar("Size", float, np.ndarray)


def gram_flop(n: Size, k: float) -> Size:
    """FLOP of ``XᵀX`` for ``n`` rows and ``k`` columns (symmetric half)."""
    return n * k * (k + 1)


def xty_flop(n: Size, k: float) -> Size:
    """FLOP of ``Xᵀy``."""
    return 2.0 * n * k


def cholesky_flop(k: float) -> float:
    """FLOP of a Cholesky factorization of a ``k × k`` matrix."""
    return k**3 / 3.0


def triangular_solves_flop(k: float) -> float:
    """FLOP of the forward and back substitution with a ``k × k`` Cholesky factor."""
    return 2.0 * k**2


def ols_flop(n: Size, k: float) -> Size:
    """FLOP of ordinary least squares on ``k`` features and ``n`` rows via Cholesky.

    Examples
    --------
    >>> ols_flop(2000, 1000) / 1e9  # the Gram matrix dominates once n ≫ k
    2.3413333333333335
    """
    return gram_flop(n, k) + xty_flop(n, k) + cholesky_flop(k) + triangular_solves_flop(k)
