"""The whole program with the dev stack, as the engine would receive it."""

from __future__ import annotations

import base64

import yaml
from support import dev_config, run_dev

from components.cluster_reconcile import RECONCILE_TYPE
from components.kata_runtime_class import WAIT_TYPE
from tools.harness import CloudMocks, RunResult, is_secret_value, run_program, unwrap_secret

AGENT_POOL = "azure-native:containerservice:AgentPool"
CLUSTER = "azure-native:containerservice:ManagedCluster"
POD = "kubernetes:core/v1:Pod"
NAMESPACE = "kubernetes:core/v1:Namespace"
CREDENTIALS = "azure-native:containerservice:listManagedClusterUserCredentials"


def test_system_pool_is_one_small_inline_azure_linux_pool(dev_run: RunResult) -> None:
    cluster = dev_run.one(CLUSTER).inputs
    assert len(cluster["agentPoolProfiles"]) == 1
    pool = cluster["agentPoolProfiles"][0]
    assert pool["name"] == "system"
    assert pool["mode"] == "System"
    assert pool["osType"] == "Linux"
    assert pool["osSKU"] == "AzureLinux"
    assert pool["type"] == "VirtualMachineScaleSets"
    assert pool["vmSize"] == "Standard_D2s_v5"
    assert pool["count"] == 1
    assert "workloadRuntime" not in pool  # OCI, the default


def test_cluster_identity_rbac_dns_and_version(dev_run: RunResult) -> None:
    cluster = dev_run.one(CLUSTER).inputs
    assert cluster["identity"] == {"type": "SystemAssigned"}
    assert cluster["enableRBAC"] is True
    assert cluster["dnsPrefix"] == "aks-pod-sandboxing-dev"
    assert cluster["kubernetesVersion"] == "1.36"
    assert cluster["resourceName"] == "aks-pod-sandboxing-dev"
    assert cluster["resourceGroupName"] == "rg-pod-sandboxing-dev"
    assert cluster["location"] == "westeurope"


def test_kata_pool_is_its_own_agent_pool(dev_run: RunResult) -> None:
    pool = dev_run.one(AGENT_POOL).inputs
    assert pool["agentPoolName"] == "katapool"
    assert pool["mode"] == "User"
    assert pool["osType"] == "Linux"
    assert pool["osSKU"] == "AzureLinux"
    assert pool["vmSize"] == "Standard_D4s_v3"
    assert pool["count"] == 1
    assert pool["workloadRuntime"] == "KataVmIsolation"
    assert pool["orchestratorVersion"] == "1.36"
    # Wired to the cluster through its computed name, not dropped as unknown.
    assert pool["resourceName"] == "aks-pod-sandboxing-dev"
    assert pool["resourceGroupName"] == "rg-pod-sandboxing-dev"


def test_untrusted_pod_names_the_kata_class_and_trusted_pod_none(dev_run: RunResult) -> None:
    untrusted = dev_run.one(POD, "untrusted").inputs
    trusted = dev_run.one(POD, "trusted").inputs
    assert untrusted["spec"]["runtimeClassName"] == "kata-vm-isolation"
    assert "runtimeClassName" not in trusted["spec"]
    assert untrusted["metadata"]["name"] == "untrusted"
    assert trusted["metadata"]["name"] == "trusted"
    for pod in (trusted, untrusted):
        assert pod["metadata"]["namespace"] == "pod-sandboxing"
        container = pod["spec"]["containers"][0]
        assert container["image"] == "mcr.microsoft.com/aks/fundamental/base-ubuntu:v0.0.11"
        assert container["command"][:2] == ["/bin/sh", "-ec"]
        loop = container["command"][2]  # the seed's 5 s loop, plus the repeated kernel line
        assert "while :; do sleep 5;" in loop and "echo '.'" in loop and "uname -r" in loop
        assert container["resources"]["limits"] == {"cpu": "1", "memory": "1Gi"}
        assert container["resources"]["requests"] == container["resources"]["limits"]


def test_kubeconfig_output_is_secret_and_decoded(dev_run: RunResult) -> None:
    out = dev_run.outputs["kubeconfig"]
    assert out.secret
    config = yaml.safe_load(out.value)
    assert config["kind"] == "Config"
    assert config["current-context"] == "aks-pod-sandboxing-dev"
    # Not the base64 text the invoke returned.
    assert base64.b64encode(out.value.encode()).decode() not in out.value


def test_kubeconfig_invoke_names_the_cluster(dev_run: RunResult) -> None:
    calls = [i for i in dev_run.invokes if i.token == CREDENTIALS]
    assert calls, "kubeconfig never read"
    assert calls[0].args == {
        "resourceGroupName": "rg-pod-sandboxing-dev",
        "resourceName": "aks-pod-sandboxing-dev",
    }


def test_kubernetes_provider_has_stable_cluster_identifier(dev_run: RunResult) -> None:
    provider = dev_run.one("pulumi:providers:kubernetes").inputs
    assert provider["clusterIdentifier"] == dev_run.one(CLUSTER).state["id"]
    assert is_secret_value(provider["kubeconfig"])
    assert "apiVersion: v1" in unwrap_secret(provider["kubeconfig"])


def test_chain_pool_then_reconcile_then_wait_then_untrusted_pod(dev_run: RunResult) -> None:
    pool = dev_run.one(AGENT_POOL)
    reconcile = dev_run.one(RECONCILE_TYPE)
    wait = dev_run.one(WAIT_TYPE)
    untrusted = dev_run.one(POD, "untrusted")
    assert pool.urn in reconcile.dependencies and reconcile.options["replaceWith"] == [pool.urn]
    # A replaced pool (or reconcile) makes the wait run again.
    assert {pool.urn, reconcile.urn} <= set(wait.dependencies)
    assert set(wait.options["replaceWith"]) == {pool.urn, reconcile.urn}
    assert wait.urn in untrusted.dependencies
    # The pod's class is the wait's output, i.e. the name the cluster actually served.
    assert untrusted.inputs["spec"]["runtimeClassName"] == wait.state["class_name"]
    assert wait.inputs["cluster_name"] == dev_run.one(CLUSTER).inputs["resourceName"]
    assert wait.inputs["resource_group_name"] == dev_run.one(CLUSTER).inputs["resourceGroupName"]


def test_each_pod_is_replaced_with_the_nodes_it_runs_on(dev_run: RunResult) -> None:
    # A deleted node pool takes its pods with it, and Pulumi would not create a bare pod again
    # on its own: the untrusted pod goes with the wait (itself replaced with the Kata pool).
    assert dev_run.one(POD, "untrusted").options["replaceWith"] == [dev_run.one(WAIT_TYPE).urn]
    assert dev_run.one(POD, "trusted").options["replaceWith"] == []  # runs on the System pool
    with_user_pool = run_dev(systemPoolCriticalAddonsOnly=True)
    assert with_user_pool.error is None, with_user_pool.error
    user_pool = with_user_pool.one(AGENT_POOL, "user-pool")
    assert with_user_pool.one(POD, "trusted").options["replaceWith"] == [user_pool.urn]


def test_trusted_side_never_waits_for_the_kata_side(dev_run: RunResult) -> None:
    kata_side = {dev_run.one(r).urn for r in (AGENT_POOL, RECONCILE_TYPE, WAIT_TYPE)}
    for resource in (
        dev_run.one(POD, "trusted"),
        dev_run.one(NAMESPACE),
        dev_run.one("kubernetes:core/v1:ServiceAccount"),
        dev_run.one("kubernetes:networking.k8s.io/v1:NetworkPolicy"),
    ):
        assert not kata_side & dev_run.waits_for(resource), resource.name


def test_class_not_served_in_the_configured_time_stops_only_the_untrusted_pod() -> None:
    mocks = CloudMocks(served_runtime_classes=frozenset())
    result = run_program(dev_config(runtimeClassWaitSeconds="45"), mocks=mocks)
    assert result.error is not None
    assert 'RuntimeClass "kata-vm-isolation" (handler kata) was not served' in result.error
    assert "within 45 s" in result.error  # the configured wait reached the component
    names = {r.name for r in result.by_type(POD)}
    assert "untrusted" not in names
    assert "trusted" in names  # the shared-kernel side is unaffected


def test_kubernetes_objects_go_through_the_cluster_provider(dev_run: RunResult) -> None:
    provider = dev_run.one("pulumi:providers:kubernetes").urn
    for r in dev_run.resources:
        if r.type.startswith("kubernetes:"):
            assert r.options["provider"].startswith(provider + "::"), r.name


def test_stack_outputs(dev_run: RunResult) -> None:
    values = {k: v.value for k, v in dev_run.outputs.items() if k != "kubeconfig"}
    assert values == {
        "resourceGroupName": "rg-pod-sandboxing-dev",
        "clusterName": "aks-pod-sandboxing-dev",
        "kataNodePoolName": "katapool",
        "runtimeClassName": "kata-vm-isolation",
        "podNamespace": "pod-sandboxing",
        "trustedPodName": "trusted",
        "untrustedPodName": "untrusted",
        "sandboxSizing": values["sandboxSizing"],
    }
    assert not any(v.secret for k, v in dev_run.outputs.items() if k != "kubeconfig")


def test_components_parent_their_resources(dev_run: RunResult) -> None:
    parents = {r.name: r.parent.split("::")[-1] for r in dev_run.resources}
    assert parents["cluster-aks"] == "cluster"
    assert parents["cluster-rg"] == "cluster"
    assert parents["untrusted"] == "sandbox"
    # The pool and the dynamic resources are at the top: tests/components/test_former_components.py.
    assert parents["kata-pool"] == parents["kata-reconcile-run"] == "aks-pod-sandboxing-dev"


def test_preview_run_leaves_cluster_values_unknown_and_secret() -> None:
    result = run_dev(preview=True, resourceGroupName="", clusterName="")
    assert result.error is None, result.error
    kubeconfig = result.outputs["kubeconfig"]
    assert kubeconfig.secret and not kubeconfig.known
    assert not result.outputs["clusterName"].known
    assert {r.name for r in result.resources} >= {"kata-pool", "trusted", "untrusted"}


def test_auto_named_cluster_still_wires_names_through() -> None:
    result = run_dev(resourceGroupName="", clusterName="")
    assert result.error is None, result.error
    rg = result.one("azure-native:resources:ResourceGroup").state["name"]
    pool = result.one(AGENT_POOL).inputs
    assert pool["resourceGroupName"] == rg
    assert pool["resourceName"] == result.one(CLUSTER).state["name"]
    assert result.outputs["clusterName"].value == pool["resourceName"]


def test_only_the_untrusted_pod_is_pinned_to_the_kata_pool(dev_run: RunResult) -> None:
    from sandboxing.catalog import AGENT_POOL_LABEL

    pods = {p.name: p.inputs["spec"] for p in dev_run.by_type("kubernetes:core/v1:Pod")}
    pool = dev_run.one("azure-native:containerservice:AgentPool").inputs["agentPoolName"]
    assert pods["untrusted"]["nodeSelector"] == {AGENT_POOL_LABEL: pool}
    assert "nodeSelector" not in pods["trusted"]
    one_pool = run_dev(kataPoolPlacement="system")
    untrusted = one_pool.one("kubernetes:core/v1:Pod", "untrusted").inputs["spec"]
    system = one_pool.one("azure-native:containerservice:ManagedCluster").inputs
    assert untrusted["nodeSelector"] == {AGENT_POOL_LABEL: system["agentPoolProfiles"][0]["name"]}
