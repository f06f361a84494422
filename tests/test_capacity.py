"""Capacity that follows demand, under the mock engine: what each pool sends to ARM (autoscaler
bounds, zones, upgrade settings), the cluster's autoscaler profile, the options that keep a later
`pulumi up` from fighting the autoscaler, and the burst stack."""

from __future__ import annotations

from typing import Any

import pytest
from support import run_dev, shared_run
from test_kata_pool_placement import run_existing

from tools.harness import RunResult, stack_config

AGENT_POOL = "azure-native:containerservice:AgentPool"
CLUSTER = "azure-native:containerservice:ManagedCluster"
PROFILE = {
    "scaleDownDelayAfterAdd": "10m",
    "scaleDownUnneededTime": "10m",
    "expander": "random",
    "maxNodeProvisionTime": "15m",
}
BOUNDS = ("enableAutoScaling", "minCount", "count", "maxCount")


def ok(**overrides: object) -> RunResult:
    result = run_dev(**overrides)
    assert result.error is None, result.error
    return result


def bounds(inputs: dict[str, Any]) -> dict[str, Any]:
    return {key: inputs.get(key) for key in BOUNDS}


@pytest.fixture(scope="module")
def burst() -> RunResult:
    result = shared_run(stack_config("burst"), stack="burst")
    assert result.error is None, result.error
    return result


def test_by_default_no_pool_autoscales_and_no_profile_is_sent(dev_run: RunResult) -> None:
    pool = dev_run.one(AGENT_POOL)
    assert bounds(pool.inputs) == {
        "enableAutoScaling": None,
        "minCount": None,
        "count": 1,
        "maxCount": None,
    }
    assert "autoScalerProfile" not in dev_run.one(CLUSTER).inputs
    assert "availabilityZones" not in pool.inputs


def test_the_kata_pool_autoscales_with_its_count_as_the_start() -> None:
    run = ok(kataEnableAutoScaling="true", kataNodeMinCount="0", kataNodeMaxCount="5")
    pool = run.one(AGENT_POOL)
    assert bounds(pool.inputs) == {
        "enableAutoScaling": True,
        "minCount": 0,
        "count": 1,
        "maxCount": 5,
    }
    assert pool.options["ignoreChanges"] == ["count"]
    assert run.one(CLUSTER).inputs["autoScalerProfile"] == PROFILE
    assert run.one(CLUSTER).options["ignoreChanges"] == []  # its System pool is fixed


def test_the_one_pool_cluster_autoscales_its_system_pool() -> None:
    run = ok(
        kataPoolPlacement="system",
        kataEnableAutoScaling="true",
        kataNodeMinCount="2",
        kataNodeCount="2",
        kataNodeMaxCount="4",
    )
    cluster = run.one(CLUSTER)
    (pool,) = cluster.inputs["agentPoolProfiles"]
    assert bounds(pool) == {"enableAutoScaling": True, "minCount": 2, "count": 2, "maxCount": 4}
    assert cluster.options["ignoreChanges"] == ["agentPoolProfiles[0].count"]
    assert cluster.inputs["autoScalerProfile"] == PROFILE
    assert "maxUnavailable" not in pool["upgradeSettings"]  # refused on System pools


def test_an_existing_cluster_keeps_its_own_profile() -> None:
    run = run_existing(
        kataEnableAutoScaling="true", kataNodeMaxCount="4", availabilityZones='["1", "2"]'
    )
    assert run.error is None, run.error
    pool = run.one(AGENT_POOL)
    assert (pool.inputs["maxCount"], pool.inputs["availabilityZones"]) == (4, ["1", "2"])
    assert run.by_type(CLUSTER) == []  # looked up, not managed: no profile is sent


def test_the_burst_stack_is_clean_and_sends_everything(burst: RunResult) -> None:
    assert burst.warnings == []
    pools = {r.inputs["agentPoolName"]: r for r in burst.by_type(AGENT_POOL)}
    (system,) = burst.one(CLUSTER).inputs["agentPoolProfiles"]
    assert bounds(pools["katapool"].inputs) == {
        "enableAutoScaling": True,
        "minCount": 0,
        "count": 1,
        "maxCount": 12,
    }
    assert bounds(pools["userpool"].inputs) == {
        "enableAutoScaling": True,
        "minCount": 3,
        "count": 3,
        "maxCount": 6,
    }
    # One zone list for every pool; the Kata pool's upgrade settings on the Kata pool only.
    for pool in (system, pools["katapool"].inputs, pools["userpool"].inputs):
        assert pool["availabilityZones"] == ["1", "2", "3"]
    assert pools["katapool"].inputs["upgradeSettings"]["drainTimeoutInMinutes"] == 60
    assert "upgradeSettings" not in pools["userpool"].inputs
    profile = burst.one(CLUSTER).inputs["autoScalerProfile"]
    assert profile == {**PROFILE, "scaleDownUnneededTime": "5m"}
    sizing = burst.outputs["sandboxSizing"].value
    assert (sizing["kataPool"]["minNodes"], sizing["kataPool"]["maxNodes"]) == (0, 12)
    assert sizing["tenants"]["atMax"]["fits"] is True and sizing["tenants"]["fits"] is False


def test_a_bad_capacity_config_registers_nothing_and_names_every_key() -> None:
    run = run_dev(
        kataEnableAutoScaling="true",
        kataNodeMinCount="3",
        autoscalerMaxNodeProvisionTime="15",
        availabilityZones='["4"]',
        kataMaxSurge="0",
    )
    assert run.resources == [] and run.error is not None
    assert {p.key for p in run.problems if p.severity == "error"} == {
        "kataNodeCount",
        "autoscalerMaxNodeProvisionTime",
        "availabilityZones",
        "kataMaxSurge",
    }
