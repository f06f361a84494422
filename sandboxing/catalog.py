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
