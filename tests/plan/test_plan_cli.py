"""``dlcost plan`` and ``dlcost cost`` end to end on the shipped snapshots (and Epoch's LM
benchmarks), and ``dlcost.plan.plan`` on the same store."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dlcost.cli.main import app

runner = CliRunner()
SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "schemas"


def validate(name: str, doc: dict) -> None:
    """The document matches docs/schemas/NAME.schema.json (the CLI conventions' contract)."""
    from jsonschema import Draft202012Validator

    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    errors = sorted(Draft202012Validator(schema).iter_errors(doc), key=str)
    assert not errors, f"{name}: {errors[0]}"
PLAN_KEYS = {"year", "year_ci", "usd", "co2_kg", "levers", "reachable", "p_reachable",
             "assumptions", "inputs"}
LEVERS = ["no-algorithmic-progress", "hardware-stalls", "flat-budget", "efficient-architecture"]


@pytest.fixture(scope="module")
def db_file(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh store (builtin + shipped snapshots) with Epoch's benchmarking hub imported."""
    path = str(tmp_path_factory.mktemp("plan") / "store.duckdb")
    result = runner.invoke(app, ["--db", path, "data", "import", "epoch-benchmarks",
                                 str(shared_data / "epoch_benchmarks")])
    assert result.exit_code == 0, result.output
    return path


def _plan(db_file: str, *args: str) -> dict:
    result = runner.invoke(app, ["--db", db_file, "plan", *args, "--json", "--draws", "2000"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    validate("plan", doc)
    return doc


@pytest.mark.shared_data
def test_plan_imagenet_error_5_percent(db_file: str) -> None:
    doc = _plan(db_file, "imagenet", "--error", "5%")
    assert set(doc) >= PLAN_KEYS
    lo, hi = doc["year_ci"]
    assert doc["start_year"] <= lo <= doc["year"] <= hi
    assert doc["usd"] > 0 and doc["co2_kg"] > 0
    assert [lv["key"] for lv in doc["levers"]] == LEVERS
    by = {lv["key"]: lv for lv in doc["levers"]}
    # Removing a tailwind never brings the year forward; 10× efficiency never delays it.
    for key in ("no-algorithmic-progress", "hardware-stalls", "flat-budget"):
        assert by[key]["years_saved"] is None or by[key]["years_saved"] <= 0
    assert by["efficient-architecture"]["years_saved"] >= 0
    assert "not calibrated" in doc["interval"]
    assert doc["target_error"] == pytest.approx(0.05)


@pytest.mark.shared_data
def test_plan_mmlu_score_95_percent_is_seeded(db_file: str) -> None:
    a = _plan(db_file, "mmlu", "--score", "95%", "--seed", "3")
    b = _plan(db_file, "mmlu", "--score", "95%", "--seed", "3")
    assert a["year"] == b["year"] and a["year_ci"] == b["year_ci"]
    assert a["target_score"] == pytest.approx(0.95)
    assert a["measure"] == "training_compute"
    assert len(a["levers"]) == 4


@pytest.mark.shared_data
def test_a_budget_and_a_grid_override(db_file: str) -> None:
    small = _plan(db_file, "imagenet", "--error", "5%", "--budget", "1e6")
    large = _plan(db_file, "imagenet", "--error", "5%", "--budget", "1e9")
    assert large["year"] <= small["year"] if small["year"] else True
    assert small["budget_usd"] == 1e6
    green = _plan(db_file, "imagenet", "--error", "5%", "--grid", "0.0429")
    base = _plan(db_file, "imagenet", "--error", "5%")
    assert green["co2_kg"] == pytest.approx(base["co2_kg"] / 10, rel=1e-9)


@pytest.mark.shared_data
def test_plan_text_explains_each_assumption(db_file: str) -> None:
    result = runner.invoke(app, ["--db", db_file, "plan", "imagenet", "--error", "5%",
                                 "--draws", "500"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    for needle in ("Levers", "Assumptions", "algorithmic progress", "price of compute",
                   "frontier training cost", "grid intensity"):
        assert needle in out


INPUT_KEYS = ["log10_flop", "log10_usd_per_flop", "log10_spend", "algorithmic",
              "price_performance", "spend_growth", "energy_efficiency"]


@pytest.mark.shared_data
def test_interval_nominal_is_the_default_and_unchanged(db_file: str) -> None:
    args = ["--db", db_file, "plan", "imagenet", "--error", "5%", "--json", "--draws", "500"]
    default = runner.invoke(app, args)
    nominal = runner.invoke(app, [*args, "--interval", "nominal"])
    assert default.exit_code == nominal.exit_code == 0
    assert default.stdout == nominal.stdout
    doc = json.loads(default.stdout)
    assert "calibration" not in doc and "nominal" not in doc
    assert doc["interval"].startswith("nominal")


@pytest.mark.shared_data
def test_calibrated_imagenet_widens_with_the_curve_backtest(db_file: str) -> None:
    doc = _plan(db_file, "imagenet", "--error", "5%", "--interval", "calibrated")
    assert doc["interval"].startswith("calibrated")
    by = {c["key"]: c for c in doc["calibration"]}
    assert list(by) == INPUT_KEYS
    flop = by["log10_flop"]
    # The ImageNet curve's later results fell outside its nominal intervals more often than
    # the level (#14): its factor widens, at the horizon of the plan's nominal median year.
    assert flop["calibrated"] and flop["backtest"] == "imagenet curve" and flop["factor"] > 1
    assert flop["horizon"] == math.ceil(doc["nominal"]["year"] - doc["start_year"])
    assert flop["level"] == 0.9 and flop["n"] >= 10
    for key in ("log10_spend", "spend_growth"):
        assert by[key]["calibrated"] and by[key]["backtest"] == "frontier training cost"
    for key in ("log10_usd_per_flop", "algorithmic", "price_performance", "energy_efficiency"):
        assert not by[key]["calibrated"] and by[key]["reason"]
    (lo, hi), (nlo, nhi) = doc["year_ci"], doc["nominal"]["year_ci"]
    assert lo <= nlo and hi >= nhi and (hi - lo) > 1.2 * (nhi - nlo)
    # Spreads widen about the centres: the median year barely moves.
    assert doc["year"] == pytest.approx(doc["nominal"]["year"], abs=0.2)
    # The inputs' intervals are the calibrated ones.
    nominal = _plan(db_file, "imagenet", "--error", "5%")
    width = {k: v["interval_90"][1] - v["interval_90"][0] for k, v in doc["inputs"].items()}
    nwidth = {k: v["interval_90"][1] - v["interval_90"][0] for k, v in nominal["inputs"].items()}
    assert width["log10_flop"] > nwidth["log10_flop"]
    assert width["algorithmic"] == nwidth["algorithmic"]
    assert nominal["year_ci"] == doc["nominal"]["year_ci"]
    again = _plan(db_file, "imagenet", "--error", "5%", "--interval", "calibrated")
    assert again == doc


@pytest.mark.shared_data
def test_calibrated_language_model_plan_keeps_its_curve_nominal(db_file: str) -> None:
    doc = _plan(db_file, "mmlu", "--score", "95%", "--interval", "calibrated")
    by = {c["key"]: c for c in doc["calibration"]}
    assert not by["log10_flop"]["calibrated"]
    assert "language-model benchmark" in by["log10_flop"]["reason"]
    assert by["spend_growth"]["calibrated"] and by["log10_spend"]["calibrated"]
    budget = _plan(db_file, "mmlu", "--score", "95%", "--interval", "calibrated",
                   "--budget", "1e8")
    by = {c["key"]: c for c in budget["calibration"]}
    assert not any(c["calibrated"] for c in by.values())
    assert by["spend_growth"]["reason"] == "fixed by the budget: no spread"
    text = runner.invoke(app, ["--db", db_file, "plan", "mmlu", "--score", "95%", "--draws",
                               "500", "--interval", "calibrated"])
    assert text.exit_code == 0, text.output
    out = " ".join(text.output.split())
    assert "calibrated interval; nominal:" in out
    assert "nominal: compute for the target — mmlu is a language-model benchmark" in out


@pytest.mark.shared_data
def test_plan_errors_are_one_line(db_file: str) -> None:
    result = runner.invoke(app, ["--db", db_file, "plan", "imagenet"])
    assert result.exit_code == 1
    assert result.output.strip() == ("Error: give exactly one target: --error (e.g. 5%) or "
                                     "--score (e.g. 95%)")
    result = runner.invoke(app, ["--db", db_file, "plan", "imagenot", "--error", "5%"])
    assert result.exit_code == 1 and result.output.startswith("Error: unknown benchmark")
    result = runner.invoke(app, ["--db", db_file, "plan", "imagenet", "--error", "5%",
                                 "--interval", "wide"])
    assert result.exit_code == 1
    assert result.output.strip() == ("Error: --interval must be nominal or calibrated, got "
                                     "'wide'")


def test_cost_gpt3_json_reproduces_patterson_and_says_when_serving_overtakes() -> None:
    result = runner.invoke(app, ["cost", "gpt3", "--queries-per-day", "1e7", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    validate("cost", doc)
    training = doc["model"]["training"]
    assert training["mwh"] == pytest.approx(1287, rel=0.005)
    assert training["co2_t"] == pytest.approx(552, rel=0.005)
    assert doc["model"]["overtake_days"]["kwh"] == pytest.approx(143.5, abs=0.1)
    assert doc["smaller"]["name"] == "GPT-3 6.7B"
    text = runner.invoke(app, ["cost", "gpt3", "--queries-per-day", "1e7"])
    assert text.exit_code == 0
    assert "serving overtakes training" in " ".join(text.output.split())


def test_cost_errors() -> None:
    result = runner.invoke(app, ["cost", "gpt4", "--queries-per-day", "1"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: unknown model 'gpt4'; choose gpt3 or custom"


@pytest.mark.shared_data
def test_plot_writes_the_levers_figure(db_file: str, tmp_path: Path) -> None:
    out = tmp_path / "levers.png"
    result = runner.invoke(app, ["--db", db_file, "plan", "imagenet", "--error", "5%",
                                 "--draws", "300", "--plot", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0


def test_cost_dollars_are_drawn_over_epochs_prices_with_a_seed() -> None:
    args = ["cost", "gpt3", "--queries-per-day", "1e7", "--draws", "2000", "--json"]
    a = json.loads(runner.invoke(app, [*args, "--seed", "5"]).stdout)["price_uncertainty"]
    b = json.loads(runner.invoke(app, [*args, "--seed", "5"]).stdout)["price_uncertainty"]
    assert a == b
    assert a["chip_family"] == "V100" and a["observations"] > 10
    lo, hi = a["GPT-3 175B"]["overtake_days_usd"]["ci"]
    assert lo < a["GPT-3 175B"]["overtake_days_usd"]["median"] < hi
    # Training dollars are chip-hours × an observed price: inside the observed price range.
    p_lo, p_hi = a["price_range_usd_per_chip_hour"]
    t_lo, t_hi = a["GPT-3 175B"]["training_usd"]["ci"]
    assert 3.552e6 * p_lo <= t_lo <= t_hi <= 3.552e6 * p_hi


@pytest.mark.shared_data
def test_a_later_start_year_carries_prices_along_the_trend(db_file: str) -> None:
    base = _plan(db_file, "imagenet", "--error", "5%")
    later = _plan(db_file, "imagenet", "--error", "5%", "--year", "2030")
    h = base["inputs"]["price_performance"]["center"]
    shift = 2030 - base["start_year"]
    assert later["inputs"]["log10_usd_per_flop"]["center"] == pytest.approx(
        base["inputs"]["log10_usd_per_flop"]["center"] - h * shift, abs=1e-9)
    assert later["start_year"] == 2030
    assert any("carried" in n for n in later["notes"])


@pytest.mark.parametrize(("args", "start"), [
    (["cost", "gpt3", "--queries-per-day", "nan"],
     "Error: Invalid value for '--queries-per-day': nan is not a number"),
    (["cost", "gpt3", "--queries-per-day", "-3"],
     "Error: Invalid value for '--queries-per-day': must be above 0"),
    (["plan", "imagenet", "--error", "5%", "--budget", "inf"],
     "Error: Invalid value for '--budget': inf is not a number"),
    (["plan", "imagenet", "--error", "5%", "--draws", "0"], "Error: Invalid value for '--draws'"),
])
def test_nonsense_numbers_are_refused_in_one_line(args: list[str], start: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code != 0
    assert result.stderr.startswith(start) and result.stderr.count("\n") == 1
