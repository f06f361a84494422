"""Which Azure login the reconcile uses: the azure-native provider's env-var rules, no network."""

from __future__ import annotations

from types import ModuleType

import pytest
from standins import Reply, Request, serve

from cloud.arm_credentials import (
    GITHUB_AUDIENCE,
    CredentialConfigError,
    build_credential,
    choose_credential,
    cloud_named,
    github_token_fetcher,
)
from sandboxing.azure_clouds import CHINA, PUBLIC, US_GOVERNMENT, AzureCloud

TENANT = "72f988bf-0000-0000-0000-000000000000"
CLIENT = "c0ffee00-0000-0000-0000-000000000001"
SP = {"ARM_TENANT_ID": TENANT, "ARM_CLIENT_ID": CLIENT}


def test_no_variables_means_the_azure_cli_login(identity: ModuleType) -> None:
    choice = choose_credential({})
    assert choice.method == "cli" and "az login" in choice.description
    assert isinstance(build_credential(choice, {}), identity.AzureCliCredential)


def test_client_secret_is_a_service_principal(identity: ModuleType) -> None:
    env = {**SP, "ARM_CLIENT_SECRET": "s3cret"}
    choice = choose_credential(env)
    assert (choice.method, choice.tenant_id, choice.client_id) == ("secret", TENANT, CLIENT)
    assert "s3cret" not in repr(choice)  # the choice is safe to print
    assert isinstance(build_credential(choice, env), identity.ClientSecretCredential)


def test_provider_order_certificate_before_secret_before_oidc_before_msi() -> None:
    everything = {
        **SP,
        "ARM_CLIENT_CERTIFICATE_PATH": "/x.pfx",
        "ARM_CLIENT_SECRET": "s",
        "ARM_USE_OIDC": "true",
        "ARM_OIDC_TOKEN": "t",
        "ARM_USE_MSI": "true",
    }
    order = []
    env = dict(everything)
    for key in ("ARM_CLIENT_CERTIFICATE_PATH", "ARM_CLIENT_SECRET", "ARM_USE_OIDC", "ARM_USE_MSI"):
        order.append(choose_credential(env).method)
        env.pop(key)
    order.append(choose_credential(env).method)
    assert order == ["certificate", "secret", "oidc", "msi", "cli"]
    assert choose_credential({**everything, "ARM_USE_DEFAULT_AZURE_CREDENTIAL": "true"}).method == (
        "default"
    )


def test_flags_must_be_exactly_true_like_the_provider() -> None:
    assert choose_credential({**SP, "ARM_USE_MSI": "True"}).method == "cli"
    assert choose_credential({**SP, "ARM_USE_MSI": "1"}).method == "cli"


def test_incomplete_method_names_what_is_missing_instead_of_falling_through() -> None:
    with pytest.raises(CredentialConfigError, match="ARM_CLIENT_SECRET needs ARM_TENANT_ID"):
        choose_credential({"ARM_CLIENT_ID": CLIENT, "ARM_CLIENT_SECRET": "s"})
    with pytest.raises(CredentialConfigError, match="ACTIONS_ID_TOKEN_REQUEST_URL"):
        choose_credential({**SP, "ARM_USE_OIDC": "true"})


def test_oidc_sources_and_msi(identity: ModuleType) -> None:
    github = {
        **SP,
        "ARM_USE_OIDC": "true",
        "ACTIONS_ID_TOKEN_REQUEST_URL": "https://x",
        "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "r",
    }
    assert choose_credential(github).oidc_source == "github"
    assert choose_credential({**github, "ARM_OIDC_TOKEN_FILE_PATH": "/t"}).oidc_source == "file"
    assert choose_credential({**github, "ARM_OIDC_TOKEN": "t"}).oidc_source == "token"
    assert isinstance(
        build_credential(choose_credential(github), github), identity.ClientAssertionCredential
    )
    msi = choose_credential({"ARM_USE_MSI": "true"})
    assert msi.method == "msi" and "system-assigned" in msi.description


def test_github_token_is_fetched_anew_on_every_call() -> None:
    issued: list[Request] = []

    def github(request: Request) -> Reply:
        issued.append(request)
        return Reply(200, {"count": 1, "value": f"id-token-{len(issued)}"})

    with serve(github) as standin:
        fetch = github_token_fetcher(
            {
                "ACTIONS_ID_TOKEN_REQUEST_URL": f"{standin.url}/token?api-version=2.0",
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "runtime-bearer",
            }
        )
        assert [fetch(), fetch()] == ["id-token-1", "id-token-2"]
    assert issued[0].query == {"api-version": ["2.0"], "audience": [GITHUB_AUDIENCE]}
    assert issued[0].headers["authorization"] == "Bearer runtime-bearer"


def test_the_cloud_is_not_the_environments_to_refuse_here() -> None:
    """The program chose the cloud (config and environment) and refused what it cannot follow."""
    assert choose_credential({"ARM_ENVIRONMENT": "usgovernment"}).method == "cli"


@pytest.mark.parametrize("cloud", [US_GOVERNMENT, CHINA, PUBLIC], ids=lambda c: c.name)
def test_a_service_principal_signs_in_at_its_clouds_entra_id(cloud: AzureCloud) -> None:
    env = {**SP, "ARM_CLIENT_SECRET": "s3cret"}
    credential = build_credential(choose_credential(env), env, cloud)
    # azure-identity keeps no public accessor for the authority; the locks pin its version.
    authority = credential._authority  # type: ignore[attr-defined]
    assert authority == f"https://{cloud.authority_host}"
    oidc = {**SP, "ARM_USE_OIDC": "true", "ARM_OIDC_TOKEN": "t"}
    assertion = build_credential(choose_credential(oidc), oidc, cloud)
    assert assertion._client._authority == f"https://{cloud.authority_host}"  # type: ignore[attr-defined]


def test_the_cloud_handed_over_by_name() -> None:
    assert cloud_named("usgovernment") is US_GOVERNMENT and cloud_named("") is PUBLIC
    with pytest.raises(CredentialConfigError, match="'germany' is not one of public"):
        cloud_named("germany")
