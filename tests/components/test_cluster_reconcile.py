"""The reconcile after the Kata pool: when it exists, what it waits for, what replaces it."""

from __future__ import annotations

from support import run_dev

from components.cluster_reconcile import RECONCILE_TYPE, ClusterReconcileProvider
from components.kata_runtime_class import WAIT_TYPE, RuntimeClassWaitProvider
from tools.harness import RunResult

POOL = "azure-native:containerservice:AgentPool"
CLUSTER = "azure-native:containerservice:ManagedCluster"


def test_reconcile_targets_the_cluster_by_its_arm_id(dev_run: RunResult) -> None:
    reconcile = dev_run.one(RECONCILE_TYPE)
    assert reconcile.inputs["cluster_id"] == dev_run.one(CLUSTER).state["id"]
    assert reconcile.parent.endswith("aks-pod-sandboxing:azure:ClusterReconcile::kata-reconcile")


def test_switched_off_there_is_no_reconcile_and_the_wait_follows_the_pool() -> None:
    result = run_dev(reconcileAfterKataPool="false")
    assert result.error is None, result.error
    assert not result.by_type(RECONCILE_TYPE)
    wait = result.one(WAIT_TYPE)
    assert wait.options["replaceWith"] == [result.one(POOL).urn]
    assert result.one(POOL).urn in wait.dependencies


def test_existing_mode_reconciles_the_existing_cluster() -> None:
    from test_existing_cluster_mode import NAME, RG, run_existing

    from tools.harness import existing_cluster_state

    result = run_existing(existing_cluster_state(RG, NAME))
    assert result.error is None, result.error
    cluster_id = result.one(RECONCILE_TYPE).inputs["cluster_id"]
    assert cluster_id == existing_cluster_state(RG, NAME)["id"]


def test_preview_registers_the_chain_without_running_it() -> None:
    result = run_dev(preview=True)
    assert result.error is None, result.error
    assert result.one(RECONCILE_TYPE).id == "" and result.one(WAIT_TYPE).id == ""


def test_only_another_cluster_or_class_replaces_the_steps() -> None:
    """Not on every `up`: same inputs (or a new kubeconfig/timeout) are no change."""
    reconcile = ClusterReconcileProvider()
    same = reconcile.diff("id", {"cluster_id": "/a"}, {"cluster_id": "/a", "__provider": "new"})
    assert not same.changes and same.replaces == []
    other = reconcile.diff("id", {"cluster_id": "/a"}, {"cluster_id": "/b"})
    assert other.changes and other.replaces == ["cluster_id"]

    wait = RuntimeClassWaitProvider()
    old = {"class_name": "kata-vm-isolation", "handler": "kata", "cluster_name": "aks",
           "resource_group_name": "rg"}  # fmt: skip
    assert not wait.diff("id", old, {**old, "kubeconfig": "rotated", "timeout_seconds": 9}).changes
    renamed = wait.diff("id", old, {**old, "class_name": "kata-mshv-vm-isolation"})
    assert renamed.changes and renamed.replaces == ["class_name"]
