"""How long `pulumi up` takes from empty: the critical path through the recorded dependencies.

What waits for what (the same edges the engine honours):
- the resource's recorded `dependencies`: explicit `depends_on` plus every resource whose outputs
  feed its inputs (the SDK already expands a dependency on a component into its children);
- its provider: the engine sends a resource only once its provider is configured;
- its parent, when the parent is a custom resource: the SDK needs the parent's URN, which a
  custom resource reports only once it is created. Component parents register at once and
  make nobody wait; a component itself takes no time and is done when its last child is.

Each resource then takes the typical time of its type (create, or read for `.get` lookups):
tools.plan.step_times.STEP_TIMES, the one home of these figures. The
ManagedCluster figure is used whatever its System pool runs: with kataPoolPlacement system the
cluster's one pool runs Kata, which was not timed apart.

The estimate is the longest chain of waits (longest path, weighted by these times); everything
off that chain runs in parallel and ends earlier.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from tools.harness import Registered
from tools.plan.step_times import (
    CREATE_SECONDS,
    DEFAULT_CREATE_SECONDS,
    DEFAULT_READ_SECONDS,
    PROVIDER_PREFIX,
    READ_SECONDS,
    approx_duration,
    scale_up,
)


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
