"""The tenants stack under the mock engine: every tenant object, its parent, what it waits for,
and the manifests, valid in strict mode for the cluster's Kubernetes minor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from strict_schema import ValidationError, validate_strict
from support import load_yaml, shared_run

from sandboxing import catalog
from sandboxing.config.stack_config import check_stack_config
from sandboxing.fences import secret_admission, storage_admission
from sandboxing.tenants import admission as tenant_admission
from sandboxing.tenants import manifests as tenant_manifests
from sandboxing.tenants import service_admission as tenant_service_admission
from tools.harness import Registered, RunResult, stack_config
from tools.plan.manifests import write_manifests

NAMESPACE = "kubernetes:core/v1:Namespace"
TENANT = "aks-pod-sandboxing:kubernetes:SandboxTenant"
POLICY = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy"
BINDING = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding"
ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding"
# Pulumi names of the admission objects: the pod policy's, then the Service, claim and Secret
# policies'.
ADMISSION = (
    "tenant-admission",
    "tenant-admission-services",
    "tenant-admission-storage",
    "tenant-admission-secrets",
)
KATA_POOL = "katapool"  # the tenants stack's kataNodePoolName (the default)
# What the Kata pool's creation consists of: nothing of the tenant layer may wait for these.
KATA_POOL_TYPES = (
    "azure-native:containerservice:AgentPool",
    "pulumi-python:dynamic/aks-pod-sandboxing:ClusterReconcile",
    "pulumi-python:dynamic/aks-pod-sandboxing:RuntimeClassWait",
)
PER_TENANT = {
    "team-a": [
        "LimitRange",
        "Namespace",
        "NetworkPolicy",
        "NetworkPolicy",
        "ResourceQuota",
        "ResourceQuota",
        "Role",
        "RoleBinding",
    ],
    # dns none and no CIDRs: default-deny alone, no egress policy.
    "ci-jobs": [
        "LimitRange",
        "Namespace",
        "NetworkPolicy",
        "ResourceQuota",
        "ResourceQuota",
        "Role",
        "RoleBinding",
    ],
}


@pytest.fixture(scope="module", params=[False, True], ids=["up", "preview"])
def run(request: pytest.FixtureRequest) -> RunResult:
    result = shared_run(stack_config("tenants"), stack="tenants", preview=request.param)
    assert result.error is None, result.error
    return result


def children(run: RunResult, parent: Registered) -> list[Registered]:
    return [r for r in run.resources if r.parent == parent.urn]


def test_each_tenant_component_holds_its_objects(run: RunResult) -> None:
    components = {r.name.removeprefix("tenant-"): r for r in run.by_type(TENANT)}
    assert sorted(components) == sorted(PER_TENANT)
    for name, kinds in PER_TENANT.items():
        objects = children(run, components[name])
        assert sorted(r.type.rsplit(":", 1)[-1] for r in objects) == kinds
        assert {r.inputs["metadata"].get("namespace", name) for r in objects} == {name}


def test_namespaces_carry_psa_restricted_and_the_tenant_label(run: RunResult) -> None:
    for name in PER_TENANT:
        labels = run.one(NAMESPACE, f"tenant-{name}-namespace").inputs["metadata"]["labels"]
        assert labels["pod-sandboxing.aks.io/tenant"] == name
        assert labels["app.kubernetes.io/part-of"] == "aks-pod-sandboxing"
        for mode in ("enforce", "audit", "warn"):
            assert labels[f"pod-security.kubernetes.io/{mode}"] == "restricted"


def test_nothing_of_the_tenant_layer_waits_for_the_kata_pool(run: RunResult) -> None:
    kata = {r.urn for r in run.resources if r.type in KATA_POOL_TYPES}
    assert len(kata) == 3
    tenant_layer = [r for r in run.resources if r.type in (POLICY, BINDING)]
    for component in run.by_type(TENANT):
        tenant_layer += children(run, component)
    policies_and_bindings = 2 * len(ADMISSION)
    assert len(tenant_layer) == policies_and_bindings + sum(len(k) for k in PER_TENANT.values())
    for resource in tenant_layer:
        assert run.waits_for(resource) & kata == set(), resource.name


def test_no_tenant_namespace_before_its_admission_policies_are_bound(run: RunResult) -> None:
    bindings = [run.one(BINDING, f"{prefix}-binding") for prefix in ADMISSION]
    for prefix, binding in zip(ADMISSION, bindings, strict=True):
        assert run.one(POLICY, f"{prefix}-policy").urn in binding.dependencies
    for name in PER_TENANT:
        namespace = run.one(NAMESPACE, f"tenant-{name}-namespace")
        assert {b.urn for b in bindings} <= set(namespace.dependencies)
        for resource in children(run, run.one(TENANT, f"tenant-{name}")):
            if resource is not namespace:
                assert namespace.urn in run.waits_for(resource), resource.name


def test_nobody_may_deploy_before_the_tenant_is_fenced_in(run: RunResult) -> None:
    # On the first `up` the RoleBinding is what lets deployers in: it comes after the network
    # policies, the quota, the limit range, the Role and the admission policies' bindings.
    bindings = {run.one(BINDING, f"{prefix}-binding").urn for prefix in ADMISSION}
    for name, kinds in PER_TENANT.items():
        objects = children(run, run.one(TENANT, f"tenant-{name}"))
        role_binding = run.one(ROLE_BINDING, f"tenant-{name}-rolebinding")
        fences = {r.urn for r in objects if r is not role_binding}
        assert len(fences) == len(kinds) - 1
        assert fences | bindings <= set(role_binding.dependencies), name


def test_the_policies_are_the_builders_and_name_the_stacks_kata_class(run: RunResult) -> None:
    spec = run.one(POLICY, "tenant-admission-policy").inputs["spec"]
    assert spec["validations"][0]["expression"].endswith("== 'kata-vm-isolation'")
    assert spec == tenant_admission.policy("kata-vm-isolation", KATA_POOL)["spec"]
    assert f"['kubernetes.azure.com/agentpool'] == '{KATA_POOL}'" in str(spec["validations"])
    services = run.one(POLICY, "tenant-admission-services-policy").inputs
    assert services["spec"] == tenant_service_admission.policy()["spec"]
    bound = tenant_admission.binding(tenant_service_admission.POLICY)
    assert run.one(BINDING, "tenant-admission-services-binding").inputs["spec"] == bound["spec"]
    for prefix, module in (("storage", storage_admission), ("secrets", secret_admission)):
        policy = run.one(POLICY, f"tenant-admission-{prefix}-policy").inputs
        assert policy["spec"] == module.policy()["spec"]
        binding = run.one(BINDING, f"tenant-admission-{prefix}-binding").inputs
        assert binding["spec"] == tenant_admission.binding(module.POLICY)["spec"]


def test_outputs_list_the_tenant_namespaces(run: RunResult) -> None:
    if run.outputs["tenantNamespaces"].known:
        assert run.outputs["tenantNamespaces"].value == ["team-a", "ci-jobs"]


def test_a_stack_without_tenants_has_no_tenant_layer() -> None:
    result = shared_run(stack_config("dev"))
    assert result.by_type(TENANT) == [] and result.by_type(POLICY) == []
    assert "tenantNamespaces" not in result.outputs


def _load(directory: Path) -> list[dict[str, Any]]:
    return [load_yaml(p.read_text()) for p in sorted(directory.glob("*.yaml"))]


def test_every_manifest_is_valid_in_strict_mode_and_is_what_the_builders_make(
    tmp_path: Path,
) -> None:
    result = shared_run(stack_config("tenants"), stack="tenants")
    write_manifests(result, tmp_path, "tenants")
    objects = _load(tmp_path)
    kinds = {o["kind"] for o in objects}
    assert {
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "LimitRange",
        "ResourceQuota",
        "Role",
        "RoleBinding",
    } <= kinds
    for obj in objects:  # the tenants stack pins kubernetesVersion 1.36
        validate_strict(obj, "1.36.0")
    settings, problems = check_stack_config(stack_config("tenants"))
    assert [p for p in problems if p.severity == "error"] == []
    expected = [m for t in settings.tenants for m in tenant_manifests.manifests(t, settings)]
    expected += [
        tenant_admission.policy("kata-vm-isolation", KATA_POOL),
        tenant_admission.binding(),
        tenant_service_admission.policy(),
        tenant_admission.binding(tenant_service_admission.POLICY),
    ]
    for module in (storage_admission, secret_admission):
        expected += [module.policy(), tenant_admission.binding(module.POLICY)]

    def key(o: dict[str, Any]) -> tuple[str, str, str]:
        return o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"]

    written = {key(o): o for o in objects}
    for manifest in expected:
        assert written[key(manifest)] == manifest, key(manifest)


def test_the_quota_allows_no_load_balancer_or_node_port_service(tmp_path: Path) -> None:
    result = shared_run(stack_config("tenants"), stack="tenants")
    write_manifests(result, tmp_path, "tenants")
    quotas = [
        o
        for o in _load(tmp_path)
        if o["kind"] == "ResourceQuota" and o["metadata"]["name"] == tenant_manifests.RESOURCE_QUOTA
    ]
    assert len(quotas) == len(PER_TENANT)
    for quota in quotas:
        validate_strict(quota, "1.36.0")
        hard = quota["spec"]["hard"]
        assert (hard["services.loadbalancers"], hard["services.nodeports"]) == ("0", "0")


def test_strict_validation_catches_a_misspelt_policy_field() -> None:
    policy = tenant_admission.policy("kata-vm-isolation", KATA_POOL)
    policy["spec"]["validations"][0]["messageExpresion"] = "'x'"
    with pytest.raises(ValidationError):
        validate_strict(policy, "1.33.0")


def test_with_kata_on_the_system_pool_the_policy_pins_pods_to_it() -> None:
    config = dict(stack_config("tenants"), **{"aks-pod-sandboxing:kataPoolPlacement": "system"})
    result = shared_run(config, stack="tenants")
    assert result.error is None, result.error
    spec = result.one(POLICY, "tenant-admission-policy").inputs["spec"]
    assert spec == tenant_admission.policy("kata-vm-isolation", "system")["spec"]


def test_the_cluster_gets_the_ranges_the_egress_fences_leave_out(run: RunResult) -> None:
    # The program sets no ranges; the SDK sends ARM's defaults, which the catalog records.
    network = run.one("azure-native:containerservice:ManagedCluster").inputs["networkProfile"]
    assert (network["podCidr"], network["serviceCidr"]) == (
        catalog.AKS_POD_CIDR,
        catalog.AKS_SERVICE_CIDR,
    )
