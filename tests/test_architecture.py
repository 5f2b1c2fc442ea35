"""The house rules of the package layout, checked on the source: small modules, no private
names across modules, no import cycles, shared patterns written once."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "policy_nlp"
MAX_LINES = 600
# the optional Dask engine is imported lazily by engines.py and imports it back
ALLOWED_CYCLES = {frozenset({"policy_nlp.batch.engines", "policy_nlp.batch.dask_engine"})}


def _modules() -> dict[str, Path]:
    out = {}
    for f in PACKAGE.rglob("*.py"):
        name = ".".join(("policy_nlp", *f.relative_to(PACKAGE).with_suffix("").parts))
        out[name.removesuffix(".__init__")] = f
    return out


MODULES = _modules()


def _imports(name: str) -> list[tuple[str, str]]:
    """(module, imported name) of every ``from policy_nlp… import`` in a module."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    return [
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("policy_nlp")
        for alias in node.names
    ]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_is_small_enough_to_read(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name}: {lines} lines"


def test_no_module_imports_private_names_of_another():
    leaks = [
        (name, module, imported)
        for name in MODULES
        for module, imported in _imports(name)
        if imported.startswith("_") and not imported.startswith("__") and module != name
    ]
    assert not leaks


def test_no_import_cycles():
    graph = {
        name: {f"{m}.{i}" if f"{m}.{i}" in MODULES else m for m, i in _imports(name)}
        & set(MODULES) - {name}
        for name in MODULES
    }
    cycles = []

    def visit(node, path, on_path):
        for nxt in sorted(graph[node]):
            if nxt in on_path:
                cycle = path[path.index(nxt) :]
                if frozenset(cycle) not in ALLOWED_CYCLES and len(cycle) > 1:
                    cycles.append([*cycle, nxt])
            elif nxt not in done:
                on_path.add(nxt)
                visit(nxt, [*path, nxt], on_path)
                on_path.discard(nxt)
        done.add(node)

    done: set[str] = set()
    for start in sorted(MODULES):
        if start not in done:
            visit(start, [start], {start})
    assert not cycles


def test_at_least_four_sub_packages():
    packages = {p.parent for p in PACKAGE.rglob("__init__.py")} - {PACKAGE}
    assert len(packages) >= 4


@pytest.mark.parametrize(
    "fragment", [r"(?:19|20)\d\d", "十[一二三四五六]?|[一二三四五六七八九])五"]
)
def test_shared_patterns_are_written_once(fragment):
    where = [n for n, f in MODULES.items() if fragment in f.read_text(encoding="utf-8")]
    assert where == ["policy_nlp.patterns"]
