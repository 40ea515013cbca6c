"""Build the snapshots dlcost ships (``src/dlcost/data/snapshots``) from the raw public files.

Usage: ``python scripts/build_snapshots.py [RAW_ROOT] [--only NAME ...] [--out DIR]``.
RAW_ROOT defaults to ``$DLCOST_SHARED_DATA`` (the shared/data/raw folder). Every snapshot is
made by dlcost's own importer of its format (``dlcost.store.snapshots.SPECS``), so it holds
exactly what ``dlcost data import`` would store; the output is deterministic, and
``tests/store/test_snapshots.py`` rebuilds it and compares it with what ships.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dlcost.store import snapshots  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("raw_root", nargs="?", default=os.environ.get("DLCOST_SHARED_DATA"),
                    help="the shared/data/raw folder (default: $DLCOST_SHARED_DATA)")
    ap.add_argument("--only", nargs="+", metavar="NAME",
                    help=f"snapshots to rebuild ({', '.join(s.name for s in snapshots.SPECS)})")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "dlcost" / "data" / "snapshots",
                    help="output folder (default: the package's data/snapshots)")
    args = ap.parse_args(argv)
    if not args.raw_root:
        ap.error("give RAW_ROOT or set DLCOST_SHARED_DATA")
    manifest = snapshots.build(Path(args.raw_root), args.out, names=args.only)
    for name, entry in manifest["snapshots"].items():
        rows = ", ".join(f"{t} {i['rows']}" for t, i in entry["tables"].items())
        print(f"{name:<16} {entry['date']} ({entry['date_kind']}), {entry['licence']}: {rows}")
    print(f"package data: {snapshots.package_bytes(args.out) / 1e6:.2f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
