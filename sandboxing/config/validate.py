"""Validation: every problem with the settings, as pure functions from Settings to Problems.

A key's own constraint (allowed values, shape, range, required) is data in `config_keys` and
checked by `contract.check_keys`. The rules here need more: a domain table from `catalog` (VM
families, runtimes, OS SKUs, minimum versions) or several keys at once. `check_settings` runs
all of them, so a user sees every problem at once, before any resource is registered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sandboxing import azure_regions, names
from sandboxing.config.contract import Problem, Settings, check_keys
from sandboxing.rules.placement import check_kata_pool_placement
from sandboxing.rules.pods import check_pod_fits_node, check_runtime_class
from sandboxing.rules.pools import (
    check_kata_pool_name,
    check_kata_vm_size,
    check_kubernetes_version,
    check_os_sku,
    check_system_vm_size,
    check_workload_runtime,
)
from sandboxing.rules.production import PRODUCTION_RULES
from sandboxing.tenants.capacity import check_tenant_capacity
from sandboxing.tenants.config import check_tenants

Rule = Callable[[Settings], Iterable[Problem]]


def check_location(settings: Settings) -> list[Problem]:
    """A new cluster needs a region, and a typo in it would otherwise first fail at ARM."""
    key, location = "azure-native:location", settings.location
    if not location:
        if settings.existing_cluster:
            return []
        return [
            Problem(key, location, "is required for a new cluster, e.g. `pulumi config set "
                    "azure-native:location westeurope`")
        ]  # fmt: skip
    if settings.azure_environment not in azure_regions.PUBLIC_CLOUD_ENVIRONMENTS:
        return []
    if azure_regions.is_region(location):
        return []
    closest = azure_regions.closest_regions(location)
    hint = f"did you mean `{closest[0]}`? " if closest else ""
    return [
        Problem(
            key,
            location,
            f"is not an Azure region; {hint}Region names are as "
            "`az account list-locations --query [].name` prints them, e.g. westeurope, eastus2",
        )
    ]


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
    options = (("enableAzureRbac", settings.enable_azure_rbac),
               ("disableLocalAccounts", settings.disable_local_accounts))  # fmt: skip
    if settings.entra_enabled:
        return []
    return [
        Problem(key, True, "needs Microsoft Entra integration: set entraAdminGroupObjectIds "
                "to at least one admin group")
        for key, enabled in options
        if enabled
    ]  # fmt: skip


def check_reconcile_cloud(settings: Settings) -> list[Problem]:
    """The reconcile calls Azure public cloud's Resource Manager (cloud.cluster_reconcile)."""
    environment = settings.azure_environment
    if (
        environment in azure_regions.PUBLIC_CLOUD_ENVIRONMENTS
        or not settings.reconcile_after_kata_pool
        or settings.kata_on_system_pool
    ):
        return []
    return [
        Problem("reconcileAfterKataPool", True, f"the reconcile after the Kata pool supports the "
                f"Azure public cloud only, and azure-native:environment is {environment!r}: set "
                "reconcileAfterKataPool: false and run the docs' `az aks update --resource-group "
                "<group> --name <cluster>` yourself once the Kata pool exists")
    ]  # fmt: skip


RULES: tuple[Rule, ...] = (
    check_keys, check_kata_pool_placement, check_location, check_os_sku, check_kata_vm_size,
    check_system_vm_size, check_kubernetes_version, check_upgrade_drift, check_workload_runtime,
    check_runtime_class, check_kata_pool_name, check_pod_fits_node, check_entra_options,
    check_reconcile_cloud, *PRODUCTION_RULES, check_tenants, check_tenant_capacity,
)  # fmt: skip


def check_settings(settings: Settings) -> list[Problem]:
    """Every problem of every rule, errors and warnings."""
    return [problem for rule in RULES for problem in rule(settings)]


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.severity == "error"]


def warnings(problems: Iterable[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.severity == "warning"]


def format_errors(problems: list[Problem]) -> str:
    lines = [f"{len(problems)} configuration problem(s); nothing was deployed:"]
    lines += [f"  - {problem}" for problem in problems]
    return "\n".join(lines)
