"""The headline chart: the best error extrapolated in time and priced, on a fresh store."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from dlcost.cli.main import app
from dlcost.exceptions import FitError
from dlcost.projection.forecast import PAPER_CUTOFF, forecast
from dlcost.store import ResultsDB, open_db

runner = CliRunner()


@pytest.fixture(scope="module")
def builtin_db():  # type: ignore[no-untyped-def]
    db = open_db(":memory:")
    yield db
    db.close()


def test_forecast_imagenet_on_a_fresh_store(builtin_db: ResultsDB) -> None:
    fc = forecast(builtin_db, "imagenet", year=2025, n_boot=300, random_state=0)
    assert 0 < fc.error_ci[0] < fc.error < fc.error_ci[1] < 1
    # The prediction interval holds the interval of the line.
    assert fc.error_ci[0] <= fc.error_line_ci[0] and fc.error_line_ci[1] <= fc.error_ci[1]
    # The extrapolated error is what the error trend says in 2025.
    assert fc.error == pytest.approx(fc.trend.predict(2025.0))
    assert fc.flop_ci[0] < fc.flop < fc.flop_ci[1]
    assert fc.usd is not None and fc.usd_ci is not None and fc.usd_ci[0] < fc.usd < fc.usd_ci[1]
    assert fc.nyc_months is not None and fc.nyc_months > 0
    assert fc.actual is None


def test_cutoff_shows_what_happened_after(builtin_db: ResultsDB) -> None:
    fc = forecast(builtin_db, "imagenet", year=2025, cutoff=PAPER_CUTOFF, n_boot=200,
                  random_state=0)
    assert fc.trend.end_ <= 2020.5
    assert fc.actual is not None and len(fc.actual) > 0
    assert (fc.actual["year"] > 2020.49).all()
    # Every later record beats every record before the cut-off.
    before = fc.results[fc.results["state_of_the_art"]]["error"].min()
    assert (fc.actual["error"] < before).all()
    doc = fc.to_dict()
    assert doc["after_cutoff"] and doc["cutoff"] == PAPER_CUTOFF


def test_forecast_refuses_too_few_records(builtin_db: ResultsDB) -> None:
    with pytest.raises(FitError, match="state-of-the-art"):
        forecast(builtin_db, "imagenet", cutoff="2012-12-31")


def test_forecast_cli_prints_error_and_price() -> None:
    result = runner.invoke(app, ["forecast", "imagenet", "--year", "2025", "--boot", "200"])
    assert result.exit_code == 0, result.output
    assert "best error extrapolated to 2025" in result.stdout
    assert "FLOP" in result.stdout and "months of New York City" in result.stdout
    as_json = runner.invoke(app, ["forecast", "imagenet", "--boot", "200", "--json"])
    doc = json.loads(as_json.stdout)
    assert {"error", "error_ci", "flop", "flop_ci", "usd", "co2_kg", "nyc_months"} <= set(doc)


def test_forecast_figure_has_both_panels(builtin_db: ResultsDB) -> None:
    from dlcost.plotting.trends import ForecastDisplay, forecast_figure

    fc = forecast(builtin_db, "imagenet", cutoff=PAPER_CUTOFF, n_boot=200, random_state=0)
    fig = forecast_figure(fc)
    names = [t.name or "" for t in fig.data]
    assert any("after the cut-off" in n for n in names)
    assert any(n.startswith("price of") for n in names)
    display = ForecastDisplay.from_forecast(fc)
    assert len(display.axes_) == 2
