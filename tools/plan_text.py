"""The offline plan as human-readable text (the default format of `python -m tools.plan`).

Renders the plan data of tools.plan.build_plan; the resource tree and the timeline are shared
with the Markdown format.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from tools.critical_path import clock, type_label


def short(urn: str) -> str:
    """`type::name` of a URN, the way reviewers recognise a resource."""
    parts = urn.split("::")
    return f"{parts[2].split('$')[-1]}::{parts[3]}" if len(parts) >= 4 else urn


def format_value(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 140 else text[:137] + "..."


def resource_tree_lines(plan: dict[str, Any]) -> list[str]:
    """Resources nested under their components, with key properties and direct waits."""
    lines: list[str] = []
    children: dict[str, list[dict[str, Any]]] = {}
    urns = {r["urn"] for r in plan["resources"]}
    for r in plan["resources"]:
        parent = r["parent"] if r["parent"] in urns else ""
        children.setdefault(parent, []).append(r)

    def walk(parent: str, depth: int) -> None:
        for r in sorted(children.get(parent, []), key=lambda x: (x["type"], x["name"])):
            mark = ">" if r["operation"] == "read" else "+"
            lines.append(f"{'    ' * depth}{mark} {r['type']}  {r['name']}")
            pad = "    " * depth + "      "
            for key, value in r["properties"].items():
                lines.append(f"{pad}{key}: {format_value(value)}")
            if r["dependsOn"]:
                lines.append(f"{pad}waits for: {', '.join(short(d) for d in r['dependsOn'])}")
            walk(r["urn"], depth + 1)

    walk("", 0)
    return lines


class TimelineRow(NamedTuple):
    start: int
    finish: int
    label: str
    critical: bool


def timeline(plan: dict[str, Any]) -> list[TimelineRow]:
    """Every custom resource's estimated start and ready time, in order of start."""
    estimate = plan.get("estimate")
    if not estimate:
        return []
    critical = {step["urn"] for step in estimate["criticalPath"]}
    rows = []
    for r in plan["resources"]:
        slot = estimate["timeline"].get(r["urn"])
        if r["custom"] and slot:
            read = " (read)" if r["operation"] == "read" else ""
            label = f"{type_label(r['type'])} {r['name']}{read}"
            rows.append(TimelineRow(slot["start"], slot["finish"], label, r["urn"] in critical))
    return sorted(rows, key=lambda row: (row.start, row.finish, row.label))


ESTIMATE_TITLE = "Estimated `pulumi up` from empty"
ESTIMATE_BASIS = "critical path, typical create times of tools/critical_path.py"


def render_text(plan: dict[str, Any]) -> str:
    lines = [f"Offline plan for stack '{plan['stack']}' (Pulumi mock engine, no cloud calls)"]
    if plan["error"]:
        lines += ["", "ERROR: the program stopped before deploying anything:", plan["error"]]
        return "\n".join(lines)
    for warning in plan["warnings"]:
        lines.append(f"warning: {warning}")
    lines += ["", "Resources (+ create, > read):", *resource_tree_lines(plan)]
    if estimate := plan.get("estimate"):
        lines += ["", f"{ESTIMATE_TITLE} ({ESTIMATE_BASIS}):", f"    {estimate['summary']}"]
        lines += ["", "Timeline (start -> ready, m:ss; * = on the critical path):"]
        for row in timeline(plan):
            mark = "*" if row.critical else " "
            lines.append(f"  {mark} {clock(row.start):>6} -> {clock(row.finish):>6}  {row.label}")
    lines += ["", "Outputs:"]
    for name, value in plan["outputs"].items():
        lines.append(f"    {name}: {format_value(value)}")
    return "\n".join(lines)
