"""Which Azure cloud the stack deploys to, chosen as the azure-native provider chooses it. Pure.

pulumi-azure-native 3.x (since PR pulumi/pulumi-azure-native#4288, "Support for custom Azure
environments", v3.8) reads its cloud in this order (its tests `TestReadCloudConfiguration` and
`TestGetAuthConfig`, provider/pkg/provider/auth_azidentity_test.go @ 0062f477; the installed
pulumi_azure_native 3.29.0 config/vars.py: "Possible values are public, usgovernment, and china.
Defaults to public. Not used when metadataHost is specified or when ARM_METADATA_HOSTNAME is
set."):

1. a metadata host, config `azure-native:metadataHost` or env ARM_METADATA_HOSTNAME (a custom
   cloud described by its /metadata/endpoints);
2. config `azure-native:environment`, then env ARM_ENVIRONMENT, then env AZURE_ENVIRONMENT, a
   name compared without case (provider/pkg/azure/cloud/cloud.go `FromName` @ 1f57686e); an
   unknown name is an error ("unknown environment");
3. otherwise the public cloud.

The code that talks to Resource Manager itself during `pulumi up` (the reconcile, the subscription
preflight) must reach the same cloud, with a token for that cloud: its Entra ID authority
(azure-identity 1.27.0 `AzureAuthorityHosts`), its Resource Manager endpoint and the token scope
(azure-cli 2.91.0 azure/cli/core/cloud.py: `resource_manager` and `active_directory_resource_id`
+ "/.default", which keeps the trailing slash, as azure-cli and azure-native ask for it). Custom
clouds (a metadata host) are not supported there: the rules refuse them while those steps are on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class AzureCloud:
    name: str  # the name azure-native documents: public, usgovernment, china
    authority_host: str  # Entra ID, as azure-identity's AzureAuthorityHosts spells it
    resource_manager: str  # Resource Manager's endpoint, no trailing slash
    arm_scope: str  # the token scope for Resource Manager
    cli_name: str  # `az cloud set --name <cli_name>` for the Azure CLI login


PUBLIC = AzureCloud(
    "public",
    "login.microsoftonline.com",
    "https://management.azure.com",
    "https://management.core.windows.net//.default",
    "AzureCloud",
)
US_GOVERNMENT = AzureCloud(
    "usgovernment",
    "login.microsoftonline.us",
    "https://management.usgovcloudapi.net",
    "https://management.core.usgovcloudapi.net//.default",
    "AzureUSGovernment",
)
CHINA = AzureCloud(
    "china",
    "login.chinacloudapi.cn",
    "https://management.chinacloudapi.cn",
    "https://management.core.chinacloudapi.cn//.default",
    "AzureChinaCloud",
)
CLOUDS = {cloud.name: cloud for cloud in (PUBLIC, US_GOVERNMENT, CHINA)}

# Every name azure-native accepts (lower case), and the cloud it means (cloud.go `FromName`).
CLOUD_NAMES: dict[str, AzureCloud] = {
    "public": PUBLIC,
    "azurecloud": PUBLIC,
    "usgov": US_GOVERNMENT,
    "usgovernment": US_GOVERNMENT,
    "azureusgovernment": US_GOVERNMENT,
    "azureusgovernmentcloud": US_GOVERNMENT,
    "usgovernmentl4": US_GOVERNMENT,
    "china": CHINA,
    "azurechinacloud": CHINA,
}

ENVIRONMENT_CONFIG = "azure-native:environment"
METADATA_HOST_CONFIG = "azure-native:metadataHost"
# The environment variables azure-native reads for the cloud, in its order.
METADATA_HOST_VARIABLE = "ARM_METADATA_HOSTNAME"
ENVIRONMENT_VARIABLES = ("ARM_ENVIRONMENT", "AZURE_ENVIRONMENT")
CLOUD_VARIABLES = (METADATA_HOST_VARIABLE, *ENVIRONMENT_VARIABLES)


@dataclass(frozen=True)
class CloudChoice:
    """What azure-native would use, and where it was said: a well-known cloud (`cloud`), a custom
    one (`metadata_host`), or a name it refuses (neither)."""

    cloud: AzureCloud | None
    given: str = ""  # the value as written ("" for the default)
    source: str = ""  # azure-native:environment, ARM_ENVIRONMENT, ... ("" for the default)
    metadata_host: str = ""

    @property
    def custom(self) -> bool:
        return bool(self.metadata_host)

    @property
    def public(self) -> bool:
        return self.cloud is PUBLIC and not self.custom

    def said(self) -> str:
        """Where the choice came from, for a message."""
        if not self.source:
            return "the default (no cloud setting)"
        kind = "config" if ":" in self.source else "environment variable"
        value = self.metadata_host or self.given
        return f"{kind} {self.source} = {value!r}"


def cloud_variables(environ: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """The cloud variables that are set, as (name, value) pairs (what Settings keeps)."""
    return tuple((name, environ[name]) for name in CLOUD_VARIABLES if environ.get(name))


def choose_cloud(environment: str, metadata_host: str, variables: Mapping[str, str]) -> CloudChoice:
    """azure-native's choice for config `environment`/`metadataHost` and these variables."""
    if metadata_host.strip():
        return CloudChoice(None, "", METADATA_HOST_CONFIG, metadata_host.strip())
    if host := variables.get(METADATA_HOST_VARIABLE, "").strip():
        return CloudChoice(None, "", METADATA_HOST_VARIABLE, host)
    for source, value in (
        (ENVIRONMENT_CONFIG, environment),
        *((name, variables.get(name, "")) for name in ENVIRONMENT_VARIABLES),
    ):
        if value.strip():
            return CloudChoice(CLOUD_NAMES.get(value.strip().lower()), value, source)
    return CloudChoice(PUBLIC)


def accepted_names() -> str:
    """The names azure-native accepts, for a message."""
    return ", ".join(CLOUD_NAMES)
