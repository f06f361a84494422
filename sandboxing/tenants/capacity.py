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

from dataclasses import dataclass

from sandboxing import catalog
from sandboxing.config.settings import Settings
from sandboxing.node_capacity import node_capacity
from sandboxing.pool_scaling import kata_scale
from sandboxing.quantities import cpu_millicores, memory_mib
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
