"""Availability zones (where the region has them, each once) and the Kata pool's upgrade
settings (what AKS accepts), refused with their keys before anything is sent."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sandboxing import azure_regions
from sandboxing.config.contract import check_keys, default_settings, parse_settings
from sandboxing.config.settings import Problem
from sandboxing.config.validate import check_settings, errors, warnings
from sandboxing.pool_scaling import kata_surge_nodes, nodes_at_once
from sandboxing.rules.existing_cluster import check_existing_cluster
from sandboxing.zones import PoolZones, pool_zones

ZONES = ("1", "2", "3")


def problems(**fields: Any) -> list[Problem]:
    return check_settings(default_settings(location="westeurope", **fields))


def test_zone_regions_are_dated_data_of_known_regions() -> None:
    assert len(azure_regions.ZONE_REGIONS) == 39
    assert azure_regions.ZONE_REGIONS_AS_OF == "2025-09-23"
    assert azure_regions.has_zones("West Europe") and not azure_regions.has_zones("westus")


def test_zones_in_a_zonal_region_with_pools_in_every_zone() -> None:
    fields = {"availability_zones": ZONES, "kata_node_count": 3, "system_node_count": 3}
    assert problems(**fields) == []


def test_zones_where_the_region_has_none_are_refused_with_the_source() -> None:
    settings = default_settings(location="westus", availability_zones=("1", "2"))
    (problem,) = check_settings(settings)
    assert (problem.key, problem.value, problem.severity) == (
        "availabilityZones",
        ["1", "2"],
        "error",
    )
    assert "westus has no availability zones" in problem.message
    assert azure_regions.ZONE_REGIONS_AS_OF in problem.message


@pytest.mark.parametrize(
    ("raw", "key_value", "words"),
    [
        (["1", "4"], ["4"], "zone numbers 1, 2 or 3"),
        (["one"], ["one"], "zone numbers 1, 2 or 3"),
        ([True], [True], "list of zone numbers"),
        ({"zone": 1}, {"zone": 1}, "list of zone numbers"),
    ],
)
def test_a_zone_that_is_not_one_is_refused(raw: Any, key_value: Any, words: str) -> None:
    settings, parsed = parse_settings({"availabilityZones": json.dumps(raw)}, "westeurope")
    found = parsed + check_keys(settings)
    assert [(p.key, p.value) for p in found] == [("availabilityZones", key_value)]
    assert words in found[0].message


def test_yaml_numbers_are_zone_numbers_and_each_zone_counts_once() -> None:
    settings, parsed = parse_settings({"availabilityZones": "[1, 2, 2]"}, "westeurope")
    assert parsed == [] and settings.availability_zones == ("1", "2", "2")
    (problem,) = check_settings(settings)
    assert "names zone 2 more than once" in problem.message


def test_a_fixed_pool_smaller_than_its_zones_is_a_warning() -> None:
    found = problems(availability_zones=ZONES, kata_node_count=2)
    assert {(p.key, p.value, p.severity) for p in found} == {
        ("kataNodeCount", 2, "warning"),
        ("systemNodeCount", 1, "warning"),
    }
    # An autoscaled pool's size is the autoscaler's: scale to zero is a choice, not a slip.
    scaled = problems(
        availability_zones=ZONES,
        system_node_count=3,
        kata_enable_auto_scaling=True,
        kata_node_min_count=0,
    )
    assert scaled == []


def test_the_preflight_helper_lists_each_pool_with_its_size_and_zones() -> None:
    settings = default_settings(
        availability_zones=("1", "2"), system_pool_critical_addons_only=True
    )
    assert pool_zones(settings) == [
        PoolZones("systemNodeVmSize", "Standard_D2s_v5", ("1", "2"), 1),
        PoolZones("kataNodeVmSize", "Standard_D4s_v3", ("1", "2"), 1),
        PoolZones("userNodeVmSize", "Standard_D2s_v5", ("1", "2"), 1),
    ]
    existing = default_settings(cluster_mode="existing", availability_zones=("3",))
    assert pool_zones(existing) == [PoolZones("kataNodeVmSize", "Standard_D4s_v3", ("3",), 1)]


def test_an_existing_clusters_region_is_checked_when_it_is_looked_up() -> None:
    settings = default_settings(
        cluster_mode="existing",
        resource_group_name="rg",
        cluster_name="aks",
        availability_zones=("1",),
    )
    assert check_settings(settings) == []  # azure-native:location is not the cluster's region
    cluster = {"location": "westus", "kubernetesVersion": "1.33", "agentPoolProfiles": []}
    found = check_existing_cluster(settings, cluster, managed_by="p/s")
    assert [(p.key, p.severity) for p in found] == [("availabilityZones", "error")]
    assert "the cluster aks's region westus" in found[0].message
    assert check_existing_cluster(settings, {**cluster, "location": "eastus2"}, "p/s") == []


# --- Upgrades --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "nodes", "at_once"),
    [("1", 5, 1), ("33%", 5, 2), ("33%", 3, 1), ("100%", 4, 4), ("10", 3, 3), ("0", 9, 0)],
)
def test_surge_nodes_round_up_and_never_exceed_the_pool(
    setting: str, nodes: int, at_once: int
) -> None:
    assert nodes_at_once(setting, nodes) == at_once


def test_the_upgrade_defaults_are_fine_everywhere() -> None:
    assert problems() == []
    assert problems(kata_pool_placement="system") == []
    assert kata_surge_nodes(default_settings()) == 1


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("1.5", "whole number of nodes or a whole percentage"),
        ("-1", "whole number"),
        ("101%", "at most 100%"),
        ("1001", "at most 1000 nodes"),
        ("one", "e.g. 1 or 33%"),
    ],
)
def test_surge_and_unavailable_take_a_count_or_a_percentage(value: str, words: str) -> None:
    for field, key in (
        ("kata_max_surge", "kataMaxSurge"),
        ("kata_max_unavailable", "kataMaxUnavailable"),
    ):
        (problem,) = check_keys(default_settings(**{field: value}))
        assert (problem.key, problem.value) == (key, value) and words in problem.message


def test_no_surge_needs_unavailable_nodes() -> None:
    (problem,) = problems(kata_max_surge="0")
    assert (problem.key, problem.severity) == ("kataMaxSurge", "error")
    assert "AKS needs a surge node" in problem.message
    assert problems(kata_max_surge="0", kata_max_unavailable="1") == []


def test_max_unavailable_is_refused_on_the_system_pool() -> None:
    (problem,) = problems(kata_pool_placement="system", kata_max_unavailable="1")
    assert (problem.key, problem.value) == ("kataMaxUnavailable", "1")
    assert "System pools" in problem.message


def test_a_fixed_pool_of_1000_cannot_surge_an_autoscaled_one_is_warned() -> None:
    (fixed,) = errors(problems(kata_node_count=1000, sku_tier="Standard"))
    assert fixed.key == "kataMaxSurge" and "1000 nodes a pool may have" in fixed.message
    assert (
        problems(
            kata_node_count=1000, sku_tier="Standard", kata_max_surge="0", kata_max_unavailable="1"
        )
        == []
    )
    scaled = problems(kata_enable_auto_scaling=True, kata_node_max_count=1000, sku_tier="Standard")
    assert [(p.key, p.severity) for p in warnings(scaled)] == [("kataMaxSurge", "warning")]


@pytest.mark.parametrize(
    ("field", "value", "key", "words"),
    [
        ("kata_drain_timeout_minutes", 4, "kataDrainTimeoutMinutes", "between 5 and 1440"),
        ("kata_drain_timeout_minutes", 1441, "kataDrainTimeoutMinutes", "between 5 and 1440"),
        ("kata_node_soak_minutes", 31, "kataNodeSoakMinutes", "between 0 and 30"),
        (
            "kata_undrainable_node_behavior",
            "cordon",
            "kataUndrainableNodeBehavior",
            "one of Cordon, Schedule",
        ),
    ],
)
def test_drain_soak_and_undrainable_bounds(field: str, value: Any, key: str, words: str) -> None:
    (problem,) = check_keys(default_settings(**{field: value}))
    assert (problem.key, problem.value) == (key, value) and words in problem.message
