"""What a sandboxed namespace may use: the `FenceProfile` every fence builder takes, and the
namespace annotations that carry its allowances to the cluster-wide admission policies.

One ValidatingAdmissionPolicy serves every fenced namespace; what differs per namespace (the CSI
drivers its pods may mount inline, the priority classes and storage classes it may use) is read
from the namespace's own annotations (`namespaceObject` in the policy's CEL). Namespaces are
cluster-scoped: a Role inside the namespace cannot change them, so the sandboxed code cannot widen
its own allowances. A fenced namespace without these annotations may use none of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sandboxing import catalog

# DNS a namespace's pods may use. Plain NetworkPolicy can only allow or refuse the resolver:
# "coredns" lets pods query the cluster's CoreDNS, which answers cluster names AND forwards every
# other name upstream (AKS: `forward . /etc/resolv.conf`, articles/aks/coredns-custom.md, ms.date
# 09/08/2025), so it is also a way out for data encoded in names. Cluster-only resolution would need
# a cluster-wide CoreDNS change, and per-name rules need FQDN policy (Cilium/ACNS): neither is a
# namespace fence.
DNS_NONE = "none"
DNS_COREDNS = "coredns"
DNS_MODES = (DNS_NONE, DNS_COREDNS)
# What an egress allow-list may hold (sandboxing.fences.network), for the tenants' and the
# sandboxes' keys alike.
EGRESS_ALLOWED = (
    "none inside the link-local range, the Azure host endpoint "
    f"{catalog.AZURE_HOST_ADDRESS}, or the cluster's pod or Service range (those are left out "
    "of larger entries)"
)

ANNOTATION_PREFIX = "pod-sandboxing.aks.io/"
CSI_DRIVERS_ANNOTATION = f"{ANNOTATION_PREFIX}csi-drivers"
PRIORITY_CLASSES_ANNOTATION = f"{ANNOTATION_PREFIX}priority-classes"
STORAGE_CLASSES_ANNOTATION = f"{ANNOTATION_PREFIX}storage-classes"


@dataclass(frozen=True)
class EgressPort:
    port: int
    protocol: str = "TCP"


@dataclass(frozen=True)
class FenceProfile:
    """One fenced namespace: its pods' default size, its quotas, what it may use, its egress.

    Quantities are Kubernetes quantity text (checked before a profile is made); pod sizes are
    requests AND limits of a container that sets none (the Kata shim sizes the VM from limits).
    """

    namespace: str
    pod_cpu: str
    pod_memory: str
    pod_ephemeral_storage: str
    cpu_quota: str
    memory_quota: str  # the pods' memory limits plus their Kata overhead
    ephemeral_storage_quota: str
    max_pods: int
    max_objects: int  # of each kind a deployer may create (ConfigMaps, Secrets, Jobs, ...)
    storage_quota: str
    max_volume_claims: int
    storage_classes: tuple[str, ...]
    csi_drivers: tuple[str, ...]  # drivers pods may mount inline (`volumes[].csi`)
    priority_classes: tuple[str, ...]
    egress_cidrs: tuple[str, ...]
    egress_ports: tuple[EgressPort, ...]  # empty: every port of egress_cidrs
    dns: str  # one of DNS_MODES


@dataclass(frozen=True)
class PodCeiling:
    """The largest container the LimitRange admits: one Kata node's allocatable (memory less
    the Kata overhead); a None figure is not capped (the node's size is not known)."""

    cpu_millicores: int | None
    memory_mib: int | None
    ephemeral_storage_mib: int | None


def namespace_annotations(profile: FenceProfile) -> dict[str, str]:
    """The allowances as the admission policies read them: comma-separated names, "" = none.
    Every name is a DNS-1123 subdomain or a CSI driver name, neither of which holds a comma."""
    return {
        CSI_DRIVERS_ANNOTATION: ",".join(profile.csi_drivers),
        PRIORITY_CLASSES_ANNOTATION: ",".join(profile.priority_classes),
        STORAGE_CLASSES_ANNOTATION: ",".join(profile.storage_classes),
    }
