#!/usr/bin/env bash
# Install dlcost with its test dependencies into .venv, then run lint, type checks and every
# test (unit, real-data, CLI, browser). The real public datasets are read from
# $DLCOST_SHARED_DATA (default: ../shared/data/raw beside the clone).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[dev]"

# The browser test drives Debian's Chromium through Playwright (never `playwright install`).
if [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null
  else
    echo "The browser test needs /usr/bin/chromium: run 'sudo apt-get install -y chromium'." >&2
  fi
fi

export DLCOST_SHARED_DATA=${DLCOST_SHARED_DATA:-$(cd .. && pwd)/shared/data/raw}
export MPLBACKEND=Agg

.venv/bin/ruff check src tests benchmarks scripts
.venv/bin/mypy
.venv/bin/python -m pytest -n 2 --durations=15 "$@"
