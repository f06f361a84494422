"""The admission policy that keeps a tenant's Services inside the cluster. Pure data.

The tenant Role may write `services`. Two Service fields reach beyond the tenant's namespace:

- `spec.externalIPs`: kube-proxy sends traffic for those addresses to the Service's pods, from
  anywhere in the cluster, so a tenant could take over traffic meant for any IP (CVE-2020-8554,
  kubernetes/kubernetes#97076). Upstream leaves it unfixed by design and points to an admission
  check; the DenyServiceExternalIPs admission plugin is off by default and AKS does not turn it on.
- `type: LoadBalancer` / `NodePort`: a public (or node-wide) entry to the tenant's pods, and an
  Azure load balancer rule billed to the cluster's owner.

ClusterIP (the default) and headless Services (`clusterIP: None`) stay allowed. The same tenant
namespace selector binds this policy (sandboxing.tenants.admission.binding); the tenant quota also
sets `services.loadbalancers` and `services.nodeports` to 0 (sandboxing.tenants.manifests).
"""

from __future__ import annotations

from sandboxing.config.settings import PROJECT
from sandboxing.fences.cel import Validation, policy_manifest
from sandboxing.workload import Manifest

POLICY = f"{PROJECT}-tenant-services"
REFUSED_TYPES = ("LoadBalancer", "NodePort")
_TYPES = "[" + ", ".join(f"'{t}'" for t in REFUSED_TYPES) + "]"

VALIDATIONS = (
    Validation(
        "no-external-ips",
        "!has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0",
        "no-external-ips: Services in a tenant namespace may not set spec.externalIPs (they "
        "would capture traffic to those addresses cluster-wide, CVE-2020-8554): remove "
        "spec.externalIPs from the Service",
    ),
    Validation(
        "cluster-ip-only",
        f"!has(object.spec.type) || !(object.spec.type in {_TYPES})",
        "cluster-ip-only: Services of type LoadBalancer or NodePort are not allowed in a tenant "
        "namespace (they expose its pods outside the cluster): use type ClusterIP (the default) "
        "or a headless Service (clusterIP: None)",
        "'cluster-ip-only: Services of type ' + object.spec.type + ' are not allowed in a tenant "
        "namespace (they expose its pods outside the cluster): set spec.type: ClusterIP (the "
        "default) or make it headless (clusterIP: None)'",
    ),
)


def policy() -> Manifest:
    return policy_manifest(POLICY, ["services"], VALIDATIONS)
