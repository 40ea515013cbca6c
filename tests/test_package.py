"""The built wheel carries every shipped table and template (package data)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contains_the_package_data(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    [wheel] = tmp_path.glob("dlcost-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        str(p.relative_to(ROOT / "src")) for p in (ROOT / "src" / "dlcost").rglob("*")
        if p.is_file()
        and p.suffix in {".csv", ".yaml", ".md", ".j2", ".css", ".js", ".parquet", ".json",
                         ".sha256"}
    }
    assert shipped, "no package data found in the source tree"
    assert shipped <= names, sorted(shipped - names)
    assert {"dlcost/data/accelerators.csv", "dlcost/data/builtin/imagenet.yaml",
            "dlcost/data/snapshots/manifest.json",
            "dlcost/data/snapshots/futuretech/results.parquet",
            "dlcost/store/epoch_benchmarks.sha256"} <= names
