"""What a pull request changes: the difference between two offline plans (`--diff-against`).

Resources are matched by URN. A resource only in the head plan is added, one only in the base
plan removed; for a resource in both, every key property (a leaf path such as
`agentPoolProfiles[0].vmSize`) whose value differs is listed as old -> new, with what Pulumi
will do about it where tools.plan.replacements knows (replace, or an update Azure refuses), or
"ignored" where the head program's ignoreChanges names the property.
Stack outputs are compared the same way. Base plans of schemaVersion 1 (properties nested under
dotted paths) are flattened first, so the first pull request after an upgrade gets a diff too.
"""

from __future__ import annotations

import re
from typing import Any

from tools.plan.recorded_values import leaf_paths, scalar_text
from tools.plan.replacements import replace_rule

_V1_INDEX = re.compile(r"\.(\d+)(?=\.|$)")


def _properties(resource: dict[str, Any], schema_version: int) -> dict[str, Any]:
    props = resource.get("properties") or {}
    if schema_version >= 2:
        return dict(props)
    flat: dict[str, Any] = {}
    for path, value in props.items():  # v1: a dotted path to a nested value
        flat.update(leaf_paths(value, _V1_INDEX.sub(r"[\1]", path)))
    return flat


def _custom(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["urn"]: r for r in plan.get("resources") or [] if r.get("custom")}


def _changes(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for path in sorted(old.keys() | new.keys()):
        if path in old and path in new and old[path] == new[path]:
            continue
        change = (
            "modified" if path in old and path in new else "added" if path in new else "removed"
        )
        rows.append({"path": path, "change": change, "old": old.get(path), "new": new.get(path)})
    return rows


IGNORED_REASON = (
    "the program's ignoreChanges: Pulumi keeps what the cloud has (an autoscaled pool's count "
    "is the cluster autoscaler's)"
)


def _ignored(path: str, ignore_changes: list[str]) -> bool:
    return any(path == p or path.startswith((p + ".", p + "[")) for p in ignore_changes)


def _changed_resource(base: dict[str, Any], head: dict[str, Any], version: int) -> dict | None:
    rows = _changes(_properties(base, version), _properties(head, 2))
    if base.get("operation") != head.get("operation"):
        rows.insert(0, {"path": "(operation)", "change": "modified",
                        "old": base.get("operation"), "new": head.get("operation")})  # fmt: skip
    if not rows:
        return None
    ignore_changes = head.get("ignoreChanges") or []  # the head program's options apply
    for row in rows:
        rule = replace_rule(head["type"], row["path"])
        row["effect"] = rule.effect if rule else "update"
        row["reason"] = rule.reason if rule else None
        if _ignored(row["path"], ignore_changes):
            row["effect"], row["reason"] = "ignored", IGNORED_REASON
    effects = {row["effect"] for row in rows}
    effect = next((e for e in ("replace", "refused", "update") if e in effects), "ignored")
    return {"urn": head["urn"], "type": head["type"], "name": head["name"], "effect": effect,
            "properties": rows}  # fmt: skip


def _outputs(plan: dict[str, Any]) -> dict[str, Any]:
    return leaf_paths(plan.get("outputs") or {})


def summary_line(diff: dict[str, Any]) -> str:
    changed = diff["changed"]
    replaced = sum(c["effect"] == "replace" for c in changed)
    refused = sum(c["effect"] == "refused" for c in changed)
    ignored = sum(c["effect"] == "ignored" for c in changed)
    parts = [
        f"{len(diff['added'])} to add",
        f"{len(changed) - replaced - refused - ignored} to update",
        f"{replaced} to replace",
        f"{len(diff['removed'])} to remove",
    ]
    if refused:
        parts.append(f"{refused} update(s) Azure refuses")
    if ignored:
        parts.append(f"{ignored} change(s) Pulumi ignores")
    properties = sum(len(c["properties"]) for c in changed)
    return (
        f"{', '.join(parts)}; {properties} propert{'y' if properties == 1 else 'ies'} and "
        f"{len(diff['outputs'])} output(s) changed"
    )


def diff_plans(base: dict[str, Any], head: dict[str, Any]) -> dict[str, Any]:
    """The plan's `diff` field: what applying head's program changes against base's."""
    version = int(base.get("schemaVersion", 1))
    old, new = _custom(base), _custom(head)
    changed = [
        found
        for urn in sorted(old.keys() & new.keys())
        if (found := _changed_resource(old[urn], new[urn], version))
    ]
    diff: dict[str, Any] = {
        "baseStack": base.get("stack"),
        "baseFailed": bool(base.get("error")),
        "summary": "",
        "added": [{"urn": u, "type": new[u]["type"], "name": new[u]["name"]}
                  for u in sorted(new.keys() - old.keys())],
        "removed": [{"urn": u, "type": old[u]["type"], "name": old[u]["name"]}
                    for u in sorted(old.keys() - new.keys())],
        "changed": changed,
        "outputs": _changes(_outputs(base), _outputs(head)),
    }  # fmt: skip
    diff["summary"] = summary_line(diff)
    return diff


def _value(row: dict[str, Any], side: str) -> str:
    if row["change"] == ("added" if side == "old" else "removed"):
        return "(none)"
    return scalar_text(row[side])


def change_line(row: dict[str, Any]) -> str:
    """`agentPoolProfiles[0].vmSize: Standard_D2s_v5 → Standard_D8s_v5`."""
    return f"{row['path']}: {_value(row, 'old')} → {_value(row, 'new')}"


EFFECT_WORDS = {
    "replace": "replace",
    "refused": "update (Azure refuses it)",
    "update": "update",
    "ignored": "no change (ignoreChanges)",
}


def diff_text_lines(diff: dict[str, Any]) -> list[str]:
    """The diff for the text format: summary first, then each resource and property."""
    lines = [f"Changes against the base plan: {diff['summary']}"]
    if diff["baseFailed"]:
        lines.append("  (the base plan failed: everything in this plan counts as added)")
    for r in diff["added"]:
        lines.append(f"  + {r['type']}  {r['name']}")
    for r in diff["removed"]:
        lines.append(f"  - {r['type']}  {r['name']}")
    for c in diff["changed"]:
        lines.append(f"  ~ {c['type']}  {c['name']}  ({EFFECT_WORDS[c['effect']]})")
        for row in c["properties"]:
            note = f"  [{EFFECT_WORDS[row['effect']]}: {row['reason']}]" if row["reason"] else ""
            lines.append(f"        {change_line(row)}{note}")
    if diff["outputs"]:
        lines.append("  outputs:")
        lines += [f"        {change_line(row)}" for row in diff["outputs"]]
    return lines


def _md(text: str) -> str:
    return "`" + text.replace("|", "\\|").replace("`", "'") + "`"


def diff_markdown_lines(diff: dict[str, Any]) -> list[str]:
    """The diff for the PR comment: summary line, then one table row per change."""
    lines = ["### Changes against the base branch", "", f"**{diff['summary']}**", ""]
    if diff["baseFailed"]:
        lines += ["The base branch's plan failed: everything here counts as added.", ""]
    rows = [(f"+ {r['type']} {r['name']}", "add", "", "", "") for r in diff["added"]]
    rows += [(f"- {r['type']} {r['name']}", "remove", "", "", "") for r in diff["removed"]]
    for c in diff["changed"]:
        for row in c["properties"]:
            rows.append((f"~ {c['type']} {c['name']}", EFFECT_WORDS[row["effect"]], row["path"],
                         _value(row, "old"), _value(row, "new")))  # fmt: skip
    rows += [("stack output", "", row["path"], _value(row, "old"), _value(row, "new"))
             for row in diff["outputs"]]  # fmt: skip
    if not rows:
        return [*lines, "No change."]
    lines += ["| resource | effect | property | old | new |", "|---|---|---|---|---|"]
    for resource, effect, path, old, new in rows:
        cells = [_md(resource), effect, *(_md(v) if v else "" for v in (path, old, new))]
        lines.append("| " + " | ".join(cells) + " |")
    reasons = sorted({row["reason"] for c in diff["changed"] for row in c["properties"]
                      if row["reason"]})  # fmt: skip
    if reasons:
        lines += ["", *(f"- {reason}" for reason in reasons)]
    return lines
