"""The cluster-wide admission policies that fence tenant namespaces in, and their bindings."""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from components.sandbox_pods import wire
from sandboxing.fences import secret_admission, storage_admission
from sandboxing.tenants import admission as tenant_admission
from sandboxing.tenants import service_admission as tenant_service_admission


class TenantAdmission(pulumi.ComponentResource):
    """ValidatingAdmissionPolicies + bindings on every namespace with the tenant label: pods in
    Kata VMs on the Kata pool, Services inside the cluster (`-services-`), claims of allowed
    storage classes (`-storage-`), no API token Secrets (`-secrets-`).

    They need only the API server, not the Kata pool: they deploy while the pool is created.
    """

    def __init__(
        self,
        name: str,
        runtime_class: str,
        kata_pool: str,
        provider: pulumi.ProviderResource,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("aks-pod-sandboxing:kubernetes:TenantAdmission", name, None, opts)
        child = pulumi.ResourceOptions(parent=self, provider=provider)
        self.bindings: list[k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding] = []
        policy_names = []
        # The pod policy keeps its first resource names: a new URN would replace it in place.
        for prefix, manifest in (
            (name, tenant_admission.policy(runtime_class, kata_pool)),
            (f"{name}-services", tenant_service_admission.policy()),
            (f"{name}-storage", storage_admission.policy()),
            (f"{name}-secrets", secret_admission.policy()),
        ):
            policy = k8s.admissionregistration.v1.ValidatingAdmissionPolicy(
                f"{prefix}-policy",
                metadata=wire(manifest["metadata"]),
                spec=wire(manifest["spec"]),
                opts=child,
            )
            bound = tenant_admission.binding(manifest["metadata"]["name"])
            # A binding whose policy does not exist yet is accepted but enforces nothing.
            after_policy = pulumi.ResourceOptions(depends_on=[policy])
            self.bindings.append(
                k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(
                    f"{prefix}-binding",
                    metadata=wire(bound["metadata"]),
                    spec=wire(bound["spec"]),
                    opts=pulumi.ResourceOptions.merge(child, after_policy),
                )
            )
            policy_names.append(policy.metadata.name)
        self.register_outputs({"policyNames": policy_names})
