"""What the isolation check knows about the cluster: plain data, no reading, no judgement.

tools.verify.read fills these from the API; tools.verify.checks decides on them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sandboxing.workload import KERNEL_LOG_PREFIX

TERMINAL_PHASES = frozenset({"Succeeded", "Failed"})


class CannotCheckError(Exception):
    """The cluster could not be asked (unreachable, credentials, permissions, missing objects)."""


@dataclass(frozen=True)
class Target:
    """Which objects to check (stack outputs, flags or the stack contract's defaults)."""

    namespace: str
    trusted_pod: str
    untrusted_pod: str
    runtime_class: str


@dataclass(frozen=True)
class RuntimeClassFacts:
    name: str
    found: bool
    handler: str | None = None


@dataclass(frozen=True)
class NodeFacts:
    name: str
    kernel_version: str  # status.nodeInfo.kernelVersion: the host kernel
    labels: dict[str, str]


@dataclass(frozen=True)
class ContainerFacts:
    """The workload container's status (status.containerStatuses[] of that name)."""

    name: str
    state: str  # "running", "waiting", "terminated" or "unknown" (no status yet)
    ready: bool = False
    restart_count: int = 0
    reason: str = ""  # waiting/terminated reason, e.g. "CrashLoopBackOff", "ContainerCreating"
    message: str = ""
    last_exit: str = ""  # how the previous container ended, e.g. "Error (exit code 132)"
    running_seconds: float | None = None  # since state.running.startedAt, when running

    @property
    def crash_looping(self) -> bool:
        """Not running now after having run: the pod's command never exits on its own."""
        return self.state in ("waiting", "terminated") and (
            self.reason == "CrashLoopBackOff" or self.restart_count > 0 or bool(self.last_exit)
        )


@dataclass(frozen=True)
class PodFacts:
    name: str
    namespace: str
    phase: str  # Pending, Running, Succeeded, Failed, Unknown
    runtime_class: str | None  # spec.runtimeClassName
    node_name: str | None  # None until scheduled
    node: NodeFacts | None
    kernel: str | None  # from the `kernel=` log line; None when not found
    waiting: str = ""  # why it is not running, e.g. "ContainerCreating", for the report
    container: ContainerFacts | None = None  # None: no status for the workload container yet
    log_window: str = ""  # which part of the log was searched, when no kernel line was found

    @property
    def running(self) -> bool:
        """Running and its workload container running and ready: only then is its log proof."""
        container = self.container
        return self.phase == "Running" and (
            container is None or (container.state == "running" and container.ready)
        )

    @property
    def crash_looping(self) -> bool:
        container = self.container
        return self.phase == "Running" and container is not None and container.crash_looping

    @property
    def settled(self) -> bool:
        """Nothing left to wait for: the kernel is known, or the pod will not run as it should."""
        if self.phase in TERMINAL_PHASES or self.crash_looping:
            return True
        return self.running and self.kernel is not None


@dataclass(frozen=True)
class ClusterFacts:
    server: str
    namespace: str
    runtime_class: RuntimeClassFacts
    trusted: PodFacts
    untrusted: PodFacts
    waited_seconds: float = 0.0  # how long `--wait` polled (0: the first read settled it)


def kernel_from_log(text: str) -> str | None:
    """The kernel release from the LAST `kernel=` line, whole and unaltered (None: no line).

    The last one, because the pods repeat the line (sandboxing.workload.POD_COMMAND) so that a
    window at the log's end still holds it after the kubelet rotated the start away.
    """
    for line in reversed(text.splitlines()):
        if line.startswith(KERNEL_LOG_PREFIX):
            return line[len(KERNEL_LOG_PREFIX) :].strip() or None
    return None
