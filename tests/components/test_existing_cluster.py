"""The existing-cluster component on its own: look-up, check and access; nothing created."""

from __future__ import annotations

import functools

from support import run_component

from components.existing_cluster import ExistingCluster, connect_existing_cluster
from sandboxing.config.contract import default_settings
from sandboxing.rules.existing_cluster import check_existing_cluster
from sandboxing.tenants.fields import Tenant
from tools.harness import CloudMocks, RunResult, existing_cluster_state, run_program

RG, NAME = "rg", "aks"
SETTINGS = default_settings(cluster_mode="existing", resource_group_name=RG, cluster_name=NAME)
CLUSTER_ID = (
    f"/subscriptions/s/resourceGroups/{RG}/providers/Microsoft.ContainerService"
    f"/managedClusters/{NAME}"
)


def test_existing_cluster_creates_only_the_provider() -> None:
    result = run_component(lambda: ExistingCluster("cluster", RG, NAME, CLUSTER_ID))
    assert {r.type for r in result.resources} == {
        "aks-pod-sandboxing:azure:ExistingCluster",
        "pulumi:providers:kubernetes",
    }
    assert result.one("pulumi:providers:kubernetes").inputs["clusterIdentifier"] == CLUSTER_ID
    creds = [
        i.args for i in result.invokes if i.token.endswith("listManagedClusterUserCredentials")
    ]
    assert creds == [{"resourceGroupName": RG, "resourceName": NAME}]


def connect(cluster: dict) -> RunResult:
    def program() -> None:
        check = functools.partial(
            check_existing_cluster, SETTINGS, managed_by="aks-pod-sandboxing/dev"
        )
        connect_existing_cluster("cluster", RG, NAME, check)

    return run_program({}, mocks=CloudMocks({(RG, NAME): cluster}), program=program)


def test_a_cluster_that_passes_is_connected_to() -> None:
    result = connect(existing_cluster_state(RG, NAME))
    assert result.error is None, result.error
    provider = result.one("pulumi:providers:kubernetes").inputs
    assert provider["clusterIdentifier"] == existing_cluster_state(RG, NAME)["id"]


def test_every_problem_of_the_cluster_stops_the_run_before_anything_is_registered() -> None:
    foreign = [{"name": "katapool", "tags": {"owner": "team-b"}}]
    result = connect(existing_cluster_state(RG, NAME, kubernetes_version="1.26.6", pools=foreign))
    assert result.error is not None
    assert result.error.startswith("2 configuration problem(s); nothing was deployed:")
    assert "1.26.6" in result.error and "already exists" in result.error
    assert result.resources == []
    assert [i.token for i in result.invokes] == ["azure-native:containerservice:getManagedCluster"]


def test_the_clusters_own_ranges_are_read_for_the_tenant_fences() -> None:
    settings = default_settings(
        cluster_mode="existing",
        resource_group_name=RG,
        cluster_name=NAME,
        tenants=(Tenant("a", egress_cidrs=("172.16.0.0/12",)),),
    )

    def program() -> None:
        check = functools.partial(check_existing_cluster, settings, managed_by="p/dev")
        connect_existing_cluster("cluster", RG, NAME, check)

    ranges = {"podCidr": "172.20.0.0/16", "serviceCidr": "10.0.0.0/16"}
    state = dict(existing_cluster_state(RG, NAME), networkProfile=ranges)
    result = run_program({}, mocks=CloudMocks({(RG, NAME): state}), program=program)
    assert result.error is not None and "pod range 172.20.0.0/16" in result.error
