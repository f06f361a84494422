"""The deployed sandbox as the stand-in API server (tests/kube_standin.py) serves it.

The pods are the program's own manifests (sandboxing.workload) with a status as the kubelet
reports it, and their logs are what the pods' real command prints (run here with `sleep` and
`uname` replaced by shell functions, so hours of log take milliseconds).
"""

from __future__ import annotations

import base64
import datetime
import functools
import json
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from kube_standin import Cluster, Pem

from sandboxing.catalog import KATA_GA, KATA_HANDLER
from sandboxing.config.contract import default_settings
from sandboxing.workload import POD_COMMAND, TRUSTED_POD, UNTRUSTED_POD, pod
from tools.verify import cli as verify

TOKEN = "test-token-0123456789"
NS = "pod-sandboxing"
CLASS = KATA_GA.runtime_class
SYSTEM_NODE = "aks-system-31415926-vmss000000"
KATA_NODE = "aks-katapool-27182818-vmss000000"
HOST_KERNEL = "6.6.85.1-2.azl3"
GUEST_KERNEL = "6.1.58.mshv4-1.azl3"
STATUSES = ("PASS", "FAIL", "UNKNOWN")
SIDECAR = "istio-proxy"


def runtime_class_json(handler: str = KATA_HANDLER) -> dict[str, Any]:
    return {
        "kind": "RuntimeClass",
        "apiVersion": "node.k8s.io/v1",
        "metadata": {
            "name": CLASS,
            "uid": "4f7c0a58-2d7e-4d6e-9d55-1a2b3c4d5e6f",
            "labels": {"addonmanager.kubernetes.io/mode": "Reconcile"},
        },
        "handler": handler,
        "overhead": {"podFixed": {"memory": "600Mi"}},
        "scheduling": {"nodeSelector": {KATA_GA.node_label: "true"}},
    }


def node_json(name: str, kernel: str, kata: bool) -> dict[str, Any]:
    labels = {
        "kubernetes.azure.com/agentpool": name.split("-")[1],
        "kubernetes.io/os": "linux",
        "kubernetes.azure.com/os-sku": "AzureLinux",
    }
    if kata:
        labels[KATA_GA.node_label] = "true"
    return {
        "kind": "Node",
        "apiVersion": "v1",
        "metadata": {"name": name, "labels": labels},
        "spec": {"providerID": f"azure:///subscriptions/0/virtualMachineScaleSets/{name}"},
        "status": {
            "nodeInfo": {  # every field: the client's models require them
                "machineID": "b3a1c2d4e5f60718293a4b5c6d7e8f90",
                "systemUUID": "2f6e1a3b-5c7d-4e8f-9a0b-1c2d3e4f5a6b",
                "bootID": "8d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6",
                "kernelVersion": kernel,
                "osImage": "Microsoft Azure Linux 3.0",
                "containerRuntimeVersion": "containerd://2.0.0",
                "kubeletVersion": "v1.33.3",
                "kubeProxyVersion": "v1.33.3",
                "operatingSystem": "linux",
                "architecture": "amd64",
            }
        },
    }


def _timestamp(ago: datetime.timedelta) -> str:
    return (datetime.datetime.now(datetime.UTC) - ago).strftime("%Y-%m-%dT%H:%M:%SZ")


def running(
    name: str, started_ago: datetime.timedelta = datetime.timedelta(minutes=2), restarts: int = 0
) -> dict[str, Any]:
    return {
        "name": name,
        "ready": True,
        "started": True,
        "restartCount": restarts,
        "image": default_settings().pod_image,
        "imageID": "",
        "containerID": "containerd://1",
        "state": {"running": {"startedAt": _timestamp(started_ago)}},
    }


def waiting(name: str, reason: str = "ContainerCreating") -> dict[str, Any]:
    status = running(name)
    status.update(ready=False, started=False, state={"waiting": {"reason": reason}})
    return status


def crash_looping(name: str, restarts: int = 7, exit_code: int = 132) -> dict[str, Any]:
    """Back-off after the container died (the kubelet keeps the phase Running)."""
    status = running(name, restarts=restarts)
    status.update(
        ready=False,
        started=False,
        state={
            "waiting": {
                "reason": "CrashLoopBackOff",
                "message": f"back-off 5m0s restarting failed container={name} pod={name}_{NS}(uid)",
            }
        },
        lastState={
            "terminated": {
                "exitCode": exit_code,
                "reason": "Error",
                "startedAt": _timestamp(datetime.timedelta(minutes=6)),
                "finishedAt": _timestamp(datetime.timedelta(minutes=5)),
                "containerID": "containerd://0",
            }
        },
    )
    return status


def pod_json(
    name: str,
    runtime_class: str | None,
    node: str | None,
    phase: str,
    status: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The program's own manifest (sandboxing.workload), as the API server returns it."""
    manifest = pod(default_settings(), name, runtime_class)
    if node:
        manifest["spec"]["nodeName"] = node
    container = manifest["spec"]["containers"][0]["name"]
    if status is None:
        status = running(container) if phase == "Running" else waiting(container)
    manifest["status"] = {
        "phase": phase,
        "containerStatuses": [status],
        "conditions": [{"type": "PodScheduled", "status": "True"}],
    }
    return manifest


@functools.cache
def pod_log(kernel: str, lines: int = 400) -> tuple[str, ...]:
    """The first `lines` lines the pods' real command prints on `kernel` (POD_COMMAND)."""
    fast = f"sleep() {{ :; }}; uname() {{ echo {shlex.quote(kernel)}; }}; "
    process = subprocess.Popen(
        [*POD_COMMAND[:2], fast + POD_COMMAND[2]], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    printed = tuple(process.stdout.readline() for _ in range(lines))
    process.kill()
    process.wait()
    return printed


def workload_container(manifest: dict[str, Any]) -> str:
    return str(manifest["spec"]["containers"][0]["name"])


def isolated(cluster: Cluster) -> Cluster:
    """The deployed pair, isolated: the state every test starts from."""
    cluster.runtime_classes[CLASS] = runtime_class_json()
    cluster.nodes[SYSTEM_NODE] = node_json(SYSTEM_NODE, HOST_KERNEL, kata=False)
    cluster.nodes[KATA_NODE] = node_json(KATA_NODE, HOST_KERNEL, kata=True)
    for name, runtime_class, node, kernel in (
        (TRUSTED_POD, None, SYSTEM_NODE, HOST_KERNEL),
        (UNTRUSTED_POD, CLASS, KATA_NODE, GUEST_KERNEL),
    ):
        manifest = pod_json(name, runtime_class, node, "Running")
        cluster.pods[(NS, name)] = manifest
        cluster.logs[(NS, name, workload_container(manifest))] = "".join(pod_log(kernel)[:30])
    return cluster


def untrusted(cluster: Cluster) -> dict[str, Any]:
    return cluster.pods[(NS, UNTRUSTED_POD)]


def untrusted_log_key(cluster: Cluster) -> tuple[str, str, str]:
    return (NS, UNTRUSTED_POD, workload_container(untrusted(cluster)))


# --- Kubeconfig files ------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def user_token(token: str = TOKEN) -> dict[str, Any]:
    return {"token": token}


def user_cert(pem: Pem) -> dict[str, Any]:
    return {"client-certificate-data": _b64(pem.cert), "client-key-data": _b64(pem.key)}


def user_exec(script: Path) -> dict[str, Any]:
    """An exec credential plugin, as kubelogin is configured by az aks get-credentials."""
    return {
        "exec": {
            "apiVersion": "client.authentication.k8s.io/v1beta1",
            "command": sys.executable,
            "args": [str(script)],
            "interactiveMode": "IfAvailable",
            "provideClusterInfo": False,
        }
    }


def kubeconfig_text(
    server: str,
    user: dict[str, Any] | None = None,
    ca: bytes | None = None,
    more_contexts: dict[str, str] | None = None,
) -> str:
    """A kubeconfig whose current context is the stand-in; `more_contexts`: name -> server."""
    servers = {"aks-pod-sandboxing": server, **(more_contexts or {})}
    cluster_extra = {"certificate-authority-data": _b64(ca)} if ca else {}
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "current-context": "aks-pod-sandboxing",
        "clusters": [
            {"name": n, "cluster": {"server": s, **cluster_extra}} for n, s in servers.items()
        ],
        "contexts": [
            {"name": n, "context": {"cluster": n, "user": "clusterUser"}} for n in servers
        ],
        "users": [{"name": "clusterUser", "user": user or user_token()}],
    }
    return json.dumps(config, indent=1)  # JSON is YAML: what the client reads


def write_kubeconfig(folder: Path, text: str) -> str:
    path = folder / "kubeconfig"
    path.write_text(text)
    return str(path)


def exec_plugin(folder: Path, token: str | None, stderr: str = "") -> Path:
    """A tiny exec plugin: prints an ExecCredential with `token`, or fails with `stderr`."""
    script = folder / ("plugin-ok.py" if token else "plugin-fails.py")
    credential = {
        "apiVersion": "client.authentication.k8s.io/v1beta1",
        "kind": "ExecCredential",
        "status": {"token": token},
    }
    body = (
        f"print({json.dumps(json.dumps(credential))})"
        if token
        else f"import sys\nsys.stderr.write({stderr!r})\nsys.exit(1)"
    )
    script.write_text(body + "\n")
    return script


def run_verify(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = verify.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def verdicts(out: str) -> list[str]:
    return [line.split()[0] for line in out.splitlines() if line.startswith(STATUSES)]
