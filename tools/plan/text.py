"""The offline plan as human-readable text (the default format of `python -m tools.plan`).

Renders the plan data of tools.plan.build.build_plan; the resource tree and the timeline are shared
with the Markdown format.
"""

from __future__ import annotations

import textwrap
from typing import Any, NamedTuple

from tools.plan import capacity
from tools.plan.critical_path import clock, type_label
from tools.plan.diff_render import diff_text_lines
from tools.plan.offline_cluster import existing_cluster_text
from tools.plan.preflight import preflight_lines
from tools.plan.recorded_values import UNKNOWN, leaf_paths, scalar_text

WIDTH = 100  # text output wraps messages here; values in the resource tree are never cut


def wrapped(line: str, width: int = WIDTH, indent: int | None = None) -> list[str]:
    """A long message line as several, continued under its own indent plus four spaces (or
    `indent`); a word longer than a line (a URN, an ARM id) stays whole."""
    if len(line) <= width:
        return [line]
    lead = len(line) - len(line.lstrip(" ")) + 4 if indent is None else indent
    return textwrap.wrap(
        line, width, subsequent_indent=" " * lead, break_long_words=False, break_on_hyphens=False
    )


def wrap_all(lines: list[str]) -> list[str]:
    return [part for line in lines for part in (wrapped(line) if line else [line])]


def short(urn: str) -> str:
    """`type::name` of a URN, the way reviewers recognise a resource."""
    parts = urn.split("::")
    return f"{parts[2].split('$')[-1]}::{parts[3]}" if len(parts) >= 4 else urn


def run_mode(plan: dict[str, Any]) -> str:
    """How the program was run, for the headline of every format."""
    if plan.get("preview"):
        return f"as `pulumi preview`: values not known before apply show as {UNKNOWN}"
    return "as `pulumi up`"


def output_leaves(plan: dict[str, Any]) -> dict[str, Any]:
    """Stack outputs one leaf per line (`sandboxSizing.node.vmSize`), nothing cut."""
    return leaf_paths(plan["outputs"]) if plan["outputs"] else {}


class ResourceCounts(NamedTuple):
    create: int
    read: int
    components: int

    def text(self) -> str:
        return f"{self.create} to create, {self.read} to read, in {self.components} components"


def resource_counts(plan: dict[str, Any]) -> ResourceCounts:
    """The counts every summary and its details state (so they cannot disagree)."""
    custom = [r for r in plan["resources"] if r["custom"]]
    reads = sum(r["operation"] == "read" for r in custom)
    return ResourceCounts(len(custom) - reads, reads, len(plan["resources"]) - len(custom))


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
                lines.append(f"{pad}{key}: {scalar_text(value)}")
            if r["dependsOn"]:
                waits = f"{pad}waits for: {', '.join(short(d) for d in r['dependsOn'])}"
                lines.extend(wrapped(waits, indent=len(pad) + len("waits for: ")))
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
ESTIMATE_BASIS = "critical path, typical create times of tools/plan/step_times.py"


def _paragraph(lines: list[str]) -> list[str]:
    """`lines` as a paragraph of their own (after a blank line), or nothing."""
    return ["", *lines] if lines else []


def render_text(plan: dict[str, Any]) -> str:
    lines = [
        f"Offline plan for stack '{plan['stack']}' (Pulumi mock engine, no cloud calls), "
        f"run {run_mode(plan)}"
    ]
    if plan.get("existingCluster"):
        lines.append(existing_cluster_text(plan["existingCluster"]))
    lines += [f"note: {note}" for note in plan.get("stackFileNotes") or []]
    if plan["error"]:
        # The problems first: a failed plan deploys nothing, whatever the diff would say.
        lines += ["", "ERROR: stopped before deploying anything:"]
        lines += plan["errorSummary"].splitlines()
        lines += _paragraph(preflight_lines(plan))
        if plan.get("diff"):
            lines += ["", *diff_text_lines(plan["diff"])]
        return "\n".join(wrap_all(lines))
    if plan.get("diff"):
        lines += ["", *diff_text_lines(plan["diff"])]
    lines += _paragraph(preflight_lines(plan))
    for warning in plan["warnings"]:
        lines.append(f"warning: {warning}")
    lines = wrap_all(lines)
    counts = resource_counts(plan)
    lines += ["", f"Resources ({counts.text()}; + create, > read):", *resource_tree_lines(plan)]
    if estimate := plan.get("estimate"):
        lines += ["", *wrapped(f"{ESTIMATE_TITLE} ({ESTIMATE_BASIS}):")]
        lines += wrapped(f"    {estimate['summary']}")
        lines += ["", "Timeline (start -> ready, m:ss; * = on the critical path):"]
        for row in timeline(plan):
            mark = "*" if row.critical else " "
            lines.append(f"  {mark} {clock(row.start):>6} -> {clock(row.finish):>6}  {row.label}")
    if pool_lines := capacity.text_lines(plan):
        lines += ["", *wrap_all(pool_lines)]
    lines += ["", "Outputs:"]
    for name, value in output_leaves(plan).items():
        lines.append(f"    {name}: {scalar_text(value)}")
    return "\n".join(lines)
