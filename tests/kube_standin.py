"""A stand-in for the Kubernetes API server (and the kubelet behind `pods/log`), on 127.0.0.1.

It answers the reads the isolation check makes the way kube-apiserver and the kubelet do, so the
official `kubernetes` client talks to it through an ordinary kubeconfig and nothing inside the
client is mocked:

- objects (RuntimeClass, Node, Pod) as JSON, missing ones as a 404 `Status`;
- authentication like kube-apiserver: a bearer token, or a client certificate that the TLS layer
  only requests and the x509 authenticator then verifies, answering 401 "Unauthorized" for an
  expired one (k8s.io/apiserver v0.36.3 pkg/server/secure_serving.go `tls.RequestClientCert`,
  pkg/authentication/request/x509/x509.go);
- API groups it does not know itself through `Cluster.extensions` (tests/sandbox_standin.py
  serves the agent-sandbox CRDs that way): writes (POST, DELETE) and watches (`?watch=true`,
  one JSON event per line on a response that ends when the watch does, as kube-apiserver
  streams them);
- `pods/log` with the apiserver's container choice (kubernetes/kubernetes @ 008b365
  pkg/registry/core/pod/strategy.go `validateContainer`: "a container name must be specified for pod
  %s, choose one of: %s", "container %s is not valid for pod %s"), the kubelet's container-state
  rules (kubernetes/kubernetes @ df5f024 pkg/kubelet/kubelet_pods.go `validateContainerLogStatus`: a
  waiting container with a previous termination serves that stopped container's log, else "container
  %q in pod %q is waiting to start: %v"), its errors relayed as 400 BadRequest with the kubelet's
  text as message (k8s.io/apiserver v0.36.3 pkg/registry/generic/rest/response_checker.go), and
  `tailLines` applied before `limitBytes` (kubernetes/kubernetes @ 04791b4
  pkg/kubelet/kuberuntime/logs/logs.go `ReadLogs`).

TLS material comes from tests/tls_material.py `pki()`: made once per test session.
"""

from __future__ import annotations

import datetime
import http.server
import json
import socket
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from standins import in_a_thread
from tls_material import LOCALHOST, Pem, pki

Response = tuple[int, Any]  # (HTTP status, JSON-able body or log text)
WatchEvents = Iterator[dict[str, Any]]  # {"type": "ADDED" | "MODIFIED" | "DELETED", "object"}
# (method, path, query, JSON body or None) -> an answer, watch events, or None: not mine.
Extension = Callable[[str, str, dict[str, list[str]], Any], "Response | WatchEvents | None"]
# OpenSSL X509_V_FLAG_NO_CHECK_TIME: let an expired client certificate through the handshake,
# as Go's tls.RequestClientCert does, so the authenticator can answer 401 like kube-apiserver.
_NO_CHECK_TIME = 0x200000


# --- Real-shaped answers ---------------------------------------------------------------------


def status_body(code: int, reason: str, message: str) -> dict[str, Any]:
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }


UNAUTHORIZED: Response = (401, status_body(401, "Unauthorized", "Unauthorized"))


def not_found(resource: str, name: str) -> Response:
    return 404, status_body(404, "NotFound", f'{resource} "{name}" not found')


def bad_request(message: str) -> Response:
    return 400, status_body(400, "BadRequest", message)


def _tail(text: str, tail_lines: int | None, limit_bytes: int | None) -> str:
    """The kubelet's order: start at the last `tailLines` lines, then cut at `limitBytes`."""
    if tail_lines is not None:
        lines = text.splitlines(keepends=True)
        text = "".join(lines[-tail_lines:]) if tail_lines > 0 else ""
    if limit_bytes is not None:
        text = text.encode()[:limit_bytes].decode(errors="ignore")
    return text


@dataclass
class Cluster:
    """What the stand-in serves; tests change it freely between (or during) requests."""

    runtime_classes: dict[str, dict[str, Any]] = field(default_factory=dict)
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    pods: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (ns, name)
    # (ns, pod, container) -> the current container's log, and the last stopped one's
    logs: dict[tuple[str, str, str], str] = field(default_factory=dict)
    previous_logs: dict[tuple[str, str, str], str] = field(default_factory=dict)
    overrides: dict[str, Response] = field(default_factory=dict)  # path -> fixed answer
    extensions: list[Extension] = field(default_factory=list)

    def handle(
        self, method: str, path: str, query: dict[str, list[str]], body: Any
    ) -> Response | WatchEvents:
        if path in self.overrides:
            return self.overrides[path]
        for extension in self.extensions:
            answer = extension(method, path, query, body)
            if answer is not None:
                return answer
        if method != "GET":
            return 405, status_body(405, "MethodNotAllowed", f"{method} is not supported")
        return self.answer(path, query)

    def answer(self, path: str, query: dict[str, list[str]]) -> Response:
        parts = path.strip("/").split("/")
        if parts[:4] == ["apis", "node.k8s.io", "v1", "runtimeclasses"] and len(parts) == 5:
            found = self.runtime_classes.get(parts[4])
            return (200, found) if found else not_found("runtimeclasses.node.k8s.io", parts[4])
        if parts[:3] == ["api", "v1", "nodes"] and len(parts) == 4:
            found = self.nodes.get(parts[3])
            return (200, found) if found else not_found("nodes", parts[3])
        if parts[:3] == ["api", "v1", "namespaces"] and parts[4:] == ["pods"]:
            items = [p for (ns, _), p in sorted(self.pods.items()) if ns == parts[3]]
            return 200, {"kind": "PodList", "apiVersion": "v1", "metadata": {}, "items": items}
        if parts[:3] == ["api", "v1", "namespaces"] and len(parts) >= 6 and parts[4] == "pods":
            pod = self.pods.get((parts[3], parts[5]))
            if pod is None:
                return not_found("pods", parts[5])
            if len(parts) == 6:
                return 200, pod
            if len(parts) == 7 and parts[6] == "log":
                return self._log(parts[3], pod, query)
        return 404, status_body(404, "NotFound", "the server could not find the requested resource")

    def _log(self, namespace: str, pod: dict[str, Any], query: dict[str, list[str]]) -> Response:
        name = pod["metadata"]["name"]
        names = [c["name"] for c in pod["spec"]["containers"]]
        container = query.get("container", [""])[0]
        if not container:
            if len(names) != 1:  # Go's %s of a []string: "[a b]"
                return bad_request(
                    f"a container name must be specified for pod {name}, "
                    f"choose one of: [{' '.join(names)}]"
                )
            container = names[0]
        elif container not in names:
            return bad_request(f"container {container} is not valid for pod {name}")
        statuses = {s["name"]: s for s in pod.get("status", {}).get("containerStatuses", [])}
        status = statuses.get(container)
        if status is None:
            return bad_request(f'container "{container}" in pod "{name}" is not available')
        state, last = status.get("state", {}), status.get("lastState", {}).get("terminated")
        key = (namespace, name, container)
        if query.get("previous", [""])[0] == "true":
            if not last:
                return bad_request(
                    f'previous terminated container "{container}" in pod "{name}" not found'
                )
            text = self.previous_logs.get(key, "")
        elif "running" in state or "terminated" in state:
            text = self.logs.get(key, "")
        elif last:  # CrashLoopBackOff: the kubelet serves the last stopped container's log
            text = self.previous_logs.get(key, "")
        elif "waiting" in state:
            reason = state["waiting"].get("reason", "")
            return bad_request(
                f'container "{container}" in pod "{name}" is waiting to start: {reason}'
            )
        else:
            return bad_request(
                f'container "{container}" in pod "{name}" is waiting to start - no logs yet'
            )
        tail = query.get("tailLines", [None])[0]
        limit = query.get("limitBytes", [None])[0]
        return 200, _tail(text, int(tail) if tail else None, int(limit) if limit else None)


# --- The server ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    authorization: str
    client_cert: bool


class StandIn(http.server.ThreadingHTTPServer):
    """The API server on 127.0.0.1: plain HTTP, or TLS with `server_pem` (client certs optional)."""

    daemon_threads = True

    def __init__(self, token: str, server_pem: Pem | None = None) -> None:
        super().__init__((LOCALHOST, 0), _Handler)
        self.token = token
        self.cluster = Cluster()
        self.requests: list[Request] = []
        # Called with each path after it was answered: lets a test change the cluster between
        # two polls without depending on timing.
        self.after_request: Callable[[str], None] | None = None
        self.tls_context = _server_context(server_pem) if server_pem is not None else None

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, address = self.socket.accept()
        if self.tls_context is not None:  # handshake in the handler's thread, on first read
            connection = self.tls_context.wrap_socket(
                connection, server_side=True, do_handshake_on_connect=False
            )
        return connection, address

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that rejects our certificate ends its handshake: expected in tests

    @property
    def url(self) -> str:
        scheme = "https" if self.tls_context else "http"
        return f"{scheme}://{LOCALHOST}:{self.server_address[1]}"

    def count(self, path_end: str) -> int:
        return sum(1 for r in self.requests if r.path.endswith(path_end))

    def authenticated(self, authorization: str, peer: dict[str, Any] | None) -> bool:
        if authorization:
            return authorization == f"Bearer {self.token}"
        if not peer:
            return False
        not_after = ssl.cert_time_to_seconds(peer["notAfter"])
        return not_after > datetime.datetime.now(datetime.UTC).timestamp()


def _server_context(server_pem: Pem) -> ssl.SSLContext:
    import tempfile

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with tempfile.TemporaryDirectory() as folder:
        cert, key, ca = (Path(folder) / n for n in ("cert.pem", "key.pem", "ca.pem"))
        cert.write_bytes(server_pem.cert)
        key.write_bytes(server_pem.key)
        ca.write_bytes(pki().ca.cert)
        context.load_cert_chain(cert, key)
        context.load_verify_locations(ca)
    context.verify_mode = ssl.CERT_OPTIONAL
    context.verify_flags |= _NO_CHECK_TIME  # type: ignore[assignment]
    return context


class _Handler(http.server.BaseHTTPRequestHandler):
    server: StandIn

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        auth = self.headers.get("Authorization", "")
        peer = self.connection.getpeercert() if isinstance(self.connection, ssl.SSLSocket) else None
        self.server.requests.append(Request(method, url.path, query, auth, bool(peer)))
        length = int(self.headers.get("Content-Length") or 0)
        sent = json.loads(self.rfile.read(length)) if length else None
        if not self.server.authenticated(auth, peer):
            answer: Response | WatchEvents = UNAUTHORIZED
        else:
            answer = self.server.cluster.handle(method, url.path, query, sent)
        if not isinstance(answer, tuple):
            self._stream(answer)
            return
        status, body = answer
        if isinstance(body, str):
            data, content_type = body.encode(), "text/plain"
        else:
            data, content_type = json.dumps(body).encode(), "application/json"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        if self.server.after_request is not None:
            self.server.after_request(url.path)

    def _stream(self, events: WatchEvents) -> None:
        """A watch: chunked, one event per line and chunk, as kube-apiserver streams it (the
        client reads a chunk as soon as it comes), the connection closed at its end."""
        self.protocol_version = "HTTP/1.1"  # chunked transfer needs it
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            for event in events:
                line = json.dumps(event).encode() + b"\n"
                self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped watching
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:  # keep pytest's output clean
        pass


@contextmanager
def serving(token: str, server_pem: Pem | None = None) -> Iterator[StandIn]:
    server = StandIn(token, server_pem)
    with in_a_thread(server):
        yield server


@contextmanager
def silent_tls_port() -> Iterator[str]:
    """An https:// address that accepts TCP connections and then never answers the handshake."""
    with socket.socket() as listener:
        listener.bind((LOCALHOST, 0))
        listener.listen(8)
        yield f"https://{LOCALHOST}:{listener.getsockname()[1]}"


@contextmanager
def refused_port() -> Iterator[str]:
    """A bound socket that never listens: the port stays ours, and connecting is refused."""
    with socket.socket() as closed:
        closed.bind((LOCALHOST, 0))
        yield f"http://{LOCALHOST}:{closed.getsockname()[1]}"
