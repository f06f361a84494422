"""Wait until the cluster serves the Kata RuntimeClass, so the untrusted pod is not rejected.

AKS installs the class (handler `kata`) when a Kata pool is provisioned; a pod naming it before
then is refused with `RuntimeClass ... not found`. Reading the class through the Kubernetes
provider after the pool is created puts a real step between the two: the untrusted pod takes its
runtimeClassName from this read, so the engine sends it only once the class was found. If the
class is not served (an old cluster, a wrong runtimeClassName), the read fails with a clear
"not found" before the pod is sent, and nothing half-created is left.
"""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s


class KataRuntimeClass(pulumi.ComponentResource):
    class_name: pulumi.Output[str]
    handler: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        class_name: str,
        node_pool: pulumi.Resource,
        provider: pulumi.ProviderResource,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("aks-pod-sandboxing:kubernetes:KataRuntimeClass", name, None, opts)
        runtime_class = k8s.node.v1.RuntimeClass.get(
            f"{name}-read",
            id=class_name,
            opts=pulumi.ResourceOptions(parent=self, provider=provider, depends_on=[node_pool]),
        )
        self.class_name = runtime_class.metadata.name
        self.handler = runtime_class.handler
        self.register_outputs({"className": self.class_name, "handler": self.handler})
