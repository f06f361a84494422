"""SandboxPods: the locked-down namespace and the trusted/untrusted pair."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest
from support import run_component

from components.sandbox_pods import SandboxPods
from sandboxing.config.contract import default_settings
from sandboxing.workload import pod_pair, sandboxed_pod_violations
from tools.harness import RunResult

POD = "kubernetes:core/v1:Pod"


def run_pods(**settings: Any) -> RunResult:
    def program() -> None:
        provider = pulumi.ProviderResource("kubernetes", "k8s", {"kubeconfig": "{}"})
        objects = pod_pair(default_settings(**settings))
        SandboxPods("sandbox", objects, provider, "kata-vm-isolation")

    return run_component(program)


@pytest.fixture(scope="module")
def pods() -> RunResult:
    return run_pods()


# Pod Security Standards, "restricted" profile (kubernetes.io/docs/concepts/security/
# pod-security-standards), every control that applies to a Linux pod.
RESTRICTED_VOLUME_TYPES = {
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
}
SAFE_SYSCTLS = {
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
}


def restricted_violations(spec: dict[str, Any]) -> list[str]:
    found = []
    pod_sc = spec.get("securityContext") or {}
    containers = [*spec.get("containers", []), *spec.get("initContainers", [])]
    for field in ("hostNetwork", "hostPID", "hostIPC"):
        if spec.get(field):
            found.append(f"host namespaces: {field}")
    for volume in spec.get("volumes", []):
        kinds = set(volume) - {"name"}
        if not kinds <= RESTRICTED_VOLUME_TYPES:
            found.append(f"volume types: {kinds}")
    for sysctl in pod_sc.get("sysctls", []):
        if sysctl["name"] not in SAFE_SYSCTLS:
            found.append(f"sysctls: {sysctl['name']}")
    if pod_sc.get("runAsUser") == 0:
        found.append("running as non-root user: pod runAsUser 0")
    for c in containers:
        sc = c.get("securityContext") or {}
        name = c["name"]
        if sc.get("privileged"):
            found.append(f"privileged: {name}")
        caps = sc.get("capabilities") or {}
        if "ALL" not in caps.get("drop", []):
            found.append(f"capabilities drop ALL: {name}")
        if set(caps.get("add", [])) - {"NET_BIND_SERVICE"}:
            found.append(f"capabilities add: {name}")
        if any(p.get("hostPort") for p in c.get("ports", [])):
            found.append(f"host ports: {name}")
        if sc.get("allowPrivilegeEscalation") is not False:
            found.append(f"privilege escalation: {name}")
        if not (sc.get("runAsNonRoot") is True or pod_sc.get("runAsNonRoot") is True):
            found.append(f"running as non-root: {name}")
        if sc.get("runAsNonRoot") is False or sc.get("runAsUser") == 0:
            found.append(f"running as non-root user: {name}")
        seccomp = (sc.get("seccompProfile") or pod_sc.get("seccompProfile") or {}).get("type")
        if seccomp not in ("RuntimeDefault", "Localhost"):
            found.append(f"seccomp: {name}")
        if sc.get("procMount", "Default") != "Default":
            found.append(f"/proc mount type: {name}")
        se_type = (sc.get("seLinuxOptions") or {}).get("type", "")
        if se_type not in ("", "container_t", "container_init_t", "container_kvm_t"):
            found.append(f"SELinux: {name}")
        apparmor = (sc.get("appArmorProfile") or {}).get("type")
        if apparmor == "Unconfined":
            found.append(f"AppArmor: {name}")
    return found


def test_checker_catches_what_restricted_forbids() -> None:
    context = {"privileged": True, "capabilities": {"add": ["SYS_ADMIN"]}}
    bad = {
        "hostNetwork": True,
        "volumes": [{"name": "h", "hostPath": {"path": "/"}}],
        "containers": [{"name": "c", "securityContext": context}],
    }
    found = " ".join(restricted_violations(bad))
    controls = (
        "host namespaces",
        "volume types",
        "privileged",
        "capabilities drop ALL",
        "capabilities add",
        "privilege escalation",
        "running as non-root",
        "seccomp",
    )
    for control in controls:
        assert control in found


@pytest.mark.parametrize("name", ["trusted", "untrusted"])
def test_both_pods_meet_pod_security_restricted(pods: RunResult, name: str) -> None:
    spec = pods.one(POD, name).inputs["spec"]
    assert restricted_violations(spec) == []
    container = spec["containers"][0]
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["runAsUser"] > 0 and spec["securityContext"]["runAsGroup"] > 0
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["capabilities"] == {"drop": ["ALL"]}


def test_namespace_enforces_restricted_with_a_pinned_version(pods: RunResult) -> None:
    labels = pods.one("kubernetes:core/v1:Namespace").inputs["metadata"]["labels"]
    for mode in ("enforce", "audit", "warn"):
        assert labels[f"pod-security.kubernetes.io/{mode}"] == "restricted"
        assert labels[f"pod-security.kubernetes.io/{mode}-version"].startswith("v1.")


def test_no_service_account_token_anywhere(pods: RunResult) -> None:
    account = pods.one("kubernetes:core/v1:ServiceAccount").inputs
    assert account["automountServiceAccountToken"] is False
    for name in ("trusted", "untrusted"):
        spec = pods.one(POD, name).inputs["spec"]
        assert spec["automountServiceAccountToken"] is False
        assert spec["serviceAccountName"] == account["metadata"]["name"]


def test_default_deny_network_policy_for_the_namespace(pods: RunResult) -> None:
    policy = pods.one("kubernetes:networking.k8s.io/v1:NetworkPolicy").inputs
    assert policy["metadata"]["namespace"] == "pod-sandboxing"
    # Selects every pod, both directions, and allows nothing: IMDS and the API server included.
    assert policy["spec"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}


def test_only_the_untrusted_pod_tolerates_the_kata_taint(pods: RunResult) -> None:
    untrusted = pods.one(POD, "untrusted").inputs["spec"]
    trusted = pods.one(POD, "trusted").inputs["spec"]
    assert untrusted["tolerations"] == [
        {
            "key": "pod-sandboxing.aks.io/kata",
            "operator": "Equal",
            "value": "true",
            "effect": "NoSchedule",
        }
    ]
    assert "tolerations" not in trusted


def test_no_taint_no_toleration() -> None:
    spec = run_pods(kata_node_taint="").one(POD, "untrusted").inputs["spec"]
    assert "tolerations" not in spec


def test_kata_on_the_system_pool_means_no_taint_and_no_toleration() -> None:
    # The default taint is meant for a dedicated Kata pool; the System pool carries none.
    spec = run_pods(kata_pool_placement="system").one(POD, "untrusted").inputs["spec"]
    assert spec["runtimeClassName"] == "kata-vm-isolation"
    assert "tolerations" not in spec


def test_sandboxed_pod_never_uses_host_features(pods: RunResult) -> None:
    spec = pods.one(POD, "untrusted").inputs["spec"]
    assert sandboxed_pod_violations(spec) == []
    for field in ("hostNetwork", "hostPID", "hostIPC", "volumes"):
        assert field not in spec


def test_sandboxed_pod_rule_catches_each_host_feature() -> None:
    spec = {
        "hostNetwork": True,
        "hostPID": True,
        "hostIPC": True,
        "volumes": [{"name": "root", "hostPath": {"path": "/"}}],
        "containers": [
            {
                "name": "c",
                "securityContext": {"privileged": True},
                "resources": {"limits": {"memory": "64Mi"}},
            }
        ],
    }
    found = " ".join(sandboxed_pod_violations(spec))
    for word in ("hostNetwork", "hostPID", "hostIPC", "hostPath", "privileged", "128Mi"):
        assert word in found


def test_pods_print_their_kernel_first(pods: RunResult) -> None:
    command = pods.one(POD, "untrusted").inputs["spec"]["containers"][0]["command"]
    assert command[2].startswith('echo "kernel=$(uname -r)";')


def test_component_type_and_parenting(pods: RunResult) -> None:
    component = pods.one("aks-pod-sandboxing:kubernetes:SandboxPods")
    children = [r for r in pods.resources if r.parent == component.urn]
    assert {r.type for r in children} == {
        "kubernetes:core/v1:Namespace",
        "kubernetes:core/v1:ServiceAccount",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        POD,
    }
