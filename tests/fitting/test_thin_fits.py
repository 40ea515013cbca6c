"""Thin fits are flagged: fewer than 10 results, or under two decades of compute."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from dlcost.assumptions import MIN_RELIABLE_DECADES, MIN_RELIABLE_RESULTS
from dlcost.cli.main import app
from dlcost.fitting import PolynomialFit


def _points(n: int, lo: float, hi: float) -> pd.DataFrame:
    """A power law err = 10**-(0.1·log10 C − 1) with a little seeded noise."""
    rng = np.random.default_rng(0)
    x = np.linspace(lo, hi, n)
    y = -1.0 + 0.1 * x + rng.normal(0, 0.01, n)
    return pd.DataFrame({"compute_flop": 10.0 ** x, "error": 10.0 ** -y, "year": 2020})


def test_thresholds_are_named_and_cited() -> None:
    assert (MIN_RELIABLE_RESULTS.value, MIN_RELIABLE_DECADES.value) == (10, 2)
    assert "issue #11" in MIN_RELIABLE_RESULTS.source


def test_few_results() -> None:
    fit = PolynomialFit().fit(_points(9, 18, 24))
    assert not fit.reliable_
    assert fit.reliability_reason_ == "too few results to say: 9 results, fewer than 10"
    record = fit.to_dict()
    assert record["reliable"] is False and record["reason"] == fit.reliability_reason_
    assert record["slope"] == fit.slope_  # the numbers are still there, in small print


def test_narrow_compute_span() -> None:
    fit = PolynomialFit().fit(_points(30, 20.0, 21.5))
    assert fit.reliability_reasons_ == ["compute spans 1.5 decades, less than 2"]


def test_both_reasons_and_a_sound_fit() -> None:
    thin = PolynomialFit().fit(_points(4, 20.0, 21.0))
    assert thin.reliability_reasons_ == ["4 results, fewer than 10",
                                         "compute spans 1.0 decades, less than 2"]
    sound = PolynomialFit().fit(_points(10, 18.0, 20.0))
    assert sound.reliable_ and sound.reliability_reason_ is None
    assert sound.to_dict()["reliable"] is True


def test_cli_flags_thin_fits_in_json_and_text() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["fit", "coco", "--data", "builtin", "--json"])
    assert result.exit_code == 0, result.output
    (record,) = json.loads(result.stdout)["fits"]
    assert record["n"] < 10
    assert record["reliable"] is False
    assert record["reason"].startswith("too few results to say: ")
    text = runner.invoke(app, ["fit", "coco", "--data", "builtin"]).stdout
    assert "coco (poly): too few results to say:" in " ".join(text.split())
    (sound,) = json.loads(runner.invoke(app, ["fit", "imagenet", "--data", "futuretech",
                                              "--json"]).stdout)["fits"]
    assert (sound["n"], sound["reliable"], sound["reason"]) == (102, True, None)
