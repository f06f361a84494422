"""Domain facts about AKS Pod Sandboxing, as data.

Everything the program, the validation rules, the sizing math and the policy pack know about
Kata on AKS lives here, so a new VM family or runtime name is a one-line change; the
configuration table (docs/configuration.md) and every message read these values rather than
retyping them.
Sources: Microsoft Learn "Pod Sandboxing with Azure Kubernetes Service" (use-pod-sandboxing),
"Manage system node pools" (use-system-pools), "Node resource reservations"
(node-resource-reservations) and "AKS quotas and regional limits" (quotas-skus-regions), as
MicrosoftDocs/azure-aks-docs @ fb060ab (2026-08-21) has them; the WorkloadRuntime and agent-pool
count in Azure/azure-rest-api-specs
specification/containerservice/resource-manager/Microsoft.ContainerService/aks/stable/2025-09-01/
managedClusters.json; new Kata VM families in Azure/AKS CHANGELOG.md (@ 8d1c890, 2026-08-07).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- Workload runtimes -----------------------------------------------------------------------


@dataclass(frozen=True)
class SandboxRuntime:
    """A node-pool `workloadRuntime` that gives VM-isolated pods."""

    workload_runtime: str
    runtime_class: str
    node_label: str  # label AKS puts on the pool's nodes (value "true")
    min_kubernetes: tuple[int, int]
    in_stable_api: bool  # part of the WorkloadRuntime enum of ARM API 2025-09-01


KATA_GA = SandboxRuntime(
    workload_runtime="KataVmIsolation",
    runtime_class="kata-vm-isolation",
    node_label="kubernetes.azure.com/kata-vm-isolation",
    min_kubernetes=(1, 27),
    in_stable_api=True,
)
KATA_PREVIEW = SandboxRuntime(
    workload_runtime="KataMshvVmIsolation",
    runtime_class="kata-mshv-vm-isolation",
    node_label="kubernetes.azure.com/kata-mshv-vm-isolation",
    min_kubernetes=(1, 24),
    in_stable_api=False,
)
SANDBOX_RUNTIMES: dict[str, SandboxRuntime] = {
    runtime.workload_runtime: runtime for runtime in (KATA_GA, KATA_PREVIEW)
}
# Every runtime class a Kata pool may serve (preview-era pools keep the old name).
KATA_RUNTIME_CLASSES = frozenset(runtime.runtime_class for runtime in SANDBOX_RUNTIMES.values())
KATA_HANDLER = "kata"


def version_text(version: tuple[int, int]) -> str:
    """(1, 27) -> "1.27", as messages and the docs write a minimum version."""
    return ".".join(str(part) for part in version)


# Workload runtimes that exist but are not pod sandboxing, with the reason we refuse them.
NOT_SANDBOXING: dict[str, str] = {
    "OCIContainer": "the default shared-kernel runtime (no VM isolation)",
    "WasmWasi": "WebAssembly nodes, not VM-isolated pods",
    "KataCcIsolation": "Confidential Containers, a different preview feature",
}

# --- Node OS ---------------------------------------------------------------------------------

SYSTEM_POOL_NAME = "system"
# AKS refuses smaller System pools (use-system-pools: "at least 2 vCPUs and 4 GB memory").
SYSTEM_POOL_MIN_VCPUS = 2
SYSTEM_POOL_MIN_MEMORY_GIB = 4
MAX_NODES_PER_POOL = 1000  # agentPoolProfile count maximum in the ARM spec
# Tag this program puts on the Kata pools it creates, so that a later run on an existing cluster
# tells its own pool (tag value "<project>/<stack>") from someone else's of the same name.
MANAGED_BY_TAG = "pod-sandboxing-stack"
KATA_OS_SKUS: dict[str, str | None] = {
    "AzureLinux": None,
    "AzureLinux3": "the Pod Sandboxing docs name only osSKU AzureLinux; AzureLinux3 is not "
    "documented for Kata pools",
}

# Pool options AKS refuses on a Kata pool that the program never sets, so there is nothing to
# refuse: FIPS ("AKS now rejects enabling FIPS (`--enable-fips-image`) on Pod Sandboxing (Kata)
# workload runtime node pools", AKS release notes 2026-06-19; pulumi_azure_native 3.29.0 AgentPool
# has `enable_fips`, no key sets it) and Artifact Streaming ("Added validation to prevent enabling
# Artifact Streaming with Pod Sandboxing", release notes 2026-04-28; not in the AKS API 2025-09-01
# that azure-native 3.29.0 uses). docs/limitations.md lists them.

# --- Kata pod resources (GA semantics) -------------------------------------------------------

DEFAULT_POD_VM_MEMORY_MIB = 512  # VM memory when the pod sets no memory limit
MIN_POD_VM_MEMORY_MIB = 128  # below this Kata does not support the pod
RUNTIME_CLASS_OVERHEAD_MIB = 600  # host side: shim, Cloud Hypervisor, virtiofsd
DEFAULT_POD_VCPUS = 1  # no CPU limit -> one vCPU

# Pod Security Admission version the sandbox namespace pins.
POD_SECURITY_VERSION = "v1.33"

# --- Tenant sandboxes ------------------------------------------------------------------------

# admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy is GA (served by default) since 1.30
# (kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy); its CEL has the
# Kubernetes quantity library since 1.28 (k8s.io/apiserver v0.36.3 pkg/cel/environment/base.go).
ADMISSION_POLICY_MIN_KUBERNETES = (1, 30)
# The Azure Instance Metadata Service (and its tokens): never reachable from a tenant pod.
INSTANCE_METADATA_ADDRESS = "169.254.169.254"
# Label on every tenant namespace; the admission policy binding selects namespaces by it.
TENANT_LABEL = "pod-sandboxing.aks.io/tenant"

# --- Tenant fences: what a tenant namespace may not reach or use ------------------------------
# (facts the fences in sandboxing/fences read; each with its source and the date it was true)

# Addresses on the Azure host that no sandboxed pod needs (every egress allow-list entry leaves them
# out). 168.63.129.16 is the "virtual public IP address ... used to facilitate a communication
# channel to Azure platform resources": VM agent (WireServer), platform DNS, DHCP, load-balancer
# probes (MicrosoftDocs/azure-docs articles/virtual-network/what-is-ip-address-168-63-129-16.md @
# 0fa7eaf; true in 2026). The link-local /16 holds IMDS 169.254.169.254 (AKS docs
# articles/aks/imds-restriction.md, ms.date 05/30/2025: "by default accessible from all pods") and,
# with AKS LocalDNS on, the node-local resolvers 169.254.10.10 and 169.254.10.11
# (articles/aks/localdns-custom.md; MicrosoftDocs/azure-aks-docs @ fb060ab, 2026-08-21).
AZURE_HOST_ADDRESS = "168.63.129.16"
LINK_LOCAL_RANGE = "169.254.0.0/16"
LOCAL_DNS_ADDRESSES = ("169.254.10.10", "169.254.10.11")
# The cluster's own ranges. The program does not set them; pulumi-azure-native 3.29.0 (ARM API
# 2025-09-01) sends the ARM defaults for an unset network profile (containerservice/_inputs.py
# ContainerServiceNetworkProfileArgs: pod_cidr '10.244.0.0/16', service_cidr '10.0.0.0/16',
# dns_service_ip '10.0.0.10'); Azure CNI Overlay: "If you don't specify a value for --pod-cidr,
# AKS assigns the default value of 10.244.0.0/16" (articles/aks/azure-cni-overlay.md, ms.date
# 2026-07-31). An existing cluster's own ranges are read from its network profile.
AKS_POD_CIDR = "10.244.0.0/16"
AKS_SERVICE_CIDR = "10.0.0.0/16"
# The node subnet of the VNet AKS manages is NOT known offline: the one statement found (Azure/AKS
# CHANGELOG.md, release 2022-02-24: "the default VNET address for managed VNETs will change from
# 10.0.0.0/8 to 10.240.0.0/16 and the default node subnet address will change from 10.224.0.0/12
# to 10.224.0.0/16") puts the subnet outside its VNet, so no node range is fenced by default.

# Pod placement: AKS labels every node with its pool's name; the Pod Sandboxing page (learn.
# microsoft.com/azure/aks/use-pod-sandboxing, ms.date 2026-09-17) recommends pinning sandboxed
# pods to the Kata pool with a nodeSelector on it.
AGENT_POOL_LABEL = "kubernetes.azure.com/agentpool"

# Priority: the two built-in classes above every user class (kubernetes/kubernetes
# pkg/apis/scheduling/types.go @ 056a015: HighestUserDefinablePriority = 1000000000,
# SystemCriticalPriority = 2 x that; "system-" is reserved for them). Any namespace may use them
# since Kubernetes 1.17 (kubernetes/kubernetes#76310), and AKS cannot restrict them with an
# admission configuration (articles/aks/faq.yml, ms.date 11/06/2023: "you can't modify the list of
# admission controllers").
SYSTEM_PRIORITY_CLASSES = ("system-node-critical", "system-cluster-critical")
SYSTEM_PRIORITY_PREFIX = "system-"
HIGHEST_USER_PRIORITY = 1_000_000_000

# Storage classes AKS creates with the CSI drivers (articles/aks/concepts-storage.md "Storage
# classes", ms.date 2026-07-30; `default` "will be the same as managed-csi"; managed-csi-premium-v2
# from Kubernetes 1.35; the blob classes only with the Blob CSI driver, off by default). A
# ResourceQuota cannot allow-list classes, so each one a namespace may not use gets a zero quota;
# classes made later (Azure Container Storage's `local-csi`, `acstor-<pool>`, your own) are fenced
# by the storage admission policy, which does allow-list.
AKS_STORAGE_CLASSES = (
    "default",
    "managed-csi",
    "managed-csi-premium",
    "managed-csi-premium-v2",
    "azurefile-csi",
    "azurefile-csi-premium",
    "azureblob-nfs-premium",
    "azureblob-fuse-premium",
)

# Node disk: the kubelet on AKS nodes evicts pods below 10% free node filesystem ("--eviction-
# hard": "memory.available<750Mi,nodefs.available<10%,nodefs.inodesFree<5%", Azure/karpenter-
# provider-azure pkg/providers/imagefamily/bootstrap/staticvalues.go @ 352646f, 2026-08-21; the
# upstream kubelet default is the same 10%), and reports the rest of the OS disk as allocatable
# ephemeral storage. A Kata pod's root filesystem and its disk-backed emptyDirs are on that disk
# (shared into the VM with virtio-fs).
NODEFS_EVICTION_PERCENT = 10

# --- VM sizes --------------------------------------------------------------------------------

# Azure size names: Standard_<series letters><vCPUs>[-<constrained>]<feature letters>[_v<N>]
VM_SIZE_PATTERN = re.compile(
    r"^Standard_(?P<series>[A-Z]+)(?P<vcpus>\d+)(?:-\d+)?(?P<features>[a-z]*)(?:_v(?P<version>\d+))?$"
)


@dataclass(frozen=True)
class VmFamily:
    """A VM family known to be Gen2 with nested virtualization (usable for Kata)."""

    name: str  # as Azure names the family, e.g. Dsv3
    vcpus: tuple[int, ...]  # the sizes that exist
    gib_per_vcpu: int
    memory_overrides: tuple[tuple[int, int], ...] = ()  # (vcpus, GiB) where the ratio breaks

    def memory_gib(self, vcpus: int) -> int:
        return dict(self.memory_overrides).get(vcpus, vcpus * self.gib_per_vcpu)


_D_SIZES = (2, 4, 8, 16, 32, 48, 64)
_D96_SIZES = (*_D_SIZES, 96)
_E_SIZES = (2, 4, 8, 16, 20, 32, 48, 64)
# Keyed by "<series><features>v<version>", which is how a size name maps to its family.
# Evidence for the v6/v7 families: Azure's size pages, MicrosoftDocs/azure-compute-docs
# articles/virtual-machines/sizes/<category>/<family>-series.md, whose "Feature support" reads
# "Generation 2 VMs: Supported", "Generation 1 VMs: Not Supported", "Nested Virtualization:
# Supported"; the vCPU counts below are those pages' size tables.
KATA_VM_FAMILIES: dict[str, VmFamily] = {
    family.name: family
    for family in (
        VmFamily("Dsv3", _D_SIZES, 4),  # the Pod Sandboxing page's own example
        VmFamily("Dsv4", _D_SIZES, 4),
        VmFamily("Ddsv4", _D_SIZES, 4),
        VmFamily("Dsv5", _D96_SIZES, 4),
        VmFamily("Ddsv5", _D96_SIZES, 4),
        VmFamily("Esv3", _E_SIZES, 8, ((64, 432),)),
        VmFamily("Esv4", _E_SIZES, 8, ((64, 504),)),
        VmFamily("Edsv4", _E_SIZES, 8, ((64, 504),)),
        VmFamily("Esv5", (*_E_SIZES, 96, 104), 8, ((96, 672), (104, 672))),
        VmFamily("Edsv5", (*_E_SIZES, 96, 104), 8, ((96, 672), (104, 672))),
        VmFamily("Dasv5", _D96_SIZES, 4),
        VmFamily("Dadsv5", _D96_SIZES, 4),
        VmFamily("Dadsv7", (*_D96_SIZES, 128, 160), 4),  # AKS changelog 2026-06-19
        # general-purpose/dsv6-series.md; Standard_D4s_v6 runs Kata nodes in the field
        # (microsoft/azurelinux#18251, node image AKSAzureLinux-V3katagen2-202607.09.0).
        VmFamily("Dsv6", (*_D96_SIZES, 128, 192), 4),
        VmFamily("Dasv6", _D96_SIZES, 4),  # general-purpose/dasv6-series.md
        VmFamily("Dasv7", (*_D96_SIZES, 128, 160), 4),  # general-purpose/dasv7-series.md
        # memory-optimized/esv6-series.md. Its Standard_E192is_v6 (isolated) parses as family
        # Eisv6 and stays unlisted.
        VmFamily("Esv6", (*_E_SIZES, 96, 128), 8),
    )
}

# The error AKS answers a Kata pool on a size without nested virtualization with (it checks
# sizes against its own list, which grows over time).
AKS_VM_SIZE_REFUSAL = "InvalidWorkloadRuntimeSettingError"

# Families and series that cannot host Kata, checked in order: (regex on the family key, reason).
_REFUSED = f"AKS refuses them with {AKS_VM_SIZE_REFUSAL}"
UNSUPPORTED_VM_FAMILIES: tuple[tuple[str, str], ...] = (
    # Confidential VMs with Azure Linux are GA on AKS (release notes 2026-06-19), but not for
    # Kata: learn.microsoft.com/azure/aks/use-cvm (ms.date 06/24/2026): "You can't use FIPS,
    # ARM64, Trusted Launch, or Pod Sandboxing".
    (
        r"^DC|^EC|^NCC",
        "confidential VM sizes cannot host Pod Sandboxing (AKS docs, use-cvm, "
        "ms.date 06/24/2026: a CVM pool can't use Pod Sandboxing, although CVMs with Azure Linux "
        "are GA since 2026-06)",
    ),
    (r"^[A-Z]+p", "Arm64 sizes are not supported with Pod Sandboxing"),
    (r"^B", f"B-series (burstable) sizes have no nested virtualization ({_REFUSED})"),
    (r"^A", f"A-series (Av2) sizes have no nested virtualization ({_REFUSED})"),
    (
        r"^D[sd]*v2$|^DSv2$|^DS$|^D$",
        f"Dv2/Dsv2 sizes are Gen1-only or lack nested virtualization ({_REFUSED})",
    ),
    (r"^[DE]v3$", "non-'s' v3 sizes (e.g. Standard_D2_v3) are Generation 1 only"),
    (
        r"^[DE]a[d]?s?v4$",
        f"Dav4/Dasv4/Eav4/Easv4 sizes have no nested virtualization ({_REFUSED})",
    ),
)


@dataclass(frozen=True)
class VmSize:
    name: str
    family: str
    vcpus: int


def parse_vm_size(name: str) -> VmSize | None:
    """Split an Azure size name into family key and vCPUs; None when it is not one."""
    match = VM_SIZE_PATTERN.match(name)
    if not match:
        return None
    version = f"v{match['version']}" if match["version"] else ""
    family = f"{match['series']}{match['features']}{version}"
    return VmSize(name, family, int(match["vcpus"]))


def unsupported_reason(size: VmSize) -> str | None:
    for pattern, reason in UNSUPPORTED_VM_FAMILIES:
        if re.search(pattern, size.family):
            return reason
    return None


def kata_vm_family(size: VmSize) -> VmFamily | None:
    family = KATA_VM_FAMILIES.get(size.family)
    if family is None or size.vcpus not in family.vcpus:
        return None
    return family


# --- Node allocatable (AKS resource reservations, Kubernetes 1.29+) --------------------------

# kube-reserved CPU by node vCPUs (AKS docs table); larger nodes: the last step.
KUBE_RESERVED_MILLICPU: tuple[tuple[int, int], ...] = (
    (1, 60),
    (2, 100),
    (4, 140),
    (8, 180),
    (16, 260),
    (32, 420),
    (64, 740),
)
MAX_PODS_PER_NODE = 250  # Azure CNI Overlay default
EVICTION_THRESHOLD_MIB = 100
# kube-reserved memory = min(20 MiB x maxPods + 50 MiB, 25% of the node's memory)
KUBE_RESERVED_MIB_PER_POD = 20
KUBE_RESERVED_MIB_BASE = 50
KUBE_RESERVED_MEMORY_CAP = 0.25

# --- Local disks and the OS disk (osDiskType, osDiskSizeGB) ----------------------------------

# AKS's OS disk when osDiskSizeGB is not set: "The default node OS disk configuration in AKS uses
# 128 GB, which means that you need a VM size that has a cache larger than 128 GB" (AKS docs,
# MicrosoftDocs/azure-aks-docs articles/aks/create-node-pools.md, ms.date 07/13/2026); the smallest
# AKS image is 30 GB.
DEFAULT_OS_DISK_GIB = 128
MIN_OS_DISK_GIB = 30
MAX_OS_DISK_GIB = 2048  # the ARM schema's maximum of osDiskSizeGB
OS_DISK_TYPES = ("Managed", "Ephemeral")

# --- Azure Monitor ---------------------------------------------------------------------------

# Interactive retention of a Log Analytics workspace on the PerGB2018 tier, in days.
LOG_ANALYTICS_RETENTION_DAYS = (30, 730)
LOG_ANALYTICS_SKU = "PerGB2018"
# Control-plane log categories sent to the workspace (AKS docs, articles/aks/monitor-aks.md and
# monitor-aks-reference.md "Resource logs"): kube-audit-admin is the audit log without the
# get/list events, guard the Entra ID and Azure RBAC authorization decisions.
CONTROL_PLANE_LOG_CATEGORIES = ("kube-audit-admin", "kube-apiserver", "guard")
# Container Insights' data collection rule, as Microsoft's managed-identity onboarding template
# creates it (microsoft/Docker-Provider scripts/onboarding/aks/onboarding-using-msi-auth/
# existingClusterOnboarding.json @ 1fd55ee and existingClusterParam.json @ 551de54): these streams,
# minus the legacy ContainerLog (v1) table and the network flow logs, which need a data collection
# endpoint.
CONTAINER_INSIGHTS_STREAMS = (
    "Microsoft-ContainerLogV2",
    "Microsoft-KubeEvents",
    "Microsoft-KubePodInventory",
    "Microsoft-KubeNodeInventory",
    "Microsoft-KubePVInventory",
    "Microsoft-KubeServices",
    "Microsoft-KubeMonAgentEvents",
    "Microsoft-InsightsMetrics",
    "Microsoft-ContainerInventory",
    "Microsoft-ContainerNodeInventory",
    "Microsoft-Perf",
)
CONTAINER_INSIGHTS_INTERVAL = "1m"

# --- System pool for system pods only --------------------------------------------------------

CRITICAL_ADDONS_ONLY_TAINT = "CriticalAddonsOnly=true:NoSchedule"
USER_POOL_NAME = "userpool"
# The label AKS puts on every node with its pool's name (AKS docs, MicrosoftDocs/azure-aks-docs
# articles/aks/use-labels.md, ms.date 06/10/2024, reserved system labels:
# `kubernetes.azure.com/agentpool` = "<agent pool name>"). The untrusted pod selects its Kata pool
# by it.
AGENT_POOL_LABEL = "kubernetes.azure.com/agentpool"


@dataclass(frozen=True)
class LocalDisks:
    """GiB per vCPU of a family's host cache and temp disk (0: none), from its size page."""

    cache_gib_per_vcpu: float
    temp_gib_per_vcpu: float
    vcpus: tuple[int, ...]


# An ephemeral OS disk lives on the cache disk when the size has one, else on the temp disk
# (AKS docs articles/aks/concepts-storage.md, ms.date 07/30/2026, "Ephemeral OS disks in AKS":
# sizes with a cache
# use it "instead of temporary storage"). Figures: Azure's size pages, MicrosoftDocs/
# azure-compute-docs articles/virtual-machines/sizes/general-purpose/<family>-series.md, tab
# "Local Storage" (Dsv3: temp 16 GiB and cache 50 GiB at 2 vCPUs, linear; Ddsv5: temp 75 GiB at
# 2 vCPUs, linear, no cache).
LOCAL_DISKS: dict[str, LocalDisks] = {
    "Dsv3": LocalDisks(25, 8, _D_SIZES),
    "Ddsv5": LocalDisks(0, 37.5, _D96_SIZES),
}
# From v4 on, a size has a temp disk only if its name has a `d` ("diskful", MicrosoftDocs/
# azure-compute-docs articles/virtual-machines/vm-naming-conventions.md); the `s`-only sizes
# (Dsv5, Esv5, Dasv5, Dsv6, ...) have neither temp disk nor cache and cannot host ephemeral OS.
_DISKLESS_FROM_VERSION = 4
_FAMILY_KEY = re.compile(r"^(?P<series>[A-Z]+)(?P<features>[a-z]*)v(?P<version>\d+)$")


def placement_disk_gib(size: VmSize) -> tuple[str, float] | None:
    """("cache" | "temp" | "no", GiB) an ephemeral OS disk could use; None when unknown."""
    disks = LOCAL_DISKS.get(size.family)
    if disks is not None and size.vcpus in disks.vcpus:
        if disks.cache_gib_per_vcpu:
            return "cache", disks.cache_gib_per_vcpu * size.vcpus
        return "temp", disks.temp_gib_per_vcpu * size.vcpus
    m = _FAMILY_KEY.match(size.family)
    if m and int(m["version"]) >= _DISKLESS_FROM_VERSION and "d" not in m["features"]:
        return "no", 0
    return None


def ephemeral_sizes(min_gib: float, families: tuple[str, ...] | None = None) -> list[str]:
    """Sizes with known local disks that hold an ephemeral OS disk of `min_gib`, smallest first."""
    found = []
    for family, disks in LOCAL_DISKS.items():
        if families is not None and family not in families:
            continue
        m = _FAMILY_KEY.match(family)
        if m is None:
            continue
        for vcpus in disks.vcpus:
            name = f"Standard_{m['series']}{vcpus}{m['features']}_v{m['version']}"
            where = placement_disk_gib(VmSize(name, family, vcpus))
            if where is not None and where[1] >= min_gib:
                found.append((vcpus, name))
    return [name for _, name in sorted(found)]


# --- Sandboxes on demand (agentSandbox) ------------------------------------------------------

# kubernetes-sigs/agent-sandbox installs into this namespace: its release manifests create it
# and its CRDs' conversion webhook names it (service agent-sandbox-webhook-service there).
AGENT_SANDBOX_SYSTEM_NAMESPACE = "agent-sandbox-system"
# AKS labels each node with its pool's name; the Pod Sandboxing page (use-pod-sandboxing, ms.date
# 2026-09-17) pins sandboxed pods to the Kata pool with `nodeSelector` on it.
AGENT_POOL_LABEL = "kubernetes.azure.com/agentpool"
# The controller's resources. Its release sets none and its Helm chart only shows an example in a
# comment (helm/values.yaml at v0.5.6: requests 10m/64Mi, limits 500m/128Mi). These leave room for
# the informer caches of pods and sandboxes, and set no CPU limit (a throttled reconciler hands
# out claims late). Not measured: watch the container's working set and adjust.
AGENT_SANDBOX_CONTROLLER_RESOURCES = {
    "requests": {"cpu": "100m", "memory": "128Mi"},
    "limits": {"memory": "512Mi"},
}
