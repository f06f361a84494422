"""The cluster's keys: which cluster, its version, network, upgrades, tier and access."""

from __future__ import annotations

from sandboxing import aks_versions, catalog, names, pool_scaling
from sandboxing.agent_sandbox.capacity import SANDBOX_CAPACITY
from sandboxing.agent_sandbox.config import AGENT_SANDBOX
from sandboxing.config.key import Condition, ConfigKey, Unused
from sandboxing.config.kinds import EachItem, Matches, OneOf, is_ipv4_range
from sandboxing.config.settings import Settings
from sandboxing.placeholders import documentation_range
from sandboxing.rules.cloud import AZURE_CLOUD
from sandboxing.rules.cluster import ADMIN_GROUPS, ENTRA_OPTIONS, LOCATION, UPGRADE_DRIFT
from sandboxing.rules.placement import ONE_POOL_NEEDS_NEW_CLUSTER
from sandboxing.rules.pods import RUNTIME_CLASS_OVERRIDE
from sandboxing.rules.pools import KATA_POOL_NAME, KUBERNETES_VERSION
from sandboxing.rules.production import EPHEMERAL_OS_DISK, NEW_CLUSTER_OPTIONS, USER_POOL
from sandboxing.rules.scaling import CLUSTER_NODES, POOL_SCALING
from sandboxing.rules.upgrades import KATA_UPGRADE
from sandboxing.rules.versions import (
    KATA_OS_SKU_VERSION,
    KUBERNETES_SUPPORT,
    OS_SKU_UPGRADE_CEILING,
    SUPPORT_PLAN,
    VERSIONS_FRESH,
)
from sandboxing.rules.zones import AVAILABILITY_ZONES
from sandboxing.tenants.capacity_rule import TENANT_CAPACITY
from sandboxing.tenants.config import TENANTS

EXISTING = Condition("clusterMode", "existing")


def documentation_range_warning(cidr: str) -> str | None:
    """An authorized range that only documentation uses: nobody's address can reach the API
    server through it, `pulumi up`'s own Kubernetes calls included."""
    if reserved := documentation_range(cidr):
        return (
            f"{cidr} {reserved}, reserved for documentation: no real address does, so "
            "it lets no one reach the API server; list the addresses `pulumi up` and kubectl "
            "run from"
        )
    return None


KATA_GA = catalog.KATA_GA
WINDOW = aks_versions.DATED_WINDOW


def _existing(settings: Settings) -> bool:
    return settings.existing_cluster


NOT_CHANGED_WHEN_EXISTING = Unused(
    _existing, "with clusterMode existing: the program does not change an existing cluster"
)

# Laid out by hand (fmt: skip): each key's name, type and default on one line reads as a table;
# the formatter would split them one per line.
KEYS: tuple[ConfigKey, ...] = (
    ConfigKey(
        "clusterMode", "string", "new",
        "Create a new AKS cluster (new) or add the Kata pool to an existing one (existing).",
        OneOf(("new", "existing")),
        rules=(ONE_POOL_NEEDS_NEW_CLUSTER.allows(), NEW_CLUSTER_OPTIONS.allows(),
               RUNTIME_CLASS_OVERRIDE.allows(), LOCATION.allows(), KATA_POOL_NAME.allows(),
               EPHEMERAL_OS_DISK.allows(), USER_POOL.allows(), POOL_SCALING.allows(),
               CLUSTER_NODES.allows(), AVAILABILITY_ZONES.allows(), KATA_UPGRADE.allows(),
               TENANT_CAPACITY.allows(), SANDBOX_CAPACITY.allows(), KUBERNETES_SUPPORT.allows(),
               SUPPORT_PLAN.allows(),
               OS_SKU_UPGRADE_CEILING.allows(), ADMIN_GROUPS.allows()),
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
            KUBERNETES_SUPPORT.allows(
                f"a version AKS offers (as of {WINDOW.as_of}: standard support "
                f"{aks_versions.minors_text(WINDOW.standard)}; LTS only "
                f"{aks_versions.minors_text(WINDOW.lts_only)} with supportPlan "
                f"{aks_versions.AKS_LONG_TERM_SUPPORT})"
            ),
            UPGRADE_DRIFT.allows(),
            KATA_OS_SKU_VERSION.allows(),
            VERSIONS_FRESH.allows(),
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
        rules=(AZURE_CLOUD.allows("`true` in the clouds public, usgovernment, china"),),
    ),
    ConfigKey(
        "preflight", "boolean", True,
        "Check the subscription during `pulumi preview`/`up` before anything is created: "
        "resource providers, features, VM sizes, vCPU quota, Kubernetes versions (see "
        "docs/preflight.md).",
        rules=(AZURE_CLOUD.allows("`true` in the clouds public, usgovernment, china"),),
    ),
    ConfigKey(
        "networkPolicyEngine", "string", "cilium",
        "Network policy engine of a new cluster (Azure CNI Overlay).",
        OneOf(("cilium", "calico")),
    ),
    ConfigKey(
        "autoUpgradeChannel", "string", "patch", "Cluster auto-upgrade channel (new mode).",
        OneOf(("none", "patch", "stable", "rapid", "node-image")),
        rules=(UPGRADE_DRIFT.allows(), OS_SKU_UPGRADE_CEILING.allows()),
    ),
    ConfigKey(
        "nodeOsUpgradeChannel", "string", "NodeImage", "Node OS upgrade channel (new mode).",
        OneOf(("None", "Unmanaged", "NodeImage", "SecurityPatch")),
    ),
    ConfigKey(
        "skuTier", "string", "Free", "Cluster SKU tier (new mode).",
        OneOf(("Free", "Standard", "Premium")),
        rules=(CLUSTER_NODES.allows("Standard or Premium when the pools can reach more than "
                                    f"{pool_scaling.FREE_TIER_MAX_NODES} nodes"),
               SUPPORT_PLAN.allows(
            f"`{aks_versions.LTS_TIER}` needs supportPlan {aks_versions.AKS_LONG_TERM_SUPPORT}")),
    ),
    ConfigKey(
        "supportPlan", "string", aks_versions.KUBERNETES_OFFICIAL,
        "Support plan of a new cluster: KubernetesOfficial (the community's 12 months), or "
        "AKSLongTermSupport (LTS, two years; needs skuTier Premium).",
        OneOf(aks_versions.SUPPORT_PLANS),
        rules=(SUPPORT_PLAN.allows(
            f"`{aks_versions.AKS_LONG_TERM_SUPPORT}` needs skuTier {aks_versions.LTS_TIER}"),
            KUBERNETES_SUPPORT.allows()),
        unused=(NOT_CHANGED_WHEN_EXISTING,),
    ),
    ConfigKey(
        "entraAdminGroupObjectIds", "array", [],
        "Microsoft Entra group object IDs made cluster admins; non-empty turns on Entra "
        "integration (new mode).",
        EachItem(lambda item: bool(names.GUID.match(item)), "a list of GUIDs",
                 "Microsoft Entra group object IDs (GUIDs)"),
        rules=(ENTRA_OPTIONS.allows(), TENANTS.allows(), AGENT_SANDBOX.allows(),
               ADMIN_GROUPS.allows("real group IDs: a placeholder (e.g. the nil GUID) gets a "
                                   "warning, and is refused when no group is real and Azure "
                                   "RBAC is off")),
    ),
    ConfigKey(
        "enableAzureRbac", "boolean", False,
        "Authorize Kubernetes access with Azure RBAC (needs Entra integration).",
        rules=(ENTRA_OPTIONS.allows("`true` needs entraAdminGroupObjectIds"),
               ADMIN_GROUPS.allows()),
    ),
    ConfigKey(
        "disableLocalAccounts", "boolean", False,
        "Disable local accounts; the user kubeconfig then needs kubelogin (needs Entra "
        "integration).",
        rules=(ENTRA_OPTIONS.allows("`true` needs entraAdminGroupObjectIds"),
               ADMIN_GROUPS.allows()),
    ),
    ConfigKey(
        "apiServerAuthorizedIpRanges", "array", [],
        "CIDRs allowed to reach the API server (empty: any).",
        EachItem(is_ipv4_range, "a list of IPv4 CIDRs",
                 "IPv4 addresses or CIDRs, e.g. 203.0.113.0/24",
                 warns=documentation_range_warning),
    ),
)  # fmt: skip
