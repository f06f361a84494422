"""Wait until the cluster serves a RuntimeClass with the expected handler, polling with backoff.

AKS installs the Kata class (handler `kata`) once a Kata pool is provisioned (and, per the
docs, the cluster reconciled). A pod naming the class earlier is rejected, so the untrusted pod
is sent only after this wait succeeds. The official `kubernetes` client is built from the
kubeconfig text (tokens, client certificates and exec plugins such as kubelogin all work); the
kubeconfig is never logged and never part of an error message.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandboxing.catalog import KATA_HANDLER, KATA_PREVIEW

POLL_BACKOFF_SECONDS = (2.0, 15.0)  # first pause, longest pause
REQUEST_TIMEOUT = (10, 30)  # (connect, read) seconds per GET
RBAC_RESOURCE = "runtimeclasses.node.k8s.io"


class RuntimeClassWaitError(Exception):
    """The class is not usable: not served in time, a different handler, or no permission."""


@dataclass(frozen=True)
class WaitFor:
    """What to wait for, and the words a failure uses to name the cluster."""

    class_name: str
    cluster_name: str
    resource_group: str
    handler: str = KATA_HANDLER
    timeout_seconds: float = 300

    @property
    def cluster(self) -> str:
        return f"{self.cluster_name} (resource group {self.resource_group})"


def timeout_message(target: WaitFor, last_answer: str) -> str:
    """Why the wait gave up, and what to do (also used by the offline plan's mock engine)."""
    preview = KATA_PREVIEW.runtime_class
    hint = (
        ""
        if target.class_name == preview
        else f' A Kata pool created during the preview serves "{preview}" instead: set '
        f"runtimeClassName to {preview}."
    )
    return (
        f'RuntimeClass "{target.class_name}" (handler {target.handler}) was not served by '
        f"cluster {target.cluster} within {target.timeout_seconds:.0f} s "
        f"(runtimeClassWaitSeconds); last answer: {last_answer}. The untrusted pod was not sent. "
        "AKS installs the class once a Kata pool is provisioned and the cluster is reconciled: "
        f"run `az aks update --resource-group {target.resource_group} "
        f"--name {target.cluster_name}` (what reconcileAfterKataPool=true does), then "
        "`pulumi up` again." + hint
    )


def _status_message(body: str | None) -> str:
    try:
        status = json.loads(body or "")
    except ValueError:
        return (body or "").strip()[:200]
    return str(status.get("message", "")) if isinstance(status, dict) else ""


def _api_client(kubeconfig: str) -> Any:
    import yaml
    from kubernetes import client, config

    configuration = client.Configuration()
    try:
        config.load_kube_config_from_dict(
            yaml.safe_load(kubeconfig), client_configuration=configuration, persist_config=False
        )
    except Exception as error:  # the message names the kubeconfig's problem, not its content
        raise RuntimeClassWaitError(
            f"cannot use the cluster's kubeconfig: {type(error).__name__}: {error}"
        ) from None
    configuration.retries = 0  # one attempt per poll; the loop below does the retrying
    return client.ApiClient(configuration)


def wait_for_runtime_class(
    kubeconfig: str,
    target: WaitFor,
    *,
    backoff: tuple[float, float] = POLL_BACKOFF_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, str]:
    """Poll until `target.class_name` exists with `target.handler`; its name and handler."""
    from kubernetes.client import NodeV1Api
    from kubernetes.client.exceptions import ApiException
    from urllib3.exceptions import HTTPError

    api_client = _api_client(kubeconfig)
    api = NodeV1Api(api_client)
    deadline = clock() + target.timeout_seconds
    pause, longest = backoff
    last_answer = "no answer yet"
    try:
        while True:
            try:
                found = api.read_runtime_class(target.class_name, _request_timeout=REQUEST_TIMEOUT)
            except ApiException as error:
                status = int(error.status or 0)
                said = _status_message(error.body)
                if status == 403:
                    raise RuntimeClassWaitError(
                        f"forbidden (HTTP 403): the kubeconfig's user may not get "
                        f'{RBAC_RESOURCE} "{target.class_name}" on cluster {target.cluster}. '
                        f"The wait needs `get` on {RBAC_RESOURCE} (cluster scope); test with "
                        f"`kubectl auth can-i get {RBAC_RESOURCE}`. The API server said: {said}"
                    ) from None
                if status == 401:
                    raise RuntimeClassWaitError(
                        f"the API server of cluster {target.cluster} rejected the kubeconfig's "
                        f"credentials (HTTP 401): {said}"
                    ) from None
                last_answer = "not found (HTTP 404)" if status == 404 else f"HTTP {status} {said}"
            except HTTPError as error:  # unreachable for now: the loop tries again
                last_answer = f"API server unreachable ({type(error).__name__})"
            else:
                handler = found.handler
                if handler != target.handler:
                    raise RuntimeClassWaitError(
                        f'RuntimeClass "{target.class_name}" on cluster {target.cluster} has '
                        f"handler {handler!r}, not {target.handler!r}: it is not the Kata class "
                        "AKS installs. Set runtimeClassName to the Kata class."
                    )
                return {"class_name": target.class_name, "handler": str(handler)}
            remaining = deadline - clock()
            if remaining <= 0:
                raise RuntimeClassWaitError(timeout_message(target, last_answer))
            sleep(min(pause, remaining))
            pause = min(pause * 2, longest)
    finally:
        api_client.close()
