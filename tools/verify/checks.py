"""The isolation verdict: facts read from the cluster in, one result per check out. Pure.

A check PASSes, FAILs (the cluster shows the pods are not isolated as intended) or is UNKNOWN
(the facts cannot decide it yet, e.g. a pod still Pending). The proof is check 4: the untrusted
pod's kernel differs from the trusted pod's and from its own node's. Kernel releases are compared
as whole strings: the Kata guest's and the host's both contain `mshv` and may share a prefix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sandboxing.catalog import KATA_HANDLER, SANDBOX_RUNTIMES
from sandboxing.workload import KERNEL_LINE_EVERY, POD_LOG_SECONDS
from tools.verify.facts import TERMINAL_PHASES, ClusterFacts, PodFacts, RuntimeClassFacts

Status = Literal["PASS", "FAIL", "UNKNOWN"]

# Exit codes of `python -m tools.verify` (documented in docs/verify.md).
ISOLATED = 0
NOT_ISOLATED = 1  # at least one check failed
CANNOT_CHECK = 2  # the cluster could not be read, or a check could not be decided yet

# AKS labels every node of a Kata pool with its runtime's label; either runtime counts, because
# preview-era pools keep the old label.
KATA_NODE_LABELS = tuple(runtime.node_label for runtime in SANDBOX_RUNTIMES.values())
KATA_LABEL_VALUE = "true"
NONE = "(none)"
# Longer than this without a kernel line in the log's end: the line is not just "not yet".
KERNEL_LINE_SECONDS = KERNEL_LINE_EVERY * POD_LOG_SECONDS


@dataclass(frozen=True)
class CheckResult:
    title: str
    status: Status
    detail: str  # why it passed, failed or could not be decided
    evidence: dict[str, str] = field(default_factory=dict)


def kata_label(labels: dict[str, str]) -> str | None:
    """The Kata node label a node carries, as `key=true`; None when it has none."""
    for label in KATA_NODE_LABELS:
        if labels.get(label) == KATA_LABEL_VALUE:
            return f"{label}={KATA_LABEL_VALUE}"
    return None


def _pod_evidence(pod: PodFacts) -> dict[str, str]:
    evidence = {
        "phase": pod.phase,
        "runtimeClassName": pod.runtime_class or NONE,
        "node": pod.node_name or "(not scheduled)",
    }
    if pod.node is not None:
        evidence["node Kata label"] = kata_label(pod.node.labels) or NONE
    if pod.waiting:
        evidence["waiting"] = pod.waiting
    container = pod.container
    if container is not None and (container.restart_count or not container.ready):
        evidence["container"] = f"{container.name}: {container.state}" + (
            ", ready" if container.ready else ", not ready"
        )
        evidence["restarts"] = str(container.restart_count)
        if container.last_exit:
            evidence["last exit"] = container.last_exit
    return evidence


def _not_running(pod: PodFacts, role: str) -> tuple[Status, str] | None:
    """FAIL for a pod that ended or crash-loops (its command never exits), UNKNOWN for one not
    running yet. A crash loop keeps the phase Running while the kubelet serves the dead
    container's log: that log proves nothing about a container running now."""
    waiting = f" ({pod.waiting})" if pod.waiting else ""
    describe = f"kubectl describe pod {pod.name} -n {pod.namespace}"
    if pod.phase in TERMINAL_PHASES:
        return (
            "FAIL",
            f"the {role} pod is {pod.phase}{waiting}, but it should keep running: {describe}",
        )
    if pod.crash_looping and pod.container is not None:
        container = pod.container
        return "FAIL", (
            f"the {role} pod's container {container.name} keeps dying{waiting}: "
            f"{container.restart_count} restarts, last {container.last_exit or 'exit unknown'}; "
            f"a crash loop is no running sandbox. Its previous log: kubectl logs {pod.name} "
            f"-n {pod.namespace} -c {container.name} --previous; {describe}"
        )
    if pod.phase != "Running":
        return "UNKNOWN", f"the {role} pod is {pod.phase}{waiting}, not Running yet"
    if not pod.running:
        return "UNKNOWN", f"the {role} pod's container is not running and ready yet{waiting}"
    return None


def runtime_class_check(runtime_class: RuntimeClassFacts) -> CheckResult:
    title = f'RuntimeClass "{runtime_class.name}" exists with handler "{KATA_HANDLER}"'
    if not runtime_class.found:
        return CheckResult(
            title,
            "FAIL",
            "the cluster does not serve this RuntimeClass: AKS creates it with a Kata node pool "
            "(workloadRuntime KataVmIsolation); preview-era pools serve "
            f"{', '.join(r.runtime_class for r in SANDBOX_RUNTIMES.values())} (--runtime-class)",
            {"found": "no"},
        )
    evidence = {"handler": runtime_class.handler or NONE}
    if runtime_class.handler != KATA_HANDLER:
        return CheckResult(
            title,
            "FAIL",
            f'its handler is "{runtime_class.handler}": pods of this class are not run by Kata',
            evidence,
        )
    return CheckResult(title, "PASS", "pods of this class run in Kata VMs", evidence)


def untrusted_pod_check(pod: PodFacts, expected_class: str, role: str = "untrusted") -> CheckResult:
    """`role` names the pod in the report: the pair's untrusted pod, or a claimed sandbox's."""
    title = f'{role} pod "{pod.name}" runs in a Kata VM ({expected_class}, Kata node)'
    evidence = _pod_evidence(pod)
    if pod.runtime_class is None:
        return CheckResult(
            title, "FAIL", "it has no runtimeClassName: it runs on the node's kernel", evidence
        )
    if pod.runtime_class != expected_class:
        return CheckResult(
            title,
            "FAIL",
            f'it uses runtimeClassName "{pod.runtime_class}", not "{expected_class}"',
            evidence,
        )
    if pod.node is not None and kata_label(pod.node.labels) is None:
        wanted = " or ".join(f"{label}={KATA_LABEL_VALUE}" for label in KATA_NODE_LABELS)
        return CheckResult(
            title, "FAIL", f"its node {pod.node.name} carries no {wanted} label", evidence
        )
    if problem := _not_running(pod, role):
        return CheckResult(title, *problem, evidence)
    return CheckResult(title, "PASS", "Running with the Kata class on a Kata node", evidence)


def trusted_pod_check(pod: PodFacts) -> CheckResult:
    title = f'trusted pod "{pod.name}" runs on the shared node kernel (no runtimeClassName)'
    evidence = _pod_evidence(pod)
    if pod.node is not None:
        evidence["node kernel"] = pod.node.kernel_version
    if pod.runtime_class is not None:
        return CheckResult(
            title,
            "FAIL",
            f'it sets runtimeClassName "{pod.runtime_class}": it is no shared-kernel reference',
            evidence,
        )
    if problem := _not_running(pod, "trusted"):
        return CheckResult(title, *problem, evidence)
    return CheckResult(title, "PASS", f"Running on node {pod.node_name}", evidence)


def kernel_check(trusted: PodFacts, untrusted: PodFacts) -> CheckResult:
    title = "the untrusted pod's kernel differs from the trusted pod's and from its node's"
    node_kernel = untrusted.node.kernel_version if untrusted.node else None
    evidence = {
        "untrusted pod kernel": untrusted.kernel or "(unknown)",
        "trusted pod kernel": trusted.kernel or "(unknown)",
        f"untrusted pod's node kernel ({untrusted.node_name or '-'})": node_kernel or "(unknown)",
    }
    missing = [_missing_kernel(pod) for pod in (untrusted, trusted) if pod.kernel is None]
    if not node_kernel:
        missing.append("the untrusted pod's node kernel")
    if missing:
        return CheckResult(
            title, "UNKNOWN", "cannot compare without " + " and ".join(missing), evidence
        )
    # Whole-string equality on purpose: a substring test ("mshv" in ...) or a prefix test would
    # take a guest kernel like 6.1.58.mshv4 for the host's 6.1.58.mshv4-1.azl3, or vice versa.
    if untrusted.kernel == trusted.kernel:
        return CheckResult(
            title,
            "FAIL",
            "the untrusted pod runs on the same kernel as the trusted pod: no VM boundary",
            evidence,
        )
    if untrusted.kernel == node_kernel:
        return CheckResult(
            title,
            "FAIL",
            "the untrusted pod runs on its node's kernel: no VM boundary",
            evidence,
        )
    return CheckResult(title, "PASS", "the untrusted pod runs on its own (guest) kernel", evidence)


def _duration(seconds: float) -> str:
    for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= 2 * size:
            return f"{int(seconds // size)} {unit}"
    return f"{int(seconds)} seconds"


def _rotated_away(pod: PodFacts) -> bool:
    """The log was searched and the container has run long enough to have repeated the line."""
    seconds = pod.container.running_seconds if pod.container else None
    return bool(pod.log_window) and seconds is not None and seconds > 2 * KERNEL_LINE_SECONDS


def _missing_kernel(pod: PodFacts) -> str:
    if not pod.running:
        return f"the {pod.name} pod's kernel (its container is not running)"
    if _rotated_away(pod):
        return f"the {pod.name} pod's kernel (no `kernel=` line in {pod.log_window})"
    return f"the {pod.name} pod's kernel (no `kernel=` line in its log yet)"


def advice(facts: ClusterFacts) -> str:
    """One line on what to do when the checks cannot decide, naming what really happened."""
    pods = (facts.untrusted, facts.trusted)
    rotated = [pod for pod in pods if pod.kernel is None and _rotated_away(pod)]
    if rotated:
        pod = rotated[0]
        seconds = pod.container.running_seconds if pod.container else None
        return (
            f"The {pod.name} pod started {_duration(seconds or 0)} ago and the kubelet has "
            "rotated its log: it serves only the newest file, and the start-up `kernel=` line "
            f"is gone. Pods of this version repeat it every {KERNEL_LINE_SECONDS // 60} "
            "minutes; a pod without it predates that: `pulumi up` replaces the pods (their "
            "command changed), then run the check again with --wait 300."
        )
    if any(not pod.running for pod in pods) and not facts.waited_seconds:
        return "Pods still starting? Run again with --wait 300."
    return ""


def decide(facts: ClusterFacts) -> list[CheckResult]:
    return [
        runtime_class_check(facts.runtime_class),
        untrusted_pod_check(facts.untrusted, facts.runtime_class.name),
        trusted_pod_check(facts.trusted),
        kernel_check(facts.trusted, facts.untrusted),
    ]


def exit_code(results: list[CheckResult]) -> int:
    """A failure outweighs an undecided check: it is a finding, not a missing fact."""
    statuses = {result.status for result in results}
    if "FAIL" in statuses:
        return NOT_ISOLATED
    if "UNKNOWN" in statuses:
        return CANNOT_CHECK
    return ISOLATED
