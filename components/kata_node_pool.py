"""The Kata node pool: its own AgentPool (Gen2, nested virtualization, Azure Linux)."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
from pulumi_azure_native import containerservice

from components.pool_options import added_linux_pool
from sandboxing.catalog import MANAGED_BY_TAG
from sandboxing.config.settings import Settings


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
        pool = added_linux_pool(
            f"{name}-pool", settings, resource_group_name, cluster_name, self, after,
            agent_pool_name=settings.kata_node_pool_name,
            os_sku=settings.kata_os_sku,
            vm_size=settings.kata_node_vm_size,
            count=settings.kata_node_count,
            workload_runtime=settings.workload_runtime,
            node_taints=[settings.kata_node_taint] if settings.kata_node_taint else None,
            # Lets a later run on an existing cluster tell our pool from someone else's.
            tags={MANAGED_BY_TAG: managed_by},
        )  # fmt: skip
        self.pool = pool
        self.pool_name = pool.name
        self.register_outputs({"poolName": self.pool_name})
