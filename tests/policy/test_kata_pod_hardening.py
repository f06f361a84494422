"""kata-pod-hardening: sandboxed pods (and workload pod templates) keep the VM boundary intact."""

from __future__ import annotations

from typing import Any

import pytest
from policy_requests import POD, engine_args, pod_inputs, violations

from policy import sandbox_policies as sp
from sandboxing import catalog, workload
from tools.harness import RunResult


def test_sandboxed_pod_with_host_features_and_tiny_memory_is_refused(dev_run: RunResult) -> None:
    inputs = pod_inputs(dev_run, "untrusted")
    spec = inputs["spec"]
    spec.update(hostNetwork=True, hostPID=True, hostIPC=True)
    spec["volumes"] = [{"name": "node-root", "hostPath": {"path": "/"}}]
    container = spec["containers"][0]
    container["securityContext"]["privileged"] = True
    container["resources"]["limits"]["memory"] = "64Mi"
    found = violations(sp.KATA_POD_HARDENING, engine_args(POD, inputs, "untrusted"))
    assert found == [
        "Pod 'untrusted': hostNetwork is not allowed for a sandboxed pod",
        "Pod 'untrusted': hostPID is not allowed for a sandboxed pod",
        "Pod 'untrusted': hostIPC is not allowed for a sandboxed pod",
        "Pod 'untrusted': volume 'node-root' uses hostPath, which weakens isolation",
        "Pod 'untrusted': container 'untrusted' is privileged",
        "Pod 'untrusted': container 'untrusted' needs a memory limit of at least 128Mi "
        "(got '64Mi')",
    ]


def test_hardening_messages_are_the_programs_own(dev_run: RunResult) -> None:
    inputs = pod_inputs(dev_run, "untrusted")
    del inputs["spec"]["containers"][0]["resources"]["limits"]["memory"]
    expected = workload.sandboxed_pod_violations(inputs["spec"])
    assert len(expected) == 1
    found = violations(sp.KATA_POD_HARDENING, engine_args(POD, inputs, "untrusted"))
    assert found == [f"Pod 'untrusted': {expected[0]}"]


def test_preview_era_class_is_hardened_too_and_shared_kernel_pods_are_not(
    dev_run: RunResult,
) -> None:
    preview_pod = pod_inputs(dev_run, "untrusted")
    preview_pod["spec"]["runtimeClassName"] = catalog.KATA_PREVIEW.runtime_class
    preview_pod["spec"]["hostNetwork"] = True
    assert violations(sp.KATA_POD_HARDENING, engine_args(POD, preview_pod, "untrusted")) == [
        "Pod 'untrusted': hostNetwork is not allowed for a sandboxed pod"
    ]
    trusted = pod_inputs(dev_run, "trusted")
    trusted["spec"]["hostNetwork"] = True
    assert violations(sp.KATA_POD_HARDENING, engine_args(POD, trusted, "trusted")) == []


@pytest.mark.parametrize(
    ("type_", "wrap"),
    [
        ("kubernetes:apps/v1:Deployment", lambda pod: {"spec": {"template": pod}}),
        ("kubernetes:batch/v1:Job", lambda pod: {"spec": {"template": pod}}),
        (
            "kubernetes:batch/v1:CronJob",
            lambda pod: {"spec": {"jobTemplate": {"spec": {"template": pod}}}},
        ),
    ],
)
def test_pod_templates_of_workloads_are_checked(type_: str, wrap: Any, dev_run: RunResult) -> None:
    pod = pod_inputs(dev_run, "untrusted")
    pod["spec"]["containers"][0]["securityContext"]["privileged"] = True
    template = {"metadata": {"labels": pod["metadata"]["labels"]}, "spec": pod["spec"]}
    inputs = {"metadata": {"name": "web", "namespace": "apps"}, **wrap(template)}
    kind = type_.rsplit(":", 1)[-1]
    assert violations(sp.KATA_POD_HARDENING, engine_args(type_, inputs, "web")) == [
        f"{kind} 'web' (pod template): container 'untrusted' is privileged"
    ]
