"""``dlcost data check``: recomputation and builtin-vs-public agreement on the real data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dlcost.cli.main import app
from dlcost.store import open_db
from dlcost.store.check import run_checks
from dlcost.store.crosscheck import _variant_clash, arxiv_id, detect


@pytest.fixture(scope="module")
def report(shared_data: Path):  # type: ignore[no-untyped-def]
    return run_checks(open_db(":memory:"), against=[shared_data])


def test_builtin_meets_the_agreement_goal(report) -> None:  # type: ignore[no-untyped-def]
    stats = report.crosscheck.stats()
    assert stats["matched_rows"] >= 150
    assert stats["compute_compared"] >= 50
    assert stats["compute_within_2x_share"] >= 0.90
    assert stats["compute_disagreements_explained"] == stats["compute_disagreements"]


def test_recomputation_lines(report) -> None:  # type: ignore[no-untyped-def]
    lines = {(a.benchmark, a.method): a for a in report.agreements if a.source == "futuretech"}
    assert lines[("imagenet", "hardware_burden")].n_agree == 36
    assert lines[("imagenet", "network_operations")].n_agree == 75
    assert "futuretech imagenet hardware_burden: 36 of 36" in report.summary()


def test_cli_prints_the_summary(shared_data: Path) -> None:
    result = CliRunner().invoke(app, ["data", "check", "--against", str(shared_data), "--json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["summary"].startswith("futuretech imagenet network_operations: 75 of 76")
    assert doc["builtin_vs_public"]["stats"]["compute_within_2x_share"] >= 0.9


def test_detect_rejects_a_folder_without_data(tmp_path: Path) -> None:
    from dlcost.exceptions import DlcostError

    with pytest.raises(DlcostError, match="found no FutureTech, Epoch or Papers with Code data"):
        detect(tmp_path)


@pytest.mark.parametrize(
    ("a", "b", "clash"),
    [
        ("ViT-L/16 (ImageNet-21k)", "ViT-Huge/14", True),
        ("EfficientNet-B0", "EfficientNet-B7", True),
        ("ResNet-50 (10-crop)", "ResNet-152", True),
        ("Swin-B (224px)", "Swin-L (384 res)", True),
        ("BERT-Base", "BERT-Large", True),
        ("GNMT (WPM-32K, single model)", "GNMT", False),
        ("LUKE (single model)", "LUKE", False),
        ("RoBERTa (large)", "RoBERTa Large", False),
    ],
)
def test_variants_are_told_apart(a: str, b: str, clash: bool) -> None:
    assert _variant_clash(a, b) is clash


def test_arxiv_ids() -> None:
    assert arxiv_id("arXiv:2010.11929") == "2010.11929"
    assert arxiv_id(None, "https://arxiv.org/pdf/1512.03385v1.pdf") == "1512.03385"
    assert arxiv_id("doi:10.1145/3065386") is None
