"""PLACEHOLDER."""

from dlcost.cli._common import new_app

app = new_app("Accelerators.")
