"""Overhead of the run tracker on a CPU training loop: tracked vs untracked, side by side.

Run: ``python benchmarks/track.py [--steps 300] [--reps 4]``.

The loop trains a 3-layer MLP (512 → 1024 → 1024 → 10, batch 128, SGD) on fixed random data
with one thread, from the same seed every time. Each repetition runs the untracked loop and the
tracked loop back to back (order alternating), so that load on the machine hits both alike; the
ratio of medians is the overhead. Three tracked variants:

- ``dlcost`` — ``dlcost.track(...)`` with its defaults (FLOP counted on steps 2–4 and every
  1000th; hardware detection), energy by TDP (so CodeCarbon's cost is not in it), no store;
- ``codecarbon`` — CodeCarbon's ``OfflineEmissionsTracker`` alone, when installed;
- ``dlcost + codecarbon`` — the tracker with ``energy="codecarbon"``, when installed.

Times are CPU seconds of the process (``time.process_time``, all threads: CodeCarbon's
sampling thread counts), which a shared, loaded machine disturbs far less than wall-clock time;
wall-clock medians are printed beside them. A throw-away tracked run first pays the one-off
imports (PyTorch's FLOP counter, dlcost's presets), timed and printed on their own: a process
pays them once, not per run.

On a shared machine the side-by-side difference is within the noise (a few per cent either
way), so the tracker's own costs are also measured one by one and added up: the fixed cost of
``start()`` + ``stop()``, the extra CPU time of a step counted under ``FlopCounterMode`` (median
of counted minus uncounted steps in one tracked run), and the cost of the step hook on an
uncounted step. Their sum over the loop is the accounted overhead, printed for this loop and for
a long run (where one step in 1000 is counted).

Agreement checks: the tracked runs end at the same loss, bit for bit, as the untracked one (the
tracker changes nothing in the training), and the FLOP counted equal the hand count.
Writing the run to the store happens after training and is timed on its own.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import logging
import statistics
import time
import warnings
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import torch

import dlcost
from dlcost.exceptions import ApproximationWarning

BATCH, SIZES = 128, (512, 1024, 1024, 10)


def hand_count_per_step() -> int:
    """2 FLOP per multiply-add: forward, weight gradients, input gradients of layers 2 and 3."""
    layers = list(itertools.pairwise(SIZES))
    forward = sum(2 * BATCH * i * o for i, o in layers)
    input_grads = sum(2 * BATCH * i * o for i, o in layers[1:])
    return forward + forward + input_grads


def train(steps: int, context: Callable[[], AbstractContextManager[Any]]
          ) -> tuple[float, float, float]:
    """CPU seconds and wall seconds of the whole tracked block, and the final loss."""
    torch.manual_seed(0)
    layers: list[torch.nn.Module] = []
    for i, o in itertools.pairwise(SIZES):
        layers += [torch.nn.Linear(i, o), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x, y = torch.randn(BATCH, SIZES[0]), torch.randint(0, SIZES[-1], (BATCH,))
    cpu, wall = time.process_time(), time.perf_counter()
    with context():
        for _ in range(steps):
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
    return time.process_time() - cpu, time.perf_counter() - wall, float(loss.detach())


def accounted(steps: int) -> dict[str, float]:
    """The tracker's own CPU costs, measured one by one (see the module docstring)."""
    from dlcost.track import FlopSampler

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(512, 1024), torch.nn.ReLU(),
                                torch.nn.Linear(1024, 1024), torch.nn.ReLU(),
                                torch.nn.Linear(1024, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x, y = torch.randn(BATCH, SIZES[0]), torch.randint(0, SIZES[-1], (BATCH,))
    per_step: list[float] = []
    run = dlcost.track(model="bench", store=False, energy="tdp", sample_every=None)
    cpu = time.process_time()
    run.start()
    fixed = time.process_time() - cpu
    for _ in range(30):
        t = time.process_time()
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
        per_step.append(time.process_time() - t)
    cpu = time.process_time()
    run.stop()
    fixed += time.process_time() - cpu
    counted = [per_step[i - 1] for i in run.record.flop["inputs"]["sampled_steps"]]
    plain = [t for i, t in enumerate(per_step, start=1)
             if i not in run.record.flop["inputs"]["sampled_steps"] and i > 1]
    extra = max(statistics.median(counted) - statistics.median(plain), 0.0)
    sampler = FlopSampler(count=False)
    n = 100_000
    cpu = time.process_time()
    for _ in range(n):
        sampler._on_optimizer_step()
    hook = (time.process_time() - cpu) / n
    step = statistics.median(plain)
    loop = steps * step
    return {"fixed": fixed, "extra": extra, "hook": hook, "step": step,
            "overhead": (fixed + 3 * extra + steps * hook) / loop,
            "long_run": (extra / 1000 + hook) / step}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--reps", type=int, default=4)
    args = parser.parse_args()
    torch.set_num_threads(1)
    logging.getLogger("dlcost.track").setLevel(logging.ERROR)
    warnings.simplefilter("ignore", ApproximationWarning)
    trackers: dict[str, Any] = {}

    def dlcost_tracker(energy: str) -> Callable[[], AbstractContextManager[Any]]:
        def make() -> AbstractContextManager[Any]:
            run = dlcost.track(model="bench", store=False, energy=energy)
            trackers[energy] = run
            return run
        return make

    variants: dict[str, Callable[[], AbstractContextManager[Any]]] = {
        "dlcost": dlcost_tracker("tdp"),
    }
    if importlib.util.find_spec("codecarbon"):
        from codecarbon import OfflineEmissionsTracker

        logging.getLogger("codecarbon").setLevel(logging.ERROR)
        variants["codecarbon"] = lambda: OfflineEmissionsTracker(
            country_iso_code="USA", save_to_file=False, log_level="error")
        variants["dlcost + codecarbon"] = dlcost_tracker("codecarbon")
    else:
        print("CodeCarbon is not installed: its overhead is not measured "
              "(pip install 'dlcost[codecarbon]')")

    train(20, nullcontext)  # warm up the allocator and the kernels
    cpu0, wall0 = time.process_time(), time.perf_counter()
    train(5, dlcost_tracker("tdp"))  # one-off imports of a process's first tracker
    first = (time.process_time() - cpu0, time.perf_counter() - wall0)
    cpu: dict[str, list[float]] = {"untracked": [], **{k: [] for k in variants}}
    wall: dict[str, list[float]] = {k: [] for k in cpu}
    losses: dict[str, set[float]] = {k: set() for k in cpu}
    for rep in range(args.reps):
        order = ["untracked", *variants] if rep % 2 == 0 else [*variants, "untracked"]
        for name in order:
            c, w, loss = train(args.steps, variants.get(name, nullcontext))
            cpu[name].append(c)
            wall[name].append(w)
            losses[name].add(loss)

    base, base_wall = statistics.median(cpu["untracked"]), statistics.median(wall["untracked"])
    print(f"{args.steps} steps of a {'→'.join(map(str, SIZES))} MLP (batch {BATCH}, 1 thread), "
          f"{args.reps} repetitions; untracked median {base:.3f} CPU s "
          f"({1000 * base / args.steps:.2f} ms/step), {base_wall:.3f} wall s")
    print(f"  first tracker of the process (5 steps, one-off imports): {first[0]:.3f} CPU s, "
          f"{first[1]:.3f} wall s")
    for name in variants:
        med, med_wall = statistics.median(cpu[name]), statistics.median(wall[name])
        print(f"  {name:<20} median {med:.3f} CPU s, overhead {100 * (med / base - 1):+.2f} % "
              f"(range {min(cpu[name]):.3f}–{max(cpu[name]):.3f}); wall {med_wall:.3f} s, "
              f"{100 * (med_wall / base_wall - 1):+.2f} %")
    acc = accounted(args.steps)
    print(f"accounted dlcost overhead: start+stop {acc['fixed']:.4f} CPU s, a counted step "
          f"+{1000 * acc['extra']:.2f} ms, the step hook {1e6 * acc['hook']:.2f} µs per step, "
          f"a plain step {1000 * acc['step']:.2f} ms → {100 * acc['overhead']:.3f} % of this "
          f"loop; {100 * acc['long_run']:.4f} % of a long run (1 step in 1000 counted)")
    same = all(losses[name] == losses["untracked"] for name in variants)
    print(f"same final loss tracked and untracked: {same} ({sorted(losses['untracked'])})")
    record = trackers["tdp"].record
    expected = hand_count_per_step() * args.steps
    print(f"FLOP counted {record.flop['total']:.6e} vs hand count {expected:.6e} "
          f"(ratio {record.flop['total'] / expected:.12f}); counted steps "
          f"{record.flop['inputs']['sampled_steps']}")
    start = time.perf_counter()
    dlcost.track.store_run(record, db_path=":memory:")
    print(f"writing the run to a store (once, after training): {time.perf_counter() - start:.3f} s")
    if not same or abs(record.flop["total"] / expected - 1) > 1e-12:
        raise SystemExit("agreement check failed")


if __name__ == "__main__":
    main()
