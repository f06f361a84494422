"""The runtime-class wait against a local stand-in Kubernetes API server (HTTPS, bearer token).

The official client reads a real kubeconfig (CA data, token) and GETs
/apis/node.k8s.io/v1/runtimeclasses/<name>; the stand-in answers with real Status bodies.
Time is a fake clock advanced by the injected sleep, so no test really waits.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from standins import Certificate, Reply, Request, StandIn, make_certificate, serve

from cloud.runtime_class_wait import RuntimeClassWaitError, WaitFor, wait_for_runtime_class
from sandboxing.catalog import KATA_GA, KATA_HANDLER

TOKEN = "test-k8s-token-0123456789"
CLASS = KATA_GA.runtime_class
PATH = f"/apis/node.k8s.io/v1/runtimeclasses/{CLASS}"
TARGET = WaitFor(CLASS, "aks-team", "rg-team", timeout_seconds=60)


def status(code: int, reason: str, message: str) -> dict[str, Any]:
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code,
            "details": {"name": CLASS, "group": "node.k8s.io",
                        "kind": "runtimeclasses"}}  # fmt: skip


def runtime_class(handler: str = KATA_HANDLER) -> dict[str, Any]:
    return {"kind": "RuntimeClass", "apiVersion": "node.k8s.io/v1",
            "metadata": {"name": CLASS, "uid": "4f7c0a58-2d7e-4d6e-9d55-1a2b3c4d5e6f",
                         "resourceVersion": "1234"},
            "handler": handler, "overhead": {"podFixed": {"memory": "600Mi"}},
            "scheduling": {"nodeSelector": {KATA_GA.node_label: "true"}}}  # fmt: skip


class ApiServer:
    def __init__(self) -> None:
        self.missing_for = 0  # answer 404 this many times, then serve the class
        self.forbidden = False
        self.handler = KATA_HANDLER

    def route(self, request: Request) -> Reply:
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return Reply(401, status(401, "Unauthorized", "Unauthorized"))
        if request.method != "GET" or request.path != PATH:
            return Reply(404, status(404, "NotFound", "the server could not find the resource"))
        if self.forbidden:
            return Reply(
                403,
                status(
                    403,
                    "Forbidden",
                    (
                        f'runtimeclasses.node.k8s.io "{CLASS}" is forbidden: User "ci-deployer" '
                        'cannot get resource "runtimeclasses" in API group "node.k8s.io" at the '
                        "cluster scope"
                    ),
                ),
            )
        if self.missing_for > 0:
            self.missing_for -= 1
            return Reply(404, status(404, "NotFound", f'runtimeclasses.node.k8s.io "{CLASS}" '
                                     "not found"))  # fmt: skip
        return Reply(200, runtime_class(self.handler))


def kubeconfig(server: str, certificate: Certificate) -> str:
    ca = base64.b64encode(certificate.cert_file.read_bytes()).decode()
    return yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "aks-team",
        "clusters": [{"name": "aks-team", "cluster": {"server": server,
                                                      "certificate-authority-data": ca}}],
        "users": [{"name": "clusterUser", "user": {"token": TOKEN}}],
        "contexts": [{"name": "aks-team", "context": {"cluster": "aks-team",
                                                      "user": "clusterUser"}}],
    })  # fmt: skip


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    return make_certificate(Path(tmp_path_factory.mktemp("k8s-tls")))


@pytest.fixture
def cluster(certificate: Certificate) -> Iterator[tuple[ApiServer, StandIn, str]]:
    api = ApiServer()
    with serve(lambda request: api.route(request), certificate) as standin:
        yield api, standin, kubeconfig(standin.url, certificate)


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def wait(config: str, clock: FakeTime, target: WaitFor = TARGET) -> dict[str, str]:
    return wait_for_runtime_class(
        config, target, backoff=(2, 8), sleep=clock.sleep, clock=lambda: clock.now
    )


def test_class_that_appears_after_a_few_polls_is_returned(cluster) -> None:
    api, standin, config = cluster
    api.missing_for = 3
    clock = FakeTime()
    assert wait(config, clock) == {"class_name": CLASS, "handler": KATA_HANDLER}
    assert len(standin.sent("GET", PATH)) == 4
    assert clock.sleeps == [2, 4, 8]  # backoff doubles up to its cap


def test_class_never_served_times_out_naming_class_cluster_and_remedy(cluster) -> None:
    api, _, config = cluster
    api.missing_for = 10**6
    clock = FakeTime()
    with pytest.raises(RuntimeClassWaitError) as caught:
        wait(config, clock)
    message = str(caught.value)
    assert f'RuntimeClass "{CLASS}" (handler kata)' in message
    assert "cluster aks-team (resource group rg-team) within 60 s" in message
    assert "last answer: not found (HTTP 404)" in message
    assert "az aks update --resource-group rg-team --name aks-team" in message
    assert "runtimeClassName to kata-mshv-vm-isolation" in message
    assert "untrusted pod was not sent" in message
    assert clock.now == 60 and sum(clock.sleeps) == 60  # never sleeps past the deadline
    assert TOKEN not in message


def test_forbidden_names_the_permission(cluster) -> None:
    api, standin, config = cluster
    api.forbidden = True
    with pytest.raises(RuntimeClassWaitError) as caught:
        wait(config, FakeTime())
    message = str(caught.value)
    assert "HTTP 403" in message
    assert "`get` on runtimeclasses.node.k8s.io" in message
    assert 'User "ci-deployer" cannot get resource "runtimeclasses"' in message
    assert len(standin.sent("GET", PATH)) == 1  # no point in retrying a permission


def test_class_with_another_handler_is_refused(cluster) -> None:
    api, _, config = cluster
    api.handler = "runc"
    with pytest.raises(RuntimeClassWaitError, match="handler 'runc', not 'kata'"):
        wait(config, FakeTime())


def test_unreachable_api_server_is_retried_until_the_deadline(certificate) -> None:
    with serve(lambda request: Reply(200), certificate) as standin:
        url = standin.url  # the port is closed again once the block ends
    clock = FakeTime()
    with pytest.raises(RuntimeClassWaitError, match="API server unreachable"):
        wait(kubeconfig(url, certificate), clock, WaitFor(CLASS, "aks-team", "rg-team",
                                                          timeout_seconds=10))  # fmt: skip
    assert clock.sleeps == [2, 4, 4]
