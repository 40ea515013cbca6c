"""Shared fixtures: the real public datasets, an isolated database, a seeded generator."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings

SHARED_ENV = "DLCOST_SHARED_DATA"

# CI draws the same Hypothesis examples every run, so a red build always reproduces; local and
# nightly runs (no CI variable) keep exploring new examples.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _isolated_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the user's real database: every test gets its own ``DLCOST_DB``."""
    path = tmp_path / "dlcost-test.duckdb"
    monkeypatch.setenv("DLCOST_DB", str(path))
    monkeypatch.setenv("DLCOST_CACHE_DIR", str(tmp_path / "cache"))
    return path


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``$DLCOST_SHARED_DATA`` (the ../shared/data/raw folder). In CI its absence fails."""
    value = os.environ.get(SHARED_ENV)
    if value and Path(value).is_dir():
        return Path(value)
    default = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "raw"
    if not value and default.is_dir():
        return default
    message = (
        f"the real datasets are missing: set {SHARED_ENV} to the shared/data/raw folder "
        f"(got {value!r})"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def futuretech_db(shared_data: Path):  # type: ignore[no-untyped-def]
    """An in-memory store holding the FutureTech 2022 data (read-only for tests)."""
    from dlcost.store import ResultsDB
    from dlcost.store.importers import import_path

    db = ResultsDB(":memory:", builtin=False)
    import_path(db, "futuretech", shared_data / "futuretech_2022")
    yield db
    db.close()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``global_random_seed``: 42 by default; DLCOST_ALL_SEEDS=1 runs seeds 0–99 (nightly)."""
    if "global_random_seed" in metafunc.fixturenames:
        seeds = list(range(100)) if os.environ.get("DLCOST_ALL_SEEDS") else [42]
        metafunc.parametrize("global_random_seed", seeds)


@pytest.fixture
def rng(global_random_seed: int) -> np.random.Generator:
    return np.random.default_rng(global_random_seed)


@pytest.fixture(scope="session")
def local_ray():  # type: ignore[no-untyped-def]
    """One local Ray instance (2 CPUs, bounded start) shared by every Ray test of the session.

    Ray is a dev dependency, so it must start in CI: a Ray that cannot start fails the tests
    that use it with the reason (never a skip).
    """
    from dlcost.exceptions import BackendUnavailableError
    from dlcost.parallel import ray_session

    session = ray_session(2)
    try:
        ray = session.__enter__()
    except BackendUnavailableError as exc:
        pytest.fail(f"Ray could not start on this machine: {exc}")
    yield ray
    session.__exit__(None, None, None)
