"""The sandbox's imports flow one way, and every one of them is at the top of its module.

Layers, lowest first; a module imports only its own layer or lower ones:

  base       zerostack_sandbox/{__init__,clock,scenario,lifecycle,stats,training_status}.py
  patches    zerostack_sandbox/patches/: moto's behaviour, changed; offers hooks, knows nothing above
  validation zerostack_sandbox/validation/: requests held to AWS's models (botocore), beside patches
  rehearsal  zerostack_sandbox/rehearsal/: registers into the patches' hooks (rehearsal.install())
  server     control, persistence, server, __main__: the HTTP surface and the process

Within a layer there are no cycles either, and no import hides inside a function to dodge one:
the allow-list below names each function-level import that stays, and why.

Reads the source with `ast` only; no module is imported, so no server is needed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[2] / "sandbox" / "zerostack_sandbox"
PACKAGE = "zerostack_sandbox"

LAYERS = {"base": 0, "patches": 1, "validation": 1, "rehearsal": 2, "server": 3}
BASE = {"zerostack_sandbox", "clock", "scenario", "lifecycle", "stats", "training_status"}
SERVER = {"control", "faults", "persistence", "server", "__main__"}

# (module, imported module) -> why the import stays inside its function
FUNCTION_LEVEL_ALLOWED = {
    ("zerostack_sandbox.__main__", "zerostack_sandbox.server"): (
        "the server brings moto and werkzeug (about a second): `--help` and a bad argument answer "
        "without them, and they load after the AWS_* defaults that __main__ sets"
    ),
}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module of this package
    line: int
    in_function: str | None  # the enclosing function's name, None at module level


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 2 and parts[1] in ("patches", "rehearsal", "validation"):
        return parts[1]
    name = parts[-1] if len(parts) > 1 else module
    if name in ("patches", "rehearsal", "validation"):
        return name
    if name in BASE:
        return "base"
    if name in SERVER:
        return "server"
    raise AssertionError(f"{module}: add it to a layer in {Path(__file__).name}")


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE_DIR.rglob("*.py"))}


class ImportVisitor(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool, known: set[str]) -> None:
        self.module, self.known = module, known
        self.package = module if is_package else module.rpartition(".")[0]
        self.functions: list[str] = []
        self.found: list[Import] = []

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    def _add(self, target: str, node: ast.stmt) -> None:
        function = self.functions[-1] if self.functions else None
        self.found.append(Import(self.module, target, node.lineno, function))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.package.split(".")
            base = base[: len(base) - (node.level - 1)]
            origin = ".".join(base + ([node.module] if node.module else []))
        else:
            origin = node.module or ""
        if origin not in self.known:  # another package's module: the module itself is the import
            self._add(origin, node)
            return
        for alias in node.names:
            submodule = f"{origin}.{alias.name}"
            self._add(submodule if submodule in self.known else origin, node)


def imports() -> list[Import]:
    known = modules()
    found: list[Import] = []
    for module, path in known.items():
        visitor = ImportVisitor(module, path.name == "__init__.py", set(known))
        visitor.visit(ast.parse(path.read_text(), filename=str(path)))
        found += visitor.found
    return found


def where(edge: Import) -> str:
    return f"{edge.source}:{edge.line} imports {edge.target}"


def cycles(edges: list[Import]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), or a module importing itself."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
        graph.setdefault(edge.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph[node]):
            if successor not in index:
                connect(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def internal(edges: list[Import]) -> list[Import]:
    known = set(modules())
    return [edge for edge in edges if edge.target in known]


def test_every_module_has_a_layer() -> None:
    for module in modules():
        layer(module)


def test_patches_know_nothing_of_rehearsal() -> None:
    upward = [
        where(edge)
        for edge in internal(imports())
        if layer(edge.source) == "patches" and layer(edge.target) == "rehearsal"
    ]
    assert upward == [], "patches/ offers hooks; rehearsal/ registers into them:\n" + "\n".join(upward)


def test_no_module_imports_a_higher_layer() -> None:
    upward = [
        f"{where(edge)} ({layer(edge.source)} -> {layer(edge.target)})"
        for edge in internal(imports())
        if LAYERS[layer(edge.target)] > LAYERS[layer(edge.source)]
    ]
    assert upward == [], "\n".join(upward)


def test_no_import_cycles() -> None:
    assert cycles(internal(imports())) == []


def test_imports_are_at_module_level() -> None:
    hidden = [
        f"{where(edge)} inside {edge.in_function}()"
        for edge in imports()
        if edge.in_function is not None and (edge.source, edge.target) not in FUNCTION_LEVEL_ALLOWED
    ]
    assert hidden == [], "move these to the top of the module (or allow-list one with a reason):\n" + "\n".join(hidden)


def test_allow_list_is_current() -> None:
    present = {(edge.source, edge.target) for edge in imports() if edge.in_function is not None}
    stale = sorted(set(FUNCTION_LEVEL_ALLOWED) - present)
    assert stale == [], f"allowed but no longer there, drop them: {stale}"


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ([("a", "b"), ("b", "a")], [["a", "b"]]),
        ([("a", "b"), ("b", "c")], []),
        ([("a", "a")], [["a"]]),
    ],
)
def test_cycle_finder(edges: list[tuple[str, str]], expected: list[list[str]]) -> None:
    assert cycles([Import(source, target, 1, None) for source, target in edges]) == expected
