"""Reading the isolation check's facts from the API server: plain GETs, no judgement.

Reads, all `get`: the RuntimeClass and the pods' nodes once (neither changes under a running
pod), the two pods (polled by `--wait`, with back-off), and the end of each pod's workload
container log, where the pod prints `kernel=<uname -r>` (sandboxing.workload.POD_COMMAND).
Reading the log instead of exec'ing `uname -r` needs only `get pods/log`, not `create
pods/exec`.

The official `kubernetes` client is imported inside the functions that talk to the API: it takes
a noticeable part of a second to import, and `--help` or a bad flag should not pay for it.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from sandboxing.workload import KERNEL_LINE_EVERY, workload_container
from tools.verify.connect import client_cert_expiry
from tools.verify.diagnosis import (
    Access,
    ApiError,
    api_problem,
    server_message,
    unreachable_problem,
)
from tools.verify.facts import (
    CannotCheckError,
    ClusterFacts,
    ContainerFacts,
    NodeFacts,
    PodFacts,
    RuntimeClassFacts,
    Target,
    kernel_from_log,
)

if TYPE_CHECKING:
    from kubernetes.client import ApiClient, V1ContainerStatus, V1Pod

T = TypeVar("T")

# (connect, read) seconds per request; the connect timeout also bounds the TLS handshake. A
# firewalled API server (apiServerAuthorizedIpRanges) drops packets: without a timeout the
# check would hang instead of saying so.
REQUEST_TIMEOUT = (10.0, 30.0)
# The log's end: twice the distance between two kernel lines, so it holds one even if the
# kubelet rotated the file a moment ago, cut at a size that bounds the download whatever the
# pod prints. The kubelet applies tailLines first, then limitBytes
# (kubernetes/kubernetes @ 04791b4 pkg/kubelet/kuberuntime/logs/logs.go `ReadLogs`).
LOG_TAIL_LINES = 2 * KERNEL_LINE_EVERY
LOG_LIMIT_BYTES = 4096
# The log of a container that is not running is not this container's: a crash-looping one
# serves its dead predecessor's (kubernetes/kubernetes @ df5f024 pkg/kubelet/kubelet_pods.go
# `validateContainerLogStatus`).
# Its 400s that mean "no log yet" say so; any other 400 is a finding to report.
NOT_STARTED = ("is waiting to start", "ContainerCreating")
POLL_SECONDS = 2.0  # the first pause of --wait; each next one doubles, up to:
MAX_POLL_SECONDS = 16.0


def _read(
    server: str,
    access: Access,
    call: Callable[[], T],
    api_client: ApiClient,
    timeout: tuple[float, float],
) -> T:
    from kubernetes.client.exceptions import ApiException
    from urllib3.exceptions import HTTPError

    try:
        return call()
    except ApiException as error:
        status = int(error.status or 0)
        expired = client_cert_expiry(api_client) if status == 401 else None
        message = api_problem(
            access, server, status, str(error.reason or ""), error.body, cert_expired_on=expired
        )
        raise ApiError(message, status, server_message(error.body)) from None
    except HTTPError as error:
        raise CannotCheckError(unreachable_problem(server, error, timeout)) from None


def _container(pod: V1Pod, name: str) -> ContainerFacts | None:
    status_list = pod.status.container_statuses if pod.status else None
    statuses: list[V1ContainerStatus] = status_list or []
    status = next((s for s in statuses if s.name == name), None)
    if status is None:
        return None
    state = status.state
    last = status.last_state.terminated if status.last_state else None
    last_exit = f"{last.reason or 'exited'} (exit code {last.exit_code})" if last else ""
    facts = ContainerFacts(
        name, "unknown", bool(status.ready), int(status.restart_count or 0), last_exit=last_exit
    )
    if state and state.running:
        started = state.running.started_at
        seconds = None
        if isinstance(started, datetime.datetime):
            seconds = (datetime.datetime.now(datetime.UTC) - started).total_seconds()
        return replace(facts, state="running", running_seconds=seconds)
    if state and state.waiting:
        return replace(
            facts,
            state="waiting",
            reason=state.waiting.reason or "",
            message=state.waiting.message or "",
        )
    if state and state.terminated:
        terminated = state.terminated
        return replace(
            facts,
            state="terminated",
            reason=terminated.reason or "",
            message=f"exit code {terminated.exit_code}",
        )
    return facts


def _waiting_reason(pod: V1Pod, container: ContainerFacts | None) -> str:
    if container is not None and container.reason:
        detail = container.message
        return f"{container.reason}: {detail}" if detail else container.reason
    status = pod.status
    for condition in (status.conditions if status else None) or []:
        if condition.type == "PodScheduled" and condition.status == "False":
            return f"{condition.reason}: {condition.message}" if condition.message else ""
    return ""


class ClusterReader:
    """The reads of one check; nodes are kept because they cannot change under a pod."""

    def __init__(self, api_client: ApiClient, namespace: str) -> None:
        from kubernetes.client import CoreV1Api, NodeV1Api

        self.api_client = api_client
        self.server = str(api_client.configuration.host)
        self.namespace = namespace
        self.timeout = REQUEST_TIMEOUT
        self.core: CoreV1Api = CoreV1Api(api_client)
        self.node_api = NodeV1Api(api_client)
        self.nodes: dict[str, NodeFacts] = {}

    def read(self, access: Access, call: Callable[[], T]) -> T:
        return _read(self.server, access, call, self.api_client, self.timeout)

    def runtime_class(self, name: str) -> RuntimeClassFacts:
        access = Access("runtimeclasses.node.k8s.io", name)
        try:
            found = self.read(
                access,
                lambda: self.node_api.read_runtime_class(name, _request_timeout=self.timeout),
            )
        except ApiError as error:
            if error.status == 404:  # a fact for the checks, not a reason to stop
                return RuntimeClassFacts(name, found=False)
            raise
        return RuntimeClassFacts(name, found=True, handler=found.handler)

    def node(self, name: str) -> NodeFacts:
        if name not in self.nodes:
            node = self.read(
                Access("nodes", name),
                lambda: self.core.read_node(name, _request_timeout=self.timeout),
            )
            info = node.status.node_info if node.status else None
            labels = (node.metadata.labels if node.metadata else None) or {}
            self.nodes[name] = NodeFacts(name, info.kernel_version if info else "", dict(labels))
        return self.nodes[name]

    def log(self, pod: str, container: str, tail: bool) -> str | None:
        """The log's end (`tail`) or its start; None while the container has no log yet."""
        access = Access("pods", pod, self.namespace, subresource="log")
        window: dict[str, Any] = {"tail_lines": LOG_TAIL_LINES} if tail else {}
        try:
            log: Any = self.read(
                access,
                lambda: self.core.read_namespaced_pod_log(
                    pod,
                    self.namespace,
                    container=container,
                    limit_bytes=LOG_LIMIT_BYTES,
                    _request_timeout=self.timeout,
                    **window,
                ),
            )
        except ApiError as error:
            if error.status == 400 and any(words in error.said for words in NOT_STARTED):
                return None
            raise
        return log if isinstance(log, str) else str(log or "")

    def kernel(self, pod: str, container: str) -> tuple[str | None, str]:
        """The kernel from the log's end, else (pods that print it only once) its start."""
        end = self.log(pod, container, tail=True)
        if end is None:
            return None, ""
        if kernel := kernel_from_log(end):
            return kernel, ""
        start = self.log(pod, container, tail=False)
        if start is not None and (kernel := kernel_from_log(start)):
            return kernel, ""
        return None, (
            f"the last {LOG_TAIL_LINES} lines and the first {LOG_LIMIT_BYTES} bytes "
            f"the kubelet serves of container {container}'s log"
        )

    def pod(self, name: str) -> PodFacts:
        pod = self.read(
            Access("pods", name, self.namespace),
            lambda: self.core.read_namespaced_pod(
                name, self.namespace, _request_timeout=self.timeout
            ),
        )
        phase = (pod.status.phase if pod.status else None) or "Unknown"
        spec = pod.spec
        containers = [c.name for c in (spec.containers if spec else None) or []]
        # A pod of this program has one container, named by sandboxing.workload; a pod named
        # with --trusted-pod/--untrusted-pod may have another single one.
        name_of = containers[0] if len(containers) == 1 else workload_container(name)
        container = _container(pod, name_of)
        node_name = (spec.node_name if spec else None) or None
        facts = PodFacts(
            name=name,
            namespace=self.namespace,
            phase=phase,
            runtime_class=(spec.runtime_class_name if spec else None) or None,
            node_name=node_name,
            node=self.node(node_name) if node_name else None,
            kernel=None,
            waiting=_waiting_reason(pod, container),
            container=container,
        )
        if not facts.running:  # its log would be a dead container's, or none
            return facts
        kernel, window = self.kernel(name, name_of)
        return replace(facts, kernel=kernel, log_window=window)


def gather(
    api_client: ApiClient,
    target: Target,
    wait_seconds: float = 0.0,
    poll_seconds: float = POLL_SECONDS,
    max_poll_seconds: float = MAX_POLL_SECONDS,
) -> ClusterFacts:
    """Read the facts; with `wait_seconds`, poll the pods until both settled.

    Pauses double from `poll_seconds` up to `max_poll_seconds` and never pass the deadline.
    After it, the last reads are returned as they are: deciding what a Pending pod means is the
    checks' job, not the reader's.
    """
    reader = ClusterReader(api_client, target.namespace)
    # Read once: pods that use a RuntimeClass can only exist while it does.
    runtime_class = reader.runtime_class(target.runtime_class)
    start = time.monotonic()
    trusted: PodFacts | None = None
    untrusted: PodFacts | None = None
    pause, polled = poll_seconds, False
    while True:
        if trusted is None or not trusted.settled:
            trusted = reader.pod(target.trusted_pod)
        if untrusted is None or not untrusted.settled:
            untrusted = reader.pod(target.untrusted_pod)
        elapsed = time.monotonic() - start
        settled = trusted.settled and untrusted.settled
        if settled or elapsed >= wait_seconds:
            # Report a wait only when there was one, not the time the reads themselves took.
            # Gave up: the whole `--wait`, also when slow first reads used it up (the reads'
            # own timing must not change the report).
            waited = round(elapsed, 1) if polled else 0.0
            if not settled and wait_seconds > 0:
                waited = float(wait_seconds)
            return ClusterFacts(
                reader.server, target.namespace, runtime_class, trusted, untrusted, waited
            )
        time.sleep(min(pause, wait_seconds - elapsed))
        pause, polled = min(pause * 2, max_poll_seconds), True
