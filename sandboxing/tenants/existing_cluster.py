"""What tenants need of a cluster someone already runs, once it is looked up: its version, Entra
subjects, and egress that stays out of its own pod and Service ranges."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sandboxing import catalog
from sandboxing.config.settings import Problem, Settings
from sandboxing.fences.network import parse_cidr
from sandboxing.tenants.config import _subject_problems, field_key, version_problems


def existing_cluster_problems(settings: Settings, cluster: dict[str, Any]) -> list[Problem]:
    """What tenants need of a looked-up existing cluster: its version, and Entra subjects."""
    if not settings.tenants:
        return []
    version = cluster.get("currentKubernetesVersion") or cluster.get("kubernetesVersion") or ""
    problems = [
        replace(p, message=f"runs Kubernetes {version}; {p.message}")
        for p in version_problems(settings, version, "clusterName", settings.cluster_name)
    ]
    if cluster.get("aadProfile"):
        for index, tenant in enumerate(settings.tenants):
            problems += _subject_problems(index, tenant, entra=True)
    return problems + _cluster_range_problems(settings, cluster.get("networkProfile"))


def _cluster_range_problems(settings: Settings, network: dict[str, Any] | None) -> list[Problem]:
    """The egress policy leaves out the ARM default pod and Service ranges; a cluster with
    other ranges must not have them opened by an egress entry either. (With Azure CNI without
    overlay pods take VNet addresses, which no profile field names: not checked.)"""
    if not network:
        return []
    fenced = {"pod": catalog.AKS_POD_CIDR, "Service": catalog.AKS_SERVICE_CIDR}
    ranges = []
    for kind, key in (("pod", "podCidrs"), ("Service", "serviceCidrs")):
        for cidr in network.get(key) or []:
            parsed = parse_cidr(cidr) if ":" not in cidr else cidr  # IPv6: no IPv4 entry reaches
            if not isinstance(parsed, str) and cidr != fenced[kind]:
                ranges.append((kind, parsed))
    problems = []
    for index, tenant in enumerate(settings.tenants):
        for entry in tenant.egress_cidrs:
            network_entry = parse_cidr(entry)
            for kind, cluster_range in ranges:
                if not isinstance(network_entry, str) and network_entry.overlaps(cluster_range):
                    problems.append(
                        Problem(
                            field_key(index, "egressCidrs"),
                            entry,
                            f"overlaps {settings.cluster_name}'s {kind} range {cluster_range} "
                            f"(not the default {fenced[kind]} the egress policy leaves out): "
                            "list ranges "
                            f"outside {cluster_range}",
                        )
                    )
    return problems
