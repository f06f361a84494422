"""GETs against Azure Resource Manager for the preflight: a thin client that never writes.

Plain REST through azure-mgmt-core's ARMPipelineClient (installed with azure-mgmt-
containerservice; no extra package). The policy list is our own: an ARMPipelineClient built
without `policies=` adds ARMAutoResourceProviderRegistrationPolicy (azure-mgmt-core 1.6.0
`_pipeline_client.py`), which answers a 409 MissingSubscriptionRegistration by POSTing
`providers/{ns}/register`: a preflight must report an unregistered provider, not register it.
No RetryPolicy either: throttling is retried here, a bounded number of times.

What each read can end in, and what the preflight makes of it:
- 200: the JSON (paged lists are followed through `nextLink`);
- 401: the token is refused (cloud.arm_errors names its tenant, audience and expiry): an error;
- 403 AuthorizationFailed: the login may not read this (Reader on the subscription suffices): a
  warning, the check is skipped;
- 429 (ARM's throttling, `Retry-After` seconds): waited for and tried again, up to `attempts`
  times and `max_wait` seconds a wait, then a warning;
- no token at all, no connection, any other status: a warning, that check is skipped.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cloud.arm_errors import error_of_body, token_claims
from sandboxing.azure_clouds import AzureCloud

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential

ATTEMPTS = 3
MAX_WAIT_SECONDS = 10.0
TIMEOUTS = (10, 30)  # connect, read (seconds)
MAX_PAGES = 20  # a region's SKU list is a few pages; a loop in nextLink must not be endless


@dataclass(frozen=True)
class Read:
    """A read's outcome: `body` on success; else `status` (0: no answer) and what ARM said."""

    body: Any = None
    status: int = 200
    code: str = ""
    message: str = ""
    claims: dict[str, Any] | None = None  # the token's, on a 401

    @property
    def ok(self) -> bool:
        return self.status == 200


class ArmReader:
    """GETs of one subscription's Resource Manager in one cloud, with one credential."""

    def __init__(
        self,
        credential: TokenCredential,
        cloud: AzureCloud,
        *,
        base_url: str | None = None,
        connection_verify: str | bool = True,
        attempts: int = ATTEMPTS,
        max_wait: float = MAX_WAIT_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        from azure.core.pipeline import policies
        from azure.core.pipeline.transport import RequestsTransport
        from azure.mgmt.core import ARMPipelineClient
        from azure.mgmt.core.policies import ARMChallengeAuthenticationPolicy, ARMHttpLoggingPolicy

        self.credential, self.cloud = credential, cloud
        self.attempts, self.max_wait, self.sleep = attempts, max_wait, sleep
        self.client: ARMPipelineClient[Any, Any] = ARMPipelineClient(
            base_url=base_url or cloud.resource_manager,
            policies=[
                policies.RequestIdPolicy(),
                policies.HeadersPolicy({"Accept": "application/json"}),
                policies.UserAgentPolicy(sdk_moniker="aks-pod-sandboxing-preflight/1"),
                ARMChallengeAuthenticationPolicy(credential, cloud.arm_scope),
                ARMHttpLoggingPolicy(),
            ],
            transport=RequestsTransport(
                connection_verify=connection_verify,
                connection_timeout=TIMEOUTS[0],
                read_timeout=TIMEOUTS[1],
            ),
        )

    def close(self) -> None:
        self.client.close()

    def _once(self, url: str, params: dict[str, str] | None) -> tuple[Read, float]:
        """One GET: its outcome, and the seconds ARM asked to wait (429 only)."""
        from azure.core.exceptions import ClientAuthenticationError, ServiceRequestError
        from azure.core.rest import HttpRequest

        request = HttpRequest("GET", url, params=params)
        try:
            response = self.client.send_request(request)
        except ClientAuthenticationError as error:  # no token: Entra ID or the CLI refused
            return Read(status=0, code="NoToken", message=str(error.message or error)), 0
        except ServiceRequestError as error:
            return Read(status=0, code="Unreachable", message=str(error)), 0
        status, text = response.status_code, response.text()
        if status == 200:
            return Read(body=response.json()), 0
        code, message = error_of_body(text)
        if status == 401:
            claims = token_claims(self.credential, self.cloud.arm_scope)
            return Read(status=401, code=code, message=message, claims=claims), 0
        wait = 0.0
        if status == 429:
            try:
                wait = float(response.headers.get("Retry-After") or 1)
            except ValueError:
                wait = 1.0
        return Read(status=status, code=code, message=message), wait

    def get(self, path: str, params: dict[str, str] | None = None) -> Read:
        """GET `path` (relative to Resource Manager) or an absolute `nextLink` URL."""
        url = path if path.startswith("https://") else self.client.format_url(path)
        read, wait = self._once(url, params)
        for _ in range(self.attempts - 1):
            if read.status != 429:
                break
            self.sleep(min(wait, self.max_wait))
            read, wait = self._once(url, params)
        return read

    def get_all(self, path: str, params: dict[str, str] | None = None) -> Read:
        """A paged list (`{"value": [...], "nextLink": ...}`), every page's values as one."""
        read = self.get(path, params)
        if not read.ok:
            return read
        values = list(read.body.get("value") or [])
        next_link, pages = read.body.get("nextLink"), 1
        while next_link and pages < MAX_PAGES:
            read = self.get(str(next_link))
            if not read.ok:
                return read
            values += read.body.get("value") or []
            next_link, pages = read.body.get("nextLink"), pages + 1
        return Read(body={"value": values})
