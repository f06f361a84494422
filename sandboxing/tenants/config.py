"""Tenant sandboxes in the stack config: the `tenants` list, read and checked. Pure data.

`tenants` is a list of objects in the stack file (`Pulumi.yaml` declares `type: array` with
`items: {type: object}`, which the Pulumi CLI's `ValidateConfigValue` checks item by item). Each
field's type, default and allowed values are in `sandboxing.tenants.fields`; the checks here
need more than one field, another key or the cluster. Every problem names `tenants[i].field`.
"""

from __future__ import annotations

import difflib
import ipaddress
from dataclasses import replace
from typing import Any

from sandboxing import catalog
from sandboxing.config.key import Rule
from sandboxing.config.settings import Problem, Settings
from sandboxing.names import DNS1123_LABEL, DNS1123_LABEL_MAX, GUID, parse_kubernetes_version
from sandboxing.placeholders import documentation_range
from sandboxing.quantities import cpu_millicores, memory_mib
from sandboxing.tenants.fields import DEFAULTS, FIELDS, MAX_PODS, Tenant, attribute

KEY = "tenants"
RESERVED_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
# Subjects that would hand a tenant's namespace to everybody.
EVERYBODY = ("system:unauthenticated", "system:anonymous", "system:authenticated")


def allowed(field: str) -> str:
    return FIELDS[field].allowed


def field_key(index: int, name: str | None = None) -> str:
    return f"{KEY}[{index}]" + (f".{name}" if name else "")


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
        field = FIELDS.get(key)
        if field is None:
            meant = difflib.get_close_matches(key, list(FIELDS), n=1, cutoff=0.6)
            hint = f"did you mean {meant[0]}?" if meant else "fields: " + ", ".join(FIELDS)
            problems.append(Problem(field_key(index, key), value,
                                    f"is not a tenant field; {hint}"))  # fmt: skip
            continue
        converted = field.read(value)
        if converted is None:
            problems.append(Problem(field_key(index, key), value, f"must be {field.allowed}"))
        else:
            values[attribute(key)] = converted
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


def _name_problems(index: int, tenant: Tenant, settings: Settings, seen: set[str]) -> list[Problem]:
    key, name = field_key(index, "name"), tenant.name
    if not name:
        return [Problem(key, name, "is required: " + allowed("name"))]
    if len(name) > DNS1123_LABEL_MAX or not DNS1123_LABEL.match(name):
        return [Problem(key, name, "must be " + allowed("name"))]
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
            problems.append(Problem(field_key(index, field), value, "must be " + allowed(field)))
    for field, value in (("memoryQuota", tenant.memory_quota), ("podMemory", tenant.pod_memory)):
        mib = memory_mib(value)
        too_small = mib is not None and (
            mib < catalog.MIN_POD_VM_MEMORY_MIB if field == "podMemory" else mib <= 0
        )
        if mib is None or too_small:
            problems.append(Problem(field_key(index, field), value, "must be " + allowed(field)))
    if not 1 <= tenant.max_pods <= MAX_PODS:
        problems.append(
            Problem(field_key(index, "maxPods"), tenant.max_pods, "must be " + allowed("maxPods"))
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
        elif reserved := documentation_range(cidr):
            problems.append(Problem(
                key, cidr,
                f"{reserved}, reserved for documentation: no real address does, so "
                "the tenant's pods reach nothing through it; list the addresses they must reach",
                "warning",
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
    """Every problem of every tenant (their fields were read with the key), then the cluster
    version they need."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, tenant in enumerate(settings.tenants):
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
        for index, tenant in enumerate(settings.tenants):
            problems += _subject_problems(index, tenant, entra=True)
    return problems


TENANTS = Rule("tenants", check_tenants)
