"""The sandboxed pod's rules on plain data (no Pulumi)."""

from __future__ import annotations

from sandboxing import catalog
from sandboxing.config.contract import default_settings
from sandboxing.node_capacity import node_capacity
from sandboxing.rules import pods as pod_rules


def test_memory_must_fit_the_kata_node_with_overhead() -> None:
    node = node_capacity("Standard_D4s_v3")  # the default Kata size
    assert node is not None
    fits = node.allocatable_memory_mib - catalog.RUNTIME_CLASS_OVERHEAD_MIB
    assert pod_rules.check_pod_fits_node(default_settings(pod_memory_limit=f"{fits}Mi")) == []
    (problem,) = pod_rules.check_pod_fits_node(default_settings(pod_memory_limit=f"{fits + 1}Mi"))
    assert problem.key == "podMemoryLimit"
    assert f"{catalog.RUNTIME_CLASS_OVERHEAD_MIB}Mi RuntimeClass overhead" in problem.message
    assert f"{node.allocatable_memory_mib}Mi allocatable on Standard_D4s_v3" in problem.message


def test_cpu_must_fit_the_kata_node() -> None:
    (problem,) = pod_rules.check_pod_fits_node(default_settings(pod_cpu_limit="4"))
    assert (problem.key, problem.value) == ("podCpuLimit", "4")
    assert "allocatable on Standard_D4s_v3" in problem.message


def test_limits_that_are_not_quantities_are_left_to_the_key_checks() -> None:
    settings = default_settings(pod_cpu_limit="one", pod_memory_limit="1 GB")
    assert pod_rules.check_pod_fits_node(settings) == []


def test_sizes_without_capacity_data_pass() -> None:
    settings = default_settings(kata_node_vm_size="Standard_D4s_v9", pod_memory_limit="64Gi")
    assert pod_rules.check_pod_fits_node(settings) == []


def test_preview_runtime_class_is_a_warning_in_both_modes() -> None:
    preview = catalog.KATA_PREVIEW.runtime_class
    new = pod_rules.check_runtime_class(default_settings(runtime_class_name=preview))
    existing = pod_rules.check_runtime_class(
        default_settings(runtime_class_name=preview, cluster_mode="existing")
    )
    assert [p.severity for p in new] == ["warning"]
    assert [p.severity for p in existing] == ["warning"]
    assert "preview-era" in existing[0].message
    assert catalog.KATA_GA.runtime_class in existing[0].message


def test_an_own_runtime_class_is_a_warning_naming_the_class_aks_creates() -> None:
    (problem,) = pod_rules.check_runtime_class(default_settings(runtime_class_name="my-kata"))
    assert problem.severity == "warning"
    assert catalog.KATA_GA.runtime_class in problem.message and "my-kata" in problem.message


def test_the_default_class_and_a_malformed_one_get_no_warning() -> None:
    ga = catalog.KATA_GA.runtime_class
    assert pod_rules.check_runtime_class(default_settings(runtime_class_name=ga)) == []
    assert pod_rules.check_runtime_class(default_settings(runtime_class_name="Kata_VM")) == []
