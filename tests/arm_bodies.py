"""Azure Resource Manager's answers as the stand-ins send them: real error bodies (each quoted
from where it was captured), an Entra-ID-shaped token, resource SKUs and vCPU usages."""

from __future__ import annotations

import base64
import json
from typing import Any

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def jwt(claims: dict[str, object]) -> str:
    """A token shaped like Entra ID's (header.payload.signature, base64url without padding)."""

    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


# hashicorp/terraform-provider-azurerm#20867 (the response had X-Ms-Failure-Cause: gateway)
EXPIRED = {
    "error": {
        "code": "ExpiredAuthenticationToken",
        "message": (
            "The access token expiry UTC time '3/19/2023 8:55:46 AM' is earlier than current UTC "
            "time '3/19/2023 8:55:57 AM'."
        ),
    }
}
# Azure/BatchExplorer#2044
WRONG_TENANT = {
    "error": {
        "code": "InvalidAuthenticationTokenTenant",
        "message": (
            "The access token is from the wrong issuer 'https://sts.windows.net/t1/'. It must "
            "match the tenant 'https://sts.windows.net/t2/' associated with this subscription."
        ),
    }
}
# microsoft/azure-tools-for-java#2000
WRONG_AUDIENCE = {
    "error": {
        "code": "InvalidAuthenticationTokenAudience",
        "message": (
            "The access token has been obtained for wrong audience or resource "
            "'https://graph.windows.net/'."
        ),
    }
}
# The challenge ARM sends with a 401 (Azure/azure-sdk-for-python sdk/core/azure-mgmt-core/tests/
# test_authentication.py @ f4299dd3).
CHALLENGE = (
    'Bearer authorization_uri="https://login.windows.net/", error="invalid_token", '
    "error_description=\"The authentication failed because of missing 'Authorization' "
    'header."'
)


def forbidden(action: str, scope: str) -> dict[str, object]:
    """403 AuthorizationFailed, as captured in Azure/ARO-RP#66."""
    return {
        "error": {
            "code": "AuthorizationFailed",
            "message": (
                "The client 'b9bc1545-0000-0000-0000-000000000001' with object id "
                "'b9bc1545-0000-0000-0000-000000000001' does not have authorization to perform "
                f"action '{action}' over scope '{scope}' or the scope is invalid. If access was "
                "recently granted, please refresh your credentials."
            ),
        }
    }


def throttled(subscription: str, seconds: int) -> dict[str, object]:
    """429 with ARM's subscription throttling code (SubscriptionRequestsThrottled)."""
    return {
        "error": {
            "code": "SubscriptionRequestsThrottled",
            "message": (
                f"Number of 'read' requests for subscription '{subscription}' actor "
                "'b9bc1545-0000-0000-0000-000000000001' exceeded. Please try again after "
                f"'{seconds}' seconds after the additional tokens are available. Refer to "
                "https://aka.ms/arm-throttling for additional information."
            ),
        }
    }


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


def usage(name: str, label: str, used: int, limit: int) -> dict[str, Any]:
    """One vCPU quota as Microsoft.Compute/locations/{location}/usages lists it."""
    return {
        "unit": "Count",
        "currentValue": used,
        "limit": limit,
        "name": {"value": name, "localizedValue": label},
    }
