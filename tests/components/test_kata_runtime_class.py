"""The runtime-class wait on its own: what it is given, what it waits for, what it hands on.

How the program wires it (Kata pool -> reconcile -> wait -> untrusted pod) is in tests/test_main.py.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pulumi
import pytest
from kube_standin import StandIn, pki, serving
from verify_cluster import CLASS, TOKEN, kubeconfig_text, runtime_class_json

from cloud.runtime_class_wait import RuntimeClassWaitError
from components.kata_runtime_class import (
    WAIT_TYPE,
    RuntimeClassWait,
    RuntimeClassWaitProvider,
    runtime_class_wait,
)
from sandboxing.catalog import KATA_HANDLER
from tools.harness import CloudMocks, RunResult, is_secret_value, run_program, unwrap_secret

KUBECONFIG = "apiVersion: v1\ncurrent-context: aks\n"


def with_class(class_name: str = "kata-vm-isolation", mocks: CloudMocks | None = None) -> RunResult:
    """The wait alone, after two stand-in resources, as the program gives it a pool and a
    reconcile."""

    def program() -> None:
        pool = pulumi.CustomResource("test:index:Pool", "pool", {})
        reconcile = pulumi.CustomResource("test:index:Reconcile", "reconcile", {})
        runtime_class = runtime_class_wait(
            "class", class_name, KUBECONFIG, "aks", "rg", 45, after=[pool, reconcile]
        )
        pulumi.export("className", runtime_class.class_name)

    return run_program({}, mocks=mocks, program=program)


def test_the_wait_gets_the_class_the_kata_handler_the_cluster_and_the_timeout() -> None:
    result = with_class()
    assert result.error is None, result.error
    wait = result.one(WAIT_TYPE)
    given = {
        key: value for key, value in wait.inputs.items() if key not in ("kubeconfig", "__provider")
    }
    assert given == {
        "class_name": "kata-vm-isolation",
        "handler": "kata",
        "cluster_name": "aks",
        "resource_group_name": "rg",
        "timeout_seconds": 45,
    }
    assert wait.parent.endswith("::pulumi:pulumi:Stack::aks-pod-sandboxing-dev")
    assert wait.options["aliases"] == [
        "urn:pulumi:dev::aks-pod-sandboxing::aks-pod-sandboxing:kubernetes:KataRuntimeClass"
        f"${WAIT_TYPE}::class-wait"
    ]


def test_it_waits_for_and_is_replaced_with_what_it_is_given() -> None:
    result = with_class()
    after = {result.one("test:index:Pool").urn, result.one("test:index:Reconcile").urn}
    wait = result.one(WAIT_TYPE)
    # The engine records both in whatever order their URNs resolve.
    assert set(wait.dependencies) == after
    assert set(wait.options["replaceWith"]) == after


def test_its_class_name_is_the_one_the_cluster_served() -> None:
    result = with_class("kata-mshv-vm-isolation")
    assert result.outputs["className"].value == "kata-mshv-vm-isolation"
    assert result.one(WAIT_TYPE).state["class_name"] == "kata-mshv-vm-isolation"


def test_the_kubeconfig_reaches_the_wait_only_as_a_secret_and_never_comes_back() -> None:
    wait = with_class().one(WAIT_TYPE)
    assert is_secret_value(wait.inputs["kubeconfig"])
    assert unwrap_secret(wait.inputs["kubeconfig"]) == KUBECONFIG
    assert "kubeconfig" not in wait.state  # create returns no kubeconfig


def test_a_class_never_served_fails_the_wait_naming_the_class_cluster_and_timeout() -> None:
    result = with_class(mocks=CloudMocks(served_runtime_classes=frozenset()))
    assert result.error is not None
    assert 'RuntimeClass "kata-vm-isolation" (handler kata) was not served' in result.error
    assert "cluster aks (resource group rg) within 45 s" in result.error


def test_dynamic_type_tokens_are_what_the_sdk_registers() -> None:
    assert f"pulumi-python:{RuntimeClassWait._resource_type_name}" == WAIT_TYPE


# --- create(), as the dynamic provider process runs it, against the stand-in API server ------


@pytest.fixture
def api() -> Iterator[StandIn]:
    with serving(TOKEN, pki().server) as server:
        yield server


def engine_props(server: StandIn, timeout_seconds: float) -> dict[str, Any]:
    """The inputs as the engine hands them to `create`: numbers arrive as floats (a protobuf
    Struct) and the kubeconfig unwrapped (the dynamic provider accepts no secrets)."""
    return {
        "class_name": CLASS,
        "handler": KATA_HANDLER,
        "cluster_name": "aks",
        "resource_group_name": "rg",
        "timeout_seconds": timeout_seconds,
        "kubeconfig": kubeconfig_text(server.url, ca=pki().ca.cert),
    }


def test_create_returns_the_served_class_and_no_kubeconfig(api: StandIn) -> None:
    api.cluster.runtime_classes[CLASS] = runtime_class_json()
    props = engine_props(api, 45.0)
    created = RuntimeClassWaitProvider().create(props)
    assert created.id == f"runtimeclass/{CLASS}"
    assert created.outs == {
        "class_name": CLASS,
        "handler": KATA_HANDLER,
        "cluster_name": "aks",
        "resource_group_name": "rg",
    }
    assert TOKEN not in repr(created.outs)
    assert api.count(f"/apis/node.k8s.io/v1/runtimeclasses/{CLASS}") == 1


def test_create_with_a_class_of_another_handler_fails(api: StandIn) -> None:
    api.cluster.runtime_classes[CLASS] = runtime_class_json(handler="runc")
    with pytest.raises(RuntimeClassWaitError, match="has handler 'runc', not 'kata'"):
        RuntimeClassWaitProvider().create(engine_props(api, 45.0))


def test_create_times_out_on_a_class_never_served_without_the_kubeconfig_in_the_error(
    api: StandIn,
) -> None:
    # create() cannot inject the wait's clock: a 0.05 s timeout keeps the real wait short.
    props = engine_props(api, 0.05)
    started = time.monotonic()
    with pytest.raises(RuntimeClassWaitError) as caught:
        RuntimeClassWaitProvider().create(props)
    assert time.monotonic() - started < 1
    message = str(caught.value)
    assert f'RuntimeClass "{CLASS}" (handler kata) was not served' in message
    assert "cluster aks (resource group rg)" in message
    assert "last answer: not found (HTTP 404)" in message
    assert TOKEN not in message and "certificate-authority-data" not in message
    assert api.count(f"/apis/node.k8s.io/v1/runtimeclasses/{CLASS}") >= 1
