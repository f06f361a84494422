"""What the isolation check reads from the cluster, and the reading itself: plain API GETs.

Gathering only, no judgement (tools.verify_checks decides). Five reads, all `get`: the
RuntimeClass, the two pods, their nodes, and the first bytes of each pod's log, where the pod
printed `kernel=<uname -r>` at start-up (sandboxing.workload.POD_COMMAND). Reading the log
instead of exec'ing `uname -r` needs only `get pods/log`, not `create pods/exec`.

The official `kubernetes` client is imported inside the functions that talk to the API: it takes
a noticeable part of a second to import, and `--help` or a bad flag should not pay for it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

from sandboxing.workload import KERNEL_LOG_PREFIX

if TYPE_CHECKING:
    from kubernetes.client import ApiClient, CoreV1Api, V1Pod

T = TypeVar("T")

# (connect, read) seconds per request: a firewalled API server (apiServerAuthorizedIpRanges)
# drops packets, and without a timeout the check would hang instead of saying so.
REQUEST_TIMEOUT = (10, 30)
# The kernel line is the log's first line; a few KiB cover it without downloading a long log.
LOG_LIMIT_BYTES = 4096
POLL_SECONDS = 2.0
TERMINAL_PHASES = frozenset({"Succeeded", "Failed"})


# --- Facts -----------------------------------------------------------------------------------


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
class PodFacts:
    name: str
    namespace: str
    phase: str  # Pending, Running, Succeeded, Failed, Unknown
    runtime_class: str | None  # spec.runtimeClassName
    node_name: str | None  # None until scheduled
    node: NodeFacts | None
    kernel: str | None  # from the `kernel=` log line; None when not (yet) logged
    waiting: str = ""  # why it is not running, e.g. "ContainerCreating", for the report

    @property
    def running(self) -> bool:
        return self.phase == "Running"

    @property
    def settled(self) -> bool:
        """Nothing left to wait for: the kernel is known, or the pod will never run again."""
        return self.kernel is not None or self.phase in TERMINAL_PHASES


@dataclass(frozen=True)
class ClusterFacts:
    server: str
    namespace: str
    runtime_class: RuntimeClassFacts
    trusted: PodFacts
    untrusted: PodFacts
    waited_seconds: float = 0.0  # how long `--wait` polled (0: the first read settled it)


def kernel_from_log(text: str) -> str | None:
    """The kernel release from the pod's start-up line, whole and unaltered (None: no line)."""
    for line in text.splitlines():
        if line.startswith(KERNEL_LOG_PREFIX):
            return line[len(KERNEL_LOG_PREFIX) :].strip() or None
    return None


# --- Why a read failed -----------------------------------------------------------------------


class CannotCheckError(Exception):
    """The cluster could not be asked (unreachable, credentials, permissions, missing objects)."""


class ApiError(CannotCheckError):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Access:
    """One read, described the way RBAC and `kubectl auth can-i` name it."""

    resource: str  # plural, with API group for non-core: "runtimeclasses.node.k8s.io"
    name: str
    namespace: str | None = None  # None: cluster scope
    subresource: str = ""

    def __str__(self) -> str:
        what = f"{self.resource}/{self.subresource}" if self.subresource else self.resource
        where = f'in namespace "{self.namespace}"' if self.namespace else "(cluster scope)"
        return f'get {what} "{self.name}" {where}'

    def can_i(self) -> str:
        command = f"kubectl auth can-i get {self.resource}"
        if self.subresource:
            command += f" --subresource={self.subresource}"
        return command + (f" -n {self.namespace}" if self.namespace else "")


def _server_message(body: str | None) -> str:
    """The `message` of a Kubernetes Status body, else the body itself."""
    if not body:
        return ""
    try:
        status = json.loads(body)
    except ValueError:
        return body.strip()[:300]
    return str(status.get("message", "")) if isinstance(status, dict) else ""


def api_problem(access: Access, server: str, status: int, reason: str, body: str | None) -> str:
    said = _server_message(body)
    said = f" The API server said: {said}" if said else ""
    if status == 401:
        return (
            f"the API server at {server} rejected the kubeconfig's credentials (HTTP 401) on "
            f"{access}. The token or client certificate is invalid or expired: get a fresh "
            "kubeconfig (pulumi stack output kubeconfig --show-secrets, or az aks "
            "get-credentials); with Microsoft Entra ID, kubelogin must be able to sign you in."
            + said
        )
    if status == 403:
        return (
            f"forbidden (HTTP 403): the kubeconfig's user may not {access}. The check needs "
            "`get` on runtimeclasses.node.k8s.io and nodes (cluster scope) and on pods and "
            f"pods/log in the pods' namespace; this one is missing. Test with: {access.can_i()}."
            + said
        )
    if status == 404 and access.resource == "pods" and not access.subresource:
        return (
            f'pod "{access.name}" not found in namespace "{access.namespace}" (HTTP 404). Is the '
            "stack deployed (pulumi up), does the kubeconfig point at its cluster, and are "
            "--namespace/--trusted-pod/--untrusted-pod right? --stack NAME reads them from "
            "the stack outputs."
        )
    if status == 404 and access.resource == "nodes":
        return (
            f'node "{access.name}" not found (HTTP 404): it left the cluster (scale-down, '
            "upgrade) after the pod was scheduled. Run the check again."
        )
    return f"the API server answered HTTP {status} {reason} to {access}.{said}"


def unreachable_problem(server: str, error: Exception) -> str:
    """A connection-level failure in words (urllib3 wraps the cause in MaxRetryError.reason)."""
    from urllib3.exceptions import (
        ConnectTimeoutError,
        NewConnectionError,
        ReadTimeoutError,
        SSLError,
    )

    cause = getattr(error, "reason", None) or error
    text = str(cause)
    # NewConnectionError subclasses ConnectTimeoutError in urllib3, so it is tested first.
    if isinstance(cause, NewConnectionError) and any(
        hint in text.lower()
        for hint in ("resolve", "name or service not known", "nodename nor servname", "getaddr")
    ):
        what = "its host name does not resolve (DNS). Does the cluster still exist?"
    elif isinstance(cause, NewConnectionError) and "refused" in text.lower():
        what = "connection refused. Is the cluster running (az aks show ... powerState)?"
    elif isinstance(cause, ConnectTimeoutError):
        what = (
            f"timed out after {REQUEST_TIMEOUT[0]} s connecting. If the cluster limits "
            "apiServerAuthorizedIpRanges, add your public IP; a private cluster is only "
            "reachable from its network"
        )
    elif isinstance(cause, ReadTimeoutError):
        what = f"no answer within {REQUEST_TIMEOUT[1]} s"
    elif isinstance(cause, SSLError):
        what = f"TLS failed ({text}). Is the kubeconfig's certificate-authority-data current?"
    else:
        what = text
    return f"cannot reach the Kubernetes API server at {server}: {what}"


# --- Reading ---------------------------------------------------------------------------------


def connect(kubeconfig: str, context: str | None = None) -> ApiClient:
    """An API client from a kubeconfig file (a path list like $KUBECONFIG works too)."""
    from kubernetes import client, config

    configuration = client.Configuration()
    try:
        # persist_config=False: never write refreshed tokens back into the user's file.
        config.load_kube_config(
            config_file=kubeconfig,
            context=context,
            client_configuration=configuration,
            persist_config=False,
        )
    except Exception as error:  # any failure here means this kubeconfig is unusable
        raise CannotCheckError(f"cannot use the kubeconfig {kubeconfig}: {error}") from None
    # One attempt per read, bounded by REQUEST_TIMEOUT: a dead endpoint is reported at once
    # instead of after urllib3's silent retries.
    configuration.retries = 0
    return client.ApiClient(configuration)


def _read(server: str, access: Access, call: Callable[[], T]) -> T:
    from kubernetes.client.exceptions import ApiException
    from urllib3.exceptions import HTTPError

    try:
        return call()
    except ApiException as error:
        status = int(error.status or 0)
        message = api_problem(access, server, status, str(error.reason or ""), error.body)
        raise ApiError(message, status) from None
    except HTTPError as error:
        raise CannotCheckError(unreachable_problem(server, error)) from None


def _waiting_reason(pod: V1Pod) -> str:
    status = pod.status
    if status is None:
        return ""
    for container in status.container_statuses or []:
        state = container.state
        waiting = state.waiting if state else None
        if waiting and waiting.reason:
            return f"{waiting.reason}: {waiting.message}" if waiting.message else waiting.reason
        terminated = state.terminated if state else None
        if terminated and terminated.reason:
            return f"{terminated.reason} (exit code {terminated.exit_code})"
    for condition in status.conditions or []:
        if condition.type == "PodScheduled" and condition.status == "False":
            return f"{condition.reason}: {condition.message}" if condition.message else ""
    return ""


class _Reader:
    """The reads of one snapshot; nodes are cached because both pods may share one."""

    def __init__(self, api_client: ApiClient, namespace: str) -> None:
        from kubernetes.client import CoreV1Api, NodeV1Api

        self.server = str(api_client.configuration.host)
        self.namespace = namespace
        self.core: CoreV1Api = CoreV1Api(api_client)
        self.node_api = NodeV1Api(api_client)
        self.nodes: dict[str, NodeFacts] = {}

    def runtime_class(self, name: str) -> RuntimeClassFacts:
        access = Access("runtimeclasses.node.k8s.io", name)
        try:
            found = _read(
                self.server,
                access,
                lambda: self.node_api.read_runtime_class(name, _request_timeout=REQUEST_TIMEOUT),
            )
        except ApiError as error:
            if error.status == 404:  # a fact for the checks, not a reason to stop
                return RuntimeClassFacts(name, found=False)
            raise
        return RuntimeClassFacts(name, found=True, handler=found.handler)

    def node(self, name: str) -> NodeFacts:
        if name not in self.nodes:
            node = _read(
                self.server,
                Access("nodes", name),
                lambda: self.core.read_node(name, _request_timeout=REQUEST_TIMEOUT),
            )
            info = node.status.node_info if node.status else None
            labels = (node.metadata.labels if node.metadata else None) or {}
            self.nodes[name] = NodeFacts(name, info.kernel_version if info else "", dict(labels))
        return self.nodes[name]

    def kernel(self, pod: str) -> str | None:
        access = Access("pods", pod, self.namespace, subresource="log")
        try:
            log: Any = _read(
                self.server,
                access,
                lambda: self.core.read_namespaced_pod_log(
                    pod,
                    self.namespace,
                    limit_bytes=LOG_LIMIT_BYTES,
                    _request_timeout=REQUEST_TIMEOUT,
                ),
            )
        except ApiError as error:
            if error.status == 400:  # "container ... is waiting to start": not logged yet
                return None
            raise
        return kernel_from_log(log if isinstance(log, str) else str(log or ""))

    def pod(self, name: str) -> PodFacts:
        pod = _read(
            self.server,
            Access("pods", name, self.namespace),
            lambda: self.core.read_namespaced_pod(
                name, self.namespace, _request_timeout=REQUEST_TIMEOUT
            ),
        )
        phase = (pod.status.phase if pod.status else None) or "Unknown"
        spec = pod.spec
        node_name = (spec.node_name if spec else None) or None
        return PodFacts(
            name=name,
            namespace=self.namespace,
            phase=phase,
            runtime_class=(spec.runtime_class_name if spec else None) or None,
            node_name=node_name,
            node=self.node(node_name) if node_name else None,
            # Logs exist only once the container started; a Pending pod answers 400.
            kernel=self.kernel(name) if phase == "Running" else None,
            waiting=_waiting_reason(pod),
        )


def snapshot(api_client: ApiClient, target: Target) -> ClusterFacts:
    reader = _Reader(api_client, target.namespace)
    return ClusterFacts(
        server=reader.server,
        namespace=target.namespace,
        runtime_class=reader.runtime_class(target.runtime_class),
        trusted=reader.pod(target.trusted_pod),
        untrusted=reader.pod(target.untrusted_pod),
    )


def gather(
    api_client: ApiClient,
    target: Target,
    wait_seconds: float = 0.0,
    poll_seconds: float = POLL_SECONDS,
) -> ClusterFacts:
    """Read the facts; with `wait_seconds`, poll until both pods have logged their kernel.

    After the timeout the last snapshot is returned as it is: deciding what a Pending pod means
    is the checks' job, not the reader's.
    """
    start = time.monotonic()
    polled = False
    while True:
        facts = snapshot(api_client, target)
        elapsed = time.monotonic() - start
        if (facts.trusted.settled and facts.untrusted.settled) or elapsed >= wait_seconds:
            # Report a wait only when there was one, not the time the reads themselves took.
            return replace(facts, waited_seconds=round(elapsed, 1) if polled else 0.0)
        time.sleep(min(poll_seconds, wait_seconds - elapsed))
        polled = True
