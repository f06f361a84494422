"""Which Azure login to use, from the same environment variables the azure-native provider reads.

pulumi-azure-native (provider/pkg/provider/auth_azidentity.go, `readAuthConfig` and
`newSingleMethodAuthCredential`, as of pulumi-azure-native 3.29.0) tries one method, in this order,
and does not fall through when a chosen method is incomplete:

1. ARM_USE_DEFAULT_AZURE_CREDENTIAL=true: azure-identity's DefaultAzureCredential;
2. ARM_CLIENT_CERTIFICATE_PATH: service principal with a certificate;
3. ARM_CLIENT_SECRET: service principal with a secret;
4. ARM_USE_OIDC=true: workload identity federation, the token from ARM_OIDC_TOKEN,
   ARM_OIDC_TOKEN_FILE_PATH, or GitHub Actions' ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN;
5. ARM_USE_MSI=true: managed identity (ARM_CLIENT_ID picks a user-assigned one);
6. otherwise the Azure CLI login (`az login`).

Every method is non-interactive. The GitHub token is fetched anew each time Entra ID is asked
for an access token: a federated token is valid for minutes only (AADSTS700024 once expired),
and `pulumi up` can run longer than that before it reaches the reconcile.
The choice itself is pure (an environment mapping in, a description out) so it is tested
without any network.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sandboxing.azure_clouds import CLOUDS, PUBLIC, AzureCloud

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential

GITHUB_AUDIENCE = "api://AzureADTokenExchange"
TOKEN_REQUEST_TIMEOUT = 30  # seconds


class CredentialConfigError(Exception):
    """The environment asks for a login method but leaves out what it needs."""


@dataclass(frozen=True)
class CredentialChoice:
    """The login method the environment selects, and what it needs (never a secret value)."""

    method: str  # "default", "certificate", "secret", "oidc", "msi", "cli"
    description: str  # for messages: "service principal 1111... (ARM_CLIENT_SECRET)"
    tenant_id: str = ""
    client_id: str = ""
    oidc_source: str = ""  # "token", "file", "github"


def _true(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "") == "true"  # the provider compares with "true" exactly


def _require(env: Mapping[str, str], method: str, names: tuple[str, ...]) -> None:
    missing = [name for name in names if not env.get(name)]
    if missing:
        raise CredentialConfigError(
            f"{method} needs {', '.join(missing)} to be set too (the same variables the "
            "azure-native provider reads)"
        )


def choose_credential(env: Mapping[str, str]) -> CredentialChoice:
    """The method the azure-native provider would pick for this environment.

    The cloud is not chosen here: the program resolves it as azure-native does, from the config
    and the environment (sandboxing.azure_clouds), refuses what it cannot follow before any
    resource is registered, and hands the cloud's name to the dynamic providers.
    """
    tenant, client = env.get("ARM_TENANT_ID", ""), env.get("ARM_CLIENT_ID", "")
    if _true(env, "ARM_USE_DEFAULT_AZURE_CREDENTIAL"):
        return CredentialChoice("default", "DefaultAzureCredential", tenant, client)
    if env.get("ARM_CLIENT_CERTIFICATE_PATH"):
        _require(env, "ARM_CLIENT_CERTIFICATE_PATH", ("ARM_TENANT_ID", "ARM_CLIENT_ID"))
        return CredentialChoice(
            "certificate", f"service principal {client} (certificate)", tenant, client
        )
    if env.get("ARM_CLIENT_SECRET"):
        _require(env, "ARM_CLIENT_SECRET", ("ARM_TENANT_ID", "ARM_CLIENT_ID"))
        return CredentialChoice("secret", f"service principal {client} (secret)", tenant, client)
    if _true(env, "ARM_USE_OIDC"):
        _require(env, "ARM_USE_OIDC", ("ARM_TENANT_ID", "ARM_CLIENT_ID"))
        if env.get("ARM_OIDC_TOKEN"):
            source = "token"
        elif env.get("ARM_OIDC_TOKEN_FILE_PATH"):
            source = "file"
        elif env.get("ACTIONS_ID_TOKEN_REQUEST_URL") and env.get("ACTIONS_ID_TOKEN_REQUEST_TOKEN"):
            source = "github"
        else:
            raise CredentialConfigError(
                "ARM_USE_OIDC needs ARM_OIDC_TOKEN, ARM_OIDC_TOKEN_FILE_PATH, or GitHub Actions' "
                "ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN (the job needs "
                "`permissions: id-token: write`)"
            )
        return CredentialChoice(
            "oidc", f"workload identity {client} (OIDC, {source})", tenant, client, source
        )
    if _true(env, "ARM_USE_MSI"):
        who = f"managed identity {client}" if client else "the system-assigned managed identity"
        return CredentialChoice("msi", who, tenant, client)
    return CredentialChoice("cli", "the Azure CLI login (az login)", tenant)


def github_token_fetcher(env: Mapping[str, str]) -> Callable[[], str]:
    """A function that asks GitHub Actions for a fresh ID token on every call."""
    url = env["ACTIONS_ID_TOKEN_REQUEST_URL"]
    bearer = env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]
    audience = env.get("ARM_OIDC_AUDIENCE") or GITHUB_AUDIENCE

    def fetch() -> str:
        parts = urllib.parse.urlsplit(url)
        query = [*urllib.parse.parse_qsl(parts.query), ("audience", audience)]
        request = urllib.request.Request(
            parts._replace(query=urllib.parse.urlencode(query)).geturl(),
            headers={"Authorization": f"Bearer {bearer}", "Accept": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=TOKEN_REQUEST_TIMEOUT) as response:
            value = json.loads(response.read()).get("value")
        if not value:
            raise CredentialConfigError("GitHub Actions returned no OIDC token ('value')")
        return str(value)

    return fetch


def _file_token_reader(path: str) -> Callable[[], str]:
    def read() -> str:
        # Read on every request: projected token files are rotated in place.
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip()

    return read


def cloud_named(name: str) -> AzureCloud:
    """The cloud the program handed over by name (sandboxing.azure_clouds.CLOUDS)."""
    cloud = CLOUDS.get(name or PUBLIC.name)
    if cloud is None:
        raise CredentialConfigError(
            f"cloud {name!r} is not one of {', '.join(CLOUDS)}: the program's rules refuse it "
            "before anything is deployed, so this provider state comes from another program"
        )
    return cloud


def build_credential(
    choice: CredentialChoice, env: Mapping[str, str], cloud: AzureCloud = PUBLIC
) -> TokenCredential:
    """The azure-identity credential for `choice` in `cloud` (no network until a token is asked
    for). Entra ID is the cloud's (`authority`); the Azure CLI and managed identities have no
    authority to set: the CLI follows `az cloud set`, a managed identity its own cloud."""
    from azure import identity

    authority = cloud.authority_host
    if choice.method == "default":
        return identity.DefaultAzureCredential(authority=authority)
    if choice.method == "certificate":
        return identity.CertificateCredential(
            choice.tenant_id,
            choice.client_id,
            certificate_path=env["ARM_CLIENT_CERTIFICATE_PATH"],
            password=env.get("ARM_CLIENT_CERTIFICATE_PASSWORD") or None,
            authority=authority,
        )
    if choice.method == "secret":
        return identity.ClientSecretCredential(
            choice.tenant_id, choice.client_id, env["ARM_CLIENT_SECRET"], authority=authority
        )
    if choice.method == "oidc":
        if choice.oidc_source == "token":
            static = env["ARM_OIDC_TOKEN"]
            assertion: Callable[[], str] = lambda: static  # noqa: E731
        elif choice.oidc_source == "file":
            assertion = _file_token_reader(env["ARM_OIDC_TOKEN_FILE_PATH"])
        else:
            assertion = github_token_fetcher(env)
        return identity.ClientAssertionCredential(
            choice.tenant_id, choice.client_id, assertion, authority=authority
        )
    if choice.method == "msi":
        return identity.ManagedIdentityCredential(client_id=choice.client_id or None)
    return identity.AzureCliCredential(tenant_id=choice.tenant_id, process_timeout=30)
