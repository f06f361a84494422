"""The stack's configuration keys, in one table: type, default, meaning and what is allowed.

`Pulumi.yaml`'s config schema and the README's config table are generated from `CONFIG_KEYS`
(python -m tools.schema); `contract.parse_settings` types the raw values by it and
`contract.check_keys` checks each value against its `constraint`. The rules that need more than
one key or a domain table (`rules`) are named in `also`, so the table still says all that is
allowed. Every number comes from `catalog`. Nothing here imports Pulumi.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from sandboxing import catalog, names
from sandboxing.catalog import KATA_GA, SANDBOX_RUNTIMES
from sandboxing.config.kinds import (
    Between,
    Constraint,
    EachItem,
    Matches,
    OneOf,
    Quantity,
    is_ipv4_range,
)

KATA_POOL_PLACEMENTS = ("dedicated", "system")

ConfigType = Literal["string", "integer", "boolean", "array", "object"]
Condition = tuple[str, str]  # (key, value): "when <key> is <value>"
ONE_POOL = ("kataPoolPlacement", "system")
EXISTING = ("clusterMode", "existing")


@dataclass(frozen=True)
class ConfigKey:
    name: str
    type: ConfigType
    default: Any
    description: str
    constraint: Constraint | None = None  # checked on the value alone (`check_keys`)
    also: str = ""  # what the domain and cross-field rules (`rules`) add, in words
    required_when: Condition | None = None
    unused_when: Condition | None = None  # then the value is ignored, and not checked
    items: ConfigType = "string"  # of an array: "object" for a list of maps

    @property
    def allowed(self) -> str:
        """What the README table and Pulumi.yaml say is allowed."""
        first = self.constraint.allowed if self.constraint else ""
        if self.type == "boolean":
            first = "`true`, `false`"
        required = (
            "required when {} is {}".format(*self.required_when) if self.required_when else ""
        )
        return "; ".join(part for part in (first, self.also, required) if part)


def _os_skus() -> str:
    return " ".join(
        f"`{sku}`" if warning is None else f"(`{sku}` with a warning)"
        for sku, warning in catalog.KATA_OS_SKUS.items()
    )


CONFIG_KEYS: tuple[ConfigKey, ...] = (
    ConfigKey(
        "clusterMode", "string", "new",
        "Create a new AKS cluster (new) or add the Kata pool to an existing one (existing).",
        OneOf(("new", "existing")),
    ),
    ConfigKey(
        "kataPoolPlacement", "string", "dedicated",
        "Where Kata runs: a Kata User pool beside a small OCI System pool (dedicated), or the "
        "new cluster's one System pool itself (system, the docs' one-pool cluster).",
        OneOf(KATA_POOL_PLACEMENTS, {"system": "new mode only"}),
    ),
    ConfigKey(
        "resourceGroupName", "string", "",
        "Resource group to create (new mode; empty: auto-named) or of the existing cluster.",
        Matches(
            names.RESOURCE_GROUP_NAME,
            "1-90 chars: letters, digits, `._-()`, not ending in `.`",
            "1-90 letters, digits, '.', '_', '-', '(' or ')' and not end with '.'",
            empty_ok=True,
        ),
        required_when=EXISTING,
    ),
    ConfigKey(
        "clusterName", "string", "",
        "Managed cluster name (new mode; empty: auto-named) or the existing cluster's name.",
        Matches(
            names.CLUSTER_NAME,
            "1-63 chars: letters, digits, `_-`, starting and ending alphanumeric",
            "1-63 letters, digits, '_' or '-', starting and ending with a letter or digit",
            empty_ok=True,
        ),
        required_when=EXISTING,
    ),
    ConfigKey(
        "kubernetesVersion", "string", "",
        "Kubernetes version of the cluster and the Kata pool (empty: AKS default).",
        Matches(
            names.KUBERNETES_VERSION,
            "`MAJOR.MINOR` or `MAJOR.MINOR.PATCH`",
            "MAJOR.MINOR or MAJOR.MINOR.PATCH, e.g. 1.33",
            empty_ok=True,
        ),
        also=f"at least {catalog.version_text(KATA_GA.min_kubernetes)} for "
        f"{KATA_GA.workload_runtime}",
    ),
    ConfigKey(
        "systemNodeVmSize", "string", "Standard_D2s_v5",
        "VM size of the inline System pool (OCI runtime, AzureLinux; dedicated placement).",
        also=f"an Azure VM size name with at least {catalog.SYSTEM_POOL_MIN_VCPUS} vCPUs",
        unused_when=ONE_POOL,
    ),
    ConfigKey(
        "systemNodeCount", "integer", 1,
        "Node count of the OCI System pool (dedicated placement).",
        Between(1, catalog.MAX_NODES_PER_POOL),
        unused_when=ONE_POOL,
    ),
    ConfigKey(
        "kataNodePoolName", "string", "katapool",
        "Name of the Kata node pool (dedicated placement; with system it is the System pool, "
        "named system).",
        Matches(
            names.AGENT_POOL_NAME,
            f"`{names.AGENT_POOL_NAME.pattern}`",
            "a lower-case letter, then up to 11 lower-case letters or digits "
            f"({names.AGENT_POOL_NAME.pattern})",
        ),
        also=f"not `{catalog.SYSTEM_POOL_NAME}`",
        unused_when=ONE_POOL,
    ),
    ConfigKey(
        "kataNodeVmSize", "string", "Standard_D4s_v3",
        "VM size of the Kata pool (with placement system: of the System pool): Gen2 with "
        "nested virtualization.",
        also=f"a size of a listed family ({', '.join(catalog.KATA_VM_FAMILIES)})",
    ),
    ConfigKey(
        "kataNodeCount", "integer", 1,
        "Node count of the Kata pool (with placement system: of the System pool).",
        Between(1, catalog.MAX_NODES_PER_POOL,
                why="a Kata pool with no node cannot run the untrusted pod"),
    ),
    ConfigKey(
        "allowUnlistedVmSize", "boolean", False,
        "Accept a Kata VM size whose family is not in the known list (warning only).",
    ),
    ConfigKey(
        "kataOsSku", "string", "AzureLinux", "OS SKU of the Kata pool.", also=_os_skus()
    ),
    ConfigKey(
        "workloadRuntime", "string", KATA_GA.workload_runtime,
        "Workload runtime of the Kata pool.",
        also=", ".join(f"`{name}`" for name, runtime in SANDBOX_RUNTIMES.items()
                       if runtime.in_stable_api),
    ),
    ConfigKey(
        "runtimeClassName", "string", "",
        "RuntimeClass of the untrusted pod (empty: the class of workloadRuntime, "
        f"{KATA_GA.runtime_class}).",
        Matches(
            names.DNS1123_SUBDOMAIN,
            "a DNS-1123 subdomain",
            "a DNS-1123 subdomain (lower-case letters, digits, '-', '.')",
            max_length=names.DNS1123_SUBDOMAIN_MAX,
            empty_ok=True,
        ),
        also=f"`{catalog.KATA_PREVIEW.runtime_class}` for preview-era pools",
    ),
    ConfigKey(
        "reconcileAfterKataPool", "boolean", True,
        "Reconcile the cluster (the docs' `az aks update`) once after the Kata pool is created "
        "or replaced.",
    ),
    ConfigKey(
        "runtimeClassWaitSeconds", "integer", 300,
        "How long to wait for the cluster to serve the Kata RuntimeClass before the untrusted "
        "pod is sent.",
        Between(10, 3600, unit="seconds"),
    ),
    ConfigKey(
        "kataNodeTaint", "string", "pod-sandboxing.aks.io/kata=true:NoSchedule",
        "Taint on the Kata nodes so ordinary pods stay off them (empty: no taint; dedicated "
        "placement only).",
        Matches(
            names.TAINT,
            "`key=value:Effect` with Effect NoSchedule, PreferNoSchedule or NoExecute, or empty",
            "key=value:Effect (Effect NoSchedule, PreferNoSchedule or NoExecute), or empty for "
            "no taint",
            empty_ok=True,
        ),
        unused_when=ONE_POOL,
    ),
    ConfigKey(
        "podNamespace", "string", "pod-sandboxing",
        "Namespace the trusted/untrusted pair runs in (created by the program).",
        Matches(
            names.DNS1123_LABEL,
            "a DNS-1123 label",
            f"a DNS-1123 label (1-{names.DNS1123_LABEL_MAX} lower-case letters, digits or '-', "
            "starting and ending alphanumeric)",
            max_length=names.DNS1123_LABEL_MAX,
        ),
    ),
    ConfigKey(
        "podImage", "string", "mcr.microsoft.com/aks/fundamental/base-ubuntu:v0.0.11",
        "Container image of both pods (needs /bin/sh and uname).",
        Matches(names.IMAGE_REFERENCE, "an image reference",
                "an image reference such as registry/repo:tag"),
    ),
    ConfigKey(
        "podCpuLimit", "string", "1",
        "CPU limit (= request) of each pod; the Kata VM gets it rounded up to whole vCPUs.",
        Quantity("cpu", ("500m", "1", "2")),
    ),
    ConfigKey(
        "podMemoryLimit", "string", "1Gi",
        "Memory limit (= request) of each pod; it is the Kata VM's memory.",
        Quantity("memory", ("512Mi", "1Gi"), catalog.MIN_POD_VM_MEMORY_MIB,
                 "Kata's minimum",
                 "the limit is the sandbox VM's memory"),
        also=f"with {catalog.RUNTIME_CLASS_OVERHEAD_MIB}Mi RuntimeClass overhead it fits the "
        "Kata node",
    ),
    ConfigKey(
        "networkPolicyEngine", "string", "cilium",
        "Network policy engine of a new cluster (Azure CNI Overlay).",
        OneOf(("cilium", "calico")),
    ),
    ConfigKey(
        "autoUpgradeChannel", "string", "patch", "Cluster auto-upgrade channel (new mode).",
        OneOf(("none", "patch", "stable", "rapid", "node-image")),
    ),
    ConfigKey(
        "nodeOsUpgradeChannel", "string", "NodeImage", "Node OS upgrade channel (new mode).",
        OneOf(("None", "Unmanaged", "NodeImage", "SecurityPatch")),
    ),
    ConfigKey(
        "skuTier", "string", "Free", "Cluster SKU tier (new mode).",
        OneOf(("Free", "Standard", "Premium")),
    ),
    ConfigKey(
        "entraAdminGroupObjectIds", "array", [],
        "Microsoft Entra group object IDs made cluster admins; non-empty turns on Entra "
        "integration (new mode).",
        EachItem(lambda item: bool(names.GUID.match(item)), "a list of GUIDs",
                 "Microsoft Entra group object IDs (GUIDs)"),
    ),
    ConfigKey(
        "enableAzureRbac", "boolean", False,
        "Authorize Kubernetes access with Azure RBAC (needs Entra integration).",
        also="`true` needs entraAdminGroupObjectIds",
    ),
    ConfigKey(
        "disableLocalAccounts", "boolean", False,
        "Disable local accounts; the user kubeconfig then needs kubelogin (needs Entra "
        "integration).",
        also="`true` needs entraAdminGroupObjectIds",
    ),
    ConfigKey(
        "apiServerAuthorizedIpRanges", "array", [],
        "CIDRs allowed to reach the API server (empty: any).",
        EachItem(is_ipv4_range, "a list of IPv4 CIDRs",
                 "IPv4 addresses or CIDRs, e.g. 203.0.113.0/24"),
    ),
    ConfigKey(
        "enableEncryptionAtHost", "boolean", False,
        "Encrypt the nodes' temp disks and OS disk caches on the VM host, on every pool the "
        "program creates (needs the subscription feature Microsoft.Compute/EncryptionAtHost; "
        "set at pool creation only).",
    ),
    ConfigKey(
        "osDiskType", "string", "",
        "OS disk type of every pool the program creates (empty: AKS picks, Ephemeral when the "
        "size's cache or temp disk holds the OS disk).",
        Matches(re.compile("^(?:" + "|".join(catalog.OS_DISK_TYPES) + ")$"),
                ", ".join(f"`{t}`" for t in catalog.OS_DISK_TYPES) + ", or empty (AKS picks)",
                "one of " + ", ".join(catalog.OS_DISK_TYPES) + ", or empty (AKS picks)",
                empty_ok=True),
        also="`Ephemeral` only on sizes whose cache (else temp) disk holds the OS disk",
    ),
    ConfigKey(
        "osDiskSizeGB", "integer", 0,
        "OS disk size of every pool the program creates (0: the AKS default, "
        f"{catalog.DEFAULT_OS_DISK_GIB} GiB for an ephemeral disk on a cache).",
        also=f"0, or {catalog.MIN_OS_DISK_GIB}-{catalog.MAX_OS_DISK_GIB}",
    ),
    ConfigKey(
        "enableAzureMonitor", "boolean", False,
        "Container Insights and control-plane diagnostic settings (kube-audit-admin, "
        "kube-apiserver, guard) to a Log Analytics workspace (new mode).",
    ),
    ConfigKey(
        "logAnalyticsWorkspaceId", "string", "",
        "Resource ID of the Log Analytics workspace for enableAzureMonitor (empty: the program "
        "creates one).",
        Matches(names.LOG_ANALYTICS_WORKSPACE_ID,
                "`/subscriptions/<id>/resourceGroups/<rg>/providers/"
                "Microsoft.OperationalInsights/workspaces/<name>`, or empty",
                "a Log Analytics workspace resource ID: /subscriptions/<subscription id>/"
                "resourceGroups/<group>/providers/Microsoft.OperationalInsights/workspaces/<name>, "
                "<name> 4-63 letters, digits and '-', starting and ending with a letter or digit",
                empty_ok=True),
    ),
    ConfigKey(
        "logAnalyticsRetentionDays", "integer", 30,
        "Retention of the workspace the program creates (enableAzureMonitor without "
        "logAnalyticsWorkspaceId).",
        Between(*catalog.LOG_ANALYTICS_RETENTION_DAYS, unit="days"),
    ),
    ConfigKey(
        "enableAzurePolicy", "boolean", False,
        "The Azure Policy add-on (azurepolicy), which enforces Azure Policy assignments in the "
        "cluster (new mode).",
    ),
    ConfigKey(
        "systemPoolCriticalAddonsOnly", "boolean", False,
        "Taint the System pool CriticalAddonsOnly=true:NoSchedule and add a User pool for the "
        "trusted pod and other ordinary workloads (new mode, dedicated placement).",
    ),
    ConfigKey(
        "userNodeVmSize", "string", "Standard_D2s_v5",
        "VM size of the User pool (systemPoolCriticalAddonsOnly).",
        also="an Azure VM size name",
    ),
    ConfigKey(
        "userNodeCount", "integer", 1,
        "Node count of the User pool (systemPoolCriticalAddonsOnly).",
        also=f"1-{catalog.MAX_NODES_PER_POOL}",
    ),
    ConfigKey(
        "tenants", "array", [],
        "Tenant sandboxes: one namespace each whose pods the API server keeps in Kata VMs, with "
        "quota, default pod size, egress and deployers (see Tenants).",
        also="a list of objects, each with at least a `name` (fields: see Tenants)",
        items="object",
    ),
)  # fmt: skip

KEYS_BY_NAME = {key.name: key for key in CONFIG_KEYS}
