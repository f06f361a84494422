"""The program lists every config key it received, so unknown ones cannot slip by."""

from __future__ import annotations

import json

import pytest
from pulumi.runtime import config as runtime_config

from stack_settings import received_config


def test_received_config_is_what_the_engine_set(monkeypatch: pytest.MonkeyPatch) -> None:
    token = runtime_config.CONFIG.set({})
    try:
        runtime_config.set_all_config({"aks-pod-sandboxing:kataNodeVMSize": "x", "a:b": "1"})
        assert received_config() == {"aks-pod-sandboxing:kataNodeVMSize": "x", "a:b": "1"}
        # Nothing stored: the engine's PULUMI_CONFIG (public get_config_env) stands in.
        runtime_config.CONFIG.set({})
        monkeypatch.setenv("PULUMI_CONFIG", json.dumps({"p:k": "v"}))
        assert received_config() == {"p:k": "v"}
    finally:
        runtime_config.CONFIG.reset(token)
