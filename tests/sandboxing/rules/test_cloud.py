"""The cloud rule: azure-native's cloud, from the config or the environment, is one the steps
that call Resource Manager themselves can follow; otherwise it is refused before anything runs."""

from __future__ import annotations

import pytest

from sandboxing import azure_clouds
from sandboxing.config.contract import default_settings
from sandboxing.config.stack_config import check_stack_config
from sandboxing.rules.cloud import check_azure_cloud


@pytest.mark.parametrize(
    ("config", "variables", "cloud"),
    [
        ("", {}, "public"),
        ("usgovernment", {}, "usgovernment"),
        ("AzureChinaCloud", {}, "china"),
        ("", {"ARM_ENVIRONMENT": "USGov"}, "usgovernment"),
        ("", {"AZURE_ENVIRONMENT": "china"}, "china"),
        ("", {"ARM_ENVIRONMENT": "public", "AZURE_ENVIRONMENT": "china"}, "public"),
        ("china", {"ARM_ENVIRONMENT": "usgovernment"}, "china"),
    ],
)
def test_the_cloud_is_chosen_as_azure_native_chooses_it(
    config: str, variables: dict[str, str], cloud: str
) -> None:
    choice = azure_clouds.choose_cloud(config, "", variables)
    assert choice.cloud is not None and choice.cloud.name == cloud
    settings = default_settings(
        azure_environment=config, cloud_variables=azure_clouds.cloud_variables(variables)
    )
    assert check_azure_cloud(settings) == []


def test_each_cloud_signs_in_and_calls_its_own_endpoints() -> None:
    from azure.identity import AzureAuthorityHosts  # ~0.14 s: loaded by this test only

    assert azure_clouds.PUBLIC.authority_host == AzureAuthorityHosts.AZURE_PUBLIC_CLOUD
    assert azure_clouds.US_GOVERNMENT.authority_host == AzureAuthorityHosts.AZURE_GOVERNMENT
    assert azure_clouds.CHINA.authority_host == AzureAuthorityHosts.AZURE_CHINA
    assert azure_clouds.US_GOVERNMENT.resource_manager == "https://management.usgovcloudapi.net"
    assert azure_clouds.CHINA.arm_scope == "https://management.core.chinacloudapi.cn//.default"


@pytest.mark.parametrize(
    ("config", "variables", "said"),
    [
        ("germany", {}, "config azure-native:environment = 'germany'"),
        (
            "",
            {"ARM_ENVIRONMENT": "AzureGermanCloud"},
            "environment variable ARM_ENVIRONMENT = 'AzureGermanCloud'",
        ),
        (
            "",
            {"AZURE_ENVIRONMENT": "mycloud"},
            "environment variable AZURE_ENVIRONMENT = 'mycloud'",
        ),
    ],
)
def test_a_cloud_azure_native_does_not_know_is_refused_wherever_it_was_set(
    config: str, variables: dict[str, str], said: str
) -> None:
    settings = default_settings(
        azure_environment=config, cloud_variables=azure_clouds.cloud_variables(variables)
    )
    (problem,) = check_azure_cloud(settings)
    assert (problem.key, problem.severity) == ("azure-native:environment", "error")
    assert said in problem.message
    assert "usgovernment" in problem.message and "metadataHost" in problem.message


def test_a_custom_cloud_is_refused_while_a_step_calls_resource_manager_itself() -> None:
    variables = (("ARM_METADATA_HOSTNAME", "metadata.example.internal"),)
    problems = check_azure_cloud(default_settings(cloud_variables=variables))
    assert [(p.key, p.value) for p in problems] == [
        ("preflight", True),
        ("reconcileAfterKataPool", True),
    ]
    assert all("ARM_METADATA_HOSTNAME = 'metadata.example.internal'" in p.message for p in problems)
    # The metadata host wins over a well-known name, as in azure-native.
    both = default_settings(azure_environment="public", azure_metadata_host="https://m.example")
    assert [p.key for p in check_azure_cloud(both)] == ["preflight", "reconcileAfterKataPool"]
    # With neither step, azure-native alone talks to it: nothing to refuse.
    off = default_settings(
        cloud_variables=variables, preflight=False, reconcile_after_kata_pool=False
    )
    assert check_azure_cloud(off) == []
    one_pool = default_settings(
        cloud_variables=variables, preflight=False, kata_pool_placement="system"
    )
    assert check_azure_cloud(one_pool) == []


def test_the_environment_is_an_input_of_the_stack_check() -> None:
    config = {"azure-native:location": "westeurope"}
    assert check_stack_config(config)[1] == []
    _, problems = check_stack_config(config, {"ARM_ENVIRONMENT": "germany", "HOME": "/x"})
    assert [p.key for p in problems] == ["azure-native:environment"]
    _, gov = check_stack_config(config, {"ARM_ENVIRONMENT": "usgovernment"})
    assert gov == []  # westeurope is not checked against the public list there
