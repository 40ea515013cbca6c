"""From store rows to fit-ready points: duplicates, state of the art, consolidation, metric."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dlcost.exceptions import FitError
from dlcost.fitting import deduplicate, normalize_model_name, prepare, state_of_the_art


def rows(**columns: list) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {
        "id": [f"r{i}" for i in range(n)], "source": ["futuretech"] * n,
        "benchmark": ["imagenet"] * n, "model": [f"M{i}" for i in range(n)],
        "paper_title": [None] * n, "paper_url": [None] * n, "year": [2015] * n,
        "date": [None] * n, "error": [0.3] * n, "metrics": [None] * n,
        "hardware_burden": [np.nan] * n, "network_operations": [np.nan] * n,
        "ops_per_pass_flop": [np.nan] * n,
    }
    base.update(columns)
    return pd.DataFrame(base)


def test_normalized_names() -> None:
    assert normalize_model_name("ResNet-50 (v1.5)") == "resnet50v15"
    assert normalize_model_name("NASNET-A(6)") == "nasneta6"


def test_duplicates_keep_the_highest_priority_source() -> None:
    frame = rows(
        source=["pwc", "futuretech", "computerprogress", "builtin", "pwc", "futuretech",
                "futuretech"],
        model=["ResNet-50", "resnet 50", "ResNet50", "ViT-L", "vit-l", "EffNet", "EffNet"],
    )
    kept, dropped = deduplicate(frame)
    assert dropped == 3
    assert kept["source"].tolist() == ["futuretech", "builtin", "futuretech", "futuretech"]
    # Two rows of one source with the same name are both kept (two papers).
    assert (kept["model"] == "EffNet").sum() == 2


def test_other_sources_rank_after_the_named_ones_alphabetically() -> None:
    frame = rows(source=["zeta", "alpha", "pwc"], model=["X", "x", "X"])
    kept, _ = deduplicate(frame)
    assert kept["source"].tolist() == ["pwc"]
    kept, _ = deduplicate(frame.iloc[:2])
    assert kept["source"].tolist() == ["alpha"]


def test_state_of_the_art_beats_every_earlier_result() -> None:
    frame = rows(year=[2012, 2013, 2013, 2014, 2015, 2015],
                 error=[0.40, 0.30, 0.35, 0.32, 0.20, 0.25])
    assert state_of_the_art(frame).tolist() == [True, True, True, False, True, True]


def test_state_of_the_art_uses_dates_when_all_rows_have_one() -> None:
    frame = rows(year=[2015, 2015, 2015], error=[0.3, 0.2, 0.25],
                 date=pd.to_datetime(["2015-01-01", "2015-02-01", "2015-03-01"]))
    assert state_of_the_art(frame).tolist() == [True, True, False]


def test_consolidation_imputes_from_network_operations() -> None:
    no = np.array([1e17, 1e18, 1e19, 1e20, 1e18, 1e21])
    hb = 10.0 ** (2.0 + 0.9 * np.log10(no))
    hb[4:] = np.nan
    frame = rows(hardware_burden=hb.tolist(), network_operations=no.tolist(),
                 error=[0.4, 0.35, 0.3, 0.25, 0.33, 0.2])
    data = prepare(frame, "imagenet")
    assert data.consolidation is not None
    assert data.consolidation.n_pairs == 4 and data.consolidation.n_imputed == 2
    assert data.consolidation.slope == pytest.approx(0.9)
    assert data.consolidation.intercept == pytest.approx(2.0)
    # In GFLOP the intercept shifts by 9(1 − d); predictions do not change.
    assert data.consolidation.intercept_gflop == pytest.approx(2.0 - 0.9)
    imputed = data.frame[data.frame.compute_method == "imputed"]
    assert np.allclose(imputed.compute_flop, 10.0 ** (2.0 + 0.9 * np.log10([1e18, 1e21])))
    assert any("imputed for 2 row(s)" in n for n in data.notes)


def test_no_imputation_with_fewer_than_three_pairs() -> None:
    frame = rows(hardware_burden=[1e18, 1e19, 1e20, np.nan],
                 network_operations=[1e17, np.nan, np.nan, 1e18])
    data = prepare(frame, "imagenet")
    assert data.consolidation is None
    assert len(data) == 3
    assert any("nothing imputed" in n and "1 row(s) with only network operations" in n
                for n in data.notes)


def test_secondary_metric_from_the_metrics_json() -> None:
    frame = rows(benchmark=["squad1.1"] * 3, error=[0.2, 0.15, 0.1],
                 metrics=[json.dumps({"f1": 88.0}), json.dumps({"f1": 90.0}), None],
                 hardware_burden=[1e18, 1e19, 1e20])
    data = prepare(frame, "squad1.1", measure="hardware_burden", metric="f1")
    assert data.frame["error"].tolist() == pytest.approx([0.12, 0.10])
    assert data.metric == "f1"
    with pytest.raises(FitError, match=r"SQuAD 1\.1 has no metric 'top5'"):
        prepare(frame, "squad1.1", metric="top5")


def test_unknown_measure_lists_the_known_ones() -> None:
    with pytest.raises(FitError, match="unknown compute measure 'flops'; choose one of "):
        prepare(rows(error=[0.3]), "imagenet", measure="flops")


def test_rows_without_error_or_compute_are_dropped_and_noted() -> None:
    frame = rows(error=[0.3, np.nan, 1.2, 0.2], hardware_burden=[1e18, 1e19, 1e20, np.nan])
    data = prepare(frame, "imagenet", measure="hardware_burden")
    assert len(data) == 1
    assert "2 row(s) without an error in (0, 1) dropped" in data.notes
    assert "1 row(s) without hardware_burden dropped" in data.notes
