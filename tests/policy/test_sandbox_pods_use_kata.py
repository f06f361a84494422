"""sandbox-pods-use-kata: pods of the sandbox (by label or namespace) run under a Kata class."""

from __future__ import annotations

import json
from typing import Any

import pulumi.runtime
import pytest
from policy_requests import (
    POD,
    args_of,
    engine_args,
    engine_props,
    pod_inputs,
    provider_of,
    violations,
)
from pulumi_policy import PolicyProviderResource

from policy import sandbox_policies as sp
from tools.harness import RunResult


def sandbox_violations(
    inputs: dict[str, Any],
    name: str = "untrusted",
    config: dict[str, Any] | None = None,
    provider: PolicyProviderResource | None = None,
) -> list[str]:
    args = engine_args(POD, inputs, name, config, provider)
    return violations(sp.SANDBOX_PODS_USE_KATA, args)


@pytest.mark.parametrize("runtime_class", [None, "runc", "kata-cc-isolation"])
def test_untrusted_pod_without_a_kata_class_is_refused(
    runtime_class: str | None, dev_run: RunResult
) -> None:
    inputs = pod_inputs(dev_run, "untrusted")
    inputs["spec"].pop("runtimeClassName")
    if runtime_class:
        inputs["spec"]["runtimeClassName"] = runtime_class
    shown = repr(runtime_class) if runtime_class else "(not set)"
    assert sandbox_violations(inputs) == [
        "Pod 'untrusted' is labelled app.kubernetes.io/part-of=aks-pod-sandboxing but would run "
        f"on the node's shared kernel: runtimeClassName is {shown}, expected one of "
        "kata-mshv-vm-isolation, kata-vm-isolation. Only the trusted pods (trusted) may run "
        "without Kata."
    ]


def test_namespace_decides_when_the_pod_has_no_sandbox_label(dev_run: RunResult) -> None:
    inputs = pod_inputs(dev_run, "untrusted")
    inputs["spec"].pop("runtimeClassName")
    inputs["metadata"]["labels"] = {"app": "other"}
    found = sandbox_violations(inputs)
    assert len(found) == 1 and "is in sandbox namespace 'pod-sandboxing'" in found[0]
    inputs["metadata"]["namespace"] = "apps"
    assert sandbox_violations(inputs) == []
    # Policy config replaces the default namespace list.
    config = {"sandboxNamespaces": ["apps"]}
    assert len(sandbox_violations(inputs, config=config)) == 1
    inputs["metadata"]["namespace"] = "pod-sandboxing"
    assert sandbox_violations(inputs, config=config) == []


def test_stack_podnamespace_is_always_a_sandbox_namespace(dev_run: RunResult) -> None:
    inputs = pod_inputs(dev_run, "untrusted")
    inputs["spec"].pop("runtimeClassName")
    inputs["metadata"] = {"name": "job", "namespace": "team-sandbox"}
    assert sandbox_violations(inputs, "job") == []
    # What the CLI passes a policy pack: the stack's config (here: a moved pod namespace).
    pulumi.runtime.set_config(sp.STACK_NAMESPACE_KEY, "team-sandbox")
    found = sandbox_violations(inputs, "job")
    assert len(found) == 1 and "is in sandbox namespace 'team-sandbox'" in found[0]
    assert len(sandbox_violations(inputs, "job", {"sandboxNamespaces": ["other"]})) == 1


def test_tenant_namespaces_are_sandbox_namespaces_without_exemptions(dev_run: RunResult) -> None:
    inputs = pod_inputs(dev_run, "untrusted")
    inputs["spec"].pop("runtimeClassName")
    inputs["metadata"] = {"name": "trusted", "namespace": "team-a"}
    assert sandbox_violations(inputs, "trusted") == []  # no tenants in the stack
    pulumi.runtime.set_config(sp.STACK_TENANTS_KEY, json.dumps([{"name": "team-a"}]))
    found = sandbox_violations(inputs, "trusted")  # the trusted name exempts nothing here
    assert len(found) == 1 and "is in sandbox namespace 'team-a'" in found[0]
    inputs["spec"]["runtimeClassName"] = "kata-vm-isolation"
    assert sandbox_violations(inputs, "trusted") == []
    inputs["metadata"]["namespace"] = "apps"
    inputs["spec"].pop("runtimeClassName")
    assert sandbox_violations(inputs, "trusted") == []


def test_pod_without_namespace_is_in_its_providers_namespace(dev_run: RunResult) -> None:
    inputs = pod_inputs(dev_run, "untrusted")
    inputs["spec"].pop("runtimeClassName")
    inputs["metadata"] = {"name": "job"}
    assert sandbox_violations(inputs, "job", provider=provider_of(dev_run)) == []  # "default"
    props = engine_props({"namespace": "pod-sandboxing"})
    provider = PolicyProviderResource("pulumi:providers:kubernetes", props, "urn:p", "k8s")
    found = sandbox_violations(inputs, "job", provider=provider)
    assert len(found) == 1 and "is in sandbox namespace 'pod-sandboxing'" in found[0]


def test_trusted_pods_are_exempt_and_configurable(dev_run: RunResult) -> None:
    trusted = pod_inputs(dev_run, "trusted")
    assert "runtimeClassName" not in trusted["spec"]
    assert sandbox_violations(trusted, "trusted") == []
    found = sandbox_violations(trusted, "trusted", {"trustedPods": ["metrics"]})
    assert len(found) == 1 and "Only the trusted pods (metrics)" in found[0]


def test_kata_pods_outside_the_sandbox_and_other_resources_pass(dev_run: RunResult) -> None:
    inputs = pod_inputs(dev_run, "untrusted")
    inputs["metadata"] = {"name": "web", "namespace": "apps"}
    assert sandbox_violations(inputs, "web") == []
    namespace = dev_run.one("kubernetes:core/v1:Namespace")
    assert violations(sp.SANDBOX_PODS_USE_KATA, args_of(namespace, dev_run)) == []
