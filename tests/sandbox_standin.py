"""The agent-sandbox CRDs and controllers, as a stand-in served by tests/kube_standin.py.

What a claimant sees of kubernetes-sigs/agent-sandbox v0.5.6 (extensions/controllers/
sandboxclaim_controller.go, sandboxwarmpool_controller.go, controllers/sandbox_controller.go),
with the real paths and shapes: SandboxClaims are created, read, watched and deleted under
`/apis/extensions.agents.x-k8s.io/v1beta1/namespaces/<ns>/sandboxclaims`, Sandboxes and pools
read under their own paths. A claim is bound

- warm: to a Ready member of its pool (labelled `agents.x-k8s.io/warm-pool-sandbox`), which is
  adopted in place (labels, owner and the pod keep their pool name, `launch-type=warm`); the
  pool then starts a replacement;
- cold: otherwise, to a new Sandbox and pod named like the claim, Ready after
  `cold_start_seconds`;

then `status.sandbox.name` and the Ready condition, forwarded from the Sandbox, go to the claim.
Deleting a claim deletes its Sandbox and pod at once. The pods are the template's pod with a
status, on a Kata node, logging the guest kernel. A claim is admitted with the project's claim
policy (sandboxing.agent_sandbox.admission, evaluated by tests/cel_policy.py).

Where this differs from the real controller is listed in docs/agent-sandbox.md ("The offline
stand-in").
"""

from __future__ import annotations

import copy
import datetime
import itertools
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from cel_policy import admit_request
from kube_standin import Cluster, Response, WatchEvents, not_found, status_body
from verify_cluster import GUEST_KERNEL, KATA_NODE, pod_log, running, waiting

from sandboxing.agent_sandbox.admission import claims_policy
from sandboxing.agent_sandbox.sandboxes import GROUP, SANDBOX_GROUP

CLAIMS = f"/apis/{GROUP}/v1beta1/namespaces/{{ns}}/sandboxclaims"
SANDBOXES = f"/apis/{SANDBOX_GROUP}/v1beta1/namespaces/{{ns}}/sandboxes"
POOL_LABEL = "agents.x-k8s.io/warm-pool-sandbox"
LAUNCH = "agents.x-k8s.io/launch-type"
POD_NAME = "agents.x-k8s.io/pod-name"


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _ready(status: str, reason: str) -> dict[str, Any]:
    return {"type": "Ready", "status": status, "reason": reason, "lastTransitionTime": _now()}


@dataclass
class SandboxStandIn:
    cluster: Cluster
    namespace: str
    templates: dict[str, dict[str, Any]] = field(default_factory=dict)
    pools: dict[str, dict[str, Any]] = field(default_factory=dict)
    sandboxes: dict[str, dict[str, Any]] = field(default_factory=dict)
    claims: dict[str, dict[str, Any]] = field(default_factory=dict)
    # A Kata VM's start, scaled down for the suite; what compares cold with warm sets a longer one.
    cold_start_seconds: float = 0.02
    max_lifetime_seconds: int = 3600
    kernel: str = GUEST_KERNEL
    node: str = KATA_NODE
    deleted: list[str] = field(default_factory=list)  # claims, in the order they were deleted
    changed: threading.Condition = field(default_factory=threading.Condition)
    _versions: itertools.count = field(default_factory=lambda: itertools.count(100))
    _names: itertools.count = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.cluster.extensions.append(self.route)

    # --- set-up, as `pulumi up` and the controller leave the namespace ----------------------

    def add_pool(self, template: dict[str, Any], pool: dict[str, Any], ready: int) -> None:
        """A template and its pool with `ready` members already started (the pool's size)."""
        self.templates[template["metadata"]["name"]] = copy.deepcopy(template)
        self.pools[pool["metadata"]["name"]] = copy.deepcopy(pool)
        for _ in range(ready):
            self.start_member(pool["metadata"]["name"], delay=0)

    # --- the API ------------------------------------------------------------------------------

    def route(
        self, method: str, path: str, query: dict[str, list[str]], body: Any
    ) -> Response | WatchEvents | None:
        claims, sandboxes = CLAIMS.format(ns=self.namespace), SANDBOXES.format(ns=self.namespace)
        if path == claims and method == "POST":
            return self._create(body)
        if path == claims and method == "GET":
            name = query.get("fieldSelector", [""])[0].removeprefix("metadata.name=")
            if query.get("watch", [""])[0].lower() in ("true", "1"):
                since = int(query.get("resourceVersion", ["0"])[0] or 0)
                return self._watch(name, since, float(query.get("timeoutSeconds", ["30"])[0]))
            items = [c for n, c in self.claims.items() if not name or n == name]
            return 200, {
                "kind": "SandboxClaimList",
                "apiVersion": f"{GROUP}/v1beta1",
                "metadata": {"resourceVersion": str(self._rv())},
                "items": items,
            }
        if path.startswith(claims + "/"):
            name = path.rsplit("/", 1)[-1]
            if method == "DELETE":
                return self._delete(name)
            found = self.claims.get(name)
            return (200, found) if found else not_found(f"sandboxclaims.{GROUP}", name)
        pools = f"/apis/{GROUP}/v1beta1/namespaces/{self.namespace}/sandboxwarmpools/"
        if path.startswith(pools) and method == "GET":
            return self._pool(path.rsplit("/", 1)[-1])
        if path.startswith(sandboxes + "/") and method == "GET":
            name = path.rsplit("/", 1)[-1]
            found = self.sandboxes.get(name)
            return (200, found) if found else not_found(f"sandboxes.{SANDBOX_GROUP}", name)
        return None

    def _pool(self, name: str) -> Response:
        pool = self.pools.get(name)
        if pool is None:
            return not_found(f"sandboxwarmpools.{GROUP}", name)
        with self.changed:
            members = [
                s
                for s in self.sandboxes.values()
                if s["metadata"]["labels"].get(POOL_LABEL) == name
            ]
            ready = [s for s in members if s["status"]["conditions"][0]["status"] == "True"]
            status = {"replicas": len(members), "readyReplicas": len(ready)}
        return 200, dict(copy.deepcopy(pool), status=status)

    def _rv(self) -> int:
        return next(self._versions)

    def _create(self, body: dict[str, Any]) -> Response:
        name = body["metadata"]["name"]
        if name in self.claims:
            return 409, status_body(
                409, "AlreadyExists", f'sandboxclaims.{GROUP} "{name}" already exists'
            )
        claim = copy.deepcopy(body)
        claim["metadata"].update(
            uid=f"uid-{name}",
            creationTimestamp=_now(),
            resourceVersion=str(self._rv()),
            namespace=self.namespace,
        )
        refused = admit_request(claims_policy(self.max_lifetime_seconds)["spec"], claim)
        if refused:
            message = (
                f"admission webhook denied: ValidatingAdmissionPolicy "
                f"'aks-pod-sandboxing-sandbox-claims' denied request: {refused[0]}"
            )
            return 422, status_body(422, "Invalid", message)
        with self.changed:
            self.claims[name] = claim
            created = copy.deepcopy(claim)  # as stored: the controller changes it from now on
        threading.Thread(target=self._bind, args=(name,), daemon=True).start()
        return 201, created

    def _delete(self, name: str) -> Response:
        with self.changed:
            claim = self.claims.pop(name, None)
            if claim is None:
                return not_found(f"sandboxclaims.{GROUP}", name)
            self.deleted.append(name)
            for sandbox_name, sandbox in list(self.sandboxes.items()):
                owners = sandbox["metadata"].get("ownerReferences", [])
                if any(o["uid"] == claim["metadata"]["uid"] for o in owners):
                    del self.sandboxes[sandbox_name]
                    self.cluster.pods.pop((self.namespace, self._pod_name(sandbox)), None)
            self.changed.notify_all()
        return 200, status_body(200, "", "") | {"status": "Success"}

    def _watch(self, name: str, since: int, timeout: float) -> WatchEvents:
        deadline, sent = time.monotonic() + timeout, since
        while time.monotonic() < deadline:
            with self.changed:
                claim = copy.deepcopy(self.claims.get(name))
                version = int(claim["metadata"]["resourceVersion"]) if claim else None
                if claim is None and name in self.deleted:
                    event: dict[str, Any] | None = {
                        "type": "DELETED",
                        "object": {"metadata": {"name": name}},
                    }
                elif claim is not None and version and version > sent:
                    event, sent = {"type": "MODIFIED", "object": claim}, version
                else:
                    event = None
                    self.changed.wait(min(0.05, max(0.0, deadline - time.monotonic())))
            if event is not None:
                yield event
                if event["type"] == "DELETED":
                    return

    # --- the controllers ----------------------------------------------------------------------

    def _pod_name(self, sandbox: dict[str, Any]) -> str:
        annotations = sandbox["metadata"].get("annotations") or {}
        return str(annotations.get(POD_NAME) or sandbox["metadata"]["name"])

    def start_member(self, pool: str, delay: float) -> None:
        name = f"{pool}-{next(self._names):05d}"
        self._start(
            name,
            self.pools[pool]["spec"]["sandboxTemplateRef"]["name"],
            {POOL_LABEL: pool, LAUNCH: "warm"},
            [{"kind": "SandboxWarmPool", "name": pool, "uid": f"uid-{pool}"}],
            delay,
        )

    def _start(
        self,
        name: str,
        template: str,
        labels: dict[str, str],
        owners: list[dict[str, Any]],
        delay: float,
    ) -> None:
        """A Sandbox and its pod, Pending, then Running and Ready after `delay` seconds."""
        blueprint = copy.deepcopy(self.templates[template]["spec"]["podTemplate"])
        sandbox = {
            "apiVersion": f"{SANDBOX_GROUP}/v1beta1",
            "kind": "Sandbox",
            "metadata": {
                "name": name,
                "namespace": self.namespace,
                "labels": labels,
                "ownerReferences": owners,
            },
            "spec": {"podTemplate": blueprint},
            "status": {"conditions": [_ready("False", "DependenciesNotReady")]},
        }
        pod = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": name,
                "namespace": self.namespace,
                "labels": dict(blueprint.get("metadata", {}).get("labels", {})),
            },
            "spec": dict(copy.deepcopy(blueprint["spec"]), nodeName=self.node),
        }
        container = pod["spec"]["containers"][0]["name"]
        pod["status"] = {"phase": "Pending", "containerStatuses": [waiting(container)]}
        with self.changed:
            self.sandboxes[name] = sandbox
            self.cluster.pods[(self.namespace, name)] = pod
            self.cluster.logs[(self.namespace, name, container)] = "".join(pod_log(self.kernel)[:5])
            self._forward_to_claims()
        if delay:
            time.sleep(delay)
        with self.changed:
            if name not in self.sandboxes:
                return  # deleted while it started
            pod["status"] = {
                "phase": "Running",
                "podIPs": [{"ip": "10.244.1.7"}],
                "containerStatuses": [running(container)],
            }
            sandbox["status"] = {
                "conditions": [_ready("True", "DependenciesReady")],
                "podIPs": ["10.244.1.7"],
                "nodeName": self.node,
            }
            self._forward_to_claims()

    def _bind(self, name: str) -> None:
        with self.changed:
            claim = self.claims.get(name)
            pool = self.pools.get(claim["spec"]["warmPoolRef"]["name"]) if claim else None
            if claim is None:
                return
            if pool is None:
                claim["status"] = {"conditions": [_ready("False", "WarmPoolNotFound")]}
                claim["metadata"]["resourceVersion"] = str(self._rv())
                self.changed.notify_all()
                return
            pool_name = pool["metadata"]["name"]
            member = next(
                (
                    s
                    for s in self.sandboxes.values()
                    if s["metadata"]["labels"].get(POOL_LABEL) == pool_name
                    and s["status"]["conditions"][0]["status"] == "True"
                ),
                None,
            )
            owner = [{"kind": "SandboxClaim", "name": name, "uid": claim["metadata"]["uid"]}]
            if member is not None:  # adopt it in place; the pool starts a replacement
                member["metadata"]["labels"].pop(POOL_LABEL)
                member["metadata"]["ownerReferences"] = owner
                member["metadata"]["annotations"] = {POD_NAME: member["metadata"]["name"]}
                claim["status"] = {"sandbox": {"name": member["metadata"]["name"]}}
                self._forward_to_claims()
            else:
                claim["status"] = {"sandbox": {"name": name}}
        if member is not None:
            self.start_member(pool_name, self.cold_start_seconds)
            return
        self._start(
            name,
            pool["spec"]["sandboxTemplateRef"]["name"],
            {LAUNCH: "cold"},
            owner,
            self.cold_start_seconds,
        )

    def _forward_to_claims(self) -> None:
        """Each bound claim gets its Sandbox's Ready condition (called holding the lock)."""
        for claim in self.claims.values():
            bound = (claim.get("status") or {}).get("sandbox", {}).get("name")
            sandbox = self.sandboxes.get(bound or "")
            if sandbox is None:
                continue
            condition = sandbox["status"]["conditions"][0]
            if claim["status"].get("conditions") != [condition]:
                claim["status"]["conditions"] = [condition]
                claim["metadata"]["resourceVersion"] = str(self._rv())
        self.changed.notify_all()
