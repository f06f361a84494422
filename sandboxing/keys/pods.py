"""The sandboxed pod pair's keys: the runtime class, its wait, and what the pods run with."""

from __future__ import annotations

from sandboxing import catalog, names
from sandboxing.agent_sandbox.capacity import SANDBOX_CAPACITY
from sandboxing.agent_sandbox.config import AGENT_SANDBOX
from sandboxing.config.key import ConfigKey
from sandboxing.config.kinds import Between, Matches, Quantity
from sandboxing.rules.pods import POD_FITS_KATA_NODE, RUNTIME_CLASS_OVERRIDE
from sandboxing.tenants.capacity_rule import TENANT_CAPACITY
from sandboxing.tenants.config import TENANTS

# Laid out by hand (fmt: skip): each key's name, type and default on one line reads as a table;
# the formatter would split them one per line.
KEYS: tuple[ConfigKey, ...] = (
    ConfigKey(
        "runtimeClassName", "string", "",
        "RuntimeClass of the untrusted pod (empty: the class of workloadRuntime, "
        f"{catalog.KATA_GA.runtime_class}).",
        Matches(
            names.DNS1123_SUBDOMAIN,
            "a DNS-1123 subdomain",
            "a DNS-1123 subdomain (lower-case letters, digits, '-', '.')",
            max_length=names.DNS1123_SUBDOMAIN_MAX,
            empty_ok=True,
        ),
        rules=(RUNTIME_CLASS_OVERRIDE.allows(
            f"`{catalog.KATA_PREVIEW.runtime_class}` for preview-era pools"),),
    ),
    ConfigKey(
        "runtimeClassWaitSeconds", "integer", 300,
        "How long to wait for the cluster to serve the Kata RuntimeClass before the untrusted "
        "pod is sent.",
        Between(10, 3600, unit="seconds"),
    ),
    ConfigKey(
        "podNamespace", "string", "pod-sandboxing",
        "Namespace the trusted/untrusted pair runs in (created by the program).",
        Matches(
            names.DNS1123_LABEL,
            "a DNS-1123 label",
            f"a DNS-1123 label (1-{names.DNS1123_LABEL_MAX} lower-case letters, digits or '-', "
            "starting and ending alphanumeric)",
            max_length=names.DNS1123_LABEL_MAX,
        ),
        rules=(TENANTS.allows("not a tenant's name"),
               AGENT_SANDBOX.allows("not agentSandboxNamespace")),
    ),
    ConfigKey(
        "podImage", "string", "mcr.microsoft.com/aks/fundamental/base-ubuntu:v0.0.11",
        "Container image of both pods (needs /bin/sh and uname).",
        Matches(names.IMAGE_REFERENCE, "an image reference",
                "an image reference such as registry/repo:tag"),
    ),
    ConfigKey(
        "podCpuLimit", "string", "1",
        "CPU limit (= request) of each pod; the Kata VM gets it rounded up to whole vCPUs.",
        Quantity("cpu", ("500m", "1", "2")),
        rules=(POD_FITS_KATA_NODE.allows(), TENANT_CAPACITY.allows(),
               SANDBOX_CAPACITY.allows()),
    ),
    ConfigKey(
        "podMemoryLimit", "string", "1Gi",
        "Memory limit (= request) of each pod; it is the Kata VM's memory.",
        Quantity("memory", ("512Mi", "1Gi"), catalog.MIN_POD_VM_MEMORY_MIB, "Kata's minimum",
                 "the limit is the sandbox VM's memory"),
        rules=(POD_FITS_KATA_NODE.allows(
            f"with {catalog.RUNTIME_CLASS_OVERHEAD_MIB}Mi RuntimeClass overhead it fits the "
            "Kata node"), TENANT_CAPACITY.allows(),
               SANDBOX_CAPACITY.allows()),
    ),
)  # fmt: skip
