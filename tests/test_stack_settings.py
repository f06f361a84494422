"""The program lists every config key it received, so unknown ones cannot slip by."""

from __future__ import annotations

import json

import pytest
from pulumi.runtime import set_all_config

from stack_settings import received_config
from tools.harness.sdk_internals import no_stack_config


def test_received_config_is_what_the_engine_set(monkeypatch: pytest.MonkeyPatch) -> None:
    with no_stack_config():
        set_all_config({"aks-pod-sandboxing:kataNodeVMSize": "x", "a:b": "1"})
        assert received_config() == {"aks-pod-sandboxing:kataNodeVMSize": "x", "a:b": "1"}
    with no_stack_config():
        # Nothing stored: the engine's PULUMI_CONFIG (public get_config_env) stands in.
        monkeypatch.setenv("PULUMI_CONFIG", json.dumps({"p:k": "v"}))
        assert received_config() == {"p:k": "v"}
