"""`tools.verify --tenant`: every running pod of a tenant namespace in a Kata VM on a Kata node,
read from the stand-in API server (the real client, TLS, a bearer token)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from kube_standin import StandIn
from verify_cluster import (
    CLASS,
    KATA_NODE,
    SYSTEM_NODE,
    pod_json,
    run_verify,
)

TENANT = "team-a"


def tenant_pod(
    name: str, runtime_class: str | None, node: str | None, phase: str = "Running"
) -> dict[str, Any]:
    manifest = pod_json(name, runtime_class, node, phase)
    manifest["metadata"]["namespace"] = TENANT
    return manifest


@pytest.fixture(autouse=True)
def tenant_pods(api: StandIn) -> None:
    """Beside the demo pair (another namespace) of the shared `api` fixture."""
    api.cluster.pods[(TENANT, "web")] = tenant_pod("web", CLASS, KATA_NODE)
    api.cluster.pods[(TENANT, "job")] = tenant_pod("job", CLASS, None, phase="Pending")


def check(capsys: pytest.CaptureFixture[str], kubeconfig: str, *extra: str) -> tuple[int, str]:
    code, out, _ = run_verify(capsys, "--kubeconfig", kubeconfig, "--tenant", TENANT, *extra)
    return code, out


def test_running_kata_pods_on_kata_nodes_pass(
    capsys: pytest.CaptureFixture[str], kubeconfig: str
) -> None:
    code, out = check(capsys, kubeconfig)
    assert code == 0, out
    assert f"PASS    pod web: Kata VM on Kata node {KATA_NODE}" in out
    assert "SKIP    pod job: Pending, not running" in out
    assert "untrusted" not in out and "trusted" not in out  # other namespaces are not read


def test_a_pod_on_the_shared_kernel_fails(
    api: StandIn, capsys: pytest.CaptureFixture[str], kubeconfig: str
) -> None:
    api.cluster.pods[(TENANT, "rogue")] = tenant_pod("rogue", None, SYSTEM_NODE)
    code, out = check(capsys, kubeconfig)
    assert code == 1
    assert f"FAIL    pod rogue: runtimeClassName is not set, not {CLASS}" in out


def test_a_kata_class_pod_on_a_node_without_the_kata_label_fails(
    api: StandIn, capsys: pytest.CaptureFixture[str], kubeconfig: str
) -> None:
    api.cluster.pods[(TENANT, "odd")] = tenant_pod("odd", CLASS, SYSTEM_NODE)
    code, out = check(capsys, kubeconfig, "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["exitCode"] == 1 and report["isolated"] is False
    odd = next(p for p in report["pods"] if p["name"] == "odd")
    assert odd["kata_node"] is False and odd["runtime_class"] == CLASS
    assert "has no kubernetes.azure.com/kata-vm-isolation=true label" in odd["problem"]


def test_no_running_pod_cannot_tell(
    api: StandIn, capsys: pytest.CaptureFixture[str], kubeconfig: str
) -> None:
    del api.cluster.pods[(TENANT, "web")]
    code, out = check(capsys, kubeconfig)
    assert code == 2 and f"CANNOT TELL: no running pod in {TENANT}" in out
