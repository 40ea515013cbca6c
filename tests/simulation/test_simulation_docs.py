"""The simulation docs cannot drift: docstring examples run, every CLI option is documented."""

from __future__ import annotations

import doctest
import importlib
import re
from pathlib import Path

import pytest
import typer

DOC = Path(__file__).resolve().parents[2] / "docs" / "simulation.md"
MODULES = [
    "dlcost.simulation.theory",
    "dlcost.simulation.flop",
    "dlcost.simulation._settings",
    "dlcost.simulation._runner",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0


def test_every_simulate_option_is_in_the_guide() -> None:
    from dlcost.cli import simulate
    from dlcost.cli._common import new_app

    app = new_app("test")

    @app.callback()
    def _root() -> None:
        """Test root."""

    simulate.register(app)
    command = typer.main.get_command(app).commands["simulate"]  # type: ignore[attr-defined]
    text = DOC.read_text(encoding="utf-8")
    options = [opt for p in command.params for opt in p.opts if opt.startswith("--")]
    missing = [opt for opt in options if opt != "--help" and not re.search(re.escape(opt), text)]
    assert not missing, f"docs/simulation.md does not mention {missing}"
