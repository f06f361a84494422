"""The production options' rules: every bad value refused with its key, before any resource."""

from __future__ import annotations

from typing import Any

import pytest

from sandboxing import catalog, vm_sizes
from sandboxing.config.contract import default_settings
from sandboxing.config.settings import Problem
from sandboxing.config.validate import check_settings, errors, warnings

WORKSPACE = (
    "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-logs/providers/"
    "Microsoft.OperationalInsights/workspaces/law-prod"
)


def problems(**fields: Any) -> list[Problem]:
    return check_settings(default_settings(location="westeurope", **fields))


def by_key(found: list[Problem], key: str) -> list[Problem]:
    return [p for p in found if p.key == key]


def test_the_defaults_raise_nothing() -> None:
    assert problems() == []


@pytest.mark.parametrize(
    ("size", "where"),
    [
        ("Standard_D4s_v3", ("cache", 100)),
        ("Standard_D8s_v3", ("cache", 200)),
        ("Standard_D2ds_v5", ("temp", 75)),
        ("Standard_D4ds_v5", ("temp", 150)),
        ("Standard_D2s_v5", ("no", 0)),
        ("Standard_E8s_v6", ("no", 0)),
        ("Standard_E4s_v3", None),
    ],
)
def test_placement_disk_is_the_cache_else_the_temp_disk(size: str, where: object) -> None:
    parsed = vm_sizes.parse_vm_size(size)
    assert parsed is not None
    assert vm_sizes.placement_disk_gib(parsed) == where


def test_ephemeral_on_a_size_without_local_disk_names_key_size_and_one_that_works() -> None:
    (problem,) = errors(
        problems(
            os_disk_type="Ephemeral",
            kata_node_vm_size="Standard_D4ds_v5",
            system_node_vm_size="Standard_D2s_v5",
        )
    )
    assert problem.key == "osDiskType" and problem.value == "Ephemeral"
    assert "systemNodeVmSize Standard_D2s_v5 has no temp disk and no cache" in problem.message
    assert "a size that would work: Standard_D4ds_v5" in problem.message


def test_a_cache_too_small_for_the_default_128_gib_suggests_a_kata_size_or_a_smaller_disk() -> None:
    found = errors(problems(os_disk_type="Ephemeral", system_node_vm_size="Standard_D4ds_v5"))
    (problem,) = found
    assert "kataNodeVmSize Standard_D4s_v3 has a 100 GiB cache disk" in problem.message
    assert "128 GiB" in problem.message
    suggested = problem.message.split("a size that would work: ")[1].split(",")[0]
    size = vm_sizes.parse_vm_size(suggested)
    assert size is not None and size.family in vm_sizes.KATA_VM_FAMILIES
    assert vm_sizes.placement_disk_gib(size)[1] >= 128  # type: ignore[index]
    assert "osDiskSizeGB to at most 100" in problem.message


def test_a_smaller_os_disk_makes_ephemeral_fit() -> None:
    fits = problems(
        os_disk_type="Ephemeral", os_disk_size_gb=64, system_node_vm_size="Standard_D2ds_v5"
    )
    assert fits == []
    too_big = errors(
        problems(
            os_disk_type="Ephemeral", os_disk_size_gb=90, system_node_vm_size="Standard_D2ds_v5"
        )
    )
    assert [p.message.split(" has")[0] for p in too_big] == ["systemNodeVmSize Standard_D2ds_v5"]


def test_managed_or_empty_needs_no_local_disk() -> None:
    assert problems(os_disk_type="Managed", os_disk_size_gb=256) == []


def test_a_family_without_disk_figures_is_a_warning() -> None:
    found = problems(
        os_disk_type="Ephemeral",
        kata_node_vm_size="Standard_E4s_v3",
        system_node_vm_size="Standard_D4ds_v5",
    )
    assert errors(found) == []
    (warning,) = warnings(found)
    assert warning.key == "osDiskType" and "Esv3" in warning.message


def test_existing_mode_checks_only_the_kata_pool() -> None:
    found = problems(
        cluster_mode="existing",
        resource_group_name="rg",
        cluster_name="aks",
        os_disk_type="Ephemeral",
        kata_node_vm_size="Standard_D4ds_v5",
    )
    assert found == []  # the default systemNodeVmSize has no local disk but is not created


def test_bad_values_of_every_new_key_are_reported_together() -> None:
    found = errors(
        problems(
            os_disk_type="ephemeral",
            os_disk_size_gb=20,
            enable_azure_monitor=True,
            log_analytics_workspace_id="law-prod",
            log_analytics_retention_days=7,
            system_pool_critical_addons_only=True,
            user_node_vm_size="big",
            user_node_count=0,
        )
    )
    assert {p.key: p.value for p in found} == {
        "osDiskType": "ephemeral",
        "osDiskSizeGB": 20,
        "logAnalyticsWorkspaceId": "law-prod",
        "logAnalyticsRetentionDays": 7,
        "userNodeVmSize": "big",
        "userNodeCount": 0,
    }


def test_a_workspace_id_of_the_right_shape_is_accepted() -> None:
    assert problems(enable_azure_monitor=True, log_analytics_workspace_id=WORKSPACE) == []
    (warning,) = problems(
        enable_azure_monitor=True,
        log_analytics_workspace_id=WORKSPACE,
        log_analytics_retention_days=90,
    )
    assert warning.severity == "warning" and warning.key == "logAnalyticsRetentionDays"


def test_monitor_keys_without_monitor_are_warned_about() -> None:
    found = problems(log_analytics_workspace_id=WORKSPACE, log_analytics_retention_days=60)
    assert [(p.key, p.severity) for p in found] == [
        ("logAnalyticsWorkspaceId", "warning"),
        ("logAnalyticsRetentionDays", "warning"),
    ]


@pytest.mark.parametrize(
    ("field", "key"),
    [
        ("enable_azure_monitor", "enableAzureMonitor"),
        ("enable_azure_policy", "enableAzurePolicy"),
        ("system_pool_critical_addons_only", "systemPoolCriticalAddonsOnly"),
    ],
)
def test_cluster_options_need_a_new_cluster(field: str, key: str) -> None:
    found = errors(
        problems(
            cluster_mode="existing", resource_group_name="rg", cluster_name="aks", **{field: True}
        )
    )
    (problem,) = found
    assert problem.key == key and "needs clusterMode new" in problem.message


def test_critical_addons_only_is_refused_with_kata_on_the_system_pool() -> None:
    found = errors(problems(system_pool_critical_addons_only=True, kata_pool_placement="system"))
    (problem,) = found
    assert problem.key == "systemPoolCriticalAddonsOnly"
    assert "kataPoolPlacement system" in problem.message


def test_user_pool_keys_are_checked_only_when_the_pool_is_made() -> None:
    assert [(p.key, p.severity) for p in problems(user_node_count=3)] == [
        ("userNodeCount", "warning")
    ]
    clash = errors(
        problems(system_pool_critical_addons_only=True, kata_node_pool_name=catalog.USER_POOL_NAME)
    )
    assert [p.key for p in clash] == ["kataNodePoolName"]
    (untainted,) = problems(system_pool_critical_addons_only=True, kata_node_taint="")
    assert (untainted.key, untainted.severity) == ("kataNodeTaint", "warning")
