"""Availability zones of the pools the program creates: reading the `availabilityZones` key, and
which (VM size, zones) each pool needs, for a live check.

One list for every pool the program creates (like the OS disk keys): the System, Kata and User
pools of a new cluster, or the Kata pool alone on an existing one. Empty: a regional pool, no
zones asked for. Whether each size is offered in those zones for the subscription is known only
to Azure (`az vm list-skus --location <region> --size <size>`, or the Resource SKUs API's
`locationInfo[].zones` and `restrictions`): `pool_zones` is what such a check needs to ask.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandboxing.config.settings import Problem, Settings
from sandboxing.sizing import pool_sizes

ZONE_NUMBERS = ("1", "2", "3")  # logical zones; each subscription maps them to physical ones
KEY = "availabilityZones"


def read_zones(raw: Any) -> tuple[tuple[str, ...], list[Problem]]:
    """A list of zone numbers, as text or as YAML numbers (`- 1`); (), and the problem, else."""
    if not isinstance(raw, list) or not all(
        isinstance(item, str | int) and not isinstance(item, bool) for item in raw
    ):
        message = 'must be a list of zone numbers, e.g. ["1", "2", "3"] (empty: no zones)'
        return (), [Problem(KEY, raw, message)]
    return tuple(str(item).strip() for item in raw), []


def duplicates(zones: tuple[str, ...]) -> list[str]:
    return sorted({zone for zone in zones if zones.count(zone) > 1})


@dataclass(frozen=True)
class PoolZones:
    """One pool the stack creates and the zones its VM size must be offered in."""

    key: str  # the key naming its VM size, e.g. kataNodeVmSize
    vm_size: str
    zones: tuple[str, ...]  # empty: regional, any zone will do
    most_nodes: int = 0  # at its largest: what the vCPU quota must hold


def pool_zones(settings: Settings) -> list[PoolZones]:
    """Every pool the stack creates with the zones it asks for (all the same list)."""
    zones = settings.availability_zones
    return [PoolZones(p.key, p.vm_size, zones, p.most_nodes) for p in pool_sizes(settings)]
