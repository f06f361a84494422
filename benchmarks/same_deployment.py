"""Same deployment? The benchmark's ratio only means something if the yardstick asks for what
the program does."""

from __future__ import annotations

from typing import Any

from tools.harness import RunResult


def _key(urn: str) -> str:
    """`type::name` of a URN; the parent chain differs on purpose (no components), so drop it."""
    parts = urn.split("::")
    return f"{parts[2].split('$')[-1]}::{parts[3]}" if len(parts) >= 4 else urn


def _shape(result: RunResult) -> dict[str, dict[str, Any]]:
    """Custom resources by `type::name`, with everything that decides what gets deployed."""
    shape = {}
    for r in result.resources:
        if not r.custom:
            continue  # the program's components are exactly what the yardstick leaves out
        provider = r.options.get("provider", "")
        shape[f"{r.type}::{r.name}"] = {
            "inputs": r.inputs,
            "read": r.read,
            "id": r.id if r.read else None,
            "provider": _key(provider.rsplit("::", 1)[0]) if provider else "",
            "dependencies": sorted(_key(d) for d in r.dependencies),
            "aliases": sorted(r.options.get("aliases") or []),
        }
    return shape


def same_deployment(program: RunResult, yard: RunResult) -> list[str]:
    """Differences between what the two runs register (empty: the comparison is fair)."""
    runs = {"program": program, "yardstick": yard}
    problems = [f"{name} run failed: {r.error}" for name, r in runs.items() if r.error]
    a, b = _shape(program), _shape(yard)
    problems += [f"only the program registers {k}" for k in sorted(a.keys() - b.keys())]
    problems += [f"only the yardstick registers {k}" for k in sorted(b.keys() - a.keys())]
    for key in sorted(a.keys() & b.keys()):
        for field, value in a[key].items():
            if b[key][field] != value:
                theirs = b[key][field]
                problems.append(f"{key}: {field}: program {value!r}, yardstick {theirs!r}")
    for name, out in yard.outputs.items():
        mine = program.outputs.get(name)
        if mine is None or (mine.value, mine.secret) != (out.value, out.secret):
            problems.append(f"stack output {name} differs")
    return problems


def _tree(result: RunResult) -> dict[str, str]:
    """Each resource's `type::name` and its parent's (the stack's: "")."""
    by_urn = {r.urn: f"{r.type}::{r.name}" for r in result.resources}
    return {f"{r.type}::{r.name}": by_urn.get(r.parent, "") for r in result.resources}


def same_tree(program: RunResult, yard: RunResult) -> list[str]:
    """Where the two runs' resource trees differ (components, and which parent holds what)."""
    a, b = _tree(program), _tree(yard)
    return [
        f"{key}: parent: program {a.get(key)!r}, yardstick {b.get(key)!r}"
        for key in sorted(a.keys() | b.keys())
        if a.get(key) != b.get(key)
    ]
