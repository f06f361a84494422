"""Rules for adding the Kata pool to a cluster someone already runs (clusterMode: existing)."""

from __future__ import annotations

from typing import Any

from sandboxing import catalog
from sandboxing.agent_sandbox.config import existing_cluster_problems as sandbox_problems
from sandboxing.config.settings import Problem, Settings
from sandboxing.names import parse_kubernetes_version
from sandboxing.rules.zones import region_problems
from sandboxing.tenants.existing_cluster import existing_cluster_problems


def check_existing_cluster(
    settings: Settings, cluster: dict[str, Any], managed_by: str
) -> list[Problem]:
    """Problems with the looked-up cluster (`cluster` in ARM's camelCase shape); `managed_by`
    is this stack's value of the catalog's MANAGED_BY_TAG."""
    problems: list[Problem] = []
    version_text = cluster.get("currentKubernetesVersion") or cluster.get("kubernetesVersion") or ""
    version = parse_kubernetes_version(version_text)
    runtime = catalog.KATA_GA  # the pool this program adds is always a GA Kata pool
    minimum = catalog.version_text(runtime.min_kubernetes)
    if version is None or version < runtime.min_kubernetes:
        problems.append(
            Problem(
                "clusterName",
                settings.cluster_name,
                f"runs Kubernetes {version_text or 'of unknown version'}; "
                f"{runtime.workload_runtime} needs {minimum} or later. Upgrade it first: "
                f"az aks upgrade --resource-group {settings.resource_group_name} "
                f"--name {settings.cluster_name} "
                f"--kubernetes-version <{minimum} or later>",
            )
        )
    for pool in cluster.get("agentPoolProfiles") or []:
        if pool.get("name") != settings.kata_node_pool_name:
            continue
        if (pool.get("tags") or {}).get(catalog.MANAGED_BY_TAG) == managed_by:
            continue  # our own pool from an earlier `pulumi up`
        problems.append(
            Problem(
                "kataNodePoolName",
                settings.kata_node_pool_name,
                f"a node pool of that name already exists on {settings.cluster_name} and is not "
                f"managed by this stack ({managed_by}); choose another name",
            )
        )
    # availabilityZones: the Kata pool goes into the cluster's region, known only now.
    where = f"the cluster {settings.cluster_name}'s region"
    problems += region_problems(settings.availability_zones, cluster.get("location") or "", where)
    return (
        problems
        + existing_cluster_problems(settings, cluster)
        + sandbox_problems(settings, cluster)
    )
