"""The layers import downwards only: a pure core, the calls made during `pulumi up`, the
Pulumi components, then the tools around them. A cycle or an upward import fails here."""

from __future__ import annotations

import ast

import pytest

from tools.repo import REPO

# package -> top-level names it must not import
FORBIDDEN = {
    "sandboxing": {"pulumi", "pulumi_azure_native", "pulumi_kubernetes", "components", "cloud",
                   "tools", "policy", "benchmarks", "stack_settings"},
    "cloud": {"pulumi", "components", "tools", "policy", "benchmarks", "stack_settings"},
    "components": {"tools", "policy", "benchmarks"},
    "policy": {"components", "tools", "cloud", "benchmarks"},
}  # fmt: skip


def imported_roots(path: str) -> set[str]:
    tree = ast.parse((REPO / path).read_text(), path)
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_upward_imports(package: str) -> None:
    modules = sorted(str(p.relative_to(REPO)) for p in (REPO / package).rglob("*.py"))
    assert modules, package
    upward = {m: sorted(imported_roots(m) & FORBIDDEN[package]) for m in modules}
    assert {m: found for m, found in upward.items() if found} == {}
