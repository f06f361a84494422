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

PORT = re.compile(r"^(\d{1,5})(?:/(TCP|UDP|SCTP))?$")
MAX_PODS = 10000


@dataclass(frozen=True)
class EgressPort:
    port: int
    protocol: str = "TCP"


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
    egress_cidrs: tuple[str, ...] = ()
    egress_ports: tuple[EgressPort, ...] = (EgressPort(443),)
    allow_dns: bool = True
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


OVERHEAD = f"{catalog.RUNTIME_CLASS_OVERHEAD_MIB}Mi"
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
    "egressCidrs": TenantField(
        read_strings,
        "a list of IPv4 CIDRs, none containing "
        f"{catalog.INSTANCE_METADATA_ADDRESS} (the instance metadata endpoint)",
    ),
    "egressPorts": TenantField(
        read_ports,
        "a list of ports 1-65535, each optionally /TCP, /UDP or /SCTP (default TCP); empty: "
        "every port",
    ),
    "allowDns": TenantField(read_boolean, "true or false"),
    "deployGroups": TenantField(
        read_strings, "a list of group names (Entra group object IDs when Entra is on)"
    ),
    "deployUsers": TenantField(
        read_strings, "a list of Kubernetes user names (not with Entra: name groups)"
    ),
}
DEFAULTS = Tenant(name="")


def attribute(field: str) -> str:
    """`maxPods` -> `max_pods`, the Tenant attribute of a config field."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", field).lower()


assert [attribute(name) for name in FIELDS] == [f.name for f in fields(Tenant)], (
    "FIELDS and Tenant differ"
)
