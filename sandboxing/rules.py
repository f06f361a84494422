"""Validation rules: pure functions from Settings to Problems.

Each rule checks one concern and reads its facts from `catalog`. `check_settings` runs them all,
so a user sees every problem at once, before any resource is registered.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable

from sandboxing import azure_regions, catalog
from sandboxing.contract import Problem, Settings
from sandboxing.placement import kata_pool_placement
from sandboxing.production import PRODUCTION_RULES
from sandboxing.quantities import cpu_millicores, memory_mib
from sandboxing.sizing import node_capacity

Rule = Callable[[Settings], Iterable[Problem]]

DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
AGENT_POOL_NAME = re.compile(r"^[a-z][a-z0-9]{0,11}$")
RESOURCE_GROUP_NAME = re.compile(r"^[-\w.()]{1,90}$")
CLUSTER_NAME = re.compile(r"^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$")
KUBERNETES_VERSION = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?$")
TAINT = re.compile(
    r"^(?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?"
    r"=[A-Za-z0-9]?([-A-Za-z0-9_.]*[A-Za-z0-9])?:(NoSchedule|PreferNoSchedule|NoExecute)$"
)
IMAGE_REFERENCE = re.compile(
    r"^[a-z0-9][a-z0-9._/:-]*[a-z0-9](?::[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$"
)
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")

CLUSTER_MODES = ("new", "existing")
NETWORK_POLICY_ENGINES = ("cilium", "calico")
AUTO_UPGRADE_CHANNELS = ("none", "patch", "stable", "rapid", "node-image")
NODE_OS_UPGRADE_CHANNELS = ("None", "Unmanaged", "NodeImage", "SecurityPatch")
SKU_TIERS = ("Free", "Standard", "Premium")
MAX_NODE_COUNT = 1000
RUNTIME_CLASS_WAIT_SECONDS = (10, 3600)


def _one_of(key: str, value: str, allowed: tuple[str, ...]) -> list[Problem]:
    if value in allowed:
        return []
    return [Problem(key, value, "must be one of " + ", ".join(allowed))]


def parse_kubernetes_version(text: str) -> tuple[int, int] | None:
    m = KUBERNETES_VERSION.match(text)
    return (int(m[1]), int(m[2])) if m else None


def cluster_identity(s: Settings) -> list[Problem]:
    problems = _one_of("clusterMode", s.cluster_mode, CLUSTER_MODES)
    if s.existing_cluster:
        for key, value in (("resourceGroupName", s.resource_group_name),
                           ("clusterName", s.cluster_name)):  # fmt: skip
            if not value:
                problems.append(
                    Problem(
                        key,
                        value,
                        "is required when clusterMode is existing "
                        "(the resource group and name of the cluster to use)",
                    )
                )
    elif not s.location:
        problems.append(
            Problem(
                "azure-native:location",
                s.location,
                "is required for a new cluster, e.g. `pulumi config set "
                "azure-native:location westeurope`",
            )
        )
    if s.resource_group_name and (
        not RESOURCE_GROUP_NAME.match(s.resource_group_name) or s.resource_group_name.endswith(".")
    ):
        problems.append(
            Problem(
                "resourceGroupName",
                s.resource_group_name,
                "must be 1-90 letters, digits, '.', '_', '-', '(' or ')' and not end with '.'",
            )
        )
    if s.cluster_name and not CLUSTER_NAME.match(s.cluster_name):
        problems.append(
            Problem(
                "clusterName",
                s.cluster_name,
                "must be 1-63 letters, digits, '_' or '-', starting and ending "
                "with a letter or digit",
            )
        )
    return problems


def location(s: Settings) -> list[Problem]:
    """A typo in the region would otherwise first fail at ARM, after the stack started."""
    if not s.location or s.azure_environment not in azure_regions.PUBLIC_CLOUD_ENVIRONMENTS:
        return []
    if azure_regions.is_region(s.location):
        return []
    closest = azure_regions.closest_regions(s.location)
    hint = f"did you mean `{closest[0]}`? " if closest else ""
    return [
        Problem(
            "azure-native:location",
            s.location,
            f"is not an Azure region; {hint}Region names are as "
            "`az account list-locations --query [].name` prints them, e.g. westeurope, eastus2",
        )
    ]


def os_sku(s: Settings) -> list[Problem]:
    if s.kata_os_sku not in catalog.KATA_OS_SKUS:
        return [
            Problem(
                "kataOsSku",
                s.kata_os_sku,
                "Pod Sandboxing needs osSKU AzureLinux (Ubuntu, Windows and others are "
                "not supported)",
            )
        ]
    warning = catalog.KATA_OS_SKUS[s.kata_os_sku]
    return [Problem("kataOsSku", s.kata_os_sku, warning, "warning")] if warning else []


def kata_vm_size(s: Settings) -> list[Problem]:
    key, value = "kataNodeVmSize", s.kata_node_vm_size
    families = ", ".join(catalog.KATA_VM_FAMILIES)
    refusal = catalog.AKS_VM_SIZE_REFUSAL
    size = catalog.parse_vm_size(value)
    if size is None:
        return [Problem(key, value, "is not an Azure VM size name (e.g. Standard_D4s_v3)")]
    reason = catalog.unsupported_reason(size)
    if reason:
        return [
            Problem(
                key,
                value,
                f"{reason}; Kata needs a Gen2 size with nested virtualization from: {families}",
            )
        ]
    if catalog.kata_vm_family(size) is None:
        message = (
            f"family {size.family} ({size.vcpus} vCPUs) is not in the known Gen2 "
            f"nested-virtualization list ({families})"
        )
        if s.allow_unlisted_vm_size:
            return [
                Problem(
                    key,
                    value,
                    message + "; allowed by allowUnlistedVmSize: if the size lacks nested "
                    f"virtualization, AKS refuses the pool with {refusal}",
                    "warning",
                )
            ]
        return [
            Problem(
                key,
                value,
                message + f"; AKS refuses sizes without nested virtualization with {refusal}: "
                "set allowUnlistedVmSize: true only for a Gen2 size whose Azure size page says "
                "'Nested Virtualization: Supported'",
            )
        ]
    return []


def system_vm_size(s: Settings) -> list[Problem]:
    """The System pool's size: systemNodeVmSize, or kataNodeVmSize when the System pool runs
    Kata (kata_vm_size already reports a malformed one)."""
    if s.kata_on_system_pool:
        size = catalog.parse_vm_size(s.kata_node_vm_size)
        if size is None or size.vcpus >= 2:
            return []
        return [
            Problem(
                "kataNodeVmSize",
                s.kata_node_vm_size,
                "is the System pool's size with kataPoolPlacement system, and System pools "
                "need at least 2 vCPUs and 4 GiB of memory",
            )
        ]
    size = catalog.parse_vm_size(s.system_node_vm_size)
    if size is None:
        return [
            Problem(
                "systemNodeVmSize",
                s.system_node_vm_size,
                "is not an Azure VM size name (e.g. Standard_D2s_v5)",
            )
        ]
    if size.vcpus < 2:
        return [
            Problem(
                "systemNodeVmSize",
                s.system_node_vm_size,
                "System pools need at least 2 vCPUs and 4 GiB of memory",
            )
        ]
    return []


def kubernetes_version(s: Settings) -> list[Problem]:
    if not s.kubernetes_version:
        return []
    version = parse_kubernetes_version(s.kubernetes_version)
    if version is None:
        return [
            Problem(
                "kubernetesVersion",
                s.kubernetes_version,
                "must be MAJOR.MINOR or MAJOR.MINOR.PATCH, e.g. 1.33",
            )
        ]
    runtime = catalog.KATA_GA  # the only runtime a new pool may use
    if version < runtime.min_kubernetes:
        minimum = "{}.{}".format(*runtime.min_kubernetes)
        message = f"{runtime.workload_runtime} needs Kubernetes {minimum} or later"
        return [
            Problem(
                "kubernetesVersion",
                s.kubernetes_version,
                message + yaml_number_hint(s.kubernetes_version, runtime.min_kubernetes),
            )
        ]
    return []


def yaml_number_hint(version: str, minimum: tuple[int, int]) -> str:
    """An unquoted `1.30` in the stack file is the YAML number 1.3, and the program gets "1.3".

    The CLI reads it as a float and passes its shortest text (pulumi/pulumi
    sdk/go/common/resource/config/object.go `MarshalString`), so the trailing zero is gone.
    """
    m = KUBERNETES_VERSION.match(version)
    if not m or m[3] is not None or len(m[2]) != 1:
        return ""
    meant = f"{m[1]}.{m[2]}0"
    if (int(m[1]), int(m[2]) * 10) < minimum:
        return ""
    return (
        f"; an unquoted `kubernetesVersion: {meant}` in the stack file is the YAML number "
        f"{version}: quote it: '{meant}'"
    )


def upgrade_drift(s: Settings) -> list[Problem]:
    """Auto-upgrade that moves the cluster past a pinned version makes the next `up` fight it."""
    version = s.kubernetes_version
    if not version or not KUBERNETES_VERSION.match(version):
        return []
    pinned_patch = version.count(".") == 2
    moves_minor = s.auto_upgrade_channel in ("stable", "rapid")
    if moves_minor or (pinned_patch and s.auto_upgrade_channel == "patch"):
        message = (
            f"autoUpgradeChannel {s.auto_upgrade_channel} will upgrade the cluster past "
            f"{version}, and a later `pulumi up` would then ask AKS to go back (which it "
            "refuses); pin only MAJOR.MINOR with the patch channel, or leave kubernetesVersion "
            "empty"
        )
        return [Problem("kubernetesVersion", version, message, "warning")]
    return []


def workload_runtime(s: Settings) -> list[Problem]:
    value = s.workload_runtime
    runtime = catalog.SANDBOX_RUNTIMES.get(value)
    if runtime is not None and runtime.in_stable_api:
        return []
    if runtime is not None:
        return [
            Problem(
                "workloadRuntime",
                value,
                f"{value} is the preview name and is not in the AKS API 2025-09-01 the "
                f"program uses; use {catalog.KATA_GA.workload_runtime} (its runtime class "
                f"becomes {catalog.KATA_GA.runtime_class})",
            )
        ]
    why = catalog.NOT_SANDBOXING.get(value, "not a workload runtime AKS knows")
    return [
        Problem(
            "workloadRuntime",
            value,
            f"is not pod sandboxing ({why}); use {catalog.KATA_GA.workload_runtime}",
        )
    ]


def runtime_class(s: Settings) -> list[Problem]:
    name = s.runtime_class_name
    if not name:
        return []
    if len(name) > 253 or not DNS1123_SUBDOMAIN.match(name):
        return [
            Problem(
                "runtimeClassName",
                name,
                "must be a DNS-1123 subdomain (lower-case letters, digits, '-', '.')",
            )
        ]
    runtime = s.sandbox_runtime
    if name == runtime.runtime_class:
        return []
    if name == catalog.KATA_PREVIEW.runtime_class and s.existing_cluster:
        return [
            Problem(
                "runtimeClassName",
                name,
                f"preview-era class, served by Kata pools created during the preview; "
                f"the GA name is {catalog.KATA_GA.runtime_class}, which new pools "
                f"serve",
                "warning",
            )
        ]
    return [
        Problem(
            "runtimeClassName",
            name,
            f"AKS creates the class {runtime.runtime_class} for {runtime.workload_runtime}"
            f"; the untrusted pod will stay Pending unless {name} exists",
            "warning",
        )
    ]


def node_pool_name(s: Settings) -> list[Problem]:
    if s.kata_on_system_pool:
        return []  # not used: kata_pool_placement says so
    name = s.kata_node_pool_name
    if not AGENT_POOL_NAME.match(name):
        return [
            Problem(
                "kataNodePoolName",
                name,
                "must match ^[a-z][a-z0-9]{0,11}$ (lower-case letter, then up to 11 "
                "lower-case letters or digits)",
            )
        ]
    if name == catalog.SYSTEM_POOL_NAME:
        return [
            Problem(
                "kataNodePoolName",
                name,
                "is the System pool's name; choose another (default katapool)",
            )
        ]
    return []


def node_counts(s: Settings) -> list[Problem]:
    problems = []
    counts = [("kataNodeCount", s.kata_node_count)]
    if not s.kata_on_system_pool:  # else not used: kata_pool_placement says so
        counts.insert(0, ("systemNodeCount", s.system_node_count))
    for key, value in counts:
        if not 1 <= value <= MAX_NODE_COUNT:
            problems.append(
                Problem(
                    key,
                    value,
                    f"must be between 1 and {MAX_NODE_COUNT}"
                    + (
                        " (a Kata pool with no node cannot run the untrusted pod)"
                        if key == "kataNodeCount"
                        else ""
                    ),
                )
            )
    return problems


def runtime_class_wait(s: Settings) -> list[Problem]:
    low, high = RUNTIME_CLASS_WAIT_SECONDS
    if low <= s.runtime_class_wait_seconds <= high:
        return []
    return [
        Problem(
            "runtimeClassWaitSeconds",
            s.runtime_class_wait_seconds,
            f"must be a number of seconds between {low} and {high} (default 300)",
        )
    ]


def pod_resources(s: Settings) -> list[Problem]:
    problems = []
    node = node_capacity(s.kata_node_vm_size)  # None for sizes we have no data on
    cpu = cpu_millicores(s.pod_cpu_limit)
    if cpu is None or cpu <= 0:
        problems.append(
            Problem(
                "podCpuLimit",
                s.pod_cpu_limit,
                "must be a Kubernetes CPU quantity above zero, e.g. 500m or 1",
            )
        )
    memory = memory_mib(s.pod_memory_limit)
    if memory is None:
        problems.append(
            Problem(
                "podMemoryLimit",
                s.pod_memory_limit,
                "must be a Kubernetes memory quantity, e.g. 512Mi or 1Gi",
            )
        )
    elif memory < catalog.MIN_POD_VM_MEMORY_MIB:
        problems.append(
            Problem(
                "podMemoryLimit",
                s.pod_memory_limit,
                f"is below Kata's minimum of {catalog.MIN_POD_VM_MEMORY_MIB}Mi "
                "(the limit is the sandbox VM's memory)",
            )
        )
    else:
        needed = memory + catalog.RUNTIME_CLASS_OVERHEAD_MIB
        if node is not None and needed > node.allocatable_memory_mib:
            problems.append(
                Problem(
                    "podMemoryLimit",
                    s.pod_memory_limit,
                    f"plus the {catalog.RUNTIME_CLASS_OVERHEAD_MIB}Mi RuntimeClass "
                    f"overhead needs {needed:.0f}Mi, more than the "
                    f"{node.allocatable_memory_mib}Mi allocatable on "
                    f"{s.kata_node_vm_size}",
                )
            )
    if cpu and node is not None and cpu > node.allocatable_millicpu:
        problems.append(
            Problem(
                "podCpuLimit",
                s.pod_cpu_limit,
                f"is more than the {node.allocatable_millicpu}m allocatable on "
                f"{s.kata_node_vm_size}",
            )
        )
    return problems


def pod_namespace_and_image(s: Settings) -> list[Problem]:
    problems = []
    if len(s.pod_namespace) > 63 or not DNS1123_LABEL.match(s.pod_namespace):
        problems.append(
            Problem(
                "podNamespace",
                s.pod_namespace,
                "must be a DNS-1123 label (1-63 lower-case letters, digits or "
                "'-', starting and ending alphanumeric)",
            )
        )
    if not IMAGE_REFERENCE.match(s.pod_image):
        problems.append(
            Problem("podImage", s.pod_image, "must be an image reference such as registry/repo:tag")
        )
    return problems


def kata_taint(s: Settings) -> list[Problem]:
    if s.kata_on_system_pool:
        return []  # not used: kata_pool_placement says so
    if s.kata_node_taint and not TAINT.match(s.kata_node_taint):
        return [
            Problem(
                "kataNodeTaint",
                s.kata_node_taint,
                "must be key=value:Effect (Effect NoSchedule, PreferNoSchedule or "
                "NoExecute), or empty for no taint",
            )
        ]
    return []


def cluster_baseline(s: Settings) -> list[Problem]:
    problems = (
        _one_of("networkPolicyEngine", s.network_policy_engine, NETWORK_POLICY_ENGINES)
        + _one_of("autoUpgradeChannel", s.auto_upgrade_channel, AUTO_UPGRADE_CHANNELS)
        + _one_of("nodeOsUpgradeChannel", s.node_os_upgrade_channel, NODE_OS_UPGRADE_CHANNELS)
        + _one_of("skuTier", s.sku_tier, SKU_TIERS)
    )
    bad_ids = [g for g in s.entra_admin_group_object_ids if not GUID.match(g)]
    if bad_ids:
        problems.append(
            Problem(
                "entraAdminGroupObjectIds",
                bad_ids,
                "must be Microsoft Entra group object IDs (GUIDs)",
            )
        )
    for key, on in (("enableAzureRbac", s.enable_azure_rbac),
                    ("disableLocalAccounts", s.disable_local_accounts)):  # fmt: skip
        if on and not s.entra_enabled:
            problems.append(
                Problem(
                    key,
                    on,
                    "needs Microsoft Entra integration: set "
                    "entraAdminGroupObjectIds to at least one admin group",
                )
            )
    bad_ranges = []
    for cidr in s.api_server_authorized_ip_ranges:
        try:
            ipaddress.IPv4Network(cidr, strict=False)
        except ValueError:
            bad_ranges.append(cidr)
    if bad_ranges:
        problems.append(
            Problem(
                "apiServerAuthorizedIpRanges",
                bad_ranges,
                "must be IPv4 addresses or CIDRs, e.g. 203.0.113.0/24",
            )
        )
    return problems


RULES: tuple[Rule, ...] = (
    cluster_identity, kata_pool_placement, location, os_sku, kata_vm_size, system_vm_size,
    kubernetes_version, upgrade_drift, workload_runtime, runtime_class, runtime_class_wait,
    node_pool_name, node_counts, pod_resources, pod_namespace_and_image, kata_taint,
    cluster_baseline, *PRODUCTION_RULES,
)  # fmt: skip


def check_settings(settings: Settings) -> list[Problem]:
    """Every problem of every rule, errors and warnings."""
    return [problem for rule in RULES for problem in rule(settings)]


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def warnings(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "warning"]


def format_errors(problems: list[Problem]) -> str:
    lines = [f"{len(problems)} configuration problem(s); nothing was deployed:"]
    lines += [f"  - {p}" for p in problems]
    return "\n".join(lines)
