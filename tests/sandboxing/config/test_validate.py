"""The cross-field rules, and all rules at once, on plain data (no Pulumi)."""

from __future__ import annotations

import pytest

from sandboxing.config import validate as rules
from sandboxing.config.contract import Problem, default_settings


def keys(problems: list[Problem]) -> list[str]:
    return [p.key for p in problems]


def test_defaults_with_a_location_have_no_problem() -> None:
    assert rules.check_settings(default_settings(location="westeurope")) == []


def test_location_is_required_for_a_new_cluster_only() -> None:
    assert keys(rules.check_location(default_settings())) == ["azure-native:location"]
    assert rules.check_location(default_settings(cluster_mode="existing")) == []


def test_entra_options_need_entra_integration() -> None:
    group = "0f8fad5b-d9cb-469f-a165-70867728950e"
    ok = default_settings(entra_admin_group_object_ids=(group,), enable_azure_rbac=True,
                          disable_local_accounts=True)  # fmt: skip
    assert rules.check_entra_options(ok) == []
    lonely = default_settings(enable_azure_rbac=True, disable_local_accounts=True)
    problems = rules.check_entra_options(lonely)
    assert keys(problems) == ["enableAzureRbac", "disableLocalAccounts"]
    assert all("entraAdminGroupObjectIds" in p.message for p in problems)


def test_every_error_names_key_value_and_what_is_allowed() -> None:
    settings = default_settings(location="westeurope", kata_os_sku="Ubuntu", kata_node_count=0)
    text = rules.format_errors(rules.errors(rules.check_settings(settings)))
    assert text.startswith("2 configuration problem(s); nothing was deployed:")
    assert "aks-pod-sandboxing:kataOsSku = 'Ubuntu': Pod Sandboxing needs osSKU AzureLinux" in text
    assert "aks-pod-sandboxing:kataNodeCount = 0: must be between 1 and 1000" in text


def test_errors_and_warnings_are_told_apart() -> None:
    problems = rules.check_settings(default_settings(
        location="westeurope", kata_os_sku="AzureLinux3", kata_node_count=0))  # fmt: skip
    assert keys(rules.errors(problems)) == ["kataNodeCount"]
    assert keys(rules.warnings(problems)) == ["kataOsSku"]


@pytest.mark.parametrize(
    ("version", "channel", "warned"),
    [("1.33", "patch", False), ("1.33.2", "patch", True), ("1.33", "stable", True),
     ("1.33", "rapid", True), ("1.33.2", "none", False), ("", "rapid", False),
     ("1.33", "node-image", False), ("v1.33", "rapid", False)],
)  # fmt: skip
def test_auto_upgrade_past_a_pinned_version_is_a_warning(
    version: str, channel: str, warned: bool
) -> None:
    settings = default_settings(kubernetes_version=version, auto_upgrade_channel=channel)
    problems = rules.check_upgrade_drift(settings)
    assert [p.severity for p in problems] == (["warning"] if warned else [])


@pytest.mark.parametrize(
    ("value", "closest"),
    [("westeurop", "westeurope"), ("west-europe", "westeurope"),
     ("swedencentrall", "swedencentral"), ("germanycentral", "germanywestcentral")],
)  # fmt: skip
def test_a_location_that_is_no_region_is_refused_with_the_closest_match(
    value: str, closest: str
) -> None:
    (problem,) = rules.check_location(default_settings(location=value))
    assert (problem.key, problem.value) == ("azure-native:location", value)
    assert problem.severity == "error"
    assert f"did you mean `{closest}`?" in problem.message
    assert "az account list-locations" in problem.message


def test_regions_pass_by_name_or_display_name_and_far_off_values_get_no_guess() -> None:
    for value in ("westeurope", "West Europe", "EastUS2", "swedencentral"):
        assert rules.check_location(default_settings(location=value)) == [], value
    (problem,) = rules.check_location(default_settings(location="mars"))
    assert "did you mean" not in problem.message


def test_sovereign_clouds_are_not_checked_against_the_public_region_list() -> None:
    gov = default_settings(location="usgovvirginia", azure_environment="usgovernment")
    assert rules.check_location(gov) == []
    assert rules.check_location(default_settings(location="usgovvirginia")) != []


def test_the_reconcile_outside_the_public_cloud_is_refused_naming_the_way_out() -> None:
    sovereign = default_settings(azure_environment="usgovernment")
    (problem,) = rules.check_reconcile_cloud(sovereign)
    assert (problem.key, problem.value, problem.severity) == (
        "reconcileAfterKataPool",
        True,
        "error",
    )
    assert "'usgovernment'" in problem.message and "az aks update" in problem.message
    # Off, or nothing to reconcile (the one-pool cluster), or the public cloud: nothing to say.
    for settings in (
        default_settings(azure_environment="usgovernment", reconcile_after_kata_pool=False),
        default_settings(azure_environment="usgovernment", kata_pool_placement="system"),
        default_settings(azure_environment="public"),
    ):
        assert rules.check_reconcile_cloud(settings) == []
