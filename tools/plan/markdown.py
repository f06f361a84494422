"""The offline plan as Markdown for a pull-request comment (`tools.plan --format markdown`).

Renders the plan data of tools.plan.build.build_plan: the `pulumi up` estimate, validation warnings,
a Mermaid flowchart of what waits for what (critical path in red), the timeline, the sandbox sizing,
the resource tree and the stack outputs (already masked by build_plan).
"""

from __future__ import annotations

import itertools
from typing import Any

from tools.plan import capacity
from tools.plan.critical_path import clock, type_label
from tools.plan.diff_render import diff_markdown_lines
from tools.plan.offline_cluster import existing_cluster_text
from tools.plan.preflight import preflight_lines
from tools.plan.recorded_values import scalar_text
from tools.plan.step_times import approx_duration
from tools.plan.text import (
    ESTIMATE_BASIS,
    ESTIMATE_TITLE,
    output_leaves,
    resource_counts,
    resource_tree_lines,
    run_mode,
    timeline,
)

CRITICAL_STYLE = "stroke:#d62728,stroke-width:3px"

# Row labels of the sandboxSizing output (sandboxing.sizing.SandboxSizing, flattened). A field
# missing here is still shown, under its own name.
SIZING_LABELS: dict[str, str] = {
    "podVmVcpus": "vCPUs of each pod's Kata VM (limit rounded up)",
    "podVmMemoryMib": "memory of each pod's Kata VM (MiB, = memory limit)",
    "hostMemoryPerPodMib": "host memory per pod (MiB, VM + RuntimeClass overhead)",
    "cpuRequestMillicores": "CPU request per pod (millicores)",
    "node.vmSize": "Kata node VM size",
    "node.vcpus": "Kata node vCPUs",
    "node.memoryMib": "Kata node memory (MiB)",
    "node.allocatableMillicpu": "Kata node allocatable CPU (millicores)",
    "node.allocatableMemoryMib": "Kata node allocatable memory (MiB)",
    "podsPerNode": "sandboxed pods per Kata node (upper bound)",
    "stackNodes.kataPoolPlacement": "Kata pool placement",
    "stackNodes.kataNodes": "Kata nodes the stack adds",
    "stackNodes.ociSystemNodes": "OCI System nodes the stack adds",
    "stackNodes.vcpus": "vCPUs of all nodes the stack adds",
    "stackNodes.systemPodsOnKataNodes": "system pods share the Kata nodes",
    "stackNodes.userNodes": "User nodes the stack adds",
    "kataPool.autoscaling": "Kata pool autoscaled (kataEnableAutoScaling)",
    "kataPool.minNodes": "Kata nodes at the pool's minimum",
    "kataPool.initialNodes": "Kata nodes at the start (kataNodeCount)",
    "kataPool.maxNodes": "Kata nodes at the pool's maximum",
    "kataPool.demoPods": "the demo's untrusted pod(s) on the Kata nodes",
    "kataPool.reservedPods": "sandboxed pods held back (warm pools)",
    "kataPool.sandboxPodsAtMin": "sandboxed pods that fit at the minimum",
    "kataPool.sandboxPodsAtInitial": "sandboxed pods that fit at the start",
    "kataPool.sandboxPodsAtMax": "sandboxed pods that fit at the maximum",
}


def _cell(value: Any) -> str:
    """A table cell: inline code, pipes escaped so they do not split the row; nothing cut."""
    return "`" + scalar_text(value).replace("|", "\\|").replace("`", "'") + "`"


def _mermaid_text(text: str) -> str:
    # Inside a quoted Mermaid label only quotes and angle brackets need entity codes.
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def mermaid(plan: dict[str, Any]) -> list[str]:
    """A flowchart: components as subgraphs, an arrow A --> B when B waits for A."""
    resources = plan["resources"]
    ids = {r["urn"]: f"r{i}" for i, r in enumerate(resources)}
    by_urn = {r["urn"]: r for r in resources}
    estimate = plan.get("estimate") or {}
    slots = estimate.get("timeline", {})
    path = [step["urn"] for step in estimate.get("criticalPath", [])]
    children: dict[str, list[dict[str, Any]]] = {}
    for r in resources:
        children.setdefault(r["parent"] if r["parent"] in by_urn else "", []).append(r)

    def has_custom(urn: str) -> bool:
        return any(c["custom"] or has_custom(c["urn"]) for c in children.get(urn, []))

    lines = ["```mermaid", "flowchart LR"]
    shown: set[str] = set()

    def emit(parent: str, depth: int) -> None:
        pad = "  " * depth
        for r in children.get(parent, []):
            label = f"{type_label(r['type'])} {r['name']}"
            if r["custom"]:
                text = _mermaid_text(type_label(r["type"])) + "<br/>" + _mermaid_text(r["name"])
                if r["urn"] in slots:
                    text += f"<br/>{slots[r['urn']]['seconds']}s"
                # A read is a lookup, not something created: drawn as a stadium.
                shape = '(["{}"])' if r["operation"] == "read" else '["{}"]'
                lines.append(pad + ids[r["urn"]] + shape.format(text))
                shown.add(r["urn"])
            elif has_custom(r["urn"]):
                lines.append(f'{pad}subgraph {ids[r["urn"]]}["{_mermaid_text(label)}"]')
                shown.add(r["urn"])
                emit(r["urn"], depth + 1)
                lines.append(f"{pad}end")

    emit("", 1)
    edges = [
        (dep, r["urn"])
        for r in resources
        if r["urn"] in shown
        for dep in r["dependsOn"]
        if dep in shown
    ]
    on_path = set(itertools.pairwise(path))
    for dep, urn in edges:
        lines.append(f"  {ids[dep]} --> {ids[urn]}")
    critical_edges = [str(i) for i, edge in enumerate(edges) if edge in on_path]
    if critical_edges:
        lines.append(f"  linkStyle {','.join(critical_edges)} {CRITICAL_STYLE}")
    if path:
        lines.append(f"  classDef critical {CRITICAL_STYLE}")
        lines.append(f"  class {','.join(ids[urn] for urn in path)} critical")
    lines.append("```")
    return lines


def _flatten(data: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            rows += _flatten(value, f"{prefix}{key}.")
        else:
            rows.append((f"{prefix}{key}", value))
    return rows


def sizing_lines(sizing: dict[str, Any] | None) -> list[str]:
    if not sizing:
        return ["Not available (the `sandboxSizing` output is missing or unknown)."]
    lines = ["| | |", "|---|---|"]
    for key, value in _flatten(sizing):
        shown = "no data for this VM size" if value is None else value
        lines.append(f"| {SIZING_LABELS.get(key, key)} | {_cell(shown)} |")
    return lines


def error_lines(plan: dict[str, Any]) -> list[str]:
    """The problems that stopped the program: one table row each, counted in the headline."""
    problems = plan["error"]
    keyed = [p for p in problems if p["key"] is not None]
    if len(keyed) != len(problems):  # not a configuration problem: the program's own text
        return [
            "**Stopped before deploying anything:**",
            "",
            "```text",
            plan["errorSummary"],
            "```",
        ]
    lines = [
        f"**{len(problems)} configuration problem(s): the program stopped before deploying "
        "anything.**",
        "",
        "| config key | value | what is wrong / allowed |",
        "|---|---|---|",
    ]
    for p in problems:
        message = p["message"].replace("|", "\\|")
        lines.append(f"| `{p['key']}` | {_cell(p['value'])} | {message} |")
    return lines


def preflight_markdown(plan: dict[str, Any]) -> list[str]:
    """The preflight's lines, each ending in a Markdown line break but the list items."""
    headline = preflight_lines(plan)
    return [line if line.startswith("  - ") else f"{line}  " for line in headline] + (
        [""] if headline else []
    )


def render_markdown(plan: dict[str, Any]) -> str:
    title = "Offline preview" if plan.get("preview") else "Offline plan"
    lines = [f"## {title}: stack `{plan['stack']}`", ""]
    counts = resource_counts(plan)
    lines += [f"Pulumi mock engine, no cloud calls; run {run_mode(plan)}.", ""]
    if plan.get("existingCluster"):
        lines += [f"> **{existing_cluster_text(plan['existingCluster'])}**", ""]
    lines += [line for note in plan.get("stackFileNotes") or [] for line in (f"> {note}", "")]
    if plan["error"]:
        # The problems first: a failed plan deploys nothing, whatever the diff would say.
        lines += error_lines(plan)
        lines += preflight_markdown(plan)
        if plan.get("diff"):
            lines += ["", *diff_markdown_lines(plan["diff"])]
        return "\n".join(lines)
    if plan.get("diff"):
        lines += [*diff_markdown_lines(plan["diff"]), ""]
    lines += preflight_markdown(plan)
    lines += [f"{counts.text()}.", ""]
    if estimate := plan.get("estimate"):
        total = approx_duration(estimate["totalSeconds"])
        lines += [
            f"**{ESTIMATE_TITLE}: {total}** ({ESTIMATE_BASIS}):",
            "",
            f"`{estimate['summary']}`",
            "",
        ]
    lines += ["### Validation warnings", ""]
    lines += [f"- {w}" for w in plan["warnings"]] or ["None."]
    lines += [
        "",
        "### Dependencies",
        "",
        "An arrow A --> B: B waits for A; red: critical path.",
        "",
    ]
    lines += mermaid(plan)
    rows = timeline(plan)
    if rows:
        lines += ["", "### Timeline", "", "| | resource | starts | ready |", "|---|---|---|---|"]
        for row in rows:
            mark = "**critical**" if row.critical else ""
            lines.append(f"| {mark} | {row.label} | {clock(row.start)} | {clock(row.finish)} |")
    if pool_lines := capacity.markdown_lines(plan):
        lines += ["", *pool_lines]
    lines += ["", "### Sandbox sizing", "", *sizing_lines(plan.get("sandboxSizing"))]
    lines += [
        "",
        "### Resources",
        "",
        f"<details><summary>{counts.text()} (+ create, &gt; read)</summary>",
        "",
        "```text",
        *resource_tree_lines(plan),
        "```",
        "",
        "</details>",
        "",
        "### Stack outputs",
        "",
        "| output | value |",
        "|---|---|",
    ]
    for name, value in output_leaves(plan).items():
        if name.startswith("sandboxSizing.") and plan.get("sandboxSizing"):
            continue  # its own table above
        lines.append(f"| `{name}` | {_cell(value)} |")
    if plan.get("sandboxSizing"):
        lines.append("| `sandboxSizing` | see *Sandbox sizing* |")
    return "\n".join(lines)
