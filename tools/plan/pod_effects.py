"""What a change does to running pods: the question a reviewer of an infrastructure change asks.

Read from the head plan: which pool a pod runs on (a pod with a Kata runtime class on the pool
whose workloadRuntime is a sandbox runtime; any other pod on a User pool if there is one, else
the cluster's inline System pool), which namespace holds it (the Namespace it waits for), and
whether the diff replaces the pod itself. The facts behind the wording:

- Deleting a node pool deletes "any node instances in the node pool along with any pods running
  on those nodes" (AKS docs, MicrosoftDocs/azure-aks-docs articles/aks/delete-node-pool.md @
  fb060ab, 2026-08-21). A bare Pod (no controller) is not started again elsewhere: "Pods are only
  scheduled once in their lifetime" (Kubernetes docs, Pod Lifecycle,
  https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle, read 2026-12-04); only a
  `pulumi up` that replaces the Pod creates it again.
- An upgrade "cordons and drains one node at a time" (articles/aks/
  operator-best-practices-cluster-security.md, same commit).
- Deleting a Namespace deletes every object in it; a NetworkPolicy applies to running pods at
  once, and while a replaced one is deleted and not yet created, what it denied is allowed.
- A ResourceQuota or LimitRange applies when a pod is created; running pods keep running.
"""

from __future__ import annotations

from typing import Any

from sandboxing import catalog
from tools.plan.step_times import approx_duration, change_seconds

POD = "kubernetes:core/v1:Pod"
AGENT_POOL = "azure-native:containerservice:AgentPool"
CLUSTER = "azure-native:containerservice:ManagedCluster"
NAMESPACE = "kubernetes:core/v1:Namespace"
NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
ADMISSION_ONLY = ("kubernetes:core/v1:ResourceQuota", "kubernetes:core/v1:LimitRange")


def _is_kata_pool(resource: dict[str, Any]) -> bool:
    props = resource.get("properties") or {}
    runtimes = [v for k, v in props.items() if k.endswith("workloadRuntime")]
    return any(runtime in catalog.SANDBOX_RUNTIMES for runtime in runtimes)


def pod_pools(head: list[dict[str, Any]]) -> dict[str, str]:
    """Pod URN -> URN of the pool resource (AgentPool, or the ManagedCluster for its inline
    pools) its nodes belong to."""
    pods = [r for r in head if r["type"] == POD]
    pools = [r for r in head if r["type"] == AGENT_POOL]
    clusters = [r for r in head if r["type"] == CLUSTER]
    kata = [r for r in pools + clusters if _is_kata_pool(r)]
    users = [r for r in pools if r["properties"].get("mode") == "User" and not _is_kata_pool(r)]
    placed = {}
    for pod in pods:
        where = kata if pod["properties"].get("spec.runtimeClassName") else users or clusters
        if where:
            placed[pod["urn"]] = where[0]["urn"]
    return placed


def _pod_fate(pod: dict[str, Any], fates: dict[str, str]) -> str:
    if fates.get(pod["urn"]) == "replaced":
        return f"pod {pod['name']} (created again: this update replaces it)"
    if fates.get(pod["urn"]) == "removed":
        return f"pod {pod['name']} (removed by this update anyway)"
    return (
        f"pod {pod['name']} (NOT created again: Pulumi sees no change to it; afterwards run "
        f"`pulumi up --replace '{pod['urn']}'`)"
    )


def _count_change(change: dict[str, Any]) -> tuple[int, int] | None:
    for row in change.get("properties") or []:
        if row["path"].rsplit(".", 1)[-1] == "count" and row["change"] == "modified":
            old, new = row["old"], row["new"]
            if isinstance(old, int) and isinstance(new, int):
                return old, new
    return None


def _version_change(change: dict[str, Any]) -> bool:
    return any(
        row["path"].rsplit(".", 1)[-1] in ("kubernetesVersion", "orchestratorVersion")
        for row in change.get("properties") or []
    )


def pod_effect(
    change: dict[str, Any], operation: str, head: list[dict[str, Any]], fates: dict[str, str]
) -> str | None:
    """What `operation` (create, update, replace, delete, refused) on this resource does to
    running pods; None when it touches none. `fates`: URN -> "replaced" or "removed", for the
    resources this update replaces or removes; `head`: the plan the resource is in."""
    by_urn = {r["urn"]: r for r in head}
    kind, urn = change["type"], change["urn"]
    if operation == "refused":
        return "none: Azure refuses the change, so `pulumi up` stops there"
    if operation == "ignored":
        return None  # not sent: nothing happens to any pod
    if kind == POD:
        seconds = approx_duration(change_seconds(POD, "create"))
        return {
            "replace": f"the pod is deleted and created again (Ready {seconds} later)",
            "delete": "the pod is deleted",
            "create": f"a new pod starts (Ready in {seconds})",
        }.get(operation)
    if kind in (AGENT_POOL, CLUSTER):
        on_it = [by_urn[p] for p, pool in pod_pools(head).items() if pool == urn]
        pods = "; ".join(_pod_fate(pod, fates) for pod in on_it) or "no pod of this stack"
        if operation in ("replace", "delete"):
            what = "the cluster and all its nodes are" if kind == CLUSTER else "its nodes are"
            return f"{what} deleted with the pods on them: {pods}"
        if operation == "update" and _version_change(change):
            return f"upgrade: AKS drains and reimages each node in turn, evicting {pods}"
        if operation == "update" and (count := _count_change(change)):
            if count[1] < count[0]:
                return f"nodes are removed ({count[0]} -> {count[1]}): pods on them are evicted"
            return f"nodes are added ({count[0]} -> {count[1]}); running pods stay"
        return None
    if kind == NAMESPACE and operation in ("replace", "delete"):
        inside = [r["name"] for r in head if r["type"] == POD and urn in r.get("dependsOn", [])]
        return "deleting the namespace deletes everything in it" + (
            f", pods {', '.join(inside)} included" if inside else ""
        )
    if kind == NETWORK_POLICY:
        if operation == "replace":
            return (
                "applies to running pods at once; between its deletion and its creation, "
                "traffic it denies is allowed"
            )
        return "applies to the running pods it selects at once"
    if kind in ADMISSION_ONLY:
        return "applies to pods created later; running pods stay"
    return None
