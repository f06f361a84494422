"""AzureLinuxCluster: resource group, managed cluster, kubeconfig and provider, on its own."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from support import run_component

import stack_args
from components.azure_linux_cluster import AzureLinuxCluster
from sandboxing.config.contract import default_settings
from tools.harness import RunResult, is_secret_value, unwrap_secret

CLUSTER = "azure-native:containerservice:ManagedCluster"
GROUP = "0f8fad5b-d9cb-469f-a165-70867728950e"


def run_cluster(**fields: Any) -> RunResult:
    def program() -> None:
        settings = default_settings(location="westeurope", **fields)
        AzureLinuxCluster("cluster", stack_args.cluster_args(settings))

    return run_component(program)


@pytest.fixture(scope="module")
def plain() -> RunResult:
    return run_cluster()


def test_children_and_type_token(plain: RunResult) -> None:
    component = plain.one("aks-pod-sandboxing:azure:AzureLinuxCluster")
    children = {r.type for r in plain.resources if r.parent == component.urn}
    assert children == {
        "azure-native:resources:ResourceGroup",
        CLUSTER,
        "pulumi:providers:kubernetes",
    }


def test_auto_names_when_not_configured(plain: RunResult) -> None:
    cluster = plain.one(CLUSTER).inputs
    assert "resourceName" not in cluster  # Pulumi auto-names it
    assert cluster["dnsPrefix"] == "podsandbox"
    group = plain.one("azure-native:resources:ResourceGroup")
    assert cluster["resourceGroupName"] == group.state["name"]


def test_network_policy_engine_is_enforcing(plain: RunResult) -> None:
    network = plain.one(CLUSTER).inputs["networkProfile"]
    assert network["networkPlugin"] == "azure"
    assert network["networkPluginMode"] == "overlay"
    assert network["networkPolicy"] == "cilium"
    assert network["networkDataplane"] == "cilium"


def test_calico_engine() -> None:
    network = run_cluster(network_policy_engine="calico").one(CLUSTER).inputs["networkProfile"]
    assert network["networkPolicy"] == "calico"
    assert "networkDataplane" not in network


def test_upgrade_channels_and_sku(plain: RunResult) -> None:
    cluster = plain.one(CLUSTER).inputs
    assert cluster["autoUpgradeProfile"] == {
        "upgradeChannel": "patch",
        "nodeOSUpgradeChannel": "NodeImage",
    }
    assert cluster["sku"] == {"name": "Base", "tier": "Free"}


def test_login_options_are_off_by_default(plain: RunResult) -> None:
    cluster = plain.one(CLUSTER).inputs
    for key in ("aadProfile", "disableLocalAccounts", "apiServerAccessProfile"):
        assert key not in cluster


def test_entra_integration_with_azure_rbac_and_no_local_accounts() -> None:
    cluster = (
        run_cluster(
            entra_admin_group_object_ids=(GROUP,),
            enable_azure_rbac=True,
            disable_local_accounts=True,
        )
        .one(CLUSTER)
        .inputs
    )
    assert cluster["aadProfile"] == {
        "managed": True,
        "adminGroupObjectIDs": [GROUP],
        "enableAzureRBAC": True,
    }
    assert cluster["disableLocalAccounts"] is True


def test_authorized_ip_ranges_and_sku_tier() -> None:
    cluster = (
        run_cluster(api_server_authorized_ip_ranges=("203.0.113.0/24",), sku_tier="Standard")
        .one(CLUSTER)
        .inputs
    )
    assert cluster["apiServerAccessProfile"] == {"authorizedIPRanges": ["203.0.113.0/24"]}
    assert cluster["sku"]["tier"] == "Standard"


def test_kubeconfig_is_secret_into_the_provider(plain: RunResult) -> None:
    provider = plain.one("pulumi:providers:kubernetes").inputs
    assert is_secret_value(provider["kubeconfig"])


def test_entra_kubeconfig_uses_the_azure_cli_login_and_stays_secret() -> None:
    result = run_cluster(entra_admin_group_object_ids=(GROUP,), disable_local_accounts=True)
    creds = [
        i.args for i in result.invokes if i.token.endswith("listManagedClusterUserCredentials")
    ]
    assert creds[0]["format"] == "exec"
    kubeconfig = result.one("pulumi:providers:kubernetes").inputs["kubeconfig"]
    assert is_secret_value(kubeconfig)
    user = yaml.safe_load(unwrap_secret(kubeconfig))["users"][0]["user"]["exec"]
    assert user["command"] == "kubelogin"
    assert user["args"][-2:] == ["--login", "azurecli"]
    assert "devicecode" not in user["args"] and "--client-id" not in user["args"]
    assert "--server-id" in user["args"]


def test_upgrade_channels_are_configurable() -> None:
    cluster = run_cluster(auto_upgrade_channel="none", node_os_upgrade_channel="SecurityPatch")
    assert cluster.one(CLUSTER).inputs["autoUpgradeProfile"] == {
        "upgradeChannel": "none",
        "nodeOSUpgradeChannel": "SecurityPatch",
    }


def test_dedicated_system_pool_is_small_and_oci(plain: RunResult) -> None:
    (pool,) = plain.one(CLUSTER).inputs["agentPoolProfiles"]
    assert (pool["name"], pool["mode"], pool["vmSize"], pool["count"]) == (
        "system",
        "System",
        "Standard_D2s_v5",
        1,
    )
    assert "workloadRuntime" not in pool


def test_system_placement_runs_kata_on_the_system_pool() -> None:
    result = run_cluster(
        kata_pool_placement="system",
        kata_node_vm_size="Standard_D8s_v5",
        kata_node_count=2,
        system_node_vm_size="Standard_D2s_v5",
    )
    (pool,) = result.one(CLUSTER).inputs["agentPoolProfiles"]
    assert (pool["name"], pool["mode"], pool["osSKU"]) == ("system", "System", "AzureLinux")
    assert (pool["vmSize"], pool["count"]) == ("Standard_D8s_v5", 2)
    assert pool["workloadRuntime"] == "KataVmIsolation"
    assert "nodeTaints" not in pool


def test_system_pool_name_comes_from_the_cluster() -> None:
    names: list[str] = []

    def program() -> None:
        args = stack_args.cluster_args(default_settings(location="westeurope"))
        cluster = AzureLinuxCluster("cluster", args)
        cluster.system_pool_name.apply(names.append)

    run_component(program)
    assert names == ["system"]
