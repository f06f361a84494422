"""The runtime-class wait against the stand-in Kubernetes API server (tests/kube_standin.py).

The official client reads a real kubeconfig (TLS with the cluster CA, a bearer token) and GETs
/apis/node.k8s.io/v1/runtimeclasses/<name>; the stand-in answers as kube-apiserver does, with
real Status bodies. Time is a fake clock advanced by the injected sleep, so no test really waits.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from kube_standin import StandIn, pki, refused_port, serving, status_body
from verify_cluster import CLASS, TOKEN, kubeconfig_text, runtime_class_json

from cloud.runtime_class_wait import RuntimeClassWaitError, WaitFor, wait_for_runtime_class
from sandboxing.catalog import KATA_HANDLER

PATH = f"/apis/node.k8s.io/v1/runtimeclasses/{CLASS}"
TARGET = WaitFor(CLASS, "aks-team", "rg-team", timeout_seconds=60)
FORBIDDEN = (
    f'runtimeclasses.node.k8s.io "{CLASS}" is forbidden: User "ci-deployer" cannot get resource '
    '"runtimeclasses" in API group "node.k8s.io" at the cluster scope'
)


@pytest.fixture
def api() -> Iterator[StandIn]:
    with serving(TOKEN, pki().server) as server:
        yield server


def config_for(server: StandIn) -> str:
    return kubeconfig_text(server.url, ca=pki().ca.cert)


def appear_after(server: StandIn, polls: int) -> None:
    """Serve the class from the poll after the `polls`-th (AKS installs it meanwhile)."""

    def count(path: str) -> None:
        if path == PATH and server.count(PATH) >= polls:
            server.cluster.runtime_classes[CLASS] = runtime_class_json()

    server.after_request = count


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


def test_class_that_appears_after_a_few_polls_is_returned(api: StandIn) -> None:
    appear_after(api, 3)
    clock = FakeTime()
    assert wait(config_for(api), clock) == {"class_name": CLASS, "handler": KATA_HANDLER}
    assert api.count(PATH) == 4
    assert clock.sleeps == [2, 4, 8]  # backoff doubles up to its cap


def test_class_never_served_times_out_naming_class_cluster_and_remedy(api: StandIn) -> None:
    clock = FakeTime()
    with pytest.raises(RuntimeClassWaitError) as caught:
        wait(config_for(api), clock)
    message = str(caught.value)
    assert f'RuntimeClass "{CLASS}" (handler kata)' in message
    assert "cluster aks-team (resource group rg-team) within 60 s" in message
    assert "last answer: not found (HTTP 404)" in message
    assert "az aks update --resource-group rg-team --name aks-team" in message
    assert "runtimeClassName to kata-mshv-vm-isolation" in message
    assert "untrusted pod was not sent" in message
    assert clock.now == 60 and sum(clock.sleeps) == 60  # never sleeps past the deadline
    assert TOKEN not in message


def test_forbidden_names_the_permission(api: StandIn) -> None:
    api.cluster.overrides[PATH] = (403, status_body(403, "Forbidden", FORBIDDEN))
    with pytest.raises(RuntimeClassWaitError) as caught:
        wait(config_for(api), FakeTime())
    message = str(caught.value)
    assert "HTTP 403" in message
    assert "`get` on runtimeclasses.node.k8s.io" in message
    assert 'User "ci-deployer" cannot get resource "runtimeclasses"' in message
    assert api.count(PATH) == 1  # no point in retrying a permission


def test_class_with_another_handler_is_refused(api: StandIn) -> None:
    api.cluster.runtime_classes[CLASS] = runtime_class_json(handler="runc")
    with pytest.raises(RuntimeClassWaitError, match="handler 'runc', not 'kata'"):
        wait(config_for(api), FakeTime())


def test_unreachable_api_server_is_retried_until_the_deadline() -> None:
    clock = FakeTime()
    with (
        refused_port() as url,
        pytest.raises(RuntimeClassWaitError, match="API server unreachable"),
    ):
        wait(kubeconfig_text(url), clock, WaitFor(CLASS, "aks-team", "rg-team", timeout_seconds=10))
    assert clock.sleeps == [2, 4, 4]
