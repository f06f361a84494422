"""An API client from a kubeconfig, with the kubeconfig's own problems named before any request.

A missing file, an unknown context and a failing exec credential plugin (kubelogin: "run az login")
stop here with their real cause. The official client would otherwise carry on: it logs an exec
plugin's failure and sends the requests without credentials, so the user would only see "401
Unauthorized" (kubernetes 37.0.2 kubernetes/config/kube_config.py `_load_from_exec_plugin` catches
the ConfigException that exec_provider.py `ExecProvider.run` raises with the plugin's stderr, and
passes it to `logging.error`).
"""

from __future__ import annotations

import datetime
import logging
import os
import sys
from typing import TYPE_CHECKING

from tools.verify.facts import CannotCheckError

if TYPE_CHECKING:
    from kubernetes.client import ApiClient


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def kubeconfig_files(kubeconfig: str) -> list[str]:
    """The files of a kubeconfig path list ($KUBECONFIG style: joined with os.pathsep)."""
    return [path for path in kubeconfig.split(os.pathsep) if path]


def _check_context(kubeconfig: str, context: str | None) -> None:
    from kubernetes import config

    if context is None:
        return
    try:
        contexts, _ = config.list_kube_config_contexts(config_file=kubeconfig)
    except Exception:  # an unreadable file: load_kube_config below says why
        return
    names = [str(entry.get("name")) for entry in contexts or []]
    if context not in names:
        raise CannotCheckError(
            f'context "{context}" is not in the kubeconfig {kubeconfig}; it has: '
            f"{', '.join(names) or '(none)'}"
        )


def connect(kubeconfig: str, context: str | None = None, origin: str = "") -> ApiClient:
    """An API client from a kubeconfig file (a path list like $KUBECONFIG works too).

    `origin` says where the path came from (a flag, $KUBECONFIG, the default) for the message
    when no file exists.
    """
    files = kubeconfig_files(kubeconfig)
    if not any(os.path.isfile(path) for path in files):
        where = f" ({origin})" if origin else ""
        raise CannotCheckError(
            f"kubeconfig file not found: {kubeconfig}{where}. Pass --kubeconfig PATH, or "
            "--stack NAME to read it from the stack's outputs"
        )
    from kubernetes import client, config

    _check_context(kubeconfig, context)
    configuration = client.Configuration()
    collected = _Collect()
    root = logging.getLogger()
    root.addHandler(collected)
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
    finally:
        root.removeHandler(collected)
    plugin_failures = [m for m in collected.messages if m.startswith("exec:")]
    if plugin_failures:
        # On a terminal the client hands the plugin our stderr, so its words are already there.
        above = " (its own message is printed above)" if sys.stdout.isatty() else ""
        raise CannotCheckError(
            f"the kubeconfig's exec credential plugin failed, so there are no credentials to "
            f"send{above}: {' '.join(plugin_failures)}"
        )
    # One attempt per read, bounded by the request timeout: a dead endpoint is reported at once
    # instead of after urllib3's silent retries.
    configuration.retries = 0
    return client.ApiClient(configuration)


def client_cert_expiry(api_client: ApiClient) -> datetime.datetime | None:
    """When the kubeconfig's client certificate expired; None if it has not, or is unknown.

    `cryptography` comes with azure-identity (requirements.txt); without it, None.
    """
    path = getattr(api_client.configuration, "cert_file", None)
    if not path:
        return None
    try:
        from cryptography import x509

        with open(path, "rb") as handle:
            certificate = x509.load_pem_x509_certificate(handle.read())
    except (ImportError, OSError, ValueError):
        return None
    expiry = certificate.not_valid_after_utc
    return expiry if expiry <= datetime.datetime.now(datetime.UTC) else None
