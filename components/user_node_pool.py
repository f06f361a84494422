"""The User pool for ordinary workloads, when the System pool is kept for system pods."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
from pulumi_azure_native import containerservice

from components.pool_options import added_linux_pool
from sandboxing.catalog import USER_POOL_NAME
from sandboxing.config.settings import Settings


class UserNodePool(pulumi.ComponentResource):
    """An untainted AzureLinux User pool (OCI runtime): with the System pool tainted
    CriticalAddonsOnly and the Kata pool tainted for sandboxed pods, it is where the trusted pod
    and every other pod without a toleration are scheduled."""

    pool: containerservice.AgentPool  # what the trusted pod waits for
    pool_name: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        settings: Settings,
        resource_group_name: pulumi.Input[str],
        cluster_name: pulumi.Input[str],
        after: Sequence[pulumi.Resource] = (),
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("aks-pod-sandboxing:azure:UserNodePool", name, None, opts)
        pool = added_linux_pool(
            f"{name}-pool", settings, resource_group_name, cluster_name, self, after,
            agent_pool_name=USER_POOL_NAME,
            os_sku=containerservice.OSSKU.AZURE_LINUX,
            vm_size=settings.user_node_vm_size,
            count=settings.user_node_count,
        )  # fmt: skip
        self.pool = pool
        self.pool_name = pool.name
        self.register_outputs({"poolName": self.pool_name})
