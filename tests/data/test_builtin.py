"""The embedded default dataset: coverage, provenance, validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from dlcost.exceptions import DataFormatError
from dlcost.store import ResultsDB, open_db
from dlcost.store.importers.builtin import data_files, fact_status, parse_files

MINIMUM = {"imagenet": 60, "coco": 25, "squad1.1": 15, "conll2003": 15, "wmt14-en-fr": 12,
           "wmt14-en-de": 15}


@pytest.fixture(scope="module")
def builtin() -> ResultsDB:
    return open_db(":memory:")


def test_files_ship_with_the_package() -> None:
    names = {f.name for f in data_files()}
    assert names == {f"{b}.yaml" for b in MINIMUM}
    assert all("site-packages" in str(f) or "src/dlcost/data" in str(f) for f in data_files())


def test_coverage(builtin: ResultsDB) -> None:
    frame = builtin.results(sources=["builtin"])
    counts = frame.groupby("benchmark").size().to_dict()
    for benchmark, minimum in MINIMUM.items():
        assert counts.get(benchmark, 0) >= minimum, (benchmark, counts)
    assert len(frame) >= 150
    assert (frame.year >= 2021).sum() >= 30
    assert frame.reference.str.match(r"^(arXiv:\d{4}\.\d{4,5}|doi:10\.\S+)$").all()
    assert frame.paper_url.str.startswith("http").all()


def test_every_chip_is_in_the_catalogue(builtin: ResultsDB) -> None:
    from dlcost.data.accelerators import get_chip

    phases = builtin.phases(sources=["builtin"])
    for chip in sorted(set(phases.chip.dropna())):
        get_chip(chip)


def test_compute_is_derived_never_typed(builtin: ResultsDB) -> None:
    for path in data_files():
        for row in yaml.safe_load(path.read_text())["results"]:
            assert not {"flop", "compute", "hardware_burden", "network_operations"} & set(row)
    estimates = builtin.con.execute(
        "SELECT count(*) FROM estimates e JOIN results r ON r.id = e.result_id "
        "WHERE r.source = 'builtin' AND e.reported_flop IS NOT NULL").fetchone()
    assert estimates == (0,)


def test_hardware_burden_is_computed_for_rows_with_hardware(builtin: ResultsDB) -> None:
    frame = builtin.results(sources=["builtin"])
    assert frame.hardware_burden.notna().sum() >= 60
    row = frame[frame.hardware_burden.notna()].iloc[0]
    full = builtin.get(row.id)
    burden = next(e for e in full["estimates"] if e["method"] == "hardware_burden")
    assert burden["description"] and burden["inputs"]["uses"]


def test_fact_status() -> None:
    facts = {"score": "Table 2", "training.epochs": "assumed: the usual 90"}
    assert fact_status(facts, "score") == "reported"
    assert fact_status(facts, "training.epochs") == "assumed"
    assert fact_status(facts, "parameters") == "missing"


ROW = {
    "model": "TestNet", "paper": "A test", "source": "arXiv:2101.00001",
    "url": "https://arxiv.org/abs/2101.00001", "date": "2021-01-01", "score": 80.0,
    "split": "val", "parameters": 1e6,
    "phases": [{"phase": "training", "chip": "V100", "chip_count": 8, "time": "2 days"}],
    "facts": {"score": "Table 1", "parameters": "Table 1", "training.chip": "Sec. 4",
              "training.chip_count": "Sec. 4", "training.time": "Sec. 4"},
}


def _write(tmp_path: Path, row: dict) -> Path:
    path = tmp_path / "imagenet.yaml"
    path.write_text(yaml.safe_dump({"benchmark": "imagenet", "results": [row]}))
    return path


def test_a_valid_row_loads(tmp_path: Path) -> None:
    batch = parse_files([_write(tmp_path, ROW)])
    assert len(batch.results) == 1
    assert json.loads(batch.results[0]["facts"])["score"] == "Table 1"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"facts": {"score": "Table 1"}},
         "row 1, column 'facts': 'TestNet': no source location for parameters, training.chip, "
         "training.chip_count, training.time; add 'facts: {<field>: \"Table N\"}' or "
         "'assumed: why'"),
        ({"date": "Jan 2021"}, "row 1, column 'date': date 'Jan 2021' is not YYYY-MM-DD"),
        ({"score": 101.0}, "row 1, column 'score': the score gives an error of -0.01, outside "
         "(0, 1); scores are percentages (e.g. 76.1 for 76.1 %) or BLEU points"),
        ({"flop": 1e20}, "row 1: unknown field(s) flop"),
        ({"source": None}, "row 1, column 'source': result 'TestNet' lacks 'source'"),
    ],
)
def test_invalid_rows_are_rejected(tmp_path: Path, change: dict, message: str) -> None:
    path = _write(tmp_path, {**ROW, **change})
    with pytest.raises(DataFormatError) as info:
        parse_files([path])
    assert str(info.value) == f"{path}, {message}"
