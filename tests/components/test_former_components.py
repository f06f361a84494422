"""The dynamic resources and the pools keep the URNs they had inside components of their own as
aliases."""

from __future__ import annotations

import pulumi
from support import run_component, run_dev

from components.former_components import former_component
from tools.harness import RunResult

# What stacks made before December 2026 hold (the engine's URNs; the mock engine's are the same
# for a child of a top-level component).
FORMER_URNS = {
    "preflight-run": "urn:pulumi:dev::aks-pod-sandboxing::aks-pod-sandboxing:azure:"
    "SubscriptionPreflight$pulumi-python:dynamic/aks-pod-sandboxing:SubscriptionPreflight"
    "::preflight-run",
    "kata-reconcile-run": "urn:pulumi:dev::aks-pod-sandboxing::aks-pod-sandboxing:azure:"
    "ClusterReconcile$pulumi-python:dynamic/aks-pod-sandboxing:ClusterReconcile"
    "::kata-reconcile-run",
    "kata-runtime-class-wait": "urn:pulumi:dev::aks-pod-sandboxing::aks-pod-sandboxing:"
    "kubernetes:KataRuntimeClass$pulumi-python:dynamic/aks-pod-sandboxing:RuntimeClassWait"
    "::kata-runtime-class-wait",
    "kata-pool": "urn:pulumi:dev::aks-pod-sandboxing::aks-pod-sandboxing:azure:KataNodePool$"
    "azure-native:containerservice:AgentPool::kata-pool",
}
USER_POOL = (
    "urn:pulumi:dev::aks-pod-sandboxing::aks-pod-sandboxing:azure:UserNodePool$"
    "azure-native:containerservice:AgentPool::user-pool"
)


def test_each_moved_resource_is_at_the_top_with_an_alias_to_its_old_urn(
    dev_run: RunResult,
) -> None:
    stack = "urn:pulumi:dev::aks-pod-sandboxing::pulumi:pulumi:Stack::aks-pod-sandboxing-dev"
    moved = {r.name: r for r in dev_run.resources if r.name in FORMER_URNS}
    assert {name: r.parent for name, r in moved.items()} == dict.fromkeys(FORMER_URNS, stack)
    assert {name: r.options["aliases"] for name, r in moved.items()} == {
        name: [urn] for name, urn in FORMER_URNS.items()
    }
    # No component of those names is left.
    assert not [r for r in dev_run.resources if not r.custom and r.name in FORMER_URNS]


def test_the_user_pool_keeps_its_old_urn_too() -> None:
    result = run_dev(systemPoolCriticalAddonsOnly="true")
    pool = result.one("azure-native:containerservice:AgentPool", "user-pool")
    assert pool.options["aliases"] == [USER_POOL]


def test_the_alias_names_the_components_urn_as_the_engine_made_it() -> None:
    aliases: list[pulumi.Alias] = []
    run_component(lambda: aliases.append(former_component("test:index:Group", "group")))
    # No `pulumi:pulumi:Stack$` in it: the mock engine writes one into top-level URNs, the engine
    # does not, and it is the engine that reads this alias.
    assert aliases[0].parent == "urn:pulumi:dev::aks-pod-sandboxing::test:index:Group::group"
