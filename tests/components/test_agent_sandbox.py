"""AgentSandboxController: each object of the release as its own resource, in a safe order."""

from __future__ import annotations

import pulumi
import pytest
from support import run_component

from components.agent_sandbox import CA_BUNDLE, AgentSandboxController, ControllerArgs
from sandboxing.agent_sandbox.controller import ControllerPlacement, controller_objects
from tools.harness import RunResult

CRD = "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
COMPONENT = "aks-pod-sandboxing:kubernetes:AgentSandboxController"


@pytest.fixture(scope="module")
def run() -> RunResult:
    def program() -> None:
        provider = pulumi.ProviderResource("kubernetes", "k8s", {"kubeconfig": "{}"})
        objects = tuple(controller_objects("v0.5.6", ControllerPlacement()))
        AgentSandboxController("agent-sandbox", ControllerArgs("v0.5.6", objects), provider)

    return run_component(program)


def test_every_object_of_the_release_is_a_resource_of_the_component(run: RunResult) -> None:
    component = run.one(COMPONENT)
    objects = [r for r in run.resources if r.custom and r.type.startswith("kubernetes:")]
    assert len(objects) == len(controller_objects("v0.5.6", ControllerPlacement())) == 15
    assert {r.parent for r in objects} == {component.urn}
    assert all(r.options["provider"].startswith("urn:pulumi:") for r in objects)
    binding = run.one(
        "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
        "agent-sandbox-clusterrolebinding-agent-sandbox-controller-extensions",
    )
    assert binding.inputs["roleRef"]["name"] == "agent-sandbox-controller-extensions"


def test_the_crds_leave_the_controllers_ca_bundle_alone(run: RunResult) -> None:
    crds = run.by_type(CRD)
    assert len(crds) == 4
    for crd in crds:
        assert crd.options["ignoreChanges"] == [CA_BUNDLE]
        webhook = crd.inputs["spec"]["conversion"]["webhook"]
        assert "caBundle" not in webhook["clientConfig"]  # the controller's to set
    others = [r for r in run.resources if r.custom and r.type != CRD]
    assert all(r.options["ignoreChanges"] == [] for r in others)


def test_the_controller_starts_after_its_crds_and_rbac(run: RunResult) -> None:
    deployment = run.one(DEPLOYMENT)
    others = {r.urn for r in run.resources if r.custom and r.type.startswith("kubernetes:")}
    assert set(deployment.dependencies) == others - {deployment.urn}
    namespace = run.one("kubernetes:core/v1:Namespace")
    for resource in run.resources:
        if resource.custom and resource.inputs.get("metadata", {}).get("namespace"):
            assert namespace.urn in resource.dependencies, resource.name
