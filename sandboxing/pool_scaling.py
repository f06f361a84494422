"""How big each pool the program creates may get: the cluster autoscaler's bounds, the node
limits of AKS, and how many surge nodes an upgrade adds. Facts with their sources, and arithmetic.

Facts (each true on the date given; AKS changes them):
- Per pool and per cluster: "Maximum nodes per node pool (Virtual Machine Scale Sets node pools):
  1000" and "Maximum nodes per cluster with Virtual Machine Scale Sets and Standard Load Balancer
  SKU: 5,000 across all node pools" (learn.microsoft.com/azure/aks/quotas-skus-regions, page
  ms.date 08/03/2026). The Free tier "Supports up to 1,000 nodes" and is "Recommended for clusters
  with fewer than 10 nodes"; Standard and Premium "up to 5,000 nodes"
  (MicrosoftDocs/azure-aks-docs articles/aks/free-standard-pricing-tiers.md, ms.date 07/06/2026).
- A System pool: ARM's `count` is "in the range of 1 to 1000 (inclusive) for system pools" and
  "0 to 1000 (inclusive) for user pools" (Azure/azure-rest-api-specs, containerservice
  aks/stable/2025-09-01/managedClusters.json, commit cd1a17dc). AKS's docs say more: "System pools
  must contain at least two nodes but the recommendation is three nodes" (articles/aks/
  use-system-pools.md, ms.date 04/30/2026), while their own autoscaler examples use
  `--min-count 1` on the default System pool (articles/aks/cluster-autoscaler.md, ms.date
  07/30/2026). The program refuses below the API's 1 (what this program's systemNodeCount already
  relies on) and warns below the docs' 2.
- Surge: an integer or a percentage of the pool, "A percent value is rounded up to the nearest
  node count. If the max surge value is higher than the required number of nodes to be upgraded,
  the number of nodes to be upgraded is used"; "If a node pool's current size plus the calculated
  surge count would exceed 1,000 instances, AKS rejects the upgrade before it starts"
  (articles/aks/upgrade-aks-node-pools-rolling.md, ms.date 05/29/2026).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from sandboxing import catalog
from sandboxing.config.settings import Settings

MAX_NODES_PER_POOL = catalog.MAX_NODES_PER_POOL
MAX_NODES_PER_CLUSTER = 5000
FREE_TIER_MAX_NODES = 1000
FREE_TIER_RECOMMENDED_NODES = 10  # "fewer than 10 nodes"
SYSTEM_POOL_MIN_NODES = 1  # ARM's minimum `count` of a System pool
SYSTEM_POOL_DOCS_MIN_NODES = 2  # use-system-pools.md: "must contain at least two nodes"

# An agent pool's maxSurge / maxUnavailable: a whole number, or a whole percentage.
COUNT_OR_PERCENT = re.compile(r"^(?P<number>\d+)(?P<percent>%?)$")
_KEY_SUFFIX = {"count": "NodeCount", "min": "NodeMinCount", "max": "NodeMaxCount"}


@dataclass(frozen=True)
class PoolScale:
    """One pool's size: fixed at `initial`, or autoscaled between `min_nodes` and `max_nodes`."""

    prefix: str  # of its keys: "kata" -> kataNodeCount, kataNodeMinCount, kataNodeMaxCount
    autoscaling: bool
    min_nodes: int
    initial: int  # the count sent at creation (with autoscaling, the autoscaler's start)
    max_nodes: int
    system_mode: bool = False  # the pool carries the System role (placement system)

    @property
    def in_range(self) -> bool:
        """Each number within its key's own range (a value out of it is that key's problem)."""
        lowest = [(self.initial, 1)]  # (count, its lowest value)
        if self.autoscaling:
            lowest += [(self.min_nodes, 0), (self.max_nodes, 1)]
        return all(low <= count <= MAX_NODES_PER_POOL for count, low in lowest)

    @property
    def largest(self) -> int:
        """The most nodes the pool can have: what quotas and node limits must hold."""
        return max(self.initial, self.max_nodes) if self.autoscaling else self.initial

    @property
    def smallest(self) -> int:
        return min(self.initial, self.min_nodes) if self.autoscaling else self.initial

    def key(self, which: str) -> str:
        """`count`, `min`, `max` -> the config key, e.g. kataNodeMaxCount."""
        return self.prefix + _KEY_SUFFIX[which]

    @property
    def sizing_key(self) -> str:
        """The key that decides its largest size: the maximum when autoscaled."""
        return self.key("max" if self.autoscaling else "count")


def kata_scale(settings: Settings) -> PoolScale:
    """The Kata pool: its own AgentPool, or with kataPoolPlacement system the System pool."""
    return PoolScale(
        "kata",
        settings.kata_enable_auto_scaling,
        settings.kata_node_min_count,
        settings.kata_node_count,
        settings.kata_node_max_count,
        system_mode=settings.kata_on_system_pool and not settings.existing_cluster,
    )


def user_scale(settings: Settings) -> PoolScale:
    """The User pool of systemPoolCriticalAddonsOnly."""
    return PoolScale(
        "user",
        settings.user_enable_auto_scaling,
        settings.user_node_min_count,
        settings.user_node_count,
        settings.user_node_max_count,
    )


def count_or_percent(text: str) -> tuple[int, bool] | None:
    """`"33%"` -> (33, True), `"2"` -> (2, False); None when it is neither."""
    match = COUNT_OR_PERCENT.match(text)
    if match is None:
        return None
    return int(match["number"]), bool(match["percent"])


def nodes_at_once(setting: str, pool_nodes: int) -> int:
    """How many nodes a maxSurge/maxUnavailable of `setting` means for a pool of `pool_nodes`:
    a percentage rounded up, and never more than the pool's nodes (AKS's rule above)."""
    parsed = count_or_percent(setting)
    if parsed is None:
        return 0
    number, percent = parsed
    wanted = math.ceil(pool_nodes * number / 100) if percent else number
    return min(wanted, pool_nodes)


def kata_surge_nodes(settings: Settings) -> int:
    """Surge nodes an upgrade of the Kata pool adds at its largest (kataMaxSurge)."""
    return nodes_at_once(settings.kata_max_surge, kata_scale(settings).largest)


def autoscaled_new_cluster_pools(settings: Settings) -> list[PoolScale]:
    """The autoscaled pools of a cluster the program creates: what the cluster's autoscaler
    profile applies to (an existing cluster keeps its own profile)."""
    if settings.existing_cluster:
        return []
    pools = [kata_scale(settings)]
    if settings.user_pool:
        pools.append(user_scale(settings))
    return [pool for pool in pools if pool.autoscaling]
