"""The FutureTech 2022 importer on the real data, and its handling of bad input."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from dlcost.exceptions import DataFormatError
from dlcost.store import ResultsDB
from dlcost.store.check import recompute_agreement
from dlcost.store.importers import import_path

IMAGENET = "image-classification-on-imagenet.csv"

#: ImageNet rows whose stored network operations dlcost cannot reproduce within ±0.5 %, and why.
NETWORK_OPERATIONS_DISAGREE = {
    # The authors' comment gives different FLOPs per phase (31.5 GFLOP pre-training at 224 px,
    # 96.8 GFLOP fine-tuning at 384 px) than the single ops-per-pass column (96.8 GFLOP).
    "CSWin-L (384 res,ImageNet-22k pretrain)",
}


def test_all_516_models_import_and_reimport_is_idempotent(shared_data: Path) -> None:
    db = ResultsDB(":memory:", builtin=False)
    assert import_path(db, "futuretech", shared_data / "futuretech_2022") == 516
    first = db.snapshot()
    counts = db.results(sources=["futuretech"]).groupby("benchmark").size().to_dict()
    assert counts == {"imagenet": 208, "coco": 116, "squad1.1": 41, "conll2003": 54,
                      "wmt14-en-fr": 42, "wmt14-en-de": 55}
    assert import_path(db, "futuretech", shared_data / "futuretech_2022") == 516
    assert db.count() == 516
    assert db.snapshot()[1:] == first[1:]  # results, phases, estimates identical


def test_network_operations_agree_on_imagenet(futuretech_db: ResultsDB) -> None:
    agreement = recompute_agreement(futuretech_db, "futuretech", "imagenet",
                                    "network_operations")
    assert agreement.n_reported == 77
    assert agreement.n_computable == 76  # ViT-MoE-15B gives no FLOPs per pass
    assert agreement.n_agree >= 75
    assert {d.model for d in agreement.disagreements} == NETWORK_OPERATIONS_DISAGREE


def test_hardware_burden_agrees_on_all_36_imagenet_rows(futuretech_db: ResultsDB) -> None:
    agreement = recompute_agreement(futuretech_db, "futuretech", "imagenet", "hardware_burden")
    assert agreement.n_reported == 36
    assert agreement.n_agree == 36
    assert agreement.disagreements == []


def test_alexnet_row_carries_its_provenance(futuretech_db: ResultsDB) -> None:
    frame = futuretech_db.results(benchmark="imagenet", sources=["futuretech"])
    alexnet = frame[frame.model == "AlexNet"].iloc[0]
    assert alexnet.hardware_burden_reported == pytest.approx(1.6e18, rel=0.05)
    assert "GTX 580" in alexnet.hardware_burden_description
    full = futuretech_db.get(alexnet.id)
    assert {e["method"] for e in full["estimates"]} >= {"network_operations", "hardware_burden"}


# --- bad input --------------------------------------------------------------------------------


def _rows(shared_data: Path, n: int = 8) -> list[list[str]]:
    with open(shared_data / "futuretech_2022" / IMAGENET, newline="") as fh:
        return list(csv.reader(fh))[: 4 + n]


def _write(path: Path, rows: list[list[str]]) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue())
    return path


def _edit(rows: list[list[str]], line: int, column: str, value: str) -> list[list[str]]:
    rows = [list(r) for r in rows]
    rows[line - 1][rows[0].index(column)] = value
    return rows


@pytest.fixture
def loaded(shared_data: Path) -> ResultsDB:
    db = ResultsDB(":memory:", builtin=False)
    import_path(db, "futuretech", shared_data / "futuretech_2022")
    return db


def _assert_rejected(db: ResultsDB, path: Path, message: str) -> None:
    before = db.snapshot()
    with pytest.raises(DataFormatError) as info:
        import_path(db, "futuretech", path)
    assert str(info.value) == message
    assert db.snapshot() == before


def test_missing_column(loaded: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    rows = _rows(shared_data)
    col = rows[0].index("(TOP 1 score)")
    rows = [r[:col] + r[col + 1:] for r in rows]
    path = _write(tmp_path / IMAGENET, rows)
    _assert_rejected(
        loaded, path,
        f"{path}, row 1, column '(TOP 1 score)': missing column '(TOP 1 score)': this does not "
        "look like a FutureTech 2022 CSV. Expected one of the six CSVs of "
        "MIT-FutureTech/TheComputationalLimitsOfDeepLearning (data/), or `dlcost data import "
        "FORMAT PATH` with another format.",
    )


def test_text_in_a_numeric_column(loaded: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    path = _write(tmp_path / IMAGENET, _edit(_rows(shared_data), 6, "parameters", "big"))
    _assert_rejected(loaded, path,
                     f"{path}, row 6, column 'parameters': expected a number, found 'big'")


def test_zero_or_negative_time(loaded: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    path = _write(tmp_path / IMAGENET,
                  _edit(_rows(shared_data), 7, "training_time_total_sec", "-3600"))
    _assert_rejected(
        loaded, path,
        f"{path}, row 7, column 'training_time_total_sec': training time must be positive, "
        "found -3600",
    )


def test_error_outside_unit_interval(
    loaded: ResultsDB, shared_data: Path, tmp_path: Path
) -> None:
    path = _write(tmp_path / IMAGENET, _edit(_rows(shared_data), 5, "(TOP 1 score)", "120"))
    _assert_rejected(
        loaded, path,
        f"{path}, row 5, column '(TOP 1 score)': the score gives an error of -0.2, outside "
        "(0, 1); scores are percentages (e.g. 76.1 for 76.1 %) or BLEU points",
    )


def test_duplicate_row(loaded: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    rows = _rows(shared_data)
    path = _write(tmp_path / IMAGENET, [*rows, rows[5]])
    _assert_rejected(
        loaded, path,
        f"{path}, row {len(rows) + 1}: duplicate row: 'Model soups (ViT-G/14)' (Model soups: "
        "averaging weights of multiple fine-tuned models improves accuracy without increasing "
        "inference time) already appears at row 6; remove one of the two",
    )


def test_truncated_file(loaded: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    rows = _rows(shared_data)
    path = _write(tmp_path / IMAGENET, rows)
    text = path.read_text()
    path.write_text(text[: text.rindex(",", 0, len(text) - 40)])
    n_fields = len(next(csv.reader([path.read_text().splitlines()[-1]])))
    _assert_rejected(
        loaded, path,
        f"{path}, row {len(rows)}: has {n_fields} fields, the header has {len(rows[0])} "
        "(truncated file or a stray comma?)",
    )


def test_empty_file(loaded: ResultsDB, tmp_path: Path) -> None:
    path = tmp_path / IMAGENET
    path.write_text("")
    _assert_rejected(loaded, path, f"{path}: the file is empty; expected a FutureTech 2022 CSV")


def test_wrong_format(loaded: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    other = shared_data / "computerprogress_thompson" / (
        "computerprogress_hardware_burden_points_2021.csv")
    path = tmp_path / IMAGENET
    path.write_bytes(other.read_bytes())
    _assert_rejected(
        loaded, path,
        f"{path}, row 1, column 'name': missing columns 'name', 'title', 'paper_link', 'flops', "
        "'multiadds', 'network_operations', 'hardware_burden', '(TOP 1 score)', "
        "'pretraining_epochs', 'pretraining_set_size', 'pretraining_time_total', "
        "'training_epochs', 'training_set_size', 'training_time_total', 'finetuning_epochs', "
        "'finetuning_set_size', 'finetuning_time_total': this does not look like a FutureTech "
        "2022 CSV. Expected one of the six CSVs of "
        "MIT-FutureTech/TheComputationalLimitsOfDeepLearning (data/), or `dlcost data import "
        "FORMAT PATH` with another format.",
    )


def test_unknown_file_name(loaded: ResultsDB, tmp_path: Path) -> None:
    path = tmp_path / "models.csv"
    path.write_text("a,b\n1,2\n")
    before = loaded.snapshot()
    with pytest.raises(DataFormatError, match=r"unknown FutureTech file name 'models\.csv'"):
        import_path(loaded, "futuretech", path)
    assert loaded.snapshot() == before
