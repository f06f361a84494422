"""Azure VM sizes as data: the families Kata can use, those it cannot, a size name parsed, and
each family's local disks (where an ephemeral OS disk fits).

Sources, per family below: Azure's size pages (MicrosoftDocs/azure-compute-docs
articles/virtual-machines/sizes/<category>/<family>-series.md), the Pod Sandboxing page
(use-pod-sandboxing) and the AKS changelog (Azure/AKS CHANGELOG.md) for Kata families.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- VM sizes --------------------------------------------------------------------------------

# Azure size names: Standard_<series letters><vCPUs>[-<constrained>]<feature letters>[_v<N>]
VM_SIZE_PATTERN = re.compile(
    r"^Standard_(?P<series>[A-Z]+)(?P<vcpus>\d+)(?:-\d+)?(?P<features>[a-z]*)(?:_v(?P<version>\d+))?$"
)


@dataclass(frozen=True)
class VmFamily:
    """A VM family known to be Gen2 with nested virtualization (usable for Kata)."""

    name: str  # as Azure names the family, e.g. Dsv3
    vcpus: tuple[int, ...]  # the sizes that exist
    gib_per_vcpu: int
    memory_overrides: tuple[tuple[int, int], ...] = ()  # (vcpus, GiB) where the ratio breaks

    def memory_gib(self, vcpus: int) -> int:
        return dict(self.memory_overrides).get(vcpus, vcpus * self.gib_per_vcpu)


_D_SIZES = (2, 4, 8, 16, 32, 48, 64)
_D96_SIZES = (*_D_SIZES, 96)
_E_SIZES = (2, 4, 8, 16, 20, 32, 48, 64)
# Keyed by "<series><features>v<version>", which is how a size name maps to its family.
# Evidence for the v6/v7 families: Azure's size pages, MicrosoftDocs/azure-compute-docs
# articles/virtual-machines/sizes/<category>/<family>-series.md, whose "Feature support" reads
# "Generation 2 VMs: Supported", "Generation 1 VMs: Not Supported", "Nested Virtualization:
# Supported"; the vCPU counts below are those pages' size tables.
KATA_VM_FAMILIES: dict[str, VmFamily] = {
    family.name: family
    for family in (
        VmFamily("Dsv3", _D_SIZES, 4),  # the Pod Sandboxing page's own example
        VmFamily("Dsv4", _D_SIZES, 4),
        VmFamily("Ddsv4", _D_SIZES, 4),
        VmFamily("Dsv5", _D96_SIZES, 4),
        VmFamily("Ddsv5", _D96_SIZES, 4),
        VmFamily("Esv3", _E_SIZES, 8, ((64, 432),)),
        VmFamily("Esv4", _E_SIZES, 8, ((64, 504),)),
        VmFamily("Edsv4", _E_SIZES, 8, ((64, 504),)),
        VmFamily("Esv5", (*_E_SIZES, 96, 104), 8, ((96, 672), (104, 672))),
        VmFamily("Edsv5", (*_E_SIZES, 96, 104), 8, ((96, 672), (104, 672))),
        VmFamily("Dasv5", _D96_SIZES, 4),
        VmFamily("Dadsv5", _D96_SIZES, 4),
        VmFamily("Dadsv7", (*_D96_SIZES, 128, 160), 4),  # AKS changelog 2026-06-19
        # general-purpose/dsv6-series.md; Standard_D4s_v6 runs Kata nodes in the field
        # (microsoft/azurelinux#18251, node image AKSAzureLinux-V3katagen2-202607.09.0).
        VmFamily("Dsv6", (*_D96_SIZES, 128, 192), 4),
        VmFamily("Dasv6", _D96_SIZES, 4),  # general-purpose/dasv6-series.md
        VmFamily("Dasv7", (*_D96_SIZES, 128, 160), 4),  # general-purpose/dasv7-series.md
        # memory-optimized/esv6-series.md. Its Standard_E192is_v6 (isolated) parses as family
        # Eisv6 and stays unlisted.
        VmFamily("Esv6", (*_E_SIZES, 96, 128), 8),
    )
}

# The error AKS answers a Kata pool on a size without nested virtualization with (it checks
# sizes against its own list, which grows over time).
AKS_VM_SIZE_REFUSAL = "InvalidWorkloadRuntimeSettingError"

# Families and series that cannot host Kata, checked in order: (regex on the family key, reason).
_REFUSED = f"AKS refuses them with {AKS_VM_SIZE_REFUSAL}"
UNSUPPORTED_VM_FAMILIES: tuple[tuple[str, str], ...] = (
    # Confidential VMs with Azure Linux are GA on AKS (release notes 2026-06-19), but not for
    # Kata: learn.microsoft.com/azure/aks/use-cvm (ms.date 06/24/2026): "You can't use FIPS,
    # ARM64, Trusted Launch, or Pod Sandboxing".
    (
        r"^DC|^EC|^NCC",
        "confidential VM sizes cannot host Pod Sandboxing (AKS docs, use-cvm, "
        "ms.date 06/24/2026: a CVM pool can't use Pod Sandboxing, although CVMs with Azure Linux "
        "are GA since 2026-06)",
    ),
    (r"^[A-Z]+p", "Arm64 sizes are not supported with Pod Sandboxing"),
    (r"^B", f"B-series (burstable) sizes have no nested virtualization ({_REFUSED})"),
    (r"^A", f"A-series (Av2) sizes have no nested virtualization ({_REFUSED})"),
    (
        r"^D[sd]*v2$|^DSv2$|^DS$|^D$",
        f"Dv2/Dsv2 sizes are Gen1-only or lack nested virtualization ({_REFUSED})",
    ),
    (r"^[DE]v3$", "non-'s' v3 sizes (e.g. Standard_D2_v3) are Generation 1 only"),
    (
        r"^[DE]a[d]?s?v4$",
        f"Dav4/Dasv4/Eav4/Easv4 sizes have no nested virtualization ({_REFUSED})",
    ),
)


@dataclass(frozen=True)
class VmSize:
    name: str
    family: str
    vcpus: int


def parse_vm_size(name: str) -> VmSize | None:
    """Split an Azure size name into family key and vCPUs; None when it is not one."""
    match = VM_SIZE_PATTERN.match(name)
    if not match:
        return None
    version = f"v{match['version']}" if match["version"] else ""
    family = f"{match['series']}{match['features']}{version}"
    return VmSize(name, family, int(match["vcpus"]))


def unsupported_reason(size: VmSize) -> str | None:
    for pattern, reason in UNSUPPORTED_VM_FAMILIES:
        if re.search(pattern, size.family):
            return reason
    return None


def kata_vm_family(size: VmSize) -> VmFamily | None:
    family = KATA_VM_FAMILIES.get(size.family)
    if family is None or size.vcpus not in family.vcpus:
        return None
    return family


@dataclass(frozen=True)
class LocalDisks:
    """GiB per vCPU of a family's host cache and temp disk (0: none), from its size page."""

    cache_gib_per_vcpu: float
    temp_gib_per_vcpu: float
    vcpus: tuple[int, ...]


# An ephemeral OS disk lives on the cache disk when the size has one, else on the temp disk
# (AKS docs articles/aks/concepts-storage.md, ms.date 07/30/2026, "Ephemeral OS disks in AKS":
# sizes with a cache
# use it "instead of temporary storage"). Figures: Azure's size pages, MicrosoftDocs/
# azure-compute-docs articles/virtual-machines/sizes/general-purpose/<family>-series.md, tab
# "Local Storage" (Dsv3: temp 16 GiB and cache 50 GiB at 2 vCPUs, linear; Ddsv5: temp 75 GiB at
# 2 vCPUs, linear, no cache).
LOCAL_DISKS: dict[str, LocalDisks] = {
    "Dsv3": LocalDisks(25, 8, _D_SIZES),
    "Ddsv5": LocalDisks(0, 37.5, _D96_SIZES),
}
# From v4 on, a size has a temp disk only if its name has a `d` ("diskful", MicrosoftDocs/
# azure-compute-docs articles/virtual-machines/vm-naming-conventions.md); the `s`-only sizes
# (Dsv5, Esv5, Dasv5, Dsv6, ...) have neither temp disk nor cache and cannot host ephemeral OS.
_DISKLESS_FROM_VERSION = 4
_FAMILY_KEY = re.compile(r"^(?P<series>[A-Z]+)(?P<features>[a-z]*)v(?P<version>\d+)$")


def placement_disk_gib(size: VmSize) -> tuple[str, float] | None:
    """("cache" | "temp" | "no", GiB) an ephemeral OS disk could use; None when unknown."""
    disks = LOCAL_DISKS.get(size.family)
    if disks is not None and size.vcpus in disks.vcpus:
        if disks.cache_gib_per_vcpu:
            return "cache", disks.cache_gib_per_vcpu * size.vcpus
        return "temp", disks.temp_gib_per_vcpu * size.vcpus
    m = _FAMILY_KEY.match(size.family)
    if m and int(m["version"]) >= _DISKLESS_FROM_VERSION and "d" not in m["features"]:
        return "no", 0
    return None


def ephemeral_sizes(min_gib: float, families: tuple[str, ...] | None = None) -> list[str]:
    """Sizes with known local disks that hold an ephemeral OS disk of `min_gib`, smallest first."""
    found = []
    for family, disks in LOCAL_DISKS.items():
        if families is not None and family not in families:
            continue
        m = _FAMILY_KEY.match(family)
        if m is None:
            continue
        for vcpus in disks.vcpus:
            name = f"Standard_{m['series']}{vcpus}{m['features']}_v{m['version']}"
            where = placement_disk_gib(VmSize(name, family, vcpus))
            if where is not None and where[1] >= min_gib:
                found.append((vcpus, name))
    return [name for _, name in sorted(found)]
