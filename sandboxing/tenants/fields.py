"""A tenant's fields: the `Tenant` model (types and defaults) and, per field, how its raw value
is read and what it allows. One home for a tenant field's contract; the checks that need more
than one field or the cluster are in `sandboxing.tenants.config`. Pure data.

Fields may arrive typed or as text: `pulumi config set --path 'tenants[0].maxPods' 10` stores the
integer 10, a quoted YAML '10' the text (pulumi/pulumi v3.259.0
sdk/go/common/resource/config/value.go `coerceObject`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from sandboxing import catalog
from sandboxing.fences.profile import DNS_COREDNS, DNS_MODES, DNS_NONE, EGRESS_ALLOWED, EgressPort
from sandboxing.names import snake

PORT = re.compile(r"^(\d{1,5})(?:/(TCP|UDP|SCTP))?$")
MAX_PODS = 10000
MAX_OBJECTS = 10000
MAX_VOLUME_CLAIMS = 1000


@dataclass(frozen=True)
class Tenant:
    """One tenant sandbox; field names are the config's, in snake_case; the defaults are the
    config's defaults."""

    name: str
    cpu_quota: str = "2"
    memory_quota: str = "4Gi"
    max_pods: int = 10
    pod_cpu: str = "1"
    pod_memory: str = "1Gi"
    pod_ephemeral_storage: str = "1Gi"
    ephemeral_storage_quota: str = "10Gi"
    storage_quota: str = "10Gi"
    max_volume_claims: int = 4
    # `default` is what a claim without a class gets on AKS; both are Standard SSD disks.
    storage_classes: tuple[str, ...] = ("default", "managed-csi")
    max_objects: int = 100
    egress_cidrs: tuple[str, ...] = ()
    egress_ports: tuple[EgressPort, ...] = (EgressPort(443),)
    dns: str = DNS_NONE
    csi_drivers: tuple[str, ...] = ()
    priority_classes: tuple[str, ...] = ()
    deploy_groups: tuple[str, ...] = ()
    deploy_users: tuple[str, ...] = ()

    @property
    def namespace(self) -> str:
        return self.name


def read_text(value: Any) -> str | None:
    """A scalar as the text a quantity is written in (`--path` stores `2` as a number)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return value.strip() if isinstance(value, str) else None


def read_integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
        return int(value)
    return None


def read_boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    return {"true": True, "false": False}.get(value) if isinstance(value, str) else None


def read_strings(value: Any) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    return tuple(v.strip() for v in value)


def read_dns(value: Any) -> str | None:
    text = read_text(value)
    return text.lower() if text and text.lower() in DNS_MODES else None


def read_ports(value: Any) -> tuple[EgressPort, ...] | None:
    if not isinstance(value, list):
        return None
    ports = []
    for item in value:
        text = read_text(item)
        m = PORT.match(text.upper()) if text else None
        if not m or not 1 <= int(m[1]) <= 65535:
            return None
        ports.append(EgressPort(int(m[1]), m[2] or "TCP"))
    return tuple(ports)


@dataclass(frozen=True)
class TenantField:
    """How one field's raw value is read (None: not of its type) and what it allows."""

    read: Callable[[Any], Any]
    allowed: str


@dataclass(frozen=True)
class RenamedField:
    """A field's older name, still read: its value becomes the new field's (`to`)."""

    to: str
    read: Callable[[Any], Any]
    allowed: str
    convert: Callable[[Any], Any]


OVERHEAD = f"{catalog.RUNTIME_CLASS_OVERHEAD_MIB}Mi"
ON_DISK = "its root filesystem, logs and disk-backed emptyDirs, on the Kata node's OS disk"
# Config field name -> its contract, in the order the docs list them (the Tenant's order).
FIELDS: dict[str, TenantField] = {
    "name": TenantField(
        read_text, "a DNS-1123 label (1-63 lower-case letters, digits, '-'): the tenant's namespace"
    ),
    "cpuQuota": TenantField(read_text, "a CPU quantity > 0, e.g. 2 or 1500m"),
    "memoryQuota": TenantField(
        read_text,
        f"a memory quantity such as 4Gi (each pod counts its memory limit plus the {OVERHEAD} "
        "Kata overhead)",
    ),
    "maxPods": TenantField(read_integer, f"a whole number 1-{MAX_PODS}"),
    "podCpu": TenantField(read_text, "a CPU quantity > 0, e.g. 500m or 1"),
    "podMemory": TenantField(
        read_text, f"a memory quantity >= {catalog.MIN_POD_VM_MEMORY_MIB}Mi, e.g. 1Gi"
    ),
    "podEphemeralStorage": TenantField(
        read_text,
        f"a storage quantity > 0, e.g. 1Gi: a container's ephemeral storage ({ON_DISK}) when it "
        "sets none; request = limit",
    ),
    "ephemeralStorageQuota": TenantField(
        read_text,
        "a storage quantity > 0, e.g. 10Gi: requests and limits of ephemeral storage of all its "
        "pods",
    ),
    "storageQuota": TenantField(
        read_text, "a storage quantity >= 0, e.g. 10Gi: all its PersistentVolumeClaims together"
    ),
    "maxVolumeClaims": TenantField(read_integer, f"a whole number 0-{MAX_VOLUME_CLAIMS}"),
    "storageClasses": TenantField(
        read_strings,
        "a list of storage class names its PersistentVolumeClaims may use (AKS's: "
        + ", ".join(catalog.AKS_STORAGE_CLASSES)
        + "); empty: none",
    ),
    "maxObjects": TenantField(
        read_integer,
        f"a whole number 1-{MAX_OBJECTS}: the most ConfigMaps, Secrets, Services, "
        "ServiceAccounts, Deployments, ReplicaSets, StatefulSets, Jobs, CronJobs and HPAs, each",
    ),
    "egressCidrs": TenantField(
        read_strings,
        f"a list of IPv4 CIDRs, {EGRESS_ALLOWED}",
    ),
    "egressPorts": TenantField(
        read_ports,
        "a list of ports 1-65535, each optionally /TCP, /UDP or /SCTP (default TCP); empty: "
        "every port",
    ),
    "dns": TenantField(
        read_dns,
        f"{DNS_NONE} (no name lookups) or {DNS_COREDNS} (the cluster's CoreDNS, which also "
        "forwards names outside the cluster upstream)",
    ),
    "csiDrivers": TenantField(
        read_strings,
        "a list of CSI driver names its pods may mount inline (volumes[].csi, mounted by the "
        "node), e.g. secrets-store.csi.k8s.io",
    ),
    "priorityClasses": TenantField(
        read_strings,
        "a list of PriorityClass names its pods may name, none starting with "
        f"{catalog.SYSTEM_PRIORITY_PREFIX}",
    ),
    "deployGroups": TenantField(
        read_strings, "a list of group names (Entra group object IDs when Entra is on)"
    ),
    "deployUsers": TenantField(
        read_strings, "a list of Kubernetes user names (not with Entra: name groups)"
    ),
}
# Older field names, still accepted (a value for the new name wins; both must agree).
RENAMED: dict[str, RenamedField] = {
    "allowDns": RenamedField(
        "dns",
        read_boolean,
        f"true or false (the older form of dns: true is {DNS_COREDNS}, false {DNS_NONE})",
        lambda allow: DNS_COREDNS if allow else DNS_NONE,
    ),
}
DEFAULTS = Tenant(name="")


assert [snake(name) for name in FIELDS] == [f.name for f in fields(Tenant)], (
    "FIELDS and Tenant differ"
)
