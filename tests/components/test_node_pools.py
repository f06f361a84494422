"""The Kata pool on its own."""

from __future__ import annotations

from typing import Any

from support import run_component

import stack_args
from components.node_pools import KATA_POOL, added_node_pool
from sandboxing.config.contract import default_settings
from tools.harness import RunResult

POOL = "azure-native:containerservice:AgentPool"


def run_pool(**settings: Any) -> RunResult:
    def program() -> None:
        args = stack_args.kata_pool_args(default_settings(**settings), "proj/stack")
        added_node_pool("kata", KATA_POOL, args, "rg", "aks")

    return run_component(program)


def test_pool_properties() -> None:
    result = run_pool()
    pool = result.one(POOL)
    assert pool.parent.endswith("::pulumi:pulumi:Stack::aks-pod-sandboxing-dev")
    assert pool.options["aliases"] == [
        "urn:pulumi:dev::aks-pod-sandboxing::aks-pod-sandboxing:azure:KataNodePool$"
        f"{POOL}::kata-pool"
    ]
    assert pool.inputs == {
        "resourceGroupName": "rg",
        "resourceName": "aks",
        "agentPoolName": "katapool",
        "mode": "User",
        "type": "VirtualMachineScaleSets",
        "osType": "Linux",
        "osSKU": "AzureLinux",
        "vmSize": "Standard_D4s_v3",
        "count": 1,
        "workloadRuntime": "KataVmIsolation",
        "nodeTaints": ["pod-sandboxing.aks.io/kata=true:NoSchedule"],
        "tags": {"pod-sandboxing-stack": "proj/stack"},
        # One node drained at a time onto a surge node; a node that cannot be drained is kept.
        "upgradeSettings": {
            "maxSurge": "1",
            "maxUnavailable": "0",
            "drainTimeoutInMinutes": 30,
            "nodeSoakDurationInMinutes": 0,
            "undrainableNodeBehavior": "Cordon",
        },
    }
    # A fixed pool: its count is the program's; zones are set at creation only.
    assert pool.options["ignoreChanges"] == []
    assert (pool.options["replaceOnChanges"], pool.options["deleteBeforeReplace"]) == (
        ["availabilityZones"],
        True,
    )


def test_version_follows_kubernetes_version_and_taint_can_be_off() -> None:
    pool = run_pool(kubernetes_version="1.32", kata_node_taint="", kata_node_count=4).one(POOL)
    assert pool.inputs["orchestratorVersion"] == "1.32"
    assert pool.inputs["count"] == 4
    assert "nodeTaints" not in pool.inputs


def test_an_autoscaled_pool_sends_its_bounds_and_leaves_the_count_to_the_autoscaler() -> None:
    pool = run_pool(
        kata_enable_auto_scaling=True,
        kata_node_min_count=0,
        kata_node_count=2,
        kata_node_max_count=6,
    ).one(POOL)
    # `count` stays: AKS wants it at creation (pulumi-azure-native#2943), as the initial size.
    assert {k: pool.inputs[k] for k in ("enableAutoScaling", "minCount", "count", "maxCount")} == {
        "enableAutoScaling": True,
        "minCount": 0,
        "count": 2,
        "maxCount": 6,
    }
    assert pool.options["ignoreChanges"] == ["count"]


def test_zones_and_upgrade_settings_reach_the_pool() -> None:
    pool = run_pool(
        availability_zones=("1", "3"),
        kata_max_surge="33%",
        kata_max_unavailable="1",
        kata_drain_timeout_minutes=60,
        kata_node_soak_minutes=5,
        kata_undrainable_node_behavior="Schedule",
    ).one(POOL)
    assert pool.inputs["availabilityZones"] == ["1", "3"]
    assert pool.inputs["upgradeSettings"] == {
        "maxSurge": "33%",
        "maxUnavailable": "1",
        "drainTimeoutInMinutes": 60,
        "nodeSoakDurationInMinutes": 5,
        "undrainableNodeBehavior": "Schedule",
    }
    assert "enableAutoScaling" not in pool.inputs and "minCount" not in pool.inputs
