"""Typical times of each kind of step of `pulumi up` (create, update in place, delete), as data:
STEP_TIMES is the one home of these figures. The estimate (tools.plan.critical_path), the
diff's durations and the scale-up estimate read them; `python -m tools.schema` writes them as
the table in docs/offline-plan.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from components.cluster_reconcile import RECONCILE_TYPE
from components.kata_runtime_class import WAIT_TYPE
from components.preflight import PREFLIGHT_TYPE

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


def approx_duration(seconds: int) -> str:
    """`~14 min` from 836 s; short runs in seconds."""
    return f"~{round(seconds / 60)} min" if seconds >= 90 else f"~{seconds} s"
