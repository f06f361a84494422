"""The capacity keys against the ARM contract the installed SDK was generated from (pulumi-azure-
native 3.29.0, containerservice API 2025-09-01): the enums match, and each key's default is the
default ARM states, so an SDK upgrade that changes either fails here."""

from __future__ import annotations

import inspect
import re

import pytest
from pulumi_azure_native import containerservice

from sandboxing.keys import KEYS_BY_NAME
from sandboxing.keys.upgrades import DRAIN_TIMEOUT_MINUTES, SOAK_MINUTES


def sdk_param(cls: type, name: str) -> str:
    """The SDK's description of one argument (the ARM spec's description, generated)."""
    doc = inspect.getdoc(cls.__init__) or ""
    found = re.search(rf":param [^:]+ {name}: (.+)", doc)
    assert found, f"{cls.__name__} has no argument {name}"
    return found[1]


PROFILE = containerservice.ManagedClusterPropertiesAutoScalerProfileArgs
UPGRADE = containerservice.AgentPoolUpgradeSettingsArgs


@pytest.mark.parametrize(
    ("key", "argument"),
    [
        ("autoscalerScaleDownDelayAfterAdd", "scale_down_delay_after_add"),
        ("autoscalerScaleDownUnneededTime", "scale_down_unneeded_time"),
        ("autoscalerMaxNodeProvisionTime", "max_node_provision_time"),
        ("autoscalerExpander", "expander"),
    ],
)
def test_profile_defaults_are_arms(key: str, argument: str) -> None:
    text = sdk_param(PROFILE, argument)
    assert f"the default is '{KEYS_BY_NAME[key].default}'" in text.lower()
    if argument != "expander":
        assert "Values must be an integer followed by an 'm'" in text  # what Minutes checks


def test_expanders_and_undrainable_behaviours_are_the_sdks_enums() -> None:
    expander = KEYS_BY_NAME["autoscalerExpander"].value
    assert set(expander.choices) == {e.value for e in containerservice.Expander}  # type: ignore[union-attr]
    behaviour = KEYS_BY_NAME["kataUndrainableNodeBehavior"].value
    assert set(behaviour.choices) == {  # type: ignore[union-attr]
        b.value for b in containerservice.UndrainableNodeBehavior
    }


def test_upgrade_defaults_and_ranges_follow_arm() -> None:
    assert "If not specified, the default is 30 minutes" in sdk_param(
        UPGRADE, "drain_timeout_in_minutes"
    )
    assert KEYS_BY_NAME["kataDrainTimeoutMinutes"].default == 30
    assert "the default is 0 minutes" in sdk_param(UPGRADE, "node_soak_duration_in_minutes")
    assert KEYS_BY_NAME["kataNodeSoakMinutes"].default == 0
    assert "If not specified, the default is 0" in sdk_param(UPGRADE, "max_unavailable")
    assert KEYS_BY_NAME["kataMaxUnavailable"].default == "0"
    # ARM: drainTimeoutInMinutes 1-1440 (AKS docs: from 5), nodeSoakDurationInMinutes 0-30.
    assert DRAIN_TIMEOUT_MINUTES == (5, 1440) and SOAK_MINUTES == (0, 30)


def test_the_pool_arguments_exist_on_both_pool_kinds() -> None:
    """The inline System pool and an AgentPool take the same autoscaler and zone arguments."""
    for cls in (
        containerservice.ManagedClusterAgentPoolProfileArgs,
        containerservice.AgentPoolArgs,
    ):
        parameters = inspect.signature(cls.__init__).parameters
        for name in (
            "enable_auto_scaling",
            "min_count",
            "max_count",
            "count",
            "availability_zones",
            "upgrade_settings",
        ):
            assert name in parameters, (cls.__name__, name)
    assert "1 to 1000 (inclusive) for system pools" in sdk_param(
        containerservice.ManagedClusterAgentPoolProfileArgs, "count"
    )
