"""The Pod Sandboxing docs' `az aks update --name <cluster> --resource-group <rg>`, with the SDK.

After adding the Kata pool the docs run a bare `az aks update` "to enable pod sandboxing on the
cluster" (MicrosoftDocs/azure-aks-docs articles/aks/use-pod-sandboxing.md, ms.date 11/18/2025, @
fb060ab, 2026-08-21). With no other argument that command is a reconcile: GET the managed
cluster and PUT it back as it is, a long-running operation; azure-mgmt-containerservice does it
here (why not az, and when it runs: docs/reconcile.md). The body PUT back is the model GET
returned; the SDK drops read-only fields when it serializes it (`SdkJSONEncoder(exclude_readonly=
True)`, azure-mgmt-containerservice 41.8.0).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cloud.arm_errors import arm_error, token_claims, token_refused
from sandboxing.azure_clouds import PUBLIC, AzureCloud

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential
    from azure.core.exceptions import HttpResponseError

CLUSTER_ID = re.compile(
    r"^/subscriptions/(?P<subscription>[^/]+)/resourceGroups/(?P<group>[^/]+)"
    r"/providers/Microsoft\.ContainerService/managedClusters/(?P<name>[^/]+)$",
    re.IGNORECASE,
)
# What AKS answers while another operation (the pool create, an upgrade) still runs.
BUSY_CODES = frozenset({"OperationNotAllowed", "AnotherOperationInProgress", "Conflict"})
ROLE_NEEDED = (
    "a role on the cluster that allows Microsoft.ContainerService/managedClusters/read and "
    "/write, e.g. the built-in 'Azure Kubernetes Service Contributor Role' (or Contributor)"
)
POLL_SECONDS = 30  # the SDK's own default between LRO polls (Retry-After wins when ARM sends it)
BUSY_TIMEOUT_SECONDS = 300
BUSY_BACKOFF_SECONDS = (15.0, 60.0)  # first wait, longest wait


class ReconcileError(Exception):
    """The reconcile did not succeed; the message says why and what to do."""


@dataclass(frozen=True)
class ClusterRef:
    subscription_id: str
    resource_group: str
    name: str

    def __str__(self) -> str:
        return f"{self.name} (resource group {self.resource_group})"


def parse_cluster_id(cluster_id: str) -> ClusterRef:
    match = CLUSTER_ID.match(cluster_id.strip())
    if not match:
        raise ReconcileError(
            f"not a managed cluster resource ID: {cluster_id!r} (expected /subscriptions/<id>/"
            "resourceGroups/<rg>/providers/Microsoft.ContainerService/managedClusters/<name>)"
        )
    return ClusterRef(match["subscription"], match["group"], match["name"])


def _is_busy(error: HttpResponseError) -> bool:
    code, message = arm_error(error)
    return error.status_code == 409 and (code in BUSY_CODES or "in progress" in message.lower())


def _from_arm(error: HttpResponseError) -> bool:
    """True when ARM answered (not Entra ID while a token was being fetched)."""
    response = error.response
    url = str(getattr(getattr(response, "request", None), "url", "") or "")
    return "/providers/Microsoft.ContainerService/" in url


def describe_failure(
    cluster: ClusterRef,
    error: HttpResponseError,
    login: str,
    claims: dict[str, Any] | None = None,
    cloud: AzureCloud = PUBLIC,
) -> str:
    """What went wrong and what to do; `claims`: the token's, for a 401."""
    code, message = arm_error(error)
    said = f"{code}: {message}" if code else message
    if error.status_code == 401:
        return (
            token_refused(code, message, claims or {}, login, cloud)
            + f" The reconcile of cluster {cluster} was not done."
        )
    if error.status_code == 403:
        return (
            f"Azure refused the reconcile of cluster {cluster} (HTTP {error.status_code}, "
            f"{said}). The identity signed in as {login} needs {ROLE_NEEDED}. Grant it, or run "
            f"`az aks update --resource-group {cluster.resource_group} --name {cluster.name}` "
            "yourself and set reconcileAfterKataPool to false."
        )
    if error.status_code == 404:
        return f"cluster {cluster} was not found in subscription {cluster.subscription_id}: {said}"
    return f"the reconcile of cluster {cluster} failed (HTTP {error.status_code}): {said}"


def reconcile_cluster(
    cluster_id: str,
    credential: TokenCredential,
    *,
    login: str = "the configured Azure login",
    cloud: AzureCloud = PUBLIC,
    base_url: str | None = None,
    poll_interval: float = POLL_SECONDS,
    busy_timeout: float = BUSY_TIMEOUT_SECONDS,
    busy_backoff: tuple[float, float] = BUSY_BACKOFF_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    client_options: dict[str, Any] | None = None,
) -> str:
    """GET the cluster, PUT it back unchanged, follow the operation to its end.

    Returns the final provisioningState. While AKS is busy with another operation (409
    OperationNotAllowed) it tries again with backoff until `busy_timeout` seconds have passed.
    Resource Manager is `cloud`'s (tests point `base_url` at a stand-in); `client_options` go to
    the SDK client (tests pass `connection_verify` for their CA).
    """
    from azure.core.exceptions import ClientAuthenticationError, HttpResponseError
    from azure.mgmt.containerservice import ContainerServiceClient

    cluster = parse_cluster_id(cluster_id)
    client = ContainerServiceClient(
        credential,
        cluster.subscription_id,
        base_url=base_url or cloud.resource_manager,
        credential_scopes=[cloud.arm_scope],
        polling_interval=poll_interval,
        **(client_options or {}),
    )
    operations = client.managed_clusters
    deadline = clock() + busy_timeout
    wait, longest = busy_backoff
    try:
        while True:
            try:
                current = operations.get(cluster.resource_group, cluster.name)
                poller = operations.begin_create_or_update(
                    cluster.resource_group, cluster.name, current, polling_interval=poll_interval
                )
            except HttpResponseError as error:
                if _is_busy(error) and clock() + wait <= deadline:
                    sleep(wait)
                    wait = min(wait * 2, longest)
                    continue
                if _is_busy(error):
                    code, message = arm_error(error)
                    raise ReconcileError(
                        f"cluster {cluster} stayed busy with another operation for "
                        f"{busy_timeout:.0f} s ({code}: {message}). Wait for it to finish, "
                        "then run `pulumi up` again."
                    ) from None
                if isinstance(error, ClientAuthenticationError) and not _from_arm(error):
                    raise  # the login itself failed, before ARM was asked (handled below)
                claims = (
                    token_claims(credential, cloud.arm_scope) if error.status_code == 401 else {}
                )
                raise ReconcileError(
                    describe_failure(cluster, error, login, claims, cloud)
                ) from None
            try:
                result = poller.result()
            except HttpResponseError as error:
                code, message = arm_error(error)
                raise ReconcileError(
                    f"the reconcile of cluster {cluster} ended Failed: "
                    + (f"{code}: {message}" if code else message)
                ) from None
            return str(getattr(result, "provisioning_state", None) or "Succeeded")
    except ClientAuthenticationError as error:
        raise ReconcileError(
            f"could not get an Azure token with {login} to reconcile cluster {cluster}: "
            f"{error.message}"
        ) from None
    finally:
        client.close()
