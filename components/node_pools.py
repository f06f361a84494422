"""The node pools the program adds to the cluster (Kata, User), and the shape every pool it
creates shares, the inline System pool included: host encryption and the OS disk."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi_azure_native import containerservice

from components.former_components import former_component


@dataclass(frozen=True)
class HostDisk:
    """Set when a pool is created and never changed (AKS refuses later changes)."""

    encryption_at_host: bool = False
    os_disk_type: str = ""  # empty: AKS picks
    os_disk_size_gb: int = 0  # 0: the AKS default

    def pool_args(self) -> dict[str, Any]:
        """The keyword arguments of an AgentPool or an inline pool; a default is not sent, so
        AKS keeps its own."""
        return {
            "enable_encryption_at_host": self.encryption_at_host or None,
            "os_disk_type": self.os_disk_type or None,
            "os_disk_size_gb": self.os_disk_size_gb or None,
        }


@dataclass(frozen=True)
class Autoscaling:
    """The cluster autoscaler's bounds; the pool's `count` is then only its initial size."""

    min_count: int
    max_count: int


@dataclass(frozen=True)
class UpgradeArgs:
    """How AKS upgrades the pool's nodes (AgentPool upgradeSettings)."""

    max_surge: str
    max_unavailable: str | None  # None: not sent (AKS refuses it on System pools)
    drain_timeout_minutes: int
    node_soak_minutes: int
    undrainable_node_behavior: str

    def settings(self) -> containerservice.AgentPoolUpgradeSettingsArgs:
        return containerservice.AgentPoolUpgradeSettingsArgs(
            max_surge=self.max_surge,
            max_unavailable=self.max_unavailable,
            drain_timeout_in_minutes=self.drain_timeout_minutes,
            node_soak_duration_in_minutes=self.node_soak_minutes,
            undrainable_node_behavior=self.undrainable_node_behavior,
        )


@dataclass(frozen=True)
class NodePoolArgs:
    """One Linux pool: its ARM name, size, count and what makes it special."""

    name: str  # the agent pool's name in ARM, e.g. katapool
    vm_size: str
    count: int  # with autoscaling: the initial size (AKS needs it, pulumi-azure-native#2943)
    os_sku: str = "AzureLinux"
    kubernetes_version: str = ""  # empty: the cluster's
    disk: HostDisk = HostDisk()
    workload_runtime: str | None = None  # KataVmIsolation for a Kata pool
    taints: tuple[str, ...] = ()
    tags: Mapping[str, str] = field(default_factory=dict)
    autoscaling: Autoscaling | None = None  # None: a fixed `count`
    zones: tuple[str, ...] = ()  # empty: regional
    upgrade: UpgradeArgs | None = None  # None: AKS's defaults

    def scale_args(self) -> dict[str, Any]:
        """Count, autoscaler bounds, zones and upgrade settings, as an AgentPool or an inline
        pool takes them; what is not set is not sent."""
        scaling = self.autoscaling
        return {
            "count": self.count,
            "enable_auto_scaling": True if scaling else None,
            "min_count": scaling.min_count if scaling else None,
            "max_count": scaling.max_count if scaling else None,
            "availability_zones": list(self.zones) or None,
            "upgrade_settings": self.upgrade.settings() if self.upgrade else None,
        }


# Once the autoscaler sizes a pool, its count is the autoscaler's: a later `pulumi up` must not
# send kataNodeCount again and undo a scale-up (pulumi/pulumi-azure#780; Terraform modules do the
# same with lifecycle ignore_changes on node_count, e.g. FairwindsOps/azure-terraform-modules#3).
AUTOSCALED_COUNT = "count"
# AKS cannot change a pool's zones ("You can't change the number of availability zones after you
# create a node pool", articles/aks/reliability-availability-zones-configure.md, ms.date 03/26/2026)
# and azure-native would send the change as an update (availabilityZones is not in its forceNewMap):
# replace the pool instead, deleting it first. azure-native asks for delete-before-replace only for
# replacements of its own (pulumi-azure-native provider/pkg/provider/provider.go @ 006a62a, `Diff`:
# `deleteBeforeReplace := len(replaces) > 0`), and its create refuses a pool whose name exists
# ("cannot create already existing resource").
ZONES = "availabilityZones"


# The two kinds of pool the program adds, each named by the component it sat in until December
# 2026 (the alias in components.former_components).
# Kata: its nodes run pods in Kata VMs (workloadRuntime KataVmIsolation, Gen2 sizes with nested
# virtualization, Azure Linux).
KATA_POOL = "aks-pod-sandboxing:azure:KataNodePool"
# User: an untainted AzureLinux pool (OCI runtime). With the System pool tainted
# CriticalAddonsOnly and the Kata pool tainted for sandboxed pods, it is where the trusted pod and
# every other pod without a toleration are scheduled.
USER_POOL = "aks-pod-sandboxing:azure:UserNodePool"


def added_node_pool(
    name: str,
    kind: str,
    args: NodePoolArgs,
    resource_group_name: pulumi.Input[str],
    cluster_name: pulumi.Input[str],
    after: Sequence[pulumi.Resource] = (),
) -> containerservice.AgentPool:
    """A Linux User AgentPool `<name>-pool` of `kind` (KATA_POOL or USER_POOL) added to an
    existing or new cluster: what later steps wait for (and are replaced with)."""
    return containerservice.AgentPool(
        f"{name}-pool",
        resource_group_name=resource_group_name,
        resource_name_=cluster_name,
        agent_pool_name=args.name,
        mode=containerservice.AgentPoolMode.USER,
        type=containerservice.AgentPoolType.VIRTUAL_MACHINE_SCALE_SETS,
        os_type=containerservice.OSType.LINUX,
        os_sku=args.os_sku,
        vm_size=args.vm_size,
        orchestrator_version=args.kubernetes_version or None,
        workload_runtime=args.workload_runtime,
        node_taints=list(args.taints) or None,
        tags=dict(args.tags) or None,
        **args.scale_args(),
        **args.disk.pool_args(),
        opts=pulumi.ResourceOptions(
            # Pool operations it must not overlap (AKS runs one at a time per cluster).
            depends_on=list(after),
            ignore_changes=[AUTOSCALED_COUNT] if args.autoscaling else None,
            replace_on_changes=[ZONES],
            delete_before_replace=True,
            aliases=[former_component(kind, name)],
        ),
    )
