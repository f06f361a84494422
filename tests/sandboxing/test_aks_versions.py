"""The support window as data: the dated facts, their sources, and a list read from Azure."""

from __future__ import annotations

import datetime
import json

import pytest

from sandboxing import aks_versions
from sandboxing.aks_versions import DATED_WINDOW, window_from_get_versions

# `az aks get-versions --location westeurope -o json`: the REST answer printed as is (azure-cli
# 2.91.0 acs/custom.py returns client.list_kubernetes_versions(location); the spec's example shape,
# aks/stable/2024-09-01/examples/KubernetesVersions_List.json).
GET_VERSIONS = {
    "values": [
        {
            "version": "1.34",
            "capabilities": {"supportPlan": ["AKSLongTermSupport"]},
            "patchVersions": {"1.34.6": {"upgrades": ["1.35.3"]}},
        },
        {
            "version": "1.35",
            "capabilities": {"supportPlan": ["KubernetesOfficial", "AKSLongTermSupport"]},
            "patchVersions": {"1.35.3": {"upgrades": ["1.36.2"]}},
        },
        {
            "version": "1.36",
            "isDefault": True,
            "capabilities": {"supportPlan": ["KubernetesOfficial", "AKSLongTermSupport"]},
            "patchVersions": {"1.36.2": {"upgrades": []}},
        },
    ]
}


def test_the_dated_window_of_december_2026() -> None:
    assert DATED_WINDOW.standard == ((1, 35), (1, 36), (1, 37))
    assert DATED_WINDOW.lts_only == ((1, 32), (1, 33), (1, 34))
    assert DATED_WINDOW.default == (1, 36) and DATED_WINDOW.as_of == datetime.date(2026, 12, 4)
    assert DATED_WINDOW.terms((1, 31)) is None and DATED_WINDOW.terms((1, 33)) == "lts"
    # Each fact carries where it comes from, honestly dated.
    assert "per the AKS release notes, as of 2026-12" in aks_versions.WINDOW_SOURCE
    assert "ms.date" in aks_versions.AZURE_LINUX3.source
    assert "2026-03-31" in aks_versions.AZURE_LINUX_2_SOURCE


def test_the_support_plans_are_the_sdks_enum() -> None:
    from pulumi_azure_native.containerservice import KubernetesSupportPlan

    assert set(aks_versions.SUPPORT_PLANS) == {plan.value for plan in KubernetesSupportPlan}


def test_the_json_of_az_aks_get_versions_becomes_a_window() -> None:
    window = window_from_get_versions(json.loads(json.dumps(GET_VERSIONS)), "file x.json")
    assert window.standard == ((1, 35), (1, 36)) and window.lts_only == ((1, 34),)
    assert window.default == (1, 36) and window.as_of is None and window.source == "file x.json"
    assert window.patches[(1, 36)] == ("1.36.2",)
    assert window.describe()["ltsOnly"] == ["1.34"]


@pytest.mark.parametrize(
    "data", [[], {"value": []}, {"values": [{"version": "latest"}]}, {"values": "1.35"}]
)
def test_anything_else_is_refused_saying_what_was_expected(data: object) -> None:
    with pytest.raises(ValueError, match=r"values|MAJOR\.MINOR"):
        window_from_get_versions(data, "f")


def test_a_window_put_in_place_is_used_while_the_block_runs() -> None:
    live = window_from_get_versions(GET_VERSIONS, "f")
    with aks_versions.use_window(live):
        assert aks_versions.current_window() is live
    assert aks_versions.current_window() is DATED_WINDOW
