"""Backtests on every backend give the serial numbers: each origin is refitted from its own
rows, so where it runs (this process, local processes, Ray tasks) changes nothing."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from dlcost.backtest import backtest, growth_table
from dlcost.cli.main import app
from dlcost.exceptions import BackendUnavailableError


def _text(result: object) -> str:
    """Every number of a result, as ``backtest --json`` prints it (NaN included)."""
    return json.dumps(result, sort_keys=True, default=str)


@pytest.fixture(scope="module")
def serial(futuretech_db) -> str:  # type: ignore[no-untyped-def]
    return _text(backtest(futuretech_db, "imagenet").to_dict())


def test_process_backend_gives_the_serial_numbers(futuretech_db, serial: str) -> None:  # type: ignore[no-untyped-def]
    result = backtest(futuretech_db, "imagenet", backend="process", workers=2)
    assert len(result.components) == 2 and all(len(c.table) for c in result.components)
    assert _text(result.to_dict()) == serial


def test_ray_backend_gives_the_serial_numbers(futuretech_db, serial: str, local_ray) -> None:  # type: ignore[no-untyped-def]
    """One Ray test: Ray starts once per session (the ``local_ray`` fixture), and must start."""
    assert _text(backtest(futuretech_db, "imagenet", backend="ray", workers=2).to_dict()) \
        == serial


def test_growth_origins_on_processes_are_the_serial_ones() -> None:
    rng = np.random.default_rng(7)
    year = np.sort(rng.uniform(2010, 2024, 300))
    rows = pd.DataFrame({"name": [f"m{i}" for i in range(300)], "year": year,
                         "value": 10 ** (18 + 0.6 * (year - 2010) + rng.normal(0, 0.5, 300))})
    table, origins = growth_table(rows)
    table_p, origins_p = growth_table(rows, backend="process", workers=2)
    assert len(table) > 100 and len(origins) > 5
    pd.testing.assert_frame_equal(table, table_p, check_exact=True)
    assert origins == origins_p


def test_unknown_backend_is_refused(futuretech_db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BackendUnavailableError, match="backend must be one of"):
        backtest(futuretech_db, "imagenet", backend="threads")  # type: ignore[arg-type]
    result = CliRunner().invoke(app, ["backtest", "imagenet", "--backend", "threads"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: --backend must be one of serial, process, ray, got 'threads'"]
