"""The cluster-wide admission policy that keeps tenant pods in Kata VMs, and its binding."""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from components.sandbox_pods import wire
from sandboxing import tenant_admission


class TenantAdmission(pulumi.ComponentResource):
    """ValidatingAdmissionPolicy + binding on every namespace with the tenant label.

    It needs only the API server, not the Kata pool: it deploys while the pool is created.
    """

    binding: k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding

    def __init__(
        self,
        name: str,
        runtime_class: str,
        provider: pulumi.ProviderResource,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("aks-pod-sandboxing:kubernetes:TenantAdmission", name, None, opts)
        child = pulumi.ResourceOptions(parent=self, provider=provider)
        manifest = tenant_admission.policy(runtime_class)
        policy = k8s.admissionregistration.v1.ValidatingAdmissionPolicy(
            f"{name}-policy", metadata=wire(manifest["metadata"]), spec=wire(manifest["spec"]),
            opts=child,
        )  # fmt: skip
        bound = tenant_admission.binding()
        # A binding whose policy does not exist yet is accepted but enforces nothing.
        self.binding = k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(
            f"{name}-binding",
            metadata=wire(bound["metadata"]),
            spec=wire(bound["spec"]),
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[policy])),
        )
        self.register_outputs({"policyName": policy.metadata.name})
