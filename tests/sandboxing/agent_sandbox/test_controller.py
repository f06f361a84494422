"""The agent-sandbox controller, hardened: resources, security context, probes, placement."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from strict_schema import validate_strict

from sandboxing import catalog, workload
from sandboxing.agent_sandbox.controller import (
    ControllerPlacement,
    controller_objects,
    harden_deployment,
)
from sandboxing.agent_sandbox.release import release_objects

KATA_LABELS = {
    "kubernetes.azure.com/kata-vm-isolation",
    "kubernetes.azure.com/kata-mshv-vm-isolation",
}


def of_kind(objects: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [o for o in objects if o["kind"] == kind]


@pytest.fixture(scope="module")
def hardened() -> list[dict[str, Any]]:
    return controller_objects("v0.5.6", ControllerPlacement())


def test_the_controller_gets_resources_a_security_context_and_probes(
    hardened: list[dict[str, Any]],
) -> None:
    (deployment,) = of_kind(hardened, "Deployment")
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["resources"] == {
        "requests": {"cpu": "100m", "memory": "128Mi"},
        "limits": {"memory": "512Mi"},
    }
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["capabilities"] == {"drop": ["ALL"]}
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "healthz"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "healthz"}
    # The webhook certificate goes to /tmp/k8s-webhook-server/...: writable despite the read-only
    # root; the release's optional config map stays mounted.
    assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]
    assert {"name": "tmp", "emptyDir": {}} in pod["volumes"]
    assert any(v.get("configMap", {}).get("name") == "agent-sandbox-config" for v in pod["volumes"])
    assert container["args"] == ["--leader-elect=true", "--extensions"]  # both controllers
    assert deployment["metadata"]["labels"]["app.kubernetes.io/version"] == "v0.5.6"
    assert container["image"] == "registry.k8s.io/agent-sandbox/agent-sandbox-controller:v0.5.6"


def test_it_stays_off_every_kata_node_taint_or_not(hardened: list[dict[str, Any]]) -> None:
    pod = of_kind(hardened, "Deployment")[0]["spec"]["template"]["spec"]
    terms = pod["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    (term,) = terms["nodeSelectorTerms"]
    assert {(e["key"], e["operator"]) for e in term["matchExpressions"]} == {
        (label, "DoesNotExist") for label in KATA_LABELS
    }
    assert "tolerations" not in pod  # and it tolerates no Kata taint either
    one_pool = controller_objects("v0.5.6", ControllerPlacement(avoid_kata_nodes=False))
    assert "affinity" not in of_kind(one_pool, "Deployment")[0]["spec"]["template"]["spec"]


def test_the_policy_pack_does_not_take_the_controller_for_a_sandbox_pod(
    hardened: list[dict[str, Any]],
) -> None:
    (deployment,) = of_kind(hardened, "Deployment")
    for metadata in (deployment["metadata"], deployment["spec"]["template"]["metadata"]):
        assert workload.APP_LABEL not in (metadata.get("labels") or {})


def test_its_namespace_enforces_restricted_and_both_are_valid(
    hardened: list[dict[str, Any]],
) -> None:
    (namespace,) = of_kind(hardened, "Namespace")
    assert namespace["metadata"]["name"] == catalog.AGENT_SANDBOX_SYSTEM_NAMESPACE
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    for obj in (namespace, of_kind(hardened, "Deployment")[0]):
        validate_strict(obj, "1.33.0")


def test_everything_else_is_applied_as_released(hardened: list[dict[str, Any]]) -> None:
    released = release_objects("v0.5.6")
    assert [(o["kind"], o["metadata"]["name"]) for o in hardened] == [
        (o["kind"], o["metadata"]["name"]) for o in released
    ]
    unchanged = [o for o in hardened if o["kind"] not in ("Namespace", "Deployment")]
    for obj in of_kind(unchanged, "CustomResourceDefinition"):
        assert obj["metadata"].pop("labels") == {"app.kubernetes.io/version": "v0.5.6"}
    assert unchanged == [o for o in released if o["kind"] not in ("Namespace", "Deployment")]
    assert len(of_kind(unchanged, "CustomResourceDefinition")) == 4


def test_a_release_without_the_extension_controllers_is_refused() -> None:
    (deployment,) = of_kind(release_objects("v0.5.6"), "Deployment")
    core_only = copy.deepcopy(deployment)
    core_only["spec"]["template"]["spec"]["containers"][0]["args"] = ["--leader-elect=true"]
    with pytest.raises(ValueError, match="lacks --extensions"):
        harden_deployment(core_only, "v0.5.6", ControllerPlacement())
    with pytest.raises(ValueError, match=re.escape("v9.9.9 is not vendored: v0.5.5, v0.5.6")):
        controller_objects("v9.9.9", ControllerPlacement())
