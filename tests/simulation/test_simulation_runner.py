"""Scale-out and cache: same numbers for any worker count, block size or backend; resumable."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pytest

from dlcost.exceptions import DataFormatError
from dlcost.simulation import (
    BackendUnavailableError,
    SimulationSettings,
    SimulationSettingsError,
    run_directory,
    run_simulation,
)


def _same(a, b) -> None:  # type: ignore[no-untyped-def]
    np.testing.assert_array_equal(a.excess, b.excess)
    np.testing.assert_array_equal(a.flop, b.flop)
    np.testing.assert_array_equal(a.lasso_alpha, b.lasso_alpha)


def test_two_worker_processes_give_the_serial_numbers(small_settings, small_result) -> None:  # type: ignore[no-untyped-def]
    parallel = run_simulation(dataclasses.replace(small_settings, block_size=7), workers=2)
    _same(small_result, parallel)
    assert parallel.engine_flop == pytest.approx(small_result.engine_flop, rel=1e-12)


def test_interrupted_run_resumes_from_the_cache(tmp_path: Path, small_settings) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[int, int]] = []
    short = dataclasses.replace(small_settings, reps=15, block_size=4)
    run_simulation(short, workers=1, cache_dir=tmp_path, progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, 15) and seen[-1] == (15, 15)
    folder = run_directory(tmp_path, small_settings) / "reps"
    # Simulate an interruption: lose the unit holding repetitions 4–7.
    (folder / "reps-0000004-0000008.parquet").unlink()
    seen.clear()
    full = run_simulation(
        small_settings, workers=1, cache_dir=tmp_path, progress=lambda d, t: seen.append((d, t))
    )
    assert full.reps_from_cache == 11 and seen[0] == (11, 40)
    _same(full, run_simulation(small_settings, workers=1))


def test_a_damaged_cache_file_is_named(tmp_path: Path, small_settings) -> None:  # type: ignore[no-untyped-def]
    short = dataclasses.replace(small_settings, reps=4, block_size=4)
    run_simulation(short, workers=1, cache_dir=tmp_path)
    path = run_directory(tmp_path, short) / "reps" / "reps-0000000-0000004.parquet"
    path.write_bytes(b"not parquet")
    with pytest.raises(DataFormatError) as info:
        run_simulation(short, workers=1, cache_dir=tmp_path)
    assert str(path) in str(info.value) and "delete the file" in str(info.value)


def test_bad_run_options_are_refused(small_problem: dict[str, int]) -> None:
    settings = SimulationSettings(reps=2, **small_problem)
    with pytest.raises(SimulationSettingsError, match="workers must be a positive integer"):
        run_simulation(settings, workers=0)
    with pytest.raises(SimulationSettingsError, match="backend must be"):
        run_simulation(settings, backend="dask")  # type: ignore[arg-type]


def test_missing_ray_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, small_problem: dict[str, int]
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(BackendUnavailableError, match=r"pip install 'dlcost\[ray\]'"):
        run_simulation(SimulationSettings(reps=2, **small_problem), backend="ray")


@pytest.mark.slow
def test_ray_backend_gives_the_same_numbers(small_settings, small_result, local_ray,  # type: ignore[no-untyped-def]
                                            tmp_path: Path) -> None:
    """A local 2-CPU Ray instance runs the units; the numbers equal the serial run's, through
    the API and through ``dlcost simulate --backend ray`` (the one Ray test of the simulation).

    Ray starts once per session (the ``local_ray`` fixture) with explicit resources (2 CPUs,
    no GPU, a small object store) and a bounded start (``DLCOST_RAY_START_TIMEOUT``, default
    120 s); a Ray that cannot start fails this test with the reason, never a hang or a skip.
    """
    short = dataclasses.replace(small_settings, reps=12, block_size=3)
    on_ray = run_simulation(short, workers=2, backend="ray")
    np.testing.assert_array_equal(on_ray.excess, small_result.excess[:12])
    np.testing.assert_array_equal(on_ray.flop, small_result.flop[:12])
    np.testing.assert_array_equal(on_ray.lasso_alpha, small_result.lasso_alpha[:12])
    # The command line, `dlcost simulate --backend ray`, prints the serial run's numbers.
    import json

    from typer.testing import CliRunner

    from dlcost.cli import simulate
    from dlcost.cli._common import new_app

    app = new_app("test root")
    app.callback()(lambda: None)
    simulate.register(app)
    args = ["simulate", "--features", "40", "--relevant", "4", "--reps", "6", "--n-min", "8",
            "--n-max", "800", "--n-points", "6", "--json"]
    docs = {}
    for backend in (["--workers", "1"], ["--workers", "2", "--backend", "ray"]):
        out = tmp_path / backend[-1]  # a cache of its own: nothing is reused
        run = CliRunner().invoke(app, [*args, *backend, "--out", str(out)])
        assert run.exit_code == 0, run.output
        doc = json.loads(run.stdout)
        assert doc["run"]["reps_from_cache"] == 0
        docs[backend[-1]] = {key: doc[key] for key in ("models", "exponents", "crossover_n")}
    assert docs["ray"] == docs["1"]


def test_a_ray_that_does_not_start_in_time_is_one_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The start is bounded: a hanging ``ray.init`` becomes one line naming the remedy."""
    import time
    import types

    from dlcost.parallel import ray_session

    fake = types.SimpleNamespace(is_initialized=lambda: False,
                                 init=lambda **kwargs: time.sleep(30),
                                 shutdown=lambda: None)
    monkeypatch.setitem(sys.modules, "ray", fake)
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    late = r"did not start within 0\.2 s; set DLCOST_RAY_START_TIMEOUT"
    with pytest.raises(BackendUnavailableError, match=late), ray_session(2, timeout_s=0.2):
        pass  # pragma: no cover - never reached


def test_a_ray_that_fails_to_start_names_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    from dlcost.parallel import ray_session

    def init(**kwargs: object) -> None:
        assert kwargs["num_cpus"] == 2 and kwargs["num_gpus"] == 0
        raise RuntimeError("raylet died\nlong traceback")

    fake = types.SimpleNamespace(is_initialized=lambda: False, init=init, shutdown=lambda: None)
    monkeypatch.setitem(sys.modules, "ray", fake)
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    failed = r"^a local Ray instance could not start \(raylet died\); "
    with pytest.raises(BackendUnavailableError, match=failed), ray_session(2):
        pass  # pragma: no cover - never reached


def test_save_writes_the_summary_and_the_cli_json(tmp_path: Path, small_result) -> None:  # type: ignore[no-untyped-def]
    import json

    import pandas as pd

    from dlcost.serialize import dumps

    files = small_result.save(tmp_path / "run")
    assert [f.name for f in files] == ["summary.parquet", "result.json"]
    saved = (tmp_path / "run" / "result.json").read_text()
    assert saved == dumps(small_result.to_json_dict()) + "\n"
    assert json.loads(saved)["settings"]["reps"] == 40
    pd.testing.assert_frame_equal(pd.read_parquet(files[0]), small_result.to_frame())
