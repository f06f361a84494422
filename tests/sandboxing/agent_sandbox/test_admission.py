"""The sandbox namespace's admission policies, evaluated with CEL as the API server would: the
project's template passes; a template or Sandbox that leaves the fences, and a claim without an
end, are refused, each with its rule's name."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from cel_policy import admit_request
from strict_schema import validate_strict

from sandboxing.agent_sandbox.admission import (
    CLAIMS_POLICY,
    POD_TEMPLATES_POLICY,
    claims_policy,
    pod_template_validations,
    pod_templates_policy,
    policies,
)
from sandboxing.agent_sandbox.sandboxes import WARM_POOL, template
from sandboxing.config.contract import default_settings
from sandboxing.tenants import admission as tenant_admission

TEMPLATES = pod_templates_policy("kata-vm-isolation", "katapool")["spec"]
CLAIMS = claims_policy(3600)["spec"]
CREATED = "2026-12-04T10:00:00Z"
Edit = Callable[[dict[str, Any]], None]


def project_template() -> dict[str, Any]:
    return template(default_settings(agent_sandbox=True))


def as_sandbox(tpl: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "agents.x-k8s.io/v1beta1",
        "kind": "Sandbox",
        "metadata": {"name": "kata-sandbox-x2b9k", "namespace": "sandboxes"},
        "spec": {"podTemplate": copy.deepcopy(tpl["spec"]["podTemplate"])},
    }


def pod(obj: dict[str, Any]) -> dict[str, Any]:
    return obj["spec"]["podTemplate"]["spec"]


def rules(messages: list[str] | None) -> list[str]:
    assert messages is not None, "the policy skipped the request"
    return [m.split(":")[0] for m in messages]


def test_the_projects_template_and_its_sandboxes_pass() -> None:
    tpl = project_template()
    assert admit_request(TEMPLATES, tpl) == []
    assert admit_request(TEMPLATES, as_sandbox(tpl)) == []


# Laid out by hand (fmt: skip): one case per line reads as a table; the formatter would spread
# most cases over several lines.
BAD: list[tuple[str, Edit, str]] = [
    ("runc", lambda o: pod(o).pop("runtimeClassName"), "kata-runtime-class"),
    ("other-class", lambda o: pod(o).update(runtimeClassName="runc"), "kata-runtime-class"),
    ("host-network", lambda o: pod(o).update(hostNetwork=True), "no-host-namespaces"),
    ("host-pid", lambda o: pod(o).update(hostPID=True), "no-host-namespaces"),
    ("privileged", lambda o: pod(o)["containers"][0]["securityContext"].update(privileged=True),
     "no-privileged"),
    ("host-path", lambda o: pod(o).update(volumes=[{"name": "h", "hostPath": {"path": "/"}}]),
     "no-host-path"),
    ("no-memory-limit", lambda o: pod(o)["containers"][0]["resources"].pop("limits"),
     "memory-limit"),
    ("other-pool", lambda o: pod(o).update(nodeSelector={"kubernetes.azure.com/agentpool": "x"}),
     "kata-pool"),
    ("no-pool", lambda o: pod(o).pop("nodeSelector"), "kata-pool"),
    ("token", lambda o: pod(o).update(automountServiceAccountToken=True),
     "no-token-automount"),
    ("token-default", lambda o: pod(o).pop("automountServiceAccountToken"),
     "no-token-automount"),
    ("kata-annotation", lambda o: o["spec"]["podTemplate"]["metadata"].update(annotations={
        "io.katacontainers.config.hypervisor.default_memory": "65536"}), "no-kata-annotations"),
    ("unmanaged-policy", lambda o: o["spec"].update(networkPolicyManagement="Unmanaged"),
     "network-policy-managed"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "edit", "rule"), BAD, ids=[c[0] for c in BAD])
def test_a_template_or_sandbox_leaving_the_fences_is_refused(
    case: str, edit: Edit, rule: str
) -> None:
    tpl = project_template()
    edit(tpl)
    assert rules(admit_request(TEMPLATES, tpl)) == [rule]
    if rule != "network-policy-managed":  # a template field
        assert rules(admit_request(TEMPLATES, as_sandbox(tpl))) == [rule]


def test_messages_say_where_the_fix_goes() -> None:
    tpl = project_template()
    pod(tpl).pop("runtimeClassName")
    (message,) = admit_request(TEMPLATES, tpl) or []
    assert "set spec.runtimeClassName: kata-vm-isolation" in message
    assert "under spec.podTemplate.spec" in message and "spec.template.spec" not in message


def test_every_fence_of_the_tenants_pod_policy_holds_here_too() -> None:
    ours = {v.rule for v in pod_template_validations("kata-vm-isolation", "katapool")}
    theirs = {v.rule for v in tenant_admission.validations("kata-vm-isolation", "katapool")}
    assert theirs and theirs <= ours
    for validation in pod_template_validations("kata-vm-isolation", "katapool"):
        assert "object.spec.containers" not in validation.expression


def test_updates_are_checked_only_when_they_change_what_the_rules_read() -> None:
    stored = as_sandbox(project_template())
    pod(stored).pop("automountServiceAccountToken")  # admitted under an older policy
    relabelled = copy.deepcopy(stored)
    relabelled["metadata"]["labels"] = {"agents.x-k8s.io/claim-uid": "u1"}  # an adoption
    assert admit_request(TEMPLATES, relabelled, stored, "UPDATE") is None
    changed = copy.deepcopy(stored)
    pod(changed)["hostIPC"] = True
    assert rules(admit_request(TEMPLATES, changed, stored, "UPDATE")) == [
        "no-host-namespaces",
        "no-token-automount",
    ]


def claim(shutdown: str | None, **spec: Any) -> dict[str, Any]:
    lifecycle = {"shutdownTime": shutdown, "shutdownPolicy": "Delete"} if shutdown else None
    body: dict[str, Any] = {"warmPoolRef": {"name": WARM_POOL}, **spec}
    if lifecycle:
        body["lifecycle"] = lifecycle
    return {
        "apiVersion": "extensions.agents.x-k8s.io/v1beta1",
        "kind": "SandboxClaim",
        "metadata": {"name": "s1", "namespace": "sandboxes", "creationTimestamp": CREATED},
        "spec": body,
    }


def test_a_claim_must_end_within_the_maximum_lifetime() -> None:
    assert admit_request(CLAIMS, claim("2026-12-04T11:00:00Z")) == []
    assert rules(admit_request(CLAIMS, claim("2026-12-04T11:00:01Z"))) == ["claim-lifetime"]
    assert rules(admit_request(CLAIMS, claim(None))) == ["claim-lifetime"]
    (message,) = admit_request(CLAIMS, claim(None)) or []
    assert "at most 3600 s after now" in message


def test_a_claim_may_not_configure_the_kata_vm() -> None:
    meta = {"annotations": {"io.katacontainers.config.runtime.disable_guest_seccomp": "true"}}
    found = admit_request(CLAIMS, claim("2026-12-04T10:30:00Z", additionalPodMetadata=meta))
    assert rules(found) == ["no-kata-annotations"]
    harmless = {"labels": {"session": "s1"}, "annotations": {"example.com/user": "ana"}}
    assert (
        admit_request(CLAIMS, claim("2026-12-04T10:30:00Z", additionalPodMetadata=harmless)) == []
    )


def test_a_stored_claim_is_not_rechecked_when_only_its_metadata_changes() -> None:
    stored = claim(None)  # e.g. admitted before the policy existed
    annotated = copy.deepcopy(stored)
    annotated["metadata"]["annotations"] = {"agents.x-k8s.io/sandbox-name": "kata-sandbox-x2b9k"}
    assert admit_request(CLAIMS, annotated, stored, "UPDATE") is None
    extended = claim("2026-12-05T10:00:00Z")
    assert rules(admit_request(CLAIMS, extended, claim("2026-12-04T10:30:00Z"), "UPDATE")) == [
        "claim-lifetime"
    ]


def test_both_policies_bind_to_the_sandbox_namespace_only_and_are_valid() -> None:
    pairs = policies("kata-vm-isolation", "katapool", 3600, "sandboxes")
    assert [p["metadata"]["name"] for p, _ in pairs] == [POD_TEMPLATES_POLICY, CLAIMS_POLICY]
    for policy, binding in pairs:
        assert binding["spec"]["policyName"] == policy["metadata"]["name"]
        assert binding["spec"]["matchResources"] == {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "sandboxes"}}
        }
        assert policy["spec"]["failurePolicy"] == "Fail"
        for obj in (policy, binding):
            validate_strict(obj, "1.33.0")
    resources = [r["resources"] for r in pairs[0][0]["spec"]["matchConstraints"]["resourceRules"]]
    assert resources == [["sandboxes"], ["sandboxtemplates"]]
