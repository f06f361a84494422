"""An AKS cluster the user already runs: looked up, checked, never created, never deleted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
from pulumi_azure_native import containerservice

from components.config_error import ConfigError
from components.kubernetes_access import ClusterAccess
from sandboxing.config.settings import Problem

# Problems with the looked-up cluster, given in ARM's camelCase shape.
ClusterCheck = Callable[[dict[str, Any]], list[Problem]]


class ExistingCluster(ClusterAccess):
    """Access to an existing cluster: kubeconfig and Kubernetes provider only."""

    def __init__(
        self,
        name: str,
        resource_group_name: str,
        cluster_name: str,
        cluster_id: str,
        entra: bool = False,
        location: str = "",
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("aks-pod-sandboxing:azure:ExistingCluster", name, None, opts)
        self.location = location  # the cluster's region, as ARM names it
        self._connect(name, resource_group_name, cluster_name, cluster_id, entra)


def connect_existing_cluster(
    name: str, resource_group_name: str, cluster_name: str, check: ClusterCheck
) -> ExistingCluster:
    """Look the cluster up, `check` it, and connect to it, or stop the run.

    A plain (blocking) invoke on purpose: its answer is checked before any resource is
    registered, so a wrong cluster never leaves a half-created Kata pool behind; every problem
    (too old, a foreign pool of the Kata pool's name) comes in one error. A cluster that does
    not exist fails the invoke itself; the engine then stops the run with ARM's own
    `ResourceNotFound` message, which names the cluster and its resource group (the SDK reports
    a failed invoke even when the program catches it, so there is no point in wrapping it).
    """
    found = containerservice.get_managed_cluster(
        resource_group_name=resource_group_name, resource_name=cluster_name
    )
    # The check is pure and reads ARM's camelCase shape, as the offline plan hands it over.
    cluster = {
        "currentKubernetesVersion": found.current_kubernetes_version,
        "kubernetesVersion": found.kubernetes_version,
        "aadProfile": {"managed": True} if found.aad_profile else None,
        "agentPoolProfiles": [
            {"name": pool.name, "tags": dict(pool.tags or {})}
            for pool in found.agent_pool_profiles or []
        ],
        "networkProfile": network_ranges(found.network_profile),
    }
    if problems := check(cluster):
        raise ConfigError(problems)
    return ExistingCluster(
        name,
        resource_group_name,
        cluster_name,
        found.id,
        entra=bool(found.aad_profile),
        location=found.location or "",
    )


def network_ranges(profile: Any) -> dict[str, list[str]] | None:
    """The cluster's pod and Service ranges (the tenant fences keep egress out of them)."""
    if profile is None:
        return None
    return {
        "podCidrs": list(profile.pod_cidrs or ([profile.pod_cidr] if profile.pod_cidr else [])),
        "serviceCidrs": list(
            profile.service_cidrs or ([profile.service_cidr] if profile.service_cidr else [])
        ),
    }
