"""The rule functions on plain data (no Pulumi)."""

from __future__ import annotations

import pytest

from sandboxing import catalog, rules
from sandboxing.contract import CONFIG_KEYS, default_settings
from sandboxing.sizing import node_capacity


def keys(problems) -> list[str]:
    return [p.key for p in problems]


def test_defaults_with_a_location_have_no_problem() -> None:
    assert rules.check_settings(default_settings(location="westeurope")) == []


def test_location_is_required_for_a_new_cluster_only() -> None:
    assert keys(rules.cluster_identity(default_settings())) == ["azure-native:location"]
    existing = default_settings(cluster_mode="existing", resource_group_name="rg",
                                cluster_name="aks")  # fmt: skip
    assert rules.cluster_identity(existing) == []


@pytest.mark.parametrize(
    ("size", "fragment"),
    [
        ("Standard_D2_v3", "Generation 1"),
        ("Standard_B2s", "burstable"),
        ("Standard_DC2s_v3", "confidential"),
        ("Standard_D2ps_v5", "Arm64"),
        ("Standard_D4as_v4", "nested virtualization"),
        ("Standard_D4s_v9", "not in the known"),
        ("Standard-D4s-v3", "not an Azure VM size"),
    ],
)
def test_kata_vm_size_errors_say_why(size: str, fragment: str) -> None:
    problems = rules.kata_vm_size(default_settings(kata_node_vm_size=size))
    assert len(problems) == 1 and problems[0].severity == "error"
    assert fragment in problems[0].message


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
    parsed = catalog.parse_vm_size(size)
    assert parsed is not None and parsed.family == family
    assert rules.kata_vm_size(default_settings(kata_node_vm_size=size)) == []
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
    (problem,) = rules.kata_vm_size(default_settings(kata_node_vm_size=size))
    assert problem.severity == "error"


@pytest.mark.parametrize("size", ["Standard_D4as_v4", "Standard_B4ms", "Standard_A4_v2"])
def test_size_without_nested_virtualization_names_the_aks_refusal(size: str) -> None:
    problems = rules.kata_vm_size(
        default_settings(kata_node_vm_size=size, allow_unlisted_vm_size=True)
    )
    assert [p.severity for p in problems] == ["error"]
    assert "nested virtualization" in problems[0].message
    assert "InvalidWorkloadRuntimeSettingError" in problems[0].message


def test_unlisted_size_says_aks_refuses_sizes_without_nested_virtualization() -> None:
    (problem,) = rules.kata_vm_size(default_settings(kata_node_vm_size="Standard_D4ls_v6"))
    assert problem.severity == "error"
    assert "family Dlsv6 (4 vCPUs) is not in the known" in problem.message
    assert "InvalidWorkloadRuntimeSettingError" in problem.message
    assert "allowUnlistedVmSize" in problem.message


def test_contract_lists_exactly_the_catalog_families() -> None:
    (key,) = [k for k in CONFIG_KEYS if k.name == "kataNodeVmSize"]
    listed = key.allowed.split("(", 1)[1].rstrip(")").split(", ")
    assert listed == list(catalog.KATA_VM_FAMILIES)


def test_unknown_size_is_a_warning_with_the_escape_hatch() -> None:
    settings = default_settings(kata_node_vm_size="Standard_D4s_v9", allow_unlisted_vm_size=True)
    (problem,) = rules.kata_vm_size(settings)
    assert problem.severity == "warning"
    assert "InvalidWorkloadRuntimeSettingError" in problem.message


def test_escape_hatch_does_not_allow_known_bad_sizes() -> None:
    settings = default_settings(kata_node_vm_size="Standard_D2_v3", allow_unlisted_vm_size=True)
    (problem,) = rules.kata_vm_size(settings)
    assert problem.severity == "error"


@pytest.mark.parametrize(("version", "ok"), [("1.27", True), ("1.27.0", True), ("1.33.2", True),
                                             ("1.26", False), ("1.26.9", False), ("1", False),
                                             ("1.33.x", False), ("2.0", True)])  # fmt: skip
def test_kubernetes_version(version: str, ok: bool) -> None:
    assert (rules.kubernetes_version(default_settings(kubernetes_version=version)) == []) is ok


def test_preview_runtime_gets_the_migration_message() -> None:
    (problem,) = rules.workload_runtime(default_settings(workload_runtime="KataMshvVmIsolation"))
    assert "preview" in problem.message
    assert "KataVmIsolation" in problem.message and "kata-vm-isolation" in problem.message
    assert "2025-09-01" in problem.message


@pytest.mark.parametrize("runtime", ["OCIContainer", "WasmWasi", "KataCcIsolation", "Kata"])
def test_other_runtimes_are_not_sandboxing(runtime: str) -> None:
    (problem,) = rules.workload_runtime(default_settings(workload_runtime=runtime))
    assert "not pod sandboxing" in problem.message


def test_preview_runtime_class_is_an_error_free_warning_in_both_modes() -> None:
    new = rules.runtime_class(default_settings(runtime_class_name="kata-mshv-vm-isolation"))
    existing = rules.runtime_class(
        default_settings(runtime_class_name="kata-mshv-vm-isolation", cluster_mode="existing")
    )
    assert [p.severity for p in new] == ["warning"]
    assert [p.severity for p in existing] == ["warning"]
    assert "preview-era" in existing[0].message and "kata-vm-isolation" in existing[0].message


def test_pool_name_rules() -> None:
    assert rules.node_pool_name(default_settings(kata_node_pool_name="kata1")) == []
    assert keys(rules.node_pool_name(default_settings(kata_node_pool_name="1kata"))) == [
        "kataNodePoolName"
    ]
    assert (
        "System pool"
        in rules.node_pool_name(default_settings(kata_node_pool_name="system"))[0].message
    )


def test_memory_must_fit_the_kata_node_with_overhead() -> None:
    # D4s_v3 allocatable is 12188Mi; 11588Mi + 600Mi fits exactly, one more MiB does not.
    assert rules.pod_resources(default_settings(pod_memory_limit="11588Mi")) == []
    (problem,) = rules.pod_resources(default_settings(pod_memory_limit="11589Mi"))
    assert problem.key == "podMemoryLimit" and "600Mi" in problem.message


def test_kata_minimum_memory_is_128mi() -> None:
    assert rules.pod_resources(default_settings(pod_memory_limit="128Mi")) == []
    assert keys(rules.pod_resources(default_settings(pod_memory_limit="127Mi"))) == [
        "podMemoryLimit"
    ]


@pytest.mark.parametrize(
    "taint", ["", "kata=true:NoSchedule", "example.com/kata=yes:NoExecute", "k=v:PreferNoSchedule"]
)
def test_good_taints(taint: str) -> None:
    assert rules.kata_taint(default_settings(kata_node_taint=taint)) == []


@pytest.mark.parametrize("taint", ["kata", "kata=true", "kata=true:Never", "=x:NoSchedule"])
def test_bad_taints(taint: str) -> None:
    assert keys(rules.kata_taint(default_settings(kata_node_taint=taint))) == ["kataNodeTaint"]


def test_entra_options() -> None:
    group = "0f8fad5b-d9cb-469f-a165-70867728950e"
    ok = default_settings(entra_admin_group_object_ids=(group,), enable_azure_rbac=True,
                          disable_local_accounts=True)  # fmt: skip
    assert rules.cluster_baseline(ok) == []
    lonely = default_settings(enable_azure_rbac=True, disable_local_accounts=True)
    assert keys(rules.cluster_baseline(lonely)) == ["enableAzureRbac", "disableLocalAccounts"]


def test_authorized_ranges() -> None:
    ok = default_settings(api_server_authorized_ip_ranges=("203.0.113.0/24", "198.51.100.7"))
    assert rules.cluster_baseline(ok) == []
    bad = default_settings(api_server_authorized_ip_ranges=("203.0.113.0/24", "nope"))
    (problem,) = rules.cluster_baseline(bad)
    assert problem.value == ["nope"]


def test_every_error_names_key_value_and_what_is_allowed() -> None:
    settings = default_settings(kata_os_sku="Ubuntu", kata_node_count=0)
    text = rules.format_errors(rules.errors(rules.check_settings(settings)))
    assert "aks-pod-sandboxing:kataOsSku = 'Ubuntu'" in text
    assert "aks-pod-sandboxing:kataNodeCount = 0: must be between 1 and 1000" in text


@pytest.mark.parametrize(
    ("version", "channel", "warned"),
    [("1.33", "patch", False), ("1.33.2", "patch", True), ("1.33", "stable", True),
     ("1.33", "rapid", True), ("1.33.2", "none", False), ("", "rapid", False),
     ("1.33", "node-image", False)],
)  # fmt: skip
def test_auto_upgrade_past_a_pinned_version_is_a_warning(
    version: str, channel: str, warned: bool
) -> None:
    settings = default_settings(kubernetes_version=version, auto_upgrade_channel=channel)
    problems = rules.upgrade_drift(settings)
    assert [p.severity for p in problems] == (["warning"] if warned else [])


@pytest.mark.parametrize(
    ("value", "closest"),
    [("westeurop", "westeurope"), ("west-europe", "westeurope"),
     ("swedencentrall", "swedencentral"), ("germanycentral", "germanywestcentral")],
)  # fmt: skip
def test_a_location_that_is_no_region_is_refused_with_the_closest_match(
    value: str, closest: str
) -> None:
    (problem,) = rules.location(default_settings(location=value))
    assert (problem.key, problem.value) == ("azure-native:location", value)
    assert problem.severity == "error"
    assert f"did you mean `{closest}`?" in problem.message
    assert "az account list-locations" in problem.message


def test_regions_pass_by_name_or_display_name_and_far_off_values_get_no_guess() -> None:
    for value in ("westeurope", "West Europe", "EastUS2", "swedencentral", ""):
        assert rules.location(default_settings(location=value)) == [], value
    (problem,) = rules.location(default_settings(location="mars"))
    assert "did you mean" not in problem.message


def test_sovereign_clouds_are_not_checked_against_the_public_region_list() -> None:
    gov = default_settings(location="usgovvirginia", azure_environment="usgovernment")
    assert rules.location(gov) == []
    assert rules.location(default_settings(location="usgovvirginia")) != []
