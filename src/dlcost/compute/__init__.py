"""Compute estimators: network operations, hardware burden, training compute, 6·N·D."""

from dlcost.compute.durations import Duration, parse_duration
from dlcost.compute.estimates import (
    ChipUse,
    ComputeEstimate,
    Phase,
    hardware_burden,
    hardware_estimate,
    network_operations,
    phases_from_mapping,
    six_nd,
    training_compute,
)

__all__ = [
    "ChipUse",
    "ComputeEstimate",
    "Duration",
    "Phase",
    "hardware_burden",
    "hardware_estimate",
    "network_operations",
    "parse_duration",
    "phases_from_mapping",
    "six_nd",
    "training_compute",
]
