"""A mock resource monitor that also keeps what the SDK's plain one throws away: each resource's
inputs, parent, dependencies, provider and resource options."""

from __future__ import annotations

from typing import Any

from tools.harness.mock_cloud import CloudMocks
from tools.harness.records import Registered
from tools.harness.sdk_internals import InterceptingMonitor


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
