"""The isolation check against the stand-in API server (tests/kube_standin.py), plain HTTP.

The official `kubernetes` client talks to it through a kubeconfig file, exactly as it would to
AKS; nothing inside the client is mocked. TLS, client certificates, exec plugins and contexts:
test_verify_connection.py; pod states (crash loops, sidecars, rotated logs): test_verify_pods.py.
"""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from kube_standin import StandIn, refused_port, status_body
from verify_cluster import (
    CLASS,
    GUEST_KERNEL,
    HOST_KERNEL,
    KATA_NODE,
    NS,
    SYSTEM_NODE,
    TOKEN,
    kubeconfig_text,
    pod_json,
    run_verify,
    untrusted_log_key,
    verdicts,
    write_kubeconfig,
)

from sandboxing.catalog import KATA_GA, KATA_HANDLER
from sandboxing.workload import KERNEL_LOG_PREFIX, TRUSTED_POD, UNTRUSTED_POD
from tools.harness import RunResult
from tools.repo import REPO
from tools.verify.connect import connect
from tools.verify.facts import Target
from tools.verify.read import gather
from tools.verify.stack import KUBECONFIG_OUTPUT, TARGET_OUTPUTS, private_file

TARGET = Target(NS, TRUSTED_POD, UNTRUSTED_POD, CLASS)
PODS = f"/api/v1/namespaces/{NS}/pods"


def pending_untrusted(api: StandIn) -> None:
    api.cluster.pods[(NS, UNTRUSTED_POD)] = pod_json(UNTRUSTED_POD, CLASS, KATA_NODE, "Pending")


# --- Gathering ------------------------------------------------------------------------------


def test_gathers_the_facts_with_plain_gets_and_the_kubeconfig_token(
    api: StandIn, kubeconfig: str
) -> None:
    facts = gather(connect(kubeconfig), TARGET)
    assert facts.server == api.url
    assert (facts.runtime_class.found, facts.runtime_class.handler) == (True, KATA_HANDLER)
    untrusted, trusted = facts.untrusted, facts.trusted
    assert (untrusted.phase, untrusted.runtime_class, untrusted.kernel) == (
        "Running",
        CLASS,
        GUEST_KERNEL,
    )
    assert untrusted.node is not None and untrusted.node.kernel_version == HOST_KERNEL
    assert untrusted.node.labels[KATA_GA.node_label] == "true"
    assert (trusted.runtime_class, trusted.node_name, trusted.kernel) == (
        None,
        SYSTEM_NODE,
        HOST_KERNEL,
    )
    assert {r.method for r in api.requests} == {"GET"}
    assert {r.authorization for r in api.requests} == {f"Bearer {TOKEN}"}
    assert not any("exec" in r.path for r in api.requests)
    logs = [r.query for r in api.requests if r.path.endswith("/log")]
    assert len(logs) == 2 and all(int(q["limitBytes"][0]) <= 4096 for q in logs)


def test_a_missing_runtime_class_is_a_fact_not_an_error(api: StandIn, kubeconfig: str) -> None:
    del api.cluster.runtime_classes[CLASS]
    facts = gather(connect(kubeconfig), TARGET)
    assert facts.runtime_class.found is False
    assert facts.untrusted.kernel == GUEST_KERNEL


def test_wait_polls_until_the_pod_runs(api: StandIn, kubeconfig: str) -> None:
    running = api.cluster.pods[(NS, UNTRUSTED_POD)]
    pending_untrusted(api)

    def start_the_pod(path: str) -> None:  # the pod is Running from the second poll on
        if path == f"{PODS}/{UNTRUSTED_POD}":
            api.cluster.pods[(NS, UNTRUSTED_POD)] = running

    api.after_request = start_the_pod
    facts = gather(connect(kubeconfig), TARGET, wait_seconds=5, poll_seconds=0.05)
    assert facts.untrusted.kernel == GUEST_KERNEL
    assert api.count(f"/pods/{UNTRUSTED_POD}") >= 2


# --- The whole tool -------------------------------------------------------------------------


def test_isolated_cluster_passes_every_check(
    api: StandIn, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_verify(capsys, "--kubeconfig", kubeconfig)
    assert code == 0
    assert verdicts(out) == ["PASS"] * 4
    assert f"untrusted pod kernel: {GUEST_KERNEL}" in out
    assert f"trusted pod kernel: {HOST_KERNEL}" in out
    assert out.rstrip().endswith("(exit 0)")


def test_json_report(api: StandIn, kubeconfig: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_verify(capsys, "--kubeconfig", kubeconfig, "--format", "json")
    report = json.loads(out)
    assert (code, report["isolated"], report["exitCode"]) == (0, True, 0)
    assert [c["status"] for c in report["checks"]] == ["PASS"] * 4
    assert report["facts"]["untrusted"]["kernel"] == GUEST_KERNEL


def test_untrusted_pod_on_the_host_kernel_fails(
    api: StandIn, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    api.cluster.logs[untrusted_log_key(api.cluster)] = f"{KERNEL_LOG_PREFIX}{HOST_KERNEL}\n"
    code, out, _ = run_verify(capsys, "--kubeconfig", kubeconfig)
    assert code == 1
    assert "FAIL    the untrusted pod's kernel differs" in out


def test_missing_pod_cannot_be_checked(
    api: StandIn, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_verify(capsys, "--kubeconfig", kubeconfig, "--namespace", "other")
    assert (code, out) == (2, "")
    assert 'pod "trusted" not found in namespace "other" (HTTP 404)' in err


def test_forbidden_names_the_missing_permission(
    api: StandIn, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    api.cluster.overrides[f"/api/v1/nodes/{SYSTEM_NODE}"] = (
        403,
        status_body(
            403,
            "Forbidden",
            f'nodes "{SYSTEM_NODE}" is forbidden: User "dev" cannot get resource '
            '"nodes" in API group "" at the cluster scope',
        ),
    )
    code, _, err = run_verify(capsys, "--kubeconfig", kubeconfig)
    assert code == 2
    assert f'may not get nodes "{SYSTEM_NODE}" (cluster scope)' in err
    assert "kubectl auth can-i get nodes." in err
    assert 'User "dev" cannot get resource "nodes"' in err


def test_forbidden_log_names_the_subresource(
    api: StandIn, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    api.cluster.overrides[f"{PODS}/{TRUSTED_POD}/log"] = (
        403,
        status_body(403, "Forbidden", "forbidden"),
    )
    code, _, err = run_verify(capsys, "--kubeconfig", kubeconfig)
    assert code == 2
    assert f"kubectl auth can-i get pods --subresource=log -n {NS}" in err


def test_rejected_credentials(
    api: StandIn, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    api.token = "another-token"  # the kubeconfig's token is no longer accepted
    code, _, err = run_verify(capsys, "--kubeconfig", kubeconfig, "--format", "text")
    assert code == 2
    assert "rejected the kubeconfig's credentials (HTTP 401)" in err


def test_unreachable_cluster(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with refused_port() as server:
        path = write_kubeconfig(tmp_path, kubeconfig_text(server))
        started = time.monotonic()
        code, out, _ = run_verify(capsys, "--kubeconfig", path, "--format", "json")
    assert code == 2 and time.monotonic() - started < 10  # refused at once, no retry loop
    report = json.loads(out)
    assert report["exitCode"] == 2 and report["isolated"] is False
    assert (
        f"cannot reach the Kubernetes API server at {server}: connection refused"
        in (report["error"])
    )


def test_wait_times_out_on_a_pending_pod(
    api: StandIn, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pending_untrusted(api)
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
    api: StandIn,
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
    api: StandIn,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    outputs = {
        KUBECONFIG_OUTPUT: kubeconfig_text(api.url),
        "podNamespace": "elsewhere",
        "runtimeClassName": CLASS,
    }
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
        "import contextlib, io, sys\nfrom tools.verify import cli as verify\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    verify.main(['--help'])\n"
        "print('--wait SECONDS' in out.getvalue(), 'kubernetes' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["True", "False"]
