"""A new AKS cluster on Azure Linux: resource group, managed cluster, kubeconfig, k8s provider."""

from __future__ import annotations

import pulumi
from pulumi_azure_native import containerservice, resources

from components.kubernetes_access import ClusterAccess
from components.monitoring import (
    OMS_AGENT,
    ClusterMonitoring,
    LogAnalyticsWorkspace,
    oms_agent_addon,
)
from components.pool_options import host_and_disk
from sandboxing.catalog import CRITICAL_ADDONS_ONLY_TAINT, SYSTEM_POOL_NAME
from sandboxing.config.settings import Settings

DNS_PREFIX_MAX = 54
AZURE_POLICY = "azurepolicy"  # the add-on's key in addonProfiles (azure-cli `azure-policy`)


def dns_prefix(settings: Settings) -> str:
    prefix = (settings.cluster_name or "podsandbox").replace("_", "-")[:DNS_PREFIX_MAX]
    return prefix.strip("-") or "podsandbox"


def network_profile(settings: Settings) -> containerservice.ContainerServiceNetworkProfileArgs:
    # Azure CNI Overlay with an enforcing policy engine, so the sandbox's NetworkPolicy holds.
    cilium = settings.network_policy_engine == "cilium"
    return containerservice.ContainerServiceNetworkProfileArgs(
        network_plugin=containerservice.NetworkPlugin.AZURE,
        network_plugin_mode=containerservice.NetworkPluginMode.OVERLAY,
        network_dataplane=containerservice.NetworkDataplane.CILIUM if cilium else None,
        network_policy=settings.network_policy_engine,
    )


def entra_profile(settings: Settings) -> containerservice.ManagedClusterAADProfileArgs | None:
    """AKS-managed Microsoft Entra integration, only when admin groups are configured."""
    if not settings.entra_enabled:
        return None
    return containerservice.ManagedClusterAADProfileArgs(
        managed=True,
        admin_group_object_ids=list(settings.entra_admin_group_object_ids),
        enable_azure_rbac=settings.enable_azure_rbac,
    )


def system_pool(settings: Settings) -> containerservice.ManagedClusterAgentPoolProfileArgs:
    """The inline System pool: small and OCI, or (placement system) the cluster's Kata pool.

    With placement system this is the docs' `az aks create --os-sku AzureLinux --workload-runtime
    KataVmIsolation --node-vm-size ... --node-count ...`: no taint, so the system pods and the
    trusted pod run on it with the ordinary runtime and only pods naming the runtime class get a
    VM.
    """
    kata = settings.kata_on_system_pool
    return containerservice.ManagedClusterAgentPoolProfileArgs(
        name=SYSTEM_POOL_NAME,
        mode=containerservice.AgentPoolMode.SYSTEM,
        os_type=containerservice.OSType.LINUX,
        os_sku=settings.kata_os_sku if kata else containerservice.OSSKU.AZURE_LINUX,
        type=containerservice.AgentPoolType.VIRTUAL_MACHINE_SCALE_SETS,
        vm_size=settings.kata_node_vm_size if kata else settings.system_node_vm_size,
        count=settings.kata_node_count if kata else settings.system_node_count,
        workload_runtime=settings.workload_runtime if kata else None,
        # systemPoolCriticalAddonsOnly: only system pods (they tolerate it) run here.
        node_taints=[CRITICAL_ADDONS_ONLY_TAINT] if settings.user_pool else None,
        **host_and_disk(settings),
    )


def addon_profiles(
    settings: Settings, workspace_id: pulumi.Input[str] | None
) -> dict[str, containerservice.ManagedClusterAddonProfileArgs] | None:
    """Container Insights (with a workspace) and the Azure Policy add-on, as far as asked for."""
    addons = {}
    if workspace_id is not None:
        addons[OMS_AGENT] = oms_agent_addon(workspace_id)
    if settings.enable_azure_policy:
        addons[AZURE_POLICY] = containerservice.ManagedClusterAddonProfileArgs(enabled=True)
    return addons or None


def api_server_access(
    settings: Settings,
) -> containerservice.ManagedClusterAPIServerAccessProfileArgs | None:
    if not settings.api_server_authorized_ip_ranges:
        return None
    return containerservice.ManagedClusterAPIServerAccessProfileArgs(
        authorized_ip_ranges=list(settings.api_server_authorized_ip_ranges)
    )


class AzureLinuxCluster(ClusterAccess):
    """Resource group + AKS cluster with one inline System pool: a small OCI pool (Kata pools
    are added apart), or with placement system the cluster's only pool, running Kata."""

    system_pool_name: pulumi.Output[str]

    def __init__(
        self, name: str, settings: Settings, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("aks-pod-sandboxing:azure:AzureLinuxCluster", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        group = resources.ResourceGroup(
            f"{name}-rg",
            resource_group_name=settings.resource_group_name or None,
            location=settings.location,
            opts=child,
        )
        # The add-on names the workspace, so it exists before the cluster.
        workspace = (
            LogAnalyticsWorkspace(f"{name}-logs", settings, group.name, group.location, child)
            if settings.enable_azure_monitor
            else None
        )
        cluster = containerservice.ManagedCluster(
            f"{name}-aks",
            resource_group_name=group.name,
            resource_name_=settings.cluster_name or None,
            location=group.location,
            dns_prefix=dns_prefix(settings),
            kubernetes_version=settings.kubernetes_version or None,
            identity=containerservice.ManagedClusterIdentityArgs(
                type=containerservice.ResourceIdentityType.SYSTEM_ASSIGNED
            ),
            enable_rbac=True,
            # The inline pool cannot be changed after creation (pulumi-azure-native #579,
            # #4264): by default keep it minimal and put the Kata pool in its own AgentPool.
            agent_pool_profiles=[system_pool(settings)],
            network_profile=network_profile(settings),
            auto_upgrade_profile=containerservice.ManagedClusterAutoUpgradeProfileArgs(
                upgrade_channel=settings.auto_upgrade_channel,
                node_os_upgrade_channel=settings.node_os_upgrade_channel,
            ),
            sku=containerservice.ManagedClusterSKUArgs(
                name=containerservice.ManagedClusterSKUName.BASE, tier=settings.sku_tier
            ),
            aad_profile=entra_profile(settings),
            disable_local_accounts=settings.disable_local_accounts or None,
            api_server_access_profile=api_server_access(settings),
            addon_profiles=addon_profiles(settings, workspace.workspace_id if workspace else None),
            opts=child,
        )
        if workspace is not None:
            ClusterMonitoring(f"{name}-monitoring", cluster.id, cluster.name, group.name,
                              group.location, workspace.workspace_id, child)  # fmt: skip
        # What waits for the cluster's own nodes (with kataPoolPlacement system, the Kata nodes).
        self.managed_cluster = cluster
        # From the cluster's own answer, so the name is known once the pool exists.
        self.system_pool_name = cluster.agent_pool_profiles.apply(
            lambda pools: pools[0].name if pools else SYSTEM_POOL_NAME
        )
        self._connect(name, group.name, cluster.name, cluster.id, settings.entra_enabled)
