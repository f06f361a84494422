"""How much of the Kata pool the tenants' quotas claim, and what one tenant's quota holds.

Kubernetes charges a pod's RuntimeClass overhead to the namespace's ResourceQuota: a Kata pod with a
1Gi memory limit uses 1Gi + 600Mi of `requests.memory` and of `limits.memory` (the RuntimeClass
admission controller copies `overhead.podFixed` into the pod, and quota adds `spec.overhead` to the
pod's requests and to its non-zero limits: kubernetes.io/docs/concepts/scheduling-eviction/
pod-overhead; kubernetes/kubernetes @ 0085214 staging/src/k8s.io/component-helpers/resource/
helpers.go `PodRequests`/`PodLimits`). So a tenant's `memoryQuota` is what its pods AND their
overhead may use, which is also what they take from the Kata nodes. The AKS Kata RuntimeClass
declares memory overhead only, so CPU quota counts the containers' CPU alone.

Ephemeral storage (a Kata pod's root filesystem, logs and disk-backed emptyDirs) is on the Kata
node's OS disk (`osDiskSizeGB`, else AKS's default, catalog.DEFAULT_OS_DISK_GIB); the kubelet
offers pods all of it but the 10% it keeps free (catalog.NODEFS_EVICTION_PERCENT). The node's OS,
its images and the system pods' logs use the same disk, so that figure is an upper bound too.

The pool's figures are upper bounds: DaemonSets on the Kata nodes (and with kataPoolPlacement
system the cluster's system pods) take their share too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sandboxing import catalog
from sandboxing.config.key import Rule
from sandboxing.config.settings import Problem, Settings
from sandboxing.node_capacity import node_capacity
from sandboxing.pool_scaling import kata_scale
from sandboxing.quantities import cpu_millicores, memory_mib
from sandboxing.tenants.config import field_key
from sandboxing.tenants.fields import Tenant

OVERHEAD_MIB = catalog.RUNTIME_CLASS_OVERHEAD_MIB


@dataclass(frozen=True)
class TenantCapacity:
    name: str
    cpu_quota_millicores: int
    memory_quota_mib: int  # pods' memory limits plus their Kata overhead
    max_pods: int
    default_pod_cpu_millicores: int
    default_pod_charged_memory_mib: int  # the default memory limit + the Kata overhead
    default_pods_allowed: int  # by CPU, memory (with overhead), ephemeral storage and maxPods
    max_pod_memory_mib: int | None  # the LimitRange max: one Kata node minus the overhead
    max_pod_cpu_millicores: int | None
    ephemeral_storage_quota_mib: int = 0
    default_pod_ephemeral_storage_mib: int = 0
    max_pod_ephemeral_storage_mib: int = 0  # one Kata node's disk, less what the kubelet keeps


@dataclass(frozen=True)
class PoolShare:
    """What the Kata pool gives tenants at one size: its nodes' allocatable less the demo's
    untrusted pod, and whether the tenants' quotas fit in it."""

    nodes: int
    allocatable_millicpu: int | None  # None: the Kata VM size's capacity is not known
    allocatable_memory_mib: int | None
    fits: bool | None  # CPU, memory and ephemeral storage
    allocatable_ephemeral_storage_mib: int = 0


@dataclass(frozen=True)
class TenantPool:
    kata_nodes: int  # the pool's (initial) node count, kataNodeCount
    kata_node_vm_size: str
    allocatable_millicpu: int | None  # over all Kata nodes, minus the demo's untrusted pod
    allocatable_memory_mib: int | None
    quota_millicpu: int  # sum over the tenants
    quota_memory_mib: int
    fits: bool | None  # None: the Kata VM size's capacity is not known
    tenants: tuple[TenantCapacity, ...]
    # With kataEnableAutoScaling the pool moves between these; without, both are the above.
    autoscaling: bool = False
    at_min: PoolShare | None = None
    at_max: PoolShare | None = None
    node_os_disk_gib: int = catalog.DEFAULT_OS_DISK_GIB
    allocatable_ephemeral_storage_mib: int = 0  # over all Kata nodes, at the initial size
    quota_ephemeral_storage_mib: int = 0  # sum over the tenants

    @property
    def largest(self) -> PoolShare:
        """What the quotas are held against: the pool at its maximum."""
        initial = PoolShare(
            self.kata_nodes,
            self.allocatable_millicpu,
            self.allocatable_memory_mib,
            self.fits,
            self.allocatable_ephemeral_storage_mib,
        )
        return self.at_max or initial


def _mib(text: str) -> int:
    return int(memory_mib(text) or 0)


def os_disk_gib(settings: Settings) -> int:
    """A Kata node's OS disk: osDiskSizeGB, else AKS's default."""
    return settings.os_disk_size_gb or catalog.DEFAULT_OS_DISK_GIB


def node_ephemeral_storage_mib(settings: Settings) -> int:
    """What one Kata node's kubelet offers pods of its OS disk."""
    return os_disk_gib(settings) * 1024 * (100 - catalog.NODEFS_EVICTION_PERCENT) // 100


def tenant_capacity(tenant: Tenant, settings: Settings) -> TenantCapacity:
    node = node_capacity(settings.kata_node_vm_size)
    cpu_quota = cpu_millicores(tenant.cpu_quota) or 0
    memory_quota = _mib(tenant.memory_quota)
    pod_cpu = cpu_millicores(tenant.pod_cpu) or 0
    charged = _mib(tenant.pod_memory) + OVERHEAD_MIB
    by_cpu = cpu_quota // pod_cpu if pod_cpu > 0 else 0
    disk_quota = _mib(tenant.ephemeral_storage_quota)
    pod_disk = _mib(tenant.pod_ephemeral_storage)
    by_disk = disk_quota // pod_disk if pod_disk > 0 else 0
    return TenantCapacity(
        name=tenant.name,
        cpu_quota_millicores=cpu_quota,
        memory_quota_mib=memory_quota,
        max_pods=tenant.max_pods,
        default_pod_cpu_millicores=pod_cpu,
        default_pod_charged_memory_mib=charged,
        default_pods_allowed=max(0, min(tenant.max_pods, memory_quota // charged, by_cpu, by_disk)),
        max_pod_memory_mib=node.allocatable_memory_mib - OVERHEAD_MIB if node else None,
        max_pod_cpu_millicores=node.allocatable_millicpu if node else None,
        ephemeral_storage_quota_mib=disk_quota,
        default_pod_ephemeral_storage_mib=pod_disk,
        max_pod_ephemeral_storage_mib=node_ephemeral_storage_mib(settings),
    )


def _share(settings: Settings, nodes: int, cpu: int, memory: int, disk: int) -> PoolShare:
    """`nodes` Kata nodes against quotas of `cpu` millicores, `memory` and `disk` MiB."""
    node = node_capacity(settings.kata_node_vm_size)
    pool_disk = nodes * node_ephemeral_storage_mib(settings)
    if node is None:
        return PoolShare(nodes, None, None, None, pool_disk)
    # The demo's untrusted pod runs on the same nodes (with none, there is nothing to share).
    pool_cpu = max(
        0, nodes * node.allocatable_millicpu - (cpu_millicores(settings.pod_cpu_limit) or 0)
    )
    pool_memory = max(
        0, nodes * node.allocatable_memory_mib - (_mib(settings.pod_memory_limit) + OVERHEAD_MIB)
    )
    fits = cpu <= pool_cpu and memory <= pool_memory and disk <= pool_disk
    return PoolShare(nodes, pool_cpu, pool_memory, fits, pool_disk)


def tenant_pool(settings: Settings) -> TenantPool | None:
    """The tenants against the Kata pool (at its initial size, and its autoscaler's bounds);
    None without tenants."""
    tenants = settings.tenants
    if not tenants:
        return None
    capacities = tuple(tenant_capacity(t, settings) for t in tenants)
    cpu = sum(c.cpu_quota_millicores for c in capacities)
    memory = sum(c.memory_quota_mib for c in capacities)
    disk = sum(c.ephemeral_storage_quota_mib for c in capacities)
    scale = kata_scale(settings)
    initial = _share(settings, scale.initial, cpu, memory, disk)
    return TenantPool(
        kata_nodes=scale.initial,
        kata_node_vm_size=settings.kata_node_vm_size,
        allocatable_millicpu=initial.allocatable_millicpu,
        allocatable_memory_mib=initial.allocatable_memory_mib,
        quota_millicpu=cpu,
        quota_memory_mib=memory,
        fits=initial.fits,
        tenants=capacities,
        autoscaling=scale.autoscaling,
        at_min=_share(settings, scale.smallest, cpu, memory, disk),
        at_max=_share(settings, scale.largest, cpu, memory, disk),
        node_os_disk_gib=os_disk_gib(settings),
        allocatable_ephemeral_storage_mib=initial.allocatable_ephemeral_storage_mib,
        quota_ephemeral_storage_mib=disk,
    )


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
