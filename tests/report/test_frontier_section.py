"""The report's "After 2020: the frontier era" section, built alone on the real data."""

from __future__ import annotations

from pathlib import Path

import pytest

from dlcost.report import ReportSettings
from dlcost.report.context import ReportContext
from dlcost.store import ResultsDB
from dlcost.store.importers import import_path


@pytest.fixture(scope="module")
def lm_store(shared_data: Path) -> ResultsDB:
    db = ResultsDB(":memory:")
    import_path(db, "epoch-benchmarks", shared_data / "epoch_benchmarks")
    import_path(db, "epoch", shared_data / "epoch_ai_models")
    return db


def test_frontier_section_builds_alone(lm_store: ResultsDB,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    # The package re-exports the builder under the module's name: import the module itself.
    module = importlib.import_module("dlcost.report.sections.frontier")
    monkeypatch.setattr(module, "N_BOOT_LM", 100)  # the section's numbers, fewer resamples
    ctx = ReportContext.open(lm_store, ReportSettings())
    section = module.frontier(ctx)
    assert section.title == "After 2020: the frontier era"
    figures = [f.id for f in section.figures()]
    assert figures == [f"fig-frontier-{b}" for b in module.FIGURE_BENCHMARKS] + [
        "fig-frontier-progress"]
    tables = {t.id: t for t in section.tables()}
    compute = tables["table-frontier-compute"].frame
    assert set(compute["benchmark"]) >= set(module.FIGURE_BENCHMARKS)
    mmlu = compute.set_index("benchmark").loc["mmlu"]
    assert mmlu["n"] >= 40 and mmlu["floor"] == 0.25 and mmlu["compute_flop"] > 0
    progress = tables["table-frontier-progress"].frame
    assert progress["label"].iloc[0].startswith("ECI")
    assert {"Epoch AI 2025 (ECI)", "Ho et al. 2024 (perplexity)"} <= set(progress["label"])
    assert "families" in " ".join(p for b in section.blocks if hasattr(b, "paragraphs")
                                  for p in b.paragraphs)
    assert ctx.simulation is None


def test_without_the_language_model_data_the_section_says_what_to_import() -> None:
    from dlcost.report.model import Unavailable
    from dlcost.report.sections.frontier import frontier
    from dlcost.store import ResultsDB, seed_builtin

    db = ResultsDB(":memory:")
    seed_builtin(db)  # builtin alone: without the shipped benchmarking-hub snapshot
    section = frontier(ReportContext.open(db, ReportSettings()))
    [block] = section.blocks
    assert isinstance(block, Unavailable)
    assert "dlcost data import epoch-benchmarks" in block.reason
