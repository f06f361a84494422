"""The existing cluster an offline plan checks a `clusterMode: existing` stack against.

Offline there is no Azure to look the cluster up in. Without a description the plan assumes a
cluster that passes the program's checks (sandboxing.rules.existing_cluster): the configured
`kubernetesVersion`, else the highest of the minimums that apply (the Kata runtime's; with
tenants, the admission policy's); one System pool whose
name differs from the Kata pool's; Microsoft Entra integration only when configured. The plan
says so in every format. `--existing-cluster FILE.json` describes the real cluster instead:

    {"kubernetesVersion": "1.31.2",                      # required
     "pools": ["nodepool1", {"name": "katapool", "tags": {"pod-sandboxing-stack": "p/s"}}],
     "entra": false}                                     # optional: pools, entra
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandboxing import catalog
from sandboxing.config.settings import Settings
from tools.harness import existing_cluster_state
from tools.harness.mock_cloud import SYSTEM_POOL

ASSUMED = "assumed"


@dataclass(frozen=True)
class OfflineCluster:
    """What getManagedCluster answers offline, and where that answer came from."""

    source: str  # ASSUMED, or the path of the file that described it
    resource_group_name: str
    cluster_name: str
    kubernetes_version: str
    pools: tuple[dict[str, Any], ...]
    entra: bool
    version_reason: str = ""  # why an assumed cluster runs kubernetes_version

    @property
    def assumed(self) -> bool:
        return self.source == ASSUMED

    def state(self) -> dict[str, Any]:
        """The cluster in ARM's camelCase shape, as the mock engine answers the lookup."""
        state = existing_cluster_state(
            self.resource_group_name,
            self.cluster_name,
            self.kubernetes_version,
            [dict(p) for p in self.pools],
        )
        if self.entra:
            state["aadProfile"] = {"managed": True}
        return state

    def mock_clusters(self) -> dict[tuple[str, str], dict[str, Any]]:
        return {(self.resource_group_name, self.cluster_name): self.state()}

    def describe(self) -> dict[str, Any]:
        """The plan's `existingCluster` field."""
        return {
            "source": self.source,
            "assumed": self.assumed,
            "resourceGroupName": self.resource_group_name,
            "clusterName": self.cluster_name,
            "kubernetesVersion": self.kubernetes_version,
            "pools": [p["name"] for p in self.pools],
            "entra": self.entra,
            "kubernetesVersionReason": self.version_reason,
        }


def assumed_version(settings: Settings) -> tuple[str, str]:
    """The Kubernetes version an assumed cluster runs, and why: the configured one, else the
    highest minimum that applies, so the assumption passes every version check."""
    if settings.kubernetes_version:
        return settings.kubernetes_version, "the configured kubernetesVersion"
    runtime = catalog.KATA_GA  # the pool this program adds is always a GA Kata pool
    minimums = [(runtime.min_kubernetes, f"the lowest version {runtime.workload_runtime} supports")]
    if settings.tenants:
        tenants = "the lowest version tenants need (ValidatingAdmissionPolicy v1)"
        minimums.append((catalog.ADMISSION_POLICY_MIN_KUBERNETES, tenants))
    version, reason = max(minimums)
    return catalog.version_text(version), reason


def assumed_cluster(settings: Settings) -> OfflineCluster:
    version, reason = assumed_version(settings)
    pool_name = "nodepool1" if settings.kata_node_pool_name != "nodepool1" else "nodepool2"
    return OfflineCluster(
        ASSUMED,
        settings.resource_group_name,
        settings.cluster_name,
        version,
        ({"name": pool_name, **SYSTEM_POOL},),
        settings.entra_enabled,
        reason,
    )


def _pool(item: Any) -> dict[str, Any]:
    if isinstance(item, str) and item:
        return {"name": item, **SYSTEM_POOL}
    if isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"]:
        return {**SYSTEM_POOL, **item}
    raise ValueError(f"each pool must be a name or an object with a name, not {item!r}")


def described_cluster(settings: Settings, path: Path) -> OfflineCluster:
    """The cluster FILE.json describes; ValueError (saying what is wrong) for a bad file."""
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"--existing-cluster {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("kubernetesVersion"), str):
        raise ValueError(
            f'--existing-cluster {path}: expected {{"kubernetesVersion": "1.31.2", '
            '"pools": ["nodepool1"], "entra": false}'
        )
    pools = data.get("pools", ["nodepool1"])
    entra = data.get("entra", False)
    if not isinstance(pools, list) or not isinstance(entra, bool):
        raise ValueError(f"--existing-cluster {path}: pools must be a list, entra true or false")
    try:
        parsed = tuple(_pool(item) for item in pools)
    except ValueError as exc:
        raise ValueError(f"--existing-cluster {path}: {exc}") from exc
    return OfflineCluster(
        str(path),
        settings.resource_group_name,
        settings.cluster_name,
        data["kubernetesVersion"],
        parsed,
        entra,
    )


def existing_cluster_text(described: dict[str, Any]) -> str:
    """One sentence for the text and Markdown formats."""
    reason = described.get("kubernetesVersionReason")
    why = f" ({reason})" if described["assumed"] and reason else ""
    what = (
        f"Kubernetes {described['kubernetesVersion']}{why}, node pools: "
        f"{', '.join(described['pools']) or 'none'}, Microsoft Entra integration: "
        f"{'on' if described['entra'] else 'off'}"
    )
    where = f"{described['resourceGroupName']}/{described['clusterName']}"
    if described["assumed"]:
        return (
            f"Existing cluster {where} ASSUMED, not looked up (no Azure offline): {what}. "
            "Describe the real one with --existing-cluster FILE.json."
        )
    return f"Existing cluster {where} as described in {described['source']}: {what}."
