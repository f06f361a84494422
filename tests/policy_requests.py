"""Policy-pack validation requests built as the engine would send them.

Resource args go through the same steps pulumi-policy's analyzer applies to an engine request
(protobuf Struct -> dict -> secrets unwrapped -> unknown-checking proxy), so the validators see
floats, camelCase names and Mapping proxies exactly as under `pulumi preview --policy-pack`.
"""

from __future__ import annotations

import copy
from typing import Any

from google.protobuf import json_format
from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
)
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import unknown_checking_proxy
from support import engine_struct

from policy import sandbox_policies as sp
from tools.harness import Registered, RunResult

POD = "kubernetes:core/v1:Pod"
MANDATORY = [p for p in sp.POLICIES if p.enforcement_level == EnforcementLevel.MANDATORY]


def engine_props(inputs: dict[str, Any]) -> Any:
    struct = engine_struct(inputs)
    return unknown_checking_proxy(deserialize_properties(json_format.MessageToDict(struct)))


def engine_args(
    type_: str,
    inputs: dict[str, Any],
    name: str = "resource",
    config: dict[str, Any] | None = None,
    provider: PolicyProviderResource | None = None,
) -> ResourceValidationArgs:
    props = engine_props(inputs)
    options = PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], None)
    urn = f"urn:pulumi:dev::aks-pod-sandboxing::{type_}::{name}"
    return ResourceValidationArgs(type_, props, urn, name, options, provider, config)


def violations(policy: Any, args: ResourceValidationArgs) -> list[str]:
    found: list[str] = []
    policy.validate(args, lambda message, urn=None: found.append(message))
    return found


def provider_of(run: RunResult) -> PolicyProviderResource:
    recorded = run.one("pulumi:providers:kubernetes")
    props = engine_props(recorded.inputs)
    return PolicyProviderResource(recorded.type, props, recorded.urn, recorded.name)


def args_of(recorded: Registered, run: RunResult, **kwargs: Any) -> ResourceValidationArgs:
    provider = provider_of(run) if recorded.type.startswith("kubernetes:") else None
    return engine_args(recorded.type, recorded.inputs, recorded.name, provider=provider, **kwargs)


def pod_inputs(run: RunResult, name: str) -> dict[str, Any]:
    return copy.deepcopy(run.one(POD, name).inputs)
