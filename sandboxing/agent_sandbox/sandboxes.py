"""The sandbox namespace's objects as plain manifests: the SandboxTemplate (this project's
hardened Kata pod), the warm and the cold pool, the claimant's RBAC, and a SandboxClaim as a
user writes it. Pure data, shaped by the pinned CRDs (extensions.agents.x-k8s.io/v1beta1 at
kubernetes-sigs/agent-sandbox v0.5.6; tests validate them against the CRDs' own schemas).

The sandbox pod is the demo's untrusted pod made a template: the Kata runtime class, the Kata
toleration and a nodeSelector on the Kata pool, the restricted security contexts of
sandboxing.workload, no service-account token, requests = limits (the Kata shim sizes the VM from
the limits; the node holds the RuntimeClass overhead besides, which the capacity check counts).
Its image prints its kernel (workload.POD_COMMAND), which is how tools.verify proves a claimed
sandbox runs in its own VM.

Network: the namespace has a default-deny NetworkPolicy like every namespace of this project,
and the template declares its own `networkPolicy` (the controller keeps one NetworkPolicy per
template, `<template>-network-policy`, with both policy types): no ingress at all, egress only to
the declared allow-list, built by the tenants' own egress rules (sandboxing.tenants.manifests).
Left without it, the controller's default would admit ingress from a router in
agent-sandbox-system, allow all public egress and set `dnsPolicy: None` with public resolvers
(extensions/controllers/sandboxtemplate_controller.go and utils.go at v0.5.6).
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from typing import Any

from sandboxing import catalog, workload
from sandboxing.config.settings import PROJECT, Settings
from sandboxing.fences import network, quota
from sandboxing.fences.profile import (
    DNS_COREDNS,
    DNS_NONE,
    FenceProfile,
    PodCeiling,
    namespace_annotations,
)
from sandboxing.node_capacity import node_capacity
from sandboxing.quantities import cpu_millicores, memory_mib
from sandboxing.tenants import manifests as tenant_manifests
from sandboxing.tenants.capacity import node_ephemeral_storage_mib
from sandboxing.tenants.fields import read_ports
from sandboxing.workload import APP_LABEL, Manifest, kata_pool_name

GROUP = "extensions.agents.x-k8s.io"
API_VERSION = f"{GROUP}/v1beta1"
SANDBOX_GROUP = "agents.x-k8s.io"
TEMPLATE = "kata-sandbox"
WARM_POOL = "kata-sandbox"
COLD_POOL = "kata-sandbox-cold"  # replicas 0: every claim of it boots a new Kata VM
CONTAINER = "sandbox"
ROLE = "sandbox-claimant"
ROLE_BINDING = "sandbox-claimants"
RBAC_GROUP = tenant_manifests.RBAC_GROUP
CLAIM_VERBS = ["get", "list", "watch", "create", "delete"]
# Each sandbox's scratch disk on the Kata node (the LimitRange's default ephemeral storage), and
# the count of each other object kind the namespace may hold (its users write only claims).
SCRATCH_DISK_GIB = 1
SCRATCH_DISK = f"{SCRATCH_DISK_GIB}Gi"
SANDBOX_OBJECTS = 20
# What agentSandboxClaimantExec adds: reach into the sandbox pods, as the tenants' Role does.
EXEC_RULES: list[dict[str, Any]] = [
    {"apiGroups": [""], "verbs": ["get", "list", "watch"], "resources": ["pods"]},
    {"apiGroups": [""], "verbs": ["get"], "resources": ["pods/log"]},
    {"apiGroups": [""], "verbs": ["get", "create"], "resources": ["pods/exec", "pods/portforward"]},
]


def _metadata(name: str, namespace: str) -> Manifest:
    return {"name": name, "namespace": namespace, "labels": {APP_LABEL: PROJECT}}


def fence_profile(settings: Settings) -> FenceProfile:
    """The sandbox namespace fenced like a tenant's: quotas for agentSandboxMaxSandboxes
    sandboxes of the configured size (memory with the Kata overhead, which quota charges), a
    scratch disk each, no storage, no CSI driver, no priority class; the declared egress."""
    most = settings.agent_sandbox_max_sandboxes
    cpu = cpu_millicores(settings.agent_sandbox_cpu) or 0
    memory = (memory_mib(settings.agent_sandbox_memory) or 0) + catalog.RUNTIME_CLASS_OVERHEAD_MIB
    return FenceProfile(
        namespace=settings.agent_sandbox_namespace,
        pod_cpu=settings.agent_sandbox_cpu,
        pod_memory=settings.agent_sandbox_memory,
        pod_ephemeral_storage=SCRATCH_DISK,
        cpu_quota=f"{most * cpu}m",
        memory_quota=f"{math.ceil(most * memory)}Mi",
        ephemeral_storage_quota=f"{most * SCRATCH_DISK_GIB}Gi",
        max_pods=most,
        max_objects=SANDBOX_OBJECTS,
        storage_quota="0",
        max_volume_claims=0,
        storage_classes=(),
        csi_drivers=(),
        priority_classes=(),
        egress_cidrs=settings.agent_sandbox_egress_cidrs,
        egress_ports=read_ports(list(settings.agent_sandbox_egress_ports)) or (),
        dns=DNS_COREDNS if settings.agent_sandbox_allow_dns else DNS_NONE,
    )


def namespace(settings: Settings) -> Manifest:
    """PSA restricted, and the tenant label: the tenants' pod policy binds to it, so every pod
    the controller creates here is checked like a tenant's, against this namespace's
    allowances (none: no CSI driver, storage class or priority class)."""
    name = settings.agent_sandbox_namespace
    manifest = workload.restricted_namespace(name, {catalog.TENANT_LABEL: name})
    manifest["metadata"]["annotations"] = namespace_annotations(fence_profile(settings))
    return manifest


def egress_rules(settings: Settings) -> list[Manifest]:
    """The declared allow-list, as the tenants' egress policy writes it (DNS, CIDRs, ports)."""
    policy = network.egress_policy(fence_profile(settings))
    return list(policy["spec"]["egress"]) if policy else []


def fences(settings: Settings) -> tuple[Manifest, ...]:
    """What holds the namespace's size: the default sandbox size and its ceiling (one Kata node),
    the quota, and no pod of the system priority classes."""
    profile = fence_profile(settings)
    node = node_capacity(settings.kata_node_vm_size)
    ceiling = PodCeiling(
        node.allocatable_millicpu if node else None,
        node.allocatable_memory_mib - catalog.RUNTIME_CLASS_OVERHEAD_MIB if node else None,
        node_ephemeral_storage_mib(settings),
    )
    return (
        quota.limit_range(profile, ceiling),
        quota.resource_quota(profile),
        quota.priority_quota(profile.namespace),
    )


def pod_spec(settings: Settings) -> Manifest:
    limits = {"cpu": settings.agent_sandbox_cpu, "memory": settings.agent_sandbox_memory}
    spec: Manifest = {
        "runtimeClassName": settings.effective_runtime_class,
        "automountServiceAccountToken": False,
        "enableServiceLinks": False,  # no other Service's address in the sandbox's environment
        "nodeSelector": {catalog.AGENT_POOL_LABEL: kata_pool_name(settings)},
        "securityContext": workload.pod_security_context(),
        "containers": [
            {
                "name": CONTAINER,
                "image": settings.pod_image,
                "command": workload.POD_COMMAND,
                "resources": {"limits": dict(limits), "requests": dict(limits)},
                "securityContext": workload.container_security_context(),
            }
        ],
    }
    if toleration := workload.parse_taint(settings.kata_taint):
        spec["tolerations"] = [toleration]
    return spec


def template(settings: Settings) -> Manifest:
    return {
        "apiVersion": API_VERSION,
        "kind": "SandboxTemplate",
        "metadata": _metadata(TEMPLATE, settings.agent_sandbox_namespace),
        "spec": {
            "podTemplate": {
                "metadata": {"labels": {APP_LABEL: PROJECT}},
                "spec": pod_spec(settings),
            },
            "networkPolicyManagement": "Managed",
            "networkPolicy": {"ingress": [], "egress": egress_rules(settings)},
            # A claim may not inject environment variables or volumes (the v0.5.6 defaults,
            # said out loud: the admission policy refuses a template that drops them).
            "envVarsInjectionPolicy": "Disallowed",
            "volumeClaimTemplatesPolicy": "Disallowed",
        },
    }


def warm_pool(settings: Settings, name: str, replicas: int) -> Manifest:
    """`Recreate`: after a template change the pool replaces its idle sandboxes at once, so a
    claim never gets one built from an older, perhaps weaker, template (`OnReplenish`, the
    default, would hand those out until each is claimed)."""
    return {
        "apiVersion": API_VERSION,
        "kind": "SandboxWarmPool",
        "metadata": _metadata(name, settings.agent_sandbox_namespace),
        "spec": {
            "replicas": replicas,
            "sandboxTemplateRef": {"name": TEMPLATE},
            "updateStrategy": {"type": "Recreate"},
        },
    }


def claimant_role(settings: Settings) -> Manifest:
    rules: list[dict[str, Any]] = [
        {"apiGroups": [GROUP], "verbs": CLAIM_VERBS, "resources": ["sandboxclaims"]}
    ]
    if settings.agent_sandbox_claimant_exec:
        rules += EXEC_RULES
    metadata = _metadata(ROLE, settings.agent_sandbox_namespace)
    return {"apiVersion": f"{RBAC_GROUP}/v1", "kind": "Role", "metadata": metadata, "rules": rules}


def claimant_binding(settings: Settings) -> Manifest | None:
    """The claimant groups (Entra group object IDs arrive as Group subjects); None: only the
    cluster's admins claim."""
    groups = settings.agent_sandbox_claim_groups
    if not groups:
        return None
    return {
        "apiVersion": f"{RBAC_GROUP}/v1",
        "kind": "RoleBinding",
        "metadata": _metadata(ROLE_BINDING, settings.agent_sandbox_namespace),
        "roleRef": {"apiGroup": RBAC_GROUP, "kind": "Role", "name": ROLE},
        "subjects": [{"kind": "Group", "apiGroup": RBAC_GROUP, "name": g} for g in groups],
    }


def claim(name: str, namespace: str, pool: str, shutdown: datetime.datetime) -> Manifest:
    """A SandboxClaim as a user writes it: a pool, and when the session ends (the sandbox
    namespace refuses a claim without one); `Delete` removes the claim and its sandbox then."""
    when = shutdown.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "apiVersion": API_VERSION,
        "kind": "SandboxClaim",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "warmPoolRef": {"name": pool},
            "lifecycle": {"shutdownTime": when, "shutdownPolicy": "Delete"},
        },
    }


@dataclass(frozen=True)
class SandboxObjects:
    """The sandbox namespace's objects, as the SandboxPool component sends them."""

    namespace: Manifest
    default_deny: Manifest
    fences: tuple[Manifest, ...]  # LimitRange and ResourceQuotas
    template: Manifest
    warm_pool: Manifest
    cold_pool: Manifest
    role: Manifest
    role_binding: Manifest | None

    def all(self) -> list[Manifest]:
        binding = [self.role_binding] if self.role_binding else []
        return [
            self.namespace,
            self.default_deny,
            *self.fences,
            self.template,
            self.warm_pool,
            self.cold_pool,
            self.role,
            *binding,
        ]


def sandbox_objects(settings: Settings) -> SandboxObjects:
    ns = settings.agent_sandbox_namespace
    return SandboxObjects(
        namespace=namespace(settings),
        default_deny=workload.default_deny(ns),
        fences=fences(settings),
        template=template(settings),
        warm_pool=warm_pool(settings, WARM_POOL, settings.agent_sandbox_warm_pool_size),
        cold_pool=warm_pool(settings, COLD_POOL, 0),
        role=claimant_role(settings),
        role_binding=claimant_binding(settings),
    )
