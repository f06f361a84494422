"""Autoscaled pools: min <= count <= max, no System pool at zero, and AKS's node limits."""

from __future__ import annotations

from typing import Any

import pytest

from sandboxing import pool_scaling
from sandboxing.config.contract import check_keys, default_settings
from sandboxing.config.settings import Problem
from sandboxing.config.validate import check_settings, errors
from sandboxing.sizing import pool_sizes


def problems(**fields: Any) -> list[Problem]:
    return check_settings(default_settings(location="westeurope", **fields))


def found(**fields: Any) -> list[tuple[str, Any, str]]:
    return [(p.key, p.value, p.severity) for p in problems(**fields)]


KATA = {"kata_enable_auto_scaling": True}
USER = {"system_pool_critical_addons_only": True, "user_enable_auto_scaling": True}


def test_autoscaling_with_the_defaults_is_fine() -> None:
    assert problems(**KATA) == []
    assert problems(**USER) == []


def test_a_dedicated_kata_pool_may_scale_to_zero() -> None:
    assert problems(**KATA, kata_node_min_count=0, kata_node_max_count=5) == []


def test_a_kata_pool_that_is_the_system_pool_may_not() -> None:
    (problem,) = problems(**KATA, kata_pool_placement="system", kata_node_min_count=0)
    assert (problem.key, problem.value, problem.severity) == ("kataNodeMinCount", 0, "error")
    assert "System pool" in problem.message and "kataPoolPlacement dedicated" in problem.message


def test_a_system_pool_of_one_node_is_a_warning_citing_the_docs() -> None:
    (problem,) = problems(**KATA, kata_pool_placement="system")
    assert (problem.key, problem.severity) == ("kataNodeMinCount", "warning")
    assert "must contain at least two nodes" in problem.message
    assert (
        problems(**KATA, kata_pool_placement="system", kata_node_min_count=2, kata_node_count=2)
        == []
    )


@pytest.mark.parametrize(
    ("fields", "key", "value", "words"),
    [
        (
            {"kata_node_count": 4},
            "kataNodeCount",
            4,
            "must be between kataNodeMinCount (1) and kataNodeMaxCount (3)",
        ),
        ({"kata_node_min_count": 2}, "kataNodeCount", 1, "initial size"),
        (
            {"kata_node_min_count": 5, "kata_node_max_count": 4},
            "kataNodeMinCount",
            5,
            "more than kataNodeMaxCount (4)",
        ),
    ],
)
def test_the_initial_size_lies_within_the_bounds(
    fields: dict[str, Any], key: str, value: int, words: str
) -> None:
    (problem,) = problems(**KATA, **fields)
    assert (problem.key, problem.value, problem.severity) == (key, value, "error")
    assert words in problem.message


def test_equal_bounds_are_a_warning() -> None:
    assert found(**KATA, kata_node_max_count=1) == [("kataNodeMaxCount", 1, "warning")]


def test_the_user_pool_has_the_same_bounds() -> None:
    assert found(**USER, user_node_count=5) == [("userNodeCount", 5, "error")]
    assert problems(**USER, user_node_min_count=0) == []


def test_bounds_are_not_read_without_autoscaling() -> None:
    # kataNodeMaxCount 0 is outside its own range, but unused: a warning only, no refusal.
    found_keys = check_keys(default_settings(kata_node_max_count=0, kata_node_min_count=7))
    assert {(p.key, p.severity) for p in found_keys} == {
        ("kataNodeMaxCount", "warning"),
        ("kataNodeMinCount", "warning"),
    }
    assert all("without kataEnableAutoScaling: true" in p.message for p in found_keys)
    assert [p.key for p in check_keys(default_settings(**KATA, kata_node_max_count=0))] == [
        "kataNodeMaxCount"
    ]


def test_the_quota_preflight_sees_the_maximum() -> None:
    fixed = {p.key: p.most_nodes for p in pool_sizes(default_settings(kata_node_count=2))}
    assert fixed == {"systemNodeVmSize": 1, "kataNodeVmSize": 2}
    scaled = default_settings(**KATA, kata_node_max_count=8, **USER, user_node_max_count=5)
    assert {p.key: p.most_nodes for p in pool_sizes(scaled)} == {
        "systemNodeVmSize": 1,
        "kataNodeVmSize": 8,
        "userNodeVmSize": 5,
    }


def test_every_pool_at_its_largest_stays_within_the_clusters_node_limit() -> None:
    """Why no rule checks AKS's 5000 nodes per cluster: the pools cannot reach it. A new pool
    that could makes this fail, and the rule then needs that check."""
    largest = default_settings(
        **KATA,
        kata_node_max_count=1000,
        **USER,
        user_node_max_count=1000,
        system_node_count=1000,
        sku_tier="Standard",
        location="westeurope",
    )
    total = sum(pool.most_nodes for pool in pool_sizes(largest))
    assert total == 3000 <= pool_scaling.MAX_NODES_PER_CLUSTER
    # Only the Kata pool's upgrade surge at 1000 nodes is worth a word.
    assert [p.key for p in check_settings(largest)] == ["kataMaxSurge"]


def test_the_free_tier_holds_1000_nodes_and_is_meant_for_fewer_than_10() -> None:
    (refused,) = errors(problems(**KATA, kata_node_max_count=1000))
    assert (refused.key, refused.value, refused.severity) == ("skuTier", "Free", "error")
    assert "1001 nodes together: 1 (systemNodeVmSize) + 1000 (kataNodeVmSize)" in refused.message
    (warned,) = problems(**KATA, kata_node_max_count=9)
    assert (warned.key, warned.severity) == ("skuTier", "warning")
    assert "fewer than 10 nodes" in warned.message
    assert problems(**KATA, kata_node_max_count=8) == []
    assert problems(**KATA, kata_node_max_count=9, sku_tier="Standard") == []


def test_an_existing_cluster_is_not_summed() -> None:
    settings = {"cluster_mode": "existing", "resource_group_name": "rg", "cluster_name": "aks"}
    assert problems(**settings, **KATA, kata_node_max_count=999) == []


# --- The cluster autoscaler profile ----------------------------------------------------------

PROFILE_KEYS = {
    "autoscaler_scale_down_delay_after_add": "autoscalerScaleDownDelayAfterAdd",
    "autoscaler_scale_down_unneeded_time": "autoscalerScaleDownUnneededTime",
    "autoscaler_max_node_provision_time": "autoscalerMaxNodeProvisionTime",
}


@pytest.mark.parametrize("field", sorted(PROFILE_KEYS))
@pytest.mark.parametrize("bad", ["10", "10s", "1h", "m", " 10m", "1.5m"])
def test_durations_are_whole_minutes(field: str, bad: str) -> None:
    (problem,) = check_keys(default_settings(**KATA, **{field: bad}))
    assert (problem.key, problem.value) == (PROFILE_KEYS[field], bad)
    assert "whole minutes followed by m" in problem.message


def test_the_profiles_limits_and_warnings() -> None:
    assert check_keys(default_settings(**KATA, autoscaler_scale_down_delay_after_add="0m")) == []
    (zero,) = check_keys(default_settings(**KATA, autoscaler_max_node_provision_time="0m"))
    assert zero.message == "must be at least 1m"
    (short,) = check_keys(default_settings(**KATA, autoscaler_max_node_provision_time="3m"))
    assert short.severity == "warning" and "2-5 min" in short.message
    (priority,) = check_keys(default_settings(**KATA, autoscaler_expander="priority"))
    assert priority.severity == "warning" and "ConfigMap" in priority.message
    (unknown,) = check_keys(default_settings(**KATA, autoscaler_expander="cheapest"))
    assert unknown.message == "must be one of random, least-waste, most-pods, priority"


@pytest.mark.parametrize(
    "fields",
    [{}, {"cluster_mode": "existing", **KATA}, {"user_enable_auto_scaling": True}],
    ids=["no-autoscaling", "existing-cluster", "user-autoscaling-without-user-pool"],
)
def test_the_profile_is_not_used_without_an_autoscaled_pool_of_a_new_cluster(
    fields: dict[str, Any],
) -> None:
    settings = default_settings(**fields, autoscaler_scale_down_unneeded_time="nonsense")
    (problem,) = [p for p in check_keys(settings) if p.key == "autoscalerScaleDownUnneededTime"]
    assert problem.severity == "warning" and "is not used without an autoscaled pool" in (
        problem.message
    )


def test_a_count_out_of_its_own_range_is_only_its_keys_problem() -> None:
    assert found(**KATA, kata_node_min_count=1001) == [("kataNodeMinCount", 1001, "error")]
    assert found(system_node_count=1001) == [("systemNodeCount", 1001, "error")]
    full = {"kata_node_min_count": 1000, "kata_node_count": 1000, "kata_node_max_count": 1000}
    assert [p.key for p in problems(**KATA, **full, sku_tier="Standard")] == [
        "kataNodeMaxCount",
        "kataMaxSurge",
    ]
    assert found(kata_node_count=1001, availability_zones=("1", "2")) == [
        ("kataNodeCount", 1001, "error"),
        ("systemNodeCount", 1, "warning"),
    ]
