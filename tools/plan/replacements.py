"""Which property changes make Pulumi replace a resource (or make Azure refuse the update).

Data only, each entry with where it comes from. A changed property not listed here is reported
as a plain change: the offline diff cannot ask the providers, so it says only what is known.

Sources:
- pulumi-kubernetes, provider/pkg/provider/diff.go `forceNewProperties`: `.metadata.name` and
  `.metadata.namespace` of every kind; for a Pod the `forceNew` list below (containers via
  `containerForceNewProperties`). pulumi-kubernetes replaces such an object, deleting it first
  when its name is fixed.
- pulumi-azure-native, provider/pkg/gen/replacement.go `forceNewMap` (ContainerService
  ManagedCluster/AgentPool, Resources ResourceGroup); AgentPool `vmSize` since
  pulumi-azure-native#3655.
- Inline `agentPoolProfiles` of a ManagedCluster are updated in place, not replaced
  (pulumi-azure-native#2774), and AKS refuses to change an existing pool's VM size
  (PropertyChangeNotAllowed, e.g. Azure/bicep-registry-modules#7130).
- Everything else of a pool is an update in place: neither forceNewMap nor the ARM spec
  (no `x-ms-mutability` on agent-pool properties, aks/stable/2025-09-01) marks the autoscaler
  (`enableAutoScaling`, `minCount`, `maxCount`, `count`), `upgradeSettings` or the cluster's
  `autoScalerProfile`. A property the program's `ignoreChanges` names (an autoscaled pool's
  `count`) is no change at all: tools.plan.diff marks it "ignored".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Effect = Literal["replace", "refused"]

K8S_FORCE_NEW = "pulumi-kubernetes forceNewProperties (provider/pkg/provider/diff.go)"
AZURE_FORCE_NEW = "pulumi-azure-native forceNewMap (provider/pkg/gen/replacement.go)"
POOL_SIZE_REFUSED = (
    "AKS refuses to change an existing pool's VM size (PropertyChangeNotAllowed), and "
    "azure-native updates inline pools in place (pulumi-azure-native#2774): add a new pool instead"
)

# Set when a pool is created, never changed: host encryption "can only be set at cluster or
# node pool creation time" (AKS docs, articles/aks/enable-host-encryption.md), and "you can't
# change the OS disk size after cluster or node pool creation" (articles/aks/concepts-storage.md;
# the OS disk type likewise, ARM's osDiskType description: "May not be changed after creation").
# azure-native sends the change as an update (inline pools: pulumi-azure-native#2774; neither
# property is in its forceNewMap), which AKS refuses.
_POOL_CREATE_ONLY = ("enableEncryptionAtHost", "osDiskType", "osDiskSizeGB")
POOL_CREATE_ONLY = (
    "AKS sets this only when a pool is created and refuses to change it, and azure-native "
    "updates the pool in place: create a new pool (for the inline System pool, a new cluster)"
)

# Zones are set when a pool is created: "You can't change the number of availability zones after
# you create a node pool" (AKS docs, articles/aks/reliability-availability-zones-configure.md,
# ms.date 03/26/2026). azure-native would send the change as an update (availabilityZones is not
# in its forceNewMap), so the program replaces its AgentPools on it (replace_on_changes,
# components/node_pools.py); the inline System pool cannot be replaced without the cluster.
POOL_ZONES_REPLACED = (
    "AKS cannot change a pool's zones, so the program replaces the pool (replace_on_changes, "
    "deleted first): its sandboxes stop until the new pool's nodes are Ready"
)
POOL_ZONES_REFUSED = (
    "AKS cannot change a pool's zones, and the inline System pool is updated in place "
    "(pulumi-azure-native#2774): it takes a new cluster"
)

_POD_SPEC = (
    "affinity", "automountServiceAccountToken", "dnsConfig", "dnsPolicy", "enableServiceLinks",
    "hostAliases", "hostIPC", "hostNetwork", "hostPID", "hostname", "imagePullSecrets",
    "nodeName", "nodeSelector", "overhead", "preemptionPolicy", "priority", "priorityClassName",
    "readinessGates", "restartPolicy", "runtimeClassName", "schedulerName", "securityContext",
    "serviceAccount", "serviceAccountName", "shareProcessNamespace", "subdomain",
    "terminationGracePeriodSeconds", "volumes",
)  # fmt: skip
_CONTAINER = (
    "args", "command", "env", "image", "imagePullPolicy", "lifecycle", "livenessProbe", "ports",
    "readinessProbe", "resources", "securityContext", "stdin", "stdinOnce",
    "terminationMessagePath", "terminationMessagePolicy", "tty", "volumeDevices", "volumeMounts",
    "workingDir",
)  # fmt: skip


@dataclass(frozen=True)
class ReplaceRule:
    type_prefix: str  # resource type, or a prefix such as "kubernetes:" for every kind
    path: str  # property path, `[*]` for any list index; covers everything below it
    effect: Effect
    reason: str


RULES: tuple[ReplaceRule, ...] = (
    *(ReplaceRule("kubernetes:", f"metadata.{p}", "replace", K8S_FORCE_NEW)
      for p in ("name", "namespace")),
    *(ReplaceRule("kubernetes:core/v1:Pod", f"spec.{p}", "replace", K8S_FORCE_NEW)
      for p in _POD_SPEC),
    *(ReplaceRule("kubernetes:core/v1:Pod", f"spec.{c}[*].{p}", "replace", K8S_FORCE_NEW)
      for c in ("containers", "initContainers") for p in _CONTAINER),
    ReplaceRule("azure-native:resources:ResourceGroup", "location", "replace", AZURE_FORCE_NEW),
    *(ReplaceRule("azure-native:containerservice:ManagedCluster", p, "replace", AZURE_FORCE_NEW)
      for p in ("location", "dnsPrefix", "fqdnSubdomain", "linuxProfile", "windowsProfile",
                "nodeResourceGroup", "diskEncryptionSetID", "networkProfile.networkPlugin",
                "networkProfile.networkPluginMode", "networkProfile.networkPolicy",
                "networkProfile.networkDataplane", "networkProfile.podCidr",
                "networkProfile.serviceCidr", "networkProfile.serviceCidrs",
                "networkProfile.dnsServiceIP", "networkProfile.networkMode",
                "networkProfile.outboundType")),
    ReplaceRule("azure-native:containerservice:ManagedCluster", "agentPoolProfiles[*].vmSize",
                "refused", POOL_SIZE_REFUSED),
    *(ReplaceRule("azure-native:containerservice:ManagedCluster", f"agentPoolProfiles[*].{p}",
                  "refused", POOL_CREATE_ONLY)
      for p in _POOL_CREATE_ONLY),
    *(ReplaceRule("azure-native:containerservice:AgentPool", p, "refused", POOL_CREATE_ONLY)
      for p in _POOL_CREATE_ONLY),
    *(ReplaceRule("azure-native:containerservice:AgentPool", p, "replace", AZURE_FORCE_NEW)
      for p in ("vmSize", "gpuInstanceProfile")),
    ReplaceRule("azure-native:containerservice:AgentPool", "availabilityZones", "replace",
                POOL_ZONES_REPLACED),
    ReplaceRule("azure-native:containerservice:ManagedCluster",
                "agentPoolProfiles[*].availabilityZones", "refused", POOL_ZONES_REFUSED),
)  # fmt: skip

_INDEX = re.compile(r"\[\d+\]")


def replace_rule(resource_type: str, path: str) -> ReplaceRule | None:
    """The rule a change of `path` (e.g. `spec.containers[0].image`) falls under, if any."""
    generic = _INDEX.sub("[*]", path)
    for rule in RULES:
        if resource_type.startswith(rule.type_prefix) and (
            generic == rule.path or generic.startswith((rule.path + ".", rule.path + "["))
        ):
            return rule
    return None
