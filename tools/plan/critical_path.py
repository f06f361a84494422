"""How long `pulumi up` takes from empty: the critical path through the recorded dependencies.

What waits for what (the same edges the engine honours):
- the resource's recorded `dependencies`: explicit `depends_on` plus every resource whose outputs
  feed its inputs (the SDK already expands a dependency on a component into its children);
- its provider: the engine sends a resource only once its provider is configured;
- its parent, when the parent is a custom resource: the SDK needs the parent's URN, which a
  custom resource reports only once it is created. Component parents register at once and
  make nobody wait; a component itself takes no time and is done when its last child is.

Each resource then takes the typical time of its type (create, or read for `.get` lookups):
STEP_TIMES below, the one home of these figures (the diff takes its update and delete times
from there too); `python -m tools.schema` writes them as the table in docs/offline-plan.md. The
ManagedCluster figure is used whatever its System pool runs: with kataPoolPlacement system the
cluster's one pool runs Kata, which was not timed apart.

The estimate is the longest chain of waits (longest path, weighted by these times); everything
off that chain runs in parallel and ends earlier.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from components.cluster_reconcile import RECONCILE_TYPE
from components.kata_runtime_class import WAIT_TYPE
from components.preflight import PREFLIGHT_TYPE
from tools.harness import Registered

PROVIDER_PREFIX = "pulumi:providers:"
DEFAULT_CREATE_SECONDS = 10
DEFAULT_UPDATE_SECONDS = 10
DEFAULT_DELETE_SECONDS = 10
DEFAULT_READ_SECONDS = 1


@dataclass(frozen=True)
class StepTime:
    """Typical times of one kind of step: create, update in place, delete; what it applies to,
    and the range the figures stand for."""

    label: str
    seconds: int  # create
    note: str
    types: tuple[str, ...] = ()  # resource types; none for the rows the code handles itself
    update: int = DEFAULT_UPDATE_SECONDS
    delete: int = DEFAULT_DELETE_SECONDS


# A scale-up: what a sandboxed pod waits for when no Kata node has room (not part of `pulumi up`).
PENDING_POD_NOTICED = StepTime(
    "the autoscaler notices a pending pod",
    10,
    "kubernetes/autoscaler cluster-autoscaler/FAQ.md: scale-up is considered up to 10 s after "
    "a pod is unschedulable (scan-interval 10 s)",
)
NODE_ADDED = StepTime(
    "Kata node added by the autoscaler",
    240,
    "VM provisioning typically 2-5 min (AKS docs articles/aks/concepts-scale.md, ms.date "
    "08/13/2026), then the node joins with the Kata runtime; the autoscaler gives up after "
    "autoscalerMaxNodeProvisionTime",
)
POD_READY = StepTime(
    "Pod",
    45,
    "20-60 s until Ready; deleting it waits for its grace period (30 s by default)",
    ("kubernetes:core/v1:Pod",),
    update=2,
    delete=30,
)

# Laid out by hand (fmt: skip): each step's label, seconds and source on its first lines reads as
# a table; the formatter would put every argument on a line of its own.
STEP_TIMES: tuple[StepTime, ...] = (
    # Its provider's check reads Resource Manager (about ten GETs); create then returns at once.
    StepTime("the subscription preflight (`SubscriptionPreflight`)", 5,
             "GETs of Resource Manager in its provider's check", (PREFLIGHT_TYPE,)),
    StepTime("ResourceGroup", 10, "5-15 s; deleting an empty group takes about a minute",
             ("azure-native:resources:ResourceGroup",), update=5, delete=60),
    # Control plane plus the inline System pool.
    StepTime("ManagedCluster", 420,
             "6-8 min, with the System pool; an update is a PUT of the cluster (2-5 min); "
             "deleting it deletes its nodes (5-10 min)",
             ("azure-native:containerservice:ManagedCluster",), update=180, delete=420),
    # A Kata pool: VMSS with nested virtualization, then the Kata runtime on each node.
    StepTime("Kata AgentPool", 360,
             "5-7 min; an update (e.g. a new node count) 2-5 min; deleting it drains and "
             "deletes its nodes (3-6 min)",
             ("azure-native:containerservice:AgentPool",), update=180, delete=300),
    # The docs' `az aks update`: ARM's long-running PUT of the unchanged managed cluster.
    StepTime("the reconcile (`ClusterReconcile`)", 180,
             "2-5 min: ARM's PUT of the unchanged cluster, polled to its end; never updated "
             "(a change replaces it), deleting it undoes nothing",
             (RECONCILE_TYPE,), update=0, delete=0),
    # GETs of the RuntimeClass until AKS serves it; it is usually there by then.
    StepTime("the runtime-class wait (`RuntimeClassWait`)", 5, "a few GETs", (WAIT_TYPE,),
             update=0, delete=0),
    StepTime("Kubernetes provider", 0, "the kubeconfig read folded in", update=0, delete=0),
    StepTime("Namespace, ServiceAccount, NetworkPolicy", 2,
             "deleting a namespace deletes what is in it first",
             ("kubernetes:core/v1:Namespace", "kubernetes:core/v1:ServiceAccount",
              "kubernetes:networking.k8s.io/v1:NetworkPolicy"), update=2, delete=5),
    # pulumi-kubernetes waits until the pod is Ready: image pull + start (Kata: + VM boot).
    POD_READY,
    # agentSandbox: pulumi-kubernetes waits for a CRD to be Established and for a Deployment's
    # rollout (image pull, readiness probe); it does not wait on custom resources.
    StepTime("CustomResourceDefinition", 2, "until Established",
             ("kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition",)),
    StepTime("Deployment (the agent-sandbox controller)", 30, "10-60 s until its pod is Ready",
             ("kubernetes:apps/v1:Deployment",)),
    StepTime("SandboxTemplate, SandboxWarmPool", 1, "sent, not awaited",
             ("kubernetes:extensions.agents.x-k8s.io/v1beta1:SandboxTemplate",
              "kubernetes:extensions.agents.x-k8s.io/v1beta1:SandboxWarmPool")),
    StepTime("any other resource", DEFAULT_CREATE_SECONDS, f"{DEFAULT_READ_SECONDS} s for a read"),
    StepTime("components", 0, "done when their last child is", update=0, delete=0),
    PENDING_POD_NOTICED,
    NODE_ADDED,
)  # fmt: skip
CREATE_SECONDS: dict[str, int] = {
    resource_type: step.seconds for step in STEP_TIMES for resource_type in step.types
}
UPDATE_SECONDS: dict[str, int] = {
    resource_type: step.update for step in STEP_TIMES for resource_type in step.types
}
DELETE_SECONDS: dict[str, int] = {
    resource_type: step.delete for step in STEP_TIMES for resource_type in step.types
}
READ_SECONDS: dict[str, int] = {"kubernetes:node.k8s.io/v1:RuntimeClass": 1}


def step_times_table() -> str:
    """STEP_TIMES as the Markdown table of docs/offline-plan.md."""
    rows = ["| step | create | update | delete | notes |", "|---|---|---|---|---|"]
    rows += [
        f"| {step.label} | {step.seconds} s | {step.update} s | {step.delete} s | {step.note} |"
        for step in STEP_TIMES
    ]
    return "\n".join(rows)


def scale_up() -> dict[str, Any]:
    """What a new sandboxed pod waits for: a Kata node with room (the steady state), or one
    the autoscaler adds first (the cold start, e.g. from zero nodes)."""
    warm = POD_READY.seconds
    steps = (
        ("pending pod noticed", PENDING_POD_NOTICED),
        ("new Kata node", NODE_ADDED),
        ("pod Ready", POD_READY),
    )
    cold = sum(step.seconds for _, step in steps)
    chain = " + ".join(f"{words} {step.seconds} s" for words, step in steps)
    return {
        "warmSeconds": warm,
        "coldSeconds": cold,
        "summary": f"a sandboxed pod on a Kata node with room: {approx_duration(warm)}; on a "
        f"node the autoscaler adds: {approx_duration(cold)} ({chain})",
    }


def change_seconds(resource_type: str, operation: str) -> int:
    """Typical time of one change: `create`, `update`, `delete`, or `replace` (delete + create).

    Components and providers take no time; a provider is configured locally.
    """
    if resource_type.startswith(PROVIDER_PREFIX):
        return 0
    create = CREATE_SECONDS.get(resource_type, DEFAULT_CREATE_SECONDS)
    delete = DELETE_SECONDS.get(resource_type, DEFAULT_DELETE_SECONDS)
    if operation == "create":
        return create
    if operation == "delete":
        return delete
    if operation == "replace":
        return create + delete
    return UPDATE_SECONDS.get(resource_type, DEFAULT_UPDATE_SECONDS)


def typical_seconds(resource: Registered) -> int:
    """Typical time from the engine sending `resource` until it is done."""
    if not resource.custom or resource.type.startswith(PROVIDER_PREFIX):
        # Components are bookkeeping; a provider is configured locally (the kubeconfig invoke
        # it waits for is a read of the cluster's credentials, a second at most).
        return 0
    if resource.read:
        return READ_SECONDS.get(resource.type, DEFAULT_READ_SECONDS)
    return CREATE_SECONDS.get(resource.type, DEFAULT_CREATE_SECONDS)


def resource_waits_for(resource: Registered, custom_urns: Collection[str] = ()) -> list[str]:
    """URNs `resource` waits for directly: dependencies, its provider, a custom parent."""
    deps = list(resource.dependencies)
    provider = resource.options.get("provider", "")
    if provider:
        deps.append(provider.rsplit("::", 1)[0])  # a provider reference is "<urn>::<id>"
    if resource.parent in custom_urns:
        deps.append(resource.parent)
    return deps


@dataclass(frozen=True)
class Slot:
    """When a resource runs, if every resource starts as soon as what it waits for is done."""

    seconds: int
    start: int
    finish: int
    after: str | None  # the URN it waited for last (None: it starts right away)


def schedule(
    resources: Iterable[Registered], seconds: Callable[[Registered], int] = typical_seconds
) -> dict[str, Slot]:
    """Earliest start and finish of every resource (longest path over the waits-for graph).

    Waits for URNs that were not recorded (e.g. the stack) count as done at 0.
    """
    ordered = list(resources)
    by_urn = {r.urn: r for r in ordered}
    custom = {r.urn for r in ordered if r.custom}
    children: dict[str, list[str]] = {}
    for r in ordered:
        children.setdefault(r.parent, []).append(r.urn)

    def waits_for(r: Registered) -> list[str]:
        direct = resource_waits_for(r, custom)
        # A component is done when its children are (nothing waits for a component's start).
        return direct if r.custom else direct + children.get(r.urn, [])

    slots: dict[str, Slot] = {}
    visiting: set[str] = set()

    def visit(urn: str) -> Slot:
        if urn in slots:
            return slots[urn]
        if urn in visiting:
            raise ValueError(f"dependency cycle through {urn}")
        visiting.add(urn)
        r = by_urn[urn]
        start, after = 0, None
        # URN order, because the SDK's dependency order varies between runs: ties are stable.
        for dep in sorted(set(waits_for(r))):
            if dep in by_urn and (finish := visit(dep).finish) > start:
                start, after = finish, dep  # strictly later: a tie keeps the first URN
        visiting.discard(urn)
        took = seconds(r)
        finish = start + took
        if not r.custom and children.get(urn):
            # A component's span: from its first child's start to its last child's finish.
            start = min(slots[child].start for child in children[urn])
        slots[urn] = Slot(seconds=took, start=start, finish=finish, after=after)
        return slots[urn]

    for urn in sorted(by_urn):
        visit(urn)
    return {urn: slots[urn] for urn in sorted(slots)}


@dataclass(frozen=True)
class Step:
    urn: str
    label: str  # `ManagedCluster cluster-aks`
    read: bool
    seconds: int
    start: int
    finish: int

    def __str__(self) -> str:
        return f"{self.label} ({'read, ' if self.read else ''}{self.seconds}s)"


@dataclass(frozen=True)
class Estimate:
    total_seconds: int
    path: list[Step]  # the critical path, first to last; components left out (they take 0 s)
    slots: dict[str, Slot]

    def summary(self) -> str:
        """`ResourceGroup cluster-rg (10s) -> ... = ~14 min`"""
        chain = " -> ".join(str(s) for s in self.path)
        return f"{chain or '(nothing to create)'} = {approx_duration(self.total_seconds)}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "totalSeconds": self.total_seconds,
            "summary": self.summary(),
            "criticalPath": [
                {
                    "urn": s.urn,
                    "label": s.label,
                    "operation": "read" if s.read else "create",
                    "seconds": s.seconds,
                    "start": s.start,
                    "finish": s.finish,
                }
                for s in self.path
            ],
            "timeline": {
                urn: {"seconds": s.seconds, "start": s.start, "finish": s.finish}
                for urn, s in self.slots.items()
            },
            "scaleUp": scale_up(),
        }


def type_label(type_token: str) -> str:
    """`ManagedCluster` for azure-native:containerservice:ManagedCluster, `Provider(kubernetes)`."""
    if type_token.startswith(PROVIDER_PREFIX):
        return f"Provider({type_token[len(PROVIDER_PREFIX) :]})"
    return type_token.rsplit(":", 1)[-1]


def estimate(resources: Iterable[Registered]) -> Estimate:
    """The critical path of creating these resources from empty, with typical times."""
    ordered = list(resources)
    slots = schedule(ordered)
    by_urn = {r.urn: r for r in ordered}
    custom = sorted((r for r in ordered if r.custom), key=lambda r: r.urn)
    if not custom:
        return Estimate(0, [], slots)
    # The last custom resource to finish ends the run (a tie: the first URN, as max keeps it).
    last = max(custom, key=lambda r: slots[r.urn].finish)
    path: list[Step] = []
    urn: str | None = last.urn
    while urn is not None:
        r, slot = by_urn[urn], slots[urn]
        if r.custom:
            label = f"{type_label(r.type)} {r.name}"
            path.append(Step(urn, label, r.read, slot.seconds, slot.start, slot.finish))
        urn = slot.after
    path.reverse()
    return Estimate(slots[last.urn].finish, path, slots)


def approx_duration(seconds: int) -> str:
    """`~14 min` from 836 s; short runs in seconds."""
    return f"~{round(seconds / 60)} min" if seconds >= 90 else f"~{seconds} s"


def clock(seconds: int) -> str:
    """`13:56` (minutes:seconds since `pulumi up` started)."""
    return f"{seconds // 60}:{seconds % 60:02d}"


def longest_chain(seconds: dict[str, int], waits_for: dict[str, list[str]]) -> int:
    """The longest chain of steps that wait for each other, each at its `seconds` (a step not
    in `seconds` takes 0 s but still passes the wait on)."""
    done: dict[str, int] = {}

    def finish(urn: str, visiting: frozenset[str]) -> int:
        if urn in done:
            return done[urn]
        if urn in visiting:
            raise ValueError(f"dependency cycle through {urn}")
        before = [finish(dep, visiting | {urn}) for dep in waits_for.get(urn, ())]
        done[urn] = max(before, default=0) + seconds.get(urn, 0)
        return done[urn]

    return max((finish(urn, frozenset()) for urn in [*waits_for, *seconds]), default=0)
