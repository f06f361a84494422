"""Why a read failed, in words that name the real cause and the fix. Pure, no network.

HTTP answers (401/403/404/400 with the API server's own message) and connection failures
(refused, DNS, timeouts, and TLS: a host name missing from the server certificate, a server
certificate from another CA, a handshake that never completes) each get their own message.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from tools.verify.facts import CannotCheckError

FRESH_KUBECONFIG = (
    "get a fresh kubeconfig: pulumi stack output kubeconfig --show-secrets > kubeconfig, "
    "or az aks get-credentials --resource-group <rg> --name <cluster>"
)


class ApiError(CannotCheckError):
    def __init__(self, message: str, status: int, said: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.said = said  # the API server's own message


@dataclass(frozen=True)
class Access:
    """One read, described the way RBAC and `kubectl auth can-i` name it."""

    resource: str  # plural, with API group for non-core: "runtimeclasses.node.k8s.io"
    name: str
    namespace: str | None = None  # None: cluster scope
    subresource: str = ""
    verb: str = "get"
    needs: str = ""  # what the whole check needs, when it is not the isolation check's reads

    def __str__(self) -> str:
        what = f"{self.resource}/{self.subresource}" if self.subresource else self.resource
        where = f'in namespace "{self.namespace}"' if self.namespace else "(cluster scope)"
        return f'{self.verb} {what} "{self.name}" {where}'

    def can_i(self) -> str:
        command = f"kubectl auth can-i {self.verb} {self.resource}"
        if self.subresource:
            command += f" --subresource={self.subresource}"
        return command + (f" -n {self.namespace}" if self.namespace else "")


def server_message(body: str | None) -> str:
    """The `message` of a Kubernetes Status body, else the body itself."""
    if not body:
        return ""
    try:
        status = json.loads(body)
    except ValueError:
        return body.strip()[:300]
    return str(status.get("message", "")) if isinstance(status, dict) else ""


def api_problem(
    access: Access,
    server: str,
    status: int,
    reason: str,
    body: str | None,
    cert_expired_on: datetime.datetime | None = None,
) -> str:
    said = server_message(body)
    said_part = f" The API server said: {said}" if said else ""
    if status == 401 and cert_expired_on is not None:
        # kube-apiserver takes any client certificate in the handshake and its x509
        # authenticator answers 401 for an expired one: only the date tells it apart.
        return (
            f"the kubeconfig's client certificate expired on {cert_expired_on:%Y-%m-%d %H:%M} "
            f"UTC, so the API server at {server} answered HTTP 401 on {access}: "
            f"{FRESH_KUBECONFIG}."
        )
    if status == 401:
        return (
            f"the API server at {server} rejected the kubeconfig's credentials (HTTP 401) on "
            f"{access}. The token or client certificate is not (or no longer) valid for this "
            f"cluster (e.g. after az aks rotate-certs): {FRESH_KUBECONFIG}; with Microsoft "
            "Entra ID, kubelogin must be able to sign you in." + said_part
        )
    if status == 403:
        needs = access.needs or (
            "`get` on runtimeclasses.node.k8s.io and nodes (cluster scope) and on pods and "
            "pods/log in the pods' namespace"
        )
        return (
            f"forbidden (HTTP 403): the kubeconfig's user may not {access}. The check needs "
            f"{needs}; this one is missing. Test with: {access.can_i()}." + said_part
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
    return f"the API server answered HTTP {status} {reason} to {access}.{said_part}"


# OpenSSL verify codes (X509_V_ERR_*) carried by ssl.SSLCertVerificationError.verify_code.
_NAME_MISMATCH = frozenset({62, 64})  # HOSTNAME_MISMATCH, IP_ADDRESS_MISMATCH
_UNKNOWN_ISSUER = frozenset({2, 7, 18, 19, 20, 21})  # untrusted or mis-signed chain
_EXPIRED = 10  # CERT_HAS_EXPIRED (the server's own certificate)


def _verify_code(error: BaseException) -> int | None:
    """The OpenSSL verify code inside urllib3's SSLError (it wraps the ssl module's error)."""
    for candidate in (error, *error.args, error.__cause__, error.__context__):
        code = getattr(candidate, "verify_code", None)
        if isinstance(code, int):
            return code
    return None


def tls_problem(host: str, error: BaseException) -> str:
    text = str(error)
    code = _verify_code(error)
    lowered = text.lower()
    if code in _NAME_MISMATCH or "mismatch" in lowered:
        return (
            f"{host} is not a name in the API server's certificate ({text}): the kubeconfig's "
            "server address is not the one the cluster's certificate was made for (a kubeconfig "
            f"of another or a re-created cluster, an IP address or a proxy instead of the API "
            f"server's FQDN). Use the cluster's own kubeconfig: {FRESH_KUBECONFIG}"
        )
    if code in _UNKNOWN_ISSUER or any(
        hint in lowered
        for hint in ("local issuer", "self-signed", "self signed", "signature failure")
    ):
        return (
            "the API server's certificate is not signed by the kubeconfig's "
            f"certificate-authority-data ({text}): the cluster's CA changed (az aks "
            "rotate-certs, or the cluster was deleted and re-created under the same name) or "
            f"the kubeconfig belongs to another cluster. {FRESH_KUBECONFIG}"
        )
    if code == _EXPIRED:
        return f"the API server's own certificate has expired ({text})"
    if "alert" in lowered and "certificate" in lowered:  # the server refused ours
        return (
            f"the API server refused the kubeconfig's client certificate in the TLS "
            f"handshake ({text}): {FRESH_KUBECONFIG}"
        )
    return f"TLS failed ({text})"


def _timed_out_in_handshake(error: BaseException) -> bool:
    """urllib3 reports a stalled TLS handshake as a *read* timeout carrying the connect timeout;
    the ssl module's own message and the stack where it happened tell the two apart."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if "handshake" in str(current).lower():
            return True
        trace = current.__traceback__
        while trace is not None:
            if trace.tb_frame.f_code.co_name in ("do_handshake", "_validate_conn"):
                return True
            trace = trace.tb_next
        current = current.__cause__ or current.__context__
    return False


def unreachable_problem(server: str, error: Exception, timeout: tuple[float, float]) -> str:
    """A connection-level failure in words (urllib3 wraps the cause in MaxRetryError.reason)."""
    from urllib.parse import urlsplit

    from urllib3.exceptions import (
        ConnectTimeoutError,
        NewConnectionError,
        ReadTimeoutError,
        SSLError,
    )

    cause = getattr(error, "reason", None) or error
    text = str(cause)
    connect_s, read_s = timeout
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
            f"timed out after {connect_s:g} s connecting. If the cluster limits "
            "apiServerAuthorizedIpRanges, add your public IP; a private cluster is only "
            "reachable from its network"
        )
    elif isinstance(cause, ReadTimeoutError) and _timed_out_in_handshake(cause):
        what = (
            f"the TCP connection was accepted but the TLS handshake did not complete within "
            f"{connect_s:g} s (the connect timeout): something other than the API server "
            "answers on that address (a proxy, a firewall inspecting TLS, a wrong port)"
        )
    elif isinstance(cause, ReadTimeoutError):
        what = f"no answer within {read_s:g} s"
    elif isinstance(cause, SSLError):
        what = tls_problem(urlsplit(server).hostname or server, cause)
    else:
        what = text
    return f"cannot reach the Kubernetes API server at {server}: {what}"
