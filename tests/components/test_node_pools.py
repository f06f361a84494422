"""KataNodePool on its own."""

from __future__ import annotations

from typing import Any

from support import run_component

import stack_args
from components.node_pools import KataNodePool
from sandboxing.config.contract import default_settings
from tools.harness import RunResult

POOL = "azure-native:containerservice:AgentPool"


def run_pool(**settings: Any) -> RunResult:
    def program() -> None:
        args = stack_args.kata_pool_args(default_settings(**settings), "proj/stack")
        KataNodePool("kata", args, "rg", "aks")

    return run_component(program)


def test_pool_properties() -> None:
    result = run_pool()
    pool = result.one(POOL)
    assert pool.parent == result.one("aks-pod-sandboxing:azure:KataNodePool").urn
    assert pool.inputs == {
        "resourceGroupName": "rg", "resourceName": "aks", "agentPoolName": "katapool",
        "mode": "User", "type": "VirtualMachineScaleSets", "osType": "Linux",
        "osSKU": "AzureLinux", "vmSize": "Standard_D4s_v3", "count": 1, "workloadRuntime":
        "KataVmIsolation", "nodeTaints": ["pod-sandboxing.aks.io/kata=true:NoSchedule"],
        "tags": {"pod-sandboxing-stack": "proj/stack"},
    }  # fmt: skip


def test_version_follows_kubernetes_version_and_taint_can_be_off() -> None:
    pool = run_pool(kubernetes_version="1.32", kata_node_taint="", kata_node_count=4).one(POOL)
    assert pool.inputs["orchestratorVersion"] == "1.32"
    assert pool.inputs["count"] == 4
    assert "nodeTaints" not in pool.inputs
