"""ExistingCluster on its own: access only, nothing created in Azure."""

from __future__ import annotations

from support import run_component

from components.existing_cluster import ExistingCluster
from sandboxing.contract import default_settings


def test_existing_cluster_creates_only_the_provider() -> None:
    cluster_id = (
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService"
        "/managedClusters/aks"
    )

    def program() -> None:
        settings = default_settings(cluster_mode="existing", resource_group_name="rg",
                                    cluster_name="aks")  # fmt: skip
        ExistingCluster("cluster", settings, cluster_id)

    result = run_component(program)
    assert {r.type for r in result.resources} == {
        "aks-pod-sandboxing:azure:ExistingCluster", "pulumi:providers:kubernetes",
    }  # fmt: skip
    assert result.one("pulumi:providers:kubernetes").inputs["clusterIdentifier"] == cluster_id
    creds = [
        i.args for i in result.invokes if i.token.endswith("listManagedClusterUserCredentials")
    ]
    assert creds == [{"resourceGroupName": "rg", "resourceName": "aks"}]
