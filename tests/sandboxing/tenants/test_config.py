"""The `tenants` config: its typed shape for the Pulumi CLI, parsing, and every check."""

from __future__ import annotations

import json

import pytest

from sandboxing.config.contract import default_settings
from sandboxing.config.stack_config import check_stack_config
from sandboxing.tenants.config import parse_tenants
from sandboxing.tenants.existing_cluster import existing_cluster_problems
from sandboxing.tenants.fields import EgressPort, Tenant
from tools.harness.cli_config import cli_refusal, engine_config, read_project_file
from tools.harness.stack_file import read_stack_values
from tools.repo import REPO

GUID = "0f4b8c4e-1a2b-4c3d-8e9f-0123456789ab"


def problems_for(tenants: object, **config: str) -> dict[str, str]:
    """Every problem of a config with these tenants, by key (errors and warnings)."""
    raw = {
        "azure-native:location": "westeurope",
        "aks-pod-sandboxing:kataNodeCount": "4",
        "aks-pod-sandboxing:tenants": json.dumps(tenants),
    }
    raw.update({f"aks-pod-sandboxing:{k}": v for k, v in config.items()})
    _, problems = check_stack_config(raw)
    return {p.key: f"{p.severity}: {p}" for p in problems}


def stack_file(tenants_yaml: str) -> dict[str, str] | str:
    """What the Pulumi CLI makes of a stack file: its refusal, or the program's config."""
    project = read_project_file(REPO / "Pulumi.yaml")
    text = "config:\n  azure-native:location: westeurope\n  aks-pod-sandboxing:tenants:" + (
        tenants_yaml
    )
    values = read_stack_values(text, project.name)
    refusal = cli_refusal("dev", project, values)
    return refusal.message if refusal else engine_config(project, values)


def test_pulumi_yaml_declares_a_list_of_objects() -> None:
    entry = read_project_file(REPO / "Pulumi.yaml").config["tenants"]
    assert (entry.type, entry.items and entry.items.type, entry.default) == ("array", "object", [])


def test_the_cli_accepts_a_yaml_list_of_tenant_objects_as_config_set_path_writes_it() -> None:
    # `pulumi config set --path 'tenants[0].name' team-a` then `... 'tenants[0].maxPods' 4` stores a
    # list of maps, the integer typed (pulumi/pulumi v3.259.0 sdk/go/common/resource/config/value.go
    # coerceObject).
    config = stack_file("\n    - name: team-a\n      maxPods: 4\n      egressPorts: [443]\n")
    assert isinstance(config, dict)
    tenants, problems = parse_tenants(json.loads(config["aks-pod-sandboxing:tenants"]))
    assert problems == []
    assert tenants[0].name == "team-a" and tenants[0].max_pods == 4
    assert tenants[0].egress_ports == (EgressPort(443, "TCP"),)


@pytest.mark.parametrize("value", [" team-a", "\n    - team-a", ' \'[{"name": "a"}]\''])
def test_the_cli_refuses_what_is_not_a_list_of_objects(value: str) -> None:
    assert stack_file(value) == (
        "error: validating stack config: Stack 'dev' with configuration key 'tenants' must be "
        "of type 'array<object>'"
    )


def test_defaults_for_everything_but_the_name() -> None:
    tenants, problems = parse_tenants([{"name": "team-a"}])
    assert problems == []
    assert tenants == (Tenant("team-a"),)
    assert (tenants[0].pod_cpu, tenants[0].pod_memory, tenants[0].dns) == ("1", "1Gi", "none")
    assert tenants[0].egress_cidrs == () and tenants[0].deploy_groups == ()
    # What a tenant may use beyond its pods: nothing host-side, no priority, two disk classes.
    assert (tenants[0].csi_drivers, tenants[0].priority_classes) == ((), ())
    assert tenants[0].storage_classes == ("default", "managed-csi")
    assert (tenants[0].pod_ephemeral_storage, tenants[0].ephemeral_storage_quota) == ("1Gi", "10Gi")


def test_text_and_typed_values_mean_the_same() -> None:
    typed, _ = parse_tenants(
        [
            {
                "name": "a",
                "cpuQuota": 2,
                "maxPods": 3,
                "allowDns": False,
                "egressPorts": [53, "53/udp"],
            }
        ]
    )
    text, _ = parse_tenants(
        [
            {
                "name": "a",
                "cpuQuota": "2",
                "maxPods": "3",
                "allowDns": "false",
                "egressPorts": ["53", "53/UDP"],
            }
        ]
    )
    assert typed == text
    assert typed[0].egress_ports == (EgressPort(53, "TCP"), EgressPort(53, "UDP"))


def test_every_bad_value_is_reported_at_once_naming_its_field() -> None:
    found = problems_for(
        [
            {"name": "team-a", "memoryQuota": "3Xi", "podCpu": "0", "maxPods": 0},
            {"name": "Team B", "memroyQuota": "1Gi", "egressPorts": [70000], "allowDns": "yes"},
            "ci",
            {"name": "team-a", "podMemory": "64Mi", "egressCidrs": ["10.0.0.0/33"]},
        ]
    )
    expected = {
        "tenants[0].memoryQuota": "'3Xi': must be a memory quantity",
        "tenants[0].podCpu": "'0': must be a CPU quantity > 0",
        "tenants[0].maxPods": "0: must be a whole number 1-10000",
        "tenants[1].name": "'Team B': must be a DNS-1123 label",
        "tenants[1].memroyQuota": "is not a tenant field; did you mean memoryQuota?",
        "tenants[1].egressPorts": "[70000]: must be a list of ports 1-65535",
        "tenants[1].allowDns": "'yes': must be true or false",
        "tenants[2]": "'ci': must be an object with at least a name",
        "tenants[3].name": "'team-a': is already the name of an earlier tenant",
        "tenants[3].podMemory": "'64Mi': must be a memory quantity >= 128Mi",
        "tenants[3].egressCidrs": "'10.0.0.0/33': is not an IPv4 CIDR",
    }
    for key, text in expected.items():
        assert key in found, key
        assert f"aks-pod-sandboxing:{key} = " in found[key] and text in found[key], found[key]
        assert found[key].startswith("error"), found[key]


@pytest.mark.parametrize(
    ("cidr", "opens"),
    [
        ("169.254.0.0/16", "the instance metadata endpoint 169.254.169.254"),
        ("169.254.169.254/32", "the instance metadata endpoint 169.254.169.254"),
        ("169.254.169.253/32", "the link-local range 169.254.0.0/16"),
        ("169.254.10.10/32", "AKS LocalDNS (169.254.10.10 and 169.254.10.11)"),
        ("168.63.129.16/32", "the Azure host endpoint 168.63.129.16 (WireServer"),
        ("10.244.3.0/24", "the cluster's pod range 10.244.0.0/16"),
        ("10.0.0.10/32", "the cluster's Service range 10.0.0.0/16"),
    ],
)
def test_a_cidr_inside_a_fenced_range_is_refused_naming_what_it_would_open(
    cidr: str, opens: str
) -> None:
    found = problems_for([{"name": "a", "egressCidrs": ["20.0.0.0/8", cidr]}])
    assert f"'{cidr}': would open " in found["tenants[0].egressCidrs"]
    assert opens in found["tenants[0].egressCidrs"]


@pytest.mark.parametrize(
    "cidrs",
    [
        ["0.0.0.0/0"],
        ["10.0.0.0/8", "172.16.0.0/12"],
        ["168.63.129.17/32", "169.255.0.0/16"],
        ["10.1.0.0/16", "10.245.0.0/16"],
    ],
)
def test_a_cidr_around_or_next_to_the_fenced_ranges_is_allowed(cidrs: list[str]) -> None:
    # Holding a fenced range is fine: the egress policy leaves it out (test_network.py).
    assert problems_for([{"name": "a", "egressCidrs": cidrs}]) == {}


def test_egress_to_a_documentation_range_is_a_warning() -> None:
    found = problems_for([{"name": "a", "egressCidrs": ["198.51.100.0/24", "10.0.0.0/8"]}])
    assert found["tenants[0].egressCidrs"].startswith("warning: ")
    assert (
        "'198.51.100.0/24': is RFC 5737 TEST-NET-2, reserved for documentation"
        in (found["tenants[0].egressCidrs"])
    )


@pytest.mark.parametrize("name", ["default", "kube-system", "kube-anything", "pod-sandboxing"])
def test_namespaces_that_are_not_the_tenants_to_take(name: str) -> None:
    assert "tenants[0].name" in problems_for([{"name": name}])


def test_deployers_follow_entra() -> None:
    tenants = [{"name": "a", "deployGroups": ["devs", GUID], "deployUsers": ["alice"]}]
    assert problems_for(tenants) == {}  # Kubernetes names without Entra
    found = problems_for(tenants, entraAdminGroupObjectIds=json.dumps([GUID]))
    assert "'devs': must be a Microsoft Entra group object ID" in found["tenants[0].deployGroups"]
    assert "name Entra groups (object IDs) in deployGroups" in found["tenants[0].deployUsers"]
    everybody = problems_for([{"name": "a", "deployGroups": ["system:authenticated"]}])
    assert "would let everybody deploy" in everybody["tenants[0].deployGroups"]


@pytest.mark.parametrize(
    ("version", "refused"), [("1.29", True), ("1.29.9", True), ("1.30", False), ("", False)]
)
def test_tenants_need_kubernetes_1_30(version: str, refused: bool) -> None:
    # AKS offers none of these any more (kubernetes-support refuses them on its own); the
    # tenants' rule still says what tenants need, last, and only with tenants.
    found = problems_for([{"name": "a"}], kubernetesVersion=version)
    tenants_need = "tenants need Kubernetes 1.30 or later"
    assert (tenants_need in found.get("kubernetesVersion", "")) is refused
    without = problems_for([], kubernetesVersion="1.29")  # no tenants: 1.27 is enough
    assert tenants_need not in without.get("kubernetesVersion", "")


def test_an_existing_cluster_is_checked_for_version_and_entra() -> None:
    settings = default_settings(
        cluster_mode="existing",
        cluster_name="aks-team",
        tenants=(Tenant("a", deploy_groups=("devs",)),),
    )
    old = existing_cluster_problems(settings, {"currentKubernetesVersion": "1.29.7"})
    assert [(p.key, p.value) for p in old] == [("clusterName", "aks-team")]
    assert "runs Kubernetes 1.29.7; tenants need Kubernetes 1.30" in old[0].message
    entra = existing_cluster_problems(
        settings, {"currentKubernetesVersion": "1.33.2", "aadProfile": {"managed": True}}
    )
    assert [(p.key, p.value) for p in entra] == [("tenants[0].deployGroups", "devs")]
    assert existing_cluster_problems(settings, {"currentKubernetesVersion": "1.33.2"}) == []


def test_every_bad_fence_value_is_reported_at_once_naming_its_field() -> None:
    found = problems_for(
        [
            {
                "name": "a",
                "podEphemeralStorage": "0",
                "ephemeralStorageQuota": "lots",
                "storageQuota": "-1Gi",
                "maxVolumeClaims": -1,
                "maxObjects": 0,
                "dns": "google",
                "storageClasses": ["Premium_LRS"],
                "priorityClasses": ["system-node-critical"],
                "csiDrivers": ["file csi"],
            },
        ]
    )
    expected = {
        "tenants[0].podEphemeralStorage": "'0': must be a storage quantity > 0",
        "tenants[0].ephemeralStorageQuota": "'lots': must be a storage quantity > 0",
        "tenants[0].storageQuota": "'-1Gi': must be a storage quantity >= 0",
        "tenants[0].maxVolumeClaims": "-1: must be a whole number 0-1000",
        "tenants[0].maxObjects": "0: must be a whole number 1-10000",
        "tenants[0].dns": "'google': must be none (no name lookups) or coredns",
        "tenants[0].storageClasses": "'Premium_LRS': is not a class name",
        "tenants[0].priorityClasses": "'system-node-critical': is a class reserved for the "
        "cluster's own pods",
        "tenants[0].csiDrivers": "'file csi': is not a CSI driver name",
    }
    for key, text in expected.items():
        assert key in found, key
        assert text in found[key] and found[key].startswith("error"), found[key]


def test_zero_storage_and_your_own_classes_are_fine() -> None:
    tenant = {
        "name": "a",
        "storageQuota": "0",
        "maxVolumeClaims": 0,
        "storageClasses": [],
        "priorityClasses": ["batch-low"],
        "csiDrivers": ["secrets-store.csi.k8s.io"],
    }
    assert problems_for([tenant]) == {}
    assert problems_for([{"name": "a", "storageClasses": ["acstor-pool1", "local-csi"]}]) == {}


@pytest.mark.parametrize(("allow", "dns"), [(True, "coredns"), ("false", "none")])
def test_allow_dns_is_still_read_as_dns(allow: object, dns: str) -> None:
    tenants, problems = parse_tenants([{"name": "a", "allowDns": allow}])
    assert problems == [] and tenants[0].dns == dns
    # Said both ways and agreeing: fine; dns wins when they disagree, which is an error.
    assert parse_tenants([{"name": "a", "allowDns": allow, "dns": dns}])[1] == []
    other = "none" if dns == "coredns" else "coredns"
    tenants, (problem,) = parse_tenants([{"name": "a", "allowDns": allow, "dns": other}])
    assert (problem.key, tenants[0].dns) == ("tenants[0].allowDns", other)
    assert f"contradicts dns: '{other}' (it means dns: {dns}); drop allowDns" in problem.message


def test_dns_is_read_in_any_case() -> None:
    assert parse_tenants([{"name": "a", "dns": "CoreDNS"}])[0][0].dns == "coredns"


def test_an_existing_clusters_own_ranges_may_not_be_opened_either() -> None:
    settings = default_settings(
        cluster_mode="existing",
        cluster_name="aks-team",
        tenants=(
            Tenant("a", egress_cidrs=("0.0.0.0/0",)),
            Tenant("b", egress_cidrs=("192.168.10.0/24", "203.0.113.0/24")),
        ),
    )
    own = {
        "currentKubernetesVersion": "1.33.2",
        "networkProfile": {
            "podCidrs": ["192.168.0.0/16", "fd12:3456:789a::/64"],
            "serviceCidrs": ["10.0.0.0/16"],
        },
    }
    found = [(p.key, p.value) for p in existing_cluster_problems(settings, own)]
    assert found == [
        ("tenants[0].egressCidrs", "0.0.0.0/0"),
        ("tenants[1].egressCidrs", "192.168.10.0/24"),
    ]
    (first, _) = existing_cluster_problems(settings, own)
    assert "overlaps aks-team's pod range 192.168.0.0/16 (not the default 10.244.0.0/16" in (
        first.message
    )
    # The defaults are what the egress policy leaves out already; no profile: nothing to check.
    default = {"podCidrs": ["10.244.0.0/16"], "serviceCidrs": ["10.0.0.0/16"]}
    version = {"currentKubernetesVersion": "1.33.2"}
    assert existing_cluster_problems(settings, {**version, "networkProfile": default}) == []
    assert existing_cluster_problems(settings, version) == []
