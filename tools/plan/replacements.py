"""Which property changes make Pulumi replace a resource (or make Azure refuse the update).

Data only, each entry with where it comes from. A changed property not listed here is reported
as a plain change: the offline diff cannot ask the providers, so it says only what is known.

Sources:
- pulumi-kubernetes, provider/pkg/provider/diff.go `forceNewProperties` (as of pulumi-kubernetes
  4.34.2): `.metadata.name` and
  `.metadata.namespace` of every kind; for a Pod the `forceNew` list below (containers via
  `containerForceNewProperties`). pulumi-kubernetes replaces such an object, deleting it first
  when its name is fixed.
- pulumi-azure-native, provider/pkg/gen/replacement.go `forceNewMap` @ 1b7112a (ContainerService
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
- pulumi-azure-native, provider/pkg/provider/diff.go `calculateDetailedDiff` (commit 03707ff):
  "All the parameters that are part of the resource path cause a replacement" (the resource
  group, the resource's own name, a parent's name, an extension resource's `resourceUri`).

How a replacement is carried out decides which dependents go with it (tools.plan.cascade):
pulumi-azure-native's `Diff` asks to delete first whenever it replaces, unless the resource was
named at random (provider/pkg/provider/provider.go, `deleteBeforeReplace := len(replaces) > 0`
and the `__createBeforeDelete` flag of auto-naming; commit 006a62a); pulumi-kubernetes deletes
first an object whose name is fixed; a Python dynamic resource is created first (its
`DiffResult.delete_before_replace` defaults to False).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

Effect = Literal["replace", "refused"]

K8S_FORCE_NEW = "pulumi-kubernetes forceNewProperties (provider/pkg/provider/diff.go)"
AZURE_FORCE_NEW = "pulumi-azure-native forceNewMap (provider/pkg/gen/replacement.go)"
POOL_SIZE_REFUSED = (
    "AKS refuses to change an existing pool's VM size (PropertyChangeNotAllowed), and "
    "azure-native updates inline pools in place (pulumi-azure-native#2774): add a new pool instead"
)

# Set when a pool is created, never changed: host encryption "can only be set at cluster or node
# pool creation time" (AKS docs, articles/aks/enable-host-encryption.md, ms.date 07/17/2023), and
# "you can't change the OS disk size after cluster or node pool creation"
# (articles/aks/concepts-storage.md, ms.date 07/30/2026; the OS disk type likewise, ARM's osDiskType
# description: "May not be changed after creation"). azure-native sends the change as an update
# (inline pools: pulumi-azure-native#2774; neither property is in its forceNewMap), which AKS
# refuses.
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
    "affinity",
    "automountServiceAccountToken",
    "dnsConfig",
    "dnsPolicy",
    "enableServiceLinks",
    "hostAliases",
    "hostIPC",
    "hostNetwork",
    "hostPID",
    "hostname",
    "imagePullSecrets",
    "nodeName",
    "nodeSelector",
    "overhead",
    "preemptionPolicy",
    "priority",
    "priorityClassName",
    "readinessGates",
    "restartPolicy",
    "runtimeClassName",
    "schedulerName",
    "securityContext",
    "serviceAccount",
    "serviceAccountName",
    "shareProcessNamespace",
    "subdomain",
    "terminationGracePeriodSeconds",
    "volumes",
)
_CONTAINER = (
    "args",
    "command",
    "env",
    "image",
    "imagePullPolicy",
    "lifecycle",
    "livenessProbe",
    "ports",
    "readinessProbe",
    "resources",
    "securityContext",
    "stdin",
    "stdinOnce",
    "terminationMessagePath",
    "terminationMessagePolicy",
    "tty",
    "volumeDevices",
    "volumeMounts",
    "workingDir",
)


@dataclass(frozen=True)
class ReplaceRule:
    type_prefix: str  # resource type, or a prefix such as "kubernetes:" for every kind
    path: str  # property path, `[*]` for any list index; covers everything below it
    effect: Effect
    reason: str


# The tables below are laid out by hand (fmt: skip): one rule, or one resource type, per line
# reads better than the formatter's one argument per line.
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

# Path parameters of the ARM resources the program creates (their API paths, e.g.
# .../managedClusters/{resourceName}/agentPools/{agentPoolName}), and which names the resource.
AZURE_PATH_PARAMETERS: dict[str, tuple[str, ...]] = {
    "azure-native:resources:ResourceGroup": ("resourceGroupName",),
    "azure-native:containerservice:ManagedCluster": ("resourceGroupName", "resourceName"),
    "azure-native:containerservice:AgentPool": (
        "resourceGroupName", "resourceName", "agentPoolName"),
    "azure-native:operationalinsights:Workspace": ("resourceGroupName", "workspaceName"),
    "azure-native:monitor:DataCollectionRule": ("resourceGroupName", "dataCollectionRuleName"),
    "azure-native:monitor:DataCollectionRuleAssociation": ("resourceUri", "associationName"),
    "azure-native:monitor:DiagnosticSetting": ("resourceUri", "name"),
}  # fmt: skip
AZURE_PATH_PARAMETER = (
    "pulumi-azure-native replaces a resource when a part of its ARM path changes "
    "(provider/pkg/provider/diff.go calculateDetailedDiff)"
)
RULES = (
    *RULES,
    *(
        ReplaceRule(resource_type, parameter, "replace", AZURE_PATH_PARAMETER)
        for resource_type, parameters in AZURE_PATH_PARAMETERS.items()
        for parameter in parameters
    ),
)

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


def replaces_when_unknown(resource_type: str, key: str) -> ReplaceRule | None:
    """The rule that makes a resource be replaced when its input `key` (a top-level input such
    as `spec` or `resourceName`) is unknown: one on `key` itself or on anything inside it."""
    if rule := replace_rule(resource_type, key):
        return rule if rule.effect == "replace" else None
    for rule in RULES:
        if (
            rule.effect == "replace"
            and resource_type.startswith(rule.type_prefix)
            and rule.path.startswith((key + ".", key + "["))
        ):
            return rule
    return None


def deletes_before_replace(resource_type: str, inputs: dict[str, Any]) -> bool:
    """Whether Pulumi deletes this resource before creating its replacement (see above)."""
    if resource_type.startswith("azure-native:"):
        parameters = AZURE_PATH_PARAMETERS.get(resource_type, ())
        own_name = parameters[-1] if parameters else None
        return own_name is None or inputs.get(own_name) is not None  # auto-named: create first
    if resource_type.startswith("kubernetes:"):
        return bool((inputs.get("metadata") or {}).get("name"))
    return False
