"""Rules for the node pools: what Kata needs from its pool, and what AKS needs from a System pool.

With kataPoolPlacement system the System pool is the Kata pool, so the Kata rules apply to it
through the same kata* keys, and the System-pool minimum applies to kataNodeVmSize.
"""

from __future__ import annotations

from sandboxing import catalog, names
from sandboxing.config.contract import Problem, Settings


def check_os_sku(settings: Settings) -> list[Problem]:
    key, os_sku = "kataOsSku", settings.kata_os_sku
    if os_sku not in catalog.KATA_OS_SKUS:
        supported = ", ".join(sku for sku, warning in catalog.KATA_OS_SKUS.items() if not warning)
        return [
            Problem(key, os_sku, f"Pod Sandboxing needs osSKU {supported} (Ubuntu, Windows and "
                    "others are not supported)")
        ]  # fmt: skip
    warning = catalog.KATA_OS_SKUS[os_sku]
    return [Problem(key, os_sku, warning, "warning")] if warning else []


def check_kata_vm_size(settings: Settings) -> list[Problem]:
    key, value = "kataNodeVmSize", settings.kata_node_vm_size
    families = ", ".join(catalog.KATA_VM_FAMILIES)
    size = catalog.parse_vm_size(value)
    if size is None:
        return [Problem(key, value, "is not an Azure VM size name (e.g. Standard_D4s_v3)")]
    reason = catalog.unsupported_reason(size)
    if reason:
        return [Problem(key, value, f"{reason}; Kata needs a Gen2 size with nested "
                        f"virtualization from: {families}")]  # fmt: skip
    if catalog.kata_vm_family(size) is not None:
        return []
    message = (
        f"family {size.family} ({size.vcpus} vCPUs) is not in the known Gen2 "
        f"nested-virtualization list ({families})"
    )
    refusal = catalog.AKS_VM_SIZE_REFUSAL
    if settings.allow_unlisted_vm_size:
        return [Problem(key, value, message + "; allowed by allowUnlistedVmSize: if the size lacks "
                        f"nested virtualization, AKS refuses the pool with {refusal}",
                        "warning")]  # fmt: skip
    return [Problem(key, value, message + f"; AKS refuses sizes without nested virtualization "
                    f"with {refusal}: set allowUnlistedVmSize: true only for a Gen2 size whose "
                    "Azure size page says 'Nested Virtualization: Supported'")]  # fmt: skip


def _system_pool_minimum() -> str:
    return (
        f"System pools need at least {catalog.SYSTEM_POOL_MIN_VCPUS} vCPUs and "
        f"{catalog.SYSTEM_POOL_MIN_MEMORY_GIB} GiB of memory"
    )


def check_system_vm_size(settings: Settings) -> list[Problem]:
    """The System pool's size: systemNodeVmSize, or kataNodeVmSize when the System pool runs
    Kata (check_kata_vm_size already reports a malformed one)."""
    if settings.kata_on_system_pool:
        size = catalog.parse_vm_size(settings.kata_node_vm_size)
        if size is None or size.vcpus >= catalog.SYSTEM_POOL_MIN_VCPUS:
            return []
        message = (
            f"is the System pool's size with kataPoolPlacement system, and {_system_pool_minimum()}"
        )
        return [Problem("kataNodeVmSize", settings.kata_node_vm_size, message)]
    key, value = "systemNodeVmSize", settings.system_node_vm_size
    size = catalog.parse_vm_size(value)
    if size is None:
        return [Problem(key, value, "is not an Azure VM size name (e.g. Standard_D2s_v5)")]
    if size.vcpus < catalog.SYSTEM_POOL_MIN_VCPUS:
        return [Problem(key, value, _system_pool_minimum())]
    return []


def check_kata_pool_name(settings: Settings) -> list[Problem]:
    """The shape is checked with the key; the System pool's name is taken."""
    if settings.kata_on_system_pool:
        return []  # not used: check_kata_pool_placement says so
    name = settings.kata_node_pool_name
    if name != catalog.SYSTEM_POOL_NAME:
        return []
    return [Problem("kataNodePoolName", name, "is the System pool's name; choose another "
                    "(default katapool)")]  # fmt: skip


def check_kubernetes_version(settings: Settings) -> list[Problem]:
    """At least the minimum of the Kata runtime (the shape is checked with the key)."""
    version_text = settings.kubernetes_version
    version = names.parse_kubernetes_version(version_text)
    runtime = catalog.KATA_GA  # the only runtime a new pool may use
    if version is None or version >= runtime.min_kubernetes:
        return []
    minimum = catalog.version_text(runtime.min_kubernetes)
    message = f"{runtime.workload_runtime} needs Kubernetes {minimum} or later"
    hint = yaml_number_hint(version_text, runtime.min_kubernetes)
    return [Problem("kubernetesVersion", version_text, message + hint)]


def yaml_number_hint(version: str, minimum: tuple[int, int]) -> str:
    """An unquoted `1.30` in the stack file is the YAML number 1.3, and the program gets "1.3".

    The CLI reads it as a float and passes its shortest text (pulumi/pulumi
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


def check_workload_runtime(settings: Settings) -> list[Problem]:
    value = settings.workload_runtime
    runtime = catalog.SANDBOX_RUNTIMES.get(value)
    if runtime is not None and runtime.in_stable_api:
        return []
    ga = catalog.KATA_GA
    if runtime is not None:
        return [
            Problem("workloadRuntime", value, f"{value} is the preview name and is not in the "
                    f"AKS API 2025-09-01 the program uses; use {ga.workload_runtime} (its "
                    f"runtime class becomes {ga.runtime_class})")
        ]  # fmt: skip
    why = catalog.NOT_SANDBOXING.get(value, "not a workload runtime AKS knows")
    return [Problem("workloadRuntime", value,
                    f"is not pod sandboxing ({why}); use {ga.workload_runtime}")]  # fmt: skip
