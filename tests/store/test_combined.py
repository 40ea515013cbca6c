"""The ``combined`` view: one row per result across builtin, FutureTech, Epoch and others."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dlcost.exceptions import DlcostError
from dlcost.fitting import fit_benchmark
from dlcost.store import ResultsDB, seed, seed_builtin
from dlcost.store.combined import COMBINED, EXCLUDED_SOURCES, PRECEDENCE, combine
from dlcost.store.snapshots import seed_snapshots


@pytest.fixture(scope="module")
def db() -> ResultsDB:
    """builtin + the shipped snapshots (no raw files needed)."""
    store = ResultsDB(":memory:")
    seed(store)
    return store


def test_no_result_appears_twice(db: ResultsDB) -> None:
    combined = db.combined()
    frame = combined.frame
    assert (frame.source == COMBINED).all()
    # Each source row contributes to at most one combined row ...
    ids = [r["id"] for rows in combined.members.values() for r in rows if r["source"] != "epoch"]
    assert len(ids) == len(set(ids))
    # ... and every benchmark row is in the view or reported as ambiguous (the benchmarking
    # hub's language-model scores join Epoch's models by version, in dlcost.store.lm).
    rows = db.results(sources=["all"])
    bench = rows[rows.benchmark.notna() & ~rows.source.isin(EXCLUDED_SOURCES)]
    ambiguous = {a.id for a in combined.ambiguous if a.source != "epoch"}
    assert set(bench.id) == set(ids) | ambiguous
    # One row per (benchmark, metric, result): a name repeats only for different papers of one
    # source (FutureTech lists ResNet-152 from two papers, two results).
    key = ["benchmark", "metric", "model", "paper_title"]
    assert not frame.duplicated(key).any()
    assert frame.id.is_unique


def test_builtin_and_futuretech_matches(db: ResultsDB) -> None:
    matches = db.combined().matches("builtin", "futuretech")
    print(f"\n{len(matches)} builtin↔FutureTech matches")
    print(matches[["benchmark", "builtin_model", "futuretech_model"]].to_string())
    assert len(matches) == 106
    pairs = set(zip(matches.benchmark, matches.builtin_model, matches.futuretech_model,
                    strict=True))
    for pair in [
        ("imagenet", "AdvProp (EfficientNet-B8)", "AdvProp (EfficientNet-B8)"),
        ("imagenet", "NASNet-A (6 @ 4032, 331px)", "NASNET-A(6)"),
        ("imagenet", "GPipe (AmoebaNet-B 6,512, 480px)", "Gpipe"),
        ("imagenet", "ResNeXt-101 32x48d (Instagram 3.5B)", "ResNeXt-101 32x48d"),
        ("coco", "YOLOv4 (CSPDarknet-53, 608)", "YOLOv4-608"),
        ("coco", "Mask R-CNN (ResNeXt-101-FPN)", "Mask R-CNN (ResNeXt-101-FPN)"),
        ("conll2003", "BERT-Large", "BERT Large"),
        ("conll2003", "LSTM-CRF (Lample et al.)", "LSTM-CRF"),
        ("wmt14-en-de", "Evolved Transformer (big)", "Evolved Transformer Big"),
        ("wmt14-en-de", "T5-11B", "T5-11B"),
    ]:
        assert pair in pairs, pair
    # Every builtin row matched at most one FutureTech row and vice versa.
    assert matches.builtin_id.is_unique and matches.futuretech_id.is_unique


def test_ambiguous_matches_are_reported_not_guessed(db: ResultsDB) -> None:
    ambiguous = db.combined().ambiguous
    transformer = [a for a in ambiguous if a.benchmark == "wmt14-en-de"
                   and a.model == "Transformer (big)"]
    # FutureTech lists "Transformer Big" twice and "Transformer (big)" once on EN-DE.
    assert len(transformer) == 1 and len(transformer[0].candidates) == 3
    frame = db.combined().frame
    assert transformer[0].id not in {
        r["id"] for rows in db.combined().members.values() for r in rows}
    assert len(frame) > 0


def test_fields_follow_the_documented_precedence(db: ResultsDB) -> None:
    combined = db.combined()
    frame = combined.frame.set_index("id")
    [cid] = combined.matches("builtin", "futuretech").query(
        "builtin_model == 'AdvProp (EfficientNet-B8)'").combined_id
    row = frame.loc[cid]
    members = {r["source"]: r for r in combined.members[cid]}
    fields = json.loads(row.field_sources)
    assert fields["score"] == "futuretech" and row.score == members["futuretech"]["score"]
    assert fields["date"] == "builtin"
    assert str(row.date) == str(members["builtin"]["date"])
    assert PRECEDENCE["hardware_burden"][:2] == ("futuretech", "builtin")
    # A combined row keeps its first row's id; every member's record shows the whole result.
    assert cid == members["futuretech"]["id"]
    for member in (members["futuretech"]["id"], members["builtin"]["id"]):
        shown = db.get(member)["combined"]
        assert shown["id"] == cid
        assert {c["source"] for c in shown["contributors"]} >= {"builtin", "futuretech"}
        assert shown["field_sources"] == fields
        assert shown["values"]["score"] == row.score


def test_fits_count_each_result_once(db: ResultsDB) -> None:
    fit = fit_benchmark(db, "imagenet", sources=[COMBINED])
    points = fit.frame_ if hasattr(fit, "frame_") else None
    frame = db.combined().frame
    imagenet = frame[(frame.benchmark == "imagenet") & frame.error.notna()]
    assert fit.n_ <= len(imagenet)
    if points is not None:
        assert points["id"].is_unique
    # The paper's data alone still gives the paper's figure.
    paper = fit_benchmark(db, "imagenet", sources=["futuretech"])
    assert (paper.n_, round(paper.slope_, 4), round(paper.r2_, 3)) == (102, 0.0908, 0.694)
    assert fit.n_ > paper.n_


def test_default_sources_are_combined_once_more_than_builtin_is_there() -> None:
    bare = ResultsDB(":memory:")
    seed_builtin(bare)
    assert bare.default_sources() == ["builtin"]
    seed_snapshots(bare)
    assert bare.default_sources() == [COMBINED]
    with pytest.raises(DlcostError, match="'combined' already holds every source"):
        bare.resolve_sources(["combined", "builtin"])


def _row(source: str, model: str, paper: str | None, **kw: object) -> dict[str, object]:
    base = {"id": f"{source[:3]}-{model}-{paper}", "source": source, "benchmark": "imagenet",
            "metric": "top1", "model": model, "paper_url": paper, "paper_title": None,
            "reference": None, "score": 80.0, "error": 0.2, "date": None, "year": 2020,
            "hardware_burden": None, "network_operations": None, "training_compute": None,
            "parameters": None}
    base.update(kw)
    return base


def test_rules_on_small_tables() -> None:
    frame = pd.DataFrame([
        _row("futuretech", "ResNet-50", "https://arxiv.org/abs/1512.03385", hardware_burden=1e18),
        _row("futuretech", "ResNet-50", "https://arxiv.org/abs/2009.06962"),
        # same name, same paper: joins the first; its date fills the combined row
        _row("builtin", "ResNet 50", "https://arxiv.org/abs/1512.03385", date="2015-12-10",
             hardware_burden=2e18),
        # same name, another paper that neither FutureTech row has: a new result
        _row("builtin", "ResNet-50", "https://arxiv.org/abs/1905.00000"),
        # same name, no paper: could be either FutureTech row, so it is reported
        _row("pwc", "ResNet-50", None),
        # same paper, a close name
        _row("futuretech", "ViT-H/14", "https://arxiv.org/abs/2010.11929"),
        _row("builtin", "ViT-H/14 (JFT-300M)", "https://arxiv.org/abs/2010.11929"),
        # same paper, another variant: not the same model
        _row("pwc", "ViT-L/16", "https://arxiv.org/abs/2010.11929"),
    ])
    combined = combine(frame)
    groups = sorted(sorted(r["source"] for r in rows) for rows in combined.members.values())
    assert groups == [["builtin"], ["builtin", "futuretech"], ["builtin", "futuretech"],
                      ["futuretech"], ["pwc"]]
    [amb] = combined.ambiguous
    assert (amb.source, amb.model, amb.rule) == ("pwc", "ResNet-50", "same name")
    resnet = combined.frame[combined.frame.paper_url.str.contains("1512", na=False)].iloc[0]
    assert resnet.hardware_burden == 1e18  # FutureTech's burden before builtin's
    assert str(resnet.date) == "2015-12-10"  # builtin's day-precise date
