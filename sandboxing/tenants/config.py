"""Tenant sandboxes in the stack config: the `tenants` list, read and checked. Pure data.

`tenants` is a list of objects in the stack file (`Pulumi.yaml` declares `type: array` with
`items: {type: object}`, which the Pulumi CLI's `ValidateConfigValue` checks item by item). Each
field's type, default and allowed values are in `sandboxing.tenants.fields`; the checks here
need more than one field, another key or the cluster. Every problem names `tenants[i].field`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from typing import Any

from sandboxing import catalog
from sandboxing.config.key import Rule
from sandboxing.config.settings import Problem, Settings
from sandboxing.fences.cel import needs_admission_policies
from sandboxing.fences.network import egress_problems
from sandboxing.names import (
    DNS1123_LABEL,
    DNS1123_LABEL_MAX,
    DNS1123_SUBDOMAIN,
    DNS1123_SUBDOMAIN_MAX,
    GUID,
    snake,
)
from sandboxing.quantities import cpu_millicores, memory_mib
from sandboxing.tenants.fields import (
    DEFAULTS,
    FIELDS,
    MAX_OBJECTS,
    MAX_PODS,
    MAX_VOLUME_CLAIMS,
    RENAMED,
    Tenant,
)

KEY = "tenants"
RESERVED_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
# Subjects that would hand a tenant's namespace to everybody.
EVERYBODY = ("system:unauthenticated", "system:anonymous", "system:authenticated")
# A CSI driver's name as the Pod API validates it (kubernetes/kubernetes @ a7264f9
# pkg/apis/core/validation/validation.go ValidateCSIDriverName: at most 63 characters,
# alphanumerics, '-' and '.' between).
CSI_DRIVER_NAME = re.compile(r"^[a-zA-Z0-9]([-a-zA-Z0-9.]{0,61}[a-zA-Z0-9])?$")


def allowed(field: str) -> str:
    return FIELDS[field].allowed


def field_key(index: int, name: str | None = None) -> str:
    return f"{KEY}[{index}]" + (f".{name}" if name else "")


def parse_tenant(index: int, raw: Any) -> tuple[Tenant, list[Problem]]:
    """One list item; a bad field is reported and keeps its default, so checks go on."""
    if not isinstance(raw, dict):
        return DEFAULTS, [
            Problem(
                field_key(index),
                raw,
                "must be an object with at least a name, e.g. "
                f"pulumi config set --path '{field_key(index, 'name')}' team-a",
            )
        ]
    problems = []
    values: dict[str, Any] = {}
    for key, value in raw.items():
        field = FIELDS.get(key) or RENAMED.get(key)
        if field is None:
            meant = difflib.get_close_matches(key, list(FIELDS), n=1, cutoff=0.6)
            hint = f"did you mean {meant[0]}?" if meant else "fields: " + ", ".join(FIELDS)
            problems.append(Problem(field_key(index, key), value, f"is not a tenant field; {hint}"))
            continue
        converted = field.read(value)
        if converted is None:
            problems.append(Problem(field_key(index, key), value, f"must be {field.allowed}"))
        elif key in FIELDS:
            values[snake(key)] = converted
    problems += _renamed(index, raw, values)
    return replace(DEFAULTS, **values), problems


def _renamed(index: int, raw: dict[str, Any], values: dict[str, Any]) -> list[Problem]:
    """Older field names: their value becomes the new field's, unless that is set too (then
    they must agree). Fills `values`."""
    problems = []
    for key, old in RENAMED.items():
        converted = old.read(raw.get(key))
        if key not in raw or converted is None:
            continue  # absent, or reported above
        value = old.convert(converted)
        new = snake(old.to)
        if old.to not in raw:
            values[new] = value
        elif new in values and values[new] != value:
            problems.append(
                Problem(
                    field_key(index, key),
                    raw[key],
                    f"contradicts {old.to}: {raw[old.to]!r} (it means {old.to}: {value}); drop "
                    f"{key}, which {old.to} replaced",
                )
            )
    return problems


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
    for field, value, smallest in (
        ("podEphemeralStorage", tenant.pod_ephemeral_storage, 0),
        ("ephemeralStorageQuota", tenant.ephemeral_storage_quota, 0),
        ("storageQuota", tenant.storage_quota, None),  # 0: no persistent volumes
    ):
        mib = memory_mib(value)
        if mib is None or mib < 0 or (smallest is not None and mib <= smallest):
            problems.append(Problem(field_key(index, field), value, "must be " + allowed(field)))
    for field, count, lowest, highest in (
        ("maxPods", tenant.max_pods, 1, MAX_PODS),
        ("maxObjects", tenant.max_objects, 1, MAX_OBJECTS),
        ("maxVolumeClaims", tenant.max_volume_claims, 0, MAX_VOLUME_CLAIMS),
    ):
        if not lowest <= count <= highest:
            problems.append(Problem(field_key(index, field), count, "must be " + allowed(field)))
    return problems


def _allowance_problems(index: int, tenant: Tenant) -> list[Problem]:
    """The names the admission policies and the quota read: storage and priority classes,
    CSI drivers."""
    problems = []
    for field, names in (
        ("storageClasses", tenant.storage_classes),
        ("priorityClasses", tenant.priority_classes),
    ):
        for name in names:
            if len(name) > DNS1123_SUBDOMAIN_MAX or not DNS1123_SUBDOMAIN.match(name):
                problems.append(
                    Problem(
                        field_key(index, field),
                        name,
                        "is not a class name (a "
                        "DNS-1123 subdomain: lower-case letters, digits, '-', "
                        "'.')",
                    )
                )
            elif field == "priorityClasses" and name.startswith(catalog.SYSTEM_PRIORITY_PREFIX):
                problems.append(
                    Problem(
                        field_key(index, field),
                        name,
                        "is a class reserved for the cluster's own pods (priority above every user "
                        "class): a tenant pod with it would preempt them; name a class of at most "
                        f"{catalog.HIGHEST_USER_PRIORITY}",
                    )
                )
    for driver in tenant.csi_drivers:
        if not CSI_DRIVER_NAME.match(driver):
            problems.append(
                Problem(
                    field_key(index, "csiDrivers"),
                    driver,
                    "is not a CSI driver name (e.g. secrets-store.csi.k8s.io)",
                )
            )
    return problems


def _egress_problems(index: int, tenant: Tenant) -> list[Problem]:
    return egress_problems(
        field_key(index, "egressCidrs"), tenant.egress_cidrs, "the tenant's pods"
    )


def _subject_problems(index: int, tenant: Tenant, entra: bool) -> list[Problem]:
    problems = []
    for field, names in (
        ("deployGroups", tenant.deploy_groups),
        ("deployUsers", tenant.deploy_users),
    ):
        key = field_key(index, field)
        for name in names:
            if not name or any(c.isspace() or not c.isprintable() for c in name):
                problems.append(Problem(key, name, "must be a non-empty name without spaces"))
            elif name in EVERYBODY:
                problems.append(
                    Problem(
                        key,
                        name,
                        "would let everybody deploy into the "
                        "tenant's namespace; name the tenant's group",
                    )
                )
            elif entra and field == "deployGroups" and not GUID.match(name):
                problems.append(
                    Problem(
                        key,
                        name,
                        "must be a Microsoft Entra group object ID (GUID): Entra integration is on",
                    )
                )
        if entra and field == "deployUsers" and names:
            problems.append(
                Problem(
                    key,
                    list(names),
                    "with Entra integration on, name Entra "
                    "groups (object IDs) in deployGroups instead",
                )
            )
    return problems


def version_problems(settings: Settings, version_text: str, key: str, value: str) -> list[Problem]:
    """Tenants need ValidatingAdmissionPolicy v1 (none without tenants)."""
    if not settings.tenants:
        return []
    return needs_admission_policies(
        version_text,
        key,
        value,
        "tenants need",
        "their pods are kept in Kata VMs by a ValidatingAdmissionPolicy",
        "upgrade, or remove the tenants",
    )


def check_tenants(settings: Settings) -> list[Problem]:
    """Every problem of every tenant (their fields were read with the key), then the cluster
    version they need."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, tenant in enumerate(settings.tenants):
        problems += _name_problems(index, tenant, settings, seen)
        problems += _size_problems(index, tenant)
        problems += _allowance_problems(index, tenant)
        problems += _egress_problems(index, tenant)
        # new mode; an existing cluster's Entra is checked once it is looked up
        problems += _subject_problems(index, tenant, settings.entra_enabled)
    version = settings.kubernetes_version
    return problems + version_problems(settings, version, "kubernetesVersion", version)


TENANTS = Rule("tenants", check_tenants)
