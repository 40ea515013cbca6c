"""Fakes for the tracker's hardware and energy interfaces, and a tiny real PyTorch model."""

from __future__ import annotations

import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dlcost.track import Device, EnergyReading, MeterUnavailable

#: A real Intel model string (Xeon Platinum 8168 is in the accelerator catalogue).
XEON_8168 = "Intel(R) Xeon(R) Platinum 8168 CPU @ 2.70GHz"


class FakeReader:
    """A hardware reader that sees the devices it is given (or raises ``error``)."""

    def __init__(self, devices: list[Device], name: str = "fake",
                 error: Exception | None = None) -> None:
        self._devices = devices
        self.name = name
        self.error = error

    def devices(self) -> list[Device]:
        if self.error is not None:
            raise self.error
        return list(self._devices)


class FakeMeter:
    """An energy meter that reports ``kwh``; ``unavailable`` or ``stop_error`` to misbehave."""

    def __init__(self, kwh: float = 0.002, method: str = "fake", *, unavailable: bool = False,
                 stop_error: Exception | None = None) -> None:
        self.kwh = kwh
        self.method = method
        self.unavailable = unavailable
        self.stop_error = stop_error
        self.started = False

    def start(self) -> None:
        if self.unavailable:
            raise MeterUnavailable("not here")
        self.started = True

    def stop(self) -> EnergyReading:
        if self.stop_error is not None:
            raise self.stop_error
        return EnergyReading(self.kwh, self.method, ("fake meter",))


@pytest.fixture(autouse=True)
def _pending_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Runs that cannot be stored wait in a temporary folder, never the user's."""
    folder = tmp_path / "pending-runs"
    monkeypatch.setenv("DLCOST_PENDING_RUNS", str(folder))
    return folder


@pytest.fixture
def xeon_reader() -> FakeReader:
    return FakeReader([Device(XEON_8168, "cpu", 0, cores=24, clock_hz=2.7e9,
                              flags=frozenset({"avx512f"}))], name="cpuinfo")


@pytest.fixture
def tiny_training() -> Callable[..., Any]:
    """Train a 2-layer MLP (32 → 64 → 10, batch 16) for ``steps`` SGD steps on CPU."""
    import torch

    def train(steps: int = 6, step_hook: Callable[[], None] | None = None) -> float:
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(32, 64), torch.nn.ReLU(),
                                    torch.nn.Linear(64, 10))
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        x, y = torch.randn(16, 32), torch.randint(0, 10, (16,))
        loss = torch.zeros(())
        for _ in range(steps):
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            if step_hook is not None:
                step_hook()
        return float(loss.detach())

    return train


#: FLOP of one step of ``tiny_training`` by hand (2 FLOP per multiply-add, B = 16):
#: forward 2·B·(32·64 + 64·10); backward: weight gradients of both layers (same again) and the
#: input gradient of the second layer only (2·B·64·10): the first layer's input needs none.
TINY_STEP_FLOP = 2 * 16 * (32 * 64 + 64 * 10) * 2 + 2 * 16 * 64 * 10


def write_cpuinfo(path: Path, model: str, *, sockets: int = 1, cores: int = 4,
                  mhz: float = 2600.0, flags: str = "fpu sse avx avx2 fma") -> Path:
    blocks = []
    for s in range(sockets):
        for c in range(cores):
            blocks.append(f"processor\t: {s * cores + c}\nmodel name\t: {model}\n"
                          f"physical id\t: {s}\ncpu cores\t: {cores}\ncpu MHz\t\t: {mhz}\n"
                          f"flags\t\t: {flags}\n")
    path.write_text("\n".join(blocks))
    return path


def fake_pynvml(names: list[str], energy_mj: list[float] | None = None) -> types.SimpleNamespace:
    """A stand-in for the ``pynvml`` module with the calls dlcost makes."""
    energy = list(energy_mj or [0.0] * len(names))
    return types.SimpleNamespace(
        nvmlInit=lambda: None,
        nvmlDeviceGetCount=lambda: len(names),
        nvmlDeviceGetHandleByIndex=lambda i: i,
        nvmlDeviceGetName=lambda h: names[h].encode(),
        nvmlDeviceGetTotalEnergyConsumption=lambda h: energy[h],
        energy=energy,
    )


@pytest.fixture
def fakes() -> types.SimpleNamespace:
    """The fakes and hand counts above, for the test modules (conftest is not importable)."""
    return types.SimpleNamespace(
        Reader=FakeReader, Meter=FakeMeter, pynvml=fake_pynvml, write_cpuinfo=write_cpuinfo,
        XEON_8168=XEON_8168, TINY_STEP_FLOP=TINY_STEP_FLOP,
    )
