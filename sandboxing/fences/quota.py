"""A fenced namespace's size: its ResourceQuotas and its LimitRange. Pure data.

Quota names: kubernetes.io/docs/concepts/policy/resource-quotas (compute, storage, object count
and the PriorityClass scope); constants in k8s.io/api v0.36.3 core/v1/types.go. What each closes:

- Object counts: without them a namespace can write ConfigMaps, Secrets, Jobs, ... until etcd
  (shared by the whole cluster) fills. Every kind the deployers may create has a count.
- Storage: `requests.storage` and the claim count cap disks and shares (Azure bills them to the
  cluster's owner; each disk also takes one of a node's few attach slots). A quota cannot
  allow-list storage classes, so every AKS built-in class the namespace may not use gets a zero
  quota; the storage admission policy (sandboxing.fences.storage_admission) does allow-list.
- Ephemeral storage: a Kata pod's root filesystem, logs and disk-backed emptyDirs are on the
  node's OS disk, shared by every pod there; a node short of disk evicts pods (DiskPressure).
  Quota ignores pods without a request or limit for a resource, so the LimitRange gives every
  container one, and its limit-to-request ratio of 1 keeps the scheduler's count (requests)
  equal to what the kubelet lets a container use (limits): no node is promised more disk than it
  has.
- Priority: a pod naming system-node-critical or system-cluster-critical would preempt the
  cluster's own pods; the pod admission policy refuses it, and a quota scoped to those classes
  with `pods: 0` refuses it too (the upstream "limit Priority Class consumption by default"
  needs an API server admission configuration, which AKS does not allow).
"""

from __future__ import annotations

from typing import Any

from sandboxing import catalog
from sandboxing.fences.profile import FenceProfile, PodCeiling
from sandboxing.workload import Manifest

LIMIT_RANGE = "tenant-pod-size"
RESOURCE_QUOTA = "tenant-quota"
PRIORITY_QUOTA = "tenant-system-priority"
# One count each, `max_objects`: every kind a deployer may create besides pods (`pods`) and
# claims (`persistentvolumeclaims`). Core kinds by their specialized names, others as
# count/<resource>.<group>.
COUNTED_OBJECTS = (
    "configmaps",
    "secrets",
    "services",
    "count/serviceaccounts",
    "count/deployments.apps",
    "count/replicasets.apps",
    "count/statefulsets.apps",
    "count/jobs.batch",
    "count/cronjobs.batch",
    "count/horizontalpodautoscalers.autoscaling",
)
STORAGE_CLASS_QUOTA = "{}.storageclass.storage.k8s.io/{}"


def _mib(value: int) -> str:
    return f"{value}Mi"


def limit_range(profile: FenceProfile, ceiling: PodCeiling | None = None) -> Manifest:
    """A container without limits gets the default pod size, requests = limits (the Kata shim
    sizes the VM from limits); at most what fits one Kata node beside the overhead."""
    size = {
        "cpu": profile.pod_cpu,
        "memory": profile.pod_memory,
        "ephemeral-storage": profile.pod_ephemeral_storage,
    }
    limit: dict[str, Any] = {
        "type": "Container",
        "default": dict(size),
        "defaultRequest": dict(size),
        "min": {"memory": f"{catalog.MIN_POD_VM_MEMORY_MIB}Mi"},
        "maxLimitRequestRatio": {"ephemeral-storage": "1"},
    }
    if ceiling is not None:
        largest = {
            "cpu": f"{ceiling.cpu_millicores}m" if ceiling.cpu_millicores is not None else None,
            "memory": _mib(ceiling.memory_mib) if ceiling.memory_mib is not None else None,
            "ephemeral-storage": _mib(ceiling.ephemeral_storage_mib)
            if ceiling.ephemeral_storage_mib is not None
            else None,
        }
        if cap := {name: value for name, value in largest.items() if value is not None}:
            limit["max"] = cap
    return {
        "apiVersion": "v1",
        "kind": "LimitRange",
        "metadata": {"name": LIMIT_RANGE, "namespace": profile.namespace},
        "spec": {"limits": [limit]},
    }


def storage_class_quota(storage_classes: tuple[str, ...]) -> dict[str, str]:
    """Zero storage and zero claims for every AKS built-in class not in `storage_classes`."""
    hard = {}
    for name in catalog.AKS_STORAGE_CLASSES:
        if name not in storage_classes:
            hard[STORAGE_CLASS_QUOTA.format(name, "requests.storage")] = "0"
            hard[STORAGE_CLASS_QUOTA.format(name, "persistentvolumeclaims")] = "0"
    return hard


def resource_quota(profile: FenceProfile) -> Manifest:
    """Kubernetes charges each Kata pod's 600Mi overhead to requests.memory and limits.memory
    (sandboxing.tenants.capacity), so memoryQuota covers the pods and their overhead. No
    LoadBalancer or NodePort Service (the service admission policy refuses them too)."""
    hard = {
        "requests.cpu": profile.cpu_quota,
        "limits.cpu": profile.cpu_quota,
        "requests.memory": profile.memory_quota,
        "limits.memory": profile.memory_quota,
        "pods": str(profile.max_pods),
        "services.loadbalancers": "0",
        "services.nodeports": "0",
        "requests.ephemeral-storage": profile.ephemeral_storage_quota,
        "limits.ephemeral-storage": profile.ephemeral_storage_quota,
        "requests.storage": profile.storage_quota,
        "persistentvolumeclaims": str(profile.max_volume_claims),
        **{name: str(profile.max_objects) for name in COUNTED_OBJECTS},
        **storage_class_quota(profile.storage_classes),
    }
    return {
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": {"name": RESOURCE_QUOTA, "namespace": profile.namespace},
        "spec": {"hard": hard},
    }


def priority_quota(namespace: str) -> Manifest:
    """No pod of the system priority classes (a scoped quota may only count pods and compute;
    `In` needs at least one value)."""
    return {
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": {"name": PRIORITY_QUOTA, "namespace": namespace},
        "spec": {
            "hard": {"pods": "0"},
            "scopeSelector": {
                "matchExpressions": [
                    {
                        "scopeName": "PriorityClass",
                        "operator": "In",
                        "values": list(catalog.SYSTEM_PRIORITY_CLASSES),
                    }
                ]
            },
        },
    }
