"""What a tenant's quota holds and whether all tenants fit the Kata pool (with overhead)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sandboxing import catalog
from sandboxing.config.contract import default_settings
from sandboxing.config.settings import Settings
from sandboxing.config.validate import check_settings
from sandboxing.node_capacity import node_capacity
from sandboxing.sizing import stack_sizing
from sandboxing.tenants.capacity import tenant_pool
from sandboxing.tenants.capacity_rule import check_tenant_capacity
from sandboxing.tenants.config import parse_tenants

OVERHEAD = catalog.RUNTIME_CLASS_OVERHEAD_MIB


def settings(*tenants: dict[str, object], nodes: int = 2) -> Settings:
    return default_settings(tenants=parse_tenants(list(tenants))[0], kata_node_count=nodes)


def test_quota_counts_each_pod_with_its_kata_overhead() -> None:
    pool = tenant_pool(
        settings(
            {
                "name": "a",
                "memoryQuota": "6Gi",
                "cpuQuota": "8",
                "podMemory": "1Gi",
                "podCpu": "500m",
            }
        )
    )
    assert pool is not None
    (a,) = pool.tenants
    assert a.default_pod_charged_memory_mib == 1024 + OVERHEAD
    # 6144 // 1624 = 3 pods by memory; without the overhead it would be 6.
    assert a.default_pods_allowed == 6144 // (1024 + OVERHEAD) == 3


def test_the_smallest_of_cpu_memory_and_pod_count_decides() -> None:
    pool = tenant_pool(
        settings(
            {"name": "cpu", "cpuQuota": "1500m", "memoryQuota": "16Gi"},
            {"name": "pods", "maxPods": 2, "memoryQuota": "16Gi", "cpuQuota": "3"},
        )
    )
    assert pool is not None
    assert [t.default_pods_allowed for t in pool.tenants] == [1, 2]


def test_limit_range_max_is_one_kata_node_minus_the_overhead() -> None:
    node = node_capacity("Standard_D4s_v3")
    pool = tenant_pool(settings({"name": "a"}))
    assert node is not None and pool is not None
    assert pool.tenants[0].max_pod_memory_mib == node.allocatable_memory_mib - OVERHEAD
    assert pool.tenants[0].max_pod_cpu_millicores == node.allocatable_millicpu


def test_pool_is_every_kata_node_less_the_demo_pod() -> None:
    node = node_capacity("Standard_D4s_v3")
    pool = tenant_pool(settings({"name": "a"}, nodes=3))
    assert node is not None and pool is not None
    assert pool.allocatable_memory_mib == 3 * node.allocatable_memory_mib - (1024 + OVERHEAD)
    assert pool.allocatable_millicpu == 3 * node.allocatable_millicpu - 1000


def test_oversubscription_is_a_warning_with_the_numbers() -> None:
    s = settings({"name": "a", "cpuQuota": "3500m"}, {"name": "b", "cpuQuota": "3500m"}, nodes=2)
    pool = tenant_pool(s)
    assert pool is not None and pool.fits is False
    (warning,) = check_tenant_capacity(s)
    assert warning.severity == "warning" and warning.key == "tenants"
    assert "add up to 7000m CPU and 8192Mi memory" in warning.message
    assert (
        f"{pool.allocatable_millicpu}m CPU and {pool.allocatable_memory_mib}Mi" in warning.message
    )
    assert check_tenant_capacity(settings({"name": "a"}, {"name": "b"}, nodes=2)) == []


def test_one_tenant_larger_than_the_whole_pool_is_an_error() -> None:
    s = settings({"name": "a", "memoryQuota": "64Gi"}, nodes=2)
    errors = [p for p in check_tenant_capacity(s) if p.severity == "error"]
    assert [(p.key, p.value) for p in errors] == [("tenants[0].memoryQuota", "64Gi")]
    assert "more than the whole Kata pool" in errors[0].message


def test_a_default_pod_that_fits_no_node_or_no_quota_is_an_error() -> None:
    s = settings(
        {"name": "a", "podMemory": "12Gi", "memoryQuota": "14Gi"},
        {"name": "b", "podCpu": "2", "cpuQuota": "1"},
        nodes=4,
    )
    found = {p.key: p.message for p in check_tenant_capacity(s) if p.severity == "error"}
    assert "does not fit one Kata node" in found["tenants[0].podMemory"]
    assert found["tenants[1].cpuQuota"] == (
        "holds no pod of the default size: one needs 2000m (podCpu 2); raise cpuQuota to at "
        "least 2000m or lower podCpu"
    )


@pytest.mark.parametrize(
    ("quota", "refused"),
    [
        ("10", True),
        ("1023Ki", True),
        ("1Mi", True),
        ("1623Mi", True),
        ("1624Mi", False),
        ("1702887424", False),
        ("1702887423", True),
    ],
)
def test_a_memory_quota_below_one_default_pod_with_overhead_is_an_error(
    quota: str, refused: bool
) -> None:
    # 1Gi + the Kata overhead = 1624Mi = 1702887424 bytes; "10" is ten bytes, not 10Mi.
    s = settings({"name": "a", "memoryQuota": quota, "podMemory": "1Gi"})
    found = [(p.key, p.value, p.message) for p in check_tenant_capacity(s)]
    expected = [
        (
            "tenants[0].memoryQuota",
            quota,
            f"holds no pod of the default size: one needs {1024 + OVERHEAD}Mi (podMemory 1Gi plus "
            f"the {OVERHEAD}Mi Kata overhead); raise memoryQuota to at least "
            f"{1024 + OVERHEAD}Mi or lower podMemory",
        )
    ]
    assert found == (expected if refused else [])


def test_cpu_and_memory_quota_too_small_are_both_reported() -> None:
    s = settings({"name": "a", "cpuQuota": "1m", "memoryQuota": "10"})
    keys = [p.key for p in check_tenant_capacity(s) if p.severity == "error"]
    assert keys == ["tenants[0].cpuQuota", "tenants[0].memoryQuota"]
    # and the whole config check reports them too (nothing else refuses "10" bytes)
    assert {"tenants[0].cpuQuota", "tenants[0].memoryQuota"} <= {
        p.key for p in check_settings(s) if p.severity == "error"
    }


def test_sandbox_sizing_output_carries_the_tenants() -> None:
    output = stack_sizing(settings({"name": "a"})).as_output()
    assert output["tenants"]["tenants"][0]["name"] == "a"
    assert output["tenants"]["tenants"][0]["defaultPodsAllowed"] == 2  # 2 CPU / 1, 4Gi / 1624Mi
    assert stack_sizing(default_settings()).as_output()["tenants"] is None


# --- An autoscaled Kata pool: the quotas are held against its maximum -------------------------


def scaled(*tenants: dict[str, object], low: int = 0, high: int = 4) -> Settings:
    return default_settings(
        tenants=parse_tenants(list(tenants))[0],
        kata_node_count=1,
        kata_enable_auto_scaling=True,
        kata_node_min_count=low,
        kata_node_max_count=high,
    )


def test_an_autoscaled_pool_is_shared_at_its_bounds() -> None:
    node = node_capacity("Standard_D4s_v3")
    pool = tenant_pool(scaled({"name": "a"}))
    assert node is not None and pool is not None and pool.autoscaling
    assert pool.at_min is not None and pool.at_max is not None
    assert (pool.at_min.nodes, pool.kata_nodes, pool.at_max.nodes) == (0, 1, 4)
    assert pool.at_min.allocatable_millicpu == 0  # no node: nothing to share, not below zero
    assert pool.at_max.allocatable_millicpu == 4 * node.allocatable_millicpu - 1000
    assert pool.largest == pool.at_max


def test_quotas_beyond_the_start_but_within_the_maximum_are_fine() -> None:
    s = scaled({"name": "a", "cpuQuota": "3500m"}, {"name": "b", "cpuQuota": "3500m"})
    pool = tenant_pool(s)
    assert pool is not None and pool.fits is False and pool.largest.fits is True
    assert check_tenant_capacity(s) == []


def test_quotas_beyond_the_maximum_name_the_maximum() -> None:
    s = scaled({"name": "a", "cpuQuota": "3500m"}, {"name": "b", "cpuQuota": "3500m"}, high=2)
    (warning,) = check_tenant_capacity(s)
    assert warning.severity == "warning"
    assert "at its maximum of 2 node(s) (kataNodeMaxCount)" in warning.message
    found = check_tenant_capacity(scaled({"name": "a", "cpuQuota": "8"}, high=2))
    (error,) = [p for p in found if p.severity == "error"]
    assert error.key == "tenants[0].cpuQuota" and "raise kataNodeMaxCount" in error.message


def test_ephemeral_storage_counts_against_the_kata_nodes_os_disks() -> None:
    # 128 GiB (AKS's default OS disk) less the kubelet's 10%: 117964Mi a node, 2 nodes.
    pool = tenant_pool(settings({"name": "a"}, {"name": "b", "ephemeralStorageQuota": "20Gi"}))
    assert pool is not None
    assert (pool.node_os_disk_gib, pool.allocatable_ephemeral_storage_mib) == (128, 2 * 117964)
    assert pool.quota_ephemeral_storage_mib == 30 * 1024
    assert pool.tenants[0].max_pod_ephemeral_storage_mib == 117964
    small = tenant_pool(replace(settings({"name": "a"}), os_disk_size_gb=60))
    assert small is not None and small.allocatable_ephemeral_storage_mib == 2 * 55296


def test_ephemeral_quotas_beyond_the_disks_are_a_warning_naming_the_eviction() -> None:
    many = [
        {
            "name": f"t{i}",
            "ephemeralStorageQuota": "40Gi",
            "cpuQuota": "500m",
            "memoryQuota": "2Gi",
            "podCpu": "500m",
        }
        for i in range(3)
    ]
    s = replace(settings(*many), os_disk_size_gb=50)  # 2 x 46080Mi
    pool = tenant_pool(s)
    assert pool is not None and pool.fits is False
    (warning,) = check_tenant_capacity(s)
    assert (warning.key, warning.severity) == ("tenants", "warning")
    assert "ephemeral storage quotas add up to 122880Mi" in warning.message
    assert "92160Mi (2 node(s) x 50 GiB OS disk, less the 10% the kubelet keeps free)" in (
        warning.message
    )
    assert "evicts pods, other tenants' included" in warning.message


def test_an_ephemeral_quota_or_default_beyond_what_the_disks_hold_is_an_error() -> None:
    s = replace(
        settings(
            {"name": "a", "ephemeralStorageQuota": "100Gi"},
            {"name": "b", "podEphemeralStorage": "60Gi", "ephemeralStorageQuota": "60Gi"},
            {"name": "c", "podEphemeralStorage": "2Gi", "ephemeralStorageQuota": "1Gi"},
        ),
        os_disk_size_gb=50,
    )
    found = {p.key: p.message for p in check_tenant_capacity(s) if p.severity == "error"}
    assert (
        "is more than the Kata nodes' disks give pods: 92160Mi"
        in (found["tenants[0].ephemeralStorageQuota"])
    )
    assert "does not fit one Kata node's disk" in found["tenants[1].podEphemeralStorage"]
    assert found["tenants[2].ephemeralStorageQuota"].startswith(
        "holds no pod of the default size: one needs 2048Mi (podEphemeralStorage 2Gi)"
    )


def test_the_default_pods_allowed_count_their_ephemeral_storage_too() -> None:
    # CPU and memory hold 2 default pods (2 / 1, 4Gi / 1624Mi), the disk quota 1.
    pool = tenant_pool(
        settings({"name": "a", "ephemeralStorageQuota": "767Mi", "podEphemeralStorage": "512Mi"})
    )
    assert pool is not None and pool.tenants[0].default_pods_allowed == 1
    output = stack_sizing(settings({"name": "a"})).as_output()["tenants"]
    assert output["allocatableEphemeralStorageMib"] == 2 * 117964
    assert output["tenants"][0]["ephemeralStorageQuotaMib"] == 10240
