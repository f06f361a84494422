"""The layers import downwards only: a pure core, the calls made during `pulumi up`, the
Pulumi components, then the tools around them. A cycle or an upward import fails here."""

from __future__ import annotations

import ast
import functools

import pytest

from tools.repo import REPO, repo_files

# package -> top-level names it must not import
FORBIDDEN = {
    "sandboxing": {
        "pulumi",
        "pulumi_azure_native",
        "pulumi_kubernetes",
        "components",
        "cloud",
        "tools",
        "policy",
        "benchmarks",
        "stack_settings",
        "stack_args",
    },
    "cloud": {
        "pulumi",
        "components",
        "tools",
        "policy",
        "benchmarks",
        "stack_settings",
        "stack_args",
    },
    "components": {"tools", "policy", "benchmarks", "stack_settings", "stack_args"},
    "policy": {"components", "tools", "cloud", "benchmarks"},
}


@functools.cache
def imported_names(path: str) -> frozenset[str]:
    """Every absolute import in `path`, at the top or inside a function: `a.b` for `import a.b`,
    `a.b` and `a.b.c` for `from a.b import c`. Parsed once for both tests."""
    tree = ast.parse((REPO / path).read_text(), path)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return frozenset(names)


def imported_roots(path: str) -> set[str]:
    return {name.split(".")[0] for name in imported_names(path)}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_upward_imports(package: str) -> None:
    modules = [str(p.relative_to(REPO)) for p in repo_files("*.py", REPO / package)]
    assert modules, package
    upward = {m: sorted(imported_roots(m) & FORBIDDEN[package]) for m in modules}
    assert {m: found for m, found in upward.items() if found} == {}


def module_name(path: str) -> str:
    return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def imported_modules(path: str, known: set[str]) -> set[str]:
    """The repository's own modules `path` imports, at the top or inside a function."""
    return set(imported_names(path) & known)


def test_no_import_cycles() -> None:
    paths = [
        str(p.relative_to(REPO))
        for package in [*FORBIDDEN, "tools"]
        for p in repo_files("*.py", REPO / package)
    ]
    known = {module_name(path): path for path in paths}
    graph = {name: imported_modules(path, set(known)) - {name} for name, path in known.items()}
    cycles = []
    for start in graph:
        todo, seen = list(graph[start]), set()
        while todo:
            current = todo.pop()
            if current == start:
                cycles.append(start)
                break
            if current not in seen:
                seen.add(current)
                todo.extend(graph.get(current, ()))
    assert cycles == []
