"""The production options under the mock engine: the ARM properties and resources each promises,
refusal before any resource, and the three-pool chain (only the untrusted pod waits for Kata)."""

from __future__ import annotations

from pathlib import Path

import pytest
from strict_schema import validate_strict
from support import load_yaml, run_dev, shared_run

from components.kata_runtime_class import WAIT_TYPE
from sandboxing import catalog
from tools.harness import RunResult, stack_config
from tools.plan.manifests import write_manifests

AGENT_POOL = "azure-native:containerservice:AgentPool"
CLUSTER = "azure-native:containerservice:ManagedCluster"
WORKSPACE = "azure-native:operationalinsights:Workspace"
DCR = "azure-native:monitor:DataCollectionRule"
DCRA = "azure-native:monitor:DataCollectionRuleAssociation"
DIAGNOSTICS = "azure-native:monitor:DiagnosticSetting"
POD = "kubernetes:core/v1:Pod"
OWN_WORKSPACE = (
    "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-logs/providers/"
    "Microsoft.OperationalInsights/workspaces/law-prod"
)


def ok(**overrides: object) -> RunResult:
    result = run_dev(**overrides)
    assert result.error is None, result.error
    return result


@pytest.fixture(scope="module")
def prod() -> RunResult:
    result = shared_run(stack_config("prod"), stack="prod")
    assert result.error is None, result.error
    # The template's placeholders (REPLACE comments in Pulumi.prod.yaml) are named, nothing else.
    assert [w.split(" = ", 1)[0] for w in result.warnings] == [
        "aks-pod-sandboxing:apiServerAuthorizedIpRanges",
        "aks-pod-sandboxing:entraAdminGroupObjectIds",
    ]
    return result


def pools(run: RunResult) -> dict[str, dict[str, object]]:
    """Every pool's inputs by name: the inline System pool and each AgentPool."""
    found = {p["name"]: p for p in run.one(CLUSTER).inputs["agentPoolProfiles"]}
    found.update({r.inputs["agentPoolName"]: r.inputs for r in run.by_type(AGENT_POOL)})
    return found


def test_nothing_new_is_sent_by_default() -> None:
    run = ok()
    found = pools(run)
    for pool in found.values():
        assert {"enableEncryptionAtHost", "osDiskType", "osDiskSizeGB"}.isdisjoint(pool)
    assert "nodeTaints" not in found["system"]
    assert set(found) == {"system", "katapool"}
    assert "addonProfiles" not in run.one(CLUSTER).inputs
    assert {r.type for r in run.resources}.isdisjoint({WORKSPACE, DCR, DCRA, DIAGNOSTICS})


def test_host_encryption_and_os_disk_reach_every_pool(prod: RunResult) -> None:
    found = pools(prod)
    assert set(found) == {"system", "katapool", catalog.USER_POOL_NAME}
    for pool in found.values():
        assert (pool["enableEncryptionAtHost"], pool["osDiskType"], pool["osDiskSizeGB"]) == (
            True,
            "Ephemeral",
            64,
        )


def test_existing_mode_sets_them_on_the_kata_pool() -> None:
    from test_kata_pool_placement import run_existing

    run = run_existing(enableEncryptionAtHost="true", osDiskType="Managed", osDiskSizeGB="256")
    assert run.error is None, run.error
    pool = run.one(AGENT_POOL).inputs
    assert (pool["enableEncryptionAtHost"], pool["osDiskType"], pool["osDiskSizeGB"]) == (
        True,
        "Managed",
        256,
    )


def test_created_workspace_feeds_container_insights_and_the_control_plane_logs(
    prod: RunResult,
) -> None:
    workspace = prod.one(WORKSPACE)
    assert workspace.inputs["sku"] == {"name": "PerGB2018"}
    assert workspace.inputs["retentionInDays"] == 90
    cluster = prod.one(CLUSTER)
    assert cluster.inputs["addonProfiles"]["omsagent"] == {
        "enabled": True,
        "config": {"logAnalyticsWorkspaceResourceID": workspace.id, "useAADAuth": "true"},
    }
    assert workspace.urn in cluster.dependencies  # the add-on names it
    rule = prod.one(DCR)
    (extension,) = rule.inputs["dataSources"]["extensions"]
    assert (extension["extensionName"], extension["name"]) == (
        "ContainerInsights",
        "ContainerInsightsExtension",
    )
    assert extension["streams"] == list(catalog.CONTAINER_INSIGHTS_STREAMS)
    assert rule.inputs["destinations"]["logAnalytics"] == [
        {"name": "ciworkspace", "workspaceResourceId": workspace.id}
    ]
    assert rule.inputs["dataFlows"] == [
        {"streams": list(catalog.CONTAINER_INSIGHTS_STREAMS), "destinations": ["ciworkspace"]}
    ]
    association = prod.one(DCRA)
    assert association.inputs["resourceUri"] == cluster.id
    assert association.inputs["dataCollectionRuleId"] == rule.id
    settings = prod.one(DIAGNOSTICS).inputs
    assert (settings["resourceUri"], settings["workspaceId"]) == (cluster.id, workspace.id)
    assert settings["logAnalyticsDestinationType"] == "Dedicated"
    assert settings["logs"] == [
        {"category": c, "enabled": True} for c in ("kube-audit-admin", "kube-apiserver", "guard")
    ]


def test_a_workspace_of_your_own_is_used_and_none_is_created() -> None:
    run = ok(enableAzureMonitor="true", logAnalyticsWorkspaceId=OWN_WORKSPACE)
    assert run.by_type(WORKSPACE) == []
    config = run.one(CLUSTER).inputs["addonProfiles"]["omsagent"]["config"]
    assert config["logAnalyticsWorkspaceResourceID"] == OWN_WORKSPACE
    assert run.one(DIAGNOSTICS).inputs["workspaceId"] == OWN_WORKSPACE


def test_azure_policy_addon_alone() -> None:
    addons = ok(enableAzurePolicy="true").one(CLUSTER).inputs["addonProfiles"]
    assert addons == {"azurepolicy": {"enabled": True}}


def test_three_pools_system_tainted_user_untainted_kata_tainted(prod: RunResult) -> None:
    found = pools(prod)
    assert found["system"]["nodeTaints"] == ["CriticalAddonsOnly=true:NoSchedule"]
    assert found["katapool"]["nodeTaints"] == ["pod-sandboxing.aks.io/kata=true:NoSchedule"]
    user = found[catalog.USER_POOL_NAME]
    assert "nodeTaints" not in user and "workloadRuntime" not in user
    assert (user["mode"], user["osSKU"], user["vmSize"], user["count"]) == (
        "User",
        "AzureLinux",
        "Standard_D2ds_v5",
        2,
    )
    trusted = prod.one(POD, "trusted").inputs["spec"]
    assert "tolerations" not in trusted  # so it can only land on the User pool


def test_only_the_untrusted_pod_waits_for_kata_and_the_trusted_pod_for_the_user_pool_only(
    prod: RunResult,
) -> None:
    kata, user = (prod.one(AGENT_POOL, n) for n in ("kata-pool", "user-pool"))
    trusted, untrusted = prod.one(POD, "trusted"), prod.one(POD, "untrusted")
    assert user.urn in prod.waits_for(trusted)
    assert kata.urn in prod.waits_for(untrusted)
    # AKS runs one pool operation at a time: the Kata pool follows the User pool, so the
    # trusted pod waits for the User pool only, never for the Kata pool or what follows it.
    assert user.urn in kata.dependencies
    assert kata.urn not in prod.waits_for(trusted)
    reconcile = prod.one("pulumi-python:dynamic/aks-pod-sandboxing:ClusterReconcile")
    assert reconcile.urn not in prod.waits_for(trusted)
    assert prod.one(WAIT_TYPE).urn not in prod.waits_for(trusted)


def test_bad_values_stop_the_program_before_any_resource() -> None:
    run = run_dev(
        osDiskType="Ephemeral",
        enableAzureMonitor="true",
        logAnalyticsWorkspaceId="law",
        systemPoolCriticalAddonsOnly="true",
        kataPoolPlacement="system",
    )
    assert run.resources == []
    assert run.error is not None
    for key in ("osDiskType", "logAnalyticsWorkspaceId", "systemPoolCriticalAddonsOnly"):
        assert f"aks-pod-sandboxing:{key} = " in run.error


def test_prod_manifests_validate_strictly(prod: RunResult, tmp_path: Path) -> None:
    from kubernetes_validate.utils import all_versions

    assert prod.one(CLUSTER).inputs["kubernetesVersion"] == "1.36"
    version = next(v for v in all_versions() if v.startswith("1.36."))
    written = write_manifests(prod, tmp_path, "prod")
    assert len(written) == 5
    for path in written:
        obj = load_yaml(Path(path).read_text())
        assert validate_strict(obj, version), path
