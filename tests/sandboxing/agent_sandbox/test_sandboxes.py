"""The sandbox namespace's objects: valid for the pinned CRDs, and the hardened Kata pod."""

from __future__ import annotations

import copy
import datetime
from typing import Any

import pytest
from crd_schema import schema_problems
from strict_schema import validate_strict

from sandboxing import workload
from sandboxing.agent_sandbox.sandboxes import (
    COLD_POOL,
    TEMPLATE,
    WARM_POOL,
    claim,
    egress_rules,
    sandbox_objects,
)
from sandboxing.agent_sandbox.vendored import versions
from sandboxing.config.contract import default_settings
from sandboxing.config.settings import Settings
from sandboxing.sizing import sandbox_sizing

SHUTDOWN = datetime.datetime(2026, 12, 4, 12, 0, tzinfo=datetime.UTC)


def settings(**fields: Any) -> Settings:
    return default_settings(agent_sandbox=True, **fields)


@pytest.fixture(scope="module")
def objects() -> Any:
    return sandbox_objects(settings(agent_sandbox_claim_groups=("devs",)))


@pytest.mark.parametrize("release", versions())
def test_template_pools_and_claim_are_valid_for_the_pinned_crds(objects: Any, release: str) -> None:
    custom = [
        objects.template,
        objects.warm_pool,
        objects.cold_pool,
        claim("session-1", "sandboxes", WARM_POOL, SHUTDOWN),
    ]
    for obj in custom:
        assert schema_problems(release, obj) == [], obj["kind"]
    # A Sandbox built from the template's blueprint, as the controller does, is valid too.
    sandbox = {
        "apiVersion": "agents.x-k8s.io/v1beta1",
        "kind": "Sandbox",
        "metadata": {"name": "s"},
        "spec": {"podTemplate": copy.deepcopy(objects.template["spec"]["podTemplate"])},
    }
    assert schema_problems(release, sandbox) == []


def test_the_crd_schemas_do_refuse(objects: Any) -> None:
    pool = copy.deepcopy(objects.warm_pool)
    pool["spec"]["updateStrategy"]["type"] = "Rolling"
    pool["spec"]["warmpoolRef"] = {"name": "x"}
    found = schema_problems("v0.5.6", pool)
    assert any(p.startswith("spec.updateStrategy.type: 'Rolling' is not one of") for p in found)
    assert any("'warmpoolRef' was unexpected" in p for p in found)
    old_style = claim("c", "sandboxes", WARM_POOL, SHUTDOWN)
    old_style["spec"] = {"sandboxTemplateRef": {"name": TEMPLATE}}  # the v1alpha1 shape
    assert any(
        "'warmPoolRef' is a required property" in p for p in schema_problems("v0.5.6", old_style)
    )


def test_the_template_is_the_projects_hardened_kata_pod(objects: Any) -> None:
    spec = objects.template["spec"]
    pod = spec["podTemplate"]["spec"]
    assert pod["runtimeClassName"] == "kata-vm-isolation"
    assert pod["tolerations"] == [
        {
            "key": "pod-sandboxing.aks.io/kata",
            "operator": "Equal",
            "value": "true",
            "effect": "NoSchedule",
        }
    ]
    assert pod["nodeSelector"] == {"kubernetes.azure.com/agentpool": "katapool"}
    assert pod["automountServiceAccountToken"] is False
    assert pod["securityContext"] == workload.pod_security_context()
    (container,) = pod["containers"]
    assert container["securityContext"] == workload.container_security_context()
    assert (
        container["resources"]["requests"]
        == container["resources"]["limits"]
        == {"cpu": "1", "memory": "1Gi"}
    )
    assert container["command"] == workload.POD_COMMAND  # prints its kernel for tools.verify
    assert workload.sandboxed_pod_violations(pod) == []
    # The node holds the VM's memory and the RuntimeClass overhead: what the capacity check uses.
    assert sandbox_sizing("1", "1Gi", "Standard_D4s_v3").host_memory_per_pod_mib == 1024 + 600
    assert spec["envVarsInjectionPolicy"] == spec["volumeClaimTemplatesPolicy"] == "Disallowed"
    pod_manifest = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": pod}
    validate_strict(pod_manifest, "1.33.0")


def test_no_ingress_and_only_the_declared_egress(objects: Any) -> None:
    policy = objects.template["spec"]["networkPolicy"]
    assert objects.template["spec"]["networkPolicyManagement"] == "Managed"
    assert policy["ingress"] == []
    (dns,) = policy["egress"]  # by default: the cluster DNS only
    assert [p["port"] for p in dns["ports"]] == [53, 53]
    wider = egress_rules(
        settings(
            agent_sandbox_egress_cidrs=("203.0.113.0/24",),
            agent_sandbox_egress_ports=("443", "8443/TCP"),
            agent_sandbox_allow_dns=False,
        )
    )
    assert wider == [
        {
            "to": [{"ipBlock": {"cidr": "203.0.113.0/24"}}],
            "ports": [{"protocol": "TCP", "port": 443}, {"protocol": "TCP", "port": 8443}],
        }
    ]
    assert egress_rules(settings(agent_sandbox_allow_dns=False)) == []  # deny all
    # "The internet" is allowed only around the fenced ranges (metadata, WireServer, cluster).
    (internet,) = egress_rules(
        settings(agent_sandbox_egress_cidrs=("0.0.0.0/0",), agent_sandbox_allow_dns=False)
    )
    (block,) = internet["to"]
    assert block["ipBlock"]["cidr"] == "0.0.0.0/0"
    assert {"169.254.0.0/16", "168.63.129.16/32"} <= set(block["ipBlock"]["except"])
    deny = objects.default_deny
    assert deny["spec"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
    assert deny["metadata"]["namespace"] == "sandboxes"


def test_the_pools_and_the_placement_follow_the_settings() -> None:
    one_pool = sandbox_objects(
        settings(kata_pool_placement="system", agent_sandbox_warm_pool_size=3)
    )
    pod = one_pool.template["spec"]["podTemplate"]["spec"]
    assert pod["nodeSelector"] == {"kubernetes.azure.com/agentpool": "system"}
    assert "tolerations" not in pod  # the one System pool has no Kata taint
    assert (one_pool.warm_pool["metadata"]["name"], one_pool.warm_pool["spec"]["replicas"]) == (
        WARM_POOL,
        3,
    )
    assert (one_pool.cold_pool["metadata"]["name"], one_pool.cold_pool["spec"]["replicas"]) == (
        COLD_POOL,
        0,
    )
    for pool in (one_pool.warm_pool, one_pool.cold_pool):
        assert pool["spec"]["sandboxTemplateRef"] == {"name": TEMPLATE}
        assert pool["spec"]["updateStrategy"] == {"type": "Recreate"}


def test_claimants_may_claim_and_nothing_else_unless_exec_is_allowed(objects: Any) -> None:
    assert objects.role["rules"] == [
        {
            "apiGroups": ["extensions.agents.x-k8s.io"],
            "verbs": ["get", "list", "watch", "create", "delete"],
            "resources": ["sandboxclaims"],
        }
    ]
    assert objects.role_binding["subjects"] == [
        {"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": "devs"}
    ]
    assert objects.role_binding["roleRef"]["name"] == objects.role["metadata"]["name"]
    reach = sandbox_objects(settings(agent_sandbox_claimant_exec=True)).role["rules"]
    assert {r for rule in reach for r in rule["resources"]} == {
        "sandboxclaims",
        "pods",
        "pods/log",
        "pods/exec",
        "pods/portforward",
    }
    assert sandbox_objects(settings()).role_binding is None  # no groups: admins only
    for obj in (objects.role, objects.role_binding, objects.namespace, objects.default_deny):
        validate_strict(obj, "1.33.0")


def test_the_namespace_carries_the_tenant_label_the_pod_policy_binds_to(objects: Any) -> None:
    labels = objects.namespace["metadata"]["labels"]
    assert labels["pod-sandboxing.aks.io/tenant"] == "sandboxes"
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"


def test_a_claim_as_a_user_writes_it() -> None:
    when = datetime.datetime(
        2026, 12, 4, 13, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
    )
    assert claim("session-1", "sandboxes", WARM_POOL, when)["spec"] == {
        "warmPoolRef": {"name": "kata-sandbox"},
        "lifecycle": {"shutdownTime": "2026-12-04T12:30:00Z", "shutdownPolicy": "Delete"},
    }


# --- The sandbox namespace is fenced like a tenant's ----------------------------------------


def test_the_namespace_has_a_tenants_fences_sized_by_the_most_sandboxes() -> None:
    objects = sandbox_objects(settings(agent_sandbox_max_sandboxes=4, agent_sandbox_cpu="500m"))
    kinds = [(m["kind"], m["metadata"]["name"]) for m in objects.fences]
    assert kinds == [
        ("LimitRange", "tenant-pod-size"),
        ("ResourceQuota", "tenant-quota"),
        ("ResourceQuota", "tenant-system-priority"),
    ]
    hard = objects.fences[1]["spec"]["hard"]
    # 4 sandboxes of 500m and 1Gi: the quota charges each its Kata overhead too.
    assert (hard["pods"], hard["requests.cpu"], hard["requests.memory"]) == (
        "4",
        "2000m",
        f"{4 * (1024 + 600)}Mi",
    )
    assert (hard["requests.storage"], hard["persistentvolumeclaims"]) == ("0", "0")
    annotations = objects.namespace["metadata"]["annotations"]
    assert set(annotations.values()) == {""}  # no CSI driver, storage or priority class


def test_a_pod_the_controller_makes_from_the_template_passes_the_tenants_pod_policy() -> None:
    from cel_policy import admit

    from sandboxing.tenants import admission as tenant_admission

    s = settings()
    objects = sandbox_objects(s)
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "kata-sandbox-x7k2p",
            "namespace": s.agent_sandbox_namespace,
            **copy.deepcopy(objects.template["spec"]["podTemplate"]["metadata"]),
        },
        "spec": copy.deepcopy(objects.template["spec"]["podTemplate"]["spec"]),
    }
    policy = tenant_admission.policy(s.effective_runtime_class, workload.kata_pool_name(s))
    assert admit(policy["spec"], pod, objects.namespace) == []
    # The fences do bite in this namespace: a CSI volume is for no driver here.
    pod["spec"]["volumes"] = [{"name": "x", "csi": {"driver": "file.csi.azure.com"}}]
    assert any(m.startswith("csi-drivers") for m in admit(policy["spec"], pod, objects.namespace))
