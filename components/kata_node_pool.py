"""The Kata node pool: its own AgentPool (Gen2, nested virtualization, Azure Linux)."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
from pulumi_azure_native import containerservice

from components.pool_options import host_and_disk
from sandboxing.catalog import MANAGED_BY_TAG
from sandboxing.contract import Settings


class KataNodePool(pulumi.ComponentResource):
    """A User pool whose nodes run pods in Kata VMs (workloadRuntime KataVmIsolation)."""

    pool: containerservice.AgentPool  # what later steps wait for and are replaced with
    pool_name: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        settings: Settings,
        resource_group_name: pulumi.Input[str],
        cluster_name: pulumi.Input[str],
        managed_by: str,
        after: Sequence[pulumi.Resource] = (),
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("aks-pod-sandboxing:azure:KataNodePool", name, None, opts)
        pool = containerservice.AgentPool(
            f"{name}-pool",
            resource_group_name=resource_group_name,
            resource_name_=cluster_name,
            agent_pool_name=settings.kata_node_pool_name,
            mode=containerservice.AgentPoolMode.USER,
            type=containerservice.AgentPoolType.VIRTUAL_MACHINE_SCALE_SETS,
            os_type=containerservice.OSType.LINUX,
            os_sku=settings.kata_os_sku,
            vm_size=settings.kata_node_vm_size,
            count=settings.kata_node_count,
            workload_runtime=settings.workload_runtime,
            orchestrator_version=settings.kubernetes_version or None,
            node_taints=[settings.kata_node_taint] if settings.kata_node_taint else None,
            # Lets a later run on an existing cluster tell our pool from someone else's.
            tags={MANAGED_BY_TAG: managed_by},
            **host_and_disk(settings),
            # `after`: pool operations it must not overlap (AKS runs one at a time per cluster).
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(after)),
        )
        self.pool = pool
        self.pool_name = pool.name
        self.register_outputs({"poolName": self.pool_name})
