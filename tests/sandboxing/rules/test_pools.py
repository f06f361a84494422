"""The node-pool rules on plain data (no Pulumi)."""

from __future__ import annotations

import pytest

from sandboxing import catalog, vm_sizes
from sandboxing.config.contract import default_settings
from sandboxing.config.validate import problems_of
from sandboxing.node_capacity import node_capacity
from sandboxing.rules import pools as pool_rules

GOOD_SIZES = [
    "Standard_D4s_v3",
    "Standard_D8s_v4",
    "Standard_D4ds_v4",
    "Standard_D4s_v5",
    "Standard_D16ds_v5",
    "Standard_E4s_v3",
    "Standard_E8s_v4",
    "Standard_E4ds_v4",
    "Standard_E8s_v5",
    "Standard_E16ds_v5",
    "Standard_D4as_v5",
    "Standard_D8ads_v5",
    "Standard_D4ads_v7",
    "Standard_D4s_v6",
    "Standard_D4as_v6",
    "Standard_D4as_v7",
    "Standard_E4s_v6",
]


@pytest.mark.parametrize("vm_size", GOOD_SIZES)
def test_every_listed_family_passes(vm_size: str) -> None:
    assert problems_of(default_settings(kata_node_vm_size=vm_size), "kataNodeVmSize") == []


def test_every_listed_family_has_a_good_size_above() -> None:
    # The list above covers the catalog, so a new family gets a size here too.
    families = {vm_sizes.parse_vm_size(size).family for size in GOOD_SIZES}  # type: ignore[union-attr]
    assert families == set(vm_sizes.KATA_VM_FAMILIES)


@pytest.mark.parametrize(
    ("size", "fragment"),
    [
        ("Standard_D2_v3", "Generation 1"),
        ("Standard_B2s", "burstable"),
        ("Standard_B4ms", "burstable"),
        ("Standard_A4_v2", "A-series"),
        ("Standard_DS3_v2", "Dv2/Dsv2"),
        ("Standard_DC2s_v3", "confidential"),
        ("Standard_D2ps_v5", "Arm64"),
        ("Standard_D4as_v4", "nested virtualization"),
        ("Standard_D4s_v9", "not in the known"),
        ("Standard_D6s_v3", "not in the known"),  # a vCPU count the family does not have
        ("Standard-D4s-v3", "not an Azure VM size"),
        ("D4s_v3", "not an Azure VM size"),
    ],
)
def test_kata_vm_size_errors_say_why_and_list_the_families(size: str, fragment: str) -> None:
    (problem,) = problems_of(default_settings(kata_node_vm_size=size), "kataNodeVmSize")
    assert (problem.key, problem.value, problem.severity) == ("kataNodeVmSize", size, "error")
    assert fragment in problem.message
    if "not an Azure VM size" not in fragment:
        assert ", ".join(vm_sizes.KATA_VM_FAMILIES) in problem.message


def test_unknown_size_is_a_warning_with_the_escape_hatch() -> None:
    settings = default_settings(kata_node_vm_size="Standard_D4s_v9", allow_unlisted_vm_size=True)
    (problem,) = problems_of(settings, "kataNodeVmSize")
    assert problem.severity == "warning" and "allowUnlistedVmSize" in problem.message
    assert vm_sizes.AKS_VM_SIZE_REFUSAL in problem.message


@pytest.mark.parametrize(
    ("size", "family", "memory_gib"),
    [
        ("Standard_D4s_v6", "Dsv6", 16),
        ("Standard_D192s_v6", "Dsv6", 768),
        ("Standard_D4as_v6", "Dasv6", 16),
        ("Standard_D4as_v7", "Dasv7", 16),
        ("Standard_D160as_v7", "Dasv7", 640),
        ("Standard_E4s_v6", "Esv6", 32),
        ("Standard_E20s_v6", "Esv6", 160),
    ],
)
def test_v6_and_v7_families_with_nested_virtualization_are_accepted(
    size: str, family: str, memory_gib: int
) -> None:
    parsed = vm_sizes.parse_vm_size(size)
    assert parsed is not None and parsed.family == family
    assert problems_of(default_settings(kata_node_vm_size=size), "kataNodeVmSize") == []
    node = node_capacity(size)  # the sizing math knows them too
    assert node is not None and node.memory_mib == memory_gib * 1024


@pytest.mark.parametrize(
    "size",
    [
        "Standard_D8s_v6x",  # not a size name at all
        "Standard_D6s_v6",  # no 6-vCPU size in the family
        "Standard_E192is_v6",  # the isolated size parses as another family (Eisv6)
    ],
)
def test_new_families_still_check_the_size_exists(size: str) -> None:
    (problem,) = problems_of(default_settings(kata_node_vm_size=size), "kataNodeVmSize")
    assert problem.severity == "error"


@pytest.mark.parametrize("size", ["Standard_D4as_v4", "Standard_B4ms", "Standard_A4_v2"])
def test_size_without_nested_virtualization_names_the_aks_refusal(size: str) -> None:
    problems = problems_of(
        default_settings(kata_node_vm_size=size, allow_unlisted_vm_size=True), "kataNodeVmSize"
    )
    assert [p.severity for p in problems] == ["error"]
    assert "nested virtualization" in problems[0].message
    assert vm_sizes.AKS_VM_SIZE_REFUSAL in problems[0].message


def test_unlisted_size_says_aks_refuses_sizes_without_nested_virtualization() -> None:
    (problem,) = problems_of(
        default_settings(kata_node_vm_size="Standard_D4ls_v6"), "kataNodeVmSize"
    )
    assert problem.severity == "error"
    assert "family Dlsv6 (4 vCPUs) is not in the known" in problem.message
    assert vm_sizes.AKS_VM_SIZE_REFUSAL in problem.message
    assert "allowUnlistedVmSize" in problem.message


def test_escape_hatch_does_not_allow_known_bad_sizes() -> None:
    settings = default_settings(kata_node_vm_size="Standard_D2_v3", allow_unlisted_vm_size=True)
    (problem,) = problems_of(settings, "kataNodeVmSize")
    assert problem.severity == "error"


@pytest.mark.parametrize(
    ("os_sku", "severity"),
    [
        ("Ubuntu", "error"),
        ("Windows2022", "error"),
        ("Mariner", "error"),
        ("AzureLinux3", "warning"),
        ("AzureLinux", None),
    ],
)
def test_os_sku(os_sku: str, severity: str | None) -> None:
    problems = problems_of(default_settings(kata_os_sku=os_sku), "kataOsSku")
    assert [p.severity for p in problems] == ([severity] if severity else [])
    if severity == "error":
        assert "needs osSKU AzureLinux" in problems[0].message


@pytest.mark.parametrize(
    ("size", "ok"), [("Standard_D2s_v5", True), ("Standard_B1s", False), ("Standard_D1s_v6", False)]
)
def test_system_pool_minimum_comes_from_the_catalog(size: str, ok: bool) -> None:
    problems = problems_of(
        default_settings(system_node_vm_size=size), "systemNodeVmSize", "kataNodeVmSize"
    )
    assert (problems == []) is ok
    if not ok:
        assert f"at least {catalog.SYSTEM_POOL_MIN_VCPUS} vCPUs" in problems[0].message
        assert f"{catalog.SYSTEM_POOL_MIN_MEMORY_GIB} GiB" in problems[0].message


def test_a_system_pool_size_that_is_no_size_name_is_an_error() -> None:
    (problem,) = problems_of(
        default_settings(system_node_vm_size="big"), "systemNodeVmSize", "kataNodeVmSize"
    )
    assert (problem.key, problem.value) == ("systemNodeVmSize", "big")
    assert "not an Azure VM size name" in problem.message


def test_the_system_pool_name_is_taken() -> None:
    (problem,) = pool_rules.check_kata_pool_name(default_settings(kata_node_pool_name="system"))
    assert problem.key == "kataNodePoolName" and "System pool" in problem.message
    assert pool_rules.check_kata_pool_name(default_settings(kata_node_pool_name="kata1")) == []


@pytest.mark.parametrize(
    ("version", "ok"),
    [
        ("1.27", True),
        ("1.27.0", True),
        ("1.33.2", True),
        ("1.26", False),
        ("1.26.9", False),
        ("1.25", False),
        ("2.0", True),
        ("", True),
    ],
)
def test_kubernetes_version_minimum(version: str, ok: bool) -> None:
    problems = pool_rules.check_kubernetes_version(default_settings(kubernetes_version=version))
    assert (problems == []) is ok
    if not ok:
        minimum = catalog.version_text(catalog.KATA_GA.min_kubernetes)
        assert f"needs Kubernetes {minimum} or later" in problems[0].message


def test_a_malformed_version_is_left_to_the_key_check() -> None:
    assert pool_rules.check_kubernetes_version(default_settings(kubernetes_version="v1.33")) == []


def test_preview_runtime_gets_the_migration_message() -> None:
    (problem,) = problems_of(
        default_settings(workload_runtime="KataMshvVmIsolation"), "workloadRuntime"
    )
    assert "preview" in problem.message
    assert "KataVmIsolation" in problem.message and "kata-vm-isolation" in problem.message
    assert "2025-09-01" in problem.message


@pytest.mark.parametrize("runtime", ["OCIContainer", "WasmWasi", "KataCcIsolation", "Kata"])
def test_other_runtimes_are_not_sandboxing(runtime: str) -> None:
    (problem,) = problems_of(default_settings(workload_runtime=runtime), "workloadRuntime")
    assert "not pod sandboxing" in problem.message
    if runtime in catalog.NOT_SANDBOXING:
        assert catalog.NOT_SANDBOXING[runtime] in problem.message
