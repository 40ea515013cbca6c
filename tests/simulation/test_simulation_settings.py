"""Settings: defaults, validation messages, the grid, and what the cache key depends on."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from dlcost.exceptions import DlcostError
from dlcost.simulation import SimulationSettings, SimulationSettingsError


def test_defaults_are_the_papers_scale() -> None:
    s = SimulationSettings()
    assert (s.features, s.relevant, s.expert_correct, s.reps) == (1000, 10, 9, 1000)
    assert s.n_grid[0] == 20 and s.n_grid[-1] == 20_000 and s.n_grid.size == 15
    assert np.all(np.diff(np.log(s.n_grid)) > 0)
    assert s.oracle_r2 == pytest.approx(10 / 11)


def test_expert_default_follows_relevant() -> None:
    assert SimulationSettings(relevant=4).expert_correct == 3


def test_grid_drops_duplicates_after_rounding() -> None:
    s = SimulationSettings(n_min=5, n_max=8, n_points=10)
    assert s.n_grid.tolist() == [5, 6, 7, 8]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"relevant": 0},
            "The 'relevant' setting of SimulationSettings must be an integer ≥ 1. Got 0 instead.",
        ),
        (
            {"features": 10},
            "The 'features' setting of SimulationSettings must be an integer ≥ 11. Got 10 instead.",
        ),
        (
            {"reps": 1},
            "The 'reps' setting of SimulationSettings must be an integer ≥ 2. Got 1 instead.",
        ),
        (
            {"n_max": 20},
            "The 'n_max' setting of SimulationSettings must be an integer ≥ 21. Got 20 instead.",
        ),
        (
            {"noise_sd": 0.0},
            "The 'noise_sd' setting of SimulationSettings must be a finite "
            "number > 0. Got 0.0 instead.",
        ),
        (
            {"coefficients": "uniform"},
            "The 'coefficients' setting of SimulationSettings must be "
            "one of 'gaussian', 'equal'. Got 'uniform' instead.",
        ),
        (
            {"expert_correct": 11},
            "The expert cannot have more correct features (11) than there "
            "are relevant ones (10); lower --expert-correct.",
        ),
        (
            {"features": 12, "expert_correct": 7},
            "The expert needs 3 irrelevant features but only "
            "2 exist; raise --features or --expert-correct.",
        ),
        (
            {"lasso_alpha": "cv", "n_min": 6},
            "Cross-validating the Lasso with 5 folds needs at "
            "least 10 data points at the smallest sample size; "
            "got n_min=6. Raise --n-min or use fewer folds.",
        ),
    ],
)
def test_invalid_settings_say_what_and_how_to_fix(kwargs: dict, message: str) -> None:
    with pytest.raises(SimulationSettingsError) as info:
        SimulationSettings(**kwargs)
    assert str(info.value) == message
    assert isinstance(info.value, DlcostError) and isinstance(info.value, ValueError)


def test_cache_key_ignores_only_what_does_not_change_numbers() -> None:
    base = SimulationSettings(reps=50)
    assert base.cache_key() == dataclasses.replace(base, reps=999, block_size=3).cache_key()
    for change in ({"seed": 1}, {"noise_sd": 2.0}, {"n_points": 14}, {"lasso_alpha": "cv"}):
        assert base.cache_key() != dataclasses.replace(base, **change).cache_key()


def test_to_dict_is_plain_json() -> None:
    import json

    d = SimulationSettings(reps=5).to_dict()
    assert json.loads(json.dumps(d))["n_grid"][:2] == [20, 33]
    assert d["expert_correct"] == 9 and d["oracle_r2"] == pytest.approx(10 / 11)
