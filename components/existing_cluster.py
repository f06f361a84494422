"""An AKS cluster the user already runs: looked up, never created, never deleted."""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi_azure_native import containerservice

from components.kubernetes_access import kubernetes_provider, user_kubeconfig
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
    }


class ExistingCluster(pulumi.ComponentResource):
    """Access to an existing cluster: kubeconfig and Kubernetes provider only."""

    resource_group_name: pulumi.Output[str]
    cluster_name: pulumi.Output[str]
    cluster_id: pulumi.Output[str]
    kubeconfig: pulumi.Output[str]
    provider: pulumi.ProviderResource

    def __init__(
        self,
        name: str,
        settings: Settings,
        cluster_id: str,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("aks-pod-sandboxing:azure:ExistingCluster", name, None, opts)
        self.resource_group_name = pulumi.Output.from_input(settings.resource_group_name)
        self.cluster_name = pulumi.Output.from_input(settings.cluster_name)
        self.cluster_id = pulumi.Output.from_input(cluster_id)
        self.kubeconfig = user_kubeconfig(
            settings.resource_group_name, settings.cluster_name, parent=self
        )
        self.provider = kubernetes_provider(f"{name}-k8s", self.kubeconfig, cluster_id, parent=self)
        self.register_outputs(
            {"resourceGroupName": self.resource_group_name, "clusterName": self.cluster_name}
        )
