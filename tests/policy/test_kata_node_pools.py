"""kata-node-pools: Kata pools (AgentPools and inline cluster profiles) on Azure Linux and a
Gen2 size with nested virtualization."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from policy_requests import engine_args, violations

from policy import sandbox_policies as sp
from sandboxing import catalog
from sandboxing.config.contract import default_settings
from sandboxing.config.validate import problems_of
from tools.harness import RunResult


def pool_violations(inputs: dict[str, Any], config: dict[str, Any] | None = None) -> list[str]:
    return violations(sp.KATA_NODE_POOLS, engine_args(sp.AGENT_POOL, inputs, "kata-pool", config))


def test_kata_pool_on_ubuntu_or_without_os_sku_is_refused(dev_run: RunResult) -> None:
    pool = copy.deepcopy(dev_run.one(sp.AGENT_POOL).inputs)
    expected = problems_of(default_settings(kata_os_sku="Ubuntu"), "kataOsSku")[0].message
    assert pool_violations({**pool, "osSKU": "Ubuntu"}) == [
        f"AgentPool 'kata-pool': osSKU 'Ubuntu': {expected}"
    ]
    del pool["osSKU"]  # AKS would default a Linux pool to Ubuntu
    assert pool_violations(pool) == [f"AgentPool 'kata-pool': osSKU (not set): {expected}"]


def test_azure_linux_3_passes_like_the_program_which_only_warns(dev_run: RunResult) -> None:
    pool = dev_run.one(sp.AGENT_POOL).inputs
    assert (
        problems_of(default_settings(kata_os_sku="AzureLinux3"), "kataOsSku")[0].severity
        == "warning"
    )
    assert pool_violations({**pool, "osSKU": "AzureLinux3"}) == []


@pytest.mark.parametrize(
    ("vm_size", "reason"),
    [
        ("Standard_D2_v3", "Generation 1 only"),
        ("Standard_B2s", "B-series (burstable) sizes have no nested virtualization"),
        ("Standard_D4ps_v5", "Arm64 sizes are not supported"),
        ("Standard_DC4s_v3", "confidential VM sizes cannot host Pod Sandboxing"),
        ("not-a-size", "is not an Azure VM size name"),
    ],
)
def test_kata_pool_on_an_unsupported_size_is_refused(
    vm_size: str, reason: str, dev_run: RunResult
) -> None:
    pool = {**dev_run.one(sp.AGENT_POOL).inputs, "vmSize": vm_size}
    program = problems_of(default_settings(kata_node_vm_size=vm_size), "kataNodeVmSize")
    assert [p.severity for p in program] == ["error"]
    found = pool_violations(pool)
    assert found == [f"AgentPool 'kata-pool': vmSize {vm_size!r}: {program[0].message}"]
    assert reason in found[0]
    # The escape hatch is for sizes AKS may have added, not for sizes known not to work.
    assert pool_violations(pool, {"allowUnlistedVmSize": True}) == found


def test_unlisted_size_needs_the_policy_config_escape_hatch(dev_run: RunResult) -> None:
    pool = {**dev_run.one(sp.AGENT_POOL).inputs, "vmSize": "Standard_D4ls_v6"}
    found = pool_violations(pool)
    assert len(found) == 1
    assert "family Dlsv6 (4 vCPUs) is not in the known Gen2 nested-virtualization list" in found[0]
    assert "allowUnlistedVmSize" in found[0]
    assert pool_violations(pool, {"allowUnlistedVmSize": True}) == []


def test_non_kata_pools_are_none_of_this_policys_business(dev_run: RunResult) -> None:
    pool = dev_run.one(sp.AGENT_POOL).inputs
    for runtime in ("OCIContainer", "WasmWasi", "KataCcIsolation", None):
        inputs = {**pool, "workloadRuntime": runtime, "osSKU": "Ubuntu", "vmSize": "Standard_B2s"}
        if runtime is None:
            del inputs["workloadRuntime"]
        assert pool_violations(inputs) == [], runtime


def test_preview_runtime_name_gets_the_same_node_requirements(dev_run: RunResult) -> None:
    pool = {
        **dev_run.one(sp.AGENT_POOL).inputs,
        "workloadRuntime": catalog.KATA_PREVIEW.workload_runtime,
        "osSKU": "Ubuntu",
    }
    found = pool_violations(pool)
    assert len(found) == 1 and found[0].startswith("AgentPool 'kata-pool': osSKU 'Ubuntu'")


def test_inline_kata_profiles_of_a_managed_cluster_are_checked(dev_run: RunResult) -> None:
    cluster = copy.deepcopy(dev_run.one(sp.MANAGED_CLUSTER).inputs)
    system = cluster["agentPoolProfiles"][0]
    cluster["agentPoolProfiles"].append(
        {
            **system,
            "name": "kata",
            "mode": "User",
            "workloadRuntime": "KataVmIsolation",
            "vmSize": "Standard_D2_v3",
            "osSKU": "Ubuntu",
        }
    )
    found = violations(sp.KATA_NODE_POOLS, engine_args(sp.MANAGED_CLUSTER, cluster, "cluster-aks"))
    prefix = "ManagedCluster 'cluster-aks' agentPoolProfiles[1] 'kata': "
    assert [f[: len(prefix)] for f in found] == [prefix, prefix]
    assert found[0].startswith(prefix + "osSKU 'Ubuntu'")
    assert found[1].startswith(prefix + "vmSize 'Standard_D2_v3'")
