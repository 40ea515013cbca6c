"""Every console and code block of README.md and docs/*.md runs, on a fresh store.

Console blocks run their ``$ dlcost …`` lines in order through the real command line, each block
in its own empty store; a line of expected output under a command must appear in what it
printed. A few things a test cannot do as written are rewritten, each for a stated reason
(:data:`REWRITES`): ``data fetch`` downloads, so it imports the same dataset from the shared
folder instead; paths written for the reader point at the shared folder; the report is written
to a temporary folder and not opened in a browser; the paper-scale runs (``--full``, a
simulation without ``--reps``) run at a reduced scale. Python blocks run as written, in a
temporary folder, after importing what their ``<!-- doc-test needs: … -->`` marker names;
``>>>`` blocks run as doctests. Install steps (``pip install``, ``bash scripts/test.sh``) are
what CI itself runs and are not repeated here.
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dlcost.cli.main import app

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

#: ``dlcost data fetch NAME`` → the same dataset imported from the shared folder.
FETCHED = {
    "futuretech": ("futuretech", "futuretech_2022"),
    "epoch": ("epoch", "epoch_ai_models"),
    "pwc": ("pwc", "pwc_2020/evaluation-tables_2020-08-28.json.gz"),
}

#: Why each rewrite is needed (the test checks every rewritten option exists).
REWRITES = {
    "data fetch": "downloads from the internet; the test imports the shared copy instead",
    "--open": "opens a browser",
    "--full": "the paper-scale simulation takes minutes; the reduced one runs instead",
    "simulate without --reps": "the paper's 1,000 repetitions take minutes; 20 run instead",
    "repetitions above 20": "the same code at 20 repetitions (--reps N, reps=N in Python)",
    "train.py": "stands for the reader's own script; a tiny PyTorch training script runs instead, "
                "under the Python that runs the tests",
    "RUN": "stands for a run id; the latest run is named instead",
}

#: The training script ``train.py`` stands for in the examples: a few real SGD steps on CPU.
TRAIN_PY = """\
import torch

model = torch.nn.Sequential(torch.nn.Linear(32, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x, y = torch.randn(16, 32), torch.randint(0, 10, (16,))
for _ in range(8):
    opt.zero_grad()
    torch.nn.functional.cross_entropy(model(x), y).backward()
    opt.step()
"""

#: Most simulation repetitions a documented example runs with here (see :data:`REWRITES`).
MAX_REPS = 20

BLOCK = re.compile(r"(?:<!-- doc-test needs: ([a-z -]+) -->\n)?```(\w*)\n(.*?)```", re.S)


def blocks(kind: str) -> Iterator[tuple[str, int, str, list[str]]]:
    for path in DOCS:
        for i, m in enumerate(BLOCK.finditer(path.read_text())):
            if m.group(2) == kind:
                yield path.name, i, m.group(3), (m.group(1) or "").split()


def _ids(kind: str) -> list[str]:
    return [f"{name}-{i}" for name, i, _, _ in blocks(kind)]


def _commands(text: str, kind: str) -> list[tuple[list[str], list[str]]]:
    """(argv after ``dlcost``, expected output lines) for each command of a block."""
    out: list[tuple[list[str], list[str]]] = []
    for line in text.splitlines():
        stripped = line.strip()
        command = stripped[2:] if kind == "console" and stripped.startswith("$ ") else (
            stripped if kind == "bash" else None)
        if command is not None and command.startswith("dlcost "):
            out.append((shlex.split(command, comments=True)[1:], []))
        elif kind == "console" and stripped and out:
            out[-1][1].append(stripped)
    return out


def _rewrite(argv: list[str], shared: Path, tmp: Path) -> list[str]:
    if argv[:2] == ["data", "fetch"]:
        fmt, rel = FETCHED[argv[2]]
        return ["data", "import", fmt, str(shared / rel)]
    argv = [a for a in argv if a not in ("--open", "--full")]
    argv = [str(shared / a.split("/", 2)[-1]) if a.startswith("path/to/") else a for a in argv]
    argv = [str(shared) if a.rstrip("/").endswith("shared/data/raw") else a for a in argv]
    if argv[0] == "track" and "train.py" in argv:
        script = tmp / "train.py"
        script.write_text(TRAIN_PY)
        argv = [str(script) if a == "train.py" else sys.executable if a == "python" else a
                for a in argv]
        argv = argv[:argv.index(str(script)) + 1]  # the script's own options are the reader's
    if argv[:2] == ["runs", "delete"]:
        argv = [*argv[:2], "latest" if argv[2] == "RUN" else argv[2]]
    if argv[0] == "report" and "--out" not in argv:
        argv += ["--out", str(tmp / "report")]
    if argv[0] == "simulate":
        argv = [str(tmp / "results") if a == "results/" else a for a in argv]
        if "--reps" not in argv:
            argv += ["--reps", str(MAX_REPS)]
        at = argv.index("--reps") + 1
        argv[at] = str(min(int(argv[at]), MAX_REPS))
    return argv


def test_rewritten_options_exist() -> None:
    runner = CliRunner()
    report = runner.invoke(app, ["report", "--help"], env={"COLUMNS": "200"}).stdout
    assert "--open" in report and "--full" in report
    assert "--reps" in runner.invoke(app, ["simulate", "--help"], env={"COLUMNS": "200"}).stdout
    assert set(REWRITES) == {"data fetch", "--open", "--full", "simulate without --reps",
                             "repetitions above 20", "train.py", "RUN"}


COMMAND_BLOCKS = [b for kind in ("console", "bash") for b in blocks(kind)
                  if _commands(b[2], kind)]


@pytest.mark.parametrize(("name", "index", "text", "needs"), COMMAND_BLOCKS,
                         ids=[f"{b[0]}-{b[1]}" for b in COMMAND_BLOCKS])
def test_command_blocks_run(name: str, index: int, text: str, needs: list[str],
                            shared_data: Path, tmp_path: Path,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    kind = "console" if "$ dlcost" in text else "bash"
    runner = CliRunner()
    monkeypatch.setenv("DLCOST_DB", str(tmp_path / "store.duckdb"))
    monkeypatch.chdir(tmp_path)  # files the examples write (fit.png, …) land in the test's folder
    for argv, expected in _commands(text, kind):
        result = runner.invoke(app, _rewrite(argv, shared_data, tmp_path))
        assert result.exit_code == 0, f"{name}: dlcost {' '.join(argv)}: {result.stderr}"
        for line in expected:
            assert line in result.stdout, f"{name}: {line!r} not printed by {argv}"


def test_every_command_block_is_collected() -> None:
    names = {b[0] for b in COMMAND_BLOCKS}
    assert {"README.md", "analysis.md", "report.md", "simulation.md"} <= names
    assert sum(len(_commands(b[2], "console" if "$ dlcost" in b[2] else "bash"))
               for b in COMMAND_BLOCKS) >= 20


@pytest.mark.parametrize(("name", "index", "text", "needs"), list(blocks("python")),
                         ids=_ids("python"))
def test_python_blocks_run(name: str, index: int, text: str, needs: list[str],
                           shared_data: Path, tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    import warnings

    from dlcost.exceptions import ExtrapolationWarning

    monkeypatch.setenv("DLCOST_DB", str(tmp_path / "store.duckdb"))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for source in needs:
        fmt, rel = FETCHED[source]
        result = runner.invoke(app, ["data", "import", fmt, str(shared_data / rel)])
        assert result.exit_code == 0, result.stderr
    if text.lstrip().startswith(">>>"):
        test = doctest.DocTestParser().get_doctest(text, {}, f"{name}-{index}", name, 0)
        runner_ = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        runner_.run(test)
        assert runner_.summarize(verbose=False).failed == 0
        return
    code = text.replace("shared/data/raw", str(shared_data))
    code = re.sub(r"reps=(\d+)", lambda m: f"reps={min(int(m.group(1)), MAX_REPS)}", code)
    os.makedirs(tmp_path / "results", exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExtrapolationWarning)  # said by design, tested elsewhere
        exec(compile(code, f"{name} block {index}", "exec"), {})


def test_readme_gpt3_figure_is_what_the_code_prints() -> None:
    from dlcost.projection import Patterson2021
    from dlcost.units import SECONDS_PER_DAY

    run = Patterson2021().run(10_000, 14.8 * SECONDS_PER_DAY)
    figure = f"{run['mwh']:,.0f} MWh, {run['co2_t']:.0f} t"
    assert figure in (ROOT / "README.md").read_text()
