"""Replacements that a replaced resource drags along, as the Pulumi engine decides them.

A resource whose own properties did not change is still replaced when (pulumi/pulumi
pkg/resource/deploy/step_generator.go, v3.259.0):

- a resource in its `replace_with` option is replaced (`diff`: "marked for replacement because
  ... (in its ReplaceWith list) is being replaced");
- its provider is replaced (`calculateDependentReplacements`: "If the resource's provider is in
  the replace set, we must replace this resource"; `providerChanged`);
- one of its inputs comes from a resource that is deleted before it is replaced: the engine
  diffs the dependent with that input unknown (`calculateDependentReplacements`) and replaces it
  when the provider says a change of that input replaces it (tools.plan.replacements). A Kubernetes
  provider whose kubeconfig is unknown is replaced (pulumi-kubernetes
  provider/pkg/provider/provider.go `DiffConfig`, as of pulumi-kubernetes 4.34.2: "We can't tell for
  sure if a computed value has changed, so we make the conservative choice and force a
  replacement").

A resource created before the old one is deleted (a Python dynamic resource, an auto-named
azure-native one) hands its dependents its new outputs instead: they change only if those
values do, which an offline plan cannot know, so no replacement is claimed for them.

Works on the head plan alone (its `replaceWith`, `provider`, `inputsFrom`,
`deleteBeforeReplace`), to a fixed point: a replacement found here can drag along others.
"""

from __future__ import annotations

from typing import Any

from tools.plan.critical_path import type_label
from tools.plan.replacements import replaces_when_unknown

KUBERNETES_PROVIDER = "pulumi:providers:kubernetes"
KUBECONFIG_INPUTS = ("kubeconfig", "clusterIdentifier")


def label(resource: dict[str, Any]) -> str:
    """`AgentPool kata-pool`, as the timeline names a resource."""
    return f"{type_label(resource['type'])} {resource['name']}"


def _input_cause(resource: dict[str, Any], key: str, source: dict[str, Any]) -> str | None:
    """Why an input coming from the replaced `source` replaces `resource`, or None."""
    if not source.get("deleteBeforeReplace"):
        return None
    if resource["type"] == KUBERNETES_PROVIDER and key in KUBECONFIG_INPUTS:
        return (
            f"its {key} comes from {label(source)}, which is deleted and created again: "
            "pulumi-kubernetes replaces a provider whose kubeconfig is not known yet"
        )
    if (rule := replaces_when_unknown(resource["type"], key)) is None:
        return None
    return (
        f"input `{key}` comes from {label(source)}, which is deleted before it is replaced: "
        f"the engine then sees `{key}` as changed, and that replaces it ({rule.reason})"
    )


def _cause(
    resource: dict[str, Any], replaced: dict[str, str], by_urn: dict[str, dict[str, Any]]
) -> str | None:
    listed = set(resource.get("replaceWith") or [])
    for urn in replaced:  # in the order found: a direct replacement names the first cause
        if urn in listed and urn in by_urn:
            return f"replaced with {label(by_urn[urn])} (its replace_with option)"
    provider = resource.get("provider") or ""
    if provider in replaced and provider in by_urn:
        return f"its provider {label(by_urn[provider])} is replaced"
    for key, urns in (resource.get("inputsFrom") or {}).items():
        for urn in urns:
            if (
                urn in replaced
                and urn in by_urn
                and (cause := _input_cause(resource, key, by_urn[urn]))
            ):
                return cause
    return None


def cascade(head: list[dict[str, Any]], replaced: set[str], candidates: set[str]) -> dict[str, str]:
    """URN -> why, for each resource in `candidates` (in both plans) that is replaced because
    a resource in `replaced` (replaced for its own properties) or found here is."""
    by_urn = {r["urn"]: r for r in head if r.get("custom")}
    found: dict[str, str] = {urn: "" for urn in replaced}
    changed = True
    while changed:
        changed = False
        for urn in sorted(candidates - found.keys()):
            if urn in by_urn and (cause := _cause(by_urn[urn], found, by_urn)):
                found[urn] = cause
                changed = True
    return {urn: cause for urn, cause in found.items() if cause}
