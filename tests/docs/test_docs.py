"""Documentation that cannot drift: the command reference, README examples, doctests."""

from __future__ import annotations

import doctest
import importlib
import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_cli_reference_is_current() -> None:
    generated = runpy.run_path(str(ROOT / "scripts" / "gen_cli_reference.py"))["render"]()
    current = (ROOT / "docs" / "cli.md").read_text()
    assert current == generated, "docs/cli.md is stale: run python scripts/gen_cli_reference.py"


def test_readme_python_examples_run() -> None:
    """The README's Python block, run as written (on the builtin data of a fresh store).

    Its projections to 5 % and 1 % lie beyond the data, which dlcost must say.
    """
    from dlcost.exceptions import ExtrapolationWarning

    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert blocks
    for block in blocks:
        with pytest.warns(ExtrapolationWarning):
            exec(compile(block, "README.md", "exec"), {})


@pytest.mark.parametrize(
    "module",
    ["dlcost.units", "dlcost.compute.durations", "dlcost.compute.estimates",
     "dlcost.data.accelerators"],
)
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 or module == "dlcost.units"
    assert result.failed == 0
