"""Rules of the production options: host encryption, OS disks, Azure Monitor, Azure Policy and a
System pool for system pods only. Pure, like `rules`, which runs them with the others.

Pool-level options (enableEncryptionAtHost, osDiskType, osDiskSizeGB) apply to every pool the
program creates, so with clusterMode existing to the Kata pool alone; cluster-level options
(enableAzureMonitor, enableAzurePolicy, systemPoolCriticalAddonsOnly) change the cluster itself
and need clusterMode new.
"""

from __future__ import annotations

from sandboxing import catalog
from sandboxing.config.contract import Problem, Settings
from sandboxing.config.key import KEYS_BY_NAME


def _changed(key: str, value: object) -> bool:
    return value != KEYS_BY_NAME[key].default


def pools_to_check(settings: Settings) -> list[tuple[str, str]]:
    """(key naming its VM size, size) of every pool the program creates."""
    if settings.existing_cluster or settings.kata_on_system_pool:
        return [("kataNodeVmSize", settings.kata_node_vm_size)]
    found = [
        ("systemNodeVmSize", settings.system_node_vm_size),
        ("kataNodeVmSize", settings.kata_node_vm_size),
    ]
    if settings.user_pool:
        found.append(("userNodeVmSize", settings.user_node_vm_size))
    return found


def check_os_disk(settings: Settings) -> list[Problem]:
    """osDiskType/osDiskSizeGB, and an ephemeral OS disk only where a local disk can hold it."""
    problems: list[Problem] = []
    size_gb = settings.os_disk_size_gb
    low, high = catalog.MIN_OS_DISK_GIB, catalog.MAX_OS_DISK_GIB
    if size_gb != 0 and not low <= size_gb <= high:
        problems.append(
            Problem("osDiskSizeGB", size_gb, f"must be 0 (the AKS default) or {low}-{high} GiB")
        )
    if settings.os_disk_type != "Ephemeral":
        return problems
    needed = size_gb if low <= size_gb <= high else catalog.DEFAULT_OS_DISK_GIB
    for key, name in pools_to_check(settings):
        size = catalog.parse_vm_size(name)
        if size is None:
            continue  # the size's own rule reports it
        where = catalog.placement_disk_gib(size)
        if where is None:
            problems.append(
                Problem(
                    "osDiskType",
                    settings.os_disk_type,
                    (
                        f"{key} {name}: the catalog has no cache/temp disk figures for "
                        f"family {size.family}; AKS refuses an ephemeral OS disk of {needed} "
                        "GiB unless its cache (or, without one, its temp disk) holds it"
                    ),
                    "warning",
                )
            )
            continue
        disk, gib = where
        if gib >= needed:
            continue
        families = tuple(catalog.KATA_VM_FAMILIES) if key == "kataNodeVmSize" else None
        fits = [
            n
            for n in catalog.ephemeral_sizes(needed, families)
            if (p := catalog.parse_vm_size(n)) and p.vcpus >= size.vcpus
        ]
        suggestion = f"; a size that would work: {fits[0]}" if fits else ""
        has = "has no temp disk and no cache" if disk == "no" else f"has a {gib:g} GiB {disk} disk"
        smaller = (
            f", or set osDiskSizeGB to at most {int(gib)} (minimum {low})" if gib >= low else ""
        )
        problems.append(
            Problem(
                "osDiskType",
                settings.os_disk_type,
                (
                    f"{key} {name} {has}, too small for an ephemeral OS disk of {needed} GiB"
                    f"{' (osDiskSizeGB)' if size_gb else ' (the AKS default size)'}{suggestion}"
                    f"{smaller}; or use osDiskType Managed"
                ),
            )
        )
    return problems


def check_azure_monitor(settings: Settings) -> list[Problem]:
    """Keys that only matter with enableAzureMonitor (their shapes are the keys' own checks)."""
    problems: list[Problem] = []
    workspace = settings.log_analytics_workspace_id
    days = settings.log_analytics_retention_days
    if not settings.enable_azure_monitor:
        for key, value in (
            ("logAnalyticsWorkspaceId", workspace),
            ("logAnalyticsRetentionDays", days),
        ):
            if _changed(key, value):
                problems.append(
                    Problem(key, value, "is not used without enableAzureMonitor: true", "warning")
                )
    elif workspace and _changed("logAnalyticsRetentionDays", days):
        problems.append(
            Problem(
                "logAnalyticsRetentionDays",
                days,
                (
                    "is not used with logAnalyticsWorkspaceId: the program creates no "
                    "workspace; set the retention on your own workspace"
                ),
                "warning",
            )
        )
    return problems


def check_cluster_options(settings: Settings) -> list[Problem]:
    """Options that change the cluster itself need a cluster the program creates."""
    if not settings.existing_cluster:
        return []
    return [
        Problem(
            key,
            True,
            "needs clusterMode new: the program does not change an existing "
            f"cluster; turn it on there ({how})",
        )
        for key, on, how in (
            (
                "enableAzureMonitor",
                settings.enable_azure_monitor,
                "az aks enable-addons --addons monitoring, and a diagnostic setting",
            ),
            (
                "enableAzurePolicy",
                settings.enable_azure_policy,
                "az aks enable-addons --addons azure-policy",
            ),
            (
                "systemPoolCriticalAddonsOnly",
                settings.system_pool_critical_addons_only,
                "az aks nodepool add --mode System --node-taints "
                f"{catalog.CRITICAL_ADDONS_ONLY_TAINT}, then a User pool",
            ),
        )
        if on
    ]


def check_user_pool(settings: Settings) -> list[Problem]:
    """systemPoolCriticalAddonsOnly: the User pool's keys, and what it cannot be combined with."""
    problems: list[Problem] = []
    if settings.system_pool_critical_addons_only and settings.kata_on_system_pool:
        problems.append(
            Problem(
                "systemPoolCriticalAddonsOnly",
                True,
                (
                    "cannot be combined with kataPoolPlacement system: the System pool is "
                    "then the Kata pool, and a CriticalAddonsOnly taint would keep the "
                    "untrusted pod off it; use kataPoolPlacement dedicated"
                ),
            )
        )
    if not settings.user_pool:
        for key, value in (
            ("userNodeVmSize", settings.user_node_vm_size),
            ("userNodeCount", settings.user_node_count),
        ):
            if _changed(key, value):
                problems.append(
                    Problem(
                        key,
                        value,
                        "is not used without systemPoolCriticalAddonsOnly: true",
                        "warning",
                    )
                )
        return problems
    if catalog.parse_vm_size(settings.user_node_vm_size) is None:
        problems.append(
            Problem(
                "userNodeVmSize",
                settings.user_node_vm_size,
                "is not an Azure VM size name (e.g. Standard_D2s_v5)",
            )
        )
    most = catalog.MAX_NODES_PER_POOL
    if not 1 <= settings.user_node_count <= most:
        problems.append(
            Problem(
                "userNodeCount",
                settings.user_node_count,
                f"must be between 1 and {most} (the trusted pod needs a node)",
            )
        )
    if not settings.kata_on_system_pool and settings.kata_node_pool_name == catalog.USER_POOL_NAME:
        problems.append(
            Problem(
                "kataNodePoolName",
                settings.kata_node_pool_name,
                (
                    "is the User pool's name with systemPoolCriticalAddonsOnly; choose another "
                    "(default katapool)"
                ),
            )
        )
    if not settings.kata_on_system_pool and not settings.kata_node_taint:
        problems.append(
            Problem(
                "kataNodeTaint",
                settings.kata_node_taint,
                (
                    "is empty with systemPoolCriticalAddonsOnly: ordinary pods, the trusted "
                    "pod too, may then be scheduled on the Kata nodes instead of the User pool"
                ),
                "warning",
            )
        )
    return problems


PRODUCTION_RULES = (check_os_disk, check_azure_monitor, check_cluster_options, check_user_pool)
