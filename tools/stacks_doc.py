"""docs/stacks.md's tables: what each tracked stack file deploys, the vCPUs it bills, the vCPU
quota it needs and how long `pulumi up` takes from empty, read from the stack's offline plan.

Nothing is typed by hand: every tracked `Pulumi.<stack>.yaml` (tools.repo.tracked_stacks) is
planned offline (tools.plan.build.plan_stack), and its pools are read from what the program
would send to Azure: the ManagedCluster's inline System pool and each AgentPool, with their VM
size, node count and autoscaler bounds. vCPUs per size come from the size's name
(sandboxing.vm_sizes.parse_vm_size), the time from the plan's estimate (its critical path,
tools.plan.critical_path). `python -m tools.schema` writes the tables; `--check` finds them stale.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandboxing import vm_sizes
from sandboxing.config.settings import PROJECT

HOURS_PER_MONTH = 730  # the month of the Azure pricing calculator
KATA_RUNTIME = "KataVmIsolation"
CLUSTER_TYPE = "azure-native:containerservice:ManagedCluster"
POOL_TYPE = "azure-native:containerservice:AgentPool"

# What `az vm list-usage` calls the vCPU quota of a VM family (the Compute usages API's
# `name.localizedValue`), by the family key of sandboxing.vm_sizes.parse_vm_size. The pattern
# "Standard <family> Family vCPUs" and "Total Regional vCPUs": MicrosoftDocs/azure-docs
# includes/virtual-machines-common-quotas.md @ 09dd6e75 (its `az vm list-usage` sample lists
# "Standard DSv3 Family vCPUs"); the families' API names standardDSv3Family, standardDSv5Family
# and standardDDSv5Family: openshift/installer docs/user/azure/tested_instance_types_x86_64.md
# @ 04c2468c. Read 2026-12-04. Newer families do not all follow the pattern (the same list has
# StandardDpsv6Family), so a family is added here by hand, with its source, when a stack uses it;
# the preflight itself matches the live usages by the SKU's `family` (cloud/preflight_checks.py).
QUOTA_NAMES: dict[str, str] = {
    "Dsv3": "Standard DSv3 Family vCPUs",
    "Dsv5": "Standard DSv5 Family vCPUs",
    "Ddsv5": "Standard DDSv5 Family vCPUs",
}
REGIONAL_QUOTA = "Total Regional vCPUs"


class StackTableError(ValueError):
    """A stack the table cannot describe: its plan failed, or a size it cannot count."""


@dataclass(frozen=True)
class Pool:
    """One node pool a stack creates, as the program sends it to Azure."""

    role: str  # System, Kata, User, or "System, runs Kata" (kataPoolPlacement system)
    vm_size: str
    count: int  # the nodes it is created with
    autoscaler: tuple[int, int] | None  # (min, max) when the cluster autoscaler sizes it

    @property
    def vcpus_per_node(self) -> int:
        size = vm_sizes.parse_vm_size(self.vm_size)
        if size is None:
            raise StackTableError(f"{self.vm_size} is not a VM size name: its vCPUs are unknown")
        return size.vcpus

    @property
    def largest(self) -> int:
        return self.autoscaler[1] if self.autoscaler else self.count

    @property
    def quota_name(self) -> str:
        return quota_name(self.vm_size)

    def text(self) -> str:
        bounds = ""
        if self.autoscaler:
            bounds = f" (autoscaler {self.autoscaler[0]}-{self.autoscaler[1]})"
        return f"{self.role} `{self.vm_size}` × {self.count}{bounds}"


def quota_name(vm_size: str) -> str:
    size = vm_sizes.parse_vm_size(vm_size)
    name = QUOTA_NAMES.get(size.family) if size else None
    if name is None:
        raise StackTableError(
            f"no `az vm list-usage` quota name known for {vm_size}: add its family to "
            "QUOTA_NAMES in tools/stacks_doc.py, with its source"
        )
    return name


def _pool(profile: dict[str, Any]) -> Pool:
    kata = profile.get("workloadRuntime") == KATA_RUNTIME
    system = profile.get("mode") == "System"
    role = "System, runs Kata" if kata and system else "Kata" if kata else profile.get("mode")
    bounds = None
    if profile.get("enableAutoScaling"):
        bounds = (int(profile["minCount"]), int(profile["maxCount"]))
    return Pool(str(role), str(profile["vmSize"]), int(profile["count"]), bounds)


@dataclass(frozen=True)
class StackShape:
    stack: str
    new_cluster: bool  # False: an existing cluster, looked up (clusterMode existing)
    cluster: str  # resource group / cluster name of an existing cluster
    pools: tuple[Pool, ...]
    estimate_seconds: int
    critical_path: str  # the estimate's chain of steps, as the plan prints it

    def vcpus(self, at_max: bool = False) -> int:
        return sum(
            (pool.largest if at_max else pool.count) * pool.vcpus_per_node for pool in self.pools
        )

    def quota_at_max(self) -> dict[str, int]:
        """vCPUs per `az vm list-usage` name with every pool at its largest, the regional last."""
        need: dict[str, int] = defaultdict(int)
        for pool in self.pools:
            need[pool.quota_name] += pool.largest * pool.vcpus_per_node
        return {**need, REGIONAL_QUOTA: self.vcpus(at_max=True)}


@functools.cache
def stack_shape(stack: str, stack_dir: Path | None = None) -> StackShape:
    """Plan `Pulumi.<stack>.yaml` (of the repository, or of `stack_dir`) offline and read its
    pools, vCPUs and estimate."""
    # Imported here: they load the Pulumi SDK and the program.
    from tools.harness import read_stack
    from tools.plan.build import plan_stack
    from tools.repo import REPO

    config, refusal = read_stack(stack, stack_dir or REPO)
    result, plan = plan_stack(config, stack, refusal=refusal)
    if result.error or plan["estimate"] is None:
        raise StackTableError(f"Pulumi.{stack}.yaml: the offline plan fails: {result.error}")
    pools: list[Pool] = []
    # clusterMode existing looks its cluster up (an invoke): no ManagedCluster is created.
    new_cluster = False
    for resource in result.resources:
        if resource.type == CLUSTER_TYPE and not resource.read:
            new_cluster = True
            pools += [_pool(profile) for profile in resource.inputs["agentPoolProfiles"]]
        elif resource.type == POOL_TYPE:
            pools.append(_pool(resource.inputs))
    names = (config.get(f"{PROJECT}:{key}", "") for key in ("resourceGroupName", "clusterName"))
    order = {"System": 0, "System, runs Kata": 0, "User": 1, "Kata": 2}
    return StackShape(
        stack=stack,
        new_cluster=new_cluster,
        cluster="" if new_cluster else "/".join(names),
        pools=tuple(sorted(pools, key=lambda pool: order.get(pool.role, 3))),
        estimate_seconds=int(plan["estimate"]["totalSeconds"]),
        critical_path=str(plan["estimate"]["summary"]),
    )


def _number(value: int) -> str:
    return f"{value:,}"


def render(shapes: list[StackShape]) -> str:
    """The three tables and the critical paths, as docs/stacks.md shows them."""
    from tools.plan.step_times import approx_duration

    def name(shape: StackShape) -> str:
        return f"[`{shape.stack}`](../Pulumi.{shape.stack}.yaml)"

    lines = [
        "| stack | cluster | pools: role, VM size × nodes at start |",
        "|---|---|---|",
    ]
    for shape in shapes:
        cluster = "new" if shape.new_cluster else f"existing `{shape.cluster}`: adds the Kata pool"
        lines.append(f"| {name(shape)} | {cluster} | {'; '.join(p.text() for p in shape.pools)} |")
    lines += [
        "",
        "| stack | vCPUs billed at start | at the autoscaler's max | vCPU-hours per month "
        f"({HOURS_PER_MONTH} h) at start | at max | `pulumi up` from empty, estimated |",
        "|---|---|---|---|---|---|",
    ]
    for shape in shapes:
        start, most = shape.vcpus(), shape.vcpus(at_max=True)
        lines.append(
            f"| `{shape.stack}` | {start} | {most} | {_number(start * HOURS_PER_MONTH)} | "
            f"{_number(most * HOURS_PER_MONTH)} | {approx_duration(shape.estimate_seconds)} |"
        )
    lines += [
        "",
        "| stack | free vCPU quota needed in the region, every pool at its max "
        "(`az vm list-usage` names) |",
        "|---|---|",
    ]
    for shape in shapes:
        need = ", ".join(f"`{quota}` {vcpus}" for quota, vcpus in shape.quota_at_max().items())
        lines.append(f"| `{shape.stack}` | {need} |")
    lines += ["", "The estimates' critical paths (typical create times, not measurements):", ""]
    lines += [f"- `{shape.stack}`: {shape.critical_path}" for shape in shapes]
    return "\n".join(lines)


def stacks_tables() -> str:
    """The tables for every tracked stack file (each planned once per process)."""
    from tools.repo import tracked_stacks

    # dev first: the stack every command uses by default.
    stacks = sorted(tracked_stacks(), key=lambda stack: (stack != "dev", stack))
    return render([stack_shape(stack) for stack in stacks])
