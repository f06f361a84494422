"""A fenced namespace's egress: the NetworkPolicy that allows what its profile lists, and the
ranges no allow-list entry may open. Pure data.

Every namespace also has a default-deny policy (sandboxing.workload.default_deny); this one adds
the allowed egress. The ranges fenced off (`FENCED`) are the Azure host endpoints and the
cluster's own pod and Service ranges:

- An entry that lies INSIDE one of them opens nothing else, so it is refused, naming what it
  would open.
- An entry that CONTAINS some of them (`0.0.0.0/0` for "the internet", `10.0.0.0/8` for a
  corporate network) keeps them out with the ipBlock's `except`, the NetworkPolicy field made for
  this, which AKS's own guidance uses for the metadata endpoint (articles/aks/
  operator-best-practices-cluster-security.md: `except: [169.254.169.254/32]`). CIDRs either
  nest or do not overlap, so the carve-out is exact; refusing such entries instead would make
  users split `0.0.0.0/0` by hand into dozens of ranges around five holes, which fences nothing
  better.

What plain NetworkPolicy cannot fence (docs/tenants.md "What stays out of scope"): the pod's own
node (always reachable, kubernetes.io/docs/concepts/services-networking/network-policies), the
other nodes' subnet (not known offline, see catalog), and whether a Service's ClusterIP is
matched before or after it is translated to a pod address (implementation-defined; the pod
range's carve-out covers the translated address).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from sandboxing import catalog
from sandboxing.config.settings import Problem
from sandboxing.fences.profile import DNS_COREDNS, FenceProfile
from sandboxing.placeholders import documentation_range
from sandboxing.workload import Manifest

EGRESS_POLICY = "allow-egress"
DNS_PORT = 53
# CoreDNS on AKS: pods labelled k8s-app=kube-dns in kube-system (articles/aks/
# coredns-troubleshoot.md); both selectors in ONE peer, so they must both match.
DNS_PEER = {
    "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
    "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
}


@dataclass(frozen=True)
class FencedRange:
    network: ipaddress.IPv4Network
    what: str  # what a pod could reach there, for messages


def fenced_ranges(
    pod_cidr: str = catalog.AKS_POD_CIDR, service_cidr: str = catalog.AKS_SERVICE_CIDR
) -> tuple[FencedRange, ...]:
    """The ranges no sandboxed pod may reach, for a cluster with these pod and Service ranges."""
    metadata = catalog.INSTANCE_METADATA_ADDRESS
    local_dns = " and ".join(catalog.LOCAL_DNS_ADDRESSES)
    return (
        FencedRange(
            ipaddress.IPv4Network(catalog.LINK_LOCAL_RANGE),
            f"the link-local range {catalog.LINK_LOCAL_RANGE}: the instance metadata endpoint "
            f"{metadata} (node identity and tokens) and AKS LocalDNS ({local_dns})",
        ),
        FencedRange(
            ipaddress.IPv4Network(f"{catalog.AZURE_HOST_ADDRESS}/32"),
            f"the Azure host endpoint {catalog.AZURE_HOST_ADDRESS} (WireServer: the VM agent's "
            "channel, platform DNS, health probes)",
        ),
        FencedRange(
            ipaddress.IPv4Network(pod_cidr),
            f"the cluster's pod range {pod_cidr} (every other namespace's pods)",
        ),
        FencedRange(
            ipaddress.IPv4Network(service_cidr),
            f"the cluster's Service range {service_cidr} (every Service in the cluster, the "
            "API server's included)",
        ),
    )


FENCED = fenced_ranges()


def parse_cidr(cidr: str) -> ipaddress.IPv4Network | str:
    """The network, or why `cidr` is not an IPv4 CIDR."""
    try:
        return ipaddress.IPv4Network(cidr, strict=True)
    except ValueError as error:
        return f"is not an IPv4 CIDR ({error}), e.g. 203.0.113.0/24"


def cidr_problem(cidr: str, fenced: tuple[FencedRange, ...] = FENCED) -> str | None:
    """Why an egress entry may not be allowed (it is not a CIDR, or all of it is fenced off);
    None when it may (the fenced ranges inside it are carved out)."""
    network = parse_cidr(cidr)
    if isinstance(network, str):
        return network
    for each in fenced:
        if network.subnet_of(each.network):
            return (
                f"would open {each.what}, which no sandboxed pod may reach; allow addresses "
                f"outside {each.network} (an entry holding it keeps it out with except)"
            )
    return None


def egress_problems(key: str, cidrs: tuple[str, ...], reached_by: str) -> list[Problem]:
    """An allow-list's entries that may not be allowed (errors), then those in a documentation
    range (warnings: `reached_by`, e.g. "the tenant's pods", reach nothing through them)."""
    problems = [
        Problem(key, cidr, message) for cidr in cidrs if (message := cidr_problem(cidr)) is not None
    ]
    for cidr in cidrs:
        if cidr_problem(cidr) is None and (reserved := documentation_range(cidr)):
            message = (
                f"{reserved}, reserved for documentation: no real address does, so {reached_by} "
                "reach nothing through it; list the addresses they must reach"
            )
            problems.append(Problem(key, cidr, message, "warning"))
    return problems


def carved_out(cidr: str, fenced: tuple[FencedRange, ...] = FENCED) -> list[str]:
    """The fenced ranges inside an allowed entry: its ipBlock's `except`."""
    network = parse_cidr(cidr)
    if isinstance(network, str):
        return []
    return [str(f.network) for f in fenced if f.network.subnet_of(network) and f.network != network]


def egress_policy(
    profile: FenceProfile, fenced: tuple[FencedRange, ...] = FENCED
) -> Manifest | None:
    """What the namespace's pods may reach; None when nothing (default-deny alone)."""
    rules: list[dict[str, Any]] = []
    if profile.dns == DNS_COREDNS:
        ports = [{"protocol": protocol, "port": DNS_PORT} for protocol in ("UDP", "TCP")]
        rules.append({"to": [DNS_PEER], "ports": ports})
    if profile.egress_cidrs:
        peers = []
        for cidr in profile.egress_cidrs:
            block: dict[str, Any] = {"cidr": cidr}
            if holes := carved_out(cidr, fenced):
                block["except"] = holes
            peers.append({"ipBlock": block})
        rule: dict[str, Any] = {"to": peers}
        if profile.egress_ports:
            rule["ports"] = [{"protocol": p.protocol, "port": p.port} for p in profile.egress_ports]
        rules.append(rule)
    if not rules:
        return None
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": EGRESS_POLICY, "namespace": profile.namespace},
        "spec": {"podSelector": {}, "policyTypes": ["Egress"], "egress": rules},
    }
