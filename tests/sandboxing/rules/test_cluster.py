"""The cluster's rules: region, auto-upgrade drift, Entra options."""

from __future__ import annotations

import pytest

from sandboxing.config.contract import default_settings
from sandboxing.config.settings import Problem
from sandboxing.rules import cluster


def keys(problems: list[Problem]) -> list[str]:
    return [p.key for p in problems]


def test_location_is_required_for_a_new_cluster_only() -> None:
    assert keys(cluster.check_location(default_settings())) == ["azure-native:location"]
    assert cluster.check_location(default_settings(cluster_mode="existing")) == []


def test_entra_options_need_entra_integration() -> None:
    group = "0f8fad5b-d9cb-469f-a165-70867728950e"
    ok = default_settings(
        entra_admin_group_object_ids=(group,), enable_azure_rbac=True, disable_local_accounts=True
    )
    assert cluster.check_entra_options(ok) == []
    lonely = default_settings(enable_azure_rbac=True, disable_local_accounts=True)
    problems = cluster.check_entra_options(lonely)
    assert keys(problems) == ["enableAzureRbac", "disableLocalAccounts"]
    assert all("entraAdminGroupObjectIds" in p.message for p in problems)


@pytest.mark.parametrize(
    ("version", "channel", "warned"),
    [
        ("1.33", "patch", False),
        ("1.33.2", "patch", True),
        ("1.33", "stable", True),
        ("1.33", "rapid", True),
        ("1.33.2", "none", False),
        ("", "rapid", False),
        ("1.33", "node-image", False),
        ("v1.33", "rapid", False),
    ],
)
def test_auto_upgrade_past_a_pinned_version_is_a_warning(
    version: str, channel: str, warned: bool
) -> None:
    settings = default_settings(kubernetes_version=version, auto_upgrade_channel=channel)
    problems = cluster.check_upgrade_drift(settings)
    assert [p.severity for p in problems] == (["warning"] if warned else [])


@pytest.mark.parametrize(
    ("value", "closest"),
    [
        ("westeurop", "westeurope"),
        ("west-europe", "westeurope"),
        ("swedencentrall", "swedencentral"),
        ("germanycentral", "germanywestcentral"),
    ],
)
def test_a_location_that_is_no_region_is_refused_with_the_closest_match(
    value: str, closest: str
) -> None:
    (problem,) = cluster.check_location(default_settings(location=value))
    assert (problem.key, problem.value) == ("azure-native:location", value)
    assert problem.severity == "error"
    assert f"did you mean `{closest}`?" in problem.message
    assert "az account list-locations" in problem.message


def test_regions_pass_by_name_or_display_name_and_far_off_values_get_no_guess() -> None:
    for value in ("westeurope", "West Europe", "EastUS2", "swedencentral"):
        assert cluster.check_location(default_settings(location=value)) == [], value
    (problem,) = cluster.check_location(default_settings(location="mars"))
    assert "did you mean" not in problem.message


def test_sovereign_clouds_are_not_checked_against_the_public_region_list() -> None:
    gov = default_settings(location="usgovvirginia", azure_environment="usgovernment")
    assert cluster.check_location(gov) == []
    assert cluster.check_location(default_settings(location="usgovvirginia")) != []
    # Chosen by the environment, as azure-native would read it, the same.
    from_env = default_settings(
        location="chinaeast2", cloud_variables=(("ARM_ENVIRONMENT", "china"),)
    )
    assert cluster.check_location(from_env) == []


NIL = "00000000-0000-0000-0000-000000000000"
REAL = "0f8fad5b-d9cb-469f-a165-70867728950e"


def admin_groups(*groups: str, **options: bool) -> list[Problem]:
    settings = default_settings(entra_admin_group_object_ids=groups, **options)
    return cluster.check_admin_groups(settings)


def test_a_placeholder_group_beside_a_real_one_is_a_warning() -> None:
    (problem,) = admin_groups(REAL, "00000000-0000-0000-0000-00000000000a")
    assert (problem.key, problem.severity) == ("entraAdminGroupObjectIds", "warning")
    assert problem.value == ["00000000-0000-0000-0000-00000000000a"]
    assert admin_groups(REAL) == []
    assert admin_groups("11111111-1111-1111-1111-111111111111")[0].severity == "error"


def test_no_real_group_and_no_azure_rbac_cannot_work() -> None:
    (locked,) = admin_groups(NIL, disable_local_accounts=True)
    assert locked.severity == "error"
    assert "everyone is locked out" in locked.message and NIL in locked.message
    assert "az ad group show" in locked.message
    (local,) = admin_groups(NIL)
    assert local.severity == "error" and "`pulumi up` signs in as an Entra user" in local.message
    assert "az aks get-credentials --admin" in local.message


def test_with_azure_rbac_role_assignments_still_let_people_in() -> None:
    (problem,) = admin_groups(NIL, enable_azure_rbac=True, disable_local_accounts=True)
    assert problem.severity == "warning"
    assert "Azure Kubernetes Service RBAC Cluster Admin" in problem.message


def test_an_existing_clusters_groups_are_not_the_programs() -> None:
    assert admin_groups(NIL, cluster_mode="existing") == []  # type: ignore[arg-type]
