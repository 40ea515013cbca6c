"""The layer contract: the package reads as the pipeline, and a lower layer never imports a higher
one. Checked from the source with ``ast`` (every import counts: module-level, inside functions
and under ``TYPE_CHECKING``), so it needs no extra tool and runs with the rest of pytest.

Three rules:

1. a module imports only from its own layer's package or from lower layers (:data:`LAYERS`);
   packages that share a layer do not import each other;
2. no ``_private`` module or name is imported from another package (promote what is shared);
3. no import cycle between modules (imports executed at import time).

The order is the one README's "Layout" section states; a test keeps the two in step.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "dlcost"
README = Path(__file__).resolve().parents[1] / "README.md"

#: Lowest first. Top-level modules and subpackages of ``dlcost``; packages listed here but not
#: written yet (a later issue adds them) take their place when they arrive. ``""`` is
#: ``dlcost/__init__.py`` (the version); ``__main__`` (``python -m dlcost``) runs the CLI.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("", "exceptions"),
    ("units", "assumptions", "benchmarks", "names", "stats", "serialize", "validation", "text",
     "parallel"),
    ("formatting",),
    ("data",),
    ("compute",),
    ("store",),
    ("fitting",),
    ("trends",),
    ("projection", "decompose", "simulation", "frontier"),
    ("backtest",),
    ("plan",),
    ("track",),
    ("plotting",),
    ("report",),
    ("cli",),
    ("__main__",),
)
RANK = {name: rank for rank, layer in enumerate(LAYERS) for name in layer}


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name, e.g. dlcost.store.db
    target: str  # dotted module imported from, e.g. dlcost.compute.estimates
    name: str | None  # the name taken from it (``from target import name``), if any
    line: int
    eager: bool  # runs when the importer is imported (module level, not TYPE_CHECKING)

    @property
    def where(self) -> str:
        path = self.importer.replace(".", "/")
        return f"{path}.py:{self.line}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _resolve(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _is_submodule(dotted: str) -> bool:
    rel = Path(*dotted.split("."))
    return (SRC / rel).with_suffix(".py").exists() or (SRC / rel / "__init__.py").exists()


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                for sub in ast.walk(child):
                    if hasattr(sub, "lineno"):
                        lines.add(sub.lineno)
    return lines


def imports_of(path: Path, source: str | None = None) -> Iterator[Import]:
    """Every ``dlcost`` import in one file (``source`` overrides the file's text in tests)."""
    importer = module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source)
    lazy = _type_checking_lines(tree)
    top_level = {id(n) for n in tree.body}
    for node in ast.walk(tree):
        eager = id(node) in top_level and node.lineno not in lazy
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "dlcost":
                    yield Import(importer, alias.name, None, node.lineno, eager)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(importer, _is_package(path), node)
            if target.split(".")[0] != "dlcost":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if _is_submodule(sub):  # ``from dlcost import stats``: the module itself
                    yield Import(importer, sub, None, node.lineno, eager)
                else:
                    yield Import(importer, target, alias.name, node.lineno, eager)


def package_of(module: str) -> str:
    """``dlcost.store.db`` → ``store``; ``dlcost`` → ``""``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def source_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def layer_violations(imports: list[Import]) -> list[str]:
    problems = []
    for imp in imports:
        src, dst = package_of(imp.importer), package_of(imp.target)
        if src == dst:
            continue
        if src not in RANK or dst not in RANK:
            unknown = src if src not in RANK else dst
            problems.append(f"{imp.where}: dlcost.{unknown} has no place in LAYERS "
                            "(add it to tests/test_layers.py and README's layout)")
        elif RANK[dst] > RANK[src]:
            problems.append(f"{imp.where}: {src or 'dlcost'} (layer {RANK[src]}) imports "
                            f"{imp.target} (layer {RANK[dst]}), a higher layer")
        elif RANK[dst] == RANK[src]:
            problems.append(f"{imp.where}: {src} imports {imp.target}, a package of the same "
                            "layer; move what both need down a layer")
    return problems


def _private(part: str) -> bool:
    return part.startswith("_") and not part.startswith("__")


def private_violations(imports: list[Import]) -> list[str]:
    problems = []
    for imp in imports:
        if package_of(imp.importer) == package_of(imp.target):
            continue
        parts = imp.target.split(".")[1:]
        if any(_private(p) for p in parts) or (imp.name and _private(imp.name)):
            what = f"{imp.target}.{imp.name}" if imp.name else imp.target
            problems.append(f"{imp.where}: imports the private {what} from another package")
    return problems


def cycles(imports: list[Import]) -> list[list[str]]:
    """Cycles among modules through imports that run at import time."""
    graph: dict[str, set[str]] = {}
    for imp in imports:
        if imp.eager and imp.target != imp.importer:
            graph.setdefault(imp.importer, set()).add(imp.target)
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            # A package's __init__ importing its own submodules is not a cycle back to it.
            if state.get(nxt) == 1 and not node.startswith(nxt + "."):
                found.append([*stack[stack.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


@pytest.fixture(scope="module")
def all_imports() -> list[Import]:
    return [imp for path in source_files() for imp in imports_of(path)]


def test_no_layer_imports_a_higher_one(all_imports: list[Import]) -> None:
    problems = layer_violations(all_imports)
    assert not problems, "\n".join(problems)


def test_no_private_name_crosses_a_package(all_imports: list[Import]) -> None:
    problems = private_violations(all_imports)
    assert not problems, "\n".join(problems)


def test_no_import_cycles(all_imports: list[Import]) -> None:
    found = cycles(all_imports)
    assert not found, "\n".join(" → ".join(c) for c in found)


def test_every_package_has_a_layer() -> None:
    present = {package_of(module_name(p)) for p in source_files()}
    assert present - set(RANK) == set()


def test_readme_states_the_same_order() -> None:
    """README's layout section spells the order out as ``a → b → …`` lowest first."""
    text = README.read_text(encoding="utf-8")
    named = (tuple(n for n in layer if n not in ("", "__main__")) for layer in LAYERS)
    stated = " → ".join("/".join(layer) for layer in named if layer)
    assert stated in text, f"README's layout section should state the order: {stated}"


# -- the checker catches what it should (a contract that cannot fail checks nothing) --------


def _imports(module: str, source: str) -> list[Import]:
    rel = Path(*module.split(".")).with_suffix(".py")
    return list(imports_of(SRC / rel, source))


def test_an_upward_import_is_caught() -> None:
    bad = _imports("dlcost.store.db", "from dlcost.report.build import build_report\n")
    assert layer_violations(bad) == [
        "dlcost/store/db.py:1: store (layer 5) imports dlcost.report.build (layer 13), "
        "a higher layer"
    ]


def test_a_lazy_upward_import_is_caught() -> None:
    bad = _imports("dlcost.fitting.models", "def f():\n    from dlcost.cli import main\n")
    assert len(layer_violations(bad)) == 1


def test_a_sibling_import_is_caught() -> None:
    bad = _imports("dlcost.decompose.trend", "from dlcost.simulation import simulate\n")
    assert "same layer" in layer_violations(bad)[0]


def test_a_private_import_is_caught() -> None:
    bad = _imports("dlcost.projection.project",
                   "from dlcost.fitting.models import _hidden\nfrom dlcost.simulation import "
                   "_engine\n")
    assert len(private_violations(bad)) == 2
    ok = _imports("dlcost.cli.data", "from dlcost.cli._common import emit_json\n")
    assert private_violations(ok) == []


def test_a_cycle_is_caught() -> None:
    edges = [Import("dlcost.a", "dlcost.b", None, 1, True),
             Import("dlcost.b", "dlcost.c", None, 1, True),
             Import("dlcost.c", "dlcost.a", None, 1, True),
             Import("dlcost.c", "dlcost.d", None, 2, False)]
    assert cycles(edges) == [["dlcost.a", "dlcost.b", "dlcost.c", "dlcost.a"]]


#: A module longer than this says why in a first-line comment ``# Over 600 lines: <reason>``.
MAX_LINES = 600


def test_long_modules_say_why() -> None:
    too_long = []
    for path in source_files():
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > MAX_LINES and not lines[0].startswith(f"# Over {MAX_LINES} lines: "):
            too_long.append(f"{path.relative_to(SRC)}: {len(lines)} lines")
    assert not too_long, "\n".join(too_long)
