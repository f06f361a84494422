"""Rules for pools that follow demand: the autoscaler's bounds of each pool, and the nodes every
pool together may reach against AKS's per-cluster limits (facts in sandboxing.pool_scaling).

A pool's own bounds (0-1000 for a minimum, 1-1000 for a maximum) are its keys' own checks;
these rules need more than one key. With autoscaling the count a pool is created with is the
autoscaler's start, so min <= count <= max (AKS refuses a count outside the bounds).
"""

from __future__ import annotations

from sandboxing import pool_scaling
from sandboxing.config.key import Rule
from sandboxing.config.settings import Problem, Settings
from sandboxing.pool_scaling import PoolScale, kata_scale, user_scale
from sandboxing.sizing import pool_sizes


def _bounds(pool: PoolScale, name: str) -> list[Problem]:
    if not pool.in_range:
        return []
    switch = f"{pool.prefix}EnableAutoScaling"
    low, count, high = pool.key("min"), pool.key("count"), pool.key("max")
    if pool.min_nodes > pool.max_nodes:
        message = f"is more than {high} ({pool.max_nodes}); the autoscaler needs min <= max"
        return [Problem(low, pool.min_nodes, message)]
    if not pool.min_nodes <= pool.initial <= pool.max_nodes:
        message = (
            f"is the {name}'s initial size with {switch} and must be between {low} "
            f"({pool.min_nodes}) and {high} ({pool.max_nodes})"
        )
        return [Problem(count, pool.initial, message)]
    if pool.min_nodes == pool.max_nodes:
        message = (
            f"equals {low}: the autoscaler cannot change the {name}'s size; raise {high} or set "
            f"{switch} false"
        )
        return [Problem(high, pool.max_nodes, message, "warning")]
    return []


def _system_role(pool: PoolScale) -> list[Problem]:
    """With placement system the Kata pool is the System pool: AKS keeps one at 1 node or more."""
    low = pool.key("min")
    if pool.min_nodes < pool_scaling.SYSTEM_POOL_MIN_NODES:
        message = (
            "cannot be 0 with kataPoolPlacement system: the Kata pool is then the cluster's "
            f"System pool, which AKS keeps at {pool_scaling.SYSTEM_POOL_MIN_NODES} node or more "
            "(ARM's count: 1-1000 for system pools); to let Kata scale to zero use "
            "kataPoolPlacement dedicated"
        )
        return [Problem(low, pool.min_nodes, message)]
    if pool.min_nodes < pool_scaling.SYSTEM_POOL_DOCS_MIN_NODES:
        message = (
            "lets the autoscaler shrink the cluster's System pool (kataPoolPlacement system) to "
            "one node, which then carries CoreDNS and every system pod alone; AKS's docs say "
            f'System pools "must contain at least two nodes": consider {low} '
            f"{pool_scaling.SYSTEM_POOL_DOCS_MIN_NODES} or more"
        )
        return [Problem(low, pool.min_nodes, message, "warning")]
    return []


def check_pool_scaling(settings: Settings) -> list[Problem]:
    """Each autoscaled pool: min <= count <= max, and a System pool never below one node."""
    problems: list[Problem] = []
    kata = kata_scale(settings)
    if kata.autoscaling:
        problems += _bounds(kata, "Kata pool")
        if kata.system_mode:
            problems += _system_role(kata)
    if settings.user_pool:
        user = user_scale(settings)
        if user.autoscaling:
            problems += _bounds(user, "User pool")
    return problems


def check_cluster_nodes(settings: Settings) -> list[Problem]:
    """Every pool at its largest against the Free tier's nodes per cluster.

    AKS's own 5000 per cluster (Standard, Premium) cannot be passed: the program creates at most
    three pools of at most 1000 nodes each (tests/sandboxing/rules/test_scaling.py keeps it so).
    """
    if settings.existing_cluster or settings.sku_tier != "Free":
        return []  # an existing cluster's other pools are not known offline
    pools = pool_sizes(settings)
    if any(not 1 <= pool.most_nodes <= pool_scaling.MAX_NODES_PER_POOL for pool in pools):
        return []  # a count out of its own range is that key's problem
    total = sum(pool.most_nodes for pool in pools)
    parts = " + ".join(f"{pool.most_nodes} ({pool.key})" for pool in pools)
    reach = f"the pools can reach {total} nodes together: {parts}"
    if total > pool_scaling.FREE_TIER_MAX_NODES:
        message = (
            f"supports up to {pool_scaling.FREE_TIER_MAX_NODES} nodes and {reach}: use skuTier "
            "Standard, or lower the pools' maxima"
        )
        return [Problem("skuTier", settings.sku_tier, message)]
    if total >= pool_scaling.FREE_TIER_RECOMMENDED_NODES:
        message = (
            f"is recommended by AKS for clusters with fewer than "
            f"{pool_scaling.FREE_TIER_RECOMMENDED_NODES} nodes, and {reach}: consider skuTier "
            "Standard (an uptime SLA for the API server the autoscaler works through)"
        )
        return [Problem("skuTier", settings.sku_tier, message, "warning")]
    return []


POOL_SCALING = Rule("pool-scaling", check_pool_scaling)
CLUSTER_NODES = Rule("cluster-nodes", check_cluster_nodes)
