"""What one node of a Kata VM size offers the scheduler: vCPUs, memory and allocatable.

Allocatable follows AKS's reservations for Kubernetes 1.29+ (kube-reserved CPU and memory and the
eviction threshold, all in the catalog). Shared by the pod sizing, the pod rules and the tenants'
capacity.
"""

from __future__ import annotations

from dataclasses import dataclass

from sandboxing import catalog, vm_sizes


@dataclass(frozen=True)
class NodeCapacity:
    vm_size: str
    vcpus: int
    memory_mib: int
    allocatable_millicpu: int
    allocatable_memory_mib: int


def kube_reserved_millicpu(vcpus: int) -> int:
    reserved = catalog.KUBE_RESERVED_MILLICPU[0][1]
    for cores, millis in catalog.KUBE_RESERVED_MILLICPU:
        if vcpus >= cores:
            reserved = millis
    return reserved


def node_capacity(vm_size: str) -> NodeCapacity | None:
    """Capacity of a node of a known Kata VM size; None for sizes we have no data on."""
    size = vm_sizes.parse_vm_size(vm_size)
    family = vm_sizes.kata_vm_family(size) if size else None
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
