"""Tenant sandboxes in the stack config: the `tenants` list, parsed and checked. Pure data.

`tenants` is a list of objects in the stack file (`Pulumi.yaml` declares `type: array` with
`items: {type: object}`, which the Pulumi CLI's `ValidateConfigValue` checks item by item; the
fields themselves are checked here). Fields may arrive typed or as text: `pulumi config set
--path 'tenants[0].maxPods' 10` stores the integer 10, a quoted YAML '10' the text (pulumi/pulumi
sdk/go/common/resource/config/value.go `coerceObject`). Every problem names `tenants[i].field`.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from dataclasses import dataclass, fields, replace
from typing import Any

from sandboxing import catalog
from sandboxing.config.contract import Problem, Settings, camel
from sandboxing.names import DNS1123_LABEL, DNS1123_LABEL_MAX, GUID, parse_kubernetes_version
from sandboxing.quantities import cpu_millicores, memory_mib

KEY = "tenants"
PORT = re.compile(r"^(\d{1,5})(?:/(TCP|UDP|SCTP))?$")
RESERVED_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
# Subjects that would hand a tenant's namespace to everybody.
EVERYBODY = ("system:unauthenticated", "system:anonymous", "system:authenticated")
MAX_PODS = 10000


@dataclass(frozen=True)
class EgressPort:
    port: int
    protocol: str = "TCP"


@dataclass(frozen=True)
class Tenant:
    """One tenant sandbox; field names are the config's, in snake_case."""

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


# Config field name -> Tenant field name, in the order the README documents them.
FIELDS = {camel(f.name): f.name for f in fields(Tenant)}
DEFAULTS = Tenant(name="")
# What each field allows, for the messages and the docs.
ALLOWED = {
    "name": "a DNS-1123 label (1-63 lower-case letters, digits, '-'): the tenant's namespace",
    "cpuQuota": "a CPU quantity > 0, e.g. 2 or 1500m",
    "memoryQuota": "a memory quantity such as 4Gi (each pod counts its memory limit plus the "
    f"{catalog.RUNTIME_CLASS_OVERHEAD_MIB}Mi Kata overhead)",
    "maxPods": f"a whole number 1-{MAX_PODS}",
    "podCpu": "a CPU quantity > 0, e.g. 500m or 1",
    "podMemory": f"a memory quantity >= {catalog.MIN_POD_VM_MEMORY_MIB}Mi, e.g. 1Gi",
    "egressCidrs": "a list of IPv4 CIDRs, none containing "
    f"{catalog.INSTANCE_METADATA_ADDRESS} (the instance metadata endpoint)",
    "egressPorts": "a list of ports 1-65535, each optionally /TCP, /UDP or /SCTP (default TCP); "
    "empty: every port",
    "allowDns": "true or false",
    "deployGroups": "a list of group names (Entra group object IDs when Entra is on)",
    "deployUsers": "a list of Kubernetes user names (not with Entra: name groups)",
}


def field_key(index: int, name: str | None = None) -> str:
    return f"{KEY}[{index}]" + (f".{name}" if name else "")


def _text(value: Any) -> str | None:
    """A scalar as the text a quantity is written in (`--path` stores `2` as a number)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return value.strip() if isinstance(value, str) else None


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
        return int(value)
    return None


def _boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    return {"true": True, "false": False}.get(value) if isinstance(value, str) else None


def _strings(value: Any) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    return tuple(v.strip() for v in value)


def _ports(value: Any) -> tuple[EgressPort, ...] | None:
    if not isinstance(value, list):
        return None
    ports = []
    for item in value:
        text = _text(item)
        m = PORT.match(text.upper()) if text else None
        if not m or not 1 <= int(m[1]) <= 65535:
            return None
        ports.append(EgressPort(int(m[1]), m[2] or "TCP"))
    return tuple(ports)


_CONVERT = {
    "name": _text, "cpu_quota": _text, "memory_quota": _text, "max_pods": _integer,
    "pod_cpu": _text, "pod_memory": _text, "egress_cidrs": _strings, "egress_ports": _ports,
    "allow_dns": _boolean, "deploy_groups": _strings, "deploy_users": _strings,
}  # fmt: skip


def parse_tenant(index: int, raw: Any) -> tuple[Tenant, list[Problem]]:
    """One list item; a bad field is reported and keeps its default, so checks go on."""
    if not isinstance(raw, dict):
        return DEFAULTS, [
            Problem(field_key(index), raw, "must be an object with at least a name, e.g. "
                    f"pulumi config set --path '{field_key(index, 'name')}' team-a")
        ]  # fmt: skip
    problems = []
    values: dict[str, Any] = {}
    for key, value in raw.items():
        attribute = FIELDS.get(key)
        if attribute is None:
            meant = difflib.get_close_matches(key, list(FIELDS), n=1, cutoff=0.6)
            hint = f"did you mean {meant[0]}?" if meant else "fields: " + ", ".join(FIELDS)
            problems.append(Problem(field_key(index, key), value,
                                    f"is not a tenant field; {hint}"))  # fmt: skip
            continue
        converted = _CONVERT[attribute](value)
        if converted is None:
            problems.append(Problem(field_key(index, key), value, f"must be {ALLOWED[key]}"))
        else:
            values[attribute] = converted
    return replace(DEFAULTS, **values), problems


def parse_tenants(raw: Any) -> tuple[tuple[Tenant, ...], list[Problem]]:
    """The `tenants` value (a list, or None when unset) as tenants and every parse problem."""
    if raw is None:
        return (), []
    if not isinstance(raw, list | tuple):
        return (), [Problem(KEY, raw, "must be a list of tenant objects")]
    tenants, problems = [], []
    for index, item in enumerate(raw):
        tenant, found = parse_tenant(index, item)
        tenants.append(tenant)
        problems += found
    return tuple(tenants), problems


def tenants_of(settings: Settings) -> tuple[Tenant, ...]:
    """The configured tenants (the checks in `check_tenants` ran before anything uses them)."""
    return parse_tenants(list(settings.tenants))[0]


def _name_problems(index: int, tenant: Tenant, settings: Settings, seen: set[str]) -> list[Problem]:
    key, name = field_key(index, "name"), tenant.name
    if not name:
        return [Problem(key, name, "is required: " + ALLOWED["name"])]
    if len(name) > DNS1123_LABEL_MAX or not DNS1123_LABEL.match(name):
        return [Problem(key, name, "must be " + ALLOWED["name"])]
    if name in RESERVED_NAMESPACES or name.startswith("kube-"):
        return [Problem(key, name, "is a namespace Kubernetes itself uses; choose another")]
    if name == settings.pod_namespace:
        return [Problem(key, name, "is the demo pair's namespace (podNamespace); choose another")]
    if name in seen:
        return [Problem(key, name, "is already the name of an earlier tenant")]
    seen.add(name)
    return []


def _size_problems(index: int, tenant: Tenant) -> list[Problem]:
    problems = []
    for field, value in (("cpuQuota", tenant.cpu_quota), ("podCpu", tenant.pod_cpu)):
        millicores = cpu_millicores(value)
        if millicores is None or millicores <= 0:
            problems.append(Problem(field_key(index, field), value, "must be " + ALLOWED[field]))
    for field, value in (("memoryQuota", tenant.memory_quota), ("podMemory", tenant.pod_memory)):
        mib = memory_mib(value)
        too_small = mib is not None and (
            mib < catalog.MIN_POD_VM_MEMORY_MIB if field == "podMemory" else mib <= 0
        )
        if mib is None or too_small:
            problems.append(Problem(field_key(index, field), value, "must be " + ALLOWED[field]))
    if not 1 <= tenant.max_pods <= MAX_PODS:
        problems.append(
            Problem(field_key(index, "maxPods"), tenant.max_pods, "must be " + ALLOWED["maxPods"])
        )
    return problems


def _egress_problems(index: int, tenant: Tenant) -> list[Problem]:
    problems = []
    metadata = ipaddress.IPv4Address(catalog.INSTANCE_METADATA_ADDRESS)
    for cidr in tenant.egress_cidrs:
        key = field_key(index, "egressCidrs")
        try:
            network = ipaddress.IPv4Network(cidr, strict=True)
        except ValueError as error:
            problems.append(Problem(key, cidr, f"is not an IPv4 CIDR ({error}), e.g. 10.0.0.0/8"))
            continue
        if metadata in network:
            problems.append(Problem(
                key, cidr,
                f"contains {metadata}, the instance metadata endpoint (node identity and "
                "tokens); list narrower ranges that leave out 169.254.0.0/16",
            ))  # fmt: skip
    return problems


def _subject_problems(index: int, tenant: Tenant, entra: bool) -> list[Problem]:
    problems = []
    for field, names in (("deployGroups", tenant.deploy_groups),
                         ("deployUsers", tenant.deploy_users)):  # fmt: skip
        key = field_key(index, field)
        for name in names:
            if not name or any(c.isspace() or not c.isprintable() for c in name):
                problems.append(Problem(key, name, "must be a non-empty name without spaces"))
            elif name in EVERYBODY:
                problems.append(Problem(key, name, "would let everybody deploy into the "
                                        "tenant's namespace; name the tenant's group"))  # fmt: skip
            elif entra and field == "deployGroups" and not GUID.match(name):
                problems.append(Problem(key, name, "must be a Microsoft Entra group object ID "
                                        "(GUID): Entra integration is on"))  # fmt: skip
        if entra and field == "deployUsers" and names:
            problems.append(Problem(key, list(names), "with Entra integration on, name Entra "
                                    "groups (object IDs) in deployGroups instead"))  # fmt: skip
    return problems


def version_problems(settings: Settings, version_text: str, key: str, value: str) -> list[Problem]:
    """Tenants need ValidatingAdmissionPolicy v1; an empty version is AKS's default, which is
    newer than 1.30 in every supported AKS release."""
    version = parse_kubernetes_version(version_text)
    if not settings.tenants or version is None:
        return []  # no tenants, AKS's default version, or a malformed one (reported elsewhere)
    minimum = catalog.ADMISSION_POLICY_MIN_KUBERNETES
    if version >= minimum:
        return []
    wanted = "{}.{}".format(*minimum)
    return [Problem(key, value, f"tenants need Kubernetes {wanted} or later: their pods are "
                    "kept in Kata VMs by a ValidatingAdmissionPolicy (admissionregistration.k8s.io"
                    f"/v1, GA in {wanted}); upgrade, or remove the tenants")]  # fmt: skip


def check_tenants(settings: Settings) -> list[Problem]:
    """Every problem of every tenant, then the cluster version they need."""
    tenants, problems = parse_tenants(list(settings.tenants))
    seen: set[str] = set()
    for index, tenant in enumerate(tenants):
        problems += _name_problems(index, tenant, settings, seen)
        problems += _size_problems(index, tenant)
        problems += _egress_problems(index, tenant)
        # new mode; an existing cluster's Entra is checked once it is looked up
        problems += _subject_problems(index, tenant, settings.entra_enabled)
    version = settings.kubernetes_version
    return problems + version_problems(settings, version, "kubernetesVersion", version)


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
        for index, tenant in enumerate(tenants_of(settings)):
            problems += _subject_problems(index, tenant, entra=True)
    return problems
