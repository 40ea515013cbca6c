"""FLOP of a training run: PyTorch's FLOP counter on a sample of steps, extrapolated.

How steps are found
    A *step* ends at each ``optimizer.step()`` (PyTorch's global optimizer step hooks, so any
    ``torch.optim`` optimizer is seen without being passed in), or at each ``run.step()`` when
    the training code calls it — once it does, optimizer steps are ignored. Step *i* is
    everything run between the end of step *i − 1* (or the tracker's start) and the end of
    step *i*: the forward pass, the backward pass, the update, and anything else in the loop.

What is counted
    While a sampled step runs, :class:`torch.utils.flop_counter.FlopCounterMode` counts the
    FLOP of every matrix multiply, convolution and attention operator that PyTorch dispatches
    (2 FLOP per multiply-add; element-wise operations, normalisation and the optimizer's update
    are not counted, as in the papers' operation counts). The backward pass is counted as it
    really runs, operator by operator, not as 2 × forward: autograd computes the weight
    gradients of every layer and the input gradients of every layer but the first (whose input
    needs no gradient), so a shallow network's backward pass costs less than twice its forward.

How it is extrapolated
    total = Σ counted steps + median(counted steps) × (steps not counted). The median keeps an
    evaluation pass that falls inside a sampled step from being multiplied by every step. By
    default steps 2–4 are counted (step 1 also runs set-up code) and then every 1000th.
"""

from __future__ import annotations

import logging
import statistics
import sys
import threading
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("dlcost.track")


@dataclass(frozen=True)
class FlopCount:
    """What the sampler saw: steps, counted FLOP per sampled step, and the extrapolation."""

    steps: int
    sampled: tuple[tuple[int, float], ...]  # (step number, FLOP)
    step_source: str  # "optimizer" | "manual"

    @property
    def per_step_median(self) -> float | None:
        return statistics.median(f for _, f in self.sampled) if self.sampled else None

    @property
    def total(self) -> float | None:
        """Σ counted + median × uncounted steps; ``None`` when no step was counted."""
        if not self.sampled:
            return None
        median = self.per_step_median
        assert median is not None
        return sum(f for _, f in self.sampled) + median * (self.steps - len(self.sampled))

    def to_dict(self) -> dict[str, Any]:
        flops = [f for _, f in self.sampled]
        return {
            "steps": self.steps, "step_source": self.step_source,
            "sampled_steps": [s for s, _ in self.sampled],
            "sampled_flop": flops,
            "per_step_median": self.per_step_median,
            "per_step_min": min(flops) if flops else None,
            "per_step_max": max(flops) if flops else None,
            "total": self.total,
        }


def torch_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("torch") is not None


class FlopSampler:
    """Counts steps and FLOP on sampled steps; every failure disables it, never the training.

    Parameters
    ----------
    warmup_steps, sample_steps, sample_every
        Steps ``warmup+1 … warmup+sample_steps`` are counted, then every ``sample_every``-th.
    count : bool
        Count FLOP (needs PyTorch); ``False`` only counts steps.
    """

    def __init__(self, *, warmup_steps: int = 1, sample_steps: int = 3,
                 sample_every: int | None = 1000, count: bool = True) -> None:
        self.warmup_steps = warmup_steps
        self.sample_steps = sample_steps
        self.sample_every = sample_every
        self.count = count
        self.steps = 0
        self.manual = False
        self.sampled: list[tuple[int, float]] = []
        self.errors: list[str] = []
        self._mode: Any = None
        self._mode_thread: int | None = None
        self._handles: list[Any] = []
        self._lock = threading.Lock()
        #: The training thread: the one that ends the first step (a dispatch mode is per thread).
        self._thread: int | None = None

    # -- which steps ------------------------------------------------------------------------

    def is_sampled(self, step: int) -> bool:
        """Whether step ``step`` (1-based) is counted."""
        first = self.warmup_steps + 1
        if first <= step < first + self.sample_steps:
            return True
        every = self.sample_every
        return every is not None and every > 0 and step >= first and step % every == 0

    # -- lifecycle --------------------------------------------------------------------------

    def install(self) -> None:
        """Hook optimizer steps (when PyTorch is importable) and start step 1."""
        if not self.count and "torch" not in sys.modules:
            self._begin(1)  # nothing to hook, and no reason to import PyTorch
            return
        try:
            from torch.optim.optimizer import register_optimizer_step_post_hook

            self._handles.append(register_optimizer_step_post_hook(self._on_optimizer_step))
        except ImportError:
            self.count = False
        except Exception as exc:
            self._fail("hooking optimizer steps", exc)
        self._begin(1)

    def uninstall(self) -> FlopCount:
        """Remove the hooks; a step in progress is discarded (it never finished)."""
        for handle in self._handles:
            try:
                handle.remove()
            except Exception as exc:
                self._fail("removing the optimizer hook", exc)
        self._handles.clear()
        self._end(record=False)
        return FlopCount(self.steps, tuple(self.sampled),
                         "manual" if self.manual else "optimizer")

    # -- step boundaries --------------------------------------------------------------------

    def _on_optimizer_step(self, *args: Any, **kwargs: Any) -> None:
        if not self.manual:
            self._boundary()

    def manual_step(self) -> None:
        """``run.step()``: from now on only manual steps count."""
        if not self.manual:
            self.manual = True
        self._boundary()

    def _boundary(self) -> None:
        if self._thread is None:
            self._thread = threading.get_ident()
        try:
            with self._lock:
                self._end(record=True)
                self.steps += 1
                self._begin(self.steps + 1)
        except Exception as exc:
            self._fail(f"ending step {self.steps}", exc)

    def _begin(self, step: int) -> None:
        if not self.count or not self.is_sampled(step):
            return
        if self._thread is not None and threading.get_ident() != self._thread:
            return  # a dispatch mode is per thread: count only the training thread's steps
        try:
            from torch.utils.flop_counter import FlopCounterMode

            mode = FlopCounterMode(display=False)
            mode.__enter__()
            self._mode, self._mode_thread = mode, threading.get_ident()
        except Exception as exc:
            self._fail(f"starting the FLOP counter for step {step}", exc)

    def _end(self, *, record: bool) -> None:
        mode = self._mode
        if mode is None:
            return
        if threading.get_ident() != self._mode_thread:
            if record:  # the step ended in another thread than the one it was counted in
                self._fail("ending a step", RuntimeError(
                    "steps end in a different thread from the one the counter started in"))
            return  # exited later, by uninstall() from the thread that entered it
        self._mode = None
        try:
            mode.__exit__(None, None, None)
            if record:
                self.sampled.append((self.steps + 1, float(mode.get_total_flops())))
        except Exception as exc:
            self._fail(f"reading the FLOP counter for step {self.steps + 1}", exc)

    def _fail(self, what: str, exc: BaseException) -> None:
        """Log, remember, and stop counting: the training goes on without FLOP sampling."""
        message = f"FLOP counting stopped while {what}: {type(exc).__name__}: {exc}"
        log.warning("dlcost: %s", message)
        self.errors.append(message)
        self.count = False
