"""Pairwise decomposition: burden ratio = chip speed × chip count × training time."""

from __future__ import annotations

import math

import pytest

from dlcost.data.accelerators import get_chip
from dlcost.decompose import TrainingSetup, decompose_pair, setup_from_store
from dlcost.exceptions import EstimationError, ResultNotFoundError
from dlcost.units import SECONDS_PER_DAY

ALEXNET = TrainingSetup("AlexNet", "GTX 580", 2, 5.5 * SECONDS_PER_DAY)
NASNET = TrainingSetup("NASNet-A", "P100", 500, 4 * SECONDS_PER_DAY)


def test_alexnet_to_nasnet_from_facts() -> None:
    """METHODS.md §6: ≈6× from chips, 250× from their number, ≈0.73× from time, ≈1,100×.

    AlexNet: 2 × GTX 580, five to six days (Krizhevsky et al. 2012, §5); NASNet-A: 500 × P100
    for 4 days (Zoph et al. 2018, §4). Peaks from the catalogue (FP32).
    """
    d = decompose_pair(ALEXNET, NASNET)
    speed = get_chip("P100").burden_peak().flop_per_s / get_chip("GTX 580").burden_peak().flop_per_s
    assert d.factors["chip_speed"] == pytest.approx(speed)
    assert round(d.factors["chip_speed"]) == 6
    assert d.factors["chip_count"] == 250
    assert d.factors["training_time"] == pytest.approx(4 / 5.5)
    assert round(d.factors["training_time"], 2) == 0.73
    assert d.total == pytest.approx(1100, rel=0.05)
    assert d.total == pytest.approx(NASNET.burden_flop / ALEXNET.burden_flop)
    assert sum(d.shares.values()) == pytest.approx(1.0)
    assert d.shares["training_time"] < 0 < d.shares["chip_speed"] < d.shares["chip_count"]
    assert "250× more chips" in str(d)


def test_setups_are_checked() -> None:
    with pytest.raises(EstimationError, match="AlexNet: chip_count must be a positive number"):
        TrainingSetup("AlexNet", "GTX 580", 0, 1.0)
    with pytest.raises(EstimationError, match="pass db= to look it up"):
        decompose_pair("AlexNet", NASNET)


@pytest.mark.shared_data
def test_alexnet_to_nasnet_from_the_futuretech_store(futuretech_db) -> None:
    """FutureTech records AlexNet as 2 × GTX 580 @ 1.58 TFLOP/s × 6 days and NASNet-A (its
    "NASNET-A(6)") as 500 × P100 @ 9.53 TFLOP/s × 4 days: the factors multiply to the ratio
    of the authors' stored burdens, 1.6e21 / 1.6e18 (stored to two digits: within 1%)."""
    d = decompose_pair("AlexNet", "NASNet-A", db=futuretech_db, sources=["futuretech"])
    assert d.b.name == "NASNET-A(6)"
    assert d.factors["chip_count"] == 250
    assert round(d.factors["chip_speed"]) == 6
    assert d.factors["training_time"] == pytest.approx(4 / 6)
    rows = futuretech_db.results(benchmark="imagenet", sources=["futuretech"]).set_index("model")
    stored = rows.loc["NASNET-A(6)", "hardware_burden"] / rows.loc["AlexNet", "hardware_burden"]
    assert d.total == pytest.approx(stored, rel=0.01)
    assert math.isclose(d.a.burden_flop, 2 * 1.58e12 * 6 * SECONDS_PER_DAY)


@pytest.mark.shared_data
def test_lookup_by_id_and_helpful_misses(futuretech_db) -> None:
    rows = futuretech_db.results(benchmark="imagenet", sources=["futuretech"])
    rid = rows.loc[rows["model"] == "AlexNet", "id"].iloc[0]
    assert setup_from_store(futuretech_db, rid).chip_count == 2
    with pytest.raises(ResultNotFoundError, match=r"no model named 'AlexNot'.*Closest: 'AlexNet'"):
        setup_from_store(futuretech_db, "AlexNot")
    with pytest.raises(ResultNotFoundError, match="matches several models"):
        setup_from_store(futuretech_db, "ResNet")


def test_paper_example_from_its_cited_facts() -> None:
    """(500 × 9.3e12 × 4 d) / (2 × 1.581056e12 × 5.5 d): 5.88 × 250 × 0.727 = 1,069 (METHODS §6)."""
    from dlcost.decompose import decompose_pair, paper_example

    d = decompose_pair(*paper_example())
    assert d.total == pytest.approx(500 * 9.3e12 * 4 / (2 * 1.581056e12 * 5.5))
    assert d.factors["chip_speed"] == pytest.approx(9.3e12 / 1.581056e12)
    assert d.factors["chip_count"] == 250
    assert d.factors["training_time"] == pytest.approx(4 / 5.5)
    assert d.total == pytest.approx(1_100, rel=0.05)


def test_landmark_pairs_on_the_builtin_data() -> None:
    """The paper's example comes first; each benchmark pairs its first and last landmarks."""
    from dlcost.decompose import landmark_pairs
    from dlcost.fitting import scaling_data
    from dlcost.store import open_db

    with open_db(":memory:") as db:
        data = {"imagenet": scaling_data(db, "imagenet", sources=["builtin"])}
        pairs, problems = landmark_pairs(db, data, sources=["builtin"])
    labels = [label for label, _ in pairs]
    assert labels[0].startswith("The paper's example")
    assert len(pairs) + len(problems) == 2
    for _, pair in pairs:
        assert pair.total == pytest.approx(math.prod(pair.factors.values()), rel=1e-9)
    if len(pairs) == 2:
        first, last = pairs[1][1].a, pairs[1][1].b
        assert first.name != last.name
