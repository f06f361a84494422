"""Every configuration AKS would refuse is refused, naming every bad key, before anything is sent.

The matrix runs at the rules level, on the dev stack's config plus the bad values, exactly as the
program reads it (`check_stack_config`, no engine). A few cases run the whole program under the
mock engine to prove that nothing is registered and that every problem comes in one message.
"""

from __future__ import annotations

import pytest
from support import dev_config, run_dev

from sandboxing.config.stack_config import check_stack_config
from sandboxing.config.validate import errors, format_errors, warnings

# (case id, config overrides, config keys the error must name). Laid out by hand (fmt: skip):
# one case per line reads as a table; the formatter would spread many over several lines.
BAD_CONFIGS: list[tuple[str, dict[str, object], set[str]]] = [
    ("ubuntu-os", {"kataOsSku": "Ubuntu"}, {"kataOsSku"}),
    ("windows-os", {"kataOsSku": "Windows2022"}, {"kataOsSku"}),
    ("gen1-d2-v3", {"kataNodeVmSize": "Standard_D2_v3"}, {"kataNodeVmSize"}),
    ("b-series", {"kataNodeVmSize": "Standard_B4ms"}, {"kataNodeVmSize"}),
    ("av2", {"kataNodeVmSize": "Standard_A4_v2"}, {"kataNodeVmSize"}),
    ("dsv2", {"kataNodeVmSize": "Standard_DS3_v2"}, {"kataNodeVmSize"}),
    ("dasv4", {"kataNodeVmSize": "Standard_D4as_v4"}, {"kataNodeVmSize"}),
    ("confidential", {"kataNodeVmSize": "Standard_DC4s_v3"}, {"kataNodeVmSize"}),
    ("arm64", {"kataNodeVmSize": "Standard_D4ps_v5"}, {"kataNodeVmSize"}),
    ("malformed-size", {"kataNodeVmSize": "D4s_v3"}, {"kataNodeVmSize"}),
    ("unlisted-size", {"kataNodeVmSize": "Standard_D4ls_v6"}, {"kataNodeVmSize"}),
    ("nonexistent-vcpus", {"kataNodeVmSize": "Standard_D6s_v3"}, {"kataNodeVmSize"}),
    ("system-size-garbage", {"systemNodeVmSize": "big"}, {"systemNodeVmSize"}),
    ("system-size-1-vcpu", {"systemNodeVmSize": "Standard_B1s"}, {"systemNodeVmSize"}),
    ("k8s-too-old", {"kubernetesVersion": "1.26"}, {"kubernetesVersion"}),
    ("location-typo", {"azure-native:location": "westeurop"}, {"azure-native:location"}),
    ("k8s-malformed", {"kubernetesVersion": "v1.33"}, {"kubernetesVersion"}),
    ("preview-runtime", {"workloadRuntime": "KataMshvVmIsolation"}, {"workloadRuntime"}),
    ("oci-runtime", {"workloadRuntime": "OCIContainer"}, {"workloadRuntime"}),
    ("confidential-runtime", {"workloadRuntime": "KataCcIsolation"}, {"workloadRuntime"}),
    ("wasm-runtime", {"workloadRuntime": "WasmWasi"}, {"workloadRuntime"}),
    ("bad-runtime-class", {"runtimeClassName": "Kata_VM"}, {"runtimeClassName"}),
    ("pool-name-upper", {"kataNodePoolName": "KataPool"}, {"kataNodePoolName"}),
    ("pool-name-too-long", {"kataNodePoolName": "katapool12345"}, {"kataNodePoolName"}),
    ("pool-name-system", {"kataNodePoolName": "system"}, {"kataNodePoolName"}),
    ("kata-count-zero", {"kataNodeCount": 0}, {"kataNodeCount"}),
    ("system-count-huge", {"systemNodeCount": 1001}, {"systemNodeCount"}),
    ("count-not-a-number", {"kataNodeCount": "two"}, {"kataNodeCount"}),
    ("count-fraction", {"systemNodeCount": "1.5"}, {"systemNodeCount"}),
    ("cpu-zero", {"podCpuLimit": "0"}, {"podCpuLimit"}),
    ("cpu-garbage", {"podCpuLimit": "one"}, {"podCpuLimit"}),
    ("memory-below-kata-minimum", {"podMemoryLimit": "64Mi"}, {"podMemoryLimit"}),
    ("memory-garbage", {"podMemoryLimit": "1 GB"}, {"podMemoryLimit"}),
    ("memory-too-big-for-node", {"podMemoryLimit": "16Gi"}, {"podMemoryLimit"}),
    ("cpu-too-big-for-node", {"podCpuLimit": "4"}, {"podCpuLimit"}),
    ("rg-name-bad", {"resourceGroupName": "rg with spaces"}, {"resourceGroupName"}),
    ("rg-name-dot", {"resourceGroupName": "rg."}, {"resourceGroupName"}),
    ("cluster-name-bad", {"clusterName": "-aks"}, {"clusterName"}),
    ("namespace-bad", {"podNamespace": "Pod_Sandboxing"}, {"podNamespace"}),
    ("image-bad", {"podImage": "not an image"}, {"podImage"}),
    ("bool-bad", {"allowUnlistedVmSize": "yes"}, {"allowUnlistedVmSize"}),
    ("mode-bad", {"clusterMode": "reuse"}, {"clusterMode"}),
    ("existing-without-names", {"clusterMode": "existing", "resourceGroupName": "",
                                "clusterName": ""}, {"resourceGroupName", "clusterName"}),
    ("no-location", {"azure-native:location": None}, {"azure-native:location"}),
    ("taint-bad", {"kataNodeTaint": "kata:NoSchedule"}, {"kataNodeTaint"}),
    ("policy-engine-bad", {"networkPolicyEngine": "azure"}, {"networkPolicyEngine"}),
    ("upgrade-channel-bad", {"autoUpgradeChannel": "weekly"}, {"autoUpgradeChannel"}),
    ("node-os-channel-bad", {"nodeOsUpgradeChannel": "nodeimage"}, {"nodeOsUpgradeChannel"}),
    ("sku-tier-bad", {"skuTier": "Gold"}, {"skuTier"}),
    ("entra-ids-bad", {"entraAdminGroupObjectIds": ["admins"]}, {"entraAdminGroupObjectIds"}),
    ("entra-ids-not-json", {"entraAdminGroupObjectIds": "[admins"}, {"entraAdminGroupObjectIds"}),
    ("azure-rbac-without-entra", {"enableAzureRbac": True}, {"enableAzureRbac"}),
    ("no-local-accounts-without-entra", {"disableLocalAccounts": True}, {"disableLocalAccounts"}),
    ("misspelt-key", {"kataNodeVMSize": "Standard_D4s_v5"}, {"kataNodeVMSize"}),
    ("unknown-key", {"podCpu": "2"}, {"podCpu"}),
    ("k8s-yaml-number-1.30", {"kubernetesVersion": "1.3"}, {"kubernetesVersion"}),
    ("ip-ranges-bad", {"apiServerAuthorizedIpRanges": ["10.0.0.0/33"]},
     {"apiServerAuthorizedIpRanges"}),
    ("placement-bad", {"kataPoolPlacement": "onepool"}, {"kataPoolPlacement"}),
    ("tenant-fields-bad", {"tenants": [{"name": "a", "memoryQuota": "3Xi"},
                                       {"name": "b", "egressCidrs": ["168.63.129.16/32"]}, {}]},
     {"tenants[0].memoryQuota", "tenants[1].egressCidrs", "tenants[2].name"}),
    ("tenants-old-kubernetes", {"tenants": [{"name": "a"}], "kubernetesVersion": "1.29"},
     {"kubernetesVersion"}),
    ("tenant-bigger-than-pool", {"tenants": [{"name": "a", "cpuQuota": "64"}]},
     {"tenants[0].cpuQuota"}),
    ("system-placement-existing", {"clusterMode": "existing", "kataPoolPlacement": "system"},
     {"kataPoolPlacement"}),
    # The Kata pool rules hold for the System pool when it is the Kata pool.
    ("system-placement-kata-rules", {"kataPoolPlacement": "system", "kataOsSku": "Ubuntu",
                                     "kataNodeVmSize": "Standard_D2_v3", "kataNodeCount": 0,
                                     "kubernetesVersion": "1.26"},
     {"kataOsSku", "kataNodeVmSize", "kataNodeCount", "kubernetesVersion"}),
    ("system-placement-too-small", {"kataPoolPlacement": "system",
                                    "kataNodeVmSize": "Standard_D1s_v6",
                                    "allowUnlistedVmSize": True}, {"kataNodeVmSize"}),
    ("wait-too-short", {"runtimeClassWaitSeconds": 5}, {"runtimeClassWaitSeconds"}),
    ("wait-not-a-number", {"runtimeClassWaitSeconds": "5m"}, {"runtimeClassWaitSeconds"}),
    ("reconcile-not-bool", {"reconcileAfterKataPool": "yes"}, {"reconcileAfterKataPool"}),
    # Several wrong at once: every one is reported in the same run.
    ("ubuntu-gen1-old-preview", {"kataOsSku": "Ubuntu", "kataNodeVmSize": "Standard_D2_v3",
                                 "kubernetesVersion": "1.25",
                                 "workloadRuntime": "KataMshvVmIsolation"},
     {"kataOsSku", "kataNodeVmSize", "kubernetesVersion", "workloadRuntime"}),
    ("names-counts-limits", {"kataNodePoolName": "Kata-Pool", "kataNodeCount": 0,
                             "podMemoryLimit": "100Mi", "podCpuLimit": "0m",
                             "podNamespace": "-ns"},
     {"kataNodePoolName", "kataNodeCount", "podMemoryLimit", "podCpuLimit", "podNamespace"}),
    ("types-and-rules", {"kataNodeCount": "two", "systemNodeCount": "x", "kataOsSku": "Mariner",
                         "allowUnlistedVmSize": "maybe"},
     {"kataNodeCount", "systemNodeCount", "kataOsSku", "allowUnlistedVmSize"}),
    # --- Capacity that follows demand (docs/capacity.md) -------------------------------------
    ("count-below-autoscaler-min", {"kataEnableAutoScaling": True, "kataNodeMinCount": 2},
     {"kataNodeCount"}),
    ("autoscaler-min-above-max", {"kataEnableAutoScaling": True, "kataNodeMinCount": 4},
     {"kataNodeMinCount"}),
    ("system-pool-scaled-to-zero", {"kataPoolPlacement": "system", "kataEnableAutoScaling": True,
                                    "kataNodeMinCount": 0}, {"kataNodeMinCount"}),
    ("free-tier-over-1000-nodes", {"kataEnableAutoScaling": True, "kataNodeMaxCount": 1000,
                                   "kataMaxSurge": "0", "kataMaxUnavailable": "1"}, {"skuTier"}),
    ("duration-in-seconds", {"kataEnableAutoScaling": True,
                             "autoscalerScaleDownUnneededTime": "300s"},
     {"autoscalerScaleDownUnneededTime"}),
    ("expander-unknown", {"kataEnableAutoScaling": True, "autoscalerExpander": "cheapest"},
     {"autoscalerExpander"}),
    ("zones-where-there-are-none", {"azure-native:location": "westus",
                                    "availabilityZones": ["1", "2"]}, {"availabilityZones"}),
    ("zone-four", {"availabilityZones": ["4"]}, {"availabilityZones"}),
    ("no-surge-and-none-unavailable", {"kataMaxSurge": "0"}, {"kataMaxSurge"}),
    ("unavailable-on-the-system-pool", {"kataPoolPlacement": "system", "kataMaxUnavailable": "1"},
     {"kataMaxUnavailable"}),
    ("drain-timeout-too-short", {"kataDrainTimeoutMinutes": 1}, {"kataDrainTimeoutMinutes"}),
    ("capacity-all-at-once", {"kataEnableAutoScaling": True, "kataNodeMinCount": 5,
                              "autoscalerMaxNodeProvisionTime": "15", "availabilityZones": ["0"],
                              "kataMaxSurge": "101%", "kataNodeSoakMinutes": 60},
     {"kataNodeMinCount", "autoscalerMaxNodeProvisionTime", "availabilityZones", "kataMaxSurge",
      "kataNodeSoakMinutes"}),
]  # fmt: skip


def _named_keys(error: str) -> set[str]:
    lines = [line.strip() for line in error.splitlines() if line.strip().startswith("- ")]
    keys = set()
    for line in lines:
        key = line[2:].split(" = ", 1)[0]
        keys.add(key.removeprefix("aks-pod-sandboxing:"))
    return keys


def refusal(**overrides: object) -> str:
    """The one error message the program would stop with; empty when it would go on."""
    _, problems = check_stack_config(dev_config(**overrides))
    found = errors(problems)
    return format_errors(found) if found else ""


@pytest.mark.parametrize(
    ("overrides", "keys"), [(o, k) for _, o, k in BAD_CONFIGS], ids=[c for c, _, _ in BAD_CONFIGS]
)
def test_bad_config_is_refused_naming_every_bad_key_and_value(
    overrides: dict, keys: set[str]
) -> None:
    error = refusal(**overrides)
    assert "nothing was deployed" in error, "the configuration was accepted"
    assert _named_keys(error) == keys
    for key in keys:
        bad = overrides.get(key)
        if isinstance(bad, str) and bad:
            assert repr(bad) in error, f"the bad value of {key} is not shown"


def test_good_config_with_everything_set_has_no_problem() -> None:
    config = dev_config(
        kataOsSku="AzureLinux",
        kubernetesVersion="1.35",
        kataNodePoolName="sandbox1",
        kataNodeCount=3,
        systemNodeCount=2,
        podCpuLimit="500m",
        podMemoryLimit="768Mi",
        podNamespace="untrusted-code",
        runtimeClassName="kata-vm-isolation",
        networkPolicyEngine="calico",
        skuTier="Standard",
    )
    assert check_stack_config(config)[1] == []


@pytest.mark.parametrize(
    ("overrides", "key", "words"),
    [
        (
            {"kataNodeVmSize": "Standard_D4ls_v6", "allowUnlistedVmSize": True},
            "kataNodeVmSize",
            "allowUnlistedVmSize",
        ),
        ({"kataOsSku": "AzureLinux3"}, "kataOsSku", "AzureLinux"),
        ({"runtimeClassName": "my-kata"}, "runtimeClassName", "kata-vm-isolation"),
        ({"kubernetesVersion": "1.36.2"}, "kubernetesVersion", "autoUpgradeChannel patch"),
    ],
)
def test_what_aks_may_accept_is_a_warning_not_an_error(
    overrides: dict, key: str, words: str
) -> None:
    _, problems = check_stack_config(dev_config(**overrides))
    assert errors(problems) == []
    (warning,) = warnings(problems)
    assert warning.key == key and words in warning.message


def test_a_sovereign_cloud_region_passes_when_the_provider_names_that_cloud() -> None:
    gov = {"azure-native:location": "usgovvirginia"}
    assert "usgovvirginia" in refusal(**gov)
    # The region passes; the reconcile (public cloud only) is what is left to switch off.
    sovereign = {**gov, "azure-native:environment": "usgovernment"}
    assert "usgovvirginia" not in refusal(**sovereign)
    assert refusal(**sovereign, reconcileAfterKataPool="false") == ""


# --- End to end, under the mock engine ---------------------------------------------------------


def test_the_program_registers_nothing_and_reports_every_problem_at_once() -> None:
    overrides: dict[str, object] = {
        "kataNodeCount": "two",
        "kataOsSku": "Ubuntu",
        "kataNodeVmSize": "Standard_D2_v3",
        "podMemoryLimit": "100Mi",
        "kataNodeVMSize": "Standard_D4s_v5",
        "azure-native:location": None,
    }
    result = run_dev(**overrides)
    assert result.error is not None, "the program accepted a bad configuration"
    assert result.resources == [], "something was registered before the error"
    assert result.invokes == []
    assert result.error.splitlines()[0] == "6 configuration problem(s); nothing was deployed:"
    assert _named_keys(result.error) == {
        "kataNodeCount",
        "kataOsSku",
        "kataNodeVmSize",
        "podMemoryLimit",
        "kataNodeVMSize",
        "azure-native:location",
    }
    assert result.error == refusal(**overrides), "the program and the rules disagree"


def test_the_program_logs_warnings_and_deploys() -> None:
    result = run_dev(kataNodeVmSize="Standard_D4ls_v6", allowUnlistedVmSize=True)
    assert result.error is None, result.error
    assert any("kataNodeVmSize" in w and "allowUnlistedVmSize" in w for w in result.warnings)
    pool = result.one("azure-native:containerservice:AgentPool").inputs
    assert pool["vmSize"] == "Standard_D4ls_v6"
