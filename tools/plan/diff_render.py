"""The diff of two plans (tools.plan.diff) as text and as Markdown for the PR comment.

Each resource that changes is one line (text) or row (Markdown): what Pulumi does to it, how
long that typically takes, what it does to running pods, and, for a replacement dragged along
by another, why. Then each changed property as old -> new, with the reason where one is known.
A failed head plan shows no change at all, only that it was not compared (its problems come
first, from the plan's renderer).
"""

from __future__ import annotations

from typing import Any

from tools.plan.critical_path import type_label
from tools.plan.recorded_values import scalar_text
from tools.plan.step_times import approx_duration

EFFECT_WORDS = {
    "replace": "replace",
    "refused": "update (Azure refuses it)",
    "update": "update",
    "create": "create",
    "delete": "delete",
    "ignored": "no change (ignoreChanges)",
}


def _value(row: dict[str, Any], side: str) -> str:
    if row["change"] == ("added" if side == "old" else "removed"):
        return "(none)"
    return scalar_text(row[side])


def change_line(row: dict[str, Any]) -> str:
    """`agentPoolProfiles[0].vmSize: Standard_D2s_v5 → Standard_D8s_v5`."""
    return f"{row['path']}: {_value(row, 'old')} → {_value(row, 'new')}"


def _took(entry: dict[str, Any]) -> str:
    seconds = entry.get("seconds")
    return f", {approx_duration(seconds)}" if seconds else ""


def _resources(diff: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(mark, effect, entry) for each resource that changes, in reading order."""
    rows = [("+", "create", r) for r in diff["added"]]
    rows += [("-", "delete", r) for r in diff["removed"]]
    rows += [("~", c["effect"], c) for c in diff["changed"]]
    return rows


def diff_text_lines(diff: dict[str, Any]) -> list[str]:
    """The diff for the text format: summary first, then each resource and property."""
    lines = [f"Changes against the base plan: {diff['summary']}"]
    if diff.get("stackNote"):
        lines.append(f"  note: {diff['stackNote']}")
    if diff.get("headFailed"):
        return lines
    if diff["baseFailed"]:
        lines.append("  (the base plan failed: everything in this plan counts as added)")
    for mark, effect, entry in _resources(diff):
        word = EFFECT_WORDS[effect]
        lines.append(f"  {mark} {entry['type']}  {entry['name']}  ({word}{_took(entry)})")
        if entry.get("cause"):
            lines.append(f"        because: {entry['cause']}")
        for row in entry.get("properties") or []:
            note = f"  [{EFFECT_WORDS[row['effect']]}: {row['reason']}]" if row["reason"] else ""
            lines.append(f"        {change_line(row)}{note}")
        if entry.get("podEffect"):
            lines.append(f"        running pods: {entry['podEffect']}")
    if diff["outputs"]:
        lines.append("  outputs:")
        lines += [f"        {change_line(row)}" for row in diff["outputs"]]
    return lines


def _md(text: str) -> str:
    return "`" + text.replace("|", "\\|").replace("`", "'") + "`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def diff_markdown_lines(diff: dict[str, Any]) -> list[str]:
    """The diff for the PR comment: summary line, a row per resource, a row per property."""
    lines = ["### Changes against the base branch", "", f"**{diff['summary']}**", ""]
    if diff.get("stackNote"):
        lines += [f"> **Note:** {diff['stackNote']}", ""]
    if diff.get("headFailed"):
        return lines
    if diff["baseFailed"]:
        lines += ["The base branch's plan failed: everything here counts as added.", ""]
    resources = _resources(diff)
    if not resources and not diff["outputs"]:
        return [*lines, "No change."]
    if resources:
        lines += ["| | resource | change | takes | running pods |", "|---|---|---|---|---|"]
        for mark, effect, entry in resources:
            what = EFFECT_WORDS[effect] + (f": {entry['cause']}" if entry.get("cause") else "")
            took = approx_duration(entry["seconds"]) if entry.get("seconds") else ""
            label = _md(f"{type_label(entry['type'])} {entry['name']}")
            pods = _cell(entry.get("podEffect") or "")
            lines.append(f"| {mark} | {label} | {_cell(what)} | {took} | {pods} |")
        lines.append("")
    rows = [
        (
            f"~ {c['type']} {c['name']}",
            EFFECT_WORDS[row["effect"]],
            row["path"],
            _value(row, "old"),
            _value(row, "new"),
        )
        for c in diff["changed"]
        for row in c["properties"]
    ]
    rows += [
        ("stack output", "", row["path"], _value(row, "old"), _value(row, "new"))
        for row in diff["outputs"]
    ]
    if rows:
        lines += ["| resource | effect | property | old | new |", "|---|---|---|---|---|"]
        for resource, effect, path, old, new in rows:
            cells = [_md(resource), effect, *(_md(v) if v else "" for v in (path, old, new))]
            lines.append("| " + " | ".join(cells) + " |")
    reasons = sorted(
        {row["reason"] for c in diff["changed"] for row in c["properties"] if row["reason"]}
    )
    if reasons:
        lines += ["", *(f"- {reason}" for reason in reasons)]
    return lines
