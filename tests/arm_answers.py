"""What Azure Resource Manager answers, as the preflight's tests need it (shared helpers)."""

from __future__ import annotations

from typing import Any


def sku(name: str, family: str, vcpus: int, **extra: Any) -> dict[str, Any]:
    """A resource SKU as Microsoft.Compute/skus (2021-07-01) lists it."""
    return {
        "resourceType": "virtualMachines",
        "name": name,
        "tier": "Standard",
        "family": family,
        "locations": ["westeurope"],
        "locationInfo": [{"location": "westeurope", "zones": ["1", "2", "3"]}],
        "capabilities": [
            {"name": "vCPUs", "value": str(vcpus)},
            {"name": "HyperVGenerations", "value": "V1,V2"},
        ],
        "restrictions": [],
        **extra,
    }
