"""The Papers with Code evaluation-tables importer on the 2020 dump, and on bad input."""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from dlcost.exceptions import DataFormatError
from dlcost.store import ResultsDB
from dlcost.store.importers import import_path, parser
from dlcost.store.importers.pwc import LEADERBOARDS

DUMP = "pwc_2020/evaluation-tables_2020-08-28.json.gz"
NAME = "Papers with Code evaluation-tables"


@pytest.fixture(scope="module")
def tasks(shared_data: Path) -> list[dict[str, Any]]:
    doc: list[dict[str, Any]] = json.loads(gzip.decompress((shared_data / DUMP).read_bytes()))
    return doc


@pytest.fixture(scope="module")
def pwc_db(shared_data: Path) -> ResultsDB:
    db = ResultsDB(":memory:", builtin=False)
    import_path(db, "pwc", shared_data / DUMP)
    return db


def test_six_leaderboards_import_and_reimport_is_idempotent(shared_data: Path) -> None:
    db = ResultsDB(":memory:", builtin=False)
    assert import_path(db, "pwc", shared_data / DUMP) == 644
    first = db.snapshot()
    counts = db.results(sources=["pwc"]).groupby("benchmark").size().to_dict()
    assert counts == {"imagenet": 196, "coco": 125, "squad1.1": 184, "conll2003": 44,
                      "wmt14-en-fr": 38, "wmt14-en-de": 57}
    assert import_path(db, "pwc", shared_data / DUMP) == 644
    assert db.snapshot()[1:] == first[1:]


def test_skipped_entries_are_counted_per_leaderboard(shared_data: Path) -> None:
    skipped = {b.import_key: b.skipped  # type: ignore[attr-defined]
               for b in parser("pwc")(shared_data / DUMP)}
    assert skipped == {
        "pwc:imagenet": {"entries without the headline metric 'Top 1 Accuracy'": 3},
        # FoveaBox (ResNeXt-101) has four entries: 43.9 box AP, 42.1, and two without box AP
        "pwc:coco": {"entries without the headline metric 'box AP'": 4,
                     "repeated entries of a model (kept the first)": 1},
        "pwc:squad1.1": {"entries without the headline metric 'EM'": 1,
                         "repeated entries of a model (kept the first)": 1},
        "pwc:conll2003": {}, "pwc:wmt14-en-fr": {}, "pwc:wmt14-en-de": {},
    }


def test_values_are_parsed_from_strings(pwc_db: ResultsDB) -> None:
    frame = pwc_db.results(sources=["pwc"])
    fix = frame[frame.model == "FixEfficientNet-L2"].iloc[0]
    assert (fix.score, fix.error, fix.parameters) == (88.5, pytest.approx(0.115), 480e6)
    assert json.loads(fix.metrics) == {"top5": 98.7}
    assert str(fix.date.date()) == "2020-03-18"
    fovea = frame[frame.model == "FoveaBox (ResNeXt-101)"]
    assert list(fovea.score) == [43.9]  # the first entry, with all its AP metrics
    assert json.loads(fovea.metrics.iloc[0]) == {
        "ap50": 63.5, "ap75": 47.7, "apl": 55.6, "apm": 46.9, "aps": 26.8}
    # " 66.7" and "58.5 " (stray spaces in the dump) are numbers
    assert frame[frame.benchmark == "coco"].metrics.dropna().map(json.loads).map(len).min() > 0


def test_squad_dates_are_mostly_missing(pwc_db: ResultsDB) -> None:
    """Why the SQuAD leaderboard importer exists: 124 of the 184 SQuAD 1.1 rows lack a date."""
    frame = pwc_db.results(benchmark="squad1.1", sources=["pwc"])
    assert int(frame.date.isna().sum()) == 124


# --- other layouts and bad input ----------------------------------------------------------------


def _mini(tasks: list[dict[str, Any]], n: int = 4) -> list[dict[str, Any]]:
    """The six leaderboards with their first ``n`` entries, in the dump's own format."""
    out = []
    for board in LEADERBOARDS:
        task = next(t for t in tasks if t["task"] == board.task)
        ds = copy.deepcopy(next(d for d in task["datasets"] if d["dataset"] == board.dataset))
        ds["sota"]["rows"] = ds["sota"]["rows"][:n]
        out.append({**{k: v for k, v in task.items() if k != "subtasks"},
                    "datasets": [ds], "subtasks": []})
    return out


def _write(path: Path, doc: Any, *, gz: bool = False) -> Path:
    data = json.dumps(doc).encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def _entry(doc: list[dict[str, Any]], benchmark: str, index: int) -> dict[str, Any]:
    board = next(b for b in LEADERBOARDS if b.benchmark == benchmark)
    task = next(t for t in doc if t["task"] == board.task
                and t["datasets"][0]["dataset"] == board.dataset)
    entry: dict[str, Any] = task["datasets"][0]["sota"]["rows"][index]
    return entry


@pytest.fixture
def loaded(tasks: list[dict[str, Any]], tmp_path: Path) -> ResultsDB:
    db = ResultsDB(":memory:", builtin=False)
    import_path(db, "pwc", _write(tmp_path / "ok.json", _mini(tasks)))
    return db


def _assert_rejected(db: ResultsDB, path: Path, message: str) -> None:
    before = db.snapshot()
    with pytest.raises(DataFormatError) as info:
        import_path(db, "pwc", path)
    assert str(info.value) == message
    assert db.snapshot() == before


def test_plain_json_and_gzip_named_json_read_the_same(
    tasks: list[dict[str, Any]], tmp_path: Path
) -> None:
    plain = ResultsDB(":memory:", builtin=False)
    zipped = ResultsDB(":memory:", builtin=False)
    assert import_path(plain, "pwc", _write(tmp_path / "a.json", _mini(tasks))) == 24
    assert import_path(zipped, "pwc", _write(tmp_path / "b.json", _mini(tasks), gz=True)) == 24
    a, b = plain.results(sources=["pwc"]), zipped.results(sources=["pwc"])
    assert a.drop(columns="import_key").equals(b.drop(columns="import_key"))


def test_odd_entries_are_skipped_and_counted(tasks: list[dict[str, Any]], tmp_path: Path) -> None:
    doc = _mini(tasks)
    _entry(doc, "imagenet", 0)["metrics"].pop("Top 1 Accuracy")
    _entry(doc, "imagenet", 1)["metrics"]["Top 1 Accuracy"] = "100%"
    _entry(doc, "imagenet", 2)["model_name"] = "  "
    board = next(t for t in doc if t["task"] == "Image Classification")
    board["datasets"][0]["sota"]["rows"].append(copy.deepcopy(_entry(doc, "imagenet", 3)))
    batches = {b.import_key: b for b in parser("pwc")(_write(tmp_path / "odd.json", doc))}
    assert len(batches["pwc:imagenet"].results) == 1
    assert batches["pwc:imagenet"].skipped == {  # type: ignore[attr-defined]
        "entries without the headline metric 'Top 1 Accuracy'": 1,
        "entries whose Top 1 Accuracy of 0 or ≥ 100 gives no usable error": 1,
        "entries without a model name": 1,
        "repeated entries of a model (kept the first)": 1,
    }


def test_absent_leaderboards_are_counted(tasks: list[dict[str, Any]], tmp_path: Path) -> None:
    doc = [t for t in _mini(tasks) if t["task"] == "Named Entity Recognition"]
    [batch] = parser("pwc")(_write(tmp_path / "ner.json", doc))
    assert batch.skipped == {  # type: ignore[attr-defined]
        "leaderboards absent from the file (Image Classification / ImageNet; Object "
        "Detection / COCO test-dev; Question Answering / SQuAD1.1; Machine Translation / "
        "WMT2014 English-French; Machine Translation / WMT2014 English-German)": 5,
    }


def test_text_in_the_headline_metric(
    loaded: ResultsDB, tasks: list[dict[str, Any]], tmp_path: Path
) -> None:
    doc = _mini(tasks)
    entry = _entry(doc, "coco", 1)
    entry["metrics"]["box AP"] = "high"
    path = _write(tmp_path / "bad.json", doc)
    _assert_rejected(
        loaded, path,
        f"{path}, column 'box AP': leaderboard 'Object Detection / COCO test-dev', entry 2 "
        f"({entry['model_name']!r}): expected a number, found 'high'",
    )


def test_bad_date(loaded: ResultsDB, tasks: list[dict[str, Any]], tmp_path: Path) -> None:
    doc = _mini(tasks)
    entry = _entry(doc, "wmt14-en-de", 0)
    entry["paper_date"] = "28/08/2018"
    path = _write(tmp_path / "bad.json", doc)
    _assert_rejected(
        loaded, path,
        f"{path}, column 'paper_date': leaderboard 'Machine Translation / WMT2014 "
        f"English-German', entry 1 ({entry['model_name']!r}): expected a date YYYY-MM-DD, "
        "found '28/08/2018'",
    )


def test_empty_file(loaded: ResultsDB, tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text("")
    _assert_rejected(loaded, path, f"{path}: the file is empty; expected a {NAME} JSON")


def test_truncated_gzip(loaded: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    path = tmp_path / "evaluation-tables.json.gz"
    path.write_bytes((shared_data / DUMP).read_bytes()[:100_000])
    _assert_rejected(
        loaded, path,
        f"{path}: the gzip data is truncated or corrupt (Compressed file ended before the "
        "end-of-stream marker was reached); download the file again",
    )


def test_truncated_json(loaded: ResultsDB, tasks: list[dict[str, Any]], tmp_path: Path) -> None:
    path = _write(tmp_path / "cut.json", _mini(tasks))
    text = path.read_text()[:-200]
    path.write_text(text)
    with pytest.raises(json.JSONDecodeError) as reference:
        json.loads(text)
    e = reference.value
    _assert_rejected(
        loaded, path,
        f"{path}: invalid JSON at line {e.lineno}, column {e.colno}: {e.msg} (truncated file?); "
        f"expected a {NAME} JSON",
    )


def test_wrong_structure(loaded: ResultsDB, tmp_path: Path) -> None:
    path = _write(tmp_path / "dict.json", {"task": "Image Classification"})
    _assert_rejected(
        loaded, path,
        f"{path}: expected a list of tasks, each with 'task' and 'datasets' (the {NAME} format)",
    )


def test_no_known_leaderboard(loaded: ResultsDB, tmp_path: Path) -> None:
    path = _write(tmp_path / "other.json", [{"task": "Image Generation", "datasets": []}])
    _assert_rejected(
        loaded, path,
        f"{path}: holds none of the leaderboards dlcost reads (Image Classification / ImageNet; "
        "Object Detection / COCO test-dev; Question Answering / SQuAD1.1; Named Entity "
        "Recognition / CoNLL 2003 (English); Machine Translation / WMT2014 English-French; "
        "Machine Translation / WMT2014 English-German); is it a Papers with Code "
        "evaluation-tables dump?",
    )


def test_wrong_format(loaded: ResultsDB, shared_data: Path, tmp_path: Path) -> None:
    path = tmp_path / "evaluation-tables.json"
    path.write_bytes((shared_data / "epoch_ml_hardware" / "ml_hardware.csv").read_bytes())
    _assert_rejected(
        loaded, path,
        f"{path}: not JSON; expected a {NAME} JSON (gzip-compressed or plain)",
    )
