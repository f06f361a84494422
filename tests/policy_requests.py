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


def _props(struct: Any) -> Any:
    return unknown_checking_proxy(deserialize_properties(json_format.MessageToDict(struct)))


def engine_props(inputs: dict[str, Any]) -> Any:
    return _props(engine_struct(inputs))


def _args(
    type_: str,
    props: Any,
    name: str,
    config: dict[str, Any] | None,
    provider: PolicyProviderResource | None,
) -> ResourceValidationArgs:
    options = PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], None)
    urn = f"urn:pulumi:dev::aks-pod-sandboxing::{type_}::{name}"
    return ResourceValidationArgs(type_, props, urn, name, options, provider, config)


def engine_args(
    type_: str,
    inputs: dict[str, Any],
    name: str = "resource",
    config: dict[str, Any] | None = None,
    provider: PolicyProviderResource | None = None,
) -> ResourceValidationArgs:
    return _args(type_, engine_props(inputs), name, config, provider)


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


def mandatory_violations(run: RunResult) -> list[tuple[str, str, list[str]]]:
    """(policy, resource, messages) for each mandatory policy a resource of the run violates, as
    `pulumi preview --policy-pack` validates them: one request per resource, its properties
    read again for each policy (pulumi-policy pulumi_policy/policy.py `Analyze`)."""
    provider = provider_of(run)
    found = []
    for recorded in (r for r in run.resources if r.custom and not r.read):
        struct = engine_struct(recorded.inputs)
        kubernetes = provider if recorded.type.startswith("kubernetes:") else None
        for policy in MANDATORY:
            args = _args(recorded.type, _props(struct), recorded.name, None, kubernetes)
            if messages := violations(policy, args):
                found.append((policy.name, recorded.name, messages))
    return found


def pod_inputs(run: RunResult, name: str) -> dict[str, Any]:
    return copy.deepcopy(run.one(POD, name).inputs)
