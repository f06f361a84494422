"""A tenant sandbox's namespaced Kubernetes objects as plain manifests (camelCase). Pure data.

The SandboxTenant component sends exactly these; the offline plan writes them out and the tests
validate them against the Kubernetes OpenAPI schemas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandboxing import catalog, workload
from sandboxing.config.settings import Settings
from sandboxing.tenants.capacity import tenant_capacity
from sandboxing.tenants.fields import Tenant
from sandboxing.workload import Manifest

EGRESS_POLICY = "allow-egress"
LIMIT_RANGE = "tenant-pod-size"
RESOURCE_QUOTA = "tenant-quota"
ROLE = "tenant-deployer"
ROLE_BINDING = "tenant-deployers"
RBAC_GROUP = "rbac.authorization.k8s.io"
WRITE = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"]
READ = ["get", "list", "watch"]
# What a tenant manages: its workloads and their configuration. Left out on purpose:
# networkpolicies, resourcequotas, limitranges (read only, so a tenant sees its limits),
# roles/rolebindings (no escalation), daemonsets (a pod on every Kata node), poddisruptionbudgets
# (could block node drains during upgrades) and the namespace itself (cluster-scoped, so its
# labels are out of a Role's reach anyway).
ROLE_RULES: list[dict[str, Any]] = [
    {"apiGroups": [""], "verbs": WRITE, "resources": [
        "pods", "services", "configmaps", "secrets", "serviceaccounts",
        "persistentvolumeclaims"]},
    # logs, `kubectl exec`/`port-forward` and `kubectl debug`: all stay inside the pod's VM
    # (ephemeral containers are checked by the admission policy like any other).
    {"apiGroups": [""], "verbs": ["get"], "resources": ["pods/log"]},
    {"apiGroups": [""], "verbs": ["get", "create"], "resources": ["pods/exec", "pods/portforward"]},
    {"apiGroups": [""], "verbs": ["get", "patch", "update"],
     "resources": ["pods/ephemeralcontainers"]},
    {"apiGroups": [""], "verbs": READ, "resources": ["events", "resourcequotas", "limitranges"]},
    {"apiGroups": ["apps"], "verbs": WRITE,
     "resources": ["deployments", "replicasets", "statefulsets"]},
    {"apiGroups": ["batch"], "verbs": WRITE, "resources": ["jobs", "cronjobs"]},
    {"apiGroups": ["autoscaling"], "verbs": WRITE, "resources": ["horizontalpodautoscalers"]},
]  # fmt: skip
# CoreDNS on AKS: pods labelled k8s-app=kube-dns in kube-system.
DNS_PEER = {
    "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
    "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
}


def tenant_labels(tenant: Tenant) -> dict[str, str]:
    return {catalog.TENANT_LABEL: tenant.name}


def namespace(tenant: Tenant) -> Manifest:
    return workload.restricted_namespace(tenant.namespace, tenant_labels(tenant))


def default_deny(tenant: Tenant) -> Manifest:
    return workload.default_deny(tenant.namespace)


def egress_policy(tenant: Tenant) -> Manifest | None:
    """What the tenant may reach; None when it may reach nothing (default-deny alone)."""
    rules: list[dict[str, Any]] = []
    if tenant.allow_dns:
        rules.append({"to": [DNS_PEER], "ports": [{"protocol": "UDP", "port": 53},
                                                   {"protocol": "TCP", "port": 53}]})  # fmt: skip
    if tenant.egress_cidrs:
        # Rules refuse a CIDR holding the instance metadata address, so none is ever allowed.
        rule: dict[str, Any] = {"to": [{"ipBlock": {"cidr": c}} for c in tenant.egress_cidrs]}
        if tenant.egress_ports:
            rule["ports"] = [{"protocol": p.protocol, "port": p.port} for p in tenant.egress_ports]
        rules.append(rule)
    if not rules:
        return None
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": EGRESS_POLICY, "namespace": tenant.namespace},
        "spec": {"podSelector": {}, "policyTypes": ["Egress"], "egress": rules},
    }


def limit_range(tenant: Tenant, settings: Settings) -> Manifest:
    """A container without limits gets the default pod size, requests = limits (the Kata shim
    sizes the VM from limits); at most what fits one Kata node beside the overhead."""
    size = {"cpu": tenant.pod_cpu, "memory": tenant.pod_memory}
    limit: dict[str, Any] = {
        "type": "Container",
        "default": dict(size),
        "defaultRequest": dict(size),
        "min": {"memory": f"{catalog.MIN_POD_VM_MEMORY_MIB}Mi"},
    }
    capacity = tenant_capacity(tenant, settings)
    if capacity.max_pod_memory_mib is not None and capacity.max_pod_cpu_millicores is not None:
        limit["max"] = {"cpu": f"{capacity.max_pod_cpu_millicores}m",
                        "memory": f"{capacity.max_pod_memory_mib}Mi"}  # fmt: skip
    return {
        "apiVersion": "v1",
        "kind": "LimitRange",
        "metadata": {"name": LIMIT_RANGE, "namespace": tenant.namespace},
        "spec": {"limits": [limit]},
    }


def resource_quota(tenant: Tenant) -> Manifest:
    """Kubernetes charges each Kata pod's 600Mi overhead to requests.memory and limits.memory
    (sandboxing.tenants.capacity), so memoryQuota covers the pods and their overhead. No
    LoadBalancer or NodePort Service (the service admission policy refuses them too; quota names:
    kubernetes.io/docs/concepts/policy/resource-quotas, object count quota)."""
    return {
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": {"name": RESOURCE_QUOTA, "namespace": tenant.namespace},
        "spec": {"hard": {
            "requests.cpu": tenant.cpu_quota, "limits.cpu": tenant.cpu_quota,
            "requests.memory": tenant.memory_quota, "limits.memory": tenant.memory_quota,
            "pods": str(tenant.max_pods),
            "services.loadbalancers": "0", "services.nodeports": "0",
        }},
    }  # fmt: skip


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
    return TenantObjects(
        namespace=namespace(tenant),
        fences=(*policies, limit_range(tenant, settings), resource_quota(tenant)),
        role=role(tenant),
        role_binding=role_binding(tenant),
    )


def manifests(tenant: Tenant, settings: Settings) -> list[Manifest]:
    """Every object of one tenant, namespace first."""
    return tenant_objects(tenant, settings).all()
