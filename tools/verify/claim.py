"""Sandbox claim check: claim a sandbox as a claimant would, prove it is a Kata VM, time it.

    python -m tools.verify --claim [--stack NAME | --kubeconfig PATH] [--wait S] [--format json]

For each pool of the sandbox namespace (agentSandbox; from the stack's `agentSandbox` output or
--namespace/--warm-pool/--cold-pool), the cold pool first, then the warm one:

1. create a SandboxClaim (sandboxing.agent_sandbox.sandboxes.claim) with a shutdownTime, which
   the namespace's admission policy demands; `shutdownPolicy: Delete` also cleans up after this
   tool should it die;
2. watch it, from the create's resourceVersion, until `status.sandbox.name` is set and its Ready
   condition is True, as the k8s-agent-sandbox Python client does (k8s_helper.py
   `wait_for_claim_ready`, kubernetes-sigs/agent-sandbox v0.5.6); claim-to-ready is the time
   from sending the claim to that event;
3. read the Sandbox (its pod is named by the `agents.x-k8s.io/pod-name` annotation after a warm
   adoption, else like the Sandbox), the pod, its node and the pod's `kernel=` log line;
4. delete the claim, whatever happened.

Before the warm claim it waits (within --wait) until the warm pool reports a Ready member
(`status.readyReplicas`), so that right after `pulumi up` the measurement is of a warm
adoption and not of a cold start; a pool that never gets there is claimed anyway, and the
report says the claim started cold (the Sandbox's launch-type label).

Cold first: a cold claim needs room for one more pod, and after a warm claim the pool's
replacement takes that room until the claimed sandbox is gone. The reads and writes: `create`,
`watch` and `delete` on sandboxclaims and `get` on sandboxes and sandboxwarmpools in the sandbox
namespace, plus the isolation check's reads (runtime class, nodes, the pod and its log).
"""

from __future__ import annotations

import datetime
import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sandboxing.agent_sandbox.sandboxes import GROUP, SANDBOX_GROUP, claim
from tools.verify.diagnosis import Access, ApiError
from tools.verify.facts import PodFacts, RuntimeClassFacts
from tools.verify.read import ClusterReader

if TYPE_CHECKING:
    from kubernetes.client import ApiClient

VERSION = "v1beta1"
CLAIMS = "sandboxclaims"
CLAIM_TIMEOUT_SECONDS = 180.0  # per claim, when --wait does not say
CLAIM_LIFETIME_SECONDS = 600  # at most; never more than the namespace's maximum
POD_NAME_ANNOTATION = "agents.x-k8s.io/pod-name"
LAUNCH_LABEL = "agents.x-k8s.io/launch-type"
# Reasons after which a claim will not become Ready (k8s_agent_sandbox constants.py at v0.5.6).
FINAL_REASONS = (
    "WarmPoolNotFound",
    "TemplateNotFound",
    "InvalidMetadata",
    "EnvVarsInjectionRejected",
    "VolumeClaimTemplatesError",
    "ClaimExpired",
    "SandboxExpired",
)
NEEDS = (
    f"`create`, `watch` and `delete` on {CLAIMS}.{GROUP} and `get` on "
    f"sandboxes.{SANDBOX_GROUP}, sandboxwarmpools.{GROUP}, pods and pods/log in the sandbox "
    "namespace, and `get` on runtimeclasses.node.k8s.io and nodes"
)
POOL_POLL_SECONDS = 1.0


@dataclass(frozen=True)
class ClaimTarget:
    namespace: str
    runtime_class: str
    pools: tuple[tuple[str, str], ...]  # (kind: "cold" | "warm", pool name), in claim order
    lifetime_seconds: int = CLAIM_LIFETIME_SECONDS


@dataclass(frozen=True)
class ClaimFacts:
    kind: str  # which pool was claimed: "cold" or "warm"
    pool: str
    claim: str
    seconds_to_ready: float | None  # None: not Ready in time
    sandbox: str | None = None  # status.sandbox.name
    launch_type: str | None = None  # the Sandbox's agents.x-k8s.io/launch-type: warm | cold
    pod: PodFacts | None = None
    problem: str = ""  # why no Ready sandbox, when there is none
    deleted: bool = False


@dataclass(frozen=True)
class ClaimCheckFacts:
    server: str
    namespace: str
    runtime_class: RuntimeClassFacts
    claims: tuple[ClaimFacts, ...]


def _condition(obj: dict[str, Any], kind: str) -> dict[str, Any]:
    conditions = (obj.get("status") or {}).get("conditions") or []
    return next((c for c in conditions if c.get("type") == kind), {})


class Claimant:
    """One claimant's calls: create, watch and delete claims, read sandboxes."""

    def __init__(self, reader: ClusterReader) -> None:
        from kubernetes.client import CustomObjectsApi

        self.reader = reader
        self.custom = CustomObjectsApi(reader.api_client)
        self.namespace = reader.namespace

    def _access(self, verb: str, name: str, resource: str = f"{CLAIMS}.{GROUP}") -> Access:
        return Access(resource, name, self.namespace, verb=verb, needs=NEEDS)

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        def call() -> Any:
            return self.custom.create_namespaced_custom_object(
                GROUP, VERSION, self.namespace, CLAIMS, body, _request_timeout=self.reader.timeout
            )

        return dict(self.reader.read(self._access("create", body["metadata"]["name"]), call))

    def watch_until_ready(self, name: str, since: str, deadline: float) -> tuple[dict, str]:
        """The claim once bound and Ready, or as last seen and why it is not (timed out, a
        final reason, deleted)."""
        from kubernetes import watch
        from urllib3.exceptions import MaxRetryError, ReadTimeoutError

        last: dict[str, Any] = {}

        def events() -> tuple[dict, str]:
            nonlocal last
            remaining = max(0.0, deadline - time.monotonic())
            stream = watch.Watch().stream(
                self.custom.list_namespaced_custom_object,
                GROUP,
                VERSION,
                self.namespace,
                CLAIMS,
                field_selector=f"metadata.name={name}",
                resource_version=since,
                # The API server ends a watch in whole seconds (0 would mean never); the read
                # timeout ends a quiet one at the deadline itself.
                timeout_seconds=max(1, math.ceil(remaining)),
                _request_timeout=(self.reader.timeout[0], max(remaining, 0.001)),
            )
            try:
                for event in stream:
                    if event["type"] == "DELETED":
                        return last, "the claim was deleted while waiting"
                    last = event["object"]
                    ready = _condition(last, "Ready")
                    bound = ((last.get("status") or {}).get("sandbox") or {}).get("name")
                    if bound and ready.get("status") == "True":
                        return last, ""
                    if ready.get("reason") in FINAL_REASONS:
                        return last, f"{ready['reason']}: {ready.get('message', '')}".rstrip(": ")
                    if time.monotonic() >= deadline:
                        break
            except ReadTimeoutError:
                pass  # nothing more came in the rest of the wait: the wait is over
            except MaxRetryError as error:
                # The same timeout before the answer's headers: urllib3 wraps it, as the client
                # makes no retries.
                if not isinstance(error.reason, ReadTimeoutError):
                    raise
                return last, "the API server did not answer the watch within the wait"
            return last, ""

        found, problem = self.reader.read(self._access("watch", name), events)
        if not problem and not _ready_and_bound(found):
            ready = _condition(found, "Ready")
            state = f"last Ready condition: {ready.get('reason') or 'none yet'}"
            problem = f"not Ready within the wait ({state})"
        return found, problem

    def sandbox(self, name: str) -> dict[str, Any]:
        def call() -> Any:
            return self.custom.get_namespaced_custom_object(
                SANDBOX_GROUP,
                VERSION,
                self.namespace,
                "sandboxes",
                name,
                _request_timeout=self.reader.timeout,
            )

        return dict(self.reader.read(self._access("get", name, f"sandboxes.{SANDBOX_GROUP}"), call))

    def ready_members(self, pool: str) -> int | None:
        """The pool's `status.readyReplicas`; None when there is no such pool."""

        def call() -> Any:
            return self.custom.get_namespaced_custom_object(
                GROUP,
                VERSION,
                self.namespace,
                "sandboxwarmpools",
                pool,
                _request_timeout=self.reader.timeout,
            )

        access = self._access("get", pool, f"sandboxwarmpools.{GROUP}")
        try:
            found = dict(self.reader.read(access, call))
        except ApiError as error:
            if error.status == 404:  # the claim will say so (WarmPoolNotFound)
                return None
            raise
        return int((found.get("status") or {}).get("readyReplicas") or 0)

    def wait_for_warm(self, pool: str, deadline: float) -> None:
        """Until the pool has a Ready member, or the deadline: then the claim goes ahead."""
        while time.monotonic() < deadline:
            ready = self.ready_members(pool)
            if ready is None or ready >= 1:
                return
            time.sleep(min(POOL_POLL_SECONDS, max(0.0, deadline - time.monotonic())))

    def delete(self, name: str) -> bool:
        try:
            self.reader.read(
                self._access("delete", name),
                lambda: self.custom.delete_namespaced_custom_object(
                    GROUP,
                    VERSION,
                    self.namespace,
                    CLAIMS,
                    name,
                    _request_timeout=self.reader.timeout,
                ),
            )
        except ApiError as error:
            if error.status != 404:
                raise
        return True


def _ready_and_bound(claim_object: dict[str, Any]) -> bool:
    bound = ((claim_object.get("status") or {}).get("sandbox") or {}).get("name")
    return bool(bound) and _condition(claim_object, "Ready").get("status") == "True"


def _pod_with_kernel(reader: ClusterReader, name: str, deadline: float) -> PodFacts:
    """The pod; while it runs without a kernel line yet, read again until the deadline."""
    pod = reader.pod(name)
    while pod.running and pod.kernel is None and time.monotonic() < deadline:
        time.sleep(0.5)
        pod = reader.pod(name)
    return pod


def claim_sandbox(
    claimant: Claimant,
    target: ClaimTarget,
    kind: str,
    pool: str,
    timeout: float,
    clock: Callable[[], float] = time.monotonic,
) -> ClaimFacts:
    if kind == "warm":
        claimant.wait_for_warm(pool, time.monotonic() + timeout)
    name = f"verify-{kind}-{secrets.token_hex(3)}"
    shutdown = datetime.datetime.now(datetime.UTC) + datetime.timedelta(
        seconds=target.lifetime_seconds
    )
    start = clock()
    created = claimant.create(claim(name, target.namespace, pool, shutdown))
    try:
        since = str((created.get("metadata") or {}).get("resourceVersion") or "")
        facts = _follow(claimant, ClaimFacts(kind, pool, name, None), since, start, timeout, clock)
    finally:
        claimant.delete(name)
    return replace(facts, deleted=True)


def _follow(
    claimant: Claimant,
    facts: ClaimFacts,
    since: str,
    start: float,
    timeout: float,
    clock: Callable[[], float],
) -> ClaimFacts:
    """From the created claim to its Ready sandbox and pod, or why there is none."""
    found, problem = claimant.watch_until_ready(facts.claim, since, start + timeout)
    if problem:
        return replace(facts, problem=problem)
    facts = replace(facts, seconds_to_ready=round(clock() - start, 3))
    sandbox_name = found["status"]["sandbox"]["name"]
    metadata = claimant.sandbox(sandbox_name).get("metadata") or {}
    pod_name = (metadata.get("annotations") or {}).get(POD_NAME_ANNOTATION) or sandbox_name
    pod = _pod_with_kernel(claimant.reader, pod_name, start + timeout)
    launch = (metadata.get("labels") or {}).get(LAUNCH_LABEL)
    return replace(facts, sandbox=sandbox_name, launch_type=launch, pod=pod)


def gather_claims(api_client: ApiClient, target: ClaimTarget, timeout: float) -> ClaimCheckFacts:
    reader = ClusterReader(api_client, target.namespace)
    runtime_class = reader.runtime_class(target.runtime_class)
    claimant = Claimant(reader)
    claims = tuple(
        claim_sandbox(claimant, target, kind, pool, timeout) for kind, pool in target.pools
    )
    return ClaimCheckFacts(reader.server, target.namespace, runtime_class, claims)
