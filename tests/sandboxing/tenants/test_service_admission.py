"""The tenant Service policy's CEL, evaluated on good and bad Services with cel-python.

Services reach the policy after the API server's defaulting (`type` ClusterIP when unset), but a
Service without `type` is tried too. Not checked here, as for the pod policy: the API server's
type check against the Service schema and the cost limits (tests/cel_policy.py).
"""

from __future__ import annotations

import copy
from typing import Any

import cel_policy
import pytest
from strict_schema import validate_strict

from sandboxing import catalog
from sandboxing.tenants.admission import binding
from sandboxing.tenants.admission import policy as pod_policy
from sandboxing.tenants.service_admission import POLICY, VALIDATIONS, policy


def admit(service: dict[str, Any]) -> list[str]:
    return cel_policy.admit(policy()["spec"], service)


def rules_failed(service: dict[str, Any]) -> list[str]:
    return [message.split(":", 1)[0] for message in admit(service)]


def service(**spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": "team-a"},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}], **spec},
    }


@pytest.mark.parametrize(
    "spec",
    [
        {},
        {"type": "ClusterIP"},
        {"type": "ClusterIP", "clusterIP": "None"},
        {"clusterIP": "None"},
        {"externalIPs": []},
    ],
    ids=["no-type", "cluster-ip", "headless", "headless-no-type", "empty-external-ips"],
)
def test_cluster_ip_and_headless_services_are_admitted(spec: dict[str, Any]) -> None:
    assert admit(service(**spec)) == []


def test_external_ips_are_refused_with_the_fix() -> None:
    refused = service(type="ClusterIP", externalIPs=["10.0.0.10", "8.8.8.8"])
    assert admit(refused) == [
        "no-external-ips: Services in a tenant namespace may not set spec.externalIPs (they "
        "would capture traffic to those addresses cluster-wide, CVE-2020-8554): remove "
        "spec.externalIPs from the Service"
    ]


@pytest.mark.parametrize("service_type", ["LoadBalancer", "NodePort"])
def test_load_balancer_and_node_port_services_are_refused_by_type(service_type: str) -> None:
    assert admit(service(type=service_type)) == [
        f"cluster-ip-only: Services of type {service_type} are not allowed in a tenant namespace "
        "(they expose its pods outside the cluster): set spec.type: ClusterIP (the default) or "
        "make it headless (clusterIP: None)"
    ]


def test_every_broken_rule_is_reported() -> None:
    both = service(type="LoadBalancer", externalIPs=["203.0.113.7"])
    assert rules_failed(both) == [v.rule for v in VALIDATIONS]


def test_an_update_that_adds_a_refused_field_is_refused_too() -> None:
    # On UPDATE `object` is the new Service: the policy checks it like a new one.
    updated = copy.deepcopy(service(type="ClusterIP"))
    updated["spec"]["type"] = "NodePort"
    assert rules_failed(updated) == ["cluster-ip-only"]


def test_each_message_names_its_rule_and_stays_short() -> None:
    for validation in VALIDATIONS:
        assert validation.message.startswith(f"{validation.rule}: ")
        assert len(validation.message) < 300


def test_the_policy_matches_service_writes_and_binds_tenant_namespaces() -> None:
    manifest = policy()
    (rule,) = manifest["spec"]["matchConstraints"]["resourceRules"]
    assert rule == {
        "apiGroups": [""],
        "apiVersions": ["v1"],
        "operations": ["CREATE", "UPDATE"],
        "resources": ["services"],
    }
    assert manifest["spec"]["failurePolicy"] == "Fail"
    bound = binding(POLICY)
    assert bound["metadata"]["name"] == bound["spec"]["policyName"] == POLICY
    assert bound["spec"]["validationActions"] == ["Deny"]
    # The same tenant namespaces as the pod policy's binding.
    assert bound["spec"]["matchResources"] == binding()["spec"]["matchResources"]
    assert bound["spec"]["matchResources"]["namespaceSelector"]["matchExpressions"] == [
        {"key": catalog.TENANT_LABEL, "operator": "Exists"}
    ]
    assert pod_policy("kata-vm-isolation", "katapool")["metadata"]["name"] != POLICY


def test_the_policy_and_its_binding_are_valid_in_strict_mode() -> None:
    minimum = catalog.version_text(catalog.ADMISSION_POLICY_MIN_KUBERNETES)
    for manifest in (policy(), binding(POLICY)):
        for version in (f"{minimum}.0", "1.33.0"):
            validate_strict(manifest, version)
