"""The package's shape: no import cycles between its modules, and a small public API."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "eventcoder"


def _module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = ["eventcoder", *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the package modules it imports, counting imports inside functions too."""
    paths = {_module_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in paths}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in paths else base for a in node.names]
            for target in targets:
                while target and target not in paths:  # "eventcoder.geo.resolve.Place" -> its module
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_cycle_finder_finds_a_cycle_and_nothing_else():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_graph_reads_imports_inside_functions(tmp_path):
    pkg = tmp_path / "eventcoder"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "a.py").write_text("def f():\n    from .b import g\n")
    (pkg / "sub" / "b.py").write_text("from ..sub import a\n")
    graph = import_graph(pkg)
    assert graph["eventcoder.sub.a"] == {"eventcoder.sub.b"}
    assert cycles(graph) == [["eventcoder.sub.a", "eventcoder.sub.b"]]


def test_no_import_cycles():
    found = cycles(import_graph())
    assert not found, "import cycles: " + "; ".join(" <-> ".join(group) for group in found)


def test_public_api_is_two_functions():
    import eventcoder

    assert callable(eventcoder.extract) and callable(eventcoder.extract_many)
    import eventcoder.extract.numbers  # noqa: F401  (the stages' package does not take the name)

    assert callable(eventcoder.extract)


def test_public_api_codes_a_report():
    import eventcoder

    events = eventcoder.extract("Gunmen shot dead two farmers in Kaduna on Monday, police said.",
                                published="2024-05-08")
    assert events and events[0].event_date == "2024-05-06" and events[0].fatalities == 2
    many = list(eventcoder.extract_many([{"id": "a", "text": "Gunmen shot dead two farmers in Kaduna on "
                                          "Monday, police said.", "published": "2024-05-08"}]))
    assert [e.article_id for e in many] == ["a"]
    with pytest.raises(TypeError):
        list(eventcoder.extract_many([42]))
