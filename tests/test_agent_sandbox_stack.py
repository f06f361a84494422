"""The agents stack (agentSandbox on) under the mock engine: what the layer creates, what it
waits for (the Kata pool only where it must), its manifests, its policies, and an upgrade."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from crd_schema import schema_problems
from policy_requests import engine_args, mandatory_violations, violations
from strict_schema import validate_strict
from support import shared_run

from policy import sandbox_policies as sp
from tools.harness import Registered, RunResult, run_program, stack_config
from tools.plan.build import build_plan, plan_stack
from tools.plan.diff import diff_plans
from tools.plan.manifests import apply_order
from tools.plan.text import render_text

CONTROLLER = "aks-pod-sandboxing:kubernetes:AgentSandboxController"
POOL = "aks-pod-sandboxing:kubernetes:SandboxPool"
TEMPLATE = "kubernetes:extensions.agents.x-k8s.io/v1beta1:SandboxTemplate"
WARM_POOL = "kubernetes:extensions.agents.x-k8s.io/v1beta1:SandboxWarmPool"
CRD = "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
KATA_POOL_TYPES = (
    "azure-native:containerservice:AgentPool",
    "pulumi-python:dynamic/aks-pod-sandboxing:ClusterReconcile",
    "pulumi-python:dynamic/aks-pod-sandboxing:RuntimeClassWait",
)


# The CRDs make a run of this stack ~8x a dev run: each mode runs once per worker, shared with
# the plan's tests of the same stack.
@pytest.fixture(scope="module")
def up_run() -> RunResult:
    result = shared_run(stack_config("agents"), stack="agents")
    assert result.error is None, result.error
    return result


@pytest.fixture(scope="module")
def preview_run() -> RunResult:
    result = shared_run(stack_config("agents"), stack="agents", preview=True)
    assert result.error is None, result.error
    return result


@pytest.fixture(params=["up", "preview"])
def run(request: pytest.FixtureRequest) -> RunResult:
    mode: RunResult = request.getfixturevalue(f"{request.param}_run")
    return mode


def layer(run: RunResult) -> list[Registered]:
    parents = {r.urn for r in run.resources if r.type in (CONTROLLER, POOL)}
    return [r for r in run.resources if r.parent in parents]


def test_the_layer_holds_the_controller_and_the_sandbox_namespace(run: RunResult) -> None:
    kinds = sorted(r.type.rsplit(":", 1)[-1] for r in layer(run))
    assert kinds.count("CustomResourceDefinition") == 4
    assert kinds.count("Deployment") == 1
    assert kinds.count("SandboxTemplate") == 1 and kinds.count("SandboxWarmPool") == 2
    assert kinds.count("ValidatingAdmissionPolicy") == 2
    # The tenants' pod policy is there, though the stack has no tenants: it fences the sandboxes.
    assert run.one(
        "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy",
        "tenant-admission-policy",
    )


def test_only_the_warm_pool_waits_for_the_kata_pool(run: RunResult) -> None:
    kata = {r.urn for r in run.resources if r.type in KATA_POOL_TYPES}
    assert len(kata) == 3
    waiting = {r.name for r in layer(run) if run.waits_for(r) & kata}
    assert waiting == {"sandboxes-warm-pool"}
    wait = run.one("pulumi-python:dynamic/aks-pod-sandboxing:RuntimeClassWait")
    assert wait.urn in run.one(WARM_POOL, "sandboxes-warm-pool").dependencies


def test_the_template_waits_for_the_crds_and_the_namespace_for_every_fence(run: RunResult) -> None:
    template = run.one(TEMPLATE)
    assert {r.urn for r in run.by_type(CRD)} <= set(template.dependencies)
    namespace = run.one("kubernetes:core/v1:Namespace", "sandboxes-namespace")
    bindings = {
        r.name for r in run.resources if r.type.endswith("ValidatingAdmissionPolicyBinding")
    }
    assert {run.by_urn(u).name for u in namespace.dependencies} >= bindings


def test_the_stack_output_tells_a_claimant_where_to_claim(run: RunResult) -> None:
    output = run.outputs["agentSandbox"].value
    assert output == {
        "version": "v0.5.6",
        "controllerImage": "registry.k8s.io/agent-sandbox/agent-sandbox-controller:v0.5.6",
        "namespace": "sandboxes",
        "template": "kata-sandbox",
        "warmPool": "kata-sandbox",
        "warmPoolSize": 2,
        "coldPool": "kata-sandbox-cold",
        "maxLifetimeSeconds": 3600,
        "sandboxesThatFit": 5,
    }


def test_every_object_is_valid_built_ins_by_the_openapi_customs_by_their_crd(
    up_run: RunResult,
) -> None:
    result = up_run
    objects = [manifest for resource, manifest in apply_order(result) if resource in layer(result)]
    assert len(objects) == len(layer(result))
    for obj in objects:
        if obj["apiVersion"].startswith(("agents.", "extensions.agents.")):
            assert schema_problems("v0.5.6", obj) == [], obj["kind"]
        elif obj["kind"] != "CustomResourceDefinition":  # CRDs: kubernetes-validate lacks them
            validate_strict(obj, "1.33.0")


def test_the_layer_passes_the_policy_pack_which_now_reads_templates(up_run: RunResult) -> None:
    assert mandatory_violations(up_run) == []
    template = copy.deepcopy(up_run.one(TEMPLATE).inputs)
    template["spec"]["podTemplate"]["spec"]["hostNetwork"] = True
    found = violations(sp.KATA_POD_HARDENING, engine_args(TEMPLATE, template, "t"))
    assert found == [
        "SandboxTemplate 'kata-sandbox' (pod template): hostNetwork is not allowed "
        "for a sandboxed pod"
    ]


def properties(plan: dict[str, Any], name: str) -> dict[str, Any]:
    (resource,) = [r for r in plan["resources"] if r["name"] == name]
    return dict(resource["properties"])


def test_the_plan_shows_the_release_and_an_upgrade_is_one_key_in_its_diff(
    up_run: RunResult,
) -> None:
    older = dict(stack_config("agents"), **{"aks-pod-sandboxing:agentSandboxVersion": "v0.5.5"})
    base = plan_stack(older, "agents")[1]
    head = build_plan(up_run, "agents")
    deployment = "agent-sandbox-deployment-agent-sandbox-controller"
    image = "spec.template.spec.containers[0].image"
    assert properties(head, deployment)[image].endswith("agent-sandbox-controller:v0.5.6")
    diff = diff_plans(base, head)
    assert diff["added"] == [] and diff["removed"] == []
    changed = {c["name"]: c for c in diff["changed"]}
    assert sorted(changed) == sorted(
        [deployment] + [r["name"] for r in head["resources"] if r["type"] == CRD]
    )
    assert {c["effect"] for c in changed.values()} == {"update"}  # nothing is replaced
    rows = {row["path"]: (row["old"], row["new"]) for row in changed[deployment]["properties"]}
    assert rows[image] == (
        "registry.k8s.io/agent-sandbox/agent-sandbox-controller:v0.5.5",
        "registry.k8s.io/agent-sandbox/agent-sandbox-controller:v0.5.6",
    )
    assert rows["metadata.labels.app.kubernetes.io/version"] == ("v0.5.5", "v0.5.6")
    assert {(o["path"], o["old"], o["new"]) for o in diff["outputs"]} >= {
        ("agentSandbox.version", "v0.5.5", "v0.5.6")
    }


def test_the_text_plan_names_the_version(up_run: RunResult) -> None:
    out = render_text(build_plan(up_run, "agents"))
    assert "agentSandbox.version: v0.5.6" in out
    assert "registry.k8s.io/agent-sandbox/agent-sandbox-controller:v0.5.6" in out


def test_bad_agent_sandbox_keys_stop_the_program_before_anything_is_sent() -> None:
    config = dict(
        stack_config("agents"),
        **{
            "aks-pod-sandboxing:agentSandboxWarmPoolSize": "9",
            "aks-pod-sandboxing:agentSandboxNamespace": "pod-sandboxing",
            "aks-pod-sandboxing:agentSandboxClaimGroups": '["system:authenticated"]',
        },
    )
    result = run_program(config, stack="agents")
    assert result.resources == []
    assert {p.key for p in result.problems} == {
        "agentSandboxWarmPoolSize",
        "agentSandboxNamespace",
        "agentSandboxClaimGroups",
    }
    assert result.error is not None and "3 configuration problem(s); nothing was deployed" in (
        result.error
    )


def test_the_capacity_plan_holds_the_warm_pool_back(up_run: RunResult) -> None:
    pool = up_run.outputs["sandboxSizing"].value["kataPool"]
    assert pool["reservedPods"] == 2  # Pulumi.agents.yaml: two warm sandboxes of the demo's size
    assert pool["sandboxPodsAtMax"] == pool["maxNodes"] * 3 - pool["demoPods"] - 2
