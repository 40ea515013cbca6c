"""The Epoch AI models importer on the real download, and its handling of bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from dlcost.exceptions import DataFormatError
from dlcost.store import ResultsDB
from dlcost.store.importers import import_path, parser

ALL = "all_ai_models.csv"


@pytest.fixture(scope="module")
def epoch_db(shared_data: Path) -> ResultsDB:
    db = ResultsDB(":memory:", builtin=False)
    import_path(db, "epoch", shared_data / "epoch_ai_models")
    return db


def test_folder_import_reads_every_model_and_is_idempotent(shared_data: Path) -> None:
    db = ResultsDB(":memory:", builtin=False)
    assert import_path(db, "epoch", shared_data / "epoch_ai_models") == 3169
    first = db.snapshot()
    assert import_path(db, "epoch", shared_data / "epoch_ai_models") == 3169
    assert db.snapshot()[1:] == first[1:]
    assert list(db.imports().import_key) == ["epoch:all_ai_models"]


def test_folder_import_counts_what_it_left_out(shared_data: Path) -> None:
    """3,170 rows: one is a second, sparser entry of a model (same name and link)."""
    [batch] = parser("epoch")(shared_data / "epoch_ai_models")
    assert batch.skipped == {  # type: ignore[attr-defined]
        "second entries of a model with the same name and reference (kept the first)": 1,
        "notable_ai_models.csv models not found in all_ai_models.csv (not flagged)": 75,
        "large_scale_ai_models.csv models not found in all_ai_models.csv (not flagged)": 2,
    }


def test_subset_flags_come_from_the_subset_files(epoch_db: ResultsDB) -> None:
    attributes = epoch_db.results(sources=["epoch"]).attributes.map(json.loads)
    flagged = {f: int(attributes.map(lambda a, f=f: a[f]).sum())
               for f in ("notable", "large_scale", "frontier")}
    # Tulu 3 (Tülu 3) 70B has two rows in all_ai_models.csv, so a name can flag two rows.
    assert flagged == {"notable": 869, "large_scale": 472, "frontier": 132}


def test_gpt3_row_keeps_epochs_facts(epoch_db: ResultsDB) -> None:
    frame = epoch_db.results(sources=["epoch"])
    row = frame[frame.model == "GPT-3 175B (davinci)"].iloc[0]
    assert row.benchmark is None or row.benchmark != row.benchmark  # NULL: not a result
    assert row.training_compute_reported == 3.14e23
    assert row.training_compute_method == "reported"
    assert str(row.date.date()) == "2020-05-28"
    assert row.paper_url == "https://arxiv.org/abs/2005.14165"
    full = epoch_db.get(row.id)
    assert full["source_row"] == 18043  # the row's first line: abstracts span lines
    assert full["attributes"]["training_time_hours"] == 355.2
    assert full["attributes"]["frontier"] is True
    [phase] = full["phases"]
    assert (phase["chip"], phase["chip_count"], phase["time_kind"]) == (
        "NVIDIA Tesla V100 DGXS 32 GB", 10000.0, "wall")
    assert phase["seconds"] == pytest.approx(355.2 * 3600)


def test_unknown_chip_is_stored_as_a_problem(epoch_db: ResultsDB) -> None:
    rows = epoch_db.con.execute(
        "SELECT e.flop, e.problem FROM estimates e JOIN results r ON r.id = e.result_id "
        "WHERE e.method = 'hardware_burden' AND r.attributes LIKE "
        "'%\"training_hardware\": \"Huawei Ascend 910\"%' AND r.attributes LIKE "
        "'%training_time_hours%' AND r.attributes LIKE '%hardware_quantity%'"
    ).fetchall()
    assert rows
    flop, problem = rows[0]
    assert flop is None
    assert problem.startswith("unknown hardware 'Huawei Ascend 910'")


def test_gpt3_burden_uses_the_catalogue_peak(epoch_db: ResultsDB) -> None:
    """10,000 V100 DGXS (an SXM2-class V100, 15.7 TFLOP/s FP32) × 355.2 h."""
    frame = epoch_db.results(sources=["epoch"])
    gpt3 = frame[frame.model == "GPT-3 175B (davinci)"].iloc[0]
    assert gpt3.hardware_burden_dlcost == pytest.approx(10_000 * 15.7e12 * 355.2 * 3600)


def test_dlcost_burden_is_chips_times_peak_times_time(epoch_db: ResultsDB) -> None:
    frame = epoch_db.results(sources=["epoch"])
    computed = frame[frame.hardware_burden_dlcost.notna()]
    assert len(computed) == 367
    for rid in computed.id[:20]:
        full = epoch_db.get(rid)
        burden = next(e for e in full["estimates"] if e["method"] == "hardware_burden")
        [use] = burden["inputs"]["uses"]
        assert burden["flop"] == pytest.approx(
            use["count"] * use["peak_flop_per_s"] * use["seconds"])
        utilization = next(e for e in full["estimates"]
                           if e["method"] == "training_compute")["inputs"]["utilization"]
        lm = "Language" in full["attributes"].get("domain", "").split(",")
        assert utilization == (0.3 if lm else 0.4)


def test_several_chips_use_the_first_and_say_so(epoch_db: ResultsDB) -> None:
    frame = epoch_db.results(sources=["epoch"])
    full = epoch_db.get(frame[frame.model == "CNN Committee (MNIST)"].id.iloc[0])
    assert full["attributes"]["training_hardware"] == (
        "NVIDIA GeForce GTX 580,NVIDIA GeForce GTX 480")
    burden = next(e for e in full["estimates"] if e["method"] == "hardware_burden")
    assert ("Epoch lists 2 kinds of training hardware (NVIDIA GeForce GTX 580,NVIDIA GeForce "
            "GTX 480); the estimate counts all 4 chips as the first, NVIDIA GeForce GTX 580"
            in burden["assumptions"])


@pytest.mark.parametrize(("stem", "flag", "n"), [
    ("notable_ai_models", "notable", 942),
    ("large_scale_ai_models", "large_scale", 471),
    ("frontier_ai_models", "frontier", 131),
])
def test_one_subset_file_imports_its_rows_under_its_own_key(
    shared_data: Path, stem: str, flag: str, n: int
) -> None:
    db = ResultsDB(":memory:", builtin=False)
    assert import_path(db, "epoch", shared_data / "epoch_ai_models" / f"{stem}.csv") == n
    assert list(db.imports().import_key) == [f"epoch:{stem}"]
    attributes = db.results(sources=["epoch"]).attributes.map(json.loads)
    assert attributes.map(lambda a: a[flag]).all()


# --- bad input --------------------------------------------------------------------------------


def _rows(shared_data: Path, n: int = 6) -> list[list[str]]:
    with open(shared_data / "epoch_ai_models" / ALL, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        return [next(reader) for _ in range(n + 1)]


def _write(path: Path, rows: list[list[str]]) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _line_of(rows: list[list[str]], index: int) -> int:
    """The first line of ``rows[index]`` once written (quoted fields span lines)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows[:index])
    return buf.getvalue().count("\n") + 1


def _edit(rows: list[list[str]], index: int, column: str, value: str) -> list[list[str]]:
    rows = [list(r) for r in rows]
    rows[index][rows[0].index(column)] = value
    return rows


@pytest.fixture
def loaded(shared_data: Path, tmp_path: Path) -> ResultsDB:
    db = ResultsDB(":memory:", builtin=False)
    ok = tmp_path / "ok"
    ok.mkdir()
    import_path(db, "epoch", _write(ok / ALL, _rows(shared_data)))
    return db


def _assert_rejected(db: ResultsDB, path: Path, message: str) -> None:
    before = db.snapshot()
    with pytest.raises(DataFormatError) as info:
        import_path(db, "epoch", path)
    assert str(info.value) == message
    assert db.snapshot() == before


def test_rows_spanning_lines_are_numbered_by_their_first_line(
    shared_data: Path, tmp_path: Path
) -> None:
    rows = _rows(shared_data)
    assert _line_of(rows, 3) > 3  # the slice does have multi-line fields
    [batch] = parser("epoch")(_write(tmp_path / ALL, rows))
    assert [r["source_row"] for r in batch.results] == [_line_of(rows, i)
                                                         for i in range(1, len(rows))]


def test_missing_column(loaded: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    rows = _rows(shared_data)
    col = rows[0].index("Training compute (FLOP)")
    path = _write(tmp_path / ALL, [r[:col] + r[col + 1:] for r in rows])
    _assert_rejected(
        loaded, path,
        f"{path}, row 1, column 'Training compute (FLOP)': missing column 'Training compute "
        "(FLOP)': this does not look like an Epoch AI models CSV. Expected all_ai_models.csv "
        "(or notable_ai_models.csv, large_scale_ai_models.csv, frontier_ai_models.csv) from "
        "https://epoch.ai/data/ai-models, or a folder holding them.",
    )


def test_text_in_a_numeric_column(loaded: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    rows = _edit(_rows(shared_data), 4, "Parameters", "34B-ish")
    path = _write(tmp_path / ALL, rows)
    _assert_rejected(loaded, path, f"{path}, row {_line_of(rows, 4)}, column 'Parameters': "
                                   "expected a number, found '34B-ish'")


@pytest.mark.parametrize("hours", ["-12", "0"])
def test_zero_or_negative_time(
    loaded: ResultsDB, shared_data: Path, tmp_path: Path, hours: str
) -> None:
    rows = _edit(_rows(shared_data), 2, "Training time (hours)", hours)
    path = _write(tmp_path / ALL, rows)
    _assert_rejected(loaded, path, f"{path}, row {_line_of(rows, 2)}, column 'Training time "
                                   f"(hours)': must be positive, found '{hours}'")


def test_bad_date(loaded: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    rows = _edit(_rows(shared_data), 3, "Publication date", "2025-13-01")
    path = _write(tmp_path / ALL, rows)
    _assert_rejected(loaded, path, f"{path}, row {_line_of(rows, 3)}, column 'Publication "
                                   "date': expected a date YYYY-MM-DD, found '2025-13-01'")


def test_duplicate_row(loaded: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    rows = _rows(shared_data)
    rows = [*rows, rows[2]]
    path = _write(tmp_path / ALL, rows)
    model, title = rows[2][0], rows[2][rows[0].index("Reference")]
    _assert_rejected(
        loaded, path,
        f"{path}, row {_line_of(rows, len(rows) - 1)}: duplicate row: {model!r} ({title}) "
        f"already appears at row {_line_of(rows, 2)}; remove one of the two",
    )


def test_truncated_file(loaded: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    rows = _rows(shared_data)
    path = _write(tmp_path / ALL, rows)
    text = path.read_text(encoding="utf-8")
    cut = text[: _offset_of_line(text, _line_of(rows, len(rows) - 1)) + 40]
    path.write_text(cut, encoding="utf-8")
    # The cut falls inside a quoted cell (Epoch quotes its long text cells).
    assert cut.count('"') % 2 == 1
    _assert_rejected(
        loaded, path,
        f"{path}, row {_line_of(rows, len(rows) - 1)}: a quoted cell is not closed before the "
        "end of the file (truncated file?)",
    )


def _offset_of_line(text: str, line: int) -> int:
    offset = 0
    for _ in range(line - 1):
        offset = text.index("\n", offset) + 1
    return offset


def test_empty_file(loaded: ResultsDB, tmp_path: Path) -> None:
    path = tmp_path / ALL
    path.write_text("")
    _assert_rejected(loaded, path, f"{path}: the file is empty; expected an Epoch AI models CSV")


def test_header_only(loaded: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    path = _write(tmp_path / ALL, _rows(shared_data)[:1])
    _assert_rejected(loaded, path,
                     f"{path}: no data rows after the header; expected an Epoch AI models CSV")


def test_wrong_format(loaded: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    path = tmp_path / ALL
    path.write_bytes((shared_data / "epoch_ml_hardware" / "ml_hardware.csv").read_bytes())
    _assert_rejected(
        loaded, path,
        f"{path}, row 1, column 'Model': missing columns 'Model', 'Domain', 'Task', "
        "'Organization', 'Publication date', 'Reference', 'Link', 'Parameters', 'Training "
        "compute (FLOP)', 'Training time (hours)', 'Training hardware', 'Hardware quantity', "
        "'Confidence': this does not look like an Epoch AI models CSV. Expected "
        "all_ai_models.csv (or notable_ai_models.csv, large_scale_ai_models.csv, "
        "frontier_ai_models.csv) from https://epoch.ai/data/ai-models, or a folder holding "
        "them.",
    )


def test_folder_without_the_main_file(loaded: ResultsDB, tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    _assert_rejected(loaded, folder,
                     f"{folder}: the folder lacks all_ai_models.csv; give the folder of Epoch's "
                     "AI models download or one of its CSVs")
