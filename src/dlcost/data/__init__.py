"""Shipped data tables (accelerators, cloud prices, the builtin results) and their loaders."""
