"""KataRuntimeClass on its own: what the wait is given, what it waits for, what it hands on.

How the program wires it (Kata pool -> reconcile -> wait -> untrusted pod) is in tests/test_main.py.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys

import dill
import pulumi
from pulumi.dynamic.dynamic import serialize_provider

from components.cluster_reconcile import ClusterReconcileProvider
from components.kata_runtime_class import (
    WAIT_TYPE,
    KataRuntimeClass,
    RuntimeClassWait,
    RuntimeClassWaitProvider,
)
from tools.harness import CloudMocks, RunResult, is_secret_value, run_program, unwrap_secret
from tools.repo import REPO

KUBECONFIG = "apiVersion: v1\ncurrent-context: aks\n"


def with_class(class_name: str = "kata-vm-isolation", mocks: CloudMocks | None = None) -> RunResult:
    """The component alone, after two stand-in resources, as the program gives it a pool and a
    reconcile."""

    def program() -> None:
        pool = pulumi.CustomResource("test:index:Pool", "pool", {})
        reconcile = pulumi.CustomResource("test:index:Reconcile", "reconcile", {})
        runtime_class = KataRuntimeClass(
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
        "class_name": "kata-vm-isolation", "handler": "kata", "cluster_name": "aks",
        "resource_group_name": "rg", "timeout_seconds": 45,
    }  # fmt: skip
    component = result.one("aks-pod-sandboxing:kubernetes:KataRuntimeClass")
    assert wait.parent == component.urn


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


def test_providers_pickle_by_reference_and_load_where_the_engine_starts_them() -> None:
    """The engine runs `python -m pulumi.dynamic` in the project directory (see the module doc)."""
    pickles = [
        serialize_provider(p) for p in (ClusterReconcileProvider(), RuntimeClassWaitProvider())
    ]
    for text in pickles:
        raw = base64.b64decode(text)
        assert b"components." in raw and len(raw) < 200  # a module reference, no state
        assert type(dill.loads(raw)).__module__.startswith("components.")
    script = (
        "import base64, sys, dill\n"
        "for text in sys.argv[1:]:\n"
        "    print(type(dill.loads(base64.b64decode(text))).__name__)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-c", script, *pickles], cwd=REPO, env=env, capture_output=True,
        text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ClusterReconcileProvider", "RuntimeClassWaitProvider"]
