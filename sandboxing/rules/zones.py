"""Rules for availability zones: only where the region has them, each zone once, and pools that
are big enough to be in every zone they name.

What no offline check can know: whether each VM size is offered in those zones for this
subscription (sandboxing.zones.pool_zones lists what a live check has to ask).
"""

from __future__ import annotations

from sandboxing import azure_regions
from sandboxing.config.key import Rule
from sandboxing.config.settings import Problem, Settings
from sandboxing.pool_scaling import PoolScale, kata_scale, user_scale
from sandboxing.zones import KEY, duplicates


def region_problems(zones: tuple[str, ...], location: str, where: str) -> list[Problem]:
    """Zones in a public-cloud region the list says has none (`where`: whose region it is)."""
    if not zones or not azure_regions.is_region(location) or azure_regions.has_zones(location):
        return []  # no zones, or a region the location rule reports (or a sovereign cloud's)
    message = (
        f"{where} {location} has no availability zones (Azure's region list of "
        f"{azure_regions.ZONE_REGIONS_AS_OF}, learn.microsoft.com/azure/reliability/regions-list; "
        "if the region has gained zones since, that page says so): leave availabilityZones "
        "empty, or use a region with zones (e.g. westeurope, eastus2)"
    )
    return [Problem(KEY, list(zones), message)]


def _smaller_than_zones(pool: PoolScale, name: str, zones: int) -> list[Problem]:
    """A fixed pool with fewer nodes than zones. An autoscaled pool's size is the autoscaler's
    (it may well be 0 by choice); docs/capacity.md says what a small minimum gives up."""
    if pool.autoscaling or pool.initial >= zones or not pool.in_range:
        return []
    message = (
        f"gives the {name} {pool.initial} node(s) for {zones} availability zones: AKS spreads a "
        "pool's nodes over its zones, so some zones have none and a zone outage can take every "
        "node of the pool"
    )
    return [Problem(pool.key("count"), pool.initial, message, "warning")]


def check_availability_zones(settings: Settings) -> list[Problem]:
    zones = settings.availability_zones
    if not zones:
        return []
    repeated = duplicates(zones)
    if repeated:
        message = f"names zone {', '.join(repeated)} more than once; name each zone once"
        return [Problem(KEY, list(zones), message)]
    public = settings.cloud.public
    # An existing cluster's region is its own: checked when it is looked up (existing_cluster).
    if public and not settings.existing_cluster:
        problems = region_problems(zones, settings.location, "the region")
        if problems:
            return problems
    pools = [(kata_scale(settings), "Kata pool")]
    if settings.user_pool:
        pools.append((user_scale(settings), "User pool"))
    found = [p for pool, name in pools for p in _smaller_than_zones(pool, name, len(zones))]
    if not settings.existing_cluster and not settings.kata_on_system_pool:
        count = settings.system_node_count
        system = PoolScale("system", False, count, count, count, system_mode=True)
        found += _smaller_than_zones(system, "System pool", len(zones))
    return found


AVAILABILITY_ZONES = Rule("availability-zones", check_availability_zones)
