"""How many sandboxes fit the Kata pool, and the warm pool checked against it. Pure.

A sandbox costs its CPU request and its memory request plus the Kata RuntimeClass overhead
(sandboxing.sizing). The Kata pool at its largest holds `pods_per_node` of them per node; the
demo's untrusted pod and the tenants' quotas (which count the overhead too,
sandboxing.tenants.capacity) are taken off, each as the number of sandboxes it displaces. What
is left is how many sandboxes can run at once: the warm pool must fit in it. The figures are
upper bounds: DaemonSets on the Kata nodes take their share too.

`kata_pool_most_nodes` is the one place that says how large the Kata pool can get; a pool that
scales itself would answer with its maximum there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sandboxing import catalog
from sandboxing.config.key import Rule
from sandboxing.config.settings import Problem, Settings
from sandboxing.node_capacity import node_capacity
from sandboxing.pool_scaling import kata_scale
from sandboxing.quantities import cpu_millicores, memory_mib
from sandboxing.sizing import sandbox_sizing
from sandboxing.tenants.capacity import tenant_pool

OVERHEAD_MIB = catalog.RUNTIME_CLASS_OVERHEAD_MIB


def kata_pool_most_nodes(settings: Settings) -> int:
    """The Kata pool's node count at its largest: the autoscaler's maximum where it scales."""
    return kata_scale(settings).largest


def _raise_nodes(settings: Settings) -> str:
    return "kataNodeMaxCount" if settings.kata_enable_auto_scaling else "kataNodeCount"


@dataclass(frozen=True)
class SandboxFit:
    """Sandboxes of the configured size against the Kata pool at its largest."""

    sandbox_cpu_millicores: int
    sandbox_host_memory_mib: int  # memory limit + the Kata overhead
    per_node: int
    nodes: int
    demo_pod: int  # sandboxes the demo's untrusted pod displaces
    tenant_quotas: int  # sandboxes the tenants' quotas displace

    @property
    def total(self) -> int:
        return self.per_node * self.nodes

    @property
    def free(self) -> int:
        """How many sandboxes can run at once: warm ones and claimed ones together."""
        return max(0, self.total - self.demo_pod - self.tenant_quotas)

    def explain(self) -> str:
        return (
            f"{self.per_node} per node x {self.nodes} node(s) = {self.total}, less "
            f"{self.demo_pod} for the demo's untrusted pod and {self.tenant_quotas} for the "
            f"tenants' quotas: {self.free} free"
        )


def _displaced(cpu_m: float, host_memory_mib: float, cpu_each: int, memory_each: int) -> int:
    """How many sandboxes a share of CPU and memory takes the place of (rounded up)."""
    if cpu_m <= 0 and host_memory_mib <= 0:
        return 0
    by_cpu = cpu_m / cpu_each if cpu_each else 0
    return math.ceil(max(by_cpu, host_memory_mib / memory_each))


def sandboxes_that_fit(settings: Settings) -> SandboxFit | None:
    """None when the Kata VM size's capacity or a quantity is not known (reported elsewhere)."""
    sizing = sandbox_sizing(
        settings.agent_sandbox_cpu, settings.agent_sandbox_memory, settings.kata_node_vm_size
    )
    cpu_each, memory_each = sizing.cpu_request_millicores, sizing.host_memory_per_pod_mib
    demo_cpu = cpu_millicores(settings.pod_cpu_limit)
    demo_memory = memory_mib(settings.pod_memory_limit)
    if sizing.pods_per_node is None or not cpu_each or demo_cpu is None or demo_memory is None:
        return None
    pool = tenant_pool(settings)
    tenant_cpu = pool.quota_millicpu if pool else 0
    tenant_memory = pool.quota_memory_mib if pool else 0
    return SandboxFit(
        sandbox_cpu_millicores=cpu_each,
        sandbox_host_memory_mib=memory_each,
        per_node=sizing.pods_per_node,
        nodes=kata_pool_most_nodes(settings),
        demo_pod=_displaced(demo_cpu, demo_memory + OVERHEAD_MIB, cpu_each, memory_each),
        tenant_quotas=_displaced(tenant_cpu, tenant_memory, cpu_each, memory_each),
    )


def warm_pool_pods(settings: Settings) -> int:
    """The warm pool, counted as the pods of the demo's size it holds back of the Kata pool (the
    capacity plan's `reservedPods`); 0 without agentSandbox or when a size is not known."""
    if not settings.agent_sandbox or not settings.agent_sandbox_warm_pool_size:
        return 0
    cpu_each = cpu_millicores(settings.pod_cpu_limit)
    memory_each = memory_mib(settings.pod_memory_limit)
    cpu = cpu_millicores(settings.agent_sandbox_cpu)
    memory = memory_mib(settings.agent_sandbox_memory)
    if not cpu_each or not memory_each or cpu is None or memory is None:
        return 0
    size = settings.agent_sandbox_warm_pool_size
    return _displaced(
        size * cpu, size * (memory + OVERHEAD_MIB), int(cpu_each), int(memory_each + OVERHEAD_MIB)
    )


def _node_problems(settings: Settings, fit: SandboxFit) -> list[Problem]:
    """A sandbox bigger than a Kata node: name the resource that does not fit."""
    node = node_capacity(settings.kata_node_vm_size)
    if fit.per_node or node is None:
        return []
    where = f"one Kata node ({settings.kata_node_vm_size}"
    if fit.sandbox_cpu_millicores > node.allocatable_millicpu:
        return [
            Problem(
                "agentSandboxCpu",
                settings.agent_sandbox_cpu,
                f"does not fit {where}: {node.allocatable_millicpu}m allocatable); "
                "lower it or choose a larger kataNodeVmSize",
            )
        ]
    return [
        Problem(
            "agentSandboxMemory",
            settings.agent_sandbox_memory,
            f"plus the {OVERHEAD_MIB}Mi Kata overhead does not fit {where}: "
            f"{node.allocatable_memory_mib}Mi allocatable); lower it or choose a larger "
            "kataNodeVmSize",
        )
    ]


def check_sandbox_capacity(settings: Settings) -> list[Problem]:
    """Errors: a sandbox that fits no Kata node, a warm pool that cannot fit the Kata pool;
    a warning: a warm pool that fills it (no room left for a claimed sandbox's replacement)."""
    if not settings.agent_sandbox:
        return []
    fit = sandboxes_that_fit(settings)
    if fit is None:
        return []
    if problems := _node_problems(settings, fit):
        return problems
    size = settings.agent_sandbox_warm_pool_size
    shape = (
        f"{settings.agent_sandbox_cpu} CPU and {settings.agent_sandbox_memory} "
        f"(+{OVERHEAD_MIB}Mi Kata overhead)"
    )
    if size > fit.free:
        return [
            Problem(
                "agentSandboxWarmPoolSize",
                size,
                f"warm sandboxes of {shape} do not fit the Kata pool: {fit.explain()}. "
                f"Lower it to at most {fit.free}, raise {_raise_nodes(settings)}, or "
                "make the sandboxes smaller",
            )
        ]
    most = settings.agent_sandbox_max_sandboxes
    if size > most:
        return [
            Problem(
                "agentSandboxWarmPoolSize",
                size,
                f"is more than agentSandboxMaxSandboxes ({most}), the namespace's quota "
                "of sandboxes: the warm pool could never fill; lower it or raise "
                "agentSandboxMaxSandboxes",
            )
        ]
    if size and size == fit.free:
        return [
            Problem(
                "agentSandboxWarmPoolSize",
                size,
                f"fills the Kata pool ({fit.explain()}): once a sandbox is claimed, its "
                "replacement and every cold start stay Pending until a session ends",
                "warning",
            )
        ]
    if most > fit.free:
        return [
            Problem(
                "agentSandboxMaxSandboxes",
                most,
                f"sandboxes of {shape} at once do not fit the Kata pool ({fit.explain()}):"
                " the quota promises more than the nodes hold, so sandboxes beyond "
                f"{fit.free} stay Pending; lower it or raise {_raise_nodes(settings)}",
                "warning",
            )
        ]
    return []


SANDBOX_CAPACITY = Rule("sandbox-capacity", check_sandbox_capacity)
