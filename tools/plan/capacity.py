"""The Kata pool's capacity in the offline plan: how many sandboxed pods fit at the pool's
smallest, initial and largest size, what the tenants' quotas promise against it, and what a new
sandbox waits for when a node must be added first (text and Markdown; JSON carries the same in
`sandboxSizing.kataPool`, `sandboxSizing.tenants` and `estimate.scaleUp`).
"""

from __future__ import annotations

from typing import Any, NamedTuple

TITLE = "Kata pool capacity"
BASIS = "sandboxed pods of podCpuLimit/podMemoryLimit, less the demo's untrusted pod"


class SizeRow(NamedTuple):
    label: str  # "at its minimum"
    nodes: int
    pods: Any  # int, or None when the VM size is not known
    tenants_fit: Any  # bool, None (unknown) or "" (no tenants)


def size_rows(sizing: dict[str, Any] | None) -> list[SizeRow]:
    """One row per size the pool can have (one row for a fixed pool)."""
    pool = (sizing or {}).get("kataPool")
    if not isinstance(pool, dict):
        return []
    tenants = (sizing or {}).get("tenants") or {}

    def fits(share: str) -> Any:
        if not tenants:
            return ""
        return (tenants.get(share) or {}).get("fits")

    if not pool["autoscaling"]:
        return [
            SizeRow("fixed size", pool["initialNodes"], pool["sandboxPodsAtInitial"], fits("atMax"))
        ]
    return [
        SizeRow("at its minimum", pool["minNodes"], pool["sandboxPodsAtMin"], fits("atMin")),
        SizeRow(
            "at its start",
            pool["initialNodes"],
            pool["sandboxPodsAtInitial"],
            tenants.get("fits") if tenants else "",
        ),
        SizeRow("at its maximum", pool["maxNodes"], pool["sandboxPodsAtMax"], fits("atMax")),
    ]


def _pods(value: Any) -> str:
    return "unknown (no data for this VM size)" if value is None else f"{value} sandboxed pods"


def _fit_words(value: Any) -> str:
    return {True: "fit", False: "do not fit", None: "unknown", "": ""}[value]


def quota_line(sizing: dict[str, Any] | None) -> str:
    """The tenants' quotas against the pool at its largest, with the numbers."""
    tenants = (sizing or {}).get("tenants")
    if not tenants:
        return ""
    largest = tenants.get("atMax") or {}
    verdict = {True: "they fit", False: "they do NOT fit (see the warnings)", None: "unknown"}[
        largest.get("fits")
    ]
    return (
        f"tenants' quotas: {tenants['quotaMillicpu']}m CPU and {tenants['quotaMemoryMib']}Mi "
        f"(pods plus Kata overhead); the pool at {largest.get('nodes')} node(s) gives tenants "
        f"{largest.get('allocatableMillicpu')}m CPU and {largest.get('allocatableMemoryMib')}Mi: "
        f"{verdict}"
    )


def scale_up_text(plan: dict[str, Any]) -> str:
    """The cold start next to the steady state; a fixed pool adds no node at all."""
    scale_up = (plan.get("estimate") or {}).get("scaleUp")
    if not scale_up:
        return ""
    rows = size_rows(plan.get("sandboxSizing"))
    if rows and rows[0].label == "fixed size":
        return (
            "scale-up: none, the pool has a fixed size (a sandbox that finds no room stays "
            "Pending); with kataEnableAutoScaling " + scale_up["summary"]
        )
    return f"scale-up: {scale_up['summary']}"


def text_lines(plan: dict[str, Any]) -> list[str]:
    rows = size_rows(plan.get("sandboxSizing"))
    if not rows:
        return []
    lines = [f"{TITLE} ({BASIS}):"]
    for row in rows:
        lines.append(f"    {row.label}, {row.nodes} node(s): {_pods(row.pods)}")
    if quota := quota_line(plan.get("sandboxSizing")):
        lines.append(f"    {quota}")
    if scale_up := scale_up_text(plan):
        lines.append(f"    {scale_up}")
    return lines


def markdown_lines(plan: dict[str, Any]) -> list[str]:
    rows = size_rows(plan.get("sandboxSizing"))
    if not rows:
        return []
    tenants = bool((plan.get("sandboxSizing") or {}).get("tenants"))
    head = "| Kata pool | nodes | sandboxed pods |" + (" tenants' quotas |" if tenants else "")
    lines = [
        f"### {TITLE}",
        "",
        f"{BASIS[0].upper()}{BASIS[1:]}.",
        "",
        head,
        "|---|---|---|" + ("---|" if tenants else ""),
    ]
    for row in rows:
        pods = "unknown" if row.pods is None else str(row.pods)
        cells = [row.label, str(row.nodes), pods] + (
            [_fit_words(row.tenants_fit)] if tenants else []
        )
        lines.append("| " + " | ".join(cells) + " |")
    if quota := quota_line(plan.get("sandboxSizing")):
        lines += ["", quota[0].upper() + quota[1:] + "."]
    if scale_up := scale_up_text(plan):
        lines += ["", f"{scale_up[0].upper()}{scale_up[1:]}."]
    return lines
