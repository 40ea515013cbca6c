"""The Epoch benchmarking-hub importer and its join to Epoch's models table, on the real data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dlcost.exceptions import DataFormatError, UnknownSourceError
from dlcost.store import ResultsDB
from dlcost.store.importers import import_file, import_path, parser
from dlcost.store.importers.epoch_benchmarks import benchmark_id, parse_shots, reasoning_setting
from dlcost.store.lm import JOINED, NO_MODELS_TABLE, join_report, lm_scores

HUB = "epoch_benchmarks"


@pytest.fixture(scope="module")
def hub_db(shared_data: Path) -> ResultsDB:
    db = ResultsDB(":memory:", builtin=False)
    import_path(db, "epoch-benchmarks", shared_data / HUB)
    import_path(db, "epoch", shared_data / "epoch_ai_models")
    return db


def test_folder_import_counts_rows_and_is_idempotent(shared_data: Path) -> None:
    db = ResultsDB(":memory:", builtin=False)
    summary = import_file(db, "epoch-benchmarks", shared_data / HUB)
    # 32 external files with a percentage headline + Epoch's runs + the ECI.
    assert len(db.imports()) == 34
    counts = dict(db.con.execute(
        "SELECT benchmark, count(*) FROM results GROUP BY 1").fetchall())
    # Row counts of the source files (SOURCES.md): mmlu 246, gsm8k 234; arc_ai2 has 144 rows
    # of which 3 lack a challenge score; 134 GPQA diamond runs; 142 of 426 ECI rows scored.
    assert counts["mmlu"] == 246 and counts["gsm8k"] == 234
    assert counts["arc-ai2"] == 141 and counts["gpqa-diamond"] == 134
    assert counts["eci"] == 142
    assert summary.skipped["ECI rows without an ECI score"] == 284
    assert summary.rows == sum(counts.values())
    before = db.snapshot()
    import_path(db, "epoch-benchmarks", shared_data / HUB)
    assert db.snapshot()[1:] == before[1:]


def test_fields_are_kept(hub_db: ResultsDB) -> None:
    frame = lm_scores(hub_db, benchmark="mmlu")
    gopher = frame[frame.model_version == "Gopher (280B)"].iloc[0]
    assert gopher.score == 60.0 and gopher.error == pytest.approx(0.4)
    assert gopher.shots == 5 and gopher.origin == "external"
    assert gopher.join_status == JOINED and gopher.training_compute_flop == pytest.approx(6.31e23)
    assert gopher.compute_confidence == "Confident" and gopher.parameters == 2.8e11
    runs = lm_scores(hub_db, benchmark="gpqa-diamond")
    assert set(runs.origin) == {"epoch_run"}
    assert (runs.reasoning == "high").sum() > 0
    distilled = lm_scores(hub_db).distilled
    assert (distilled == True).sum() > 0 and (distilled == False).sum() > 0  # noqa: E712


def test_join_report_per_benchmark(hub_db: ResultsDB) -> None:
    report = join_report(hub_db)
    mmlu = report.row("mmlu")
    assert mmlu["rows"] == 246
    assert mmlu["rows"] >= mmlu["with_version"] >= mmlu["joined"] >= mmlu["with_compute"] >= 40
    assert report.row("gsm8k")["with_compute"] >= 40
    for bench in ("hellaswag", "winogrande", "arc-ai2", "bbh", "gpqa-diamond"):
        assert report.row(bench)["with_compute"] >= 20
    assert 0 < len(report.unjoined["mmlu"]) <= 5
    assert json.loads(json.dumps(report.to_dict()))["benchmarks"][0]["benchmark"]


def test_without_the_models_table_nothing_joins_and_says_why(shared_data: Path) -> None:
    db = ResultsDB(":memory:", builtin=False)
    import_path(db, "epoch-benchmarks", shared_data / HUB)
    statuses = set(lm_scores(db, benchmark="bbh").join_status)
    assert NO_MODELS_TABLE in statuses and JOINED not in statuses
    assert join_report(db).row("bbh")["with_compute"] == 0


def test_no_scores_is_a_clear_error() -> None:
    with pytest.raises(UnknownSourceError, match="import Epoch's benchmarking hub"):
        lm_scores(ResultsDB(":memory:", builtin=False))


def test_one_file_beside_model_versions(shared_data: Path) -> None:
    [batch] = parser("epoch-benchmarks")(shared_data / HUB / "external_benchmark_bbh.csv")
    assert len(batch.results) == 89
    assert all(json.loads(r["attributes"]).get("version_known") is not None
               for r in batch.results if "model_version" in json.loads(r["attributes"]))


def test_bad_percentage_names_file_row_and_column(shared_data: Path, tmp_path: Path) -> None:
    shutil.copy(shared_data / HUB / "model_versions.csv", tmp_path)
    bad = tmp_path / "external_benchmark_mmlu.csv"
    bad.write_text("id,Name,EM,Model version,Shots,Source,Source link,Notes\n"
                   "r1,Model A,40%,a,5,,,\nr2,Model B,140%,b,5,,,\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"row 3.*EM.*\[0, 100\]"):
        parser("epoch-benchmarks")(tmp_path)


def test_missing_headline_column(tmp_path: Path) -> None:
    bad = tmp_path / "external_benchmark_gsm8k.csv"
    bad.write_text("id,Name,Score,Model version\nr1,A,40%,a\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match="missing column 'EM'"):
        parser("epoch-benchmarks")(bad)


def test_not_a_hub_folder(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match="holds no external_benchmark"):
        parser("epoch-benchmarks")(tmp_path)


@pytest.mark.parametrize(("text", "shots"), [("5", 5), ("25-shot", 25), ("few", "few"),
                                              ("0\n", 0), ("", None)])
def test_shots(text: str, shots: object) -> None:
    assert parse_shots(text) == shots


def test_reasoning_and_ids() -> None:
    assert reasoning_setting("o3-2025-04-16_high") == "high"
    assert reasoning_setting("claude-3-7-sonnet-20250219_16K") == "16K"
    assert reasoning_setting("gpt-4o-2024-05-13") is None
    assert benchmark_id("arc_ai2") == "arc-ai2"
    assert benchmark_id("GPQA diamond") == "gpqa-diamond"
