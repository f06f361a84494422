"""One tenant sandbox: its namespace and what fences it in (network, size, quota, access)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.sandbox_pods import wire
from sandboxing.config.settings import Settings
from sandboxing.tenants import manifests as tenant_manifests
from sandboxing.tenants.fields import Tenant
from sandboxing.workload import Manifest


class SandboxTenant(pulumi.ComponentResource):
    """Namespace (PSA restricted, tenant label), default-deny and egress NetworkPolicies,
    LimitRange, ResourceQuota, Role and RoleBinding.

    Nothing here waits for the Kata pool: tenants exist while the pool is being created, and
    their pods are held to Kata by the admission policies, whose bindings (`after`) precede the
    namespace and the RoleBinding.
    """

    namespace: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        tenant: Tenant,
        settings: Settings,
        provider: pulumi.ProviderResource,
        after: Sequence[pulumi.Resource] = (),
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("aks-pod-sandboxing:kubernetes:SandboxTenant", name, None, opts)
        child = pulumi.ResourceOptions(parent=self, provider=provider)
        ns = tenant_manifests.namespace(tenant)
        # No tenant namespace before the policy that keeps its pods in Kata VMs is bound.
        namespace = k8s.core.v1.Namespace(
            f"{name}-namespace",
            metadata=wire(ns["metadata"]),
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=after)),
        )
        inside = pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[namespace]))
        fences: list[pulumi.Resource] = []  # what must exist before anybody may deploy

        def fence(kind: type[Any], suffix: str, manifest: Manifest) -> None:
            fences.append(kind(f"{name}-{suffix}", metadata=wire(manifest["metadata"]),
                               spec=wire(manifest["spec"]), opts=inside))  # fmt: skip

        policies = [tenant_manifests.default_deny(tenant), tenant_manifests.egress_policy(tenant)]
        for policy in filter(None, policies):
            fence(k8s.networking.v1.NetworkPolicy, policy["metadata"]["name"], policy)
        fence(k8s.core.v1.LimitRange, "limitrange", tenant_manifests.limit_range(tenant, settings))
        fence(k8s.core.v1.ResourceQuota, "quota", tenant_manifests.resource_quota(tenant))
        role_manifest = tenant_manifests.role(tenant)
        role = k8s.rbac.v1.Role(
            f"{name}-role",
            metadata=wire(role_manifest["metadata"]),
            rules=wire(role_manifest["rules"]),
            opts=inside,
        )
        if binding := tenant_manifests.role_binding(tenant):
            # Deployers get in last: on the first `up` a pod created before the network
            # policies or the quota would start with open egress or uncounted (quota is checked
            # when a pod is created); before the limit range, one without limits is refused.
            k8s.rbac.v1.RoleBinding(
                f"{name}-rolebinding",
                metadata=wire(binding["metadata"]),
                role_ref=wire(binding["roleRef"]),
                subjects=wire(binding["subjects"]),
                opts=pulumi.ResourceOptions.merge(
                    child,
                    pulumi.ResourceOptions(depends_on=[namespace, role, *fences, *after]),
                ),
            )
        self.namespace = namespace.metadata.name
        self.register_outputs({"namespace": self.namespace})
