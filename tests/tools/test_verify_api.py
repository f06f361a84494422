"""The isolation check against a local stand-in for the Kubernetes API server.

A plain http.server on 127.0.0.1 answers the few GETs the check makes with real-shaped JSON; the
official `kubernetes` client talks to it through a kubeconfig file, exactly as it would to AKS.
Nothing inside the client is mocked.
"""

from __future__ import annotations

import http.server
import json
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

# Loaded up front (it takes most of a second, once): the --wait tests time the polling, not this.
import kubernetes.client.api.core_v1_api  # noqa: F401
import pytest

from sandboxing.catalog import KATA_GA, KATA_HANDLER
from sandboxing.contract import default_settings
from sandboxing.workload import KERNEL_LOG_PREFIX, TRUSTED_POD, UNTRUSTED_POD, pod
from tools import verify
from tools.harness import REPO, RunResult
from tools.verify_facts import Target, connect, gather
from tools.verify_stack import KUBECONFIG_OUTPUT, TARGET_OUTPUTS, private_file

TOKEN = "test-token-0123456789"
NS = "pod-sandboxing"
CLASS = KATA_GA.runtime_class
SYSTEM_NODE = "aks-system-31415926-vmss000000"
KATA_NODE = "aks-katapool-27182818-vmss000000"
HOST_KERNEL = "6.6.85.1-2.azl3"
GUEST_KERNEL = "6.1.58.mshv4-1.azl3"
TARGET = Target(NS, TRUSTED_POD, UNTRUSTED_POD, CLASS)
STATUSES = ("PASS", "FAIL", "UNKNOWN")

Response = tuple[int, Any]  # (HTTP status, JSON-able body or log text)


# --- Real-shaped API objects ----------------------------------------------------------------


def status_body(code: int, reason: str, message: str) -> dict[str, Any]:
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}  # fmt: skip


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
    labels = {"kubernetes.azure.com/agentpool": name.split("-")[1], "kubernetes.io/os": "linux",
              "kubernetes.azure.com/os-sku": "AzureLinux"}  # fmt: skip
    if kata:
        labels[KATA_GA.node_label] = "true"
    return {
        "kind": "Node",
        "apiVersion": "v1",
        "metadata": {"name": name, "labels": labels},
        "spec": {"providerID": f"azure:///subscriptions/0/virtualMachineScaleSets/{name}"},
        "status": {
            "nodeInfo": {
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


def pod_json(name: str, runtime_class: str | None, node: str | None, phase: str) -> dict[str, Any]:
    """The program's own manifest (sandboxing.workload), as the API server returns it."""
    manifest = pod(default_settings(), name, runtime_class)
    if node:
        manifest["spec"]["nodeName"] = node
    if phase == "Running":
        state: dict[str, Any] = {"running": {"startedAt": "2026-11-20T09:14:03Z"}}
    else:
        state = {"waiting": {"reason": "ContainerCreating"}}
    manifest["status"] = {
        "phase": phase,
        "conditions": [{"type": "PodScheduled", "status": "True"}],
        "containerStatuses": [{
            "name": name, "ready": phase == "Running", "restartCount": 0, "image":
            manifest["spec"]["containers"][0]["image"], "imageID": "", "state": state,
        }],
    }  # fmt: skip
    return manifest


def isolated_routes() -> dict[str, Response]:
    pods = f"/api/v1/namespaces/{NS}/pods"
    return {
        f"/apis/node.k8s.io/v1/runtimeclasses/{CLASS}": (200, runtime_class_json()),
        f"{pods}/{TRUSTED_POD}": (200, pod_json(TRUSTED_POD, None, SYSTEM_NODE, "Running")),
        f"{pods}/{UNTRUSTED_POD}": (200, pod_json(UNTRUSTED_POD, CLASS, KATA_NODE, "Running")),
        f"/api/v1/nodes/{SYSTEM_NODE}": (200, node_json(SYSTEM_NODE, HOST_KERNEL, kata=False)),
        f"/api/v1/nodes/{KATA_NODE}": (200, node_json(KATA_NODE, HOST_KERNEL, kata=True)),
        f"{pods}/{TRUSTED_POD}/log": (200, f"{KERNEL_LOG_PREFIX}{HOST_KERNEL}\n.\n.\n"),
        f"{pods}/{UNTRUSTED_POD}/log": (200, f"{KERNEL_LOG_PREFIX}{GUEST_KERNEL}\n.\n.\n"),
    }


def pending_untrusted(routes: dict[str, Response]) -> None:
    pods = f"/api/v1/namespaces/{NS}/pods"
    routes[f"{pods}/{UNTRUSTED_POD}"] = (200, pod_json(UNTRUSTED_POD, CLASS, KATA_NODE, "Pending"))
    routes[f"{pods}/{UNTRUSTED_POD}/log"] = (400, status_body(
        400, "BadRequest",
        f'container "{UNTRUSTED_POD}" in pod "{UNTRUSTED_POD}" is waiting to start: '
        "ContainerCreating"))  # fmt: skip


# --- The stand-in API server ----------------------------------------------------------------


class FakeApi(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, Response] = isolated_routes()
        self.requests: list[tuple[str, str, dict[str, list[str]], str]] = []  # method, path, ...
        # Called with each path after it was answered: lets a test change the cluster between
        # two polls without depending on timing.
        self.after_request: Callable[[str], None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(http.server.BaseHTTPRequestHandler):
    server: FakeApi

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        auth = self.headers.get("Authorization", "")
        self.server.requests.append(("GET", url.path, parse_qs(url.query), auth))
        status, body = self.server.routes.get(
            url.path, (404, status_body(404, "NotFound", f"{url.path} not found"))
        )
        if isinstance(body, str):
            data, content_type = body.encode(), "text/plain"
        else:
            data, content_type = json.dumps(body).encode(), "application/json"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        if self.server.after_request is not None:
            self.server.after_request(url.path)

    def log_message(self, format: str, *args: Any) -> None:  # keep pytest's output clean
        pass


def kubeconfig_text(server: str) -> str:
    return f"""apiVersion: v1
kind: Config
clusters:
- name: aks-pod-sandboxing
  cluster: {{server: "{server}"}}
contexts:
- name: aks-pod-sandboxing
  context: {{cluster: aks-pod-sandboxing, user: clusterUser}}
current-context: aks-pod-sandboxing
users:
- name: clusterUser
  user: {{token: {TOKEN}}}
"""


@pytest.fixture
def api() -> Iterator[FakeApi]:
    server = FakeApi()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def kubeconfig(api: FakeApi, tmp_path: Path) -> str:
    path = tmp_path / "kubeconfig"
    path.write_text(kubeconfig_text(api.url))
    return str(path)


def run_verify(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = verify.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- Gathering ------------------------------------------------------------------------------


def test_gathers_the_facts_with_plain_gets_and_the_kubeconfig_token(
    api: FakeApi, kubeconfig: str
) -> None:
    facts = gather(connect(kubeconfig), TARGET)
    assert facts.server == api.url
    assert (facts.runtime_class.found, facts.runtime_class.handler) == (True, KATA_HANDLER)
    untrusted, trusted = facts.untrusted, facts.trusted
    assert (untrusted.phase, untrusted.runtime_class, untrusted.kernel) == (
        "Running", CLASS, GUEST_KERNEL)  # fmt: skip
    assert untrusted.node is not None and untrusted.node.kernel_version == HOST_KERNEL
    assert untrusted.node.labels[KATA_GA.node_label] == "true"
    assert (trusted.runtime_class, trusted.node_name, trusted.kernel) == (
        None, SYSTEM_NODE, HOST_KERNEL)  # fmt: skip
    assert {method for method, *_ in api.requests} == {"GET"}
    assert {auth for *_, auth in api.requests} == {f"Bearer {TOKEN}"}
    assert not any("exec" in path for _, path, _, _ in api.requests)
    logs = [query for _, path, query, _ in api.requests if path.endswith("/log")]
    assert len(logs) == 2 and all(int(q["limitBytes"][0]) <= 4096 for q in logs)


def test_a_missing_runtime_class_is_a_fact_not_an_error(api: FakeApi, kubeconfig: str) -> None:
    del api.routes[f"/apis/node.k8s.io/v1/runtimeclasses/{CLASS}"]
    facts = gather(connect(kubeconfig), TARGET)
    assert facts.runtime_class.found is False
    assert facts.untrusted.kernel == GUEST_KERNEL


def test_wait_polls_until_the_pod_runs(api: FakeApi, kubeconfig: str) -> None:
    running = dict(api.routes)
    pending_untrusted(api.routes)
    pod_path = f"/api/v1/namespaces/{NS}/pods/{UNTRUSTED_POD}"

    def start_the_pod(path: str) -> None:  # the pod is Running from the second poll on
        if path == pod_path:
            api.routes.update(running)

    api.after_request = start_the_pod
    facts = gather(connect(kubeconfig), TARGET, wait_seconds=5, poll_seconds=0.05)
    assert facts.untrusted.kernel == GUEST_KERNEL
    polls = [p for _, p, _, _ in api.requests if p.endswith(f"/pods/{UNTRUSTED_POD}")]
    assert len(polls) >= 2


# --- The whole tool -------------------------------------------------------------------------


def test_isolated_cluster_passes_every_check(
    api: FakeApi, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_verify(capsys, "--kubeconfig", kubeconfig)
    assert code == 0
    verdicts = [line.split()[0] for line in out.splitlines() if line.startswith(STATUSES)]
    assert verdicts == ["PASS"] * 4
    assert f"untrusted pod kernel: {GUEST_KERNEL}" in out
    assert f"trusted pod kernel: {HOST_KERNEL}" in out
    assert out.rstrip().endswith("(exit 0)")


def test_json_report(api: FakeApi, kubeconfig: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_verify(capsys, "--kubeconfig", kubeconfig, "--format", "json")
    report = json.loads(out)
    assert (code, report["isolated"], report["exitCode"]) == (0, True, 0)
    assert [c["status"] for c in report["checks"]] == ["PASS"] * 4
    assert report["facts"]["untrusted"]["kernel"] == GUEST_KERNEL


def test_untrusted_pod_on_the_host_kernel_fails(
    api: FakeApi, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    api.routes[f"/api/v1/namespaces/{NS}/pods/{UNTRUSTED_POD}/log"] = (
        200, f"{KERNEL_LOG_PREFIX}{HOST_KERNEL}\n")  # fmt: skip
    code, out, _ = run_verify(capsys, "--kubeconfig", kubeconfig)
    assert code == 1
    assert "FAIL    the untrusted pod's kernel differs" in out


def test_missing_pod_cannot_be_checked(
    api: FakeApi, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_verify(capsys, "--kubeconfig", kubeconfig, "--namespace", "other")
    assert (code, out) == (2, "")
    assert 'pod "trusted" not found in namespace "other" (HTTP 404)' in err


def test_forbidden_names_the_missing_permission(
    api: FakeApi, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    api.routes[f"/api/v1/nodes/{SYSTEM_NODE}"] = (403, status_body(
        403, "Forbidden", f'nodes "{SYSTEM_NODE}" is forbidden: User "dev" cannot get resource '
        '"nodes" in API group "" at the cluster scope'))  # fmt: skip
    code, _, err = run_verify(capsys, "--kubeconfig", kubeconfig)
    assert code == 2
    assert f'may not get nodes "{SYSTEM_NODE}" (cluster scope)' in err
    assert "kubectl auth can-i get nodes." in err
    assert 'User "dev" cannot get resource "nodes"' in err


def test_forbidden_log_names_the_subresource(
    api: FakeApi, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    api.routes[f"/api/v1/namespaces/{NS}/pods/{TRUSTED_POD}/log"] = (
        403, status_body(403, "Forbidden", "forbidden"))  # fmt: skip
    code, _, err = run_verify(capsys, "--kubeconfig", kubeconfig)
    assert code == 2
    assert f"kubectl auth can-i get pods --subresource=log -n {NS}" in err


def test_rejected_credentials(
    api: FakeApi, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in list(api.routes):
        api.routes[path] = (401, status_body(401, "Unauthorized", "Unauthorized"))
    code, _, err = run_verify(capsys, "--kubeconfig", kubeconfig, "--format", "text")
    assert code == 2
    assert "rejected the kubeconfig's credentials (HTTP 401)" in err


def test_unreachable_cluster(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A bound socket that never listens: the port stays ours, and connecting is refused.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        server = f"http://127.0.0.1:{closed.getsockname()[1]}"
        path = tmp_path / "kubeconfig"
        path.write_text(kubeconfig_text(server))
        started = time.monotonic()
        code, out, _ = run_verify(capsys, "--kubeconfig", str(path), "--format", "json")
    assert code == 2 and time.monotonic() - started < 10  # refused at once, no retry loop
    report = json.loads(out)
    assert report["exitCode"] == 2 and report["isolated"] is False
    assert f"cannot reach the Kubernetes API server at {server}: connection refused" in (
        report["error"])  # fmt: skip


def test_missing_kubeconfig_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_verify(capsys, "--kubeconfig", str(tmp_path / "nope"))
    assert code == 2
    assert f"cannot use the kubeconfig {tmp_path / 'nope'}" in err


def test_wait_times_out_on_a_pending_pod(
    api: FakeApi, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pending_untrusted(api.routes)
    started = time.monotonic()
    code, out, _ = run_verify(capsys, "--kubeconfig", kubeconfig, "--wait", "0.1")
    assert code == 2
    assert 0.1 <= time.monotonic() - started < 10  # waited, then gave up
    assert "the untrusted pod is Pending (ContainerCreating), not Running yet" in out
    assert "UNKNOWN the untrusted pod's kernel differs" in out
    assert "(waited 0.1 s)" in out


# --- --stack: outputs through the Pulumi CLI ------------------------------------------------


def fake_pulumi(tmp_path: Path, outputs: dict[str, Any], exit_code: int = 0) -> Path:
    """A `pulumi` on PATH that records its arguments and prints the stack outputs."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "pulumi"
    script.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(tmp_path / 'argv.json')!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
        f"print({json.dumps(outputs)!r})\n"
        f"sys.stderr.write('error: no stack named dev found\\n')\nsys.exit({exit_code})\n"
    )
    script.chmod(0o755)
    return bin_dir


def test_stack_outputs_drive_the_check_and_the_kubeconfig_is_removed(
    api: FakeApi,
    dev_run: RunResult,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The program's own outputs (mock engine), with the kubeconfig pointing at the stand-in.
    outputs = {name: output.value for name, output in dev_run.outputs.items()}
    assert {KUBECONFIG_OUTPUT, *TARGET_OUTPUTS.values()} <= outputs.keys()
    outputs[KUBECONFIG_OUTPUT] = kubeconfig_text(api.url)
    monkeypatch.setenv("PATH", str(fake_pulumi(tmp_path, outputs)))
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))

    code, out, _ = run_verify(capsys, "--stack", "dev")
    assert code == 0, out
    argv = json.loads((tmp_path / "argv.json").read_text())
    assert argv == ["stack", "output", "--json", "--show-secrets", "--stack", "dev"]
    assert f"namespace {outputs['podNamespace']}" in out
    assert list(private_tmp.iterdir()) == []


def test_flags_win_over_stack_outputs(
    api: FakeApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    outputs = {KUBECONFIG_OUTPUT: kubeconfig_text(api.url), "podNamespace": "elsewhere",
               "runtimeClassName": CLASS}  # fmt: skip
    monkeypatch.setenv("PATH", str(fake_pulumi(tmp_path, outputs)))
    code, _, _ = run_verify(capsys, "--stack", "dev", "--namespace", NS)
    assert code == 0


def test_failing_pulumi_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(fake_pulumi(tmp_path, {}, exit_code=255)))
    code, _, err = run_verify(capsys, "--stack", "dev")
    assert code == 2
    assert "failed (exit 255): error: no stack named dev found" in err


def test_missing_pulumi_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    code, _, err = run_verify(capsys, "--stack", "dev")
    assert code == 2
    assert "Pulumi CLI (pulumi) is not installed" in err and "--kubeconfig" in err


def test_stack_without_kubeconfig_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(fake_pulumi(tmp_path, {"podNamespace": NS})))
    code, _, err = run_verify(capsys, "--stack", "dev")
    assert code == 2
    assert 'stack "dev" has no kubeconfig output' in err


def test_private_file_is_owner_only_and_removed_even_on_error() -> None:
    with pytest.raises(RuntimeError), private_file("secret: yes\n") as path:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.read_text() == "secret: yes\n"
        raise RuntimeError("check failed midway")
    assert not path.exists()


def test_help_does_not_import_the_kubernetes_client() -> None:
    probe = (
        "import contextlib, io, sys\nfrom tools import verify\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    verify.main(['--help'])\n"
        "print('--wait SECONDS' in out.getvalue(), 'kubernetes' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True,
                          text=True, check=True)  # fmt: skip
    assert done.stdout.split() == ["True", "False"]
