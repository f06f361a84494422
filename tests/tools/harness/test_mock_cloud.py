"""tools/harness/mock_cloud.py: what the fake API server answers for a CustomResourceDefinition."""

from __future__ import annotations

import copy
from typing import Any

import pulumi
import pulumi_kubernetes as k8s
import pytest
from support import run_component

from tools.harness import mock_cloud
from tools.harness.records import Registered

SCHEMA = {"openAPIV3Schema": {"type": "object", "properties": {"spec": {"type": "object"}}}}
SPEC: dict[str, Any] = {
    "group": "example.com",
    "names": {"kind": "Thing", "plural": "things"},
    "scope": "Namespaced",
    "versions": [
        {"name": "v1", "served": True, "storage": True, "schema": SCHEMA},
        {"name": "v1beta1", "served": False, "storage": False, "schema": SCHEMA},
    ],
}


def registered_crd(echo: bool, monkeypatch: pytest.MonkeyPatch) -> Registered:
    monkeypatch.setattr(mock_cloud, "ECHO_CRD_SCHEMAS", echo)

    def program() -> None:
        provider = pulumi.ProviderResource("kubernetes", "k8s", {"kubeconfig": "{}"})
        k8s.apiextensions.v1.CustomResourceDefinition(
            "things",
            metadata={"name": "things.example.com"},
            spec=copy.deepcopy(SPEC),
            opts=pulumi.ResourceOptions(provider=provider),
        )

    return run_component(program).one(mock_cloud.CRD_TYPE)


def test_the_state_echoes_the_schemas_unless_the_tests_turn_it_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    echoed, quick = registered_crd(True, monkeypatch), registered_crd(False, monkeypatch)
    assert quick.inputs == echoed.inputs  # what is sent is the same
    assert echoed.inputs["spec"] == SPEC and echoed.state["spec"] == SPEC
    versions = quick.state["spec"].pop("versions")
    assert versions == [
        {"name": "v1", "served": True, "storage": True},
        {"name": "v1beta1", "served": False, "storage": False},
    ]
    assert quick.state["spec"] == {k: v for k, v in SPEC.items() if k != "versions"}
    assert quick.state["metadata"] == echoed.state["metadata"]
