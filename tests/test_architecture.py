"""The layout tells the truth: no import cycles, and the engine imports
nothing from the front doors or the tools built on it."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "glassnet"


def _modules() -> dict[str, Path]:
    """Dotted module name -> file, packages named without ``.__init__``."""
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(SRC).with_suffix("").parts)
        modules[name.removesuffix(".__init__")] = path
    return modules


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Every glassnet module ``name`` imports, at the top or inside a function.
    Importing a package's name counts as importing the package's own module
    only when the name is a submodule (``from . import kernels``)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(max(node.level - 1, 0)):
                base = base.rsplit(".", 1)[0]
            head = (base + ("." + node.module if node.module else "")) if node.level else (node.module or "")
            targets = [head] + [f"{head}.{alias.name}" for alias in node.names]
        found |= {target for target in targets if target in modules and target != name}
    return found


def _graph():
    modules = _modules()
    packages = {name for name, path in modules.items() if path.name == "__init__.py"}
    # a package's __init__ is a namespace that re-exports; an edge into it is
    # an edge into what it imports, which the walk follows from there
    return {name: _imports(name, path, modules) - packages for name, path in modules.items()}


def _cycles(graph) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return components


def test_the_walk_sees_real_imports():
    graph = _graph()
    assert "glassnet.engine.network" in graph["glassnet.engine.learner"]
    assert "glassnet.engine.learner" in graph["glassnet.article"]
    assert "glassnet.engine.learner" in graph["glassnet.glassbox.access"]


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_in_glassnet():
    assert _cycles(_graph()) == []


@pytest.mark.parametrize("layer, allowed", [
    # the engine stands on its own: numbers in, numbers out
    ("glassnet.engine", ("glassnet.engine", "glassnet._registry", "glassnet._json", "glassnet._stack",
                         "glassnet._typing")),
    # the glass-box tools read models; no front door depends on how they look
    ("glassnet.glassbox", ("glassnet.glassbox", "glassnet.engine", "glassnet._registry", "glassnet._json",
                           "glassnet._stack", "glassnet._format", "glassnet._typing")),
])
def test_lower_layers_never_import_higher_ones(layer, allowed):
    offending = {
        (module, target)
        for module, targets in _graph().items() if module.startswith(layer)
        for target in targets if not target.startswith(allowed)
    }
    assert offending == set()


def test_the_command_line_offers_every_registered_name():
    from cli_helpers import glassnet

    from glassnet.engine.activations import hidden_activations
    from glassnet.engine.solvers import SOLVERS

    shown = glassnet("train", "--help", env={"COLUMNS": "400"}).stdout
    assert "--activation {" + ",".join(hidden_activations()) + "}" in shown
    assert "--solver {" + ",".join(SOLVERS.names()) + "}" in shown
    assert len(hidden_activations()) == 8
