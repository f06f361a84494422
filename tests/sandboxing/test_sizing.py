"""Sandbox VM sizing (GA rules) against hand-computed examples."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sandboxing.config.contract import default_settings
from sandboxing.node_capacity import node_capacity
from sandboxing.sizing import kata_pool_capacity, sandbox_sizing, stack_nodes, stack_sizing


def test_node_capacity_d4s_v3_by_hand() -> None:
    node = node_capacity("Standard_D4s_v3")
    assert node is not None
    # 4 vCPU, 16 GiB; kube-reserved = min(20*250+50, 25% of 16384) = 4096; eviction 100.
    assert (node.vcpus, node.memory_mib) == (4, 16384)
    assert node.allocatable_memory_mib == 16384 - 4096 - 100
    assert node.allocatable_millicpu == 4000 - 140


def test_node_capacity_large_node_caps_reservation_by_pods() -> None:
    node = node_capacity("Standard_D8s_v5")
    assert node is not None
    # 32 GiB: 25% would be 8192, the per-pod formula gives 5050.
    assert node.allocatable_memory_mib == 32768 - 5050 - 100
    assert node.allocatable_millicpu == 8000 - 180


def test_memory_overrides_of_irregular_sizes() -> None:
    node = node_capacity("Standard_E64s_v3")
    assert node is not None and node.memory_mib == 432 * 1024


def test_default_pod_one_cpu_one_gib_on_d4s_v3() -> None:
    sizing = sandbox_sizing("1", "1Gi", "Standard_D4s_v3")
    assert sizing.pod_vm_vcpus == 1
    assert sizing.pod_vm_memory_mib == 1024
    assert sizing.host_memory_per_pod_mib == 1024 + 600
    # memory allows 12188 // 1624 = 7, CPU allows 3860 // 1000 = 3
    assert sizing.pods_per_node == 3


def test_fractional_cpu_rounds_up_to_whole_vcpus() -> None:
    sizing = sandbox_sizing("1500m", "2Gi", "Standard_D8s_v5")
    assert sizing.pod_vm_vcpus == 2
    assert sizing.cpu_request_millicores == 1500
    assert sizing.host_memory_per_pod_mib == 2648
    # memory: 27618 // 2648 = 10; CPU: 7820 // 1500 = 5 (the scheduler counts the request)
    assert sizing.pods_per_node == 5


def test_small_cpu_still_gets_one_vcpu() -> None:
    sizing = sandbox_sizing("250m", "128Mi", "Standard_D4s_v3")
    assert sizing.pod_vm_vcpus == 1
    assert sizing.pod_vm_memory_mib == 128
    assert sizing.host_memory_per_pod_mib == 728
    assert sizing.pods_per_node == min(12188 // 728, 3860 // 250)


def test_no_limits_use_the_kata_defaults() -> None:
    sizing = sandbox_sizing(None, None, "Standard_D4s_v3")
    assert sizing.pod_vm_vcpus == 1
    assert sizing.pod_vm_memory_mib == 512
    assert sizing.host_memory_per_pod_mib == 1112
    assert sizing.pods_per_node == 12188 // 1112


def test_decimal_memory_units_are_converted() -> None:
    sizing = sandbox_sizing("2", "1G", "Standard_D4s_v3")
    assert sizing.pod_vm_memory_mib == 954  # 10^9 bytes = 953.67 MiB, rounded up
    assert sizing.pod_vm_vcpus == 2


def test_unknown_size_gives_pod_figures_but_no_node_figures() -> None:
    sizing = sandbox_sizing("1", "1Gi", "Standard_D4ls_v6")
    assert sizing.node is None and sizing.pods_per_node is None
    assert sizing.pod_vm_memory_mib == 1024


def test_stack_output_carries_the_sizing(dev_run) -> None:
    out = dev_run.outputs["sandboxSizing"]
    assert out.value["podVmVcpus"] == 1
    assert out.value["hostMemoryPerPodMib"] == 1624
    assert out.value["podsPerNode"] == 3
    assert out.value["node"]["vmSize"] == "Standard_D4s_v3"
    assert out.value["stackNodes"]["kataPoolPlacement"] == "dedicated"
    assert out.value["stackNodes"]["vcpus"] == 6  # D4s_v3 Kata node + D2s_v5 System node


@pytest.mark.parametrize(
    ("overrides", "kata", "oci", "vcpus", "shared"),
    [
        # A new cluster, dedicated: D4s_v3 Kata node + D2s_v5 OCI System node.
        ({}, 1, 1, 4 + 2, False),
        ({"kata_node_count": 2, "system_node_count": 3}, 2, 3, 2 * 4 + 3 * 2, False),
        # The cluster exists: the stack adds only the Kata pool.
        ({"cluster_mode": "existing"}, 1, 0, 4, False),
        # The docs' one-pool cluster: the Kata nodes are all there is.
        ({"kata_pool_placement": "system"}, 1, 0, 4, True),
        ({"kata_pool_placement": "system", "kata_node_count": 3}, 3, 0, 12, True),
    ],
)
def test_nodes_the_stack_adds_follow_the_placement(
    overrides: dict, kata: int, oci: int, vcpus: int, shared: bool
) -> None:
    nodes = stack_nodes(default_settings(**overrides))
    assert (nodes.kata_nodes, nodes.oci_system_nodes, nodes.vcpus) == (kata, oci, vcpus)
    assert nodes.system_pods_on_kata_nodes is shared
    assert nodes.kata_pool_placement == overrides.get("kata_pool_placement", "dedicated")


def test_unreadable_size_gives_no_vcpu_total() -> None:
    assert stack_nodes(default_settings(system_node_vm_size="big")).vcpus is None
    # ...unless that size is not used.
    one_pool = default_settings(kata_pool_placement="system", system_node_vm_size="big")
    assert stack_nodes(one_pool).vcpus == 4


def test_stack_sizing_is_the_pod_sizing_plus_the_nodes() -> None:
    settings = default_settings(kata_pool_placement="system")
    sizing = stack_sizing(settings)
    assert sizing.stack_nodes == stack_nodes(settings)
    assert sizing.kata_pool == kata_pool_capacity(settings)
    pod_only = replace(sizing, stack_nodes=None, kata_pool=None)
    assert pod_only == sandbox_sizing("1", "1Gi", "Standard_D4s_v3")
    assert sizing.as_output()["stackNodes"] == {
        "kataPoolPlacement": "system",
        "kataNodes": 1,
        "ociSystemNodes": 0,
        "vcpus": 4,
        "systemPodsOnKataNodes": True,
        "userNodes": 0,
    }


def test_the_user_pool_counts_with_critical_addons_only() -> None:
    settings = default_settings(
        system_pool_critical_addons_only=True,
        user_node_count=3,
        user_node_vm_size="Standard_D8ds_v5",
    )
    nodes = stack_nodes(settings)
    # 1 x 2 (System) + 1 x 4 (Kata) + 3 x 8 (User)
    assert (nodes.user_nodes, nodes.vcpus) == (3, 30)
    assert stack_nodes(default_settings(user_node_count=3)).user_nodes == 0  # key not used


# --- The Kata pool between its autoscaler's bounds -------------------------------------------


def test_a_fixed_pool_holds_pods_per_node_times_nodes_less_the_demo_pod() -> None:
    pool = kata_pool_capacity(default_settings(kata_node_count=2))
    # D4s_v3: 3 pods of 1 CPU / 1Gi per node (CPU decides), the demo's untrusted pod takes one.
    assert (pool.min_nodes, pool.initial_nodes, pool.max_nodes) == (2, 2, 2)
    assert (pool.sandbox_pods_at_min, pool.sandbox_pods_at_max) == (5, 5)


def test_an_autoscaled_pool_from_zero_to_its_maximum() -> None:
    settings = default_settings(
        kata_enable_auto_scaling=True, kata_node_min_count=0, kata_node_max_count=10
    )
    pool = kata_pool_capacity(settings)
    assert pool.autoscaling and (pool.min_nodes, pool.initial_nodes, pool.max_nodes) == (0, 1, 10)
    assert (pool.sandbox_pods_at_min, pool.sandbox_pods_at_initial, pool.sandbox_pods_at_max) == (
        0,
        2,
        29,
    )
    assert stack_sizing(settings).as_output()["kataPool"]["sandboxPodsAtMax"] == 29


def test_reserved_pods_are_held_back_for_a_warm_pool() -> None:
    settings = default_settings(kata_enable_auto_scaling=True, kata_node_max_count=4)
    pool = kata_pool_capacity(settings, reserved_pods=5)
    assert (pool.reserved_pods, pool.sandbox_pods_at_initial, pool.sandbox_pods_at_max) == (
        5,
        0,
        12 - 1 - 5,
    )
    assert stack_sizing(settings, reserved_pods=5).kata_pool == pool


def test_an_unknown_size_gives_node_counts_but_no_pod_counts() -> None:
    pool = kata_pool_capacity(default_settings(kata_node_vm_size="Standard_D4ls_v6"))
    assert pool.max_nodes == 1 and pool.sandbox_pods_at_max is None
