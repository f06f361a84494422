"""How many sandboxes fit the Kata pool; a warm pool that cannot is refused with the numbers."""

from __future__ import annotations

from typing import Any

from sandboxing import catalog
from sandboxing.agent_sandbox.capacity import kata_pool_most_nodes, sandboxes_that_fit
from sandboxing.config.contract import default_settings
from sandboxing.config.validate import problems_of
from sandboxing.node_capacity import node_capacity
from sandboxing.tenants.config import parse_tenants

OVERHEAD = catalog.RUNTIME_CLASS_OVERHEAD_MIB


def settings(**fields: Any) -> Any:
    return default_settings(location="westeurope", agent_sandbox=True, **fields)


def test_the_pool_at_its_largest_is_the_fixed_node_count_today() -> None:
    assert kata_pool_most_nodes(default_settings(kata_node_count=7)) == 7


def test_per_node_nodes_less_the_demo_pod_and_the_tenants() -> None:
    node = node_capacity("Standard_D4s_v3")
    assert node is not None
    tenants = parse_tenants([{"name": "a", "cpuQuota": "2", "memoryQuota": "2Gi"}])[0]
    fit = sandboxes_that_fit(
        settings(
            kata_node_count=3,
            tenants=tenants,
            agent_sandbox_cpu="500m",
            agent_sandbox_memory="512Mi",
        )
    )
    assert fit is not None
    per_node = min(
        node.allocatable_millicpu // 500, node.allocatable_memory_mib // (512 + OVERHEAD)
    )
    assert (fit.per_node, fit.nodes, fit.total) == (per_node, 3, 3 * per_node)
    # The demo pod (1 CPU, 1Gi + overhead) takes the room of two 500m sandboxes; the tenant's
    # 2 CPU quota that of four.
    assert (fit.demo_pod, fit.tenant_quotas) == (2, 4)
    assert fit.free == 3 * per_node - 6


def test_a_warm_pool_that_cannot_fit_is_refused_with_the_numbers() -> None:
    (problem,) = problems_of(settings(agent_sandbox_warm_pool_size=3), "agentSandboxWarmPoolSize")
    assert problem.severity == "error" and problem.value == 3
    assert problem.message == (
        "warm sandboxes of 1 CPU and 1Gi (+600Mi Kata overhead) do not fit the Kata pool: 3 per "
        "node x 1 node(s) = 3, less 1 for the demo's untrusted pod and 0 for the tenants' quotas: "
        "2 free. Lower it to at most 2, raise kataNodeCount, or make the sandboxes smaller"
    )
    assert (
        problems_of(
            settings(
                agent_sandbox_warm_pool_size=3, kata_node_count=2, agent_sandbox_max_sandboxes=3
            ),
            "agentSandboxWarmPoolSize",
        )
        == []
    )


def test_the_namespaces_quota_of_sandboxes_holds_the_warm_pool_and_fits_the_pool() -> None:
    (more,) = problems_of(
        settings(agent_sandbox_warm_pool_size=2, agent_sandbox_max_sandboxes=1),
        "agentSandboxWarmPoolSize",
    )
    assert more.severity == "error" and "more than agentSandboxMaxSandboxes (1)" in more.message
    (over,) = problems_of(settings(agent_sandbox_max_sandboxes=9), "agentSandboxMaxSandboxes")
    assert over.severity == "warning" and "sandboxes beyond 2 stay Pending" in over.message
    scaled = settings(
        agent_sandbox_max_sandboxes=9, kata_enable_auto_scaling=True, kata_node_max_count=4
    )
    assert problems_of(scaled, "agentSandboxMaxSandboxes") == []  # the pool at its maximum


def test_a_warm_pool_that_fills_the_pool_is_a_warning() -> None:
    (problem,) = problems_of(settings(agent_sandbox_warm_pool_size=2), "agentSandboxWarmPoolSize")
    assert problem.severity == "warning" and "replacement and every cold start" in problem.message
    assert problems_of(settings(agent_sandbox_warm_pool_size=0), "agentSandboxWarmPoolSize") == []


def test_a_sandbox_bigger_than_a_kata_node_names_what_does_not_fit() -> None:
    (memory,) = problems_of(settings(agent_sandbox_memory="16Gi"), "agentSandboxMemory")
    assert "plus the 600Mi Kata overhead does not fit one Kata node (Standard_D4s_v3" in (
        memory.message
    )
    (cpu,) = problems_of(settings(agent_sandbox_cpu="4"), "agentSandboxCpu")
    assert "does not fit one Kata node (Standard_D4s_v3: 3860m allocatable)" in cpu.message


def test_an_unknown_vm_size_or_the_layer_off_checks_nothing() -> None:
    assert sandboxes_that_fit(settings(kata_node_vm_size="Standard_D4s_v9")) is None
    off = default_settings(agent_sandbox_warm_pool_size=50)
    assert [p.message for p in problems_of(off, "agentSandboxWarmPoolSize")] == [
        "is not used without agentSandbox: true"
    ]


def test_the_warm_pool_is_held_back_of_the_capacity_plan_in_pods_of_the_demos_size() -> None:
    from sandboxing.agent_sandbox.capacity import warm_pool_pods

    # Sandboxes of the demo's size (1 CPU, 1Gi): one pod each.
    assert warm_pool_pods(settings(agent_sandbox_warm_pool_size=2)) == 2
    # Half-size sandboxes: two take the place of one pod (CPU and memory with the overhead).
    half = settings(
        agent_sandbox_warm_pool_size=2, agent_sandbox_cpu="500m", agent_sandbox_memory="212Mi"
    )
    assert warm_pool_pods(half) == 1
    assert warm_pool_pods(default_settings(agent_sandbox_warm_pool_size=2)) == 0  # layer off
