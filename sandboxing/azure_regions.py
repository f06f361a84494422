"""Azure public-cloud regions, as data: what `azure-native:location` may name.

The names are the `name` of every location with `regionType: Physical` that Azure Resource
Manager's Subscriptions "List Locations" API returns, i.e. what
`az account list-locations --query "[?metadata.regionType=='Physical'].name"` prints. Snapshot of
2026-03-12 from Azure/terraform-azurerm-avm-utl-regions, modules/cached-data/locations.tf.json
(refreshed by that repository's update-data workflow from
`GET /subscriptions/{id}/locations?api-version=2023-07-01`). Logical locations such as `europe`
or `unitedstates` are left out: resources cannot be placed in them.

Sovereign clouds (usgovernment, china; chosen by azure-native:environment or the environment, see
sandboxing/azure_clouds.py) have regions of their own that this list does not hold; the location
rule is skipped there.
"""

from __future__ import annotations

import difflib

PUBLIC_CLOUD_REGIONS: frozenset[str] = frozenset(
    (
        "australiacentral",
        "australiacentral2",
        "australiaeast",
        "australiasoutheast",
        "austriaeast",
        "belgiumcentral",
        "brazilsouth",
        "brazilsoutheast",
        "canadacentral",
        "canadaeast",
        "centralindia",
        "centralus",
        "centraluseuap",
        "chilecentral",
        "denmarkeast",
        "eastasia",
        "eastus",
        "eastus2",
        "eastus2euap",
        "eastusstg",
        "francecentral",
        "francesouth",
        "germanynorth",
        "germanywestcentral",
        "indonesiacentral",
        "israelcentral",
        "italynorth",
        "japaneast",
        "japanwest",
        "jioindiacentral",
        "jioindiawest",
        "koreacentral",
        "koreasouth",
        "malaysiawest",
        "mexicocentral",
        "newzealandnorth",
        "northcentralus",
        "northeurope",
        "norwayeast",
        "norwaywest",
        "polandcentral",
        "qatarcentral",
        "southafricanorth",
        "southafricawest",
        "southcentralus",
        "southcentralusstg",
        "southeastasia",
        "southindia",
        "spaincentral",
        "swedencentral",
        "switzerlandnorth",
        "switzerlandwest",
        "uaecentral",
        "uaenorth",
        "uksouth",
        "ukwest",
        "westcentralus",
        "westeurope",
        "westindia",
        "westus",
        "westus2",
        "westus3",
    )
)


def normalize_location(value: str) -> str:
    """ARM accepts display names too ("West Europe"): compare without case and spaces."""
    return value.replace(" ", "").lower()


def is_region(value: str) -> bool:
    return normalize_location(value) in PUBLIC_CLOUD_REGIONS


def closest_regions(value: str, count: int = 1) -> list[str]:
    """The region names spelled most like `value`, best first; [] when none is close."""
    spelled = normalize_location(value).replace("-", "").replace("_", "")
    return difflib.get_close_matches(spelled, sorted(PUBLIC_CLOUD_REGIONS), n=count, cutoff=0.6)


# --- Availability zones ----------------------------------------------------------------------

# Public-cloud regions with availability zones: the "All" table of MicrosoftDocs/reliability-docs
# articles/reliability/regions-list.md (ms.date 09/23/2025; read at commit e92155a1 of
# 2026-08-20), rows with "Availability zone support". Azure adds zones to regions over time, so
# a region missing here may have gained them since: the refusal says where to look. Whether a VM
# size is offered in a zone differs per subscription (`az vm list-skus --location <region>
# --size <size>` shows its zones and restrictions), which no offline check can know.
ZONE_REGIONS_AS_OF = "2025-09-23"
ZONE_REGIONS: frozenset[str] = frozenset(
    (
        "australiaeast",
        "austriaeast",
        "belgiumcentral",
        "brazilsouth",
        "canadacentral",
        "centralindia",
        "centralus",
        "chilecentral",
        "denmarkeast",
        "eastasia",
        "eastus",
        "eastus2",
        "francecentral",
        "germanywestcentral",
        "indiasouthcentral",
        "indonesiacentral",
        "israelcentral",
        "italynorth",
        "japaneast",
        "japanwest",
        "koreacentral",
        "malaysiawest",
        "mexicocentral",
        "newzealandnorth",
        "northeurope",
        "norwayeast",
        "polandcentral",
        "qatarcentral",
        "southafricanorth",
        "southcentralus",
        "southeastasia",
        "spaincentral",
        "swedencentral",
        "switzerlandnorth",
        "uaenorth",
        "uksouth",
        "westeurope",
        "westus2",
        "westus3",
    )
)


def has_zones(location: str) -> bool:
    return normalize_location(location) in ZONE_REGIONS
