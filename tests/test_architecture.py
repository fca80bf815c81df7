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
    assert "glassnet.engine.learner" in graph["glassnet.protocol"]


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_in_glassnet():
    assert _cycles(_graph()) == []


# The layers, lowest first: a module imports only from its own layer and those below.
#   engine -> protocol and glass-box tools -> front doors -> files and export -> command line and playground
# (helpers shared by all: the registry, JSON numbers, warnings' stack level, typing, text, atomic writes,
#  the HTML pictures notebooks show)
LAYERS = (
    ("helpers", ("glassnet._registry", "glassnet._json", "glassnet._stack", "glassnet._typing", "glassnet._format",
                 "glassnet._atomic", "glassnet._docstring", "glassnet._html")),
    ("engine", ("glassnet.engine",)),
    ("protocol and tools", ("glassnet.protocol", "glassnet.parameters", "glassnet.glassbox", "glassnet.plot",
                            "glassnet.evaluation", "glassnet.progress", "glassnet.preprocessing")),
    ("front doors", ("glassnet.article", "glassnet._article_protocol", "glassnet.article_parameters",
                     "glassnet.estimators", "glassnet.tabular", "glassnet.datasets")),
    ("files and export", ("glassnet.persistence", "glassnet.export")),
    ("shells", ("glassnet.cli", "glassnet.playground", "glassnet.__main__", "glassnet.notebook", "glassnet")),
)


def _layer(module: str) -> int:
    for index, (_, prefixes) in enumerate(LAYERS):
        if any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes):
            return index
    raise AssertionError(f"{module} is in no layer of tests/test_architecture.py: place it")


def test_every_module_has_a_layer():
    for module in _modules():
        _layer(module)


def test_no_module_imports_a_higher_layer():
    offending = sorted(
        f"{module} ({LAYERS[_layer(module)][0]}) imports {target} ({LAYERS[_layer(target)][0]})"
        for module, targets in _graph().items()
        for target in targets if _layer(target) > _layer(module)
    )
    assert offending == []


def test_the_layer_check_sees_a_violation():
    # the engine importing a front door would be caught
    assert _layer("glassnet.article") > _layer("glassnet.engine.learner")
    assert _layer("glassnet.cli.train") > _layer("glassnet.export.models") > _layer("glassnet.estimators._base")


# the front doors, which register their kinds themselves: nothing imports them by a name in a string
FRONT_DOORS = ("glassnet.article", "glassnet.estimators", "glassnet.tabular", "glassnet.playground",
               "glassnet.persistence", "glassnet.export", "glassnet.cli")


def _docstrings(tree) -> set[int]:
    """The ids of the string nodes that are docstrings."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _named_front_doors(path: Path) -> list[str]:
    """String constants in ``path`` (docstrings aside) naming a front door's module: ``glassnet.article``,
    ``.article``, ``glassnet.tabular.model``..."""
    tree = ast.parse(path.read_text())
    skip = _docstrings(tree)
    # a logger's name is not an import
    skip |= {id(node.args[0]) for node in ast.walk(tree) if isinstance(node, ast.Call) and node.args
             and getattr(node.func, "attr", getattr(node.func, "id", None)) == "getLogger"}
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value.strip()
            dotted = "glassnet" + text if text.startswith(".") else text
            if " " not in text and any(dotted == door or dotted.startswith(door + ".") for door in FRONT_DOORS):
                names.append(text)
    return names


def test_no_front_door_is_imported_by_a_name_in_a_string():
    # the package's own lazy public names (PEP 562) are the one exception: they map names to modules
    found = {str(path.relative_to(SRC)): names for path in PACKAGE.rglob("*.py")
             if path != PACKAGE / "__init__.py" and (names := _named_front_doors(path))}
    assert found == {}


def test_the_string_check_sees_an_import_by_name(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('"""Mentions glassnet.article in a docstring."""\nKINDS = {"x": ("glassnet.estimators", "C")}\n')
    assert _named_front_doors(sample) == ["glassnet.estimators"]


def test_one_module_dispatches_on_model_kinds():
    """Only glassnet.protocol keeps the table of kinds; the tools ask it, not isinstance."""
    from glassnet import protocol

    assert hasattr(protocol, "adapt") and hasattr(protocol, "KINDS")
    tools = [path for prefix in ("glassbox", "plot", "export", "persistence")
             for path in (PACKAGE / prefix).rglob("*.py")]
    asking = {str(path.relative_to(SRC)) for path in tools
              if any(name in path.read_text() for name in ("isinstance(model, Pipeline)", "hasattr(model, \"_X\")",
                                                           "is_classifier(model)", "hasattr(model, \"predict_proba\")",
                                                           "hasattr(model, \"labels\")"))}
    assert asking == set()


def test_the_command_line_offers_every_registered_name():
    from cli_helpers import glassnet

    from glassnet.engine.activations import hidden_activations
    from glassnet.engine.solvers import SOLVERS

    shown = glassnet("train", "--help", env={"COLUMNS": "400"}).stdout
    assert "--activation {" + ",".join(hidden_activations()) + "}" in shown
    assert "--solver {" + ",".join(SOLVERS.names()) + "}" in shown
    assert len(hidden_activations()) == 8


@pytest.mark.parametrize("name", ["NeuralNetwork", "Network"])
def test_the_article_class_and_the_engine_load_no_heavy_library(name):
    """``import glassnet; glassnet.NeuralNetwork`` is the engine and the article's class: no scikit-learn,
    pandas, matplotlib, scipy.optimize or notebook library (they load when a tool that needs them is used)."""
    import subprocess
    import sys

    code = (f"import glassnet, sys; glassnet.{name}; print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('sklearn', 'pandas', 'matplotlib', 'joblib', 'anywidget', 'ipywidgets', 'IPython') "
            "or m == 'scipy.optimize'))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"
    # and the article's class still trains, evaluates and traces without them
    code = ("import glassnet, sys; d = glassnet.load_tutorial(); nn = glassnet.NeuralNetwork(seed=0)"
            ".train(d.X_train / 10, d.y_train, 5); nn.trace(d.X_train[0] / 10, d.y_train[0], verbose=False); "
            "print('sklearn' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
