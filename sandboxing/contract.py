"""The stack configuration contract: every key, its type, default and meaning, in one table.

`Pulumi.yaml`'s config schema, the README's config table and the parser below all follow
`CONFIG_KEYS` (tests keep them in sync). Parsing is pure: raw strings in (as the Pulumi engine
hands them over), a typed `Settings` plus a list of problems out. Nothing here imports Pulumi.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

from sandboxing.catalog import (
    DEFAULT_OS_DISK_GIB,
    KATA_GA,
    KATA_VM_FAMILIES,
    LOG_ANALYTICS_RETENTION_DAYS,
    MAX_OS_DISK_GIB,
    MIN_OS_DISK_GIB,
    SANDBOX_RUNTIMES,
    SandboxRuntime,
)

PROJECT = "aks-pod-sandboxing"
KATA_POOL_PLACEMENTS = ("dedicated", "system")

ConfigType = Literal["string", "integer", "boolean", "array"]


@dataclass(frozen=True)
class ConfigKey:
    name: str
    type: ConfigType
    default: Any
    description: str
    allowed: str  # what the README's table says is allowed


CONFIG_KEYS: tuple[ConfigKey, ...] = (
    ConfigKey(
        "clusterMode",
        "string",
        "new",
        "Create a new AKS cluster (new) or add the Kata pool to an existing one (existing).",
        "`new`, `existing`",
    ),
    ConfigKey(
        "kataPoolPlacement",
        "string",
        "dedicated",
        "Where Kata runs: a Kata User pool beside a small OCI System pool (dedicated), or the "
        "new cluster's one System pool itself (system, the docs' one-pool cluster).",
        "`dedicated`, `system` (new mode only)",
    ),
    ConfigKey(
        "resourceGroupName",
        "string",
        "",
        "Resource group to create (new mode; empty: auto-named) or of the existing cluster.",
        "1-90 chars: letters, digits, `._-()`, not ending in `.`; required when existing",
    ),
    ConfigKey(
        "clusterName",
        "string",
        "",
        "Managed cluster name (new mode; empty: auto-named) or the existing cluster's name.",
        "1-63 chars: letters, digits, `_-`, starting and ending alphanumeric; required "
        "when existing",
    ),
    ConfigKey(
        "kubernetesVersion",
        "string",
        "",
        "Kubernetes version of the cluster and the Kata pool (empty: AKS default).",
        "`MAJOR.MINOR` or `MAJOR.MINOR.PATCH`, at least 1.27 for KataVmIsolation",
    ),
    ConfigKey(
        "systemNodeVmSize",
        "string",
        "Standard_D2s_v5",
        "VM size of the inline System pool (OCI runtime, AzureLinux; dedicated placement).",
        "a well-formed Azure VM size name",
    ),
    ConfigKey(
        "systemNodeCount",
        "integer",
        1,
        "Node count of the OCI System pool (dedicated placement).",
        "1-1000",
    ),
    ConfigKey(
        "kataNodePoolName",
        "string",
        "katapool",
        "Name of the Kata node pool (dedicated placement; with system it is the System pool, "
        "named system).",
        "`^[a-z][a-z0-9]{0,11}$`, not `system`",
    ),
    ConfigKey(
        "kataNodeVmSize",
        "string",
        "Standard_D4s_v3",
        "VM size of the Kata pool (with placement system: of the System pool): Gen2 with "
        "nested virtualization.",
        f"a size of a listed family ({', '.join(KATA_VM_FAMILIES)})",
    ),
    ConfigKey(
        "kataNodeCount",
        "integer",
        1,
        "Node count of the Kata pool (with placement system: of the System pool).",
        "1-1000",
    ),
    ConfigKey(
        "allowUnlistedVmSize",
        "boolean",
        False,
        "Accept a Kata VM size whose family is not in the known list (warning only).",
        "`true`, `false`",
    ),
    ConfigKey(
        "kataOsSku",
        "string",
        "AzureLinux",
        "OS SKU of the Kata pool.",
        "`AzureLinux` (`AzureLinux3` with a warning)",
    ),
    ConfigKey(
        "workloadRuntime",
        "string",
        KATA_GA.workload_runtime,
        "Workload runtime of the Kata pool.",
        "`KataVmIsolation`",
    ),
    ConfigKey(
        "runtimeClassName",
        "string",
        "",
        "RuntimeClass of the untrusted pod (empty: the class of workloadRuntime, "
        "kata-vm-isolation).",
        "a DNS-1123 subdomain; `kata-mshv-vm-isolation` for preview-era pools",
    ),
    ConfigKey(
        "reconcileAfterKataPool",
        "boolean",
        True,
        "Reconcile the cluster (the docs' `az aks update`) once after the Kata pool is created "
        "or replaced.",
        "`true`, `false`",
    ),
    ConfigKey(
        "runtimeClassWaitSeconds",
        "integer",
        300,
        "How long to wait for the cluster to serve the Kata RuntimeClass before the untrusted "
        "pod is sent.",
        "10-3600",
    ),
    ConfigKey(
        "kataNodeTaint",
        "string",
        "pod-sandboxing.aks.io/kata=true:NoSchedule",
        "Taint on the Kata nodes so ordinary pods stay off them (empty: no taint; dedicated "
        "placement only).",
        "`key=value:Effect` with Effect NoSchedule, PreferNoSchedule or NoExecute, or empty",
    ),
    ConfigKey(
        "podNamespace",
        "string",
        "pod-sandboxing",
        "Namespace the trusted/untrusted pair runs in (created by the program).",
        "a DNS-1123 label",
    ),
    ConfigKey(
        "podImage",
        "string",
        "mcr.microsoft.com/aks/fundamental/base-ubuntu:v0.0.11",
        "Container image of both pods (needs /bin/sh and uname).",
        "an image reference",
    ),
    ConfigKey(
        "podCpuLimit",
        "string",
        "1",
        "CPU limit (= request) of each pod; the Kata VM gets it rounded up to whole vCPUs.",
        "a Kubernetes CPU quantity > 0, e.g. `500m`, `1`, `2`",
    ),
    ConfigKey(
        "podMemoryLimit",
        "string",
        "1Gi",
        "Memory limit (= request) of each pod; it is the Kata VM's memory.",
        "a Kubernetes memory quantity >= 128Mi that fits the Kata node with 600Mi overhead",
    ),
    ConfigKey(
        "networkPolicyEngine",
        "string",
        "cilium",
        "Network policy engine of a new cluster (Azure CNI Overlay).",
        "`cilium`, `calico`",
    ),
    ConfigKey(
        "autoUpgradeChannel",
        "string",
        "patch",
        "Cluster auto-upgrade channel (new mode).",
        "`none`, `patch`, `stable`, `rapid`, `node-image`",
    ),
    ConfigKey(
        "nodeOsUpgradeChannel",
        "string",
        "NodeImage",
        "Node OS upgrade channel (new mode).",
        "`None`, `Unmanaged`, `NodeImage`, `SecurityPatch`",
    ),
    ConfigKey(
        "skuTier", "string", "Free", "Cluster SKU tier (new mode).", "`Free`, `Standard`, `Premium`"
    ),
    ConfigKey(
        "entraAdminGroupObjectIds",
        "array",
        [],
        "Microsoft Entra group object IDs made cluster admins; non-empty turns on Entra "
        "integration (new mode).",
        "a list of GUIDs",
    ),
    ConfigKey(
        "enableAzureRbac",
        "boolean",
        False,
        "Authorize Kubernetes access with Azure RBAC (needs Entra integration).",
        "`true`, `false`",
    ),
    ConfigKey(
        "disableLocalAccounts",
        "boolean",
        False,
        "Disable local accounts; the user kubeconfig then needs kubelogin (needs Entra "
        "integration).",
        "`true`, `false`",
    ),
    ConfigKey(
        "apiServerAuthorizedIpRanges",
        "array",
        [],
        "CIDRs allowed to reach the API server (empty: any).",
        "a list of IPv4 CIDRs",
    ),
    ConfigKey(
        "enableEncryptionAtHost",
        "boolean",
        False,
        "Encrypt the nodes' temp disks and OS disk caches on the VM host, on every pool the "
        "program creates (needs the subscription feature Microsoft.Compute/EncryptionAtHost; "
        "set at pool creation only).",
        "`true`, `false`",
    ),
    ConfigKey(
        "osDiskType",
        "string",
        "",
        "OS disk type of every pool the program creates (empty: AKS picks, Ephemeral when the "
        "size's cache or temp disk holds the OS disk).",
        "`Managed`, `Ephemeral` (a size whose cache or temp disk holds the OS disk), or empty",
    ),
    ConfigKey(
        "osDiskSizeGB",
        "integer",
        0,
        f"OS disk size of every pool the program creates (0: AKS default, "
        f"{DEFAULT_OS_DISK_GIB} GiB for an ephemeral disk on a cache).",
        f"0, or {MIN_OS_DISK_GIB}-{MAX_OS_DISK_GIB}",
    ),
    ConfigKey(
        "enableAzureMonitor",
        "boolean",
        False,
        "Container Insights and control-plane diagnostic settings (kube-audit-admin, "
        "kube-apiserver, guard) to a Log Analytics workspace (new mode).",
        "`true`, `false`",
    ),
    ConfigKey(
        "logAnalyticsWorkspaceId",
        "string",
        "",
        "Resource ID of the Log Analytics workspace to use with enableAzureMonitor (empty: the "
        "program creates one).",
        "`/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.OperationalInsights/"
        "workspaces/<name>`, or empty",
    ),
    ConfigKey(
        "logAnalyticsRetentionDays",
        "integer",
        30,
        "Retention of the workspace the program creates (enableAzureMonitor without "
        "logAnalyticsWorkspaceId).",
        f"{LOG_ANALYTICS_RETENTION_DAYS[0]}-{LOG_ANALYTICS_RETENTION_DAYS[1]}",
    ),
    ConfigKey(
        "enableAzurePolicy",
        "boolean",
        False,
        "The Azure Policy add-on (azurepolicy), which enforces Azure Policy assignments in the "
        "cluster (new mode).",
        "`true`, `false`",
    ),
    ConfigKey(
        "systemPoolCriticalAddonsOnly",
        "boolean",
        False,
        "Taint the System pool CriticalAddonsOnly=true:NoSchedule and add a User pool for the "
        "trusted pod and other ordinary workloads (new mode, dedicated placement).",
        "`true`, `false`",
    ),
    ConfigKey(
        "userNodeVmSize",
        "string",
        "Standard_D2s_v5",
        "VM size of the User pool (systemPoolCriticalAddonsOnly).",
        "a well-formed Azure VM size name",
    ),
    ConfigKey(
        "userNodeCount",
        "integer",
        1,
        "Node count of the User pool (systemPoolCriticalAddonsOnly).",
        "1-1000",
    ),
)

KEYS_BY_NAME = {k.name: k for k in CONFIG_KEYS}


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) with the configuration."""

    key: str
    value: Any
    message: str  # what is allowed / what to do
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        key = self.key if ":" in self.key else f"{PROJECT}:{self.key}"
        return f"{key} = {self.value!r}: {self.message}"


@dataclass(frozen=True)
class Settings:
    """The parsed stack configuration (wire names in snake_case)."""

    location: str
    cluster_mode: str
    kata_pool_placement: str
    resource_group_name: str
    cluster_name: str
    kubernetes_version: str
    system_node_vm_size: str
    system_node_count: int
    kata_node_pool_name: str
    kata_node_vm_size: str
    kata_node_count: int
    allow_unlisted_vm_size: bool
    kata_os_sku: str
    workload_runtime: str
    runtime_class_name: str
    reconcile_after_kata_pool: bool
    runtime_class_wait_seconds: int
    kata_node_taint: str
    pod_namespace: str
    pod_image: str
    pod_cpu_limit: str
    pod_memory_limit: str
    network_policy_engine: str
    auto_upgrade_channel: str
    node_os_upgrade_channel: str
    sku_tier: str
    entra_admin_group_object_ids: tuple[str, ...]
    enable_azure_rbac: bool
    disable_local_accounts: bool
    api_server_authorized_ip_ranges: tuple[str, ...]
    enable_encryption_at_host: bool
    os_disk_type: str
    os_disk_size_gb: int
    enable_azure_monitor: bool
    log_analytics_workspace_id: str
    log_analytics_retention_days: int
    enable_azure_policy: bool
    system_pool_critical_addons_only: bool
    user_node_vm_size: str
    user_node_count: int
    # azure-native:environment (public, usgovernment, china; empty: public), like `location`
    # a provider setting rather than a key of this project.
    azure_environment: str = ""

    @property
    def existing_cluster(self) -> bool:
        return self.cluster_mode == "existing"

    @property
    def kata_on_system_pool(self) -> bool:
        """The docs' one-pool cluster: the inline System pool runs Kata, no separate pool."""
        return self.kata_pool_placement == "system"

    @property
    def kata_taint(self) -> str:
        """The taint on the Kata nodes; none when they are the System pool, which every pod
        (the system pods, the trusted pod) must be able to use."""
        return "" if self.kata_on_system_pool else self.kata_node_taint

    @property
    def sandbox_runtime(self) -> SandboxRuntime:
        """The configured Kata runtime; GA Kata when the name is not one (rules report it)."""
        return SANDBOX_RUNTIMES.get(self.workload_runtime, KATA_GA)

    @property
    def effective_runtime_class(self) -> str:
        """The class the untrusted pod names: the override, else the runtime's own class."""
        return self.runtime_class_name or self.sandbox_runtime.runtime_class

    @property
    def entra_enabled(self) -> bool:
        return bool(self.entra_admin_group_object_ids)

    @property
    def user_pool(self) -> bool:
        """A User pool beside a System pool reserved for system pods (new mode)."""
        return self.system_pool_critical_addons_only and not self.existing_cluster


def _snake(name: str) -> str:
    """`kataNodeVmSize` -> `kata_node_vm_size`; a run of capitals is one word (`osDiskSizeGB`)."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


_FIELD_NAMES = {f.name for f in fields(Settings)}
assert all(_snake(k.name) in _FIELD_NAMES for k in CONFIG_KEYS), "contract and Settings differ"


def _convert(key: ConfigKey, raw: Any) -> tuple[Any, Problem | None]:
    """Turn one raw config value (string from the engine, or already typed) into its type."""
    if key.type == "string":
        if isinstance(raw, str):
            return raw.strip(), None
        return None, Problem(key.name, raw, "must be a string")
    if key.type == "integer":
        if isinstance(raw, bool):
            return None, Problem(key.name, raw, f"must be a whole number ({key.allowed})")
        if isinstance(raw, int):
            return raw, None
        text = str(raw).strip()
        try:
            return int(text), None
        except ValueError:
            return None, Problem(key.name, raw, f"must be a whole number ({key.allowed})")
    if key.type == "boolean":
        if isinstance(raw, bool):
            return raw, None
        text = str(raw).strip().lower()
        if text in ("true", "false"):
            return text == "true", None
        return None, Problem(key.name, raw, "must be true or false")
    # array of strings: the engine hands arrays over as JSON text
    value = raw
    if isinstance(raw, str):
        try:
            value = json.loads(raw) if raw.strip() else []
        except json.JSONDecodeError:
            return None, Problem(key.name, raw, f"must be a JSON list of strings ({key.allowed})")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None, Problem(key.name, raw, f"must be a list of strings ({key.allowed})")
    return tuple(v.strip() for v in value), None


def parse_settings(
    raw: dict[str, Any], location: str = "", azure_environment: str = ""
) -> tuple[Settings, list[Problem]]:
    """Parse raw config values (missing or None: the default) into Settings.

    A value of the wrong type is reported and replaced by the default, so the remaining rules
    can still run and every problem is reported in one go.
    """
    values: dict[str, Any] = {"location": location, "azure_environment": azure_environment}
    problems: list[Problem] = []
    for key in CONFIG_KEYS:
        raw_value = raw.get(key.name)
        value = key.default
        if raw_value is not None:
            converted, problem = _convert(key, raw_value)
            if problem:
                problems.append(problem)
            else:
                value = converted
        if isinstance(value, list):
            value = tuple(value)
        values[_snake(key.name)] = value
    return Settings(**values), problems


def default_settings(**overrides: Any) -> Settings:
    """Settings with every key at its default, then the given fields replaced."""
    settings, _ = parse_settings({})
    return replace(settings, **overrides)
