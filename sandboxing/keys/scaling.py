"""Capacity that follows demand: the cluster autoscaler on the Kata and User pools, its
cluster-wide profile, and the availability zones of the pools (docs/capacity.md)."""

from __future__ import annotations

from sandboxing import catalog, pool_scaling
from sandboxing.agent_sandbox.capacity import SANDBOX_CAPACITY
from sandboxing.config.key import ConfigKey, Unused
from sandboxing.config.kinds import Between, EachItem, Minutes, OneOf
from sandboxing.config.settings import Settings
from sandboxing.pool_scaling import autoscaled_new_cluster_pools
from sandboxing.rules.production import EPHEMERAL_OS_DISK
from sandboxing.rules.scaling import CLUSTER_NODES, POOL_SCALING
from sandboxing.rules.upgrades import KATA_UPGRADE
from sandboxing.rules.zones import AVAILABILITY_ZONES
from sandboxing.tenants.capacity_rule import TENANT_CAPACITY
from sandboxing.zones import ZONE_NUMBERS, read_zones

MAX = catalog.MAX_NODES_PER_POOL


def _kata_fixed(settings: Settings) -> bool:
    return not settings.kata_enable_auto_scaling


def _user_fixed(settings: Settings) -> bool:
    return not settings.user_pool or not settings.user_enable_auto_scaling


def _no_autoscaled_pool(settings: Settings) -> bool:
    return not autoscaled_new_cluster_pools(settings)


KATA_FIXED = Unused(_kata_fixed, "without kataEnableAutoScaling: true", unchecked=True)
USER_FIXED = Unused(
    _user_fixed,
    "without userEnableAutoScaling: true (and the User pool of systemPoolCriticalAddonsOnly)",
    unchecked=True,
)
NO_AUTOSCALED_POOL = Unused(
    _no_autoscaled_pool,
    "without an autoscaled pool in a cluster the program creates (kataEnableAutoScaling or "
    "userEnableAutoScaling, clusterMode new); an existing cluster keeps its own profile",
    unchecked=True,
)
# ARM's descriptions of the autoscaler profile (aks/stable/2025-09-01 managedClusters.json) and
# AKS's defaults table (articles/aks/cluster-autoscaler.md, ms.date 07/30/2026) agree on these.
PROFILE = "Cluster autoscaler profile (every autoscaled pool of the cluster; new mode): "
SLOW_PROVISION = (
    "is shorter than a new Kata node usually takes (VM provisioning alone is typically 2-5 "
    "min, AKS docs concepts-scale.md): the autoscaler would give up on nodes still coming and "
    "back off from the pool for up to 30 minutes"
)
EXPANDERS = ("random", "least-waste", "most-pods", "priority")

# Laid out by hand (fmt: skip): each key's name, type and default on one line reads as a table;
# the formatter would split them one per line.
KEYS: tuple[ConfigKey, ...] = (
    ConfigKey(
        "kataEnableAutoScaling", "boolean", False,
        "Let the cluster autoscaler size the Kata pool (with placement system: the System pool) "
        "between kataNodeMinCount and kataNodeMaxCount; kataNodeCount is then its initial size.",
        rules=(POOL_SCALING.allows(), CLUSTER_NODES.allows(), AVAILABILITY_ZONES.allows(),
               KATA_UPGRADE.allows(), EPHEMERAL_OS_DISK.allows(), TENANT_CAPACITY.allows(),
               SANDBOX_CAPACITY.allows()),
    ),
    ConfigKey(
        "kataNodeMinCount", "integer", 1,
        "Fewest Kata nodes the autoscaler keeps (kataEnableAutoScaling).",
        Between(0, MAX),
        rules=(POOL_SCALING.allows("at most kataNodeCount; at least 1 with kataPoolPlacement "
                                   "system (the System pool)"),
               AVAILABILITY_ZONES.allows(), CLUSTER_NODES.allows(), KATA_UPGRADE.allows(),
               EPHEMERAL_OS_DISK.allows(), TENANT_CAPACITY.allows(), SANDBOX_CAPACITY.allows()),
        unused=(KATA_FIXED,),
    ),
    ConfigKey(
        "kataNodeMaxCount", "integer", 3,
        "Most Kata nodes the autoscaler adds (kataEnableAutoScaling); quotas and node limits "
        "are checked at this size.",
        Between(1, MAX),
        rules=(POOL_SCALING.allows("at least kataNodeCount"),
               CLUSTER_NODES.allows("with skuTier Free, all pools at their largest within "
                                    f"{pool_scaling.FREE_TIER_MAX_NODES} nodes"),
               AVAILABILITY_ZONES.allows(), KATA_UPGRADE.allows(), EPHEMERAL_OS_DISK.allows(),
               TENANT_CAPACITY.allows(), SANDBOX_CAPACITY.allows()),
        unused=(KATA_FIXED,),
    ),
    ConfigKey(
        "userEnableAutoScaling", "boolean", False,
        "Let the cluster autoscaler size the User pool (systemPoolCriticalAddonsOnly) between "
        "userNodeMinCount and userNodeMaxCount; userNodeCount is then its initial size.",
        rules=(POOL_SCALING.allows(), CLUSTER_NODES.allows(), AVAILABILITY_ZONES.allows(),
               EPHEMERAL_OS_DISK.allows()),
        unused=(Unused(lambda s: not s.user_pool, "without systemPoolCriticalAddonsOnly: true",
                       unchecked=True),),
    ),
    ConfigKey(
        "userNodeMinCount", "integer", 1,
        "Fewest User nodes the autoscaler keeps (userEnableAutoScaling).",
        Between(0, MAX),
        rules=(POOL_SCALING.allows("at most userNodeCount"), AVAILABILITY_ZONES.allows(),
               CLUSTER_NODES.allows(), EPHEMERAL_OS_DISK.allows()),
        unused=(USER_FIXED,),
    ),
    ConfigKey(
        "userNodeMaxCount", "integer", 3,
        "Most User nodes the autoscaler adds (userEnableAutoScaling).",
        Between(1, MAX),
        rules=(POOL_SCALING.allows("at least userNodeCount"), CLUSTER_NODES.allows(),
               AVAILABILITY_ZONES.allows(), EPHEMERAL_OS_DISK.allows()),
        unused=(USER_FIXED,),
    ),
    ConfigKey(
        "autoscalerScaleDownDelayAfterAdd", "string", "10m",
        PROFILE + "how long after a scale-up before scale-down is considered again (AKS "
        "default 10m).",
        Minutes("10m"),
        unused=(NO_AUTOSCALED_POOL,),
    ),
    ConfigKey(
        "autoscalerScaleDownUnneededTime", "string", "10m",
        PROFILE + "how long a node must be unneeded before it is removed (AKS default 10m).",
        Minutes("10m"),
        unused=(NO_AUTOSCALED_POOL,),
    ),
    ConfigKey(
        "autoscalerExpander", "string", "random",
        PROFILE + "which pool a scale-up grows when several could (AKS default random).",
        OneOf(EXPANDERS, warnings={"priority": (
            "reads its priorities from a ConfigMap the program does not create "
            "(kubernetes/autoscaler cluster-autoscaler/FAQ.md, \"What are Expanders?\"); "
            "without it the autoscaler cannot rank the pools")}),
        unused=(NO_AUTOSCALED_POOL,),
    ),
    ConfigKey(
        "autoscalerMaxNodeProvisionTime", "string", "15m",
        PROFILE + "how long the autoscaler waits for a new node before it gives up on it (AKS "
        "default 15m).",
        Minutes("15m", low=1, warn_below=5, below=SLOW_PROVISION),
        unused=(NO_AUTOSCALED_POOL,),
    ),
    ConfigKey(
        "availabilityZones", "array", [],
        "Availability zones of every pool the program creates (empty: regional, no zones); set "
        "when a pool is created: a change replaces the Kata and User pools and is refused for "
        "the System pool.",
        EachItem(lambda zone: zone in ZONE_NUMBERS, "a list of `1`, `2`, `3`",
                 "zone numbers 1, 2 or 3"),
        rules=(AVAILABILITY_ZONES.allows("each once; only in a region with zones"),),
        read=read_zones,
    ),
)  # fmt: skip
