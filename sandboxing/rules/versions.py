"""Rules of AKS's Kubernetes support window: the version offered, on which support plan, with
which OS SKU, and whether the dated list is still fresh. Pure; the facts are
sandboxing/aks_versions.py's, and `version_problems` is shared with the subscription preflight,
which checks the same things against the list Azure returns for the stack's region.
"""

from __future__ import annotations

from sandboxing import aks_versions as av
from sandboxing import catalog, names
from sandboxing.aks_versions import Minor, SupportWindow
from sandboxing.config.key import Rule
from sandboxing.config.settings import Problem, Settings

KEY = "kubernetesVersion"
LIVE_LIST = "`az aks get-versions --location <region> --output table`"
PLAN_WITH_LIST = (
    "`venv/bin/python -m tools.plan --aks-versions <file>` checks the stack against the JSON of "
    "`az aks get-versions --location <region> -o json`"
)


def _patch(version: str) -> str | None:
    match = names.KUBERNETES_VERSION.match(version)
    return version if match and match[3] is not None else None


def version_problems(
    version: str, support_plan: str, window: SupportWindow, existing_cluster: bool = False
) -> list[Problem]:
    """`version` (MAJOR.MINOR[.PATCH], or empty for AKS's default) against `window`."""
    minor = names.parse_kubernetes_version(version)
    if minor is None or minor < catalog.KATA_GA.min_kubernetes:
        # Empty: the AKS default. Malformed: the key's own check. Below Kata's minimum: the
        # kubernetes-version rule says so, with what AKS offers.
        return []
    terms = window.terms(minor)
    if terms is None:
        message = (
            f"AKS does not offer Kubernetes {av.minor_text(minor)}: it offers "
            f"{window.offered_text()} (source: {window.source}). The live list: {LIVE_LIST}; "
            f"{PLAN_WITH_LIST}"
        )
        return [Problem(KEY, version, message)]
    problems: list[Problem] = []
    patch, offered = _patch(version), window.patches.get(minor, ())
    if patch and offered and patch not in offered:
        message = (
            f"AKS does not offer the patch {patch} (source: {window.source}); it offers "
            f"{', '.join(offered)}, or pin only {av.minor_text(minor)}"
        )
        problems.append(Problem(KEY, version, message))
    if terms == "lts" and (existing_cluster or support_plan != av.AKS_LONG_TERM_SUPPORT):
        standard = av.minors_text(window.standard)
        if existing_cluster:
            message = (
                f"Kubernetes {av.minor_text(minor)} is offered only with long-term support "
                f"(source: {window.source}): the existing cluster must be on supportPlan "
                f"{av.AKS_LONG_TERM_SUPPORT} (skuTier {av.LTS_TIER}) for AKS to add a pool at "
                f"it; otherwise choose {standard}"
            )
            problems.append(Problem(KEY, version, message, "warning"))
        else:
            message = (
                f"Kubernetes {av.minor_text(minor)} is offered only with long-term support "
                f"(source: {window.source}): set supportPlan {av.AKS_LONG_TERM_SUPPORT} and "
                f"skuTier {av.LTS_TIER} ({av.LTS_SOURCE}), or choose a version in standard "
                f"support: {standard}"
            )
            problems.append(Problem(KEY, version, message))
    if terms == "preview":
        message = (
            f"Kubernetes {av.minor_text(minor)} is a preview version in this list "
            f"(source: {window.source}): not for production"
        )
        problems.append(Problem(KEY, version, message, "warning"))
    return problems


def check_kubernetes_support(settings: Settings) -> list[Problem]:
    """A version AKS offers, and on LTS-only versions the LTS support plan."""
    return version_problems(
        settings.kubernetes_version,
        settings.support_plan,
        settings.kubernetes_versions,
        settings.existing_cluster,
    )


def check_support_plan(settings: Settings) -> list[Problem]:
    """LTS needs the Premium tier, and the Premium tier needs LTS (new clusters only)."""
    if settings.existing_cluster:
        return []  # neither key is used: the program does not change an existing cluster
    lts = settings.support_plan == av.AKS_LONG_TERM_SUPPORT
    premium = settings.sku_tier == av.LTS_TIER
    if lts and not premium:
        message = f"needs skuTier {av.LTS_TIER} ({av.LTS_SOURCE}); skuTier is {settings.sku_tier}"
        return [Problem("supportPlan", settings.support_plan, message)]
    if premium and not lts:
        message = (
            f"{av.LTS_TIER} needs supportPlan {av.AKS_LONG_TERM_SUPPORT} "
            f"({av.PREMIUM_NEEDS_LTS_SOURCE}); use skuTier Standard for an uptime SLA without LTS"
        )
        return [Problem("skuTier", settings.sku_tier, message)]
    return []


def os_sku_problems(os_sku: str, version: str) -> list[str]:
    """Why `os_sku` cannot run `version` (empty: fine); the messages name their source."""
    minor = names.parse_kubernetes_version(version)
    if minor is None:
        return []  # the AKS default: AKS picks a version the OS SKU supports
    text = av.minor_text(minor)
    if os_sku == av.AZURE_LINUX3.os_sku:
        low, high = av.AZURE_LINUX3.lowest, av.AZURE_LINUX3.highest
        if minor < low or (high is not None and minor > high):
            return [
                f"osSKU {os_sku} is accepted on Kubernetes {av.minor_text(low)} to "
                f"{av.minor_text(high or low)} only, not {text} ({av.AZURE_LINUX3.source}); "
                "use kataOsSku AzureLinux, which is Azure Linux 3 from 1.32 on"
            ]
    first, last = av.AZURE_LINUX_2_MINORS
    if os_sku == "AzureLinux" and first <= minor <= last:
        return [
            f"osSKU AzureLinux on Kubernetes {text} is Azure Linux 2.0, which AKS retired: "
            f"{av.AZURE_LINUX_2_SOURCE}; choose Kubernetes 1.32 or later"
        ]
    return []


def check_kata_os_sku_version(settings: Settings) -> list[Problem]:
    """The Kata pool's OS SKU on the pinned version (AzureLinux3 ends at 1.36); a version AKS
    does not offer at all is kubernetes-support's problem alone."""
    minor = names.parse_kubernetes_version(settings.kubernetes_version)
    if minor is not None and settings.kubernetes_versions.terms(minor) is None:
        return []
    return [
        Problem("kataOsSku", settings.kata_os_sku, message)
        for message in os_sku_problems(settings.kata_os_sku, settings.kubernetes_version)
    ]


def _os_sku_ceiling(os_sku: str) -> Minor | None:
    return av.AZURE_LINUX3.highest if os_sku == av.AZURE_LINUX3.os_sku else None


def check_os_sku_upgrade_ceiling(settings: Settings) -> list[Problem]:
    """stable/rapid move the cluster to newer minors than its Kata pool's OS SKU supports."""
    ceiling = _os_sku_ceiling(settings.kata_os_sku)
    channel = settings.auto_upgrade_channel
    if settings.existing_cluster or ceiling is None or channel not in ("stable", "rapid"):
        return []
    message = (
        f"autoUpgradeChannel {channel} moves the cluster to newer minor versions, and kataOsSku "
        f"{settings.kata_os_sku} ends at Kubernetes {av.minor_text(ceiling)} "
        f"({av.AZURE_LINUX3.source}): an upgrade past it is refused until the Kata pool's OS "
        "SKU is changed. Use kataOsSku AzureLinux, or autoUpgradeChannel patch"
    )
    return [Problem("autoUpgradeChannel", channel, message, "warning")]


def check_versions_fresh(settings: Settings) -> list[Problem]:
    """The dated list is checked against today's date: a stale list misleads."""
    window = settings.kubernetes_versions
    if not settings.kubernetes_version or window.as_of is None:
        return []
    if not window.stale(settings.today):
        return []
    days = (settings.today - window.as_of).days
    message = (
        f"is checked against {window.source}, {days} days old, which may be stale: see "
        f"{LIVE_LIST}; {PLAN_WITH_LIST}; refresh the list as sandboxing/aks_versions.py says. "
        "`pulumi preview` checks the version against Azure's list (preflight: true)"
    )
    return [Problem(KEY, settings.kubernetes_version, message, "warning")]


KUBERNETES_SUPPORT = Rule("kubernetes-support", check_kubernetes_support)
SUPPORT_PLAN = Rule("support-plan", check_support_plan)
KATA_OS_SKU_VERSION = Rule("kata-os-sku-version", check_kata_os_sku_version)
OS_SKU_UPGRADE_CEILING = Rule("os-sku-upgrade-ceiling", check_os_sku_upgrade_ceiling)
VERSIONS_FRESH = Rule("kubernetes-versions-fresh", check_versions_fresh)
