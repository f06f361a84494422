"""What a mock run records: each resource as the engine received it, invokes, stack outputs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sandboxing.config.settings import Problem


@dataclass
class Registered:
    """One resource as the engine would receive it."""

    type: str
    name: str
    urn: str
    parent: str
    custom: bool
    inputs: dict[str, Any]
    dependencies: list[str]  # URNs this resource waits for
    options: dict[str, Any]
    id: str = ""
    state: dict[str, Any] = field(default_factory=dict)
    read: bool = False  # a lookup of an existing object (`.get`), not something we create
    # Input name -> URNs its value comes from (the engine's propertyDependencies).
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Invoke:
    token: str
    args: dict[str, Any]


@dataclass
class OutputValue:
    value: Any
    secret: bool
    known: bool


@dataclass
class RunResult:
    resources: list[Registered]
    invokes: list[Invoke]
    outputs: dict[str, OutputValue]
    warnings: list[str]
    error: str | None = None
    # The program's configuration problems as data, when a ConfigError stopped it.
    problems: list[Problem] = field(default_factory=list)

    def by_type(self, type_: str) -> list[Registered]:
        return [r for r in self.resources if r.type == type_]

    def one(self, type_: str, name: str | None = None) -> Registered:
        found = [r for r in self.by_type(type_) if name is None or r.name == name]
        if len(found) != 1:
            raise LookupError(f"expected one {type_} {name or ''}, found {len(found)}")
        return found[0]

    def by_urn(self, urn: str) -> Registered:
        for r in self.resources:
            if r.urn == urn:
                return r
        raise LookupError(urn)

    def waits_for(self, resource: Registered) -> set[str]:
        """Every URN `resource` waits for, directly or through other resources."""
        seen: set[str] = set()
        todo = list(resource.dependencies)
        while todo:
            urn = todo.pop()
            if urn in seen:
                continue
            seen.add(urn)
            todo.extend(self.by_urn(urn).dependencies if self.has(urn) else [])
        return seen

    def has(self, urn: str) -> bool:
        return any(r.urn == urn for r in self.resources)
