"""The cluster's keys: which cluster, its version, network, upgrades, tier and access."""

from __future__ import annotations

from sandboxing import catalog, names
from sandboxing.agent_sandbox.config import AGENT_SANDBOX
from sandboxing.config.key import Condition, ConfigKey
from sandboxing.config.kinds import EachItem, Matches, OneOf, is_ipv4_range
from sandboxing.rules.cluster import ENTRA_OPTIONS, LOCATION, RECONCILE_CLOUD, UPGRADE_DRIFT
from sandboxing.rules.placement import ONE_POOL_NEEDS_NEW_CLUSTER
from sandboxing.rules.pods import RUNTIME_CLASS_OVERRIDE
from sandboxing.rules.pools import KATA_POOL_NAME, KUBERNETES_VERSION
from sandboxing.rules.production import EPHEMERAL_OS_DISK, NEW_CLUSTER_OPTIONS, USER_POOL
from sandboxing.tenants.config import TENANTS

EXISTING = Condition("clusterMode", "existing")
KATA_GA = catalog.KATA_GA

KEYS: tuple[ConfigKey, ...] = (
    ConfigKey(
        "clusterMode", "string", "new",
        "Create a new AKS cluster (new) or add the Kata pool to an existing one (existing).",
        OneOf(("new", "existing")),
        rules=(ONE_POOL_NEEDS_NEW_CLUSTER.allows(), NEW_CLUSTER_OPTIONS.allows(),
               RUNTIME_CLASS_OVERRIDE.allows(), LOCATION.allows(), KATA_POOL_NAME.allows(),
               EPHEMERAL_OS_DISK.allows(), USER_POOL.allows()),
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
        rules=(
            KUBERNETES_VERSION.allows(
                f"at least {catalog.version_text(KATA_GA.min_kubernetes)} for "
                f"{KATA_GA.workload_runtime}"
            ),
            UPGRADE_DRIFT.allows(),
            TENANTS.allows(
                f"at least {catalog.version_text(catalog.ADMISSION_POLICY_MIN_KUBERNETES)} "
                "with tenants"
            ),
            AGENT_SANDBOX.allows(
                f"at least {catalog.version_text(catalog.ADMISSION_POLICY_MIN_KUBERNETES)} "
                "with agentSandbox"
            ),
        ),
    ),
    ConfigKey(
        "reconcileAfterKataPool", "boolean", True,
        "Reconcile the cluster (the docs' `az aks update`) once after the Kata pool is created "
        "or replaced.",
        rules=(RECONCILE_CLOUD.allows("`true` in the Azure public cloud only"),),
    ),
    ConfigKey(
        "networkPolicyEngine", "string", "cilium",
        "Network policy engine of a new cluster (Azure CNI Overlay).",
        OneOf(("cilium", "calico")),
    ),
    ConfigKey(
        "autoUpgradeChannel", "string", "patch", "Cluster auto-upgrade channel (new mode).",
        OneOf(("none", "patch", "stable", "rapid", "node-image")),
        rules=(UPGRADE_DRIFT.allows(),),
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
        rules=(ENTRA_OPTIONS.allows(), TENANTS.allows(), AGENT_SANDBOX.allows()),
    ),
    ConfigKey(
        "enableAzureRbac", "boolean", False,
        "Authorize Kubernetes access with Azure RBAC (needs Entra integration).",
        rules=(ENTRA_OPTIONS.allows("`true` needs entraAdminGroupObjectIds"),),
    ),
    ConfigKey(
        "disableLocalAccounts", "boolean", False,
        "Disable local accounts; the user kubeconfig then needs kubelogin (needs Entra "
        "integration).",
        rules=(ENTRA_OPTIONS.allows("`true` needs entraAdminGroupObjectIds"),),
    ),
    ConfigKey(
        "apiServerAuthorizedIpRanges", "array", [],
        "CIDRs allowed to reach the API server (empty: any).",
        EachItem(is_ipv4_range, "a list of IPv4 CIDRs",
                 "IPv4 addresses or CIDRs, e.g. 203.0.113.0/24"),
    ),
)  # fmt: skip
