"""One tenant sandbox: its namespace and what fences it in (network, size, quota, access)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.sandbox_pods import wire
from sandboxing.tenants.manifests import (
    LIMIT_RANGE,
    PRIORITY_QUOTA,
    RESOURCE_QUOTA,
    TenantObjects,
)
from sandboxing.workload import Manifest

# The Pulumi type of each fence's kind, and the name suffix of the fences that do not go by
# their own object name (kept from the first release, so their URNs stay).
FENCE_KINDS: dict[str, type[Any]] = {
    "NetworkPolicy": k8s.networking.v1.NetworkPolicy,
    "LimitRange": k8s.core.v1.LimitRange,
    "ResourceQuota": k8s.core.v1.ResourceQuota,
}
FENCE_SUFFIXES = {
    LIMIT_RANGE: "limitrange",
    RESOURCE_QUOTA: "quota",
    PRIORITY_QUOTA: "priority-quota",
}


class SandboxTenant(pulumi.ComponentResource):
    """Namespace (PSA restricted, tenant label, the allowances the admission policies read),
    its fences (NetworkPolicies, LimitRange, ResourceQuotas), Role and RoleBinding.

    Nothing here waits for the Kata pool: tenants exist while the pool is being created, and
    their pods are held to Kata by the admission policies, whose bindings (`after`) precede the
    namespace and the RoleBinding.
    """

    def __init__(
        self,
        name: str,
        objects: TenantObjects,
        provider: pulumi.ProviderResource,
        after: Sequence[pulumi.Resource] = (),
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("aks-pod-sandboxing:kubernetes:SandboxTenant", name, None, opts)
        child = pulumi.ResourceOptions(parent=self, provider=provider)
        # No tenant namespace before the policy that keeps its pods in Kata VMs is bound.
        namespace = k8s.core.v1.Namespace(
            f"{name}-namespace",
            metadata=wire(objects.namespace["metadata"]),
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=after)),
        )
        inside = pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[namespace]))
        fences = [register_fence(name, fence, inside) for fence in objects.fences]
        # Deployers get in last: on the first `up` a pod created before the network policies or
        # the quota would start with open egress or uncounted (quota is checked when a pod is
        # created); before the limit range, one without limits is refused.
        register_access(
            name,
            objects.role,
            objects.role_binding,
            inside,
            binding_after=[namespace, *fences, *after],
            child=child,
        )
        self.namespace: pulumi.Output[str] = namespace.metadata.name
        self.register_outputs({"namespace": self.namespace})


def register_fence(name: str, manifest: Manifest, opts: pulumi.ResourceOptions) -> pulumi.Resource:
    """One fence of a fenced namespace (a tenant's, or the sandboxes'), named `<name>-<suffix>`."""
    object_name = manifest["metadata"]["name"]
    suffix = FENCE_SUFFIXES.get(object_name, object_name)
    kind = FENCE_KINDS[manifest["kind"]]
    return kind(
        f"{name}-{suffix}",
        metadata=wire(manifest["metadata"]),
        spec=wire(manifest["spec"]),
        opts=opts,
    )


def register_access(
    name: str,
    role: Manifest,
    binding: Manifest | None,
    opts: pulumi.ResourceOptions,
    binding_after: Sequence[pulumi.Resource],
    child: pulumi.ResourceOptions,
) -> None:
    """A fenced namespace's Role (`opts`) and, if any, its RoleBinding, which waits for the Role
    and for `binding_after`: whoever it names gets in only once the fences stand."""
    created = k8s.rbac.v1.Role(
        f"{name}-role", metadata=wire(role["metadata"]), rules=wire(role["rules"]), opts=opts
    )
    if binding:
        k8s.rbac.v1.RoleBinding(
            f"{name}-rolebinding",
            metadata=wire(binding["metadata"]),
            role_ref=wire(binding["roleRef"]),
            subjects=wire(binding["subjects"]),
            opts=pulumi.ResourceOptions.merge(
                child, pulumi.ResourceOptions(depends_on=[created, *binding_after])
            ),
        )
