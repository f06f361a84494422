"""The subscription preflight's decisions, from Azure Resource Manager's answers. Pure.

Each function takes what the stack needs (sandboxing.preflight_needs) and ARM's JSON answer and
says what is wrong (an error: the deployment would fail) or worth knowing (a warning), with the
numbers and the fix. The reads themselves are cloud/arm_reader.py's; cloud/preflight.py runs
them in order. Answer shapes: Microsoft.Resources providers (`registrationState`),
Microsoft.Features features (`properties.state`, compared without case: the 2021-07-01 spec's
own example says "registered"), Microsoft.Compute resource SKUs (2021-07-01: `family`,
`capabilities` vCPUs, `locationInfo` zones, `restrictions` with `reasonCode`) and usages
(`name.value`, `currentValue`, `limit`; the regional total is named "cores"), and AKS's
kubernetesVersions (the shape `az aks get-versions -o json` prints).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sandboxing.aks_versions import window_from_get_versions
from sandboxing.preflight_needs import FeatureNeed, PoolNeed
from sandboxing.rules.versions import version_problems

Severity = Literal["error", "warning"]
REGIONAL_VCPUS = "cores"  # the usage of all VM families together ("Total Regional vCPUs")


@dataclass(frozen=True)
class Finding:
    severity: Severity
    check: str  # providers, features, vm-sizes, quota, kubernetes-version, access
    message: str


# --- Resource providers and features ---------------------------------------------------------


def provider_finding(namespace: str, body: dict[str, Any], subscription: str) -> Finding | None:
    state = str(body.get("registrationState") or "NotRegistered")
    if state.lower() == "registered":
        return None
    wait = " (it is on its way: wait until it says Registered)" if state == "Registering" else ""
    return Finding(
        "error",
        "providers",
        (
            f"resource provider {namespace} is {state} in subscription {subscription}{wait}: "
            f"register it once with `az provider register --namespace {namespace}`, then "
            f"`az provider show --namespace {namespace} --query registrationState` says Registered"
        ),
    )


def feature_finding(
    need: FeatureNeed, body: dict[str, Any] | None, subscription: str
) -> Finding | None:
    """`body` None: Resource Manager does not know the feature (404)."""
    state = str(((body or {}).get("properties") or {}).get("state") or "")
    if state.lower() == "registered":
        return None
    full = f"{need.namespace}/{need.name}"
    said = f"is {state}" if state else "is unknown to Resource Manager (404)"
    commands = (
        f"`az feature register --namespace {need.namespace} --name {need.name}`, wait until "
        f"`az feature show --namespace {need.namespace} --name {need.name} --query "
        f"properties.state` says Registered, then `az provider register --namespace "
        f"{need.namespace}`"
    )
    severity: Severity = "error" if need.required else "warning"
    return Finding(
        severity,
        "features",
        (
            f"subscription feature {full} {said} in subscription {subscription} ({need.why}). "
            f"Register it: {commands}"
        ),
    )


# --- VM sizes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkuFacts:
    family: str  # as the usages name it, e.g. standardDSv3Family
    vcpus: int


def vm_skus(skus: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The virtual machine sizes of a SKU list, by lower-case name."""
    return {
        str(sku.get("name", "")).lower(): sku
        for sku in skus
        if sku.get("resourceType") == "virtualMachines"
    }


def _vcpus(sku: dict[str, Any]) -> int | None:
    for capability in sku.get("capabilities") or []:
        if capability.get("name") == "vCPUs":
            try:
                return int(capability.get("value"))
            except (TypeError, ValueError):
                return None
    return None


def _keys(pools: Iterable[PoolNeed], vm_size: str) -> str:
    return ", ".join(sorted({pool.key for pool in pools if pool.vm_size == vm_size}))


def _zone_findings(pool: PoolNeed, sku: dict[str, Any], location: str) -> list[Finding]:
    """A pool's zones against the size's zones and zone restrictions (no zones: nothing)."""
    if not pool.zones:
        return []
    offered: set[str] = set()
    for info in sku.get("locationInfo") or []:
        if str(info.get("location", "")).lower() == location.lower():
            offered |= set(info.get("zones") or [])
    for restriction in sku.get("restrictions") or []:
        if restriction.get("type") == "Zone":
            offered -= set((restriction.get("restrictionInfo") or {}).get("zones") or [])
    missing = sorted(set(pool.zones) - offered)
    if not missing:
        return []
    return [
        Finding(
            "error",
            "vm-sizes",
            (
                f"{pool.key} {pool.vm_size} is not available to this subscription in zone(s) "
                f"{', '.join(missing)} of {location} "
                f"(available: {', '.join(sorted(offered)) or 'none'})"
            ),
        )
    ]


def sku_findings(
    pools: tuple[PoolNeed, ...], skus: dict[str, dict[str, Any]], location: str, subscription: str
) -> tuple[list[Finding], dict[str, SkuFacts]]:
    """Each pool's size offered in `location` without restriction; its family and vCPUs."""
    findings: list[Finding] = []
    facts: dict[str, SkuFacts] = {}
    listing = f"`az vm list-skus --location {location} --size {{}} --output table`"
    for vm_size in dict.fromkeys(pool.vm_size for pool in pools):
        sku = skus.get(vm_size.lower())
        keys = _keys(pools, vm_size)
        if sku is None:
            findings.append(
                Finding(
                    "error",
                    "vm-sizes",
                    (
                        f"{keys} {vm_size} is not offered in {location} ({listing.format(vm_size)} "
                        "shows where it is): choose another size or another azure-native:location"
                    ),
                )
            )
            continue
        for restriction in sku.get("restrictions") or []:
            if restriction.get("type") != "Location":
                continue
            reason = restriction.get("reasonCode") or "restricted"
            findings.append(
                Finding(
                    "error",
                    "vm-sizes",
                    (
                        f"{keys} {vm_size} is restricted for subscription {subscription} in "
                        f"{location} ({reason}; {listing.format(vm_size)} shows it under "
                        "Restrictions): request access through an Azure support request (quota "
                        "type: VM SKU restrictions), or choose another size or region"
                    ),
                )
            )
        findings += [
            f
            for pool in pools
            if pool.vm_size == vm_size
            for f in _zone_findings(pool, sku, location)
        ]
        vcpus = _vcpus(sku)
        if vcpus is not None and sku.get("family"):
            facts[vm_size] = SkuFacts(str(sku["family"]), vcpus)
    return findings, facts


# --- vCPU quota ----------------------------------------------------------------------------------


def deployed_pools(cluster: dict[str, Any], pools: tuple[PoolNeed, ...]) -> tuple[PoolNeed, ...]:
    """The stack's pools as the cluster runs them (ARM's managedClusters answer), by pool name:
    what is already counted in the usages."""
    keys = {pool.name: pool.key for pool in pools if pool.name}
    found = []
    for profile in (cluster.get("properties") or {}).get("agentPoolProfiles") or []:
        key = keys.get(str(profile.get("name", "")))
        if key is not None:
            count = int(profile.get("count") or 0)
            found.append(PoolNeed(key, str(profile.get("vmSize", "")), count, profile["name"]))
    return tuple(found)


def nodes_to_add(pool: PoolNeed, old_pools: tuple[PoolNeed, ...]) -> int:
    """What `pool` adds over the deployed pool of the same key (a new size: a new pool, created
    before the old one is deleted)."""
    old = next((p for p in old_pools if p.key == pool.key), None)
    if old is None or old.vm_size != pool.vm_size:
        return pool.nodes
    return max(0, pool.nodes - old.nodes)


def quota_findings(
    pools: tuple[PoolNeed, ...],
    old_pools: tuple[PoolNeed, ...],
    facts: dict[str, SkuFacts],
    usages: Iterable[dict[str, Any]],
    location: str,
) -> list[Finding]:
    """The vCPUs the stack adds, per family and in the regional total, against what is free;
    a warning when nothing is left for the nodes an upgrade surges (kataMaxSurge for the Kata
    pool, one for each other pool)."""
    by_name = {str((u.get("name") or {}).get("value", "")).lower(): u for u in usages}
    need: dict[str, int] = defaultdict(int)
    surge: dict[str, int] = defaultdict(int)
    detail: dict[str, list[str]] = defaultdict(list)
    for pool in pools:
        sku = facts.get(pool.vm_size)
        if sku is None:
            continue  # not offered, or no vCPU figure: sku_findings says so
        added = nodes_to_add(pool, old_pools)
        for family in (sku.family, REGIONAL_VCPUS):
            need[family] += added * sku.vcpus
            surge[family] += pool.surge * sku.vcpus
            detail[family].append(f"{pool.key} {pool.vm_size}: {added} x {sku.vcpus}")
    findings = []
    # The families first, then the regional total.
    for family, wanted in sorted(need.items(), key=lambda item: item[0] == REGIONAL_VCPUS):
        usage = by_name.get(family.lower())
        if usage is None:
            findings.append(
                Finding(
                    "warning",
                    "quota",
                    (f"no vCPU usage named {family} in {location}: its quota was not checked"),
                )
            )
            continue
        label = (usage.get("name") or {}).get("localizedValue") or family
        limit, used = int(usage.get("limit", 0)), int(usage.get("currentValue", 0))
        free = limit - used
        numbers = (
            f"the stack adds {wanted} vCPUs ({'; '.join(detail[family])}), and {free} of "
            f"{limit} are free ({used} in use)"
        )
        fix = (
            f"`az vm list-usage --location {location} --output table` shows it; request more "
            "in the Azure portal (Quotas > Compute), or choose a size of a family with room, "
            "fewer nodes, or another region"
        )
        if wanted > free:
            findings.append(
                Finding("error", "quota", f"vCPU quota '{label}' in {location}: {numbers}. {fix}")
            )
        elif wanted + surge[family] > free:
            findings.append(
                Finding(
                    "warning",
                    "quota",
                    (
                        f"vCPU quota '{label}' in {location}: {numbers}; an upgrade adds its "
                        f"surge nodes while it runs ({surge[family]} vCPUs more), which would not "
                        f"fit. {fix}"
                    ),
                )
            )
    return findings


# --- Kubernetes version ----------------------------------------------------------------------


def version_findings(
    version: str,
    support_plan: str,
    existing_cluster: bool,
    body: dict[str, Any],
    location: str,
    changed: bool,
) -> list[Finding]:
    """The version against Azure's list for the region; for a version the last run already
    deployed (`changed` False) a refusal is a warning: the cluster exists, AKS let it in."""
    window = window_from_get_versions(body, f"Azure's list for {location}, read now")
    findings = []
    for problem in version_problems(version, support_plan, window, existing_cluster):
        severity: Severity = problem.severity if changed else "warning"
        findings.append(
            Finding(
                severity, "kubernetes-version", f"kubernetesVersion {version!r}: {problem.message}"
            )
        )
    return findings
