"""dlcost: measure and forecast the computational price of progress in deep learning.

The package implements the analysis of Thompson, Greenewald, Lee & Manso, *The Computational
Limits of Deep Learning* (arXiv:2007.05558), and extends it. A lower layer never imports a
higher one; README's "Layout" section gives the order and ``tests/test_layers.py`` checks it.

Heavy submodules are imported lazily so that ``import dlcost`` and ``dlcost --help`` stay fast.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
