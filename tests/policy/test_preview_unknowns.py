"""Values a preview cannot know: the pod policies defer rather than guess."""

from __future__ import annotations

import pytest
from policy_requests import POD, engine_args, pod_inputs, violations
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError

from policy import sandbox_policies as sp
from tools.harness import RunResult


def test_unknown_runtime_class_defers_the_pod_policies_to_the_update(dev_run: RunResult) -> None:
    # A fresh stack's preview: the class name comes from the RuntimeClass read, which needs the
    # cluster. pulumi-policy turns the raised error into an advisory "can't run during preview".
    inputs = pod_inputs(dev_run, "untrusted")
    inputs["spec"]["runtimeClassName"] = UNKNOWN_STRING_VALUE
    for policy in (sp.KATA_POD_HARDENING, sp.SANDBOX_PODS_USE_KATA):
        with pytest.raises(UnknownValueError) as unknown:
            violations(policy, engine_args(POD, inputs, "untrusted"))
        assert unknown.value.message == (
            "string value at .spec.runtimeClassName can't be known during preview"
        )


def test_sandbox_label_decides_without_reading_an_unknown_namespace(dev_run: RunResult) -> None:
    inputs = pod_inputs(dev_run, "untrusted")
    inputs["metadata"]["namespace"] = UNKNOWN_STRING_VALUE
    args = engine_args(POD, inputs, "untrusted")
    assert violations(sp.SANDBOX_PODS_USE_KATA, args) == []
    del inputs["metadata"]["labels"]
    with pytest.raises(UnknownValueError) as unknown:
        violations(sp.SANDBOX_PODS_USE_KATA, engine_args(POD, inputs, "untrusted"))
    assert unknown.value.props == ["metadata", "namespace"]
