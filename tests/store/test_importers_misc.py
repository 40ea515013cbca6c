"""The SQuAD leaderboard, computerprogress.com and Epoch ML hardware importers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from dlcost.exceptions import DataFormatError
from dlcost.store import ResultsDB
from dlcost.store.importers import import_path, parser
from dlcost.store.importers.computerprogress import BENCHMARK_KEYS

SQUAD = "pwc_sota_extractor/squad_leaderboard_2021-05-20.json"
POINTS = "computerprogress_thompson/computerprogress_hardware_burden_points_2021.csv"
HARDWARE = "epoch_ml_hardware/ml_hardware.csv"


def _assert_rejected(db: ResultsDB, fmt: str, path: Path, message: str) -> None:
    before = db.snapshot()
    with pytest.raises(DataFormatError) as info:
        import_path(db, fmt, path)
    assert str(info.value) == message
    assert db.snapshot() == before


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _edit(rows: list[list[str]], line: int, column: str, value: str) -> list[list[str]]:
    """Set ``column`` of the row on 1-based file ``line`` (single-line rows only)."""
    rows = [list(r) for r in rows]
    rows[line - 1][rows[0].index(column)] = value
    return rows


# --- SQuAD leaderboard ------------------------------------------------------------------------


def test_squad_leaderboard_imports_dated_squad11_results(shared_data: Path) -> None:
    db = ResultsDB(":memory:", builtin=False)
    assert import_path(db, "squad", shared_data / SQUAD) == 162
    frame = db.results(sources=["squad"])
    assert set(frame.benchmark) == {"squad1.1"}
    assert int(frame.date.isna().sum()) == 0
    bidaf = frame[frame.model == "BiDAF (single model)"].iloc[0]
    assert (bidaf.score, json.loads(bidaf.metrics)) == (67.974, {"f1": 77.323})
    assert str(bidaf.date.date()) == "2016-11-28"
    # the scrape put the arXiv link in paper_title; it belongs in paper_url
    assert db.get(bidaf.id)["paper_title"] is None
    assert bidaf.paper_url == "https://arxiv.org/abs/1611.01603"


def test_squad_leaderboard_counts_what_it_skips(shared_data: Path) -> None:
    [batch] = parser("squad")(shared_data / SQUAD)
    assert batch.skipped == {  # type: ignore[attr-defined]
        "entries without a model name": 33,
        "repeated entries of a model (kept the first)": 17,
        "entries whose EM of 0 or ≥ 100 gives no usable error": 5,
    }


def test_squad_file_without_squad11(shared_data: Path, tmp_path: Path) -> None:
    doc = json.loads((shared_data / SQUAD).read_text())
    doc[0]["datasets"] = [d for d in doc[0]["datasets"] if d["dataset"] != "SQuAD1.1"]
    path = tmp_path / "squad.json"
    path.write_text(json.dumps(doc))
    db = ResultsDB(":memory:", builtin=False)
    _assert_rejected(db, "squad", path,
                     f"{path}: holds no 'Question Answering / SQuAD1.1' leaderboard; expected "
                     "sota-extractor's data/tasks/squad.json")


def test_squad_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "squad.json"
    path.write_text("  \n")
    _assert_rejected(ResultsDB(":memory:", builtin=False), "squad", path,
                     f"{path}: the file is empty; expected a SQuAD leaderboard "
                     "(sota-extractor) JSON")


# --- computerprogress.com points --------------------------------------------------------------


def _points(shared_data: Path) -> list[list[str]]:
    with open(shared_data / POINTS, newline="") as fh:
        return list(csv.reader(fh))


def test_points_import_with_reported_hardware_burden(shared_data: Path) -> None:
    db = ResultsDB(":memory:", builtin=False)
    assert import_path(db, "computerprogress", shared_data / POINTS) == 101
    frame = db.results(sources=["computerprogress"])
    assert frame.groupby("benchmark").size().to_dict() == {
        "imagenet": 13, "coco": 33, "squad1.1": 16, "conll2003": 13, "wmt14-en-fr": 13,
        "wmt14-en-de": 13}
    assert set(frame[frame.benchmark == "squad1.1"].metric) == {"f1"}
    # Transformer Big is two points (the 2017 and the 2018 paper): both are kept
    big = frame[(frame.benchmark == "wmt14-en-fr") & (frame.model == "Transformer Big")]
    big = big.sort_values("year")
    assert list(big.year) == [2017, 2018]
    assert list(big.score) == [41.8, 43.2]
    assert list(big.error) == pytest.approx([0.582, 0.568])
    assert list(big.hardware_burden) == pytest.approx([2.304288e19, 5.5386e19])
    assert set(big.hardware_burden_method) == {"reported"}
    assert big.paper_title.isna().all()


def _js(rows: list[dict[str, str]]) -> str:
    """The origin's module layout: ``export default [{index, year, model, ...}, ...];``."""
    out = ["// generated in the layout of computerprogress.com's data files", "export default ["]
    for r in rows:
        model = json.dumps(r["model"])
        model_line = (f"    model:\n      {model}," if len(model) > 40 else f"    model: {model},")
        out += ["  {", f"    index: {r['source_row_index']},", f"    year: {r['year']},",
                model_line, f"    hardware_burden: {r['hardware_burden_gflop']},",
                f"    accuracy: {r['accuracy']},", "  },"]
    return "\n".join([*out, "];", ""])


def _js_folder(shared_data: Path, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    with open(shared_data / POINTS, newline="") as fh:
        rows = list(csv.DictReader(fh))
    for key in BENCHMARK_KEYS:
        text = _js([r for r in rows if r["benchmark_key"] == key])
        (folder / f"{key}_data.js").write_text(text)
    return folder


def test_origin_js_files_give_the_same_points_as_the_csv(
    shared_data: Path, tmp_path: Path
) -> None:
    from_csv = ResultsDB(":memory:", builtin=False)
    from_js = ResultsDB(":memory:", builtin=False)
    import_path(from_csv, "computerprogress", shared_data / POINTS)
    assert import_path(from_js, "computerprogress", _js_folder(shared_data, tmp_path / "js")) == 101
    cols = ["id", "benchmark", "model", "metric", "score", "error", "year", "hardware_burden"]
    a = from_csv.results(sources=["computerprogress"])[cols]
    b = from_js.results(sources=["computerprogress"])[cols]
    assert a.reset_index(drop=True).equals(b.reset_index(drop=True))


def test_one_js_file_reports_errors_by_line(shared_data: Path, tmp_path: Path) -> None:
    folder = _js_folder(shared_data, tmp_path / "js")
    path = folder / "conll2003_data.js"
    text = path.read_text()
    path.write_text(text.replace("accuracy: 0.928,", "accuracy: high,"))
    line = text[: text.index("accuracy: 0.928,")].count("\n") + 1
    db = ResultsDB(":memory:", builtin=False)
    _assert_rejected(db, "computerprogress", path,
                     f"{path}, row {line}: expected a value in the JS data, found 'high'")
    path.write_text(text[: text.index("accuracy: 0.928,")])
    _assert_rejected(db, "computerprogress", path,
                     f"{path}, row {line}: the JS data ends early: expected '}}' (truncated "
                     "file?)")


@pytest.fixture
def points_db(shared_data: Path, tmp_path: Path) -> ResultsDB:
    db = ResultsDB(":memory:", builtin=False)
    import_path(db, "computerprogress", _write_csv(tmp_path / "ok.csv", _points(shared_data)[:9]))
    return db


def test_points_missing_column(points_db: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    rows = _points(shared_data)[:9]
    col = rows[0].index("accuracy")
    path = _write_csv(tmp_path / "p.csv", [r[:col] + r[col + 1:] for r in rows])
    _assert_rejected(
        points_db, "computerprogress", path,
        f"{path}, row 1, column 'accuracy': missing column 'accuracy': this does not look like "
        "a computerprogress hardware-burden points CSV. Expected "
        "computerprogress_hardware_burden_points_2021.csv, or the data/*_data.js files of "
        "github.com/Computer-Progress/computerprogress.com.",
    )


def test_points_text_in_a_numeric_column(
    points_db: ResultsDB, shared_data: Path, tmp_path: Path
) -> None:
    path = _write_csv(tmp_path / "p.csv",
                      _edit(_points(shared_data)[:9], 4, "hardware_burden_gflop", "lots"))
    _assert_rejected(points_db, "computerprogress", path,
                     f"{path}, row 4, column 'hardware_burden_gflop': expected a number, "
                     "found 'lots'")


@pytest.mark.parametrize("burden", ["0", "-1645056000000.0"])
def test_points_zero_or_negative_burden(
    points_db: ResultsDB, shared_data: Path, tmp_path: Path, burden: str
) -> None:
    path = _write_csv(tmp_path / "p.csv",
                      _edit(_points(shared_data)[:9], 5, "hardware_burden_gflop", burden))
    _assert_rejected(points_db, "computerprogress", path,
                     f"{path}, row 5, column 'hardware_burden_gflop': must be positive, "
                     f"found {burden!r}")


@pytest.mark.parametrize("accuracy", ["1.2", "0", "82.7"])
def test_points_error_outside_unit_interval(
    points_db: ResultsDB, shared_data: Path, tmp_path: Path, accuracy: str
) -> None:
    path = _write_csv(tmp_path / "p.csv",
                      _edit(_points(shared_data)[:9], 6, "accuracy", accuracy))
    _assert_rejected(points_db, "computerprogress", path,
                     f"{path}, row 6, column 'accuracy': the accuracy must be a fraction in "
                     f"(0, 1) (e.g. 0.827 for 82.7 %, BLEU/100 for WMT), found {accuracy!r}")


def test_points_unknown_benchmark(points_db: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "p.csv",
                      _edit(_points(shared_data)[:9], 3, "benchmark_key", "cifar10"))
    _assert_rejected(points_db, "computerprogress", path,
                     f"{path}, row 3, column 'benchmark_key': unknown benchmark key 'cifar10'; "
                     "expected one of imagenet, mscoco, squad1_1, conll2003, wmt2014_en-fr, "
                     "wmt2014_en-ge")


def test_points_duplicate_row(points_db: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    rows = _points(shared_data)[:9]
    path = _write_csv(tmp_path / "p.csv", [*rows, rows[2]])
    model, index = rows[2][rows[0].index("model")], rows[2][rows[0].index("source_row_index")]
    _assert_rejected(points_db, "computerprogress", path,
                     f"{path}, row 10: duplicate row: {model!r} (computerprogress.com "
                     f"spreadsheet row {index}) already appears at row 3; remove one of the two")


def test_points_truncated_file(points_db: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "p.csv", _points(shared_data)[:9])
    text = path.read_text()
    path.write_text(text[: text.rindex(",", 0, len(text) - 30)])
    _assert_rejected(points_db, "computerprogress", path,
                     f"{path}, row 9: has 7 fields, the header has 10 (truncated file or a "
                     "stray comma?)")


def test_points_empty_file(points_db: ResultsDB, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("")
    _assert_rejected(points_db, "computerprogress", path,
                     f"{path}: the file is empty; expected a computerprogress hardware-burden "
                     "points CSV")


def test_points_wrong_format(points_db: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes((shared_data / "futuretech_2022" / "object-detection-on-coco.csv")
                     .read_bytes())
    _assert_rejected(
        points_db, "computerprogress", path,
        f"{path}, row 1, column 'benchmark_key': missing columns 'benchmark_key', "
        "'accuracy_metric', 'source_row_index', 'model', 'hardware_burden_gflop', 'accuracy': "
        "this does not look like a computerprogress hardware-burden points CSV. Expected "
        "computerprogress_hardware_burden_points_2021.csv, or the data/*_data.js files of "
        "github.com/Computer-Progress/computerprogress.com.",
    )


# --- Epoch ML hardware ------------------------------------------------------------------------


def _hardware(shared_data: Path) -> list[list[str]]:
    with open(shared_data / HARDWARE, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_ml_hardware_rows_match_the_file(shared_data: Path) -> None:
    db = ResultsDB(":memory:", builtin=False)
    assert import_path(db, "epoch-hardware", shared_data / HARDWARE) == 175
    table = db.hardware()
    assert len(table) == 175
    with open(shared_data / HARDWARE, encoding="utf-8-sig", newline="") as fh:
        source: dict[str, Any] = next(r for r in csv.DictReader(fh)
                                      if r["Hardware name"] == "NVIDIA H100 SXM5 80GB")
    h100 = table[table.name == "NVIDIA H100 SXM5 80GB"].iloc[0]
    assert h100.peak_fp16_tensor_flop_per_s == float(source["Tensor-FP16/BF16 performance "
                                                            "(FLOP/s)"])
    assert h100.peak_fp32_flop_per_s == float(
        source["FP32 (single precision) performance (FLOP/s)"])
    assert h100.tdp_w == float(source["TDP (W)"])
    assert h100.release_price_usd == float(source["Release price (USD)"])
    assert str(h100.release_date.date()) == source["Release date"]
    assert (h100.manufacturer, h100.kind) == ("NVIDIA", "gpu")
    attributes = json.loads(h100.attributes)
    assert attributes["memory_bytes"] == float(source["Memory (bytes)"])
    assert attributes["notes"] == source["Notes"]


@pytest.fixture
def hardware_db(shared_data: Path, tmp_path: Path) -> ResultsDB:
    db = ResultsDB(":memory:", builtin=False)
    ok = tmp_path / "ok"
    ok.mkdir()
    import_path(db, "epoch-hardware", _write_csv(ok / "ml_hardware.csv", _hardware(shared_data)))
    return db


def _line_of(rows: list[list[str]], index: int) -> int:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows[:index])
    return buf.getvalue().count("\n") + 1


def _hw_edit(rows: list[list[str]], index: int, column: str, value: str) -> list[list[str]]:
    rows = [list(r) for r in rows]
    rows[index][rows[0].index(column)] = value
    return rows


def test_hardware_text_in_a_numeric_column(
    hardware_db: ResultsDB, shared_data: Path, tmp_path: Path
) -> None:
    rows = _hw_edit(_hardware(shared_data), 5, "TDP (W)", "hot")
    path = _write_csv(tmp_path / "ml_hardware.csv", rows)
    _assert_rejected(hardware_db, "epoch-hardware", path,
                     f"{path}, row {_line_of(rows, 5)}, column 'TDP (W)': expected a number, "
                     "found 'hot'")


def test_hardware_negative_value(
    hardware_db: ResultsDB, shared_data: Path, tmp_path: Path
) -> None:
    rows = _hw_edit(_hardware(shared_data), 7, "FP32 (single precision) performance (FLOP/s)",
                    "-1e12")
    path = _write_csv(tmp_path / "ml_hardware.csv", rows)
    _assert_rejected(hardware_db, "epoch-hardware", path,
                     f"{path}, row {_line_of(rows, 7)}, column 'FP32 (single precision) "
                     "performance (FLOP/s)': must be positive, found '-1e12'")


def test_hardware_missing_column(
    hardware_db: ResultsDB, shared_data: Path, tmp_path: Path
) -> None:
    rows = _hardware(shared_data)
    col = rows[0].index("TDP (W)")
    path = _write_csv(tmp_path / "ml_hardware.csv", [r[:col] + r[col + 1:] for r in rows])
    _assert_rejected(hardware_db, "epoch-hardware", path,
                     f"{path}, row 1, column 'TDP (W)': missing column 'TDP (W)': this does not "
                     "look like an Epoch AI ML hardware CSV. Expected ml_hardware.csv from "
                     "https://epoch.ai/data/machine-learning-hardware.")


def test_hardware_duplicate_row(hardware_db: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    rows = _hardware(shared_data)[:12]
    rows = [*rows, rows[4]]
    path = _write_csv(tmp_path / "ml_hardware.csv", rows)
    _assert_rejected(hardware_db, "epoch-hardware", path,
                     f"{path}, row {_line_of(rows, 12)}: duplicate row: hardware {rows[4][0]!r} "
                     f"already appears at row {_line_of(rows, 4)}; remove one of the two")


def test_hardware_truncated_file(hardware_db: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    rows = _hardware(shared_data)[:12]
    path = _write_csv(tmp_path / "ml_hardware.csv", rows)
    text = path.read_text()
    cut = text[: text.rindex("\n", 0, len(text) - 1) + 60]
    path.write_text(cut)
    n_fields = len(list(csv.reader(io.StringIO(cut)))[-1])
    _assert_rejected(hardware_db, "epoch-hardware", path,
                     f"{path}, row {_line_of(rows, 11)}: has {n_fields} fields, the header has "
                     f"{len(rows[0])} (truncated file or a stray comma?)")


def test_hardware_empty_file(hardware_db: ResultsDB, tmp_path: Path) -> None:
    path = tmp_path / "ml_hardware.csv"
    path.write_text("")
    _assert_rejected(hardware_db, "epoch-hardware", path,
                     f"{path}: the file is empty; expected an Epoch AI ML hardware CSV")


def test_hardware_wrong_format(hardware_db: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    path = tmp_path / "ml_hardware.csv"
    path.write_bytes((shared_data / POINTS).read_bytes())
    with pytest.raises(DataFormatError, match=r"row 1, column 'Hardware name': missing columns "
                                              r"'Hardware name', 'Manufacturer', 'Type'"):
        import_path(hardware_db, "epoch-hardware", path)
