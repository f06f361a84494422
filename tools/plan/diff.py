"""What a pull request changes: the difference between two offline plans (`--diff-against`).

Resources are matched by URN, or by a URN the head resource's aliases name (a resource moved to
another parent or renamed is updated in place, as Pulumi does: pulumi/pulumi @ 1b59498
pkg/resource/deploy/step_generator.go `getOldResource` looks up its URN, then each alias). A
resource only in the head plan is added, one only in the base plan removed; for a resource in
both, every key property (a leaf path such as `agentPoolProfiles[0].vmSize`) whose value differs
is listed as old -> new, with what Pulumi will do about it where tools.plan.replacements knows
(replace, or an update Azure refuses) or the resource's own `replace_on_changes` option says so,
or "ignored" where the head program's ignoreChanges names the property. Replacements drag others
along (tools.plan.cascade); those are listed too, each with its cause. Every change carries its
typical duration (tools.plan.step_times.STEP_TIMES) and what it does to running pods
(tools.plan.pod_effects). Stack outputs are compared the same way. Base plans of schemaVersion 1
(properties nested under dotted paths) are flattened first.

A head plan that failed is not compared: it would deploy nothing, and listing the base's
resources as removed would misstate what merging does. The diff then says so and holds no change.
"""

from __future__ import annotations

import re
from typing import Any

from tools.plan.cascade import cascade
from tools.plan.critical_path import longest_chain
from tools.plan.pod_effects import pod_effect
from tools.plan.recorded_values import leaf_paths
from tools.plan.replacements import replace_rule
from tools.plan.step_times import approx_duration, change_seconds

_V1_INDEX = re.compile(r"\.(\d+)(?=\.|$)")
REPLACE_ON_CHANGES = (
    "its replace_on_changes option (pulumi/pulumi pkg/resource/deploy/step_generator.go "
    "applyReplaceOnChanges)"
)


def _properties(resource: dict[str, Any], schema_version: int) -> dict[str, Any]:
    props = resource.get("properties") or {}
    if schema_version >= 2:
        return dict(props)
    flat: dict[str, Any] = {}
    for path, value in props.items():  # v1: a dotted path to a nested value
        flat.update(leaf_paths(value, _V1_INDEX.sub(r"[\1]", path)))
    return flat


_STACK_PART = re.compile(r"^urn:pulumi:[^:]*::")


def same_resource(urn: str) -> str:
    """A URN without its stack (`urn:pulumi:dev::` dropped), so that plans of two stacks
    still match resource by resource."""
    return _STACK_PART.sub("", urn)


def _custom(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {same_resource(r["urn"]): r for r in plan.get("resources") or [] if r.get("custom")}


def _follow_aliases(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """`old`, with each base resource a head resource's aliases name filed under the head's URN."""
    old = dict(old)
    for key, resource in new.items():
        if key in old:
            continue
        for alias in resource.get("aliases") or []:
            if (was := same_resource(alias)) in old and was not in new:
                old[key] = old.pop(was)
                break
    return old


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


def _on_changes(head: dict[str, Any], path: str) -> bool:
    """Whether the resource's replace_on_changes covers `path` (`*` covers everything)."""
    for listed in head.get("replaceOnChanges") or []:
        if listed == "*" or path == listed or path.startswith((listed + ".", listed + "[")):
            return True
    return False


def _changed_resource(base: dict[str, Any], head: dict[str, Any], version: int) -> dict | None:
    rows = _changes(_properties(base, version), _properties(head, 2))
    if base.get("operation") != head.get("operation"):
        rows.insert(
            0,
            {
                "path": "(operation)",
                "change": "modified",
                "old": base.get("operation"),
                "new": head.get("operation"),
            },
        )
    if not rows:
        return None
    ignore_changes = head.get("ignoreChanges") or []  # the head program's options apply
    for row in rows:
        rule = replace_rule(head["type"], row["path"])
        row["effect"] = rule.effect if rule else "update"
        row["reason"] = rule.reason if rule else None
        if row["effect"] != "replace" and _on_changes(head, row["path"]):
            row["effect"], row["reason"] = "replace", REPLACE_ON_CHANGES
        if _ignored(row["path"], ignore_changes):
            row["effect"], row["reason"] = "ignored", IGNORED_REASON
    effects = {row["effect"] for row in rows}
    effect = next((e for e in ("replace", "refused", "update") if e in effects), "ignored")
    return {
        "urn": head["urn"],
        "type": head["type"],
        "name": head["name"],
        "effect": effect,
        "cause": None,
        "properties": rows,
    }


def _outputs(plan: dict[str, Any]) -> dict[str, Any]:
    return leaf_paths(plan.get("outputs") or {}) if plan.get("outputs") else {}


def refused_changes(diff: dict[str, Any]) -> list[dict[str, Any]]:
    """The changed resources with an update Azure refuses (`--fail-on-refused`)."""
    return [c for c in diff.get("changed") or [] if c["effect"] == "refused"]


def summary_line(diff: dict[str, Any]) -> str:
    if diff.get("headFailed"):
        return "not compared: this plan failed, so merging it would deploy nothing"
    changed = diff["changed"]
    replaced = sum(c["effect"] == "replace" for c in changed)
    cascaded = sum(c["effect"] == "replace" and bool(c["cause"]) for c in changed)
    refused = len(refused_changes(diff))
    ignored = sum(c["effect"] == "ignored" for c in changed)
    parts = [
        f"{len(diff['added'])} to add",
        f"{len(changed) - replaced - refused - ignored} to update",
        f"{replaced} to replace" + (f" ({cascaded} dragged along)" if cascaded else ""),
        f"{len(diff['removed'])} to remove",
    ]
    if refused:
        parts.append(f"{refused} update(s) Azure refuses")
    if ignored:
        parts.append(f"{ignored} change(s) Pulumi ignores")
    properties = sum(len(c["properties"]) for c in changed)
    took = f"; takes {approx_duration(diff['seconds'])}" if diff["seconds"] else ""
    return (
        f"{', '.join(parts)}; {properties} propert{'y' if properties == 1 else 'ies'} and "
        f"{len(diff['outputs'])} output(s) changed{took}"
    )


def _stack_note(base: dict[str, Any], head: dict[str, Any]) -> str | None:
    if base.get("stack") == head.get("stack"):
        return None
    return (
        f"the base plan is of stack '{base.get('stack')}', this one of stack "
        f"'{head.get('stack')}': the differences include the two stacks' configurations, not "
        "only the code"
    )


def _entry(resource: dict[str, Any]) -> dict[str, Any]:
    return {"urn": resource["urn"], "type": resource["type"], "name": resource["name"]}


def _with_effects(diff: dict[str, Any], head: dict[str, Any], base: dict[str, Any]) -> None:
    """Each change's seconds and podEffect, and the whole update's estimate."""
    resources = head.get("resources") or []
    fates = {c["urn"]: "replaced" for c in diff["changed"] if c["effect"] == "replace"}
    fates |= {r["urn"]: "removed" for r in diff["removed"]}
    seconds: dict[str, int] = {}
    for operation, entries in (("create", diff["added"]), ("delete", diff["removed"])):
        for entry in entries:
            entry["seconds"] = change_seconds(entry["type"], operation)
            source = resources if operation == "create" else base.get("resources") or []
            entry["podEffect"] = pod_effect(entry, operation, source, fates)
            seconds[entry["urn"]] = entry["seconds"]
    for change in diff["changed"]:
        operation = change["effect"]
        nothing = operation in ("refused", "ignored")  # Azure refuses it, or it is not sent
        change["seconds"] = 0 if nothing else change_seconds(change["type"], operation)
        change["podEffect"] = pod_effect(change, operation, resources, fates)
        seconds[change["urn"]] = change["seconds"]
    waits = {r["urn"]: list(r.get("dependsOn") or []) for r in resources}
    removed = [seconds[e["urn"]] for e in diff["removed"]]
    diff["seconds"] = max(longest_chain(seconds, waits), *removed, 0)


def diff_plans(base: dict[str, Any], head: dict[str, Any]) -> dict[str, Any]:
    """The plan's `diff` field: what applying head's program changes against base's."""
    diff: dict[str, Any] = {
        "baseStack": base.get("stack"),
        "stackNote": _stack_note(base, head),
        "baseFailed": bool(base.get("error")),
        "headFailed": bool(head.get("error")),
        "summary": "",
        "seconds": None,
        "added": [],
        "removed": [],
        "changed": [],
        "outputs": [],
    }
    if diff["headFailed"]:
        diff["summary"] = summary_line(diff)
        return diff
    version = int(base.get("schemaVersion", 1))
    new = _custom(head)
    old = _follow_aliases(_custom(base), new)
    both = old.keys() & new.keys()
    changed = {
        urn: found
        for urn in sorted(both)
        if (found := _changed_resource(old[urn], new[urn], version))
    }
    direct = {new[key]["urn"] for key, c in changed.items() if c["effect"] == "replace"}
    in_both = {new[key]["urn"]: key for key in both}
    for urn, cause in cascade(head.get("resources") or [], direct, set(in_both)).items():
        key = in_both[urn]
        entry = changed.setdefault(key, {**_entry(new[key]), "properties": []})
        entry.update(effect="replace", cause=cause)
    diff["added"] = [_entry(new[u]) for u in sorted(new.keys() - old.keys())]
    diff["removed"] = [_entry(old[u]) for u in sorted(old.keys() - new.keys())]
    # In the order they happen: where the head plan's timeline starts each, then by name.
    starts = ((head.get("estimate") or {}).get("timeline")) or {}
    diff["changed"] = sorted(
        changed.values(), key=lambda c: ((starts.get(c["urn"]) or {}).get("start", 0), c["urn"])
    )
    diff["outputs"] = _changes(_outputs(base), _outputs(head))
    _with_effects(diff, head, base)
    diff["summary"] = summary_line(diff)
    return diff
