"""What the stack needs from its Azure subscription, as plain data for the preflight. Pure.

The subscription preflight (components/preflight.py, cloud/preflight.py) checks these during
`pulumi preview` and `pulumi up`, before anything is created: the resource providers and
subscription features the stack's resources need, the VM sizes of every pool the stack creates
(offered in the region, not restricted for the subscription, with vCPU quota for the pools at
their largest: sandboxing.sizing.pool_sizes), and the Kubernetes version with its support plan.
The needs travel as the preflight resource's inputs, so the provider process gets them as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandboxing import catalog
from sandboxing.config.settings import Settings
from sandboxing.pool_scaling import kata_surge_nodes
from sandboxing.workload import kata_pool_name
from sandboxing.zones import pool_zones

# Every resource the program creates is of one of these (ManagedCluster, AgentPool; the VMs, disks
# and the load balancer AKS creates for them). "Resource providers for Azure services"
# (learn.microsoft.com/azure/azure-resource-manager/management/azure-services-resource-providers)
# maps AKS to Microsoft.ContainerService; the others follow from what AKS creates.
BASE_PROVIDERS = ("Microsoft.ContainerService", "Microsoft.Compute", "Microsoft.Network")
# enableAzureMonitor: the Log Analytics workspace (Microsoft.OperationalInsights), the data
# collection rule, its association and the diagnostic setting (Microsoft.Insights).
MONITOR_PROVIDERS = ("Microsoft.OperationalInsights", "Microsoft.Insights")


@dataclass(frozen=True)
class FeatureNeed:
    namespace: str
    name: str
    required: bool  # False: its absence is a warning only
    why: str


ENCRYPTION_AT_HOST = FeatureNeed(
    "Microsoft.Compute",
    "EncryptionAtHost",
    True,
    "enableEncryptionAtHost: AKS refuses host encryption until the subscription has the feature "
    "(learn.microsoft.com/azure/aks/enable-host-encryption)",
)
# Not in the Pod Sandboxing page's history up to its ms.date 11/18/2025 revision (MicrosoftDocs/
# azure-aks-docs articles/aks/use-pod-sandboxing.md @ fb060abe, 2026-08-21: `git log -S` finds
# it in no revision); a later revision reportedly lists it as a prerequisite. Subscriptions
# without it have seen public IP creation fail with SubscriptionNotRegisteredForFeature
# (Azure/azure-cli#11954), and an AKS cluster creates a public IP for its load balancer.
BRING_YOUR_OWN_PUBLIC_IP = FeatureNeed(
    "Microsoft.Network",
    "AllowBringYourOwnPublicIpAddress",
    False,
    "not in the Pod Sandboxing docs as of Aug 2026, reportedly listed as a prerequisite by a "
    "later revision; public IP creation (the cluster's load balancer) has failed without it",
)


@dataclass(frozen=True)
class PoolNeed:
    key: str  # the config key of its VM size
    vm_size: str
    nodes: int  # at its largest
    name: str = ""  # the agent pool's name in ARM (system, katapool, userpool)
    # The availability zones the pool asks for (availabilityZones): the preflight checks the
    # size's zones and zone restrictions for the subscription (cloud/preflight_checks.py).
    zones: tuple[str, ...] = ()
    surge: int = 1  # nodes an upgrade adds while it runs (kataMaxSurge for the Kata pool)


@dataclass(frozen=True)
class PreflightNeeds:
    location: str
    providers: tuple[str, ...]
    features: tuple[FeatureNeed, ...]
    pools: tuple[PoolNeed, ...]
    kubernetes_version: str  # empty: AKS's default, not checked
    support_plan: str
    existing_cluster: bool
    # The cluster, when its names are configured: the preflight reads its pools, so a deployed
    # stack's nodes are not counted twice against the quota. Empty: auto-named, not looked up.
    resource_group: str = ""
    cluster_name: str = ""

    def as_inputs(self) -> dict[str, Any]:
        """JSON for the preflight resource's inputs (and, in state, for the next run)."""
        return {
            "location": self.location,
            "providers": list(self.providers),
            "features": [
                {"namespace": f.namespace, "name": f.name, "required": f.required, "why": f.why}
                for f in self.features
            ],
            "pools": [
                {
                    "key": p.key,
                    "vm_size": p.vm_size,
                    "nodes": p.nodes,
                    "name": p.name,
                    "zones": list(p.zones),
                    "surge": p.surge,
                }
                for p in self.pools
            ],
            "kubernetes_version": self.kubernetes_version,
            "support_plan": self.support_plan,
            "existing_cluster": self.existing_cluster,
            "resource_group": self.resource_group,
            "cluster_name": self.cluster_name,
        }

    @classmethod
    def from_inputs(cls, data: dict[str, Any]) -> PreflightNeeds:
        """Back from the inputs; numbers arrive as floats (a protobuf Struct)."""
        return cls(
            location=str(data["location"]),
            providers=tuple(data.get("providers") or ()),
            features=tuple(
                FeatureNeed(f["namespace"], f["name"], bool(f["required"]), f.get("why", ""))
                for f in data.get("features") or ()
            ),
            pools=tuple(
                PoolNeed(
                    p["key"],
                    p["vm_size"],
                    int(p["nodes"]),
                    str(p.get("name") or ""),
                    tuple(p.get("zones") or ()),
                    int(p.get("surge", 1)),
                )
                for p in data.get("pools") or ()
            ),
            kubernetes_version=str(data.get("kubernetes_version") or ""),
            support_plan=str(data.get("support_plan") or ""),
            existing_cluster=bool(data.get("existing_cluster")),
            resource_group=str(data.get("resource_group") or ""),
            cluster_name=str(data.get("cluster_name") or ""),
        )


def preflight_needs(settings: Settings, location: str = "") -> PreflightNeeds:
    """The stack's needs; `location`: the existing cluster's region (clusterMode existing may
    leave azure-native:location unset)."""
    providers: tuple[str, ...] = BASE_PROVIDERS
    if settings.enable_azure_monitor and not settings.existing_cluster:
        providers += MONITOR_PROVIDERS
    features: list[FeatureNeed] = []
    if settings.enable_encryption_at_host:
        features.append(ENCRYPTION_AT_HOST)
    if not settings.existing_cluster:
        features.append(BRING_YOUR_OWN_PUBLIC_IP)
    return PreflightNeeds(
        location=settings.location or location,
        providers=providers,
        features=tuple(features),
        pools=tuple(
            PoolNeed(
                p.key,
                p.vm_size,
                p.most_nodes,
                _pool_name(p.key, settings),
                p.zones,
                kata_surge_nodes(settings) if p.key == "kataNodeVmSize" else 1,
            )
            for p in pool_zones(settings)
        ),
        kubernetes_version=settings.kubernetes_version,
        support_plan=settings.support_plan,
        existing_cluster=settings.existing_cluster,
        resource_group=settings.resource_group_name,
        cluster_name=settings.cluster_name,
    )


def _pool_name(key: str, settings: Settings) -> str:
    """The ARM name of the pool whose size `key` sets."""
    names = {
        "systemNodeVmSize": catalog.SYSTEM_POOL_NAME,
        "kataNodeVmSize": kata_pool_name(settings),
        "userNodeVmSize": catalog.USER_POOL_NAME,
    }
    return names.get(key, "")
