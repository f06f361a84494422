"""The preflight's decisions from ARM's answers: providers, features, sizes, quota, versions."""

from __future__ import annotations

from dataclasses import replace

from arm_bodies import sku, usage

from cloud.preflight_checks import (
    SkuFacts,
    feature_finding,
    nodes_to_add,
    provider_finding,
    quota_findings,
    sku_findings,
    version_findings,
    vm_skus,
)
from sandboxing.preflight_needs import BRING_YOUR_OWN_PUBLIC_IP, ENCRYPTION_AT_HOST, PoolNeed

SUB = "11111111-2222-3333-4444-555555555555"
KATA = PoolNeed("kataNodeVmSize", "Standard_D4s_v3", 2)
SYSTEM = PoolNeed("systemNodeVmSize", "Standard_D2s_v5", 1)


SKUS = vm_skus(
    [
        sku("Standard_D4s_v3", "standardDSv3Family", 4),
        sku("Standard_D2s_v5", "standardDSv5Family", 2),
        {"resourceType": "disks", "name": "Standard_D4s_v3"},  # another resource type, same name
    ]
)
FACTS = {
    "Standard_D4s_v3": SkuFacts("standardDSv3Family", 4),
    "Standard_D2s_v5": SkuFacts("standardDSv5Family", 2),
}


def test_providers_must_be_registered() -> None:
    assert provider_finding("Microsoft.Compute", {"registrationState": "Registered"}, SUB) is None
    finding = provider_finding(
        "Microsoft.ContainerService", {"registrationState": "NotRegistered"}, SUB
    )
    assert finding is not None and finding.severity == "error"
    assert "Microsoft.ContainerService is NotRegistered in subscription" in finding.message
    assert "az provider register --namespace Microsoft.ContainerService" in finding.message
    registering = provider_finding("Microsoft.Network", {"registrationState": "Registering"}, SUB)
    assert registering is not None and "wait until it says Registered" in registering.message


def test_features_required_or_worth_a_warning() -> None:
    assert feature_finding(ENCRYPTION_AT_HOST, {"properties": {"state": "registered"}}, SUB) is None
    missing = feature_finding(ENCRYPTION_AT_HOST, {"properties": {"state": "NotRegistered"}}, SUB)
    assert missing is not None and missing.severity == "error"
    assert "az feature register --namespace Microsoft.Compute --name EncryptionAtHost" in (
        missing.message
    )
    assert "az provider register --namespace Microsoft.Compute" in missing.message
    byoip = feature_finding(BRING_YOUR_OWN_PUBLIC_IP, None, SUB)
    assert byoip is not None and byoip.severity == "warning"
    assert "unknown to Resource Manager (404)" in byoip.message
    assert "not in the Pod Sandboxing docs as of Aug 2026" in byoip.message


def test_sizes_offered_unrestricted_give_family_and_vcpus() -> None:
    findings, facts = sku_findings((SYSTEM, KATA), SKUS, "westeurope", SUB)
    assert findings == [] and facts == FACTS


def test_a_size_not_offered_or_restricted_is_an_error_naming_the_key() -> None:
    restricted = vm_skus(
        [
            sku(
                "Standard_D4s_v3",
                "standardDSv3Family",
                4,
                restrictions=[
                    {
                        "type": "Location",
                        "values": ["westeurope"],
                        "restrictionInfo": {"locations": ["westeurope"]},
                        "reasonCode": "NotAvailableForSubscription",
                    }
                ],
            )
        ]
    )
    findings, facts = sku_findings((SYSTEM, KATA), restricted, "westeurope", SUB)
    messages = [f.message for f in findings]
    assert messages[0].startswith("systemNodeVmSize Standard_D2s_v5 is not offered in westeurope")
    assert "az vm list-skus --location westeurope --size Standard_D2s_v5" in messages[0]
    assert "kataNodeVmSize Standard_D4s_v3 is restricted for subscription" in messages[1]
    assert "NotAvailableForSubscription" in messages[1]
    assert all(f.severity == "error" for f in findings) and "Standard_D2s_v5" not in facts


def test_zones_are_checked_once_a_pool_asks_for_them() -> None:
    zoned = vm_skus(
        [
            sku(
                "Standard_D4s_v3",
                "standardDSv3Family",
                4,
                restrictions=[
                    {
                        "type": "Zone",
                        "values": ["westeurope"],
                        "restrictionInfo": {"zones": ["3"]},
                        "reasonCode": "NotAvailableForSubscription",
                    }
                ],
            )
        ]
    )
    assert sku_findings((KATA,), zoned, "westeurope", SUB)[0] == []  # no zones asked for
    pool = PoolNeed("kataNodeVmSize", "Standard_D4s_v3", 1, zones=("1", "3"))
    (finding,) = sku_findings((pool,), zoned, "westeurope", SUB)[0]
    assert "zone(s) 3 of westeurope (available: 1, 2)" in finding.message


def test_quota_per_family_and_regional_with_the_numbers() -> None:
    usages = [
        usage("cores", "Total Regional vCPUs", 6, 10),
        usage("standardDSv3Family", "Standard DSv3 Family vCPUs", 0, 4),
        usage("standardDSv5Family", "Standard DSv5 Family vCPUs", 0, 100),
    ]
    findings = quota_findings((SYSTEM, KATA), (), FACTS, usages, "westeurope")
    errors = [f.message for f in findings if f.severity == "error"]
    assert len(errors) == 2
    assert errors[0].startswith(
        "vCPU quota 'Standard DSv3 Family vCPUs' in westeurope: the stack "
        "adds 8 vCPUs (kataNodeVmSize Standard_D4s_v3: 2 x 4), and 4 of 4"
    )
    assert "'Total Regional vCPUs' in westeurope: the stack adds 10 vCPUs" in errors[1]
    assert "4 of 10 are free (6 in use)" in errors[1]
    assert "az vm list-usage --location westeurope" in errors[1]


def test_room_for_the_pools_but_not_for_an_upgrade_surge_is_a_warning() -> None:
    usages = [
        usage("cores", "Total Regional vCPUs", 0, 100),
        usage("standardDSv3Family", "Standard DSv3 Family vCPUs", 0, 9),
    ]
    (finding,) = quota_findings((KATA,), (), FACTS, usages, "westeurope")
    assert finding.severity == "warning" and "surge nodes while it runs (4 vCPUs more)" in (
        finding.message
    )
    # A surge of two Kata nodes (kataMaxSurge 2) needs room for both.
    two = replace(KATA, surge=2)
    roomier = [usages[0], usage("standardDSv3Family", "Standard DSv3 Family vCPUs", 0, 13)]
    (finding,) = quota_findings((two,), (), FACTS, roomier, "westeurope")
    assert "(8 vCPUs more)" in finding.message


def test_a_deployed_pool_counts_only_what_a_change_adds() -> None:
    old = (PoolNeed("kataNodeVmSize", "Standard_D4s_v3", 2),)
    assert nodes_to_add(PoolNeed("kataNodeVmSize", "Standard_D4s_v3", 3), old) == 1
    assert nodes_to_add(PoolNeed("kataNodeVmSize", "Standard_D4s_v3", 1), old) == 0
    # A new size is a new pool, created before the old one is deleted: every node counts.
    assert nodes_to_add(PoolNeed("kataNodeVmSize", "Standard_D8s_v3", 2), old) == 2
    usages = [
        usage("cores", "Total Regional vCPUs", 8, 12),
        usage("standardDSv3Family", "Standard DSv3 Family vCPUs", 8, 12),
    ]
    assert quota_findings((KATA,), old, FACTS, usages, "westeurope") == []


def test_the_version_against_the_regions_list() -> None:
    body = {
        "values": [
            {
                "version": "1.33",
                "capabilities": {"supportPlan": ["AKSLongTermSupport"]},
                "patchVersions": {"1.33.9": {"upgrades": []}},
            },
            {
                "version": "1.36",
                "isDefault": True,
                "capabilities": {"supportPlan": ["KubernetesOfficial", "AKSLongTermSupport"]},
                "patchVersions": {"1.36.2": {"upgrades": []}},
            },
        ]
    }
    assert version_findings("1.36", "KubernetesOfficial", False, body, "westeurope", True) == []
    (missing,) = version_findings("1.37", "KubernetesOfficial", False, body, "westeurope", True)
    assert missing.severity == "error" and "AKS does not offer Kubernetes 1.37" in missing.message
    assert "Azure's list for westeurope" in missing.message
    (lts,) = version_findings("1.33", "KubernetesOfficial", False, body, "westeurope", True)
    assert lts.severity == "error" and "long-term support" in lts.message
    # The version the cluster already runs: a warning, the cluster exists.
    (kept,) = version_findings("1.37", "KubernetesOfficial", False, body, "westeurope", False)
    assert kept.severity == "warning"


def test_the_stack_asks_for_its_zones_and_the_autoscalers_maximum() -> None:
    from sandboxing.config.contract import default_settings
    from sandboxing.preflight_needs import preflight_needs

    settings = default_settings(
        location="westeurope",
        availability_zones=("1", "2"),
        kata_enable_auto_scaling=True,
        kata_node_max_count=5,
    )
    kata = next(p for p in preflight_needs(settings).pools if p.key == "kataNodeVmSize")
    assert (kata.zones, kata.nodes) == (("1", "2"), 5)
