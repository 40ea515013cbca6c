"""Owen-style extrapolation in compute: fit below a cut-off, score +1/+2 OOM above."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dlcost.backtest import extrapolation_table

FLOOR = 0.25


def _models(rng: np.random.Generator, n: int = 60, noise: float = 0.0) -> pd.DataFrame:
    x = rng.uniform(21.0, 26.0, n)
    score = FLOOR + (1 - FLOOR) / (1 + np.exp(-1.5 * (x - 24.0)))
    score = np.clip(score + rng.normal(0, noise, n), 0, 1)
    return pd.DataFrame({"model": [f"m{i}" for i in range(n)], "compute_flop": 10.0 ** x,
                         "score": score})


def test_exact_logistic_extrapolates_exactly(rng: np.random.Generator) -> None:
    result = extrapolation_table(_models(rng), FLOOR, "synthetic")
    m = result.metrics()
    assert m["+1"]["n"] > 10 and m["+2"]["n"] > 5
    assert m["+1"]["mae_pp"] < 0.5 and m["+2"]["mae_pp"] < 0.5
    table = result.table
    # every scored model lies above its cut-off, within the stated orders of magnitude
    gap = table["log10_compute"] - table["cutoff_log10"]
    assert ((gap > table["orders"] - 1) & (gap <= table["orders"])).all()


def test_noise_makes_errors_and_baseline_is_reported(rng: np.random.Generator) -> None:
    m = extrapolation_table(_models(rng, noise=0.05), FLOOR).metrics()
    assert m["+1"]["mae_pp"] > 1.0
    assert m["+1"]["mae_pp"] < m["+1"]["mae_pp_last_value"]


def test_too_few_models_say_so(rng: np.random.Generator) -> None:
    result = extrapolation_table(_models(rng, n=6), FLOOR)
    assert result.table.empty and result.notes


def test_bbh_on_epoch_data_beside_owen(shared_data) -> None:  # type: ignore[no-untyped-def]
    """BIG-Bench Hard on Epoch's hub: the +1 OOM error is reported beside Owen's ≈ 6 pp."""
    from dlcost.backtest import OWEN_BBH_1OOM_MAE_PP, backtest
    from dlcost.store import ResultsDB
    from dlcost.store.importers import import_path

    with ResultsDB(":memory:", builtin=False) as db:
        import_path(db, "epoch-benchmarks", shared_data / "epoch_benchmarks")
        import_path(db, "epoch", shared_data / "epoch_ai_models")
        doc = backtest(db, "bbh").to_dict()
    ext = doc["extrapolation"]
    assert ext["anchor"]["mae_pp"] == OWEN_BBH_1OOM_MAE_PP
    one = ext["metrics"]["+1"]
    assert one["n"] >= 10
    # same order as Owen's figure (a different model set and curve): within a factor of 3
    assert OWEN_BBH_1OOM_MAE_PP / 3 < one["mae_pp"] < 3 * OWEN_BBH_1OOM_MAE_PP
