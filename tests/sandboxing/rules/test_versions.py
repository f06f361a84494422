"""The support window's rules: the versions AKS offers, LTS and its tier, the OS SKU per minor,
auto-upgrade past the OS SKU, and the dated list's age."""

from __future__ import annotations

import datetime

import pytest

from sandboxing import aks_versions
from sandboxing.aks_versions import SupportWindow
from sandboxing.config.contract import default_settings
from sandboxing.config.settings import Problem
from sandboxing.rules import versions

LTS = "AKSLongTermSupport"


def found(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.key, p.severity) for p in problems]


@pytest.mark.parametrize("version", ["1.99", "1.27", "1.31", "1.31.9", "1.38"])
def test_a_version_aks_does_not_offer_is_refused_with_what_it_offers(version: str) -> None:
    (problem,) = versions.check_kubernetes_support(default_settings(kubernetes_version=version))
    assert (problem.key, problem.value, problem.severity) == ("kubernetesVersion", version, "error")
    assert "AKS does not offer Kubernetes" in problem.message
    assert "standard support 1.35, 1.36, 1.37; LTS only 1.32, 1.33, 1.34" in problem.message
    assert "az aks get-versions --location <region>" in problem.message
    assert "tools.plan --aks-versions" in problem.message
    assert "as of 2026-12-04" in problem.message  # where the list comes from


@pytest.mark.parametrize("version", ["", "1.35", "1.36", "1.37.1", "v1.36", "1.26"])
def test_standard_support_the_default_malformed_and_too_old_for_kata_pass_here(
    version: str,
) -> None:
    # Malformed: the key's own check; below 1.27: the kubernetes-version rule's.
    assert versions.check_kubernetes_support(default_settings(kubernetes_version=version)) == []


@pytest.mark.parametrize("version", ["1.32", "1.33.4", "1.34"])
def test_lts_only_versions_need_the_lts_plan(version: str) -> None:
    (problem,) = versions.check_kubernetes_support(default_settings(kubernetes_version=version))
    assert found([problem]) == [("kubernetesVersion", "error")]
    assert "offered only with long-term support" in problem.message
    assert "supportPlan AKSLongTermSupport and skuTier Premium" in problem.message
    assert "1.35, 1.36, 1.37" in problem.message
    lts = default_settings(kubernetes_version=version, support_plan=LTS, sku_tier="Premium")
    assert versions.check_kubernetes_support(lts) == []


def test_an_lts_only_version_on_an_existing_cluster_is_a_warning() -> None:
    settings = default_settings(kubernetes_version="1.33", cluster_mode="existing")
    (problem,) = versions.check_kubernetes_support(settings)
    assert problem.severity == "warning" and "the existing cluster must be on" in problem.message


def test_lts_and_premium_go_together() -> None:
    (lts_free,) = versions.check_support_plan(default_settings(support_plan=LTS))
    assert (lts_free.key, lts_free.severity) == ("supportPlan", "error")
    assert "needs skuTier Premium" in lts_free.message and "skuTier is Free" in lts_free.message
    (premium,) = versions.check_support_plan(default_settings(sku_tier="Premium"))
    assert (premium.key, premium.value) == ("skuTier", "Premium")
    assert "needs supportPlan AKSLongTermSupport" in premium.message
    assert "free-standard-pricing-tiers" in premium.message  # the source
    both = default_settings(sku_tier="Premium", support_plan=LTS)
    assert versions.check_support_plan(both) == []
    assert versions.check_support_plan(default_settings(sku_tier="Standard")) == []
    existing = default_settings(cluster_mode="existing", support_plan=LTS)
    assert versions.check_support_plan(existing) == []


@pytest.mark.parametrize(
    ("os_sku", "version", "refused"),
    [
        ("AzureLinux3", "1.37", True),
        ("AzureLinux3", "1.37.2", True),
        ("AzureLinux3", "1.36", False),
        ("AzureLinux3", "1.35", False),
        ("AzureLinux3", "", False),
        ("AzureLinux", "1.37", False),
        ("AzureLinux", "1.32", False),
    ],
)
def test_azure_linux3_ends_at_1_36(os_sku: str, version: str, refused: bool) -> None:
    settings = default_settings(kata_os_sku=os_sku, kubernetes_version=version)
    problems = versions.check_kata_os_sku_version(settings)
    assert bool(problems) is refused
    if refused:
        (problem,) = problems
        assert (problem.key, problem.value) == ("kataOsSku", os_sku)
        assert "1.28 to 1.36 only, not 1.37" in problem.message
        assert "upgrade-os-version" in problem.message


def test_azure_linux_2_is_named_where_a_list_still_offers_its_minors() -> None:
    old = SupportWindow(((1, 31), (1, 36)), (), None, "a list from 2025")
    settings = default_settings(kubernetes_version="1.31", kubernetes_versions=old)
    (problem,) = versions.check_kata_os_sku_version(settings)
    assert "Azure Linux 2.0, which AKS retired" in problem.message
    assert "2026-03-31" in problem.message
    # Where AKS does not offer the minor at all, kubernetes-support alone says so.
    assert versions.check_kata_os_sku_version(default_settings(kubernetes_version="1.31")) == []


@pytest.mark.parametrize(
    ("os_sku", "channel", "warned"),
    [
        ("AzureLinux3", "stable", True),
        ("AzureLinux3", "rapid", True),
        ("AzureLinux3", "patch", False),
        ("AzureLinux3", "node-image", False),
        ("AzureLinux", "rapid", False),
    ],
)
def test_auto_upgrade_past_the_os_skus_last_minor_is_a_warning(
    os_sku: str, channel: str, warned: bool
) -> None:
    settings = default_settings(kata_os_sku=os_sku, auto_upgrade_channel=channel)
    problems = versions.check_os_sku_upgrade_ceiling(settings)
    assert found(problems) == ([("autoUpgradeChannel", "warning")] if warned else [])
    if warned:
        assert "ends at Kubernetes 1.36" in problems[0].message
    existing = default_settings(
        kata_os_sku=os_sku, auto_upgrade_channel=channel, cluster_mode="existing"
    )
    assert versions.check_os_sku_upgrade_ceiling(existing) == []


def test_the_dated_list_warns_when_it_is_old_on_an_injected_day() -> None:
    fresh = aks_versions.AS_OF + datetime.timedelta(days=90)
    stale = aks_versions.AS_OF + datetime.timedelta(days=93)
    assert (
        versions.check_versions_fresh(default_settings(kubernetes_version="1.36", today=fresh))
        == []
    )
    (problem,) = versions.check_versions_fresh(
        default_settings(kubernetes_version="1.36", today=stale)
    )
    assert found([problem]) == [("kubernetesVersion", "warning")]
    assert "93 days old, which may be stale" in problem.message
    assert "az aks get-versions" in problem.message and "--aks-versions" in problem.message
    # Nothing pinned (AKS's default), or a list read from Azure: nothing to warn about.
    assert versions.check_versions_fresh(default_settings(today=stale)) == []
    live = SupportWindow(((1, 36),), (), (1, 36), "Azure's list")
    settings = default_settings(kubernetes_version="1.36", today=stale, kubernetes_versions=live)
    assert versions.check_versions_fresh(settings) == []


def test_a_live_list_decides_instead_of_the_dated_one() -> None:
    live = aks_versions.window_from_get_versions(
        {
            "values": [
                {
                    "version": "1.38",
                    "isPreview": True,
                    "capabilities": {"supportPlan": ["KubernetesOfficial"]},
                    "patchVersions": {"1.38.0": {"upgrades": []}},
                },
                {
                    "version": "1.36",
                    "isDefault": True,
                    "capabilities": {"supportPlan": ["KubernetesOfficial", "AKSLongTermSupport"]},
                    "patchVersions": {
                        "1.36.1": {"upgrades": ["1.36.3"]},
                        "1.36.3": {"upgrades": []},
                    },
                },
            ]
        },
        "az aks get-versions (westeurope.json)",
    )
    assert live.standard == ((1, 36),) and live.preview == ((1, 38),) and live.default == (1, 36)
    assert versions.version_problems("1.36.3", "KubernetesOfficial", live) == []
    (patch,) = versions.version_problems("1.36.2", "KubernetesOfficial", live)
    assert "does not offer the patch 1.36.2" in patch.message and "1.36.1, 1.36.3" in patch.message
    (preview,) = versions.version_problems("1.38", "KubernetesOfficial", live)
    assert preview.severity == "warning" and "preview" in preview.message
    (gone,) = versions.version_problems("1.37", "KubernetesOfficial", live)
    assert "az aks get-versions (westeurope.json)" in gone.message
