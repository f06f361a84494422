"""Runtime-class readiness: Kata pool -> reconcile -> class served (waited for) -> untrusted pod."""

from __future__ import annotations

import base64
import os
import subprocess
import sys

import dill
import pulumi
from pulumi.dynamic.dynamic import serialize_provider
from support import dev_config, run_component, run_dev

from components.cluster_reconcile import RECONCILE_TYPE, ClusterReconcileProvider
from components.kata_runtime_class import (
    WAIT_TYPE,
    KataRuntimeClass,
    RuntimeClassWait,
    RuntimeClassWaitProvider,
)
from tools.harness import CloudMocks, RunResult, is_secret_value, run_program, unwrap_secret
from tools.repo import REPO

POOL = "azure-native:containerservice:AgentPool"
POD = "kubernetes:core/v1:Pod"


def test_chain_pool_then_reconcile_then_wait_then_untrusted_pod(dev_run: RunResult) -> None:
    pool = dev_run.one(POOL)
    reconcile = dev_run.one(RECONCILE_TYPE)
    wait = dev_run.one(WAIT_TYPE)
    untrusted = dev_run.one(POD, "untrusted")
    assert pool.urn in reconcile.dependencies
    assert {pool.urn, reconcile.urn} <= set(wait.dependencies)
    assert wait.urn in untrusted.dependencies
    # The pod's class is the wait's output, i.e. the name the cluster actually served.
    assert untrusted.inputs["spec"]["runtimeClassName"] == wait.state["class_name"]
    assert wait.state["handler"] == "kata"
    assert wait.inputs["timeout_seconds"] == 300
    assert wait.inputs["cluster_name"] == "aks-pod-sandboxing-dev"
    assert wait.inputs["resource_group_name"] == "rg-pod-sandboxing-dev"


def test_kubeconfig_reaches_the_wait_only_as_a_secret_and_never_comes_back(
    dev_run: RunResult,
) -> None:
    wait = dev_run.one(WAIT_TYPE)
    assert is_secret_value(wait.inputs["kubeconfig"])
    assert "current-context: aks-pod-sandboxing-dev" in unwrap_secret(wait.inputs["kubeconfig"])
    assert "kubeconfig" not in wait.state  # create returns no kubeconfig


def test_trusted_side_never_waits_for_the_reconcile_or_the_wait(dev_run: RunResult) -> None:
    kata_side = {dev_run.one(RECONCILE_TYPE).urn, dev_run.one(WAIT_TYPE).urn}
    for resource in (
        dev_run.one(POD, "trusted"),
        dev_run.one("kubernetes:core/v1:Namespace"),
        dev_run.one("kubernetes:core/v1:ServiceAccount"),
        dev_run.one("kubernetes:networking.k8s.io/v1:NetworkPolicy"),
    ):
        assert not kata_side & dev_run.waits_for(resource), resource.name


def test_class_not_served_stops_before_the_untrusted_pod_is_sent() -> None:
    mocks = CloudMocks(served_runtime_classes=frozenset())
    result = run_program(dev_config(), mocks=mocks)
    assert result.error is not None
    assert 'RuntimeClass "kata-vm-isolation" (handler kata) was not served' in result.error
    assert "cluster aks-pod-sandboxing-dev (resource group rg-pod-sandboxing-dev)" in result.error
    names = {r.name for r in result.by_type(POD)}
    assert "untrusted" not in names
    assert "trusted" in names  # the shared-kernel side is unaffected


def test_wait_is_replaced_with_what_it_waits_for(dev_run: RunResult) -> None:
    """replace_with: a replaced pool (or reconcile) makes the wait run again."""
    wait = dev_run.one(WAIT_TYPE)
    reconcile = dev_run.one(RECONCILE_TYPE)
    pool = dev_run.one(POOL)
    assert set(wait.options["replaceWith"]) == {pool.urn, reconcile.urn}
    assert reconcile.options["replaceWith"] == [pool.urn]


def test_configured_timeout_reaches_the_wait() -> None:
    result = run_dev(runtimeClassWaitSeconds="45")
    assert result.error is None, result.error
    assert result.one(WAIT_TYPE).inputs["timeout_seconds"] == 45


def test_generic_after_list_is_honoured() -> None:
    """The component waits for whatever it is given (e.g. a cluster whose first pool is Kata)."""

    def program() -> None:
        first = pulumi.CustomResource("test:index:Thing", "first", {})
        KataRuntimeClass("class", "kata-vm-isolation", "kubeconfig: x", "aks", "rg", 30, [first])

    result = run_component(program)
    wait = result.one(WAIT_TYPE)
    first = result.one("test:index:Thing").urn
    assert wait.dependencies == [first] and wait.options["replaceWith"] == [first]


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
