"""What one sandboxed pod costs, and how many fit on a Kata node (GA semantics).

- The pod's VM gets the memory limit (catalog.DEFAULT_POD_VM_MEMORY_MIB when unset) and the CPU
  limit rounded up to whole vCPUs (catalog.DEFAULT_POD_VCPUS when unset).
- The host additionally holds the RuntimeClass overhead (catalog.RUNTIME_CLASS_OVERHEAD_MIB:
  shim, Cloud Hypervisor, virtiofsd); the scheduler counts request + overhead against the node's
  allocatable.
- Allocatable follows AKS's reservations for Kubernetes 1.29+ (see catalog). The pods-per-node
  figure is an upper bound: DaemonSets on the node take their share too, and with
  kataPoolPlacement system so do the cluster's system pods (CoreDNS, metrics-server, ...).
- The nodes the stack adds follow the placement: Kata nodes plus, for a new cluster with a
  dedicated Kata pool, the OCI System pool; with placement system the Kata nodes are all there is.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from typing import Any

from sandboxing import catalog, vm_sizes
from sandboxing.config.settings import Settings
from sandboxing.names import camel
from sandboxing.node_capacity import NodeCapacity, node_capacity
from sandboxing.pool_scaling import kata_scale, user_scale
from sandboxing.quantities import cpu_millicores, memory_mib
from sandboxing.tenants.capacity import TenantPool, tenant_pool


@dataclass(frozen=True)
class StackNodes:
    """The nodes the stack adds to Azure, what it is billed by (list prices vary by region)."""

    kata_pool_placement: str
    kata_nodes: int
    oci_system_nodes: int  # the small OCI System pool of a new cluster (dedicated placement)
    vcpus: int | None  # over all of them; None when a VM size name cannot be read
    system_pods_on_kata_nodes: bool  # placement system: they share the Kata nodes
    user_nodes: int = 0  # the User pool of systemPoolCriticalAddonsOnly


@dataclass(frozen=True)
class KataPoolCapacity:
    """How many sandboxed pods (of the demo pod's size) the Kata pool holds at each size it can
    have: pods per node x nodes, less the demo's untrusted pod and any reserved (warm) pods."""

    autoscaling: bool
    min_nodes: int  # = initial without autoscaling
    initial_nodes: int
    max_nodes: int
    demo_pods: int  # the untrusted pod of the trusted/untrusted pair
    reserved_pods: int  # kept for warm pools and the like
    sandbox_pods_at_min: int | None  # None: the Kata VM size's capacity is not known
    sandbox_pods_at_initial: int | None
    sandbox_pods_at_max: int | None


@dataclass(frozen=True)
class SandboxSizing:
    pod_vm_vcpus: int
    pod_vm_memory_mib: int
    host_memory_per_pod_mib: int  # limit + RuntimeClass overhead
    cpu_request_millicores: int
    node: NodeCapacity | None
    pods_per_node: int | None
    stack_nodes: StackNodes | None = None
    tenants: TenantPool | None = None  # the tenants' quotas against the Kata pool
    kata_pool: KataPoolCapacity | None = None  # sandboxed pods at the pool's min/initial/max

    def as_output(self) -> dict[str, Any]:
        """camelCase keys, like every other stack output."""
        return _camel_keys(asdict(self))


def _camel_keys(data: dict[str, Any]) -> dict[str, Any]:
    def convert(value: Any) -> Any:
        if isinstance(value, dict):
            return _camel_keys(value)
        if isinstance(value, list | tuple):
            return [convert(item) for item in value]
        return value

    return {camel(key): convert(value) for key, value in data.items()}


def sandbox_sizing(cpu_limit: str | None, memory_limit: str | None, vm_size: str) -> SandboxSizing:
    """Sizing for pods with these limits (None: no limit set) on nodes of `vm_size`."""
    cpu_m = cpu_millicores(cpu_limit) if cpu_limit else None
    mem = memory_mib(memory_limit) if memory_limit else None
    vcpus = max(1, math.ceil(cpu_m / 1000)) if cpu_m else catalog.DEFAULT_POD_VCPUS
    vm_memory = math.ceil(mem) if mem else catalog.DEFAULT_POD_VM_MEMORY_MIB
    host_memory = vm_memory + catalog.RUNTIME_CLASS_OVERHEAD_MIB
    node = node_capacity(vm_size)
    per_node = None
    if node is not None:
        by_memory = node.allocatable_memory_mib // host_memory
        by_cpu = node.allocatable_millicpu // cpu_m if cpu_m else by_memory
        per_node = max(0, min(by_memory, by_cpu))
    return SandboxSizing(
        pod_vm_vcpus=vcpus,
        pod_vm_memory_mib=vm_memory,
        host_memory_per_pod_mib=host_memory,
        cpu_request_millicores=cpu_m or 0,
        node=node,
        pods_per_node=per_node,
    )


@dataclass(frozen=True)
class PoolSize:
    """One pool the stack creates: its config key, VM size and how many nodes it may have."""

    key: str  # the key naming its VM size, e.g. kataNodeVmSize
    vm_size: str
    most_nodes: int  # its node count at its largest: the autoscaler's maximum when autoscaled


def pool_sizes(settings: Settings) -> list[PoolSize]:
    """Every pool the stack creates, at its largest: what the vCPU quota must hold."""
    # An upgrade adds surge nodes on top for a while: pool_scaling.kata_surge_nodes.
    kata = PoolSize("kataNodeVmSize", settings.kata_node_vm_size, kata_scale(settings).largest)
    if settings.existing_cluster or settings.kata_on_system_pool:
        return [kata]
    pools = [
        PoolSize("systemNodeVmSize", settings.system_node_vm_size, settings.system_node_count),
        kata,
    ]
    if settings.user_pool:
        user = user_scale(settings).largest
        pools.append(PoolSize("userNodeVmSize", settings.user_node_vm_size, user))
    return pools


def stack_nodes(settings: Settings) -> StackNodes:
    """The nodes a `pulumi up` from empty adds, for this placement and cluster mode."""
    oci_nodes = 0
    if not settings.kata_on_system_pool and not settings.existing_cluster:
        oci_nodes = settings.system_node_count
    kata_size = vm_sizes.parse_vm_size(settings.kata_node_vm_size)
    oci_size = vm_sizes.parse_vm_size(settings.system_node_vm_size)
    user_nodes = settings.user_node_count if settings.user_pool else 0
    user_size = vm_sizes.parse_vm_size(settings.user_node_vm_size)
    vcpus = None
    if (
        kata_size is not None
        and (oci_size is not None or oci_nodes == 0)
        and (user_size is not None or user_nodes == 0)
    ):
        vcpus = settings.kata_node_count * kata_size.vcpus
        vcpus += oci_nodes * oci_size.vcpus if oci_size is not None else 0
        vcpus += user_nodes * user_size.vcpus if user_size is not None else 0
    return StackNodes(
        kata_pool_placement=settings.kata_pool_placement,
        kata_nodes=settings.kata_node_count,
        oci_system_nodes=oci_nodes,
        vcpus=vcpus,
        system_pods_on_kata_nodes=settings.kata_on_system_pool,
        user_nodes=user_nodes,
    )


DEMO_PODS = 1  # the untrusted pod of the trusted/untrusted pair runs on the Kata nodes


def kata_pool_capacity(settings: Settings, reserved_pods: int = 0) -> KataPoolCapacity:
    """Sandboxed pods of the demo pod's size the Kata pool holds at its smallest, initial and
    largest size. `reserved_pods`: pods held back from that, e.g. a warm pool kept ready."""
    scale = kata_scale(settings)
    per_node = sandbox_sizing(
        settings.pod_cpu_limit, settings.pod_memory_limit, settings.kata_node_vm_size
    ).pods_per_node

    def pods(nodes: int) -> int | None:
        if per_node is None:
            return None
        return max(0, per_node * nodes - DEMO_PODS - reserved_pods)

    return KataPoolCapacity(
        autoscaling=scale.autoscaling,
        min_nodes=scale.smallest,
        initial_nodes=scale.initial,
        max_nodes=scale.largest,
        demo_pods=DEMO_PODS,
        reserved_pods=reserved_pods,
        sandbox_pods_at_min=pods(scale.smallest),
        sandbox_pods_at_initial=pods(scale.initial),
        sandbox_pods_at_max=pods(scale.largest),
    )


def stack_sizing(settings: Settings, reserved_pods: int = 0) -> SandboxSizing:
    """The stack's `sandboxSizing` output: its pods on its Kata nodes, the nodes it adds, and
    what the Kata pool holds between its autoscaler's bounds (less `reserved_pods`)."""
    sizing = sandbox_sizing(
        settings.pod_cpu_limit, settings.pod_memory_limit, settings.kata_node_vm_size
    )
    return replace(
        sizing,
        stack_nodes=stack_nodes(settings),
        tenants=tenant_pool(settings),
        kata_pool=kata_pool_capacity(settings, reserved_pods),
    )
