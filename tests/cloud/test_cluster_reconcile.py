"""The reconcile against a local stand-in for Azure Resource Manager (HTTPS, real LRO protocol).

The stand-in answers GET/PUT on the managed cluster like ARM does: 201 with an
`Azure-AsyncOperation` header, an operation resource polled until `Succeeded`/`Failed`, and
ARM's error bodies. The real SDK client talks to it; only the token is a static test value.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from arm_bodies import CHALLENGE, EXPIRED, TENANT, jwt
from arm_standin import StaticCredential
from azure.core.credentials import AccessToken
from standins import Reply, Request, StandIn, serve
from tls_material import ServerFiles, server_files

from cloud.cluster_reconcile import ReconcileError, parse_cluster_id, reconcile_cluster

SUB = "11111111-2222-3333-4444-555555555555"
RG = "rg-team"
NAME = "aks-team"
API = "2026-08-01"
CLUSTER_PATH = (
    f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.ContainerService/"
    f"managedClusters/{NAME}"
)
OPERATION = "8a4b2f11-7c3d-4e5f-9a0b-1c2d3e4f5a6b"
TOKEN = "test-arm-token"
BUSY = {
    "error": {
        "code": "OperationNotAllowed",
        "message": (
            "Operation is not allowed: Another operation (Creating) is in progress, please wait "
            "for it to finish before starting a new operation. See "
            "https://aka.ms/aks-pending-operation for more details"
        ),
    }
}
FORBIDDEN = {
    "error": {
        "code": "AuthorizationFailed",
        "message": (
            "The client 'c0ffee00-0000-0000-0000-000000000001' with object id "
            "'c0ffee00-0000-0000-0000-000000000001' does not have authorization to perform action "
            "'Microsoft.ContainerService/managedClusters/write' over scope "
            f"'{CLUSTER_PATH}' or the scope is invalid. If access was recently granted, please "
            "refresh your credentials."
        ),
    }
}
FAILED = {
    "code": "ReconcileVMSSAgentPoolFailed",
    "message": (
        "Agent pool katapool: VM size Standard_D4s_v3 failed the nested virtualization check."
    ),
}


def cluster_json(state: str = "Succeeded") -> dict[str, Any]:
    """A managed cluster as ARM returns it, read-only fields included."""
    return {
        "id": CLUSTER_PATH,
        "name": NAME,
        "type": "Microsoft.ContainerService/ManagedClusters",
        "location": "westeurope",
        "tags": {"team": "a"},
        "eTag": "etag-1",
        "systemData": {"createdBy": "someone", "createdAt": "2026-01-02T03:04:05Z"},
        "sku": {"name": "Base", "tier": "Free"},
        "identity": {"type": "SystemAssigned", "principalId": "p-1", "tenantId": "t-1"},
        "properties": {
            "provisioningState": state,
            "powerState": {"code": "Running"},
            "maxAgentPools": 100,
            "kubernetesVersion": "1.33",
            "currentKubernetesVersion": "1.33.3",
            "dnsPrefix": "aks-team",
            "fqdn": "aks-team-1a2b.hcp.westeurope.azmk8s.io",
            "azurePortalFQDN": "aks-team-1a2b.portal.hcp.westeurope.azmk8s.io",
            "resourceUID": "0123456789abcdef",
            "enableRBAC": True,
            "agentPoolProfiles": [
                {
                    "name": "system",
                    "mode": "System",
                    "count": 1,
                    "vmSize": "Standard_D2s_v5",
                    "osType": "Linux",
                    "osSKU": "AzureLinux",
                    "provisioningState": state,
                    "orchestratorVersion": "1.33",
                    "currentOrchestratorVersion": "1.33.3",
                    "eTag": "pool-etag",
                    "type": "VirtualMachineScaleSets",
                },
                {
                    "name": "katapool",
                    "mode": "User",
                    "count": 1,
                    "vmSize": "Standard_D4s_v3",
                    "osType": "Linux",
                    "osSKU": "AzureLinux",
                    "workloadRuntime": "KataVmIsolation",
                    "provisioningState": state,
                    "orchestratorVersion": "1.33",
                    "currentOrchestratorVersion": "1.33.3",
                    "type": "VirtualMachineScaleSets",
                },
            ],
            "networkProfile": {"networkPlugin": "azure", "networkPluginMode": "overlay"},
        },
    }


def without_read_only(cluster: dict[str, Any]) -> dict[str, Any]:
    """What a PUT may carry: the REST spec's readOnly fields of ManagedCluster removed."""
    body = copy.deepcopy(cluster)
    for key in ("id", "name", "type", "systemData", "eTag"):
        body.pop(key, None)
    for key in ("principalId", "tenantId"):
        body["identity"].pop(key, None)
    props = body["properties"]
    for key in (
        "provisioningState",
        "powerState",
        "maxAgentPools",
        "currentKubernetesVersion",
        "fqdn",
        "privateFQDN",
        "azurePortalFQDN",
        "resourceUID",
    ):
        props.pop(key, None)
    for pool in props["agentPoolProfiles"]:
        for key in ("provisioningState", "currentOrchestratorVersion", "eTag"):
            pool.pop(key, None)
    return body


class Arm:
    """The stand-in's behaviour: how often it is busy, how the operation ends."""

    def __init__(self, busy: int = 0, outcome: str = "Succeeded", forbidden: bool = False):
        self.busy, self.outcome, self.forbidden = busy, outcome, forbidden
        self.polls = 0
        self.running = False

    def route(self, request: Request) -> Reply:
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return Reply(401, {"error": {"code": "AuthenticationFailed", "message": "no token"}})
        if request.query.get("api-version") != [API]:
            return Reply(400, {"error": {"code": "InvalidApiVersion", "message": "bad"}})
        operation = f"/locations/westeurope/operations/{OPERATION}"
        if request.path.endswith(operation):
            self.polls += 1
            if self.polls < 3:
                return Reply(200, {"name": OPERATION, "status": "InProgress"})
            self.running = False
            done: dict[str, Any] = {"name": OPERATION, "status": self.outcome}
            if self.outcome == "Failed":
                done["error"] = FAILED
            return Reply(200, done)
        if request.path != CLUSTER_PATH:
            return Reply(404, {"error": {"code": "NotFound", "message": request.path}})
        if request.method == "GET":
            return Reply(200, cluster_json("Updating" if self.running else self.outcome))
        if self.forbidden:
            return Reply(403, FORBIDDEN)
        if self.busy:
            self.busy -= 1
            return Reply(409, BUSY)
        self.running = True
        host = request.headers["host"]
        status_url = (
            f"https://{host}/subscriptions/{SUB}/providers/Microsoft.ContainerService"
            f"{operation}?api-version={API}"
        )
        return Reply(201, cluster_json("Updating"), {"Azure-AsyncOperation": status_url})


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> ServerFiles:
    return server_files(Path(tmp_path_factory.mktemp("arm-tls")))


@pytest.fixture
def arm(certificate: ServerFiles) -> Iterator[tuple[Arm, StandIn]]:
    behaviour = Arm()
    with serve(lambda request: behaviour.route(request), certificate) as standin:
        yield behaviour, standin


def run(standin: StandIn, certificate: ServerFiles, **kwargs: Any) -> str:
    return reconcile_cluster(
        CLUSTER_PATH,
        StaticCredential(TOKEN),  # type: ignore[arg-type]
        login="service principal c0ffee (secret)",
        base_url=standin.url,
        poll_interval=0,
        client_options={"connection_verify": str(certificate.ca_file)},
        **kwargs,
    )


def test_puts_back_what_get_returned_and_follows_the_operation(arm, certificate) -> None:
    behaviour, standin = arm
    assert run(standin, certificate) == "Succeeded"
    puts = standin.sent("PUT", CLUSTER_PATH)
    assert len(puts) == 1
    assert puts[0].json() == without_read_only(cluster_json())
    assert behaviour.polls == 3  # InProgress, InProgress, Succeeded
    assert standin.sent("GET", CLUSTER_PATH)[0].query["api-version"] == [API]


def test_busy_cluster_is_retried_then_reconciled(arm, certificate) -> None:
    behaviour, standin = arm
    behaviour.busy = 2
    sleeps: list[float] = []
    assert run(standin, certificate, busy_backoff=(0.01, 0.015), sleep=sleeps.append) == (
        "Succeeded"
    )
    assert len(standin.sent("PUT", CLUSTER_PATH)) == 3
    assert sleeps == [0.01, 0.015]  # doubled, capped


def test_busy_for_too_long_names_the_cluster_and_arms_message(arm, certificate) -> None:
    behaviour, standin = arm
    behaviour.busy = 100
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    with pytest.raises(ReconcileError) as caught:
        run(
            standin,
            certificate,
            busy_timeout=60,
            busy_backoff=(15, 60),
            sleep=sleep,
            clock=lambda: now[0],
        )
    message = str(caught.value)
    assert f"{NAME} (resource group {RG}) stayed busy" in message
    assert "OperationNotAllowed: Operation is not allowed: Another operation" in message
    assert now[0] <= 60 and len(standin.sent("PUT")) == 3  # at 0, 15 and 45 s


def test_failed_operation_surfaces_arms_error(arm, certificate) -> None:
    behaviour, standin = arm
    behaviour.outcome = "Failed"
    with pytest.raises(ReconcileError) as caught:
        run(standin, certificate)
    message = str(caught.value)
    assert "ended Failed" in message and NAME in message
    assert f"{FAILED['code']}: {FAILED['message']}" in message


def test_forbidden_names_the_role_and_the_identity(arm, certificate) -> None:
    behaviour, standin = arm
    behaviour.forbidden = True
    with pytest.raises(ReconcileError) as caught:
        run(standin, certificate)
    message = str(caught.value)
    assert "HTTP 403" in message and "AuthorizationFailed" in message
    assert "Azure Kubernetes Service Contributor Role" in message
    assert "Microsoft.ContainerService/managedClusters/read and /write" in message
    assert "service principal c0ffee (secret)" in message
    assert f"az aks update --resource-group {RG} --name {NAME}" in message


def test_cluster_id_gives_subscription_group_and_name() -> None:
    ref = parse_cluster_id(CLUSTER_PATH.replace("resourceGroups", "resourcegroups"))
    assert (ref.subscription_id, ref.resource_group, ref.name) == (SUB, RG, NAME)
    with pytest.raises(ReconcileError, match="not a managed cluster resource ID"):
        parse_cluster_id(f"/subscriptions/{SUB}/resourceGroups/{RG}")


def test_login_that_cannot_get_a_token_is_named(certificate) -> None:
    from azure.core.exceptions import ClientAuthenticationError

    class NotLoggedIn:
        def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
            raise ClientAuthenticationError("Please run 'az login' to set up an account")

    with serve(lambda request: Reply(500), certificate) as standin:
        with pytest.raises(ReconcileError) as caught:
            reconcile_cluster(
                CLUSTER_PATH,
                NotLoggedIn(),  # type: ignore[arg-type]
                login="the Azure CLI login (az login)",
                base_url=standin.url,
                client_options={"connection_verify": str(certificate.ca_file)},
            )
        assert standin.requests == []  # ARM was never asked
    message = str(caught.value)
    assert "could not get an Azure token with the Azure CLI login (az login)" in message
    assert "Please run 'az login'" in message and NAME in message


def test_a_refused_token_is_named_by_its_tenant_audience_and_expiry(certificate) -> None:
    expired_at = int(time.time()) - 30
    token = jwt({"tid": TENANT, "aud": "https://management.core.windows.net/", "exp": expired_at})

    class Expired:
        def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
            return AccessToken(token, int(time.time()) + 3600)  # what the cache believes

    def arm(request: Request) -> Reply:
        return Reply(401, EXPIRED, {"WWW-Authenticate": CHALLENGE})

    with serve(arm, certificate) as standin:
        with pytest.raises(ReconcileError) as caught:
            reconcile_cluster(
                CLUSTER_PATH,
                Expired(),  # type: ignore[arg-type]
                login="the Azure CLI login (az login)",
                base_url=standin.url,
                client_options={"connection_verify": str(certificate.ca_file)},
            )
        assert standin.requests[0].headers["authorization"] == f"Bearer {token}"
    message = str(caught.value)
    assert "HTTP 401, ExpiredAuthenticationToken" in message
    assert f"tenant (tid) {TENANT}" in message and "expires (exp)" in message
    assert "before this request" in message and "not a missing role" in message
    assert "Azure Kubernetes Service Contributor Role" not in message
    assert token not in message
