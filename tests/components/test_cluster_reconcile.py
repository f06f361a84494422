"""The reconcile after the Kata pool: when it exists, what it waits for, what replaces it."""

from __future__ import annotations

import os
from types import ModuleType
from typing import Any

import pytest
from support import run_dev

import cloud.cluster_reconcile
from cloud.arm_credentials import CredentialConfigError
from components.cluster_reconcile import RECONCILE_TYPE, ClusterReconcileProvider
from components.kata_runtime_class import WAIT_TYPE, RuntimeClassWaitProvider
from tools.harness import RunResult

POOL = "azure-native:containerservice:AgentPool"
CLUSTER = "azure-native:containerservice:ManagedCluster"


def test_reconcile_targets_the_cluster_by_its_arm_id(dev_run: RunResult) -> None:
    reconcile = dev_run.one(RECONCILE_TYPE)
    assert reconcile.inputs["cluster_id"] == dev_run.one(CLUSTER).state["id"]
    assert reconcile.parent.endswith("pulumi:pulumi:Stack::aks-pod-sandboxing-dev")


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
    old = {
        "class_name": "kata-vm-isolation",
        "handler": "kata",
        "cluster_name": "aks",
        "resource_group_name": "rg",
    }
    assert not wait.diff("id", old, {**old, "kubeconfig": "rotated", "timeout_seconds": 9}).changes
    renamed = wait.diff("id", old, {**old, "class_name": "kata-mshv-vm-isolation"})
    assert renamed.changes and renamed.replaces == ["class_name"]


# --- create(), as the dynamic provider process runs it ----------------------------------------
# reconcile_cluster is replaced by a recorder: create() passes it no base_url, so the SDK client
# goes to the public ARM endpoint (azure-core's AZURE_SDK_CLOUD_CONF names only the sovereign
# clouds), and a service principal's token would come from login.microsoftonline.com. The
# reconcile itself runs against the local ARM stand-in in tests/cloud/test_cluster_reconcile.py.

CLUSTER_ID = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
    "/providers/Microsoft.ContainerService/managedClusters/aks"
)
TENANT = "72f988bf-0000-0000-0000-000000000000"
CLIENT = "c0ffee00-0000-0000-0000-000000000001"
SECRET = "s3cret-value-never-in-state"


@pytest.fixture
def reconciles(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The calls create() makes to reconcile_cluster, with an environment free of Azure logins."""
    for name in list(os.environ):
        if name.startswith(("ARM_", "ACTIONS_ID_TOKEN_")):
            monkeypatch.delenv(name)
    calls: list[dict[str, Any]] = []

    def record(cluster_id: str, credential: Any, **kwargs: Any) -> str:
        calls.append({"cluster_id": cluster_id, "credential": credential, **kwargs})
        return "Succeeded"

    monkeypatch.setattr(cloud.cluster_reconcile, "reconcile_cluster", record)
    return calls


def test_create_reconciles_the_cluster_with_the_environments_login(
    reconciles: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, identity: ModuleType
) -> None:
    for name, value in {
        "ARM_TENANT_ID": TENANT,
        "ARM_CLIENT_ID": CLIENT,
        "ARM_CLIENT_SECRET": SECRET,
    }.items():
        monkeypatch.setenv(name, value)
    props = {"cluster_id": CLUSTER_ID, "provisioning_state": None, "login": None}
    created = ClusterReconcileProvider().create(props)
    login = f"service principal {CLIENT} (secret)"
    (call,) = reconciles
    assert call["cluster_id"] == CLUSTER_ID
    credential = call["credential"]
    assert isinstance(credential, identity.ClientSecretCredential)
    # azure-identity keeps no public accessor for these; the locks pin its version.
    assert (credential._tenant_id, credential._client_id) == (TENANT, CLIENT)
    assert call["login"] == login
    assert created.outs == {
        "cluster_id": CLUSTER_ID,
        "provisioning_state": "Succeeded",
        "login": login,
    }
    assert SECRET not in repr(created.outs)
    # A fresh id per create: the engine sees a new reconcile each time it is replaced.
    again = ClusterReconcileProvider().create(props)
    assert created.id.startswith("reconcile-") and again.id != created.id


def test_create_without_a_login_setting_uses_the_azure_cli_login(
    reconciles: list[dict[str, Any]], identity: ModuleType
) -> None:
    created = ClusterReconcileProvider().create({"cluster_id": CLUSTER_ID})
    (call,) = reconciles
    assert isinstance(call["credential"], identity.AzureCliCredential)
    assert created.outs["login"] == call["login"] == "the Azure CLI login (az login)"


def test_create_with_an_incomplete_login_fails_before_reconciling(
    reconciles: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARM_CLIENT_SECRET", SECRET)
    with pytest.raises(CredentialConfigError, match="ARM_CLIENT_SECRET needs ARM_TENANT_ID") as e:
        ClusterReconcileProvider().create({"cluster_id": CLUSTER_ID})
    assert SECRET not in str(e.value)
    assert reconciles == []
