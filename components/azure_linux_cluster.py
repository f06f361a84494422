"""A new AKS cluster on Azure Linux: resource group, managed cluster, kubeconfig, k8s provider."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import containerservice, resources

from components.kubernetes_access import ClusterAccess
from components.monitoring import (
    OMS_AGENT,
    ClusterMonitoring,
    LogAnalyticsWorkspace,
    WorkspaceArgs,
    oms_agent_addon,
)
from components.node_pools import AUTOSCALED_COUNT, NodePoolArgs
from sandboxing.catalog import SYSTEM_POOL_NAME

DNS_PREFIX_MAX = 54
AZURE_POLICY = "azurepolicy"  # the add-on's key in addonProfiles (azure-cli 2.91.0 `azure-policy`)


@dataclass(frozen=True)
class EntraArgs:
    """AKS-managed Microsoft Entra integration."""

    admin_group_object_ids: tuple[str, ...]
    azure_rbac: bool = False
    disable_local_accounts: bool = False


@dataclass(frozen=True)
class AutoscalerProfile:
    """The cluster autoscaler's settings; one profile for every autoscaled pool of the cluster
    ("You can't set an autoscaler profile per node pool", articles/aks/cluster-autoscaler.md,
    ms.date 07/30/2026)."""

    scale_down_delay_after_add: str
    scale_down_unneeded_time: str
    expander: str
    max_node_provision_time: str

    def profile(self) -> containerservice.ManagedClusterPropertiesAutoScalerProfileArgs:
        return containerservice.ManagedClusterPropertiesAutoScalerProfileArgs(
            scale_down_delay_after_add=self.scale_down_delay_after_add,
            scale_down_unneeded_time=self.scale_down_unneeded_time,
            expander=self.expander,
            max_node_provision_time=self.max_node_provision_time,
        )


@dataclass(frozen=True)
class ClusterArgs:
    """A new cluster: where, which version, its inline System pool and its options."""

    location: str
    system_pool: NodePoolArgs
    resource_group_name: str = ""  # empty: auto-named
    cluster_name: str = ""  # empty: auto-named
    kubernetes_version: str = ""  # empty: AKS's default
    network_policy_engine: str = "cilium"
    auto_upgrade_channel: str = "patch"
    node_os_upgrade_channel: str = "NodeImage"
    sku_tier: str = "Free"
    support_plan: str = "KubernetesOfficial"  # or AKSLongTermSupport (needs sku_tier Premium)
    entra: EntraArgs | None = None
    api_server_authorized_ip_ranges: tuple[str, ...] = ()
    monitoring: WorkspaceArgs | None = None
    azure_policy: bool = False
    autoscaler: AutoscalerProfile | None = None  # None: no pool autoscales, nothing sent


def dns_prefix(cluster_name: str) -> str:
    prefix = (cluster_name or "podsandbox").replace("_", "-")[:DNS_PREFIX_MAX]
    return prefix.strip("-") or "podsandbox"


def network_profile(engine: str) -> containerservice.ContainerServiceNetworkProfileArgs:
    # Azure CNI Overlay with an enforcing policy engine, so the sandbox's NetworkPolicy holds.
    cilium = engine == "cilium"
    return containerservice.ContainerServiceNetworkProfileArgs(
        network_plugin=containerservice.NetworkPlugin.AZURE,
        network_plugin_mode=containerservice.NetworkPluginMode.OVERLAY,
        network_dataplane=containerservice.NetworkDataplane.CILIUM if cilium else None,
        network_policy=engine,
    )


def entra_profile(entra: EntraArgs | None) -> containerservice.ManagedClusterAADProfileArgs | None:
    if entra is None:
        return None
    return containerservice.ManagedClusterAADProfileArgs(
        managed=True,
        admin_group_object_ids=list(entra.admin_group_object_ids),
        enable_azure_rbac=entra.azure_rbac,
    )


def system_pool(pool: NodePoolArgs) -> containerservice.ManagedClusterAgentPoolProfileArgs:
    """The inline System pool: small and OCI, or (placement system) the cluster's Kata pool.

    With placement system this is the docs' `az aks create --os-sku AzureLinux --workload-runtime
    KataVmIsolation --node-vm-size ... --node-count ...`: no taint, so the system pods and the
    trusted pod run on it with the ordinary runtime and only pods naming the runtime class get a
    VM.
    """
    return containerservice.ManagedClusterAgentPoolProfileArgs(
        name=pool.name,
        mode=containerservice.AgentPoolMode.SYSTEM,
        os_type=containerservice.OSType.LINUX,
        os_sku=pool.os_sku,
        type=containerservice.AgentPoolType.VIRTUAL_MACHINE_SCALE_SETS,
        vm_size=pool.vm_size,
        workload_runtime=pool.workload_runtime,
        node_taints=list(pool.taints) or None,
        **pool.scale_args(),
        **pool.disk.pool_args(),
    )


def addon_profiles(
    workspace_id: pulumi.Input[str] | None, azure_policy: bool
) -> dict[str, containerservice.ManagedClusterAddonProfileArgs] | None:
    """Container Insights (with a workspace) and the Azure Policy add-on, as far as asked for."""
    addons = {}
    if workspace_id is not None:
        addons[OMS_AGENT] = oms_agent_addon(workspace_id)
    if azure_policy:
        addons[AZURE_POLICY] = containerservice.ManagedClusterAddonProfileArgs(enabled=True)
    return addons or None


def api_server_access(
    ranges: tuple[str, ...],
) -> containerservice.ManagedClusterAPIServerAccessProfileArgs | None:
    if not ranges:
        return None
    return containerservice.ManagedClusterAPIServerAccessProfileArgs(
        authorized_ip_ranges=list(ranges)
    )


class AzureLinuxCluster(ClusterAccess):
    """Resource group + AKS cluster with one inline System pool: a small OCI pool (Kata pools
    are added apart), or with placement system the cluster's only pool, running Kata."""

    def __init__(
        self,
        name: str,
        args: ClusterArgs,
        opts: pulumi.ResourceOptions | None = None,
        after: Sequence[pulumi.Resource] = (),
    ) -> None:
        """`after`: what must be done before anything of the cluster is sent (the preflight)."""
        super().__init__("aks-pod-sandboxing:azure:AzureLinuxCluster", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        # Everything else of the cluster hangs off the resource group, so it waits too.
        group = resources.ResourceGroup(
            f"{name}-rg",
            resource_group_name=args.resource_group_name or None,
            location=args.location,
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(after)),
        )
        # The add-on names the workspace, so it exists before the cluster.
        workspace = (
            LogAnalyticsWorkspace(
                f"{name}-logs", args.monitoring, group.name, group.location, child
            )
            if args.monitoring
            else None
        )
        cluster = containerservice.ManagedCluster(
            f"{name}-aks",
            resource_group_name=group.name,
            resource_name_=args.cluster_name or None,
            location=group.location,
            dns_prefix=dns_prefix(args.cluster_name),
            kubernetes_version=args.kubernetes_version or None,
            identity=containerservice.ManagedClusterIdentityArgs(
                type=containerservice.ResourceIdentityType.SYSTEM_ASSIGNED
            ),
            enable_rbac=True,
            # The inline pool cannot be changed after creation (pulumi-azure-native #579,
            # #4264): by default keep it minimal and put the Kata pool in its own AgentPool.
            agent_pool_profiles=[system_pool(args.system_pool)],
            network_profile=network_profile(args.network_policy_engine),
            auto_upgrade_profile=containerservice.ManagedClusterAutoUpgradeProfileArgs(
                upgrade_channel=args.auto_upgrade_channel,
                node_os_upgrade_channel=args.node_os_upgrade_channel,
            ),
            sku=containerservice.ManagedClusterSKUArgs(
                name=containerservice.ManagedClusterSKUName.BASE, tier=args.sku_tier
            ),
            support_plan=containerservice.KubernetesSupportPlan(args.support_plan),
            aad_profile=entra_profile(args.entra),
            disable_local_accounts=(args.entra and args.entra.disable_local_accounts) or None,
            api_server_access_profile=api_server_access(args.api_server_authorized_ip_ranges),
            addon_profiles=addon_profiles(
                workspace.workspace_id if workspace else None, args.azure_policy
            ),
            auto_scaler_profile=args.autoscaler.profile() if args.autoscaler else None,
            # An autoscaled System pool's count is the autoscaler's (node_pools.AUTOSCALED_COUNT).
            # Its zones are not replaced like an AgentPool's: a new zone list needs a new
            # cluster, and tools/plan/replacements.py marks the change as refused.
            opts=pulumi.ResourceOptions(
                parent=self,
                ignore_changes=[f"agentPoolProfiles[0].{AUTOSCALED_COUNT}"]
                if args.system_pool.autoscaling
                else None,
            ),
        )
        if workspace is not None:
            ClusterMonitoring(
                f"{name}-monitoring",
                cluster.id,
                cluster.name,
                group.name,
                group.location,
                workspace.workspace_id,
                child,
            )
        # What waits for the cluster's own nodes (with kataPoolPlacement system, the Kata nodes).
        self.managed_cluster = cluster
        # From the cluster's own answer, so the name is known once the pool exists.
        self.system_pool_name: pulumi.Output[str] = cluster.agent_pool_profiles.apply(
            lambda pools: pools[0].name if pools else SYSTEM_POOL_NAME
        )
        self._connect(name, group.name, cluster.name, cluster.id, args.entra is not None)
