"""The old URNs a resource's own aliases name, as the engine works them out."""

from __future__ import annotations

import pulumi
from support import run_component

from tools.harness import Registered

STACK = "urn:pulumi:dev::aks-pod-sandboxing::"
THING = "test:index:Thing"


class Group(pulumi.ComponentResource):
    def __init__(self, name: str) -> None:
        super().__init__("test:index:Group", name)
        self.register_outputs({})


def thing(name: str, **opts: object) -> None:
    pulumi.CustomResource(THING, name, {}, pulumi.ResourceOptions(**opts))  # type: ignore[arg-type]


def recorded(program: object) -> dict[str, Registered]:
    return {r.name: r for r in run_component(program).resources}  # type: ignore[arg-type]


def test_a_moved_or_renamed_resource_names_its_old_urns() -> None:
    old_group = f"{STACK}test:index:Group::old"

    def program() -> None:
        group = Group("group")
        thing("moved-out", aliases=[pulumi.Alias(parent=old_group)])
        thing("moved-in", parent=group, aliases=[pulumi.Alias(parent=None)])
        thing("renamed", parent=group, aliases=[pulumi.Alias(name="was")])
        thing("other-stack", aliases=[pulumi.Alias(stack="prod", project="p")])
        thing("by-urn", aliases=[f"{STACK}{THING}::old-name"])

    found = {name: r.options["aliases"] for name, r in recorded(program).items()}
    # The mock engine's URNs: the parent's last type token, pulumi:pulumi:Stack at the top.
    in_group, at_top = f"{STACK}test:index:Group${THING}", f"pulumi:pulumi:Stack${THING}"
    assert found == {
        "group": [],
        "moved-out": [f"{in_group}::moved-out"],
        "moved-in": [f"{STACK}{at_top}::moved-in"],
        "renamed": [f"{in_group}::was"],
        "other-stack": [f"urn:pulumi:prod::p::{at_top}::other-stack"],
        "by-urn": [f"{STACK}{THING}::old-name"],
    }


def test_the_type_aliases_of_a_provider_sdk_are_not_moves() -> None:
    def program() -> None:
        thing("versions", aliases=[pulumi.Alias(type_="test:v1:Thing"), "test:v2:Thing"])

    # A bare string is an alias URN to the SDK: kept, though no engine would match it.
    assert recorded(program)["versions"].options["aliases"] == ["test:v2:Thing"]
