"""Rules of the production options: an ephemeral OS disk where a local disk holds it, options
that only a new cluster can have, and a System pool for system pods only. Pure, like every rule.

Pool-level options (enableEncryptionAtHost, osDiskType, osDiskSizeGB) apply to every pool the
program creates, so with clusterMode existing to the Kata pool alone; cluster-level options
(enableAzureMonitor, enableAzurePolicy, systemPoolCriticalAddonsOnly) change the cluster itself
and need clusterMode new. Values that are only not used say so through their keys' `unused`.
"""

from __future__ import annotations

from sandboxing import catalog, vm_sizes
from sandboxing.config.key import Rule
from sandboxing.config.settings import Problem, Settings
from sandboxing.sizing import pool_sizes


def _too_small(key: str, name: str, size: vm_sizes.VmSize, needed: int, settings: Settings) -> str:
    """Why `size` cannot hold the ephemeral OS disk, and what would."""
    low = catalog.MIN_OS_DISK_GIB
    disk, gib = vm_sizes.placement_disk_gib(size) or ("no", 0.0)
    families = tuple(vm_sizes.KATA_VM_FAMILIES) if key == "kataNodeVmSize" else None
    fits = [
        n
        for n in vm_sizes.ephemeral_sizes(needed, families)
        if (p := vm_sizes.parse_vm_size(n)) and p.vcpus >= size.vcpus
    ]
    suggestion = f"; a size that would work: {fits[0]}" if fits else ""
    has = "has no temp disk and no cache" if disk == "no" else f"has a {gib:g} GiB {disk} disk"
    smaller = f", or set osDiskSizeGB to at most {int(gib)} (minimum {low})" if gib >= low else ""
    which = " (osDiskSizeGB)" if settings.os_disk_size_gb else " (the AKS default size)"
    return (
        f"{key} {name} {has}, too small for an ephemeral OS disk of {needed} GiB{which}"
        f"{suggestion}{smaller}; or use osDiskType Managed"
    )


def check_ephemeral_os_disk(settings: Settings) -> list[Problem]:
    """An ephemeral OS disk only where a pool's cache (else temp) disk can hold it."""
    if settings.os_disk_type != "Ephemeral":
        return []
    problems: list[Problem] = []
    size_gb = settings.os_disk_size_gb
    low, high = catalog.MIN_OS_DISK_GIB, catalog.MAX_OS_DISK_GIB
    needed = size_gb if low <= size_gb <= high else catalog.DEFAULT_OS_DISK_GIB
    for pool in pool_sizes(settings):
        key, name = pool.key, pool.vm_size
        size = vm_sizes.parse_vm_size(name)
        if size is None:
            continue  # the size's own check reports it
        where = vm_sizes.placement_disk_gib(size)
        if where is None:
            message = (
                f"{key} {name}: the catalog has no cache/temp disk figures for family "
                f"{size.family}; AKS refuses an ephemeral OS disk of {needed} GiB unless its "
                "cache (or, without one, its temp disk) holds it"
            )
            problems.append(Problem("osDiskType", settings.os_disk_type, message, "warning"))
        elif where[1] < needed:
            message = _too_small(key, name, size, needed, settings)
            problems.append(Problem("osDiskType", settings.os_disk_type, message))
    return problems


# (key, what turns it on in an existing cluster instead)
_CLUSTER_OPTIONS = (
    ("enableAzureMonitor", "az aks enable-addons --addons monitoring, and a diagnostic setting"),
    ("enableAzurePolicy", "az aks enable-addons --addons azure-policy"),
    (
        "systemPoolCriticalAddonsOnly",
        "az aks nodepool add --mode System --node-taints "
        f"{catalog.CRITICAL_ADDONS_ONLY_TAINT}, then a User pool",
    ),
)


def check_new_cluster_options(settings: Settings) -> list[Problem]:
    """Options that change the cluster itself need a cluster the program creates."""
    if not settings.existing_cluster:
        return []
    turned_on = {
        "enableAzureMonitor": settings.enable_azure_monitor,
        "enableAzurePolicy": settings.enable_azure_policy,
        "systemPoolCriticalAddonsOnly": settings.system_pool_critical_addons_only,
    }
    return [
        Problem(
            key,
            True,
            "needs clusterMode new: the program does not change an existing cluster; turn it "
            f"on there ({how})",
        )
        for key, how in _CLUSTER_OPTIONS
        if turned_on[key]
    ]


def check_user_pool(settings: Settings) -> list[Problem]:
    """systemPoolCriticalAddonsOnly: not with the one-pool cluster, and a Kata taint wanted."""
    problems: list[Problem] = []
    if settings.system_pool_critical_addons_only and settings.kata_on_system_pool:
        message = (
            "cannot be combined with kataPoolPlacement system: the System pool is then the Kata "
            "pool, and a CriticalAddonsOnly taint would keep the untrusted pod off it; use "
            "kataPoolPlacement dedicated"
        )
        problems.append(Problem("systemPoolCriticalAddonsOnly", True, message))
    if settings.user_pool and not settings.kata_on_system_pool and not settings.kata_node_taint:
        message = (
            "is empty with systemPoolCriticalAddonsOnly: ordinary pods, the trusted pod too, may "
            "then be scheduled on the Kata nodes instead of the User pool"
        )
        problems.append(Problem("kataNodeTaint", settings.kata_node_taint, message, "warning"))
    return problems


EPHEMERAL_OS_DISK = Rule("ephemeral-os-disk", check_ephemeral_os_disk)
NEW_CLUSTER_OPTIONS = Rule("new-cluster-options", check_new_cluster_options)
USER_POOL = Rule("user-pool", check_user_pool)
