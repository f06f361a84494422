"""The sandbox's Kubernetes objects as plain manifests (camelCase, as the API server sees them).

The SandboxPods component sends exactly these; the offline plan writes them out; the policy pack
and the tests check them with `sandboxed_pod_violations`. Pure data, no Pulumi.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sandboxing import catalog
from sandboxing.config.settings import PROJECT, Settings
from sandboxing.quantities import memory_mib

TRUSTED_POD = "trusted"
UNTRUSTED_POD = "untrusted"
SERVICE_ACCOUNT = "sandbox"
NETWORK_POLICY = "default-deny-all"
RUN_AS_USER = 65532  # the conventional "nonroot" UID/GID; the seed image runs fine as any user
KERNEL_LOG_PREFIX = "kernel="
# The loop prints one line every POD_LOG_SECONDS; every KERNEL_LINE_EVERY-th is the kernel line
# again, so that the end of the log still proves the kernel after the kubelet rotated the start
# away (it serves only the newest log file). A fork of `uname` every 5 minutes costs nothing.
POD_LOG_SECONDS = 5
KERNEL_LINE_EVERY = 60
# The seed's loop, plus the kernel line the isolation check (tools.verify) reads from the log.
POD_COMMAND = [
    "/bin/sh",
    "-ec",
    f'echo "{KERNEL_LOG_PREFIX}$(uname -r)"; n=0; while :; do sleep {POD_LOG_SECONDS}; '
    f'n=$((n + 1)); if [ "$n" -ge {KERNEL_LINE_EVERY} ]; then n=0; '
    f"echo \"{KERNEL_LOG_PREFIX}$(uname -r)\"; else echo '.'; fi; done",
]
APP_LABEL = "app.kubernetes.io/part-of"

Manifest = dict[str, Any]


def restricted_namespace(name: str, extra_labels: Mapping[str, str] | None = None) -> Manifest:
    """A namespace where Pod Security Admission enforces (and audits, warns) `restricted`."""
    version = catalog.POD_SECURITY_VERSION
    labels = {APP_LABEL: PROJECT, **(extra_labels or {})}
    for mode in ("enforce", "audit", "warn"):
        labels[f"pod-security.kubernetes.io/{mode}"] = "restricted"
        labels[f"pod-security.kubernetes.io/{mode}-version"] = version
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}}


def namespace(settings: Settings) -> Manifest:
    return restricted_namespace(settings.pod_namespace)


def service_account(settings: Settings) -> Manifest:
    return {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": SERVICE_ACCOUNT, "namespace": settings.pod_namespace},
        "automountServiceAccountToken": False,
    }


def default_deny(namespace: str) -> Manifest:
    # No rules at all: nothing in, nothing out (also not IMDS 169.254.169.254 or the API server).
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": NETWORK_POLICY, "namespace": namespace},
        "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]},
    }


def network_policy(settings: Settings) -> Manifest:
    return default_deny(settings.pod_namespace)


def parse_taint(taint: str) -> dict[str, str] | None:
    """`key=value:Effect` as a Kubernetes toleration that matches it exactly."""
    if not taint:
        return None
    key_value, effect = taint.rsplit(":", 1)
    key, _, value = key_value.partition("=")
    return {"key": key, "operator": "Equal", "value": value, "effect": effect}


def kata_pool_name(settings: Settings) -> str:
    """The pool the Kata nodes are in: the Kata pool, or with kataPoolPlacement system the
    System pool."""
    return (
        catalog.SYSTEM_POOL_NAME if settings.kata_on_system_pool else settings.kata_node_pool_name
    )


def workload_container(pod_name: str) -> str:
    """The name of a sandbox pod's one container (a webhook may add sidecars next to it)."""
    return pod_name


def pod_security_context() -> Manifest:
    """The pods' securityContext: Pod Security `restricted`, a fixed non-root user."""
    return {
        "runAsNonRoot": True,
        "runAsUser": RUN_AS_USER,
        "runAsGroup": RUN_AS_USER,
        "fsGroup": RUN_AS_USER,
        "seccompProfile": {"type": "RuntimeDefault"},
    }


def container_security_context() -> Manifest:
    """Each container's securityContext: no privilege, no capability, a read-only root."""
    return {
        "allowPrivilegeEscalation": False,
        "privileged": False,
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
        "capabilities": {"drop": ["ALL"]},
        "seccompProfile": {"type": "RuntimeDefault"},
    }


def pod(settings: Settings, name: str, runtime_class: str | None) -> Manifest:
    """A pod of the pair; `runtime_class` None gives the trusted (shared-kernel) pod."""
    limits = {"cpu": settings.pod_cpu_limit, "memory": settings.pod_memory_limit}
    spec: dict[str, Any] = {
        "serviceAccountName": SERVICE_ACCOUNT,
        "automountServiceAccountToken": False,
        "securityContext": pod_security_context(),
        "containers": [
            {
                "name": workload_container(name),
                "image": settings.pod_image,
                "command": POD_COMMAND,
                # The Kata shim sizes the VM from limits and ignores requests: keep them equal.
                "resources": {"limits": dict(limits), "requests": dict(limits)},
                "securityContext": container_security_context(),
            }
        ],
    }
    if runtime_class is not None:
        spec["runtimeClassName"] = runtime_class
        # Pinned to this stack's Kata pool. The RuntimeClass's own node selector sends the pod
        # to any Kata node; the Pod Sandboxing docs (copy of Aug 2026) do not show this, but it
        # is harmless and keeps the pod off another team's Kata pool (docs/limitations.md).
        spec["nodeSelector"] = {catalog.AGENT_POOL_LABEL: kata_pool_name(settings)}
        # No taint (and no toleration) when the Kata nodes are the cluster's System pool.
        toleration = parse_taint(settings.kata_taint)
        if toleration:
            spec["tolerations"] = [toleration]
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": settings.pod_namespace,
            "labels": {APP_LABEL: PROJECT, "sandbox": name},
        },
        "spec": spec,
    }


@dataclass(frozen=True)
class PodPair:
    """The trusted/untrusted pair and what they run in, as the SandboxPods component sends them."""

    namespace: Manifest
    service_account: Manifest
    network_policy: Manifest
    trusted: Manifest
    untrusted: Manifest

    def all(self) -> list[Manifest]:
        """Every object, in apply order."""
        return [
            self.namespace,
            self.service_account,
            self.network_policy,
            self.trusted,
            self.untrusted,
        ]


def pod_pair(settings: Settings) -> PodPair:
    return PodPair(
        namespace=namespace(settings),
        service_account=service_account(settings),
        network_policy=network_policy(settings),
        trusted=pod(settings, TRUSTED_POD, None),
        untrusted=pod(settings, UNTRUSTED_POD, settings.effective_runtime_class),
    )


def manifests(settings: Settings) -> list[Manifest]:
    """Every object the sandbox applies, in apply order."""
    return pod_pair(settings).all()


# Host-level features that break or weaken the Kata boundary (docs: not supported / avoid).
HOST_FIELDS = ("hostNetwork", "hostPID", "hostIPC")


def sandboxed_pod_violations(spec: Mapping[str, Any]) -> list[str]:
    """What a pod spec that uses a Kata runtime class must not do (empty: fine)."""
    problems = [
        f"{field} is not allowed for a sandboxed pod" for field in HOST_FIELDS if spec.get(field)
    ]
    for volume in spec.get("volumes") or []:
        if volume.get("hostPath") is not None:
            problems.append(f"volume {volume.get('name')!r} uses hostPath, which weakens isolation")
    containers = list(spec.get("containers") or []) + list(spec.get("initContainers") or [])
    for container in containers:
        name = container.get("name")
        if (container.get("securityContext") or {}).get("privileged"):
            problems.append(f"container {name!r} is privileged")
        memory = ((container.get("resources") or {}).get("limits") or {}).get("memory")
        mib = memory_mib(str(memory)) if memory is not None else None
        if mib is None or mib < catalog.MIN_POD_VM_MEMORY_MIB:
            problems.append(
                f"container {name!r} needs a memory limit of at least "
                f"{catalog.MIN_POD_VM_MEMORY_MIB}Mi (got {memory!r})"
            )
    return problems
