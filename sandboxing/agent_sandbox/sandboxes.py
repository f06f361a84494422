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
from dataclasses import dataclass
from typing import Any

from sandboxing import catalog, workload
from sandboxing.config.settings import PROJECT, Settings
from sandboxing.fences.profile import DNS_COREDNS, DNS_NONE
from sandboxing.tenants import manifests as tenant_manifests
from sandboxing.tenants.fields import Tenant, read_ports
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
# What agentSandboxClaimantExec adds: reach into the sandbox pods, as the tenants' Role does.
EXEC_RULES: list[dict[str, Any]] = [
    {"apiGroups": [""], "verbs": ["get", "list", "watch"], "resources": ["pods"]},
    {"apiGroups": [""], "verbs": ["get"], "resources": ["pods/log"]},
    {"apiGroups": [""], "verbs": ["get", "create"], "resources": ["pods/exec", "pods/portforward"]},
]  # fmt: skip


def _metadata(name: str, namespace: str) -> Manifest:
    return {"name": name, "namespace": namespace, "labels": {APP_LABEL: PROJECT}}


def namespace(settings: Settings) -> Manifest:
    """PSA restricted, and the tenant label: the tenants' pod policy binds to it, so every pod
    the controller creates here is checked like a tenant's."""
    name = settings.agent_sandbox_namespace
    return workload.restricted_namespace(name, {catalog.TENANT_LABEL: name})


def egress_rules(settings: Settings) -> list[Manifest]:
    """The declared allow-list, as the tenants' egress policy writes it (DNS, CIDRs, ports)."""
    ports = read_ports(list(settings.agent_sandbox_egress_ports)) or ()
    allowed = Tenant(name=settings.agent_sandbox_namespace,
                     egress_cidrs=settings.agent_sandbox_egress_cidrs, egress_ports=ports,
                     dns=DNS_COREDNS if settings.agent_sandbox_allow_dns else DNS_NONE)  # fmt: skip
    policy = tenant_manifests.egress_policy(allowed)
    return list(policy["spec"]["egress"]) if policy else []


def pod_spec(settings: Settings) -> Manifest:
    limits = {"cpu": settings.agent_sandbox_cpu, "memory": settings.agent_sandbox_memory}
    spec: Manifest = {
        "runtimeClassName": settings.effective_runtime_class,
        "automountServiceAccountToken": False,
        "enableServiceLinks": False,  # no other Service's address in the sandbox's environment
        "nodeSelector": {catalog.AGENT_POOL_LABEL: kata_pool_name(settings)},
        "securityContext": workload.pod_security_context(),
        "containers": [{
            "name": CONTAINER,
            "image": settings.pod_image,
            "command": workload.POD_COMMAND,
            "resources": {"limits": dict(limits), "requests": dict(limits)},
            "securityContext": workload.container_security_context(),
        }],
    }  # fmt: skip
    if toleration := workload.parse_taint(settings.kata_taint):
        spec["tolerations"] = [toleration]
    return spec


def template(settings: Settings) -> Manifest:
    return {
        "apiVersion": API_VERSION,
        "kind": "SandboxTemplate",
        "metadata": _metadata(TEMPLATE, settings.agent_sandbox_namespace),
        "spec": {
            "podTemplate": {"metadata": {"labels": {APP_LABEL: PROJECT}},
                            "spec": pod_spec(settings)},
            "networkPolicyManagement": "Managed",
            "networkPolicy": {"ingress": [], "egress": egress_rules(settings)},
            # A claim may not inject environment variables or volumes (the v0.5.6 defaults,
            # said out loud: the admission policy refuses a template that drops them).
            "envVarsInjectionPolicy": "Disallowed",
            "volumeClaimTemplatesPolicy": "Disallowed",
        },
    }  # fmt: skip


def warm_pool(settings: Settings, name: str, replicas: int) -> Manifest:
    """`Recreate`: after a template change the pool replaces its idle sandboxes at once, so a
    claim never gets one built from an older, perhaps weaker, template (`OnReplenish`, the
    default, would hand those out until each is claimed)."""
    return {
        "apiVersion": API_VERSION,
        "kind": "SandboxWarmPool",
        "metadata": _metadata(name, settings.agent_sandbox_namespace),
        "spec": {"replicas": replicas, "sandboxTemplateRef": {"name": TEMPLATE},
                 "updateStrategy": {"type": "Recreate"}},
    }  # fmt: skip


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
        "spec": {"warmPoolRef": {"name": pool},
                 "lifecycle": {"shutdownTime": when, "shutdownPolicy": "Delete"}},
    }  # fmt: skip


@dataclass(frozen=True)
class SandboxObjects:
    """The sandbox namespace's objects, as the SandboxPool component sends them."""

    namespace: Manifest
    default_deny: Manifest
    template: Manifest
    warm_pool: Manifest
    cold_pool: Manifest
    role: Manifest
    role_binding: Manifest | None

    def all(self) -> list[Manifest]:
        binding = [self.role_binding] if self.role_binding else []
        return [self.namespace, self.default_deny, self.template, self.warm_pool, self.cold_pool,
                self.role, *binding]  # fmt: skip


def sandbox_objects(settings: Settings) -> SandboxObjects:
    ns = settings.agent_sandbox_namespace
    return SandboxObjects(
        namespace=namespace(settings),
        default_deny=workload.default_deny(ns),
        template=template(settings),
        warm_pool=warm_pool(settings, WARM_POOL, settings.agent_sandbox_warm_pool_size),
        cold_pool=warm_pool(settings, COLD_POOL, 0),
        role=claimant_role(settings),
        role_binding=claimant_binding(settings),
    )
