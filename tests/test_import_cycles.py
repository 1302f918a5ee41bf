"""No import cycles between the modules of src/eventcoder, counting imports inside functions."""
from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "eventcoder"


def _module_name(path: Path) -> str:
    parts = ["eventcoder", *path.relative_to(SRC).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in SRC.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[:len(anchor) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            for target in targets:
                if target in modules and target != name:
                    graph[name].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_checker_sees_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


# Cycles being removed on another branch (geo/ is not changed here); delete the entry once merged.
KNOWN = {("eventcoder.geo.resolve", "eventcoder.geo.gazetteer")}


def _without_parent_packages(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    # importing a name from one's own parent package (``from . import x``) is not a dependency on
    # the package's other modules
    return {n: {t for t in ts if not n.startswith(t + ".")} for n, ts in graph.items()}


def test_no_import_cycles_in_the_package():
    graph = _without_parent_packages(import_graph())
    for module, target in KNOWN:
        graph.get(module, set()).discard(target)
    cycle = find_cycle(graph)
    assert cycle is None, " -> ".join(cycle)
