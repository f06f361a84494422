"""The sandbox namespace: its admission policies, the SandboxTemplate, the warm and the cold
pool, and who may claim (sandboxing.agent_sandbox.sandboxes and .admission)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s

from components.sandbox_pods import wire
from components.sandbox_tenant import register_access, register_fence
from sandboxing.agent_sandbox.sandboxes import SandboxObjects
from sandboxing.workload import Manifest


@dataclass(frozen=True)
class SandboxPoolArgs:
    objects: SandboxObjects
    policies: tuple[tuple[Manifest, Manifest], ...]  # (ValidatingAdmissionPolicy, its binding)


def _custom(name: str, manifest: Manifest, opts: pulumi.ResourceOptions) -> pulumi.Resource:
    return k8s.apiextensions.CustomResource(
        name,
        api_version=manifest["apiVersion"],
        kind=manifest["kind"],
        metadata=wire(manifest["metadata"]),
        spec=wire(manifest["spec"]),
        opts=opts,
    )


class SandboxPool(pulumi.ComponentResource):
    """Policies (bound to the namespace) -> namespace and its default-deny policy -> template ->
    pools; the claimants' Role and RoleBinding.

    Only the warm pool waits for the Kata pool (`runtime_class`, the class's readiness wait):
    its sandboxes' pods name the class and would be refused before AKS serves it. Everything
    else needs the API server and the CRDs (`crds`) only. `after`: the tenants' pod policy
    bindings, which check the pods the controller creates here.
    """

    def __init__(
        self,
        name: str,
        args: SandboxPoolArgs,
        provider: pulumi.ProviderResource,
        crds: Sequence[pulumi.Resource],
        runtime_class: pulumi.Resource,
        after: Sequence[pulumi.Resource] = (),
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("aks-pod-sandboxing:kubernetes:SandboxPool", name, None, opts)
        child = pulumi.ResourceOptions(parent=self, provider=provider)

        def waiting_for(*resources: pulumi.Resource) -> pulumi.ResourceOptions:
            return pulumi.ResourceOptions.merge(
                child, pulumi.ResourceOptions(depends_on=list(resources))
            )

        bindings = []
        for policy, bound in args.policies:
            # sandboxes-templates-..., sandboxes-claims-...
            prefix = f"{name}-{policy['metadata']['name'].rsplit('-', 1)[-1]}"
            created = k8s.admissionregistration.v1.ValidatingAdmissionPolicy(
                f"{prefix}-policy",
                metadata=wire(policy["metadata"]),
                spec=wire(policy["spec"]),
                opts=child,
            )
            bindings.append(
                k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(
                    f"{prefix}-binding",
                    metadata=wire(bound["metadata"]),
                    spec=wire(bound["spec"]),
                    opts=waiting_for(created),
                )
            )
        objects = args.objects
        # No sandbox namespace before the policies that fence it are bound.
        namespace = k8s.core.v1.Namespace(
            f"{name}-namespace",
            metadata=wire(objects.namespace["metadata"]),
            opts=waiting_for(*bindings, *after),
        )
        deny = objects.default_deny
        default_deny = k8s.networking.v1.NetworkPolicy(
            f"{name}-default-deny",
            metadata=wire(deny["metadata"]),
            spec=wire(deny["spec"]),
            opts=waiting_for(namespace),
        )
        # The quota and the default sandbox size stand before any sandbox is started.
        fences = [register_fence(name, fence, waiting_for(namespace)) for fence in objects.fences]
        template = _custom(
            f"{name}-template", objects.template, waiting_for(namespace, default_deny, *crds)
        )
        _custom(
            f"{name}-warm-pool", objects.warm_pool, waiting_for(template, runtime_class, *fences)
        )
        _custom(f"{name}-cold-pool", objects.cold_pool, waiting_for(template, *fences))
        # Claimants get in once the template and the fences stand.
        register_access(
            name,
            objects.role,
            objects.role_binding,
            waiting_for(namespace),
            binding_after=[namespace, template, default_deny, *fences, *bindings],
            child=child,
        )
        self.namespace: pulumi.Output[str] = namespace.metadata.name
        self.register_outputs({"namespace": self.namespace})
