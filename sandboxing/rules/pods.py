"""Rules for the sandboxed pod: the runtime class it names, and whether it fits a Kata node."""

from __future__ import annotations

from sandboxing import catalog, names
from sandboxing.config.key import Rule
from sandboxing.config.settings import Problem, Settings
from sandboxing.node_capacity import node_capacity
from sandboxing.quantities import cpu_millicores, memory_mib


def check_runtime_class(settings: Settings) -> list[Problem]:
    """An override of the class is allowed, with a warning that says what AKS serves."""
    name = settings.runtime_class_name
    runtime = settings.sandbox_runtime
    if not name or name == runtime.runtime_class or not names.DNS1123_SUBDOMAIN.match(name):
        return []  # the default, or malformed (the key's own check says so)
    if name == catalog.KATA_PREVIEW.runtime_class and settings.existing_cluster:
        message = (
            "preview-era class, served by Kata pools created during the preview; the GA name "
            f"is {catalog.KATA_GA.runtime_class}, which new pools serve"
        )
    else:
        message = (
            f"AKS creates the class {runtime.runtime_class} for {runtime.workload_runtime}; "
            f"the untrusted pod will stay Pending unless {name} exists"
        )
    return [Problem("runtimeClassName", name, message, "warning")]


def check_pod_fits_node(settings: Settings) -> list[Problem]:
    """The pod's limits plus the RuntimeClass overhead against one Kata node's allocatable.

    Sizes with no capacity data pass; malformed or too small limits are the keys' own problems.
    """
    node = node_capacity(settings.kata_node_vm_size)
    if node is None:
        return []
    problems = []
    memory = memory_mib(settings.pod_memory_limit)
    overhead = catalog.RUNTIME_CLASS_OVERHEAD_MIB
    vm_size = settings.kata_node_vm_size
    if memory is not None and memory >= catalog.MIN_POD_VM_MEMORY_MIB:
        needed = memory + overhead
        if needed > node.allocatable_memory_mib:
            message = (
                f"plus the {overhead}Mi RuntimeClass overhead needs {needed:.0f}Mi, more than "
                f"the {node.allocatable_memory_mib}Mi allocatable on {vm_size}"
            )
            problems.append(Problem("podMemoryLimit", settings.pod_memory_limit, message))
    cpu = cpu_millicores(settings.pod_cpu_limit)
    if cpu and cpu > node.allocatable_millicpu:
        message = f"is more than the {node.allocatable_millicpu}m allocatable on {vm_size}"
        problems.append(Problem("podCpuLimit", settings.pod_cpu_limit, message))
    return problems


RUNTIME_CLASS_OVERRIDE = Rule("runtime-class-override", check_runtime_class)
POD_FITS_KATA_NODE = Rule("pod-fits-kata-node", check_pod_fits_node)
