"""The trusted/untrusted pod pair in a locked-down namespace."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from sandboxing import workload
from sandboxing.workload import PodPair


def wire(part: dict[str, Any]) -> Any:
    """Pass a manifest part as is: camelCase keys reach the API server unchanged.

    The SDK's TypedDicts spell keys in snake_case; our manifests are the API's own shape (the
    same objects the offline plan writes and the tests validate against the OpenAPI schemas).
    """
    return part


class SandboxPods(pulumi.ComponentResource):
    """Namespace, ServiceAccount, default-deny NetworkPolicy, and the two pods.

    Only the untrusted pod waits for the Kata runtime class; everything else deploys while the
    Kata pool is still being created.

    Each pod is replaced with the nodes it runs on (`replace_with`): deleting a node pool
    deletes the pods running on its nodes (AKS docs, articles/aks/delete-node-pool.md @ fb060ab,
    2026-08-21), and a
    bare Pod is never started again elsewhere, while Pulumi, seeing no change to the pod's own
    inputs, would not create it again. `untrusted_replaced_with`: the runtime-class wait, itself
    replaced with the Kata pool and the reconcile; `trusted_after`: the User pool, when there is
    one.
    """

    def __init__(
        self,
        name: str,
        objects: PodPair,
        provider: pulumi.ProviderResource,
        runtime_class_name: pulumi.Input[str],
        trusted_after: list[pulumi.Resource] | None = None,
        untrusted_replaced_with: list[pulumi.Resource] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("aks-pod-sandboxing:kubernetes:SandboxPods", name, None, opts)
        child = pulumi.ResourceOptions(parent=self, provider=provider)

        namespace = k8s.core.v1.Namespace(
            f"{name}-namespace", metadata=wire(objects.namespace["metadata"]), opts=child
        )
        in_namespace = pulumi.ResourceOptions.merge(
            child, pulumi.ResourceOptions(depends_on=[namespace])
        )
        sa = objects.service_account
        account = k8s.core.v1.ServiceAccount(
            f"{name}-serviceaccount",
            metadata=wire(sa["metadata"]),
            automount_service_account_token=sa["automountServiceAccountToken"],
            opts=in_namespace,
        )
        policy = objects.network_policy
        k8s.networking.v1.NetworkPolicy(
            f"{name}-default-deny",
            metadata=wire(policy["metadata"]),
            spec=wire(policy["spec"]),
            opts=in_namespace,
        )
        # Pods need their ServiceAccount to exist before admission.
        pod_opts = pulumi.ResourceOptions.merge(
            child, pulumi.ResourceOptions(depends_on=[namespace, account])
        )
        trusted = objects.trusted
        # `trusted_after`: the nodes the trusted pod can run on, when they come after the
        # cluster (the User pool with systemPoolCriticalAddonsOnly); sent earlier, it would sit
        # Pending while pulumi-kubernetes waits for it to be Ready.
        trusted_pod = k8s.core.v1.Pod(
            workload.TRUSTED_POD,
            metadata=wire(trusted["metadata"]),
            spec=wire(trusted["spec"]),
            opts=pulumi.ResourceOptions.merge(
                pod_opts,
                pulumi.ResourceOptions(
                    depends_on=trusted_after or [], replace_with=trusted_after or None
                ),
            ),
        )
        untrusted = objects.untrusted
        # The class name comes from the readiness read: that data edge is what holds the pod
        # back until the Kata pool exists and the cluster serves its RuntimeClass.
        untrusted_pod = k8s.core.v1.Pod(
            workload.UNTRUSTED_POD,
            metadata=wire(untrusted["metadata"]),
            spec=wire(dict(untrusted["spec"], runtimeClassName=runtime_class_name)),
            opts=pulumi.ResourceOptions.merge(
                pod_opts, pulumi.ResourceOptions(replace_with=untrusted_replaced_with or None)
            ),
        )
        self.namespace: pulumi.Output[str] = namespace.metadata.name
        self.trusted_pod_name: pulumi.Output[str] = trusted_pod.metadata.name
        self.untrusted_pod_name: pulumi.Output[str] = untrusted_pod.metadata.name
        self.register_outputs(
            {
                "namespace": self.namespace,
                "trustedPodName": self.trusted_pod_name,
                "untrustedPodName": self.untrusted_pod_name,
            }
        )
