"""A tenant sandbox's namespaced Kubernetes objects as plain manifests (camelCase). Pure data.

The SandboxTenant component sends exactly these; the offline plan writes them out and the tests
validate them against the Kubernetes OpenAPI schemas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandboxing import catalog, workload
from sandboxing.config.settings import Settings
from sandboxing.fences import network, quota
from sandboxing.fences.profile import FenceProfile, PodCeiling, namespace_annotations
from sandboxing.tenants.capacity import tenant_capacity
from sandboxing.tenants.fields import Tenant
from sandboxing.workload import Manifest

# Kept importable under their first home's names.
EGRESS_POLICY = network.EGRESS_POLICY
LIMIT_RANGE = quota.LIMIT_RANGE
RESOURCE_QUOTA = quota.RESOURCE_QUOTA
PRIORITY_QUOTA = quota.PRIORITY_QUOTA
ROLE = "tenant-deployer"
ROLE_BINDING = "tenant-deployers"
RBAC_GROUP = "rbac.authorization.k8s.io"
WRITE = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"]
READ = ["get", "list", "watch"]
# What a tenant manages: its workloads and their configuration. Left out on purpose:
# networkpolicies, resourcequotas, limitranges (read only, so a tenant sees its limits),
# roles/rolebindings (no escalation), daemonsets (a pod on every Kata node), poddisruptionbudgets
# (could block node drains during upgrades), the namespace itself (cluster-scoped, so its labels
# and annotations are out of a Role's reach anyway), and subresources not listed here
# (`serviceaccounts/token`: no API tokens; `pods/binding`: no choosing a node). Every kind it
# may create is counted by the quota (sandboxing.fences.quota).
ROLE_RULES: list[dict[str, Any]] = [
    {
        "apiGroups": [""],
        "verbs": WRITE,
        "resources": [
            "pods",
            "services",
            "configmaps",
            "secrets",
            "serviceaccounts",
            "persistentvolumeclaims",
        ],
    },
    # logs, `kubectl exec`/`port-forward` and `kubectl debug`: all stay inside the pod's VM
    # (ephemeral containers are checked by the admission policy like any other).
    {"apiGroups": [""], "verbs": ["get"], "resources": ["pods/log"]},
    {"apiGroups": [""], "verbs": ["get", "create"], "resources": ["pods/exec", "pods/portforward"]},
    {
        "apiGroups": [""],
        "verbs": ["get", "patch", "update"],
        "resources": ["pods/ephemeralcontainers"],
    },
    {"apiGroups": [""], "verbs": READ, "resources": ["events", "resourcequotas", "limitranges"]},
    {
        "apiGroups": ["apps"],
        "verbs": WRITE,
        "resources": ["deployments", "replicasets", "statefulsets"],
    },
    {"apiGroups": ["batch"], "verbs": WRITE, "resources": ["jobs", "cronjobs"]},
    {"apiGroups": ["autoscaling"], "verbs": WRITE, "resources": ["horizontalpodautoscalers"]},
]


def tenant_labels(tenant: Tenant) -> dict[str, str]:
    return {catalog.TENANT_LABEL: tenant.name}


def profile(tenant: Tenant) -> FenceProfile:
    """The tenant's fences: what its fields ask for, as the fence builders take it."""
    return FenceProfile(
        namespace=tenant.namespace,
        pod_cpu=tenant.pod_cpu,
        pod_memory=tenant.pod_memory,
        pod_ephemeral_storage=tenant.pod_ephemeral_storage,
        cpu_quota=tenant.cpu_quota,
        memory_quota=tenant.memory_quota,
        ephemeral_storage_quota=tenant.ephemeral_storage_quota,
        max_pods=tenant.max_pods,
        max_objects=tenant.max_objects,
        storage_quota=tenant.storage_quota,
        max_volume_claims=tenant.max_volume_claims,
        storage_classes=tenant.storage_classes,
        csi_drivers=tenant.csi_drivers,
        priority_classes=tenant.priority_classes,
        egress_cidrs=tenant.egress_cidrs,
        egress_ports=tenant.egress_ports,
        dns=tenant.dns,
    )


def namespace(tenant: Tenant) -> Manifest:
    """PSA restricted, the tenant label the admission bindings select, and the allowances the
    admission policies read."""
    manifest = workload.restricted_namespace(tenant.namespace, tenant_labels(tenant))
    manifest["metadata"]["annotations"] = namespace_annotations(profile(tenant))
    return manifest


def default_deny(tenant: Tenant) -> Manifest:
    return workload.default_deny(tenant.namespace)


def egress_policy(tenant: Tenant) -> Manifest | None:
    """What the tenant may reach; None when it may reach nothing (default-deny alone)."""
    return network.egress_policy(profile(tenant))


def limit_range(tenant: Tenant, settings: Settings) -> Manifest:
    """The default pod size; at most one Kata node (sandboxing.tenants.capacity)."""
    capacity = tenant_capacity(tenant, settings)
    ceiling = PodCeiling(
        capacity.max_pod_cpu_millicores,
        capacity.max_pod_memory_mib,
        capacity.max_pod_ephemeral_storage_mib,
    )
    return quota.limit_range(profile(tenant), ceiling)


def resource_quota(tenant: Tenant) -> Manifest:
    return quota.resource_quota(profile(tenant))


def role(tenant: Tenant) -> Manifest:
    return {
        "apiVersion": f"{RBAC_GROUP}/v1",
        "kind": "Role",
        "metadata": {"name": ROLE, "namespace": tenant.namespace},
        "rules": ROLE_RULES,
    }


def role_binding(tenant: Tenant) -> Manifest | None:
    """The tenant's deployers (Entra group object IDs arrive as Group subjects); None: nobody
    but the cluster's admins deploys there."""
    subjects = [{"kind": "Group", "apiGroup": RBAC_GROUP, "name": g} for g in tenant.deploy_groups]
    subjects += [{"kind": "User", "apiGroup": RBAC_GROUP, "name": u} for u in tenant.deploy_users]
    if not subjects:
        return None
    return {
        "apiVersion": f"{RBAC_GROUP}/v1",
        "kind": "RoleBinding",
        "metadata": {"name": ROLE_BINDING, "namespace": tenant.namespace},
        "roleRef": {"apiGroup": RBAC_GROUP, "kind": "Role", "name": ROLE},
        "subjects": subjects,
    }


@dataclass(frozen=True)
class TenantObjects:
    """One tenant's objects: its namespace, the fences that must stand before anybody deploys
    (network policies, limit range, quotas), the deployers' Role and, if any, their binding."""

    namespace: Manifest
    fences: tuple[Manifest, ...]
    role: Manifest
    role_binding: Manifest | None

    def all(self) -> list[Manifest]:
        """Every object, in the order they are applied."""
        binding = [self.role_binding] if self.role_binding else []
        return [self.namespace, *self.fences, self.role, *binding]


def tenant_objects(tenant: Tenant, settings: Settings) -> TenantObjects:
    policies = [m for m in (default_deny(tenant), egress_policy(tenant)) if m]
    quotas = (resource_quota(tenant), quota.priority_quota(tenant.namespace))
    return TenantObjects(
        namespace=namespace(tenant),
        fences=(*policies, limit_range(tenant, settings), *quotas),
        role=role(tenant),
        role_binding=role_binding(tenant),
    )


def manifests(tenant: Tenant, settings: Settings) -> list[Manifest]:
    """Every object of one tenant, namespace first."""
    return tenant_objects(tenant, settings).all()
