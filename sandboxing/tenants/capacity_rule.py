"""The tenant-capacity rule: a tenant's default pod or quota that cannot fit is an error, quotas
that add up to more than the Kata pool at its largest gives tenants are a warning. The figures:
sandboxing.tenants.capacity."""

from __future__ import annotations

import math

from sandboxing import catalog
from sandboxing.config.key import Rule
from sandboxing.config.settings import Problem, Settings
from sandboxing.quantities import cpu_millicores, memory_mib
from sandboxing.tenants.capacity import OVERHEAD_MIB, TenantCapacity, TenantPool, tenant_pool
from sandboxing.tenants.config import field_key
from sandboxing.tenants.fields import Tenant


def _pool_words(pool: TenantPool) -> tuple[str, str]:
    """(how the pool's size reads in a message, the key that raises it)."""
    nodes = pool.largest.nodes
    if pool.autoscaling:
        return f"at its maximum of {nodes} node(s) (kataNodeMaxCount)", "kataNodeMaxCount"
    return f"{nodes} node(s)", "kataNodeCount"


def _tenant_problems(
    index: int, tenant: Tenant, capacity: TenantCapacity, pool: TenantPool
) -> list[Problem]:
    problems = []
    pod_memory = capacity.default_pod_charged_memory_mib - OVERHEAD_MIB
    if capacity.max_pod_memory_mib is not None and pod_memory > capacity.max_pod_memory_mib:
        problems.append(
            Problem(
                field_key(index, "podMemory"),
                tenant.pod_memory,
                f"plus the {OVERHEAD_MIB}Mi Kata overhead does not fit one Kata node "
                f"({pool.kata_node_vm_size}): at most {capacity.max_pod_memory_mib}Mi",
            )
        )
    if capacity.max_pod_cpu_millicores is not None and (
        capacity.default_pod_cpu_millicores > capacity.max_pod_cpu_millicores
    ):
        problems.append(
            Problem(
                field_key(index, "podCpu"),
                tenant.pod_cpu,
                f"does not fit one Kata node ({pool.kata_node_vm_size}): at most "
                f"{capacity.max_pod_cpu_millicores}m",
            )
        )
    if capacity.default_pod_ephemeral_storage_mib > capacity.max_pod_ephemeral_storage_mib:
        problems.append(
            Problem(
                field_key(index, "podEphemeralStorage"),
                tenant.pod_ephemeral_storage,
                f"does not fit one Kata node's disk ({_disk_text(pool, 1)}): at most "
                f"{capacity.max_pod_ephemeral_storage_mib}Mi",
            )
        )
    # Exact figures, not the capacity's rounded ones: memoryQuota "10" (bytes) is 0Mi there. A
    # quantity that does not parse is reported by sandboxing.tenants.config.
    pod_memory_text = f"podMemory {tenant.pod_memory} plus the {OVERHEAD_MIB}Mi Kata overhead"
    for field, text, quota, pod, pod_text, extra, unit in (
        (
            "cpuQuota",
            tenant.cpu_quota,
            cpu_millicores(tenant.cpu_quota),
            cpu_millicores(tenant.pod_cpu),
            f"podCpu {tenant.pod_cpu}",
            0,
            "m",
        ),
        (
            "memoryQuota",
            tenant.memory_quota,
            memory_mib(tenant.memory_quota),
            memory_mib(tenant.pod_memory),
            pod_memory_text,
            OVERHEAD_MIB,
            "Mi",
        ),
        (
            "ephemeralStorageQuota",
            tenant.ephemeral_storage_quota,
            memory_mib(tenant.ephemeral_storage_quota),
            memory_mib(tenant.pod_ephemeral_storage),
            f"podEphemeralStorage {tenant.pod_ephemeral_storage}",
            0,
            "Mi",
        ),
    ):
        if quota is not None and pod is not None and 0 < quota < pod + extra:
            needed = f"{math.ceil(pod + extra)}{unit}"
            problems.append(
                Problem(
                    field_key(index, field),
                    text,
                    f"holds no pod of the default size: one needs {needed} ({pod_text}); raise "
                    f"{field} to at least {needed} or lower {pod_text.split()[0]}",
                )
            )
    size, raise_key = _pool_words(pool)
    largest = pool.largest
    for field, text, quota, available, unit in (
        (
            "cpuQuota",
            tenant.cpu_quota,
            capacity.cpu_quota_millicores,
            largest.allocatable_millicpu,
            "m",
        ),
        (
            "memoryQuota",
            tenant.memory_quota,
            capacity.memory_quota_mib,
            largest.allocatable_memory_mib,
            "Mi",
        ),
    ):
        if available is not None and quota > available:
            problems.append(
                Problem(
                    field_key(index, field),
                    text,
                    f"({quota}{unit}) is more than the whole Kata pool can give tenants: "
                    f"{available}{unit} "
                    f"({size}, less the demo's untrusted pod); raise {raise_key} "
                    "or lower the quota",
                )
            )
    disk = largest.allocatable_ephemeral_storage_mib
    if capacity.ephemeral_storage_quota_mib > disk:
        problems.append(
            Problem(
                field_key(index, "ephemeralStorageQuota"),
                tenant.ephemeral_storage_quota,
                f"({capacity.ephemeral_storage_quota_mib}Mi) is more than the Kata nodes' disks "
                f"give pods: {disk}Mi ({_disk_text(pool, largest.nodes)}); raise osDiskSizeGB or "
                f"{raise_key}, or lower the quota",
            )
        )
    return problems


def _disk_text(pool: TenantPool, nodes: int) -> str:
    return (
        f"{nodes} node(s) x {pool.node_os_disk_gib} GiB OS disk, less the "
        f"{catalog.NODEFS_EVICTION_PERCENT}% the kubelet keeps free"
    )


def check_tenant_capacity(settings: Settings) -> list[Problem]:
    """Errors: a tenant's default pod or quota that cannot fit; warning: oversubscription."""
    pool = tenant_pool(settings)
    if pool is None or any(c.cpu_quota_millicores == 0 for c in pool.tenants):
        return []  # no tenants, or a bad quantity (sandboxing.tenants.config reports it)
    problems = [
        problem
        for index, (tenant, capacity) in enumerate(zip(settings.tenants, pool.tenants, strict=True))
        for problem in _tenant_problems(index, tenant, capacity, pool)
    ]
    largest = pool.largest
    size, raise_key = _pool_words(pool)
    cpu, memory = largest.allocatable_millicpu, largest.allocatable_memory_mib
    if (
        cpu is not None
        and memory is not None
        and (pool.quota_millicpu > cpu or pool.quota_memory_mib > memory)
    ):
        on = f"{size}" if pool.autoscaling else f"on {size}"
        problems.append(
            Problem(
                "tenants",
                [each.name for each in pool.tenants],
                f"the tenants' quotas add up to {pool.quota_millicpu}m CPU and "
                f"{pool.quota_memory_mib}Mi memory (pods plus Kata overhead), more than the Kata "
                f"pool gives them: {largest.allocatable_millicpu}m CPU and "
                f"{largest.allocatable_memory_mib}Mi {on}: oversubscribed, pods may stay Pending "
                "when every tenant uses its quota",
                "warning",
            )
        )
    if pool.quota_ephemeral_storage_mib > largest.allocatable_ephemeral_storage_mib:
        problems.append(
            Problem(
                "tenants",
                [each.name for each in pool.tenants],
                "the tenants' ephemeral storage quotas add up to "
                f"{pool.quota_ephemeral_storage_mib}Mi, more than the Kata nodes' disks give pods: "
                f"{largest.allocatable_ephemeral_storage_mib}Mi "
                f"({_disk_text(pool, largest.nodes)}): when every tenant fills its quota a node "
                "runs short of disk and evicts pods, other "
                f"tenants' included; raise osDiskSizeGB or {raise_key}, or lower "
                "ephemeralStorageQuota",
                "warning",
            )
        )
    return problems


TENANT_CAPACITY = Rule("tenant-capacity", check_tenant_capacity)
