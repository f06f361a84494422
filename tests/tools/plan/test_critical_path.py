"""The `pulumi up` estimate follows the dependencies the program really registers."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pulumi
import pulumi_kubernetes as k8s
import pytest
from support import dev_config, run_dev

from components.cluster_reconcile import RECONCILE_TYPE
from components.kata_runtime_class import WAIT_TYPE
from components.preflight import PREFLIGHT_TYPE
from sandboxing import workload
from tools.harness import Registered, RunResult, run_program
from tools.plan.critical_path import clock, estimate, resource_waits_for, schedule, typical_seconds
from tools.plan.step_times import (
    CREATE_SECONDS,
    DEFAULT_CREATE_SECONDS,
    READ_SECONDS,
    approx_duration,
)

RG = "azure-native:resources:ResourceGroup"
AKS = "azure-native:containerservice:ManagedCluster"
POOL = "azure-native:containerservice:AgentPool"
POD = "kubernetes:core/v1:Pod"
RUNTIME_CLASS = "kubernetes:node.k8s.io/v1:RuntimeClass"
NAMESPACE = "kubernetes:core/v1:Namespace"
ACCOUNT = "kubernetes:core/v1:ServiceAccount"


def node(
    name: str,
    type_: str = "test:index:Thing",
    deps: tuple[str, ...] = (),
    parent: str = "",
    custom: bool = True,
    read: bool = False,
    provider: str = "",
) -> Registered:
    """A recorded resource whose URN is just its name (enough for the graph)."""
    return Registered(
        type=type_,
        name=name,
        urn=name,
        parent=parent,
        custom=custom,
        inputs={},
        dependencies=list(deps),
        options={"provider": provider},
        read=read,
    )


# --- The graph and the weights, on small hand-made graphs -------------------------------------


def test_typical_seconds_by_type_and_operation() -> None:
    assert typical_seconds(node("a", AKS)) == CREATE_SECONDS[AKS]
    assert typical_seconds(node("a", RUNTIME_CLASS, read=True)) == READ_SECONDS[RUNTIME_CLASS]
    assert typical_seconds(node("a", "pulumi:providers:kubernetes")) == 0
    assert typical_seconds(node("a", "x:y:Component", custom=False)) == 0
    assert typical_seconds(node("a", "x:y:Unlisted")) == DEFAULT_CREATE_SECONDS


def test_waits_for_dependencies_provider_and_only_a_custom_parent() -> None:
    child = node("child", deps=("dep",), parent="boss", provider="prov::prov-id")
    assert resource_waits_for(child) == ["dep", "prov"]
    assert resource_waits_for(child, custom_urns={"boss"}) == ["dep", "prov", "boss"]


def test_longest_chain_wins_and_parallel_work_ends_earlier() -> None:
    slots = schedule(
        [node("a"), node("b", deps=("a",)), node("c", deps=("a",)), node("d", deps=("b", "c"))],
        seconds=lambda r: {"a": 10, "b": 100, "c": 5, "d": 1}[r.name],
    )
    assert (slots["b"].start, slots["b"].finish) == (10, 110)
    assert (slots["c"].start, slots["c"].finish) == (10, 15)
    assert (slots["d"].start, slots["d"].after) == (110, "b")


def test_child_of_a_custom_parent_waits_for_it_but_not_of_a_component() -> None:
    resources = [
        node("parent", POOL),
        node("child", POD, parent="parent"),
        node("component", custom=False),
        node("member", POD, parent="component"),
    ]
    slots = schedule(resources)
    assert slots["child"].start == CREATE_SECONDS[POOL]
    assert slots["member"].start == 0


def test_waiting_on_a_component_waits_for_its_last_child() -> None:
    resources = [
        node("component", custom=False),
        node("quick", RG, parent="component"),
        node("slow", AKS, parent="component", deps=("quick",)),
        node("after", POD, deps=("component",)),
    ]
    slots = schedule(resources)
    cluster_done = CREATE_SECONDS[RG] + CREATE_SECONDS[AKS]
    assert (slots["component"].start, slots["component"].finish) == (0, cluster_done)
    assert slots["after"].start == cluster_done
    # Components take no time, so the printed path skips them.
    path = [step.urn for step in estimate(resources).path]
    assert path == ["quick", "slow", "after"]


def test_waits_on_unrecorded_urns_count_as_done() -> None:
    assert schedule([node("a", deps=("urn:pulumi:stack",))])["a"].start == 0


def test_a_cycle_is_an_error_not_a_hang() -> None:
    with pytest.raises(ValueError, match="cycle"):
        schedule([node("a", deps=("b",)), node("b", deps=("a",))])


def test_ties_do_not_depend_on_the_order_the_engine_reported() -> None:
    def path_of(deps: tuple[str, ...]) -> list[str]:
        resources = [node("x", RG), node("y", RG), node("z", POD, deps=deps)]
        return [step.urn for step in estimate(resources).path]

    assert path_of(("x", "y")) == path_of(("y", "x")) == ["x", "z"]


def test_durations_read_like_the_issue_asks() -> None:
    assert approx_duration(836) == "~14 min"
    assert approx_duration(45) == "~45 s"
    assert clock(836) == "13:56"
    assert clock(5) == "0:05"


# --- The real program ---------------------------------------------------------------------------


def test_dev_stack_critical_path_is_cluster_pool_reconcile_wait_untrusted(
    dev_run: RunResult,
) -> None:
    found = estimate(dev_run.resources)
    assert [step.label for step in found.path] == [
        "SubscriptionPreflight preflight-run",
        "ResourceGroup cluster-rg",
        "ManagedCluster cluster-aks",
        "AgentPool kata-pool",
        "ClusterReconcile kata-reconcile-run",
        "RuntimeClassWait kata-runtime-class-wait",
        "Pod untrusted",
    ]
    expected = (
        CREATE_SECONDS[PREFLIGHT_TYPE]
        + CREATE_SECONDS[RG]
        + CREATE_SECONDS[AKS]
        + CREATE_SECONDS[POOL]
        + CREATE_SECONDS[RECONCILE_TYPE]
        + CREATE_SECONDS[WAIT_TYPE]
        + CREATE_SECONDS[POD]
    )
    assert found.total_seconds == sum(step.seconds for step in found.path) == expected
    assert found.summary() == (
        "SubscriptionPreflight preflight-run (5s) -> ResourceGroup cluster-rg (10s) -> "
        "ManagedCluster cluster-aks (420s) -> "
        "AgentPool kata-pool (360s) -> ClusterReconcile kata-reconcile-run (180s) -> "
        "RuntimeClassWait kata-runtime-class-wait (5s) -> Pod untrusted (45s) = ~17 min"
    )


@pytest.fixture(scope="module")
def one_pool_run() -> RunResult:
    result = run_dev(kataPoolPlacement="system")
    assert result.error is None, result.error
    return result


def test_each_step_of_the_path_really_waits_for_the_one_before(
    dev_run: RunResult, one_pool_run: RunResult
) -> None:
    for run in (dev_run, one_pool_run):
        custom = {r.urn for r in run.resources if r.custom}
        path = estimate(run.resources).path
        for before, after in itertools.pairwise(path):
            assert before.urn in resource_waits_for(run.by_urn(after.urn), custom)
            assert after.start == before.finish


def test_one_pool_cluster_has_no_pool_create_on_the_path(
    dev_run: RunResult, one_pool_run: RunResult
) -> None:
    found = estimate(one_pool_run.resources)
    cluster_ready = CREATE_SECONDS[PREFLIGHT_TYPE] + CREATE_SECONDS[RG] + CREATE_SECONDS[AKS]
    wait = one_pool_run.one(WAIT_TYPE).urn
    untrusted = one_pool_run.one(POD, "untrusted").urn
    trusted = one_pool_run.one(POD, "trusted").urn
    # preflight -> resource group -> cluster -> runtime-class wait -> untrusted pod: the class is
    # awaited as soon as the cluster (with its Kata System pool) is there; nothing to reconcile.
    assert one_pool_run.by_type(RECONCILE_TYPE) == []
    assert found.slots[wait].after == one_pool_run.one(AKS).urn
    assert found.slots[wait].start == cluster_ready
    assert [one_pool_run.by_urn(step.urn).type for step in found.path] == [
        PREFLIGHT_TYPE,
        RG,
        AKS,
        WAIT_TYPE,
        POD,
    ]
    assert found.total_seconds == cluster_ready + CREATE_SECONDS[WAIT_TYPE] + CREATE_SECONDS[POD]
    assert found.slots[untrusted].finish == found.total_seconds
    assert found.slots[trusted].finish < found.total_seconds
    # One long create instead of two in a row: the Kata pool's create and the reconcile saved.
    dedicated = estimate(dev_run.resources).total_seconds
    assert dedicated - found.total_seconds == CREATE_SECONDS[POOL] + CREATE_SECONDS[RECONCILE_TYPE]


def test_trusted_pod_is_off_the_critical_path_and_ready_long_before(dev_run: RunResult) -> None:
    found = estimate(dev_run.resources)
    trusted = dev_run.one(POD, "trusted").urn
    untrusted = dev_run.one(POD, "untrusted").urn
    assert trusted not in {step.urn for step in found.path}
    # The trusted pod does not wait for the Kata pool: it is ready while the pool is still
    # being created, most of the pool's create time before the untrusted pod.
    gap = found.slots[untrusted].finish - found.slots[trusted].finish
    assert gap >= CREATE_SECONDS[POOL] * 0.9
    pool = dev_run.one(POOL).urn
    assert found.slots[trusted].finish < found.slots[pool].finish


# --- A needless dependency shows up in the estimate -----------------------------------------------


def cluster_pool_and_trusted_pod(trusted_waits_for_pool: bool) -> Callable[[], None]:
    """The real cluster component and Kata pool plus one trusted pod, wired either way."""

    def program() -> None:
        import stack_args
        from components.azure_linux_cluster import AzureLinuxCluster
        from components.node_pools import KATA_POOL, added_node_pool
        from stack_settings import load_settings

        settings = load_settings()
        cluster = AzureLinuxCluster("cluster", stack_args.cluster_args(settings))
        pool = added_node_pool(
            "kata",
            KATA_POOL,
            stack_args.kata_pool_args(settings, "test/dev"),
            cluster.resource_group_name,
            cluster.cluster_name,
        )
        trusted = workload.pod(settings, workload.TRUSTED_POD, None)
        k8s.core.v1.Pod(
            workload.TRUSTED_POD,
            metadata=trusted["metadata"],
            spec=trusted["spec"],
            opts=pulumi.ResourceOptions(
                provider=cluster.provider,
                depends_on=[pool] if trusted_waits_for_pool else None,
            ),
        )

    return program


def test_a_needless_wait_on_the_kata_pool_delays_the_trusted_pod() -> None:
    runs = {
        needless: run_program(dev_config(), program=cluster_pool_and_trusted_pod(needless))
        for needless in (False, True)
    }
    for run in runs.values():
        assert run.error is None, run.error
    lean, needless = (estimate(runs[flag].resources) for flag in (False, True))
    lean_pod, needless_pod = (runs[flag].one(POD, "trusted").urn for flag in (False, True))
    cluster_ready = CREATE_SECONDS[RG] + CREATE_SECONDS[AKS]

    assert lean.slots[lean_pod].finish == cluster_ready + CREATE_SECONDS[POD]
    assert [step.label for step in lean.path][-1] == "AgentPool kata-pool"

    # depends_on the pool component: the SDK sends the pool's URN, the estimate follows it.
    assert needless.slots[needless_pod].finish == (
        cluster_ready + CREATE_SECONDS[POOL] + CREATE_SECONDS[POD]
    )
    assert [step.label for step in needless.path][-2:] == ["AgentPool kata-pool", "Pod trusted"]
    assert needless.total_seconds == lean.total_seconds + CREATE_SECONDS[POD]
