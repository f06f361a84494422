"""Tenant check: does every running pod of a tenant namespace run in a Kata VM on a Kata node?

    python -m tools.verify --tenant team-a [--kubeconfig PATH | --stack NAME] [--format json]

Lists the namespace's pods (`list pods`) and reads each running pod's node (`get nodes`): a pod
passes when it names the Kata runtime class and its node carries the Kata node label AKS sets.
The admission policy should make a failure impossible; this shows it on the live cluster. Exit
codes as tools.verify: 0 every running pod in Kata, 1 one is not, 2 cannot tell (no running pod
yet, or the cluster cannot be read).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from sandboxing import catalog
from tools.verify.checks import CANNOT_CHECK, ISOLATED, KATA_LABEL_VALUE, NOT_ISOLATED
from tools.verify.diagnosis import Access
from tools.verify.facts import CannotCheckError
from tools.verify.read import ClusterReader

if TYPE_CHECKING:
    from kubernetes.client import ApiClient


@dataclass(frozen=True)
class TenantPod:
    name: str
    phase: str
    runtime_class: str | None
    node: str | None
    kata_node: bool
    problem: str  # empty: in a Kata VM on a Kata node


@dataclass(frozen=True)
class TenantReport:
    server: str
    namespace: str
    runtime_class: str
    pods: tuple[TenantPod, ...]

    @property
    def running(self) -> list[TenantPod]:
        return [p for p in self.pods if p.phase == "Running"]

    @property
    def exit_code(self) -> int:
        if any(p.problem for p in self.running):
            return NOT_ISOLATED
        return ISOLATED if self.running else CANNOT_CHECK

    def as_json(self) -> dict[str, object]:
        return {"isolated": self.exit_code == ISOLATED, "exitCode": self.exit_code, **asdict(self)}


def kata_node_label(runtime_class: str) -> str:
    """The node label of the Kata runtime that serves this class (GA's for an override)."""
    for runtime in catalog.SANDBOX_RUNTIMES.values():
        if runtime.runtime_class == runtime_class:
            return runtime.node_label
    return catalog.KATA_GA.node_label


def check_tenant(api_client: ApiClient, namespace: str, runtime_class: str) -> TenantReport:
    reader = ClusterReader(api_client, namespace)
    listed = reader.read(
        Access("pods", "*", namespace),
        lambda: reader.core.list_namespaced_pod(namespace, _request_timeout=reader.timeout),
    )
    label = kata_node_label(runtime_class)
    pods = []
    for pod in listed.items or []:
        name = str((pod.metadata.name if pod.metadata else None) or "?")
        phase = (pod.status.phase if pod.status else None) or "Unknown"
        spec = pod.spec
        pod_class = (spec.runtime_class_name if spec else None) or None
        node_name = (spec.node_name if spec else None) or None
        labels = reader.node(str(node_name)).labels if node_name else {}
        kata_node = labels.get(label) == KATA_LABEL_VALUE
        problem = ""
        if pod_class != runtime_class:
            problem = f"runtimeClassName is {pod_class or 'not set'}, not {runtime_class}"
        elif node_name and not kata_node:
            problem = f"node {node_name} has no {label}={KATA_LABEL_VALUE} label"
        pods.append(TenantPod(name, phase, pod_class, node_name, kata_node, problem))
    return TenantReport(reader.server, namespace, runtime_class, tuple(pods))


def render_text(report: TenantReport) -> str:
    lines = [
        f"Tenant check: API server {report.server}, namespace {report.namespace}, "
        f"runtime class {report.runtime_class}"
    ]
    for pod in report.pods:
        if pod.phase != "Running":
            lines.append(f"SKIP    pod {pod.name}: {pod.phase}, not running")
            continue
        status = "FAIL" if pod.problem else "PASS"
        detail = pod.problem or f"Kata VM on Kata node {pod.node}"
        lines.append(f"{status:<7} pod {pod.name}: {detail}")
    code = report.exit_code
    verdict = {
        ISOLATED: f"every running pod of {report.namespace} runs in a Kata VM",
        NOT_ISOLATED: "NOT ISOLATED: see the FAIL lines",
        CANNOT_CHECK: f"CANNOT TELL: no running pod in {report.namespace}",
    }[code]
    return "\n".join([*lines, f"{verdict} (exit {code})"])


__all__ = ["CannotCheckError", "TenantReport", "check_tenant", "render_text"]
