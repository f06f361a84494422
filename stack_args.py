"""Each component's typed arguments, from the settings: where a config key becomes what a
component sends. `__main__.py` wires the components together with these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from components.azure_linux_cluster import AutoscalerProfile, ClusterArgs, EntraArgs
from components.monitoring import WorkspaceArgs
from components.node_pools import Autoscaling, HostDisk, NodePoolArgs, UpgradeArgs
from sandboxing import catalog
from sandboxing.azure_clouds import PUBLIC
from sandboxing.config.settings import Settings
from sandboxing.pool_scaling import PoolScale, autoscaled_new_cluster_pools, kata_scale, user_scale
from sandboxing.workload import kata_pool_name

if TYPE_CHECKING:  # the sandbox layer's modules load only for a stack that turns it on
    from components.agent_sandbox import ControllerArgs
    from components.sandbox_pool import SandboxPoolArgs


def arm_cloud(settings: Settings) -> str:
    """The cloud whose Resource Manager the reconcile and the preflight call: azure-native's
    (the rules refuse a cloud they cannot follow while they are on)."""
    cloud = settings.cloud.cloud
    return cloud.name if cloud is not None else PUBLIC.name


def host_disk(settings: Settings) -> HostDisk:
    """enableEncryptionAtHost, osDiskType, osDiskSizeGB: on every pool the program creates."""
    return HostDisk(
        encryption_at_host=settings.enable_encryption_at_host,
        os_disk_type=settings.os_disk_type,
        os_disk_size_gb=settings.os_disk_size_gb,
    )


def autoscaling(pool: PoolScale) -> Autoscaling | None:
    """kata/userEnableAutoScaling with its NodeMinCount and NodeMaxCount."""
    return Autoscaling(pool.min_nodes, pool.max_nodes) if pool.autoscaling else None


def kata_upgrade(settings: Settings) -> UpgradeArgs:
    """kataMaxSurge and the rest, on the Kata pool wherever it is; maxUnavailable is not sent to
    a System pool (AKS refuses it there; the rules keep it 0)."""
    return UpgradeArgs(
        max_surge=settings.kata_max_surge,
        max_unavailable=None if settings.kata_on_system_pool else settings.kata_max_unavailable,
        drain_timeout_minutes=settings.kata_drain_timeout_minutes,
        node_soak_minutes=settings.kata_node_soak_minutes,
        undrainable_node_behavior=settings.kata_undrainable_node_behavior,
    )


def autoscaler_profile(settings: Settings) -> AutoscalerProfile | None:
    """The cluster autoscaler profile, sent when a pool of the new cluster autoscales."""
    if not autoscaled_new_cluster_pools(settings):
        return None
    return AutoscalerProfile(
        scale_down_delay_after_add=settings.autoscaler_scale_down_delay_after_add,
        scale_down_unneeded_time=settings.autoscaler_scale_down_unneeded_time,
        expander=settings.autoscaler_expander,
        max_node_provision_time=settings.autoscaler_max_node_provision_time,
    )


def system_pool(settings: Settings) -> NodePoolArgs:
    """The inline System pool: small and OCI, or with kataPoolPlacement system the Kata pool."""
    if settings.kata_on_system_pool:
        return NodePoolArgs(
            name=catalog.SYSTEM_POOL_NAME,
            vm_size=settings.kata_node_vm_size,
            count=settings.kata_node_count,
            os_sku=settings.kata_os_sku,
            disk=host_disk(settings),
            workload_runtime=settings.workload_runtime,
            autoscaling=autoscaling(kata_scale(settings)),
            zones=settings.availability_zones,
            upgrade=kata_upgrade(settings),
        )
    # systemPoolCriticalAddonsOnly: only system pods (they tolerate the taint) run there.
    taints = (catalog.CRITICAL_ADDONS_ONLY_TAINT,) if settings.user_pool else ()
    return NodePoolArgs(
        name=catalog.SYSTEM_POOL_NAME,
        vm_size=settings.system_node_vm_size,
        count=settings.system_node_count,
        disk=host_disk(settings),
        taints=taints,
        zones=settings.availability_zones,
    )


def cluster_args(settings: Settings) -> ClusterArgs:
    entra = None
    if settings.entra_enabled:
        entra = EntraArgs(
            admin_group_object_ids=settings.entra_admin_group_object_ids,
            azure_rbac=settings.enable_azure_rbac,
            disable_local_accounts=settings.disable_local_accounts,
        )
    monitoring = None
    if settings.enable_azure_monitor:
        monitoring = WorkspaceArgs(
            workspace_id=settings.log_analytics_workspace_id,
            retention_days=settings.log_analytics_retention_days,
        )
    return ClusterArgs(
        location=settings.location,
        system_pool=system_pool(settings),
        resource_group_name=settings.resource_group_name,
        cluster_name=settings.cluster_name,
        kubernetes_version=settings.kubernetes_version,
        network_policy_engine=settings.network_policy_engine,
        auto_upgrade_channel=settings.auto_upgrade_channel,
        node_os_upgrade_channel=settings.node_os_upgrade_channel,
        sku_tier=settings.sku_tier,
        support_plan=settings.support_plan,
        entra=entra,
        api_server_authorized_ip_ranges=settings.api_server_authorized_ip_ranges,
        monitoring=monitoring,
        azure_policy=settings.enable_azure_policy,
        autoscaler=autoscaler_profile(settings),
    )


def kata_pool_args(settings: Settings, managed_by: str) -> NodePoolArgs:
    """The Kata pool; `managed_by` tags it, so a later run on an existing cluster tells this
    stack's pool from someone else's of the same name."""
    return NodePoolArgs(
        name=settings.kata_node_pool_name,
        vm_size=settings.kata_node_vm_size,
        count=settings.kata_node_count,
        os_sku=settings.kata_os_sku,
        kubernetes_version=settings.kubernetes_version,
        disk=host_disk(settings),
        workload_runtime=settings.workload_runtime,
        taints=(settings.kata_node_taint,) if settings.kata_node_taint else (),
        tags={catalog.MANAGED_BY_TAG: managed_by},
        autoscaling=autoscaling(kata_scale(settings)),
        zones=settings.availability_zones,
        upgrade=kata_upgrade(settings),
    )


def user_pool_args(settings: Settings) -> NodePoolArgs:
    return NodePoolArgs(
        name=catalog.USER_POOL_NAME,
        vm_size=settings.user_node_vm_size,
        count=settings.user_node_count,
        kubernetes_version=settings.kubernetes_version,
        disk=host_disk(settings),
        autoscaling=autoscaling(user_scale(settings)),
        zones=settings.availability_zones,
    )


# --- Tenants -----------------------------------------------------------------------------------


# --- Sandboxes on demand (agentSandbox) ------------------------------------------------------


def agent_sandbox_controller_args(settings: Settings) -> ControllerArgs:
    """The pinned release, hardened; off the Kata nodes unless they are the only pool."""
    from components.agent_sandbox import ControllerArgs
    from sandboxing.agent_sandbox.controller import ControllerPlacement, controller_objects

    placement = ControllerPlacement(avoid_kata_nodes=not settings.kata_on_system_pool)
    version = settings.agent_sandbox_version
    return ControllerArgs(version, tuple(controller_objects(version, placement)))


def sandbox_pool_args(settings: Settings) -> SandboxPoolArgs:
    from components.sandbox_pool import SandboxPoolArgs
    from sandboxing.agent_sandbox import admission as sandbox_admission
    from sandboxing.agent_sandbox.sandboxes import sandbox_objects

    policies = sandbox_admission.policies(
        settings.effective_runtime_class,
        kata_pool_name(settings),
        settings.agent_sandbox_max_lifetime_seconds,
        settings.agent_sandbox_namespace,
    )
    return SandboxPoolArgs(objects=sandbox_objects(settings), policies=tuple(policies))
