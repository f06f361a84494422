"""A fenced namespace's egress: the allow-list leaves the Azure host endpoints and the cluster's
own ranges out of every entry, DNS is what the profile says, and the policy is valid."""

from __future__ import annotations

import ipaddress
from dataclasses import replace
from typing import Any

import pytest
from strict_schema import validate_strict

from sandboxing import catalog
from sandboxing.fences.network import (
    FENCED,
    carved_out,
    cidr_problem,
    egress_policy,
    fenced_ranges,
)
from sandboxing.fences.profile import EgressPort
from sandboxing.tenants.fields import Tenant
from sandboxing.tenants.manifests import profile

# Every address no sandboxed pod may reach, as the catalog states them.
NEVER = [
    catalog.INSTANCE_METADATA_ADDRESS,
    catalog.AZURE_HOST_ADDRESS,
    *catalog.LOCAL_DNS_ADDRESSES,
    "10.244.0.7",
    "10.0.0.1",
    "10.0.0.10",
]


Blocks = list[tuple[ipaddress.IPv4Network, list[ipaddress.IPv4Network]]]


def allowed_addresses(policy: dict[str, Any]) -> Blocks:
    """(ipBlock cidr, except) of every ipBlock peer."""
    blocks: Blocks = []
    for rule in policy["spec"]["egress"]:
        for peer in rule["to"]:
            if "ipBlock" in peer:
                block = peer["ipBlock"]
                exceptions = [ipaddress.IPv4Network(e) for e in block.get("except", [])]
                blocks.append((ipaddress.IPv4Network(block["cidr"]), exceptions))
    return blocks


def reachable(policy: dict[str, Any], address: str) -> bool:
    ip = ipaddress.IPv4Address(address)
    return any(
        ip in cidr and not any(ip in hole for hole in holes)
        for cidr, holes in allowed_addresses(policy)
    )


@pytest.mark.parametrize("cidrs", [["0.0.0.0/0"], ["10.0.0.0/8", "168.63.0.0/16", "169.0.0.0/8"]])
def test_no_entry_reaches_the_host_endpoints_or_the_cluster(cidrs: list[str]) -> None:
    policy = egress_policy(profile(Tenant("a", egress_cidrs=tuple(cidrs))))
    assert policy is not None
    for address in NEVER:
        assert not reachable(policy, address), address
    # ...while what the entries were for stays open.
    assert reachable(policy, "10.1.2.3") and reachable(policy, "169.0.0.1")
    if cidrs == ["0.0.0.0/0"]:
        assert reachable(policy, "8.8.8.8") and reachable(policy, "168.63.129.17")
    validate_strict(policy, "1.33.0")


def test_the_internet_is_every_address_but_the_four_fenced_ranges() -> None:
    assert carved_out("0.0.0.0/0") == [
        "169.254.0.0/16",
        "168.63.129.16/32",
        "10.244.0.0/16",
        "10.0.0.0/16",
    ]
    assert carved_out("10.0.0.0/8") == ["10.244.0.0/16", "10.0.0.0/16"]
    assert carved_out("203.0.113.0/24") == []
    assert len(FENCED) == 4


def test_an_entry_beside_the_fenced_ranges_gets_no_except() -> None:
    policy = egress_policy(profile(Tenant("a", egress_cidrs=("10.20.0.0/16",))))
    assert policy is not None
    assert policy["spec"]["egress"] == [
        {"to": [{"ipBlock": {"cidr": "10.20.0.0/16"}}], "ports": [{"protocol": "TCP", "port": 443}]}
    ]


@pytest.mark.parametrize("cidr", ["10.0.0.0/16", "10.0.5.0/24", "169.254.169.254/32"])
def test_an_entry_inside_a_fenced_range_opens_nothing_else_and_is_refused(cidr: str) -> None:
    message = cidr_problem(cidr)
    assert message is not None and message.startswith("would open ")


def test_an_existing_clusters_own_ranges_are_fenced_instead() -> None:
    fenced = fenced_ranges(pod_cidr="192.168.0.0/16", service_cidr="172.16.0.0/16")
    assert cidr_problem("192.168.4.0/24", fenced) is not None
    assert carved_out("0.0.0.0/0", fenced)[2:] == ["192.168.0.0/16", "172.16.0.0/16"]


def test_dns_none_allows_no_resolver_and_coredns_only_the_kube_dns_pods() -> None:
    quiet = profile(Tenant("a"))
    assert quiet.dns == "none" and egress_policy(quiet) is None  # default-deny alone
    with_dns = egress_policy(replace(quiet, dns="coredns"))
    assert with_dns is not None
    (rule,) = with_dns["spec"]["egress"]
    # One peer with both selectors: the kube-dns pods IN kube-system, not either.
    assert rule["to"] == [
        {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
            "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
        }
    ]
    assert rule["ports"] == [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]


def test_ports_apply_to_the_cidrs_and_an_empty_list_means_every_port() -> None:
    ports = replace(
        profile(Tenant("a", egress_cidrs=("203.0.113.0/24",))),
        egress_ports=(EgressPort(5432), EgressPort(53, "UDP")),
    )
    policy = egress_policy(ports)
    assert policy is not None
    assert policy["spec"]["egress"][0]["ports"] == [
        {"protocol": "TCP", "port": 5432},
        {"protocol": "UDP", "port": 53},
    ]
    every = egress_policy(replace(ports, egress_ports=()))
    assert every is not None and "ports" not in every["spec"]["egress"][0]
