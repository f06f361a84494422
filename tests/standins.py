"""Local stand-in servers speaking real protocols (HTTPS with a throwaway CA), on 127.0.0.1 only.

A test gives a `route` function (method, path, query, headers, body) -> Reply; the server records
every request so the test can assert on what the real client sent. The certificate is
tests/tls_material.py's server certificate, signed by its session CA.
"""

from __future__ import annotations

import http.server
import json
import socketserver
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tls_material import LOCALHOST, ServerFiles


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int
    body: Any = None  # JSON-able, or bytes/str sent as is
    headers: dict[str, str] = field(default_factory=dict)


Route = Callable[[Request], Reply]


@dataclass
class StandIn:
    url: str  # https://127.0.0.1:<port>
    requests: list[Request]

    def sent(self, method: str, path_part: str = "") -> list[Request]:
        return [r for r in self.requests if r.method == method and path_part in r.path]


def _handler(route: Route, requests: list[Request]) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body are written separately: without TCP_NODELAY every reply waits for
        # the client's delayed ACK (~40 ms).
        disable_nagle_algorithm = True

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            parts = urlsplit(self.path)
            request = Request(
                self.command,
                parts.path,
                parse_qs(parts.query),
                {k.lower(): v for k, v in self.headers.items()},
                self.rfile.read(length) if length else b"",
            )
            requests.append(request)
            reply = route(request)
            body = reply.body
            if isinstance(body, str):
                data = body.encode()
            elif isinstance(body, bytes):
                data = body
            else:
                data = b"" if body is None else json.dumps(body).encode()
            self.send_response(reply.status)
            headers = {"Content-Type": "application/json", **reply.headers}
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_PUT = do_POST = do_PATCH = do_DELETE = _serve  # noqa: N815

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: the tests assert on `requests`

    return Handler


@contextmanager
def serve(route: Route, certificate: ServerFiles | None = None) -> Iterator[StandIn]:
    """Serve `route` on 127.0.0.1 (HTTPS when a certificate is given) until the block ends."""
    requests: list[Request] = []
    server = http.server.ThreadingHTTPServer((LOCALHOST, 0), _handler(route, requests))
    server.daemon_threads = True
    scheme = "http"
    if certificate is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificate.cert_file, certificate.key_file)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    with in_a_thread(server):
        yield StandIn(f"{scheme}://{LOCALHOST}:{server.server_address[1]}", requests)


@contextmanager
def in_a_thread(server: socketserver.BaseServer) -> Iterator[None]:
    """Serve on a thread of its own until the block ends, then close the socket."""
    # `shutdown()` waits until the serving loop next looks for it, up to `poll_interval`: once per
    # test that serves, so 0.05 s here was ~0.9 s of the suite's idle time.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.005}, daemon=True
    )
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- Azure Resource Manager ------------------------------------------------------------------

Answer = Reply | list[Reply] | Callable[[Request], Reply]


class ArmRoutes:
    """A route that answers like Resource Manager: each path's replies in order (the last one
    repeats), ARM's 401 body when the bearer token is not `token`, and ARM's 404 body
    (`{"error": {"code": "NotFound", ...}}`) for a path it does not know. `calls` counts the
    requests per path, so a test can assert what was (and was not) asked."""

    def __init__(self, token: str, routes: dict[str, Answer]) -> None:
        self.token, self.routes = token, routes
        self.calls: dict[str, int] = {}

    def __call__(self, request: Request) -> Reply:
        if request.headers.get("authorization") != f"Bearer {self.token}":
            body = {
                "error": {
                    "code": "InvalidAuthenticationToken",
                    "message": "The access token is invalid.",
                }
            }
            return Reply(401, body)
        answer = self.routes.get(request.path)
        if answer is None:
            body = {"error": {"code": "NotFound", "message": f"{request.path} was not found."}}
            return Reply(404, body)
        seen = self.calls.get(request.path, 0)
        self.calls[request.path] = seen + 1
        if callable(answer):
            return answer(request)
        if isinstance(answer, list):
            return answer[min(seen, len(answer) - 1)]
        return answer
