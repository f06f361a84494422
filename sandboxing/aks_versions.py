"""AKS's Kubernetes support window, as dated data that a live list can replace. Pure.

Which minors AKS offers and on what terms (standard support, LTS only, out), which Azure Linux
each osSKU gives on which minors, and where each fact comes from. The program checks the stack's
`kubernetesVersion` against the dated `DATED_WINDOW` (rules in sandboxing/rules/versions.py);
`python -m tools.plan --aks-versions FILE` checks it against what `az aks get-versions` printed
(`window_from_get_versions`), and during `pulumi preview`/`up` the subscription preflight reads
the same list from Azure Resource Manager for the stack's region.

Refreshing the dated data: run `az aks get-versions --location <region> -o json`, compare it with
STANDARD/LTS_ONLY/DEFAULT below, read the AKS release notes (github.com/Azure/AKS/releases) and
learn.microsoft.com/azure/aks/supported-kubernetes-versions, then update the values, their
sources and AS_OF together.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

Minor = tuple[int, int]

# --- The dated facts -------------------------------------------------------------------------

AS_OF = datetime.date(2026, 12, 4)
# Older than this compared to today, the dated window may be stale: the plan and the program say
# so. AKS moves a minor between standard support, LTS and out about every four months (one
# upstream release every ~4 months, docs: "AKS supports three GA minor versions").
STALE_AFTER = datetime.timedelta(days=92)

WINDOW_SOURCE = (
    "AKS release notes, as of 2026-12 (github.com/Azure/AKS/releases), with the calendar of "
    "learn.microsoft.com/azure/aks/supported-kubernetes-versions (ms.date 08/05/2026: 1.35 GA "
    "Mar 2026, 1.36 GA Jun 2026, 1.37 GA Oct 2026; 1.32 LTS-only since the release notes of "
    "2026-04-28, 1.33 since 2026-07-17, 1.34 after its end of life in Nov 2026). The stored copies "
    "read for this end in Aug 2026, so the Dec 2026 state (1.37 GA, 1.34 LTS-only, 1.31 out) is "
    "per the AKS release notes, as of 2026-12, and not checked against a stored copy"
)
STANDARD: tuple[Minor, ...] = ((1, 35), (1, 36), (1, 37))
LTS_ONLY: tuple[Minor, ...] = ((1, 32), (1, 33), (1, 34))
# "the cluster defaults to the N-1 minor version and latest patch" (supported-kubernetes-versions)
DEFAULT: Minor = (1, 36)

KUBERNETES_OFFICIAL = "KubernetesOfficial"
AKS_LONG_TERM_SUPPORT = "AKSLongTermSupport"
# pulumi_azure_native 3.29.0 containerservice/_enums.py `KubernetesSupportPlan`.
SUPPORT_PLANS = (KUBERNETES_OFFICIAL, AKS_LONG_TERM_SUPPORT)
LTS_TIER = "Premium"
LTS_SOURCE = (
    'learn.microsoft.com/azure/aks/long-term-support (ms.date 08/05/2026): "Enabling LTS '
    "requires moving your cluster to the Premium tier and explicitly selecting the LTS support "
    'plan"'
)
PREMIUM_NEEDS_LTS_SOURCE = (
    'learn.microsoft.com/azure/aks/free-standard-pricing-tiers (ms.date 07/06/2026): "When you '
    "create a cluster in the Premium tier, you must also enable the LTS plan ... Enable or "
    'disable LTS and the Premium tier together."'
)


@dataclass(frozen=True)
class OsSkuMinors:
    """The minors on which an osSKU is accepted, and what it gives there."""

    os_sku: str
    lowest: Minor
    highest: Minor | None  # None: no upper bound documented
    source: str


# learn.microsoft.com/azure/aks/upgrade-os-version (ms.date 07/13/2026): "`--os-sku AzureLinux3`
# is supported in Kubernetes versions 1.28 to 1.36" and "You need to update your OS SKU to a
# supported OS option before upgrading your Kubernetes version to 1.37+".
AZURE_LINUX3 = OsSkuMinors(
    "AzureLinux3",
    (1, 28),
    (1, 36),
    "learn.microsoft.com/azure/aks/upgrade-os-version (ms.date 07/13/2026): AzureLinux3 is "
    "supported in Kubernetes 1.28 to 1.36; change the OS SKU before upgrading to 1.37+",
)
# The same page: osSKU AzureLinux is "Azure Linux 2.0 ... for Kubernetes version 1.27 to 1.31.
# Azure Linux 3.0 is default for Kubernetes version 1.32+". Azure Linux 2.0 is retired:
# learn.microsoft.com/azure/aks includes/azure-linux-retirement (ms.date 12/16/2025): "Beginning on
# March 31, 2026, node images will be removed, and you'll be unable to scale your node pools."
AZURE_LINUX_2_MINORS: tuple[Minor, Minor] = ((1, 27), (1, 31))
AZURE_LINUX_2_SOURCE = (
    "learn.microsoft.com/azure/aks/upgrade-os-version (ms.date 07/13/2026) maps osSKU AzureLinux "
    "to Azure Linux 2.0 on Kubernetes 1.27 to 1.31 and to Azure Linux 3 on 1.32+; Azure Linux 2.0 "
    "is retired, its node images removed since 2026-03-31 (AKS docs, azure-linux-retirement, "
    "ms.date 12/16/2025)"
)


def minor_text(minor: Minor) -> str:
    return f"{minor[0]}.{minor[1]}"


def minors_text(minors: tuple[Minor, ...]) -> str:
    return ", ".join(minor_text(minor) for minor in minors) or "none"


# --- The window, dated or live ---------------------------------------------------------------


@dataclass(frozen=True)
class SupportWindow:
    """The Kubernetes minors AKS offers, on which terms, and where that list comes from."""

    standard: tuple[Minor, ...]  # offered with supportPlan KubernetesOfficial
    lts_only: tuple[Minor, ...]  # offered only with AKSLongTermSupport (and skuTier Premium)
    default: Minor | None
    source: str  # for messages: where the list comes from
    as_of: datetime.date | None = None  # the dated data's date; None for a list read from Azure
    preview: tuple[Minor, ...] = ()  # offered as preview only (a live list says so)
    # MAJOR.MINOR -> the patch versions offered; empty when the list does not say (dated data).
    patches: Mapping[Minor, tuple[str, ...]] = field(default_factory=dict)

    @property
    def dated(self) -> bool:
        return self.as_of is not None

    def terms(self, minor: Minor) -> str | None:
        """The terms AKS offers `minor` on: standard, lts or preview; None: not offered."""
        if minor in self.standard:
            return "standard"
        if minor in self.lts_only:
            return "lts"
        if minor in self.preview:
            return "preview"
        return None

    def offered_text(self) -> str:
        """The minors AKS offers, as a message lists them."""
        text = (
            f"standard support {minors_text(self.standard)}; LTS only "
            f"{minors_text(self.lts_only)} (supportPlan {AKS_LONG_TERM_SUPPORT}, skuTier "
            f"{LTS_TIER})"
        )
        if self.preview:
            text += f"; preview {minors_text(self.preview)}"
        return text

    def stale(self, today: datetime.date) -> bool:
        return self.as_of is not None and today - self.as_of > STALE_AFTER

    def describe(self) -> dict[str, Any]:
        """Plain data for the offline plan's JSON."""
        return {
            "source": self.source,
            "asOf": self.as_of.isoformat() if self.as_of else None,
            "standard": [minor_text(m) for m in self.standard],
            "ltsOnly": [minor_text(m) for m in self.lts_only],
            "preview": [minor_text(m) for m in self.preview],
            "default": minor_text(self.default) if self.default else None,
        }


DATED_WINDOW = SupportWindow(
    standard=STANDARD,
    lts_only=LTS_ONLY,
    default=DEFAULT,
    source=f"the program's dated list (sandboxing/aks_versions.py, as of {AS_OF.isoformat()})",
    as_of=AS_OF,
)


def _minor(text: str) -> Minor | None:
    parts = text.split(".")
    if len(parts) < 2 or not all(part.isdigit() for part in parts[:2]):
        return None
    return int(parts[0]), int(parts[1])


def window_from_get_versions(data: Any, source: str) -> SupportWindow:
    """The window of an ARM kubernetesVersions answer, which `az aks get-versions -o json` prints
    as is: {"values": [{"version", "isDefault", "isPreview", "capabilities": {"supportPlan": [..]},
    "patchVersions": {"1.35.1": {"upgrades": [..]}}}]}. ValueError when it is not one."""
    values = data.get("values") if isinstance(data, dict) else None
    if not isinstance(values, list):
        raise ValueError(
            'not a list of AKS versions: expected {"values": [...]} as printed by '
            "`az aks get-versions --location <region> -o json`"
        )
    standard, lts, preview = [], [], []
    default: Minor | None = None
    patches: dict[Minor, tuple[str, ...]] = {}
    for entry in values:
        minor = _minor(str((entry or {}).get("version", "")))
        if minor is None:
            raise ValueError(f"an entry without a MAJOR.MINOR version: {entry!r}")
        plans = ((entry.get("capabilities") or {}).get("supportPlan")) or []
        if entry.get("isPreview"):
            preview.append(minor)
        elif KUBERNETES_OFFICIAL in plans:
            standard.append(minor)
        elif AKS_LONG_TERM_SUPPORT in plans:
            lts.append(minor)
        if entry.get("isDefault"):
            default = minor
        patches[minor] = tuple(sorted(entry.get("patchVersions") or {}))
    return SupportWindow(
        tuple(sorted(standard)),
        tuple(sorted(lts)),
        default,
        source,
        preview=tuple(sorted(preview)),
        patches=patches,
    )


# --- Which window and which day the checks use -----------------------------------------------

# The clock the staleness warning reads; tests pin it (tests/conftest.py).
clock: Callable[[], datetime.date] = datetime.date.today
_override: list[SupportWindow] = []


def current_window() -> SupportWindow:
    """The dated window, or the one `use_window` put in place (tools.plan --aks-versions)."""
    return _override[-1] if _override else DATED_WINDOW


@contextlib.contextmanager
def use_window(window: SupportWindow) -> Iterator[SupportWindow]:
    """Check against `window` instead of the dated data while the block runs."""
    _override.append(window)
    try:
        yield window
    finally:
        _override.pop()
