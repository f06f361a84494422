"""What every pool the program creates shares: host encryption and the OS disk, and for the
pools added to the cluster (Kata, User) the rest of an AgentPool's common shape.

The host/disk keyword arguments fit the inline System pool (ManagedClusterAgentPoolProfileArgs)
and an AgentPool resource; a value left at its default is not sent, so AKS keeps its own default.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
from pulumi_azure_native import containerservice

from sandboxing.config.settings import Settings


def host_and_disk(settings: Settings) -> dict[str, Any]:
    """enable_encryption_at_host, os_disk_type, os_disk_size_gb, as far as they are set."""
    return {
        "enable_encryption_at_host": settings.enable_encryption_at_host or None,
        "os_disk_type": settings.os_disk_type or None,
        "os_disk_size_gb": settings.os_disk_size_gb or None,
    }


def added_linux_pool(
    name: str,
    settings: Settings,
    resource_group_name: pulumi.Input[str],
    cluster_name: pulumi.Input[str],
    parent: pulumi.Resource,
    after: Sequence[pulumi.Resource],
    **pool: Any,
) -> containerservice.AgentPool:
    """A Linux User AgentPool added to the cluster, with what every such pool shares; `pool`:
    its own name, size, count, OS SKU and the rest."""
    return containerservice.AgentPool(
        name,
        resource_group_name=resource_group_name,
        resource_name_=cluster_name,
        mode=containerservice.AgentPoolMode.USER,
        type=containerservice.AgentPoolType.VIRTUAL_MACHINE_SCALE_SETS,
        os_type=containerservice.OSType.LINUX,
        orchestrator_version=settings.kubernetes_version or None,
        **host_and_disk(settings),
        **pool,
        # `after`: pool operations it must not overlap (AKS runs one at a time per cluster).
        opts=pulumi.ResourceOptions(parent=parent, depends_on=list(after)),
    )
