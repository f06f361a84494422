"""The agentSandbox keys checked against the rest of the stack. Pure.

Each key's own value is checked by its declaration (sandboxing.keys.agent_sandbox); this rule
needs more than one key: the sandbox namespace against the demo pair's and the tenants', the
claimant groups against Entra, the egress ranges against the instance metadata endpoint, the
cluster version against the admission policies the layer installs, and the release's vendored
files against their recorded sha256 (a changed file is refused before anything is sent). The
same subject rules as the tenants' deployers (sandboxing.tenants.config), so both read alike.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sandboxing import catalog
from sandboxing.agent_sandbox.vendored import integrity_problems, releases
from sandboxing.config.key import Rule
from sandboxing.config.settings import Problem, Settings
from sandboxing.fences.cel import needs_admission_policies
from sandboxing.fences.network import egress_problems
from sandboxing.names import GUID
from sandboxing.tenants.config import EVERYBODY, RESERVED_NAMESPACES

NAMESPACE_KEY = "agentSandboxNamespace"
GROUPS_KEY = "agentSandboxClaimGroups"
CIDRS_KEY = "agentSandboxEgressCidrs"


def namespace_problems(settings: Settings) -> list[Problem]:
    name = settings.agent_sandbox_namespace
    taken = {
        settings.pod_namespace: "the demo pair's namespace (podNamespace)",
        catalog.AGENT_SANDBOX_SYSTEM_NAMESPACE: "the controller's own namespace",
        **{t.name: "a tenant's namespace" for t in settings.tenants},
    }
    if name in RESERVED_NAMESPACES or name.startswith("kube-"):
        return [
            Problem(NAMESPACE_KEY, name, "is a namespace Kubernetes itself uses; choose another")
        ]
    if name in taken:
        return [Problem(NAMESPACE_KEY, name, f"is {taken[name]}; the sandboxes need their own")]
    return []


def group_problems(groups: tuple[str, ...], entra: bool) -> list[Problem]:
    problems = []
    for group in groups:
        if group in EVERYBODY:
            problems.append(
                Problem(
                    GROUPS_KEY, group, "would let everybody claim sandboxes; name the users' group"
                )
            )
        elif entra and not GUID.match(group):
            problems.append(
                Problem(
                    GROUPS_KEY,
                    group,
                    "must be a Microsoft Entra group object ID (GUID): Entra integration is on",
                )
            )
    return problems


def cidr_problems(cidrs: tuple[str, ...]) -> list[Problem]:
    """As the tenants' egress: fenced ranges carved out, entries inside them refused."""
    return egress_problems(CIDRS_KEY, cidrs, "the sandboxes")


def version_problems(version_text: str, key: str, value: str) -> list[Problem]:
    """The layer's admission policies need ValidatingAdmissionPolicy v1 (as the tenants do)."""
    return needs_admission_policies(
        version_text,
        key,
        value,
        "agentSandbox needs",
        "its sandboxes are fenced by ValidatingAdmissionPolicies",
        "upgrade, or turn agentSandbox off",
    )


def release_problems(version: str) -> list[Problem]:
    """The vendored files of the release, against their sha256 (an unknown version is refused
    by the key itself)."""
    if version not in releases():
        return []
    return [
        Problem("agentSandboxVersion", version, f"cannot be installed: {problem}")
        for problem in integrity_problems(version)
    ]


def check_agent_sandbox(settings: Settings) -> list[Problem]:
    if not settings.agent_sandbox:
        return []
    version = settings.kubernetes_version
    return [
        *release_problems(settings.agent_sandbox_version),
        *namespace_problems(settings),
        *group_problems(settings.agent_sandbox_claim_groups, settings.entra_enabled),
        *cidr_problems(settings.agent_sandbox_egress_cidrs),
        *version_problems(version, "kubernetesVersion", version),
    ]


def existing_cluster_problems(settings: Settings, cluster: dict[str, Any]) -> list[Problem]:
    """What the layer needs of a looked-up existing cluster: its version, Entra group IDs."""
    if not settings.agent_sandbox:
        return []
    version = cluster.get("currentKubernetesVersion") or cluster.get("kubernetesVersion") or ""
    problems = [
        replace(p, message=f"runs Kubernetes {version}; {p.message}")
        for p in version_problems(version, "clusterName", settings.cluster_name)
    ]
    if cluster.get("aadProfile"):
        problems += group_problems(settings.agent_sandbox_claim_groups, entra=True)
    return problems


AGENT_SANDBOX = Rule("agent-sandbox", check_agent_sandbox)
