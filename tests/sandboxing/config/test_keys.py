"""Each key's own constraint: the single-key checks and the "allowed" text come from one object."""

from __future__ import annotations

import datetime
import functools
from dataclasses import fields
from typing import Any

import pytest

from sandboxing import aks_versions, catalog, vm_sizes
from sandboxing.config.contract import check_keys, default_settings
from sandboxing.config.key import Rule
from sandboxing.config.kinds import Between
from sandboxing.config.settings import Settings
from sandboxing.config.stack_config import check_stack_config
from sandboxing.config.validate import RULES
from sandboxing.keys import CONFIG_KEYS, KEYS_BY_NAME
from sandboxing.names import snake
from tools.harness import stack_config
from tools.repo import tracked_stacks

# (field, bad value, key the problem names, value it shows, words of what is allowed)
BAD_VALUES: list[tuple[str, Any, str, Any, str]] = [
    ("cluster_mode", "reuse", "clusterMode", "reuse", "one of new, existing"),
    ("kata_pool_placement", "onepool", "kataPoolPlacement", "onepool", "one of dedicated, system"),
    ("resource_group_name", "rg with spaces", "resourceGroupName", "rg with spaces", "1-90"),
    ("resource_group_name", "rg.", "resourceGroupName", "rg.", "not end with '.'"),
    ("cluster_name", "-aks", "clusterName", "-aks", "starting and ending with a letter"),
    ("kubernetes_version", "v1.33", "kubernetesVersion", "v1.33", "MAJOR.MINOR"),
    ("kubernetes_version", "1", "kubernetesVersion", "1", "MAJOR.MINOR"),
    ("system_node_count", 1001, "systemNodeCount", 1001, "between 1 and 1000"),
    ("kata_node_pool_name", "KataPool", "kataNodePoolName", "KataPool", "lower-case letter"),
    ("kata_node_pool_name", "katapool12345", "kataNodePoolName", "katapool12345", "up to 11"),
    ("kata_node_count", 0, "kataNodeCount", 0, "cannot run the untrusted pod"),
    ("kata_node_count", 1001, "kataNodeCount", 1001, "between 1 and 1000 (the most nodes"),
    ("runtime_class_name", "Kata_VM", "runtimeClassName", "Kata_VM", "DNS-1123 subdomain"),
    ("runtime_class_name", "a" * 254, "runtimeClassName", "a" * 254, "DNS-1123 subdomain"),
    ("runtime_class_wait_seconds", 5, "runtimeClassWaitSeconds", 5, "seconds between 10 and"),
    ("kata_node_taint", "kata:NoSchedule", "kataNodeTaint", "kata:NoSchedule", "key=value:Effect"),
    ("pod_namespace", "Pod_Sandboxing", "podNamespace", "Pod_Sandboxing", "DNS-1123 label"),
    ("pod_namespace", "n" * 64, "podNamespace", "n" * 64, "DNS-1123 label"),
    ("pod_image", "not an image", "podImage", "not an image", "image reference"),
    ("pod_cpu_limit", "0", "podCpuLimit", "0", "above zero"),
    ("pod_cpu_limit", "one", "podCpuLimit", "one", "CPU quantity"),
    ("pod_memory_limit", "1 GB", "podMemoryLimit", "1 GB", "memory quantity, e.g. 512Mi"),
    ("pod_memory_limit", "64Mi", "podMemoryLimit", "64Mi", "below Kata's minimum of 128Mi"),
    ("network_policy_engine", "azure", "networkPolicyEngine", "azure", "cilium, calico"),
    ("auto_upgrade_channel", "weekly", "autoUpgradeChannel", "weekly", "node-image"),
    ("node_os_upgrade_channel", "nodeimage", "nodeOsUpgradeChannel", "nodeimage", "NodeImage"),
    ("sku_tier", "Gold", "skuTier", "Gold", "Free, Standard, Premium"),
    (
        "entra_admin_group_object_ids",
        ("0f8fad5b-d9cb-469f-a165-70867728950e", "admins"),
        "entraAdminGroupObjectIds",
        ["admins"],
        "GUIDs",
    ),
    (
        "api_server_authorized_ip_ranges",
        ("203.0.113.0/24", "10.0.0.0/33", "nope"),
        "apiServerAuthorizedIpRanges",
        ["10.0.0.0/33", "nope"],
        "IPv4",
    ),
]


@pytest.mark.parametrize(
    ("field", "bad", "key", "shown", "allowed"),
    BAD_VALUES,
    ids=[f"{c[0]}={c[1]!r:.20}" for c in BAD_VALUES],
)
def test_a_bad_value_is_named_with_what_is_allowed(
    field: str, bad: Any, key: str, shown: Any, allowed: str
) -> None:
    (problem,) = check_keys(default_settings(**{field: bad}))
    assert (problem.key, problem.value, problem.severity) == (key, shown, "error")
    assert allowed in problem.message


@pytest.mark.parametrize(
    ("field", "good"),
    [
        ("kata_node_taint", ""),
        ("kata_node_taint", "kata=true:NoSchedule"),
        ("kata_node_taint", "example.com/kata=yes:NoExecute"),
        ("kata_node_taint", "k=v:PreferNoSchedule"),
        ("kata_node_pool_name", "sandbox1"),
        ("kubernetes_version", "1.33.2"),
        ("resource_group_name", "rg-(test)_1.x"),
        ("cluster_name", "a"),
        ("pod_cpu_limit", "500m"),
        ("pod_memory_limit", "128Mi"),
        ("runtime_class_wait_seconds", 3600),
        ("api_server_authorized_ip_ranges", ("20.50.100.0/24", "52.174.10.7")),
    ],
)
def test_good_values_pass(field: str, good: Any) -> None:
    assert check_keys(default_settings(**{field: good})) == []


@pytest.mark.parametrize("taint", ["kata", "kata=true", "kata=true:Never", "=x:NoSchedule"])
def test_bad_taints(taint: str) -> None:
    assert [p.key for p in check_keys(default_settings(kata_node_taint=taint))] == ["kataNodeTaint"]


def test_the_existing_cluster_needs_its_names_and_no_region_check_here() -> None:
    problems = check_keys(default_settings(cluster_mode="existing"))
    assert [(p.key, p.value) for p in problems] == [("resourceGroupName", ""), ("clusterName", "")]
    assert all("is required when clusterMode is existing" in p.message for p in problems)
    named = default_settings(cluster_mode="existing", resource_group_name="rg", cluster_name="aks")
    assert check_keys(named) == []


def test_keys_of_the_dedicated_pools_are_not_checked_with_the_one_pool_cluster() -> None:
    unused = default_settings(
        kata_pool_placement="system",
        system_node_count=0,
        kata_node_pool_name="Kata",
        kata_node_taint="kata",
    )
    found = check_keys(unused)  # only "is not used" warnings, no refusal of the values
    assert {p.key for p in found} == {"systemNodeCount", "kataNodePoolName", "kataNodeTaint"}
    assert all(p.severity == "warning" and "is not used" in p.message for p in found)
    used = default_settings(system_node_count=0, kata_node_pool_name="Kata", kata_node_taint="x")
    assert [p.key for p in check_keys(used)] == [
        "systemNodeCount",
        "kataNodePoolName",
        "kataNodeTaint",
    ]


def test_every_default_passes_its_own_constraint() -> None:
    assert check_keys(default_settings()) == []


def test_every_key_says_what_is_allowed() -> None:
    for key in CONFIG_KEYS:
        assert key.allowed, key.name


def test_the_allowed_text_reads_the_catalog() -> None:
    """The key table and Pulumi.yaml are generated from these, so neither retypes a number."""
    allowed = {key.name: key.allowed for key in CONFIG_KEYS}
    assert f">= {catalog.MIN_POD_VM_MEMORY_MIB}Mi" in allowed["podMemoryLimit"]
    assert (
        f"{catalog.RUNTIME_CLASS_OVERHEAD_MIB}Mi RuntimeClass overhead" in allowed["podMemoryLimit"]
    )
    minimum = catalog.version_text(catalog.KATA_GA.min_kubernetes)
    assert (
        f"at least {minimum} for {catalog.KATA_GA.workload_runtime}" in allowed["kubernetesVersion"]
    )
    assert ", ".join(vm_sizes.KATA_VM_FAMILIES) in allowed["kataNodeVmSize"]
    assert f"at least {catalog.SYSTEM_POOL_MIN_VCPUS} vCPUs" in allowed["systemNodeVmSize"]
    for key in ("systemNodeCount", "kataNodeCount"):
        assert allowed[key] == f"1-{catalog.MAX_NODES_PER_POOL}"
    assert f"not `{catalog.SYSTEM_POOL_NAME}`" in allowed["kataNodePoolName"]
    assert f"`{catalog.KATA_PREVIEW.runtime_class}`" in allowed["runtimeClassName"]
    for os_sku in catalog.KATA_OS_SKUS:
        assert f"`{os_sku}`" in allowed["kataOsSku"]


def test_the_check_and_the_allowed_text_come_from_the_same_bounds() -> None:
    (problem,) = check_keys(
        default_settings(pod_memory_limit=f"{catalog.MIN_POD_VM_MEMORY_MIB - 1}Mi")
    )
    assert f"{catalog.MIN_POD_VM_MEMORY_MIB}Mi" in problem.message
    wait = KEYS_BY_NAME["runtimeClassWaitSeconds"]
    assert wait.allowed == "10-3600 seconds"
    (too_long,) = check_keys(default_settings(runtime_class_wait_seconds=3601))
    assert "between 10 and 3600" in too_long.message


def test_an_unknown_placement_does_not_hide_the_dedicated_pools_problems() -> None:
    settings = default_settings(kata_pool_placement="onepool", kata_node_pool_name="Kata")
    assert [p.key for p in check_keys(settings)] == ["kataPoolPlacement", "kataNodePoolName"]


# --- Rules are named from every key they read ----------------------------------------------

READS: set[str] = set()


class WatchedSettings(Settings):
    """Settings that note every field a rule reads (properties read fields through self)."""

    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("_"):
            READS.add(name)
        return super().__getattribute__(name)


NIL_GUID = "00000000-0000-0000-0000-000000000000"
REAL_GUID = "0f4b8c4e-1a2b-4c3d-8e9f-0123456789ab"


@functools.cache  # read by each rule's test; Settings are frozen
def rule_samples() -> tuple[Settings, ...]:
    """Settings that take each rule down its branches: every stack file and the variants."""
    stacks = [check_stack_config(stack_config(stack))[0] for stack in tracked_stacks()]
    variants = [
        {"kata_pool_placement": "system", "kata_node_vm_size": "Standard_D1s_v6"},
        {"cluster_mode": "existing", "kata_pool_placement": "system"},
        {"cluster_mode": "existing", "enable_azure_monitor": True, "enable_azure_policy": True},
        {"system_pool_critical_addons_only": True, "kata_node_taint": ""},
        {"system_pool_critical_addons_only": True, "kata_node_pool_name": "userpool"},
        {
            "os_disk_type": "Ephemeral",
            "os_disk_size_gb": 4000,
            "kata_node_vm_size": "Standard_D2s_v5",
        },
        {"kubernetes_version": "1.3", "auto_upgrade_channel": "rapid"},
        {"kata_node_vm_size": "Standard_D4s_v9", "allow_unlisted_vm_size": True},
        {"runtime_class_name": "kata-mshv-vm-isolation", "cluster_mode": "existing"},
        {"pod_memory_limit": "64Gi", "pod_cpu_limit": "64"},
        {"enable_azure_rbac": True, "azure_environment": "usgovernment"},
        {"location": "westeurop"},
        {"location": ""},
        # --- capacity that follows demand: autoscaler bounds, node limits, zones, upgrades ---
        {
            "kata_enable_auto_scaling": True,
            "kata_node_min_count": 0,
            "kata_pool_placement": "system",
            "availability_zones": ("1", "2", "3"),
        },
        {
            "system_pool_critical_addons_only": True,
            "user_enable_auto_scaling": True,
            "kata_enable_auto_scaling": True,
            "kata_node_max_count": 1000,
            "user_node_max_count": 0,
            "availability_zones": ("1", "1"),
        },
        {"kata_enable_auto_scaling": True, "kata_node_max_count": 12, "sku_tier": "Free"},
        {"availability_zones": ("1", "2"), "location": "westus"},
        {"availability_zones": ("1", "2", "3"), "system_pool_critical_addons_only": True},
        {"kata_max_surge": "0", "kata_max_unavailable": "0"},
        {"kata_pool_placement": "system", "kata_max_unavailable": "1"},
        # --- the support window and the cloud ---
        {"support_plan": "AKSLongTermSupport", "sku_tier": "Premium", "kubernetes_version": "1.33"},
        {"sku_tier": "Premium", "kubernetes_version": "1.33.1", "cluster_mode": "existing"},
        {
            "kata_os_sku": "AzureLinux3",
            "auto_upgrade_channel": "stable",
            "kubernetes_version": "1.37",
        },
        {
            "kubernetes_version": "1.31",
            "kubernetes_versions": aks_versions.SupportWindow(((1, 31),), (), None, "an old list"),
        },
        {"kubernetes_version": "1.36", "today": datetime.date(2027, 6, 1)},
        {"cloud_variables": (("ARM_METADATA_HOSTNAME", "metadata.example"),)},
        {"cloud_variables": (("ARM_ENVIRONMENT", "germany"),)},
        # --- placeholder admin groups: one among real ones, only placeholders with and without
        # Azure RBAC and local accounts, and an existing cluster (not checked) ---
        {"entra_admin_group_object_ids": (NIL_GUID, REAL_GUID)},
        {"entra_admin_group_object_ids": (NIL_GUID,), "enable_azure_rbac": True},
        {"entra_admin_group_object_ids": (NIL_GUID,), "disable_local_accounts": True},
        {"entra_admin_group_object_ids": (NIL_GUID,), "cluster_mode": "existing"},
        # Sandboxes on demand: every branch of AGENT_SANDBOX and SANDBOX_CAPACITY.
        {
            "agent_sandbox": True,
            "agent_sandbox_namespace": "pod-sandboxing",
            "agent_sandbox_claim_groups": ("system:authenticated", "devs"),
            "entra_admin_group_object_ids": ("0f8fad5b-d9cb-469f-a165-70867728950e",),
            "agent_sandbox_egress_cidrs": ("169.254.0.0/16", "10.0.0.1/8"),
            "kubernetes_version": "1.29",
            "agent_sandbox_warm_pool_size": 9,
        },
        {"agent_sandbox": True, "agent_sandbox_memory": "64Gi"},
        {"agent_sandbox": True, "agent_sandbox_cpu": "8"},
        {"agent_sandbox": True, "agent_sandbox_warm_pool_size": 2},
    ]
    return (*stacks, *(default_settings(**{"location": "westeurope", **v}) for v in variants))  # type: ignore[arg-type]


def keys_read_by(rule: Rule) -> set[str]:
    key_of = {snake(key.name): key.name for key in CONFIG_KEYS}
    found: set[str] = set()
    for sample in rule_samples():
        READS.clear()
        watched = WatchedSettings(**{f.name: getattr(sample, f.name) for f in fields(Settings)})
        rule.check(watched)
        found |= {key_of[name] for name in READS if name in key_of}
    return found


@pytest.mark.parametrize("rule", RULES, ids=[rule.name for rule in RULES])
def test_every_key_a_rule_reads_names_it(rule: Rule) -> None:
    naming = {key.name for key in CONFIG_KEYS if rule.name in key.rule_names}
    assert keys_read_by(rule) - naming == set()


def test_every_rule_a_key_names_runs_and_runs_once() -> None:
    named = {use.rule.name for key in CONFIG_KEYS for use in key.rules}
    assert len({rule.name for rule in RULES}) == len(RULES)
    assert named <= {rule.name for rule in RULES}


def test_a_range_explains_only_the_bound_the_value_crossed() -> None:
    counts = Between(1, 1000, why_low="a pool with no node runs nothing", why_high="the maximum")
    assert counts.refusal(0) == "must be between 1 and 1000 (a pool with no node runs nothing)"
    assert counts.refusal(1001) == "must be between 1 and 1000 (the maximum)"
    assert counts.refusal(1000) is None
    assert Between(1, 5).refusal(6) == "must be between 1 and 5"
