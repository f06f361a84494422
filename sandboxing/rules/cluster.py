"""Rules for the cluster itself: its region, auto-upgrade against a pinned version and Microsoft
Entra options. (The cloud: sandboxing/rules/cloud.py; the support window: rules/versions.py.)"""

from __future__ import annotations

from sandboxing import azure_regions, names
from sandboxing.config.key import Rule
from sandboxing.config.settings import Problem, Settings


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


LOCATION = Rule("location", check_location)
UPGRADE_DRIFT = Rule("upgrade-drift", check_upgrade_drift)
ENTRA_OPTIONS = Rule("entra-options", check_entra_options)
