"""What one sandboxed pod costs, and how many fit on a Kata node (GA semantics).

- The pod's VM gets the memory limit (512Mi when unset) and the CPU limit rounded up to whole
  vCPUs (1 when unset).
- The host additionally holds the RuntimeClass overhead (600Mi: shim, Cloud Hypervisor,
  virtiofsd); the scheduler counts request + overhead against the node's allocatable.
- Allocatable follows AKS's reservations for Kubernetes 1.29+ (see catalog). The pods-per-node
  figure is an upper bound: DaemonSets on the node take their share too.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from sandboxing import catalog
from sandboxing.quantities import cpu_millicores, memory_mib


@dataclass(frozen=True)
class NodeCapacity:
    vm_size: str
    vcpus: int
    memory_mib: int
    allocatable_millicpu: int
    allocatable_memory_mib: int


@dataclass(frozen=True)
class SandboxSizing:
    pod_vm_vcpus: int
    pod_vm_memory_mib: int
    host_memory_per_pod_mib: int  # limit + RuntimeClass overhead
    cpu_request_millicores: int
    node: NodeCapacity | None
    pods_per_node: int | None

    def as_output(self) -> dict[str, Any]:
        """camelCase keys, like every other stack output."""
        return _camel_keys(asdict(self))


def _camel_keys(data: dict[str, Any]) -> dict[str, Any]:
    def camel(key: str) -> str:
        first, *rest = key.split("_")
        return first + "".join(part.title() for part in rest)

    return {camel(k): _camel_keys(v) if isinstance(v, dict) else v for k, v in data.items()}


def kube_reserved_millicpu(vcpus: int) -> int:
    reserved = catalog.KUBE_RESERVED_MILLICPU[0][1]
    for cores, millis in catalog.KUBE_RESERVED_MILLICPU:
        if vcpus >= cores:
            reserved = millis
    return reserved


def node_capacity(vm_size: str) -> NodeCapacity | None:
    """Capacity of a node of a known Kata VM size; None for sizes we have no data on."""
    size = catalog.parse_vm_size(vm_size)
    family = catalog.kata_vm_family(size) if size else None
    if size is None or family is None:
        return None
    memory = family.memory_gib(size.vcpus) * 1024
    kube_reserved = min(
        catalog.KUBE_RESERVED_MIB_PER_POD * catalog.MAX_PODS_PER_NODE
        + catalog.KUBE_RESERVED_MIB_BASE,
        int(memory * catalog.KUBE_RESERVED_MEMORY_CAP),
    )
    return NodeCapacity(
        vm_size=vm_size,
        vcpus=size.vcpus,
        memory_mib=memory,
        allocatable_millicpu=size.vcpus * 1000 - kube_reserved_millicpu(size.vcpus),
        allocatable_memory_mib=memory - kube_reserved - catalog.EVICTION_THRESHOLD_MIB,
    )


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
