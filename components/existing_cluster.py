"""An AKS cluster the user already runs: looked up, never created, never deleted."""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi_azure_native import containerservice

from components.kubernetes_access import ClusterAccess
from sandboxing.contract import Settings


def look_up_cluster(settings: Settings) -> dict[str, Any]:
    """The cluster as ARM describes it (camelCase), or a RunError that says what to fix.

    A plain (blocking) invoke on purpose: its answer is validated before any resource is
    registered, so a wrong cluster never leaves a half-created Kata pool behind. A cluster that
    does not exist fails the invoke itself; the engine then stops the run with ARM's own
    `ResourceNotFound` message, which names the cluster and its resource group (the SDK reports
    a failed invoke even when the program catches it, so there is no point in wrapping it).
    """
    result = containerservice.get_managed_cluster(
        resource_group_name=settings.resource_group_name,
        resource_name=settings.cluster_name,
    )
    pools = [
        {"name": p.name, "tags": dict(p.tags or {}), "workloadRuntime": p.workload_runtime}
        for p in result.agent_pool_profiles or []
    ]
    return {
        "id": result.id,
        "currentKubernetesVersion": result.current_kubernetes_version,
        "kubernetesVersion": result.kubernetes_version,
        "agentPoolProfiles": pools,
        "aadProfile": {"managed": True} if result.aad_profile else None,
    }


class ExistingCluster(ClusterAccess):
    """Access to an existing cluster: kubeconfig and Kubernetes provider only."""

    def __init__(
        self,
        name: str,
        settings: Settings,
        cluster_id: str,
        entra: bool = False,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("aks-pod-sandboxing:azure:ExistingCluster", name, None, opts)
        self._connect(name, settings.resource_group_name, settings.cluster_name, cluster_id, entra)
