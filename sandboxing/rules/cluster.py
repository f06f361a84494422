"""Rules for the cluster itself: its region, auto-upgrade against a pinned version, Microsoft
Entra options and admin groups. (The cloud: sandboxing/rules/cloud.py; the support window:
rules/versions.py.)"""

from __future__ import annotations

from sandboxing import azure_regions, names
from sandboxing.config.key import Rule
from sandboxing.config.settings import Problem, Settings
from sandboxing.placeholders import placeholder_guid


def check_location(settings: Settings) -> list[Problem]:
    """A new cluster needs a region, and a typo in it would otherwise first fail at ARM."""
    key, location = "azure-native:location", settings.location
    if not location:
        if settings.existing_cluster:
            return []
        message = (
            "is required for a new cluster, e.g. `pulumi config set azure-native:location "
            "westeurope`"
        )
        return [Problem(key, location, message)]
    if not settings.cloud.public:
        return []  # the list holds public-cloud regions only (sandboxing.azure_regions)
    if azure_regions.is_region(location):
        return []
    closest = azure_regions.closest_regions(location)
    hint = f"did you mean `{closest[0]}`? " if closest else ""
    message = (
        f"is not an Azure region; {hint}Region names are as "
        "`az account list-locations --query [].name` prints them, e.g. westeurope, eastus2"
    )
    return [Problem(key, location, message)]


def check_upgrade_drift(settings: Settings) -> list[Problem]:
    """Auto-upgrade that moves the cluster past a pinned version makes the next `up` fight it."""
    version, channel = settings.kubernetes_version, settings.auto_upgrade_channel
    if not names.KUBERNETES_VERSION.match(version):
        return []
    pinned_patch = version.count(".") == 2
    if channel in ("stable", "rapid") or (pinned_patch and channel == "patch"):
        message = (
            f"autoUpgradeChannel {channel} will upgrade the cluster past "
            f"{version}, and a later `pulumi up` would then ask AKS to go back (which it "
            "refuses); pin only MAJOR.MINOR with the patch channel, or leave kubernetesVersion "
            "empty"
        )
        return [Problem("kubernetesVersion", version, message, "warning")]
    return []


def check_entra_options(settings: Settings) -> list[Problem]:
    """Azure RBAC and no local accounts both build on Entra integration."""
    if settings.entra_enabled:
        return []
    options = (
        ("enableAzureRbac", settings.enable_azure_rbac),
        ("disableLocalAccounts", settings.disable_local_accounts),
    )
    message = (
        "needs Microsoft Entra integration: set entraAdminGroupObjectIds to at least one admin "
        "group"
    )
    return [Problem(key, True, message) for key, enabled in options if enabled]


# --- Placeholder admin groups -------------------------------------------------------------
# The admin groups are how anyone gets into an Entra-integrated cluster without Azure RBAC: "This
# group is registered as an admin group on the cluster to grant admin permissions", "set your
# admin group to keep access on your cluster" (AKS docs, articles/aks/
# entra-id-control-plane-authentication.md); with local accounts disabled, only those groups'
# users "can still gain access" (articles/aks/local-accounts.md; MicrosoftDocs/azure-aks-docs @
# fb060ab, 2026-08-21). The program itself signs in as an Entra user too (the clusterUser
# kubeconfig in exec format, components/kubernetes_access.py) to create the pods.
FIND_GROUP_ID = "`az ad group show --group <name> --query id -o tsv`"


def check_admin_groups(settings: Settings) -> list[Problem]:
    """Placeholder GUIDs in entraAdminGroupObjectIds, and a cluster nobody can get into."""
    key, groups = "entraAdminGroupObjectIds", settings.entra_admin_group_object_ids
    placeholders = [group for group in groups if placeholder_guid(group)]
    if settings.existing_cluster or not placeholders:
        return []
    shown = ", ".join(placeholders)
    if len(placeholders) < len(groups):
        message = (
            f"{shown} is a placeholder GUID that names no group; remove it (the other groups "
            "are cluster admins)"
        )
        return [Problem(key, placeholders, message, "warning")]
    if settings.enable_azure_rbac:
        message = (
            f"{shown}: a placeholder GUID that names no group, so nobody is a cluster admin. "
            "With Azure RBAC only Azure role assignments let anyone in, and this stack makes "
            "none: the identity that runs `pulumi up` needs one with Kubernetes data actions on "
            "the cluster (e.g. Azure Kubernetes Service RBAC Cluster Admin), or `pulumi up` "
            "fails at the first Kubernetes object. Set your admin group's object ID "
            f"({FIND_GROUP_ID})"
        )
        return [Problem(key, placeholders, message, "warning")]
    locked = (
        "local accounts are disabled, so everyone is locked out of the cluster"
        if settings.disable_local_accounts
        else "only the local admin account (`az aks get-credentials --admin`) would still get in"
    )
    message = (
        f"{shown}: a placeholder GUID that names no group, and Azure RBAC is off, so nobody "
        f"is a cluster admin: `pulumi up` signs in as an Entra user and cannot create the pods, "
        f"and {locked}. Set your admin group's object ID ({FIND_GROUP_ID})"
    )
    return [Problem(key, placeholders, message)]


LOCATION = Rule("location", check_location)
UPGRADE_DRIFT = Rule("upgrade-drift", check_upgrade_drift)
ENTRA_OPTIONS = Rule("entra-options", check_entra_options)
ADMIN_GROUPS = Rule("admin-groups", check_admin_groups)
