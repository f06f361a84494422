"""The program lists every config key it received, so unknown ones cannot slip by."""

from __future__ import annotations

import json

import pytest
from pulumi.runtime import set_all_config

from stack_settings import received_config
from tools.harness.sdk_internals import no_stack_config


def test_the_engines_whole_config_arrives_unknown_keys_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As `pulumi up` hands it over: PULUMI_CONFIG, read back by the SDK's public get_config_env.
    sent = {"aks-pod-sandboxing:kataNodeVMSize": "x", "a:b": "1"}
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps(sent))
    with no_stack_config():
        set_all_config(sent)
        assert received_config() == sent


def test_declared_keys_are_read_through_pulumi_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PULUMI_CONFIG", raising=False)
    with no_stack_config():
        set_all_config({"aks-pod-sandboxing:kataNodeCount": "3", "azure-native:location": "x"})
        assert received_config() == {
            "aks-pod-sandboxing:kataNodeCount": "3",
            "azure-native:location": "x",
        }
