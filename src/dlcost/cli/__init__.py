"""The ``dlcost`` command line: a thin typer shell over the library.

Each command module imports only typer at import time and the library inside the command,
so ``dlcost --help`` stays fast.
"""
