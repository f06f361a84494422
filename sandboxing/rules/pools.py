"""Rules for the node pools: what Kata needs from its pool, and what AKS needs from a System pool.

With kataPoolPlacement system the System pool is the Kata pool, so the Kata rules apply to it
through the same kata* keys, and the System-pool minimum applies to kataNodeVmSize. A size that
is not a VM size name at all is its key's own check (`kinds.VmSizeName`), so these pass it.
"""

from __future__ import annotations

from sandboxing import catalog, names, vm_sizes
from sandboxing.config.key import Rule
from sandboxing.config.settings import Problem, Settings

SYSTEM_POOL_MINIMUM = (
    f"System pools need at least {catalog.SYSTEM_POOL_MIN_VCPUS} vCPUs and "
    f"{catalog.SYSTEM_POOL_MIN_MEMORY_GIB} GiB of memory"
)


def check_kata_vm_size(settings: Settings) -> list[Problem]:
    """Gen2 with nested virtualization: a listed family, or an unlisted one on request."""
    key, value = "kataNodeVmSize", settings.kata_node_vm_size
    families = ", ".join(vm_sizes.KATA_VM_FAMILIES)
    size = vm_sizes.parse_vm_size(value)
    if size is None:
        return []
    reason = vm_sizes.unsupported_reason(size)
    if reason:
        message = f"{reason}; Kata needs a Gen2 size with nested virtualization from: {families}"
        return [Problem(key, value, message)]
    if vm_sizes.kata_vm_family(size) is not None:
        return []
    message = (
        f"family {size.family} ({size.vcpus} vCPUs) is not in the known Gen2 "
        f"nested-virtualization list ({families})"
    )
    refusal = vm_sizes.AKS_VM_SIZE_REFUSAL
    if settings.allow_unlisted_vm_size:
        allowed = (
            "; allowed by allowUnlistedVmSize: if the size lacks nested virtualization, AKS "
            f"refuses the pool with {refusal}"
        )
        return [Problem(key, value, message + allowed, "warning")]
    refused = (
        f"; AKS refuses sizes without nested virtualization with {refusal}: set "
        "allowUnlistedVmSize: true only for a Gen2 size whose Azure size page says 'Nested "
        "Virtualization: Supported'"
    )
    return [Problem(key, value, message + refused)]


def check_kata_system_pool_size(settings: Settings) -> list[Problem]:
    """With placement system, kataNodeVmSize is the System pool's size and needs its minimum."""
    if not settings.kata_on_system_pool:
        return []
    size = vm_sizes.parse_vm_size(settings.kata_node_vm_size)
    if size is None or size.vcpus >= catalog.SYSTEM_POOL_MIN_VCPUS:
        return []
    message = f"is the System pool's size with kataPoolPlacement system, and {SYSTEM_POOL_MINIMUM}"
    return [Problem("kataNodeVmSize", settings.kata_node_vm_size, message)]


def check_kata_pool_name(settings: Settings) -> list[Problem]:
    """The shape is the key's own check; the System pool's (and the User pool's) name is taken."""
    name = settings.kata_node_pool_name
    if settings.kata_on_system_pool:
        return []  # not used
    if name == catalog.SYSTEM_POOL_NAME:
        message = "is the System pool's name; choose another (default katapool)"
        return [Problem("kataNodePoolName", name, message)]
    if settings.user_pool and name == catalog.USER_POOL_NAME:
        message = (
            "is the User pool's name with systemPoolCriticalAddonsOnly; choose another "
            "(default katapool)"
        )
        return [Problem("kataNodePoolName", name, message)]
    return []


def check_kubernetes_version(settings: Settings) -> list[Problem]:
    """At least the minimum of the Kata runtime (the shape is the key's own check)."""
    version_text = settings.kubernetes_version
    version = names.parse_kubernetes_version(version_text)
    runtime = catalog.KATA_GA  # the only runtime a new pool may use
    if version is None or version >= runtime.min_kubernetes:
        return []
    minimum = catalog.version_text(runtime.min_kubernetes)
    message = f"{runtime.workload_runtime} needs Kubernetes {minimum} or later"
    hint = yaml_number_hint(version_text, runtime.min_kubernetes)
    offered = f"; AKS offers {settings.kubernetes_versions.offered_text()}"
    return [Problem("kubernetesVersion", version_text, message + offered + hint)]


def yaml_number_hint(version: str, minimum: tuple[int, int]) -> str:
    """An unquoted `1.30` in the stack file is the YAML number 1.3, and the program gets "1.3".

    The CLI reads it as a float and passes its shortest text (pulumi/pulumi v3.259.0
    sdk/go/common/resource/config/object.go `MarshalString`), so the trailing zero is gone.
    """
    match = names.KUBERNETES_VERSION.match(version)
    if not match or match[3] is not None or len(match[2]) != 1:
        return ""
    meant = f"{match[1]}.{match[2]}0"
    if (int(match[1]), int(match[2]) * 10) < minimum:
        return ""
    return (
        f"; an unquoted `kubernetesVersion: {meant}` in the stack file is the YAML number "
        f"{version}: quote it: '{meant}'"
    )


KATA_VM_SIZE = Rule("kata-vm-size", check_kata_vm_size)
KATA_SYSTEM_POOL_SIZE = Rule("kata-system-pool-size", check_kata_system_pool_size)
KATA_POOL_NAME = Rule("kata-pool-name", check_kata_pool_name)
KUBERNETES_VERSION = Rule("kubernetes-version", check_kubernetes_version)
