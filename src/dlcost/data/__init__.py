"""Shipped data tables and their loaders (the lowest layer of dlcost).

* :mod:`dlcost.data.accelerators` — the accelerator catalogue (``accelerators.csv``: dense peak
  FLOP/s by precision, TDP, launch price, primary source per chip) and dated cloud prices
  (``cloud_prices.csv``). ``README.md`` beside this file documents both tables.
* ``builtin/`` — the benchmark results shipped with dlcost (see ``builtin/README.md``).

Nothing is imported here, so ``import dlcost.data`` costs nothing; the tables are read lazily,
through :mod:`importlib.resources`, the first time a loader is called.
"""
