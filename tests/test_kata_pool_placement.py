"""kataPoolPlacement x clusterMode: the resources each registers and what the pods wait for."""

from __future__ import annotations

import pytest
from support import dev_config, run_dev, shared_run

from components.kata_runtime_class import WAIT_TYPE
from tools.harness import CloudMocks, RunResult, existing_cluster_state

AGENT_POOL = "azure-native:containerservice:AgentPool"
CLUSTER = "azure-native:containerservice:ManagedCluster"
GROUP = "azure-native:resources:ResourceGroup"
RUNTIME_CLASS = WAIT_TYPE
POD = "kubernetes:core/v1:Pod"
RG, NAME = "rg-team", "aks-team"


@pytest.fixture(scope="module")
def one_pool() -> RunResult:
    result = run_dev(kataPoolPlacement="system")
    assert result.error is None, result.error
    return result


def run_existing(**overrides: object) -> RunResult:
    config = dev_config(clusterMode="existing", resourceGroupName=RG, clusterName=NAME, **overrides)
    mocks = CloudMocks({(RG, NAME): existing_cluster_state(RG, NAME)})
    return shared_run(config, mocks=mocks)


def read_waits_for(run: RunResult) -> set[str]:
    return run.waits_for(run.one(RUNTIME_CLASS))


# --- new cluster, placement system: the docs' `az aks create --workload-runtime ...` -------------


def test_the_one_system_pool_runs_kata_with_the_kata_keys(one_pool: RunResult) -> None:
    (pool,) = one_pool.one(CLUSTER).inputs["agentPoolProfiles"]
    assert pool == {
        "name": "system",
        "mode": "System",
        "osType": "Linux",
        "osSKU": "AzureLinux",
        "type": "VirtualMachineScaleSets",
        "vmSize": "Standard_D4s_v3",
        "count": 1,
        "workloadRuntime": "KataVmIsolation",
        # The Kata pool's upgrade settings, without maxUnavailable (refused on System pools).
        "upgradeSettings": {
            "maxSurge": "1",
            "drainTimeoutInMinutes": 30,
            "nodeSoakDurationInMinutes": 0,
            "undrainableNodeBehavior": "Cordon",
        },
    }
    assert "nodeTaints" not in pool  # system pods and the trusted pod run here


def test_kata_keys_reach_the_system_pool() -> None:
    result = run_dev(
        kataPoolPlacement="system",
        kataNodeVmSize="Standard_E8s_v5",
        kataNodeCount=2,
        kataOsSku="AzureLinux3",
    )
    assert result.error is None, result.error
    (pool,) = result.one(CLUSTER).inputs["agentPoolProfiles"]
    assert (pool["vmSize"], pool["count"], pool["osSKU"]) == ("Standard_E8s_v5", 2, "AzureLinux3")


def test_no_separate_pool_and_the_class_read_waits_for_the_cluster(one_pool: RunResult) -> None:
    assert one_pool.by_type(AGENT_POOL) == []
    assert {GROUP, CLUSTER} <= {r.type for r in one_pool.resources}
    assert one_pool.one(CLUSTER).urn in read_waits_for(one_pool)
    untrusted = one_pool.one(POD, "untrusted")
    assert one_pool.one(RUNTIME_CLASS).urn in one_pool.waits_for(untrusted)
    # The trusted pod still waits for nothing Kata-specific.
    assert one_pool.one(RUNTIME_CLASS).urn not in one_pool.waits_for(one_pool.one(POD, "trusted"))


def test_no_taint_so_no_toleration(one_pool: RunResult) -> None:
    untrusted = one_pool.one(POD, "untrusted").inputs["spec"]
    assert untrusted["runtimeClassName"] == "kata-vm-isolation"
    assert "tolerations" not in untrusted
    assert "runtimeClassName" not in one_pool.one(POD, "trusted").inputs["spec"]


def test_outputs_name_the_system_pool_and_size_one_node(one_pool: RunResult) -> None:
    assert one_pool.outputs["kataNodePoolName"].value == "system"
    nodes = one_pool.outputs["sandboxSizing"].value["stackNodes"]
    assert nodes == {
        "kataPoolPlacement": "system",
        "kataNodes": 1,
        "ociSystemNodes": 0,
        "vcpus": 4,
        "systemPodsOnKataNodes": True,
        "userNodes": 0,
    }
    assert one_pool.warnings == []


def test_one_pool_preview_runs() -> None:
    result = run_dev(preview=True, kataPoolPlacement="system")
    assert result.error is None, result.error
    assert result.by_type(AGENT_POOL) == []
    # The name comes from the pool profile the program asks for, known before the cluster is.
    assert result.outputs["kataNodePoolName"].value == "system"


def test_unused_keys_are_warned_about_by_name_and_still_deploy() -> None:
    result = run_dev(
        kataPoolPlacement="system", systemNodeVmSize="Standard_D8s_v5", kataNodePoolName="sandbox1"
    )
    assert result.error is None, result.error
    assert len(result.warnings) == 2
    for key in ("systemNodeVmSize", "kataNodePoolName"):
        assert any(
            w.startswith(f"aks-pod-sandboxing:{key} = ") and "kataPoolPlacement system" in w
            for w in result.warnings
        ), key
    (pool,) = result.one(CLUSTER).inputs["agentPoolProfiles"]
    assert pool["vmSize"] == "Standard_D4s_v3"  # kataNodeVmSize, as the warning says


# --- new cluster, dedicated (the default) ----------------------------------------------------


def test_dedicated_keeps_an_oci_system_pool_and_a_kata_agent_pool(dev_run: RunResult) -> None:
    (system,) = dev_run.one(CLUSTER).inputs["agentPoolProfiles"]
    assert "workloadRuntime" not in system
    pool = dev_run.one(AGENT_POOL)
    assert pool.inputs["workloadRuntime"] == "KataVmIsolation"
    assert pool.urn in read_waits_for(dev_run)
    assert dev_run.outputs["kataNodePoolName"].value == pool.inputs["agentPoolName"]
    stack_nodes = dev_run.outputs["sandboxSizing"].value["stackNodes"]
    assert (stack_nodes["kataNodes"], stack_nodes["ociSystemNodes"]) == (1, 1)


# --- existing cluster ------------------------------------------------------------------------


def test_existing_dedicated_adds_the_kata_pool_and_the_read_waits_for_it() -> None:
    result = run_existing()
    assert result.error is None, result.error
    assert result.by_type(CLUSTER) == [] and result.by_type(GROUP) == []
    assert result.one(AGENT_POOL).urn in read_waits_for(result)
    stack_nodes = result.outputs["sandboxSizing"].value["stackNodes"]
    assert (stack_nodes["kataNodes"], stack_nodes["ociSystemNodes"]) == (1, 0)


def test_existing_with_system_is_refused_before_any_lookup_or_resource() -> None:
    result = run_existing(kataPoolPlacement="system")
    assert result.error is not None
    assert result.resources == [] and result.invokes == []  # not even the cluster lookup
    assert "aks-pod-sandboxing:kataPoolPlacement = 'system'" in result.error
    assert "clusterMode existing" in result.error
