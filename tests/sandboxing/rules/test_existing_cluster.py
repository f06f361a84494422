"""The checks of a looked-up cluster on plain data (ARM's camelCase shape, no Pulumi)."""

from __future__ import annotations

from typing import Any

import pytest

from sandboxing import catalog
from sandboxing.config.contract import default_settings
from sandboxing.rules.existing_cluster import check_existing_cluster

SETTINGS = default_settings(cluster_mode="existing", resource_group_name="rg", cluster_name="aks")
OURS = "aks-pod-sandboxing/dev"


def cluster(version: str = "1.33.3", pools: list[dict[str, Any]] | None = None) -> dict:
    return {"currentKubernetesVersion": version, "agentPoolProfiles": pools or []}


def test_a_recent_cluster_without_a_kata_pool_passes() -> None:
    assert check_existing_cluster(SETTINGS, cluster(), OURS) == []


@pytest.mark.parametrize("version", ["1.26.6", "", "latest"])
def test_a_cluster_below_the_minimum_is_refused_with_how_to_upgrade(version: str) -> None:
    (problem,) = check_existing_cluster(SETTINGS, cluster(version), OURS)
    minimum = catalog.version_text(catalog.KATA_GA.min_kubernetes)
    assert (problem.key, problem.value) == ("clusterName", "aks")
    assert f"needs {minimum} or later" in problem.message
    assert "az aks upgrade --resource-group rg --name aks" in problem.message
    assert (version or "of unknown version") in problem.message


def test_the_minimum_itself_passes() -> None:
    minimum = catalog.version_text(catalog.KATA_GA.min_kubernetes)
    assert check_existing_cluster(SETTINGS, cluster(f"{minimum}.0"), OURS) == []


def test_a_pool_of_the_kata_pools_name_must_be_this_stacks() -> None:
    foreign = {"name": "katapool", "tags": {"owner": "team-b"}}
    (problem,) = check_existing_cluster(SETTINGS, cluster(pools=[foreign]), OURS)
    assert (problem.key, problem.value) == ("kataNodePoolName", "katapool")
    assert "already exists on aks" in problem.message and OURS in problem.message
    ours = {"name": "katapool", "tags": {catalog.MANAGED_BY_TAG: OURS}}
    assert check_existing_cluster(SETTINGS, cluster(pools=[ours]), OURS) == []
    other_stack = {"name": "katapool", "tags": {catalog.MANAGED_BY_TAG: "aks-pod-sandboxing/prod"}}
    assert len(check_existing_cluster(SETTINGS, cluster(pools=[other_stack]), OURS)) == 1
