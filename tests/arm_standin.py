"""Azure Resource Manager as the stand-ins serve it to the real clients: a credential with one
fixed token, and the subscription preflight's reads (providers, a feature, SKUs in pages, vCPU
usages, Kubernetes versions) answered as ARM answers a ready subscription."""

from __future__ import annotations

import time
from typing import Any

from arm_bodies import TENANT, jwt, sku, usage
from azure.core.credentials import AccessToken
from standins import Reply, Request

from cloud.preflight import SKUS_API


class StaticCredential:
    """A TokenCredential that hands out one fixed token (no identity involved) and keeps the
    scopes it was asked for."""

    def __init__(self, token: str) -> None:
        self.token, self.scopes = token, []  # type: list[tuple[str, ...]]

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        self.scopes.append(scopes)
        return AccessToken(self.token, int(time.time()) + 3600)


SUB = "11111111-2222-3333-4444-555555555555"
TOKEN = jwt(
    {
        "tid": TENANT,
        "aud": "https://management.core.usgovcloudapi.net",
        "exp": int(time.time()) + 3600,
    }
)
BASE = f"/subscriptions/{SUB}/providers"
SKUS = f"{BASE}/Microsoft.Compute/skus"
USAGES = f"{BASE}/Microsoft.Compute/locations/westeurope/usages"
VERSIONS = f"{BASE}/Microsoft.ContainerService/locations/westeurope/kubernetesVersions"
FEATURES = f"{BASE}/Microsoft.Features/providers"
BYOIP = f"{FEATURES}/Microsoft.Network/features/AllowBringYourOwnPublicIpAddress"


def provider(namespace: str, state: str = "Registered") -> Reply:
    return Reply(
        200,
        {
            "id": f"{BASE}/{namespace}",
            "namespace": namespace,
            "registrationState": state,
            "registrationPolicy": "RegistrationRequired",
            "resourceTypes": [],
        },
    )


def feature(full: str, state: str) -> Reply:
    return Reply(
        200,
        {
            "name": full,
            "properties": {"state": state},
            "id": f"{BASE}/Microsoft.Features/providers/{full}",
            "type": "Microsoft.Features/providers/features",
        },
    )


def skus_paged(request: Request) -> Reply:
    """Two pages, as ARM pages a region's SKUs: the first names the second in nextLink."""
    host = request.headers["host"]
    if request.query.get("page") == ["2"]:
        return Reply(200, {"value": [sku("Standard_D4s_v3", "standardDSv3Family", 4)]})
    next_link = f"https://{host}{SKUS}?api-version={SKUS_API}&page=2"
    return Reply(
        200, {"value": [sku("Standard_D2s_v5", "standardDSv5Family", 2)], "nextLink": next_link}
    )


def usages(dsv3_used: int = 0, cores_limit: int = 100) -> Reply:
    return Reply(
        200,
        {
            "value": [
                usage("cores", "Total Regional vCPUs", 0, cores_limit),
                usage("standardDSv3Family", "Standard DSv3 Family vCPUs", dsv3_used, 10),
                usage("standardDSv5Family", "Standard DSv5 Family vCPUs", 0, 10),
            ]
        },
    )


def versions(*entries: tuple[str, list[str]]) -> Reply:
    return Reply(
        200,
        {
            "values": [
                {
                    "version": v,
                    "capabilities": {"supportPlan": plans},
                    "patchVersions": {f"{v}.1": {"upgrades": []}},
                }
                for v, plans in entries
            ]
        },
    )


def healthy() -> dict[str, Any]:
    return {
        **{
            f"{BASE}/{ns}": provider(ns)
            for ns in ("Microsoft.ContainerService", "Microsoft.Compute", "Microsoft.Network")
        },
        BYOIP: feature("Microsoft.Network/AllowBringYourOwnPublicIpAddress", "NotRegistered"),
        SKUS: skus_paged,
        USAGES: usages(),
        VERSIONS: versions(
            ("1.35", ["KubernetesOfficial", "AKSLongTermSupport"]),
            ("1.36", ["KubernetesOfficial", "AKSLongTermSupport"]),
        ),
    }
