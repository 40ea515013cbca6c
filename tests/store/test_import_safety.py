"""Bad input never costs data: each malformed input gets one specific line; the store is unchanged.

The cases are the crash signatures a fuzz run found (issue 10) and the structural checks that
make a truncated file fail instead of importing part of itself.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dlcost.cli.main import app
from dlcost.exceptions import DataFormatError, DlcostError, ImportRefusedError
from dlcost.store import ResultsDB
from dlcost.store.importers import import_file

SQUAD = "pwc_sota_extractor/squad_leaderboard_2021-05-20.json"
POINTS = "computerprogress_thompson/computerprogress_hardware_burden_points_2021.csv"
HARDWARE = "epoch_ml_hardware/ml_hardware.csv"
BOARD = "leaderboard 'Question Answering / SQuAD1.1'"


@pytest.fixture
def db(shared_data: Path) -> ResultsDB:
    """A store holding the SQuAD leaderboard and the computerprogress points."""
    store = ResultsDB(":memory:", builtin=False)
    import_file(store, "squad", shared_data / SQUAD)
    import_file(store, "computerprogress", shared_data / POINTS)
    return store


def _refused(db: ResultsDB, fmt: str, path: Path | str, message: str,
             error: type[DlcostError] = DataFormatError) -> None:
    before = db.snapshot()
    with pytest.raises(error) as info:
        import_file(db, fmt, path)
    assert str(info.value) == message
    assert "\n" not in str(info.value)
    assert db.snapshot() == before


def _squad(shared_data: Path) -> list[dict[str, Any]]:
    doc: list[dict[str, Any]] = json.loads((shared_data / SQUAD).read_text(encoding="utf-8"))
    return doc


def _board(tasks: list[dict[str, Any]]) -> dict[str, Any]:
    for task in tasks:
        for ds in task.get("datasets", []):
            if task["task"] == "Question Answering" and ds.get("dataset") == "SQuAD1.1":
                return ds
        found = _board(task.get("subtasks", []))
        if found:
            return found
    return {}


def _write_json(path: Path, doc: object) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


# --- the eight crash signatures ---------------------------------------------------------------


def test_deeply_nested_json(db: ResultsDB, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    _refused(db, "squad", path, f"{path}: the JSON is nested too deeply to be a SQuAD "
                                "leaderboard (sota-extractor) file")


def test_deeply_nested_js(db: ResultsDB, tmp_path: Path) -> None:
    path = tmp_path / "imagenet_data.js"
    path.write_text("export default [{a: " + "[" * 5000 + "]" * 5000 + "}];\n", encoding="utf-8")
    _refused(db, "computerprogress", path,
             f"{path}, row 1: the JS data is nested more than 64 levels deep; the "
             "computerprogress hardware-burden points files nest three")


def test_integer_beyond_the_digit_limit(db: ResultsDB, tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text('[{"task": "x", "datasets": [], "n": ' + "9" * 5000 + "}]",
                    encoding="utf-8")
    _refused(db, "squad", path,
             f"{path}: the JSON holds an integer of more than {sys.get_int_max_str_digits()} "
             "digits; expected a SQuAD leaderboard (sota-extractor) JSON")
    js = tmp_path / "imagenet_data.js"
    js.write_text("export default [{index: " + "9" * 5000 + "}];\n", encoding="utf-8")
    _refused(db, "computerprogress", js, f"{js}, row 1: a number of 5000 characters in the JS "
                                         "data; values are at most 100")


def test_metric_beyond_any_float(db: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    doc = _squad(shared_data)
    entry = _board(doc)["sota"]["rows"][0]
    entry["metrics"]["EM"] = int("9" * 400)
    path = _write_json(tmp_path / "squad.json", doc)
    _refused(db, "squad", path,
             f"{path}, column 'EM': {BOARD}, entry 1 ('LUKE (single model)'): expected a "
             "non-negative finite number, found " + "9" * 59 + "…")


def test_list_as_task_name_or_model_name(db: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    doc = _squad(shared_data)
    board_task = next(t for t in doc if _board([t]))
    board_task["task"] = ["Question Answering"]
    path = _write_json(tmp_path / "squad.json", doc)
    _refused(db, "squad", path, f"{path}: holds no 'Question Answering / SQuAD1.1' "
                                "leaderboard; expected sota-extractor's data/tasks/squad.json")
    doc = _squad(shared_data)
    _board(doc)["sota"]["rows"][2]["model_name"] = ["BERT"]
    path = _write_json(tmp_path / "squad2.json", doc)
    _refused(db, "squad", path, f"{path}, column 'model_name': {BOARD}, entry 3: 'model_name' "
                                "should be text, found list")


def test_folder_where_a_file_is_expected(db: ResultsDB, tmp_path: Path) -> None:
    _refused(db, "squad", tmp_path,
             f"{tmp_path}: is a folder; expected a file (format 'squad' reads one file)")


def test_name_too_long(db: ResultsDB, tmp_path: Path) -> None:
    name = "x" * 5000
    _refused(db, "pwc", name, f"{'x' * 60}…{'x' * 40}: the path is too long for this system "
                              "(5000 characters)")


def test_device_and_fifo_are_refused_up_front(db: ResultsDB, tmp_path: Path) -> None:
    _refused(db, "squad", Path("/dev/zero"), "/dev/zero: is a device, not a regular file; "
                                             "imports read regular files only (copy the data "
                                             "to a file first)")
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for fmt in ("epoch-hardware", "computerprogress", "epoch"):
        _refused(db, fmt, fifo, f"{fifo}: is a named pipe (FIFO), not a regular file; imports "
                                "read regular files only (copy the data to a file first)")
    folder = tmp_path / "epoch"
    folder.mkdir()
    os.mkfifo(folder / "all_ai_models.csv")
    _refused(db, "epoch", folder, f"{folder / 'all_ai_models.csv'}: is a named pipe (FIFO), "
                                  "not a regular file; imports read regular files only (copy "
                                  "the data to a file first)")


def test_same_content_under_another_name_is_idempotent(shared_data: Path,
                                                       tmp_path: Path) -> None:
    store = ResultsDB(":memory:", builtin=False)
    first = tmp_path / "ml_hardware.csv"
    second = tmp_path / "hardware copy.csv"
    shutil.copy(shared_data / HARDWARE, first)
    shutil.copy(shared_data / HARDWARE, second)
    import_file(store, "epoch-hardware", first)
    hardware = store.hardware().drop(columns="import_key")
    summary = import_file(store, "epoch-hardware", second)
    assert summary.rows == len(hardware)
    assert store.hardware().drop(columns="import_key").equals(hardware)
    assert store.imports()["import_key"].tolist() == ["epoch-hardware:hardware copy"]
    epoch = shared_data / "epoch_ai_models" / "frontier_ai_models.csv"
    copy = tmp_path / "frontier copy.csv"
    shutil.copy(epoch, copy)
    n = import_file(store, "epoch", epoch).rows
    assert import_file(store, "epoch", copy).rows == n
    assert store.count("epoch") == n


def test_different_hardware_files_with_the_same_chip(shared_data: Path, tmp_path: Path) -> None:
    store = ResultsDB(":memory:", builtin=False)
    with (shared_data / HARDWARE).open(encoding="utf-8", newline="") as f:
        records = list(csv.reader(f))
    for name, n in (("a.csv", 20), ("b.csv", 10)):
        with (tmp_path / name).open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(records[:n])
    import_file(store, "epoch-hardware", tmp_path / "a.csv")
    before = store.snapshot()
    with pytest.raises(DataFormatError) as info:
        import_file(store, "epoch-hardware", tmp_path / "b.csv")
    assert str(info.value).startswith(f"{tmp_path / 'b.csv'}: hardware ")
    assert str(info.value).endswith(
        "is already in the store from the import 'epoch-hardware:a'; one chip cannot come from "
        "two imports of the same source. Re-import the file that holds both, or use another "
        "--db")
    assert store.snapshot() == before


# --- structure: truncated and malformed files ------------------------------------------------


def test_rows_not_a_list_is_an_error_not_an_empty_board(db: ResultsDB, shared_data: Path,
                                                        tmp_path: Path) -> None:
    doc = _squad(shared_data)
    _board(doc)["sota"]["rows"] = {"0": "LUKE"}
    path = _write_json(tmp_path / "squad.json", doc)
    _refused(db, "squad", path, f"{path}: {BOARD}: 'sota.rows' should be a list of entries, "
                                "found dict (malformed or truncated file?)")


def test_no_usable_rows(db: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    doc = _squad(shared_data)
    _board(doc)["sota"]["rows"] = []
    path = _write_json(tmp_path / "squad.json", doc)
    _refused(db, "squad", path, f"{path}: found no usable rows; is it a squad file? Nothing "
                                "was changed")


def _points_lines(shared_data: Path) -> list[str]:
    return (shared_data / POINTS).read_text(encoding="utf-8").splitlines(keepends=True)


def test_csv_ragged_last_row(db: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    lines = _points_lines(shared_data)
    path = tmp_path / "points.csv"
    path.write_text("".join(lines[:60]) + lines[60][:20] + "\n", encoding="utf-8")
    _refused(db, "computerprogress", path, f"{path}, row 61: has 2 fields, the header has 10 "
                                           "(truncated file or a stray comma?)")


def test_csv_cut_mid_cell(db: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    lines = _points_lines(shared_data)
    path = tmp_path / "points.csv"
    path.write_text("".join(lines[:60]) + lines[60].rstrip("\n")[:-3], encoding="utf-8")
    _refused(db, "computerprogress", path,
             f"{path}, row 61: the last line ends without a line break, so the file looks cut "
             "off; download it again, or add the line break if the file is complete")


def test_hardware_cut_mid_number(shared_data: Path, tmp_path: Path) -> None:
    """The issue's case: ml_hardware.csv cut inside 6.24e14 must not store 6.24e8."""
    store = ResultsDB(":memory:", builtin=False)
    text = (shared_data / HARDWARE).read_text(encoding="utf-8")
    end = text.index("\n", len(text) // 2)
    row = text[:end].rsplit("\n", 1)[1]
    cells = row.split(",")
    # cut inside the last cell of a row that is complete otherwise
    path = tmp_path / "ml_hardware.csv"
    path.write_text(text[:end - max(1, len(cells[-1]) // 2)], encoding="utf-8")
    before = store.snapshot()
    with pytest.raises(DataFormatError) as info:
        import_file(store, "epoch-hardware", path)
    assert str(info.value).startswith(f"{path}, row ")
    assert str(info.value).endswith(
        ("the last line ends without a line break, so the file looks cut off; download it "
         "again, or add the line break if the file is complete",
         "(truncated file or a stray comma?)",
         "a quoted cell is not closed before the end of the file (truncated file?)"))
    assert store.snapshot() == before


def test_csv_unterminated_quote(db: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    lines = _points_lines(shared_data)
    path = tmp_path / "points.csv"
    path.write_text("".join(lines[:60]) + '"imagenet,Top-1\n', encoding="utf-8")
    _refused(db, "computerprogress", path, f"{path}, row 61: a quoted cell is not closed "
                                           "before the end of the file (truncated file?)")


def test_csv_missing_trailing_fields(db: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    lines = _points_lines(shared_data)
    path = tmp_path / "points.csv"
    path.write_text("".join(lines[:60]) + lines[60].rsplit(",", 2)[0] + "\n",
                    encoding="utf-8")
    _refused(db, "computerprogress", path, f"{path}, row 61: has 8 fields, the header has 10 "
                                           "(truncated file or a stray comma?)")


def test_error_lines_quote_at_most_a_short_excerpt(db: ResultsDB, shared_data: Path,
                                                   tmp_path: Path) -> None:
    lines = _points_lines(shared_data)
    cells = lines[1].rstrip("\n").split(",")
    cells[-2] = "x" * 100_000  # the accuracy
    path = tmp_path / "points.csv"
    path.write_text(lines[0] + ",".join(cells) + "\n", encoding="utf-8")
    before = db.snapshot()
    with pytest.raises(DataFormatError) as info:
        import_file(db, "computerprogress", path)
    assert len(str(info.value)) < 300
    assert db.snapshot() == before


# --- losing data needs --force -----------------------------------------------------------------


def test_a_shrinking_reimport_is_refused_unless_forced(db: ResultsDB, shared_data: Path,
                                                       tmp_path: Path) -> None:
    lines = _points_lines(shared_data)
    path = tmp_path / "points.csv"
    path.write_text("".join(lines), encoding="utf-8")
    import_file(db, "computerprogress", path)  # the same bytes: replaces the earlier import
    path.write_text("".join(lines[:60]), encoding="utf-8")  # cut at a line boundary
    _refused(db, "computerprogress", path,
             f"{path} (computerprogress:squad1.1): the import would replace 16 rows by 13 "
             "(−19%); imports that lose more than 10% are refused as a likely truncated or "
             "wrong file. Nothing was changed; give --force (force=True) if the smaller file "
             "is right", ImportRefusedError)
    # Cut at a benchmark's boundary: each key is whole, but the file lost rows.
    first_squad = next(i for i, line in enumerate(lines) if line.startswith("squad1_1"))
    path.write_text("".join(lines[:first_squad]), encoding="utf-8")
    _refused(db, "computerprogress", path,
             f"{path}: the import would replace 101 rows by {first_squad - 1} "
             f"(−{1 - (first_squad - 1) / 101:.0%}); imports that lose more than 10% are "
             "refused as a likely truncated or wrong file. Nothing was changed; give --force "
             "(force=True) if the smaller file is right", ImportRefusedError)
    assert import_file(db, "computerprogress", path, force=True).rows == first_squad - 1


def test_cli_force_and_one_line_errors(shared_data: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    store = tmp_path / "cli.duckdb"
    lines = _points_lines(shared_data)
    path = tmp_path / "points.csv"
    path.write_text("".join(lines), encoding="utf-8")
    ok = runner.invoke(app, ["--db", str(store), "data", "import", "computerprogress",
                             str(path)])
    assert ok.exit_code == 0, ok.output
    path.write_text("".join(lines[:60]), encoding="utf-8")
    refused = runner.invoke(app, ["--db", str(store), "data", "import", "computerprogress",
                                  str(path)])
    assert refused.exit_code == 1
    assert refused.stdout == ""
    assert refused.stderr == (
        f"Error: {path} (computerprogress:squad1.1): the import would replace 16 rows by 13 "
        "(−19%); imports that lose more than 10% are refused as a likely truncated or wrong "
        "file. Nothing was changed; give --force (force=True) if the smaller file is right\n")
    forced = runner.invoke(app, ["--db", str(store), "data", "import", "computerprogress",
                                 str(path), "--force", "--json"])
    assert forced.exit_code == 0, forced.output
    assert json.loads(forced.stdout)["rows"] == 59
    folder = runner.invoke(app, ["--db", str(store), "data", "import", "squad", str(tmp_path)])
    assert folder.exit_code == 1
    assert folder.stderr == (f"Error: {tmp_path}: is a folder; expected a file (format "
                             "'squad' reads one file)\n")


def test_a_huge_cell_is_quoted_short(db: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    """The fuzz run's case: a 5,000-digit accuracy label echoed whole made a 5 KB error line."""
    lines = _points_lines(shared_data)
    cells = next(csv.reader([lines[1]]))
    cells[3] = "9" * 5000  # accuracy_metric
    path = tmp_path / "points.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(lines[0])
        csv.writer(f, lineterminator="\n").writerow(cells)
    _refused(db, "computerprogress", path,
             f"{path}, row 2, column 'accuracy_metric': the accuracy of 'imagenet' should be "
             f"'Top-1 accuracy (fraction)', found '{'9' * 58}…")


def test_a_huge_number_of_shots_stays_text() -> None:
    """The fuzz run's case: a 5,000-digit 'Shots' cell reached int() (Python's digit limit)."""
    from dlcost.store.importers.epoch_benchmarks import parse_shots

    assert parse_shots("5-shot") == 5
    assert parse_shots("9" * 5000) == "9" * 5000
