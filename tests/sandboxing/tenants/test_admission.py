"""The tenant admission policy's CEL, evaluated on good and bad pods with cel-python (celpy).

tests/cel_policy.py evaluates it and stands in for the Kubernetes CEL libraries celpy lacks
(`quantity()`/`isLessThan`, the strings extension's `join`). Not checked here: the API server's
type check of the expressions against the Pod schema, the cost limits, and that mutating
admission (the LimitRange's defaults) runs before this policy; kubernetes-validate checks the
policy object's own shape (tests/components/test_sandbox_tenant.py).
"""

from __future__ import annotations

import copy
from typing import Any

import cel_policy
import pytest

from sandboxing.tenants.admission import VARIABLES, binding, policy, validations
from sandboxing.tenants.fields import Tenant
from sandboxing.tenants.manifests import namespace

KATA = "kata-vm-isolation"
POOL = "katapool"
# The tenant's namespace as the program makes it: its annotations are the policy's parameters.
NAMESPACE = namespace(Tenant("team-a"))


def admit(pod: dict[str, Any], operation: str = "CREATE") -> list[str]:
    """The messages of every validation the pod fails, as the API server would list them."""
    return cel_policy.admit(policy(KATA, POOL)["spec"], pod, NAMESPACE, operation)


def good_pod() -> dict[str, Any]:
    container = {
        "name": "app",
        "image": "registry.example/app:1",
        "resources": {"limits": {"cpu": "500m", "memory": "1Gi"}},
    }
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "namespace": "team-a"},
        "spec": {
            "runtimeClassName": KATA,
            "containers": [container],
            "nodeSelector": {"kubernetes.azure.com/agentpool": POOL},
        },
    }


def with_spec(**changes: Any) -> dict[str, Any]:
    pod = copy.deepcopy(good_pod())
    pod["spec"].update(changes)
    return pod


def rules_failed(pod: dict[str, Any]) -> list[str]:
    return [message.split(":", 1)[0] for message in admit(pod)]


def test_a_kata_pod_with_a_memory_limit_is_admitted() -> None:
    assert admit(good_pod()) == []
    init = {"name": "init", "image": "i", "resources": {"limits": {"memory": "128Mi"}}}
    scratch = {"name": "t", "emptyDir": {"sizeLimit": "1Gi"}}
    assert admit(with_spec(initContainers=[init], volumes=[scratch])) == []


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"runtimeClassName": None}, "kata-runtime-class"),
        ({"runtimeClassName": "runc"}, "kata-runtime-class"),
        ({"runtimeClassName": "kata-mshv-vm-isolation"}, "kata-runtime-class"),
        ({"hostNetwork": True}, "no-host-namespaces"),
        ({"hostPID": True}, "no-host-namespaces"),
        ({"hostIPC": True}, "no-host-namespaces"),
        ({"volumes": [{"name": "root", "hostPath": {"path": "/"}}]}, "no-host-path"),
    ],
)
def test_each_pod_level_rule_refuses_its_pod(changes: dict[str, Any], rule: str) -> None:
    pod = with_spec(**changes)
    pod["spec"] = {k: v for k, v in pod["spec"].items() if v is not None}
    assert rules_failed(pod) == [rule]


def test_host_fields_set_to_false_are_fine() -> None:
    assert admit(with_spec(hostNetwork=False, hostPID=False, hostIPC=False)) == []


@pytest.mark.parametrize("kind", ["containers", "initContainers", "ephemeralContainers"])
def test_a_privileged_container_of_any_kind_is_refused_by_name(kind: str) -> None:
    pod = good_pod()
    rogue = {
        "name": "rogue",
        "image": "x",
        "securityContext": {"privileged": True},
        "resources": {"limits": {"memory": "256Mi"}},
    }
    pod["spec"].setdefault(kind, []).append(rogue)
    assert admit(pod) == [
        "no-privileged: privileged containers are not allowed in a tenant namespace: remove "
        "securityContext.privileged from rogue"
    ]


@pytest.mark.parametrize(
    ("limits", "refused"),
    [
        ({"memory": "127Mi"}, True),
        ({"memory": "128Mi"}, False),
        ({"memory": "134217728"}, False),
        ({"memory": "134217727"}, True),
        ({"memory": "0.125Gi"}, False),
        ({"cpu": "1"}, True),
        (None, True),
    ],
)
def test_every_container_needs_a_memory_limit_of_128mi(limits: Any, refused: bool) -> None:
    pod = good_pod()
    sidecar: dict[str, Any] = {"name": "sidecar", "image": "s"}
    if limits is not None:
        sidecar["resources"] = {"limits": limits}
    pod["spec"]["initContainers"] = [sidecar]
    expected = (
        [
            "memory-limit: set resources.limits.memory to at least 128Mi (the memory of the "
            "Kata VM) on sidecar"
        ]
        if refused
        else []
    )
    assert admit(pod) == expected


def test_ephemeral_containers_need_no_memory_limit() -> None:
    # The API refuses resources on ephemeral containers; they share the pod's VM.
    debug = {"name": "debug", "image": "busybox"}
    assert admit(with_spec(ephemeralContainers=[debug])) == []


def test_every_broken_rule_is_reported() -> None:
    token = {"serviceAccountToken": {"path": "token"}}
    pod = with_spec(
        runtimeClassName="runc",
        hostNetwork=True,
        nodeName="aks-system-0",
        nodeSelector={},
        priorityClassName="system-node-critical",
        volumes=[
            {"name": "h", "hostPath": {"path": "/var"}},
            {"name": "n", "nfs": {"server": "10.1.1.1", "path": "/"}},
            {"name": "e", "emptyDir": {}},
            {"name": "t", "projected": {"sources": [token]}},
            {"name": "c", "csi": {"driver": "file.csi.azure.com"}},
            {
                "name": "p",
                "ephemeral": {
                    "volumeClaimTemplate": {"spec": {"storageClassName": "managed-csi-premium"}}
                },
            },
        ],
    )
    pod["spec"]["containers"][0]["securityContext"] = {"privileged": True}
    del pod["spec"]["containers"][0]["resources"]
    assert rules_failed(pod) == [v.rule for v in validations(KATA, POOL)]


def test_messages_say_how_to_fix_the_manifest() -> None:
    (message,) = admit(with_spec(runtimeClassName="runc"))
    assert "set spec.runtimeClassName: kata-vm-isolation" in message
    assert "under spec.template.spec" in message
    for validation in validations(KATA, POOL):
        assert validation.message.startswith(f"{validation.rule}: ")
        assert len(validation.message) < 300


def test_the_policy_matches_pods_and_debug_containers_and_binds_tenant_namespaces() -> None:
    rule = policy(KATA, POOL)["spec"]["matchConstraints"]["resourceRules"][0]
    assert rule["resources"] == ["pods", "pods/ephemeralcontainers"]
    assert rule["operations"] == ["CREATE", "UPDATE"]
    spec = binding()["spec"]
    assert spec["policyName"] == policy(KATA, POOL)["metadata"]["name"]
    assert spec["validationActions"] == ["Deny"]
    assert spec["matchResources"]["namespaceSelector"]["matchExpressions"] == [
        {"key": "pod-sandboxing.aks.io/tenant", "operator": "Exists"}
    ]
    assert list(VARIABLES) == [v["name"] for v in policy(KATA, POOL)["spec"]["variables"]]
