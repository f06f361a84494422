"""clusterMode: existing — the Kata pool and the pods go onto a cluster someone already runs."""

from __future__ import annotations

from support import dev_config, shared_run

from components.cluster_reconcile import RECONCILE_TYPE
from components.kata_runtime_class import WAIT_TYPE
from components.preflight import PREFLIGHT_TYPE
from tools.harness import CloudMocks, RunResult, existing_cluster_state

RG, NAME = "rg-team", "aks-team"
GET_CLUSTER = "azure-native:containerservice:getManagedCluster"


def run_existing(
    cluster: dict | None = None, preview: bool = False, **overrides: object
) -> RunResult:
    clusters = {} if cluster is None else {(RG, NAME): cluster}
    names: dict[str, object] = {"resourceGroupName": RG, "clusterName": NAME}
    config = dev_config(clusterMode="existing", **{**names, **overrides})
    return shared_run(config, preview=preview, mocks=CloudMocks(clusters, preview=preview))


def test_existing_cluster_gets_pool_and_pods_but_no_cluster() -> None:
    result = run_existing(existing_cluster_state(RG, NAME))
    assert result.error is None, result.error
    types = {r.type for r in result.resources}
    assert "azure-native:resources:ResourceGroup" not in types
    assert "azure-native:containerservice:ManagedCluster" not in types
    pool = result.one("azure-native:containerservice:AgentPool").inputs
    assert (pool["resourceGroupName"], pool["resourceName"]) == (RG, NAME)
    assert pool["workloadRuntime"] == "KataVmIsolation"
    assert {r.name for r in result.by_type("kubernetes:core/v1:Pod")} == {"trusted", "untrusted"}


def test_lookup_and_kubeconfig_use_the_configured_names() -> None:
    result = run_existing(existing_cluster_state(RG, NAME))
    tokens = [(i.token, i.args) for i in result.invokes]
    assert (GET_CLUSTER, {"resourceGroupName": RG, "resourceName": NAME}) in tokens
    creds = [a for t, a in tokens if t.endswith("listManagedClusterUserCredentials")]
    assert creds == [{"resourceGroupName": RG, "resourceName": NAME}]
    assert result.outputs["kubeconfig"].secret
    provider = result.one("pulumi:providers:kubernetes").inputs
    assert provider["clusterIdentifier"].endswith(f"/managedClusters/{NAME}")


def test_same_outputs_as_new_mode() -> None:
    result = run_existing(existing_cluster_state(RG, NAME))
    assert result.outputs["resourceGroupName"].value == RG
    assert result.outputs["clusterName"].value == NAME
    assert set(result.outputs) == {
        "kubeconfig",
        "resourceGroupName",
        "clusterName",
        "kataNodePoolName",
        "runtimeClassName",
        "podNamespace",
        "trustedPodName",
        "untrustedPodName",
        "sandboxSizing",
    }


def test_destroy_only_touches_what_the_stack_created() -> None:
    """`pulumi destroy` deletes the stack's owned resources: nothing of the user's cluster."""
    result = run_existing(existing_cluster_state(RG, NAME))
    owned = {r.type for r in result.resources if r.custom and not r.read}
    assert owned == {
        "azure-native:containerservice:AgentPool",
        "pulumi:providers:kubernetes",
        "kubernetes:core/v1:Namespace",
        "kubernetes:core/v1:ServiceAccount",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        "kubernetes:core/v1:Pod",
        # Deleting these calls nothing: a reconcile, a wait and a preflight leave no object.
        RECONCILE_TYPE,
        WAIT_TYPE,
        PREFLIGHT_TYPE,
    }
    assert not [r for r in result.resources if r.read]


def test_missing_cluster_is_a_clear_error_and_nothing_is_registered() -> None:
    result = run_existing(None)
    assert result.error is not None
    assert "ResourceNotFound" in result.error and NAME in result.error and RG in result.error
    assert result.resources == []


def test_names_are_required_in_existing_mode() -> None:
    result = run_existing(existing_cluster_state(RG, NAME), clusterName="")
    assert result.error is not None and "clusterName" in result.error
    assert "required when clusterMode is existing" in result.error
    assert result.resources == [] and result.invokes == []


def test_our_own_pool_from_an_earlier_up_is_accepted() -> None:
    ours = {"name": "katapool", "tags": {"pod-sandboxing-stack": "aks-pod-sandboxing/dev"}}
    result = run_existing(existing_cluster_state(RG, NAME, pools=[ours]))
    assert result.error is None, result.error
    tags = result.one("azure-native:containerservice:AgentPool").inputs["tags"]
    assert tags == {"pod-sandboxing-stack": "aks-pod-sandboxing/dev"}


def test_preview_era_class_is_accepted_with_an_explanation() -> None:
    result = run_existing(
        existing_cluster_state(RG, NAME), runtimeClassName="kata-mshv-vm-isolation"
    )
    assert result.error is None, result.error
    assert any("preview-era" in w and "kata-vm-isolation" in w for w in result.warnings)
    spec = result.one("kubernetes:core/v1:Pod", "untrusted").inputs["spec"]
    assert spec["runtimeClassName"] == "kata-mshv-vm-isolation"


def test_existing_mode_preview_run() -> None:
    result = run_existing(existing_cluster_state(RG, NAME), preview=True)
    assert result.error is None, result.error
    assert result.outputs["kubeconfig"].secret


def test_entra_cluster_gets_an_azure_cli_kubeconfig() -> None:
    cluster = existing_cluster_state(RG, NAME)
    cluster["aadProfile"] = {"managed": True, "enableAzureRBAC": True}
    result = run_existing(cluster)
    assert result.error is None, result.error
    creds = [
        i.args for i in result.invokes if i.token.endswith("listManagedClusterUserCredentials")
    ]
    assert creds[0]["format"] == "exec"
    assert "azurecli" in result.outputs["kubeconfig"].value
    assert result.outputs["kubeconfig"].secret
