"""A mock resource monitor that also keeps what the SDK's plain one throws away: each resource's
inputs, parent, dependencies, provider and resource options, and the old URNs its own aliases
name."""

from __future__ import annotations

from typing import Any

from tools.harness.mock_cloud import CloudMocks
from tools.harness.records import Registered
from tools.harness.sdk_internals import ROOT_STACK_TYPE, InterceptingMonitor


class RecordingMonitor(InterceptingMonitor):
    def __init__(self, mocks: CloudMocks):
        super().__init__(mocks)
        self.registered: list[Registered] = []

    def on_register(
        self, request: Any, urn: str, id_: str, inputs: dict[str, Any], state: dict[str, Any]
    ) -> None:
        options = {
            "protect": request.protect,
            "deleteBeforeReplace": request.deleteBeforeReplace,
            "ignoreChanges": list(request.ignoreChanges),
            "replaceOnChanges": list(request.replaceOnChanges),
            "retainOnDelete": request.retainOnDelete,
            "additionalSecretOutputs": list(request.additionalSecretOutputs),
            "replaceWith": list(request.replace_with),
            "deletedWith": request.deletedWith,
            "provider": request.provider,
            "aliases": aliased_urns(request, urn),
        }
        self._record(request, urn, id_, inputs, state, options, read=False)
        self.registered[-1].property_dependencies = {
            key: list(deps.urns) for key, deps in request.propertyDependencies.items()
        }

    def on_read(
        self, request: Any, urn: str, id_: str, inputs: dict[str, Any], state: dict[str, Any]
    ) -> None:
        options = {"provider": request.provider}
        self._record(request, urn, id_, inputs, state, options, read=True)

    def _record(
        self,
        request: Any,
        urn: str,
        id_: str,
        inputs: dict[str, Any],
        state: dict[str, Any],
        options: dict[str, Any],
        read: bool,
    ) -> None:
        self.registered.append(
            Registered(
                type=request.type,
                name=request.name,
                urn=urn,
                parent=request.parent,
                custom=bool(getattr(request, "custom", True)),
                inputs=inputs,
                dependencies=list(getattr(request, "dependencies", [])),
                options=options,
                id=id_ or "",
                state=state,
                read=read,
            )
        )


def aliased_urns(request: Any, urn: str) -> list[str]:
    """The URNs a resource's own aliases say it had (another parent, name or stack).

    An alias's parts default to the resource's own, as the engine's do (pulumi/pulumi @ 1b59498
    pkg/resource/deploy/step_generator.go `collapseAliasToUrn`); the URN is made as the mock
    engine makes every URN it records (pulumi/runtime/mocks.py `make_urn`: the parent's last type
    token, `pulumi:pulumi:Stack` at the top), so that plans match by them. The aliases a provider
    SDK declares for each past version of a type token (~110 for ManagedCluster) are left out:
    they name the same resource under a type this program never used.
    """
    found: list[str] = []
    for alias in request.aliases:
        if alias.urn:
            found.append(alias.urn)
            continue
        spec = alias.spec  # an unset field reads as "" or False
        parent = spec.parentUrn
        if not (spec.name or parent or spec.noParent or spec.stack or spec.project):
            continue  # a type token only (~110 a resource for azure-native: kept cheap)
        stack, project = urn.removeprefix("urn:pulumi:").split("::")[:2]
        parent_type = (
            ROOT_STACK_TYPE if spec.noParent else (parent or request.parent).split("::")[2]
        )
        type_ = f"{parent_type.split('$')[-1]}${spec.type or request.type}"
        found.append(
            f"urn:pulumi:{spec.stack or stack}::{spec.project or project}::{type_}::"
            f"{spec.name or request.name}"
        )
    return found
