"""The agentSandbox keys: sandboxes on demand, one Kata sandbox per session from a warm pool.

`agentSandbox: true` turns the layer on; the other keys say which release, where, how many warm
sandboxes of what size, how long a session may last, who may claim and what the sandboxes may
reach. Without `agentSandbox: true` they are not used (a value set anyway gets a warning).
"""

from __future__ import annotations

from sandboxing import catalog, names
from sandboxing.agent_sandbox.capacity import SANDBOX_CAPACITY
from sandboxing.agent_sandbox.config import AGENT_SANDBOX
from sandboxing.agent_sandbox.vendored import versions
from sandboxing.config.key import ConfigKey, Unused
from sandboxing.config.kinds import Between, EachItem, Matches, OneOf, Quantity, is_ipv4_range
from sandboxing.config.settings import Settings
from sandboxing.fences.profile import EGRESS_ALLOWED
from sandboxing.tenants.fields import PORT


def _off(settings: Settings) -> bool:
    return not settings.agent_sandbox


def _port(text: str) -> bool:
    match = PORT.match(text.upper())
    return bool(match) and 1 <= int(match[1]) <= 65535  # type: ignore[index]


OFF = Unused(_off, "without agentSandbox: true", unchecked=True)
VERSIONS = versions()
OVERHEAD = f"{catalog.RUNTIME_CLASS_OVERHEAD_MIB}Mi"

# Laid out by hand (fmt: skip): each key's name, type and default on one line reads as a table;
# the formatter would split them one per line.
KEYS: tuple[ConfigKey, ...] = (
    ConfigKey(
        "agentSandbox", "boolean", False,
        "Sandboxes on demand: install the kubernetes-sigs/agent-sandbox controller, a Kata "
        "SandboxTemplate and a warm pool; users claim one sandbox per session with a "
        "SandboxClaim (see docs/agent-sandbox.md).",
        rules=(AGENT_SANDBOX.allows(
            "`true` needs a cluster of at least "
            f"{catalog.version_text(catalog.ADMISSION_POLICY_MIN_KUBERNETES)} "
            "(admission policies)"),
            SANDBOX_CAPACITY.allows()),
    ),
    ConfigKey(
        "agentSandboxVersion", "string", VERSIONS[-1],
        "Release of kubernetes-sigs/agent-sandbox to install (its vendored manifests; upgrading "
        "is changing this key).",
        OneOf(VERSIONS),
        rules=(AGENT_SANDBOX.allows("its vendored files intact (sha256)"),),
        unused=(OFF,),
    ),
    ConfigKey(
        "agentSandboxNamespace", "string", "sandboxes",
        "Namespace of the SandboxTemplate, the warm pools and the users' SandboxClaims (created "
        "by the program).",
        Matches(names.DNS1123_LABEL, "a DNS-1123 label",
                f"a DNS-1123 label (1-{names.DNS1123_LABEL_MAX} lower-case letters, digits or "
                "'-', starting and ending alphanumeric)", max_length=names.DNS1123_LABEL_MAX),
        rules=(AGENT_SANDBOX.allows(
            f"not podNamespace, a tenant's name, `{catalog.AGENT_SANDBOX_SYSTEM_NAMESPACE}` or a "
            "namespace of Kubernetes"),),
        unused=(OFF,),
    ),
    ConfigKey(
        "agentSandboxWarmPoolSize", "integer", 1,
        "Sandboxes kept started, ready to be claimed in under a second (0: every claim boots a "
        "new Kata VM).",
        Between(0, 1000),
        rules=(SANDBOX_CAPACITY.allows(
            "at most what fits the Kata pool beside the demo pod and the tenants' quotas, and "
            "at most agentSandboxMaxSandboxes"),),
        unused=(OFF,),
    ),
    ConfigKey(
        "agentSandboxMaxSandboxes", "integer", 2,
        "Most sandboxes (warm and claimed) the sandbox namespace may run at once: the pod, CPU, "
        "memory (with the Kata overhead) and disk of its ResourceQuota.",
        Between(1, 1000),
        rules=(SANDBOX_CAPACITY.allows(
            "at least agentSandboxWarmPoolSize; more than the Kata pool holds is a warning"),),
        unused=(OFF,),
    ),
    ConfigKey(
        "agentSandboxCpu", "string", "1",
        "CPU limit (= request) of each sandbox; its Kata VM gets it rounded up to whole vCPUs.",
        Quantity("cpu", ("500m", "1", "2")),
        rules=(SANDBOX_CAPACITY.allows(),),
        unused=(OFF,),
    ),
    ConfigKey(
        "agentSandboxMemory", "string", "1Gi",
        f"Memory limit (= request) of each sandbox: its Kata VM's memory (the node also holds "
        f"the {OVERHEAD} RuntimeClass overhead).",
        Quantity("memory", ("512Mi", "1Gi"), catalog.MIN_POD_VM_MEMORY_MIB, "Kata's minimum",
                 "the limit is the sandbox VM's memory"),
        rules=(SANDBOX_CAPACITY.allows(f"with {OVERHEAD} overhead it fits a Kata node"),),
        unused=(OFF,),
    ),
    ConfigKey(
        "agentSandboxMaxLifetimeSeconds", "integer", 3600,
        "Longest session: the API server refuses a SandboxClaim whose "
        "spec.lifecycle.shutdownTime is unset or later than this after the claim's creation.",
        Between(60, 7 * 24 * 3600, unit="seconds"),
        unused=(OFF,),
    ),
    ConfigKey(
        "agentSandboxClaimGroups", "array", [],
        "Groups whose members may create, read and delete SandboxClaims in agentSandboxNamespace "
        "and nothing else (Entra group object IDs when Entra is on); empty: cluster admins only.",
        EachItem(lambda item: bool(item) and not any(c.isspace() for c in item),
                 "a list of group names", "group names without spaces"),
        rules=(AGENT_SANDBOX.allows(
            "not system:authenticated or system:unauthenticated; GUIDs with Entra"),),
        unused=(OFF,),
    ),
    ConfigKey(
        "agentSandboxClaimantExec", "boolean", False,
        "Also let the claimant groups exec into, port-forward to and read the logs of the "
        "sandbox pods: of every session's, as RBAC cannot tell sessions apart.",
        unused=(OFF,),
    ),
    ConfigKey(
        "agentSandboxEgressCidrs", "array", [],
        "IPv4 CIDRs the sandboxes may reach (empty: none; nothing reaches them).",
        EachItem(is_ipv4_range, "a list of IPv4 CIDRs", "IPv4 CIDRs, e.g. 203.0.113.0/24"),
        rules=(AGENT_SANDBOX.allows(EGRESS_ALLOWED),),
        unused=(OFF,),
    ),
    ConfigKey(
        "agentSandboxEgressPorts", "array", ["443"],
        "Ports of agentSandboxEgressCidrs (empty: every port).",
        EachItem(_port, "a list of ports 1-65535, each optionally /TCP, /UDP or /SCTP",
                 "ports 1-65535, each optionally /TCP, /UDP or /SCTP, e.g. 443 or 53/UDP"),
        unused=(OFF,),
    ),
    ConfigKey(
        "agentSandboxAllowDns", "boolean", True,
        "Let the sandboxes query the cluster DNS (kube-dns in kube-system, port 53).",
        unused=(OFF,),
    ),
)  # fmt: skip
