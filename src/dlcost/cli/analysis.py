"""PLACEHOLDER until its engineer lands it."""

import typer


def register(app: typer.Typer) -> None:
    """Nothing yet."""
