"""Pod states the isolation check meets on real clusters, served by the stand-in API server.

Crash loops (the kubelet keeps serving the dead container's log), webhook-injected sidecars
(the log endpoint wants a container name), long-running pods whose start-up line the kubelet
rotated away, and what `--wait` costs the API server.
"""

from __future__ import annotations

import datetime
import itertools
import json
import time

import pytest
from kube_standin import StandIn, bad_request
from verify_cluster import (
    CLASS,
    GUEST_KERNEL,
    KATA_NODE,
    NS,
    SIDECAR,
    SYSTEM_NODE,
    crash_looping,
    pod_json,
    pod_log,
    run_verify,
    running,
    untrusted,
    untrusted_log_key,
    verdicts,
    waiting,
    workload_container,
)

from sandboxing.workload import KERNEL_LOG_PREFIX, POD_COMMAND, TRUSTED_POD, UNTRUSTED_POD
from tools.verify.connect import connect
from tools.verify.facts import Target
from tools.verify.read import gather

TARGET = Target(NS, TRUSTED_POD, UNTRUSTED_POD, CLASS)
LONG_AGO = datetime.timedelta(days=12)


# --- Crash loops -----------------------------------------------------------------------------


def crash_loop_untrusted(api: StandIn) -> None:
    """Phase Running, container in back-off; its last run logged the guest kernel."""
    manifest = untrusted(api.cluster)
    manifest["status"]["containerStatuses"] = [crash_looping(workload_container(manifest))]
    key = untrusted_log_key(api.cluster)
    api.cluster.previous_logs[key] = api.cluster.logs.pop(key)


def test_a_crash_looping_untrusted_pod_is_not_reported_isolated(
    api: StandIn, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    crash_loop_untrusted(api)
    code, out, _ = run_verify(capsys, "--kubeconfig", kubeconfig)
    assert code == 1, out
    assert verdicts(out)[1] == "FAIL"
    assert "waiting: CrashLoopBackOff" in out
    assert "restarts: 7" in out
    assert "Error (exit code 132)" in out
    assert "ISOLATED:" not in out


def test_wait_does_not_spin_on_a_crash_loop(
    api: StandIn, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    crash_loop_untrusted(api)
    started = time.monotonic()
    code, _, _ = run_verify(capsys, "--kubeconfig", kubeconfig, "--wait", "30")
    assert code == 1 and time.monotonic() - started < 5


# --- Sidecars --------------------------------------------------------------------------------


def inject_sidecar(manifest: dict) -> None:
    """What a mutating webhook (service mesh, security agent) does to the pod."""
    manifest["spec"]["containers"].append({"name": SIDECAR, "image": "istio/proxyv2:1.27.0"})
    manifest["status"]["containerStatuses"].append(running(SIDECAR))


def test_pods_with_an_injected_sidecar_are_checked_by_their_workload_container(
    api: StandIn, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in (TRUSTED_POD, UNTRUSTED_POD):
        inject_sidecar(api.cluster.pods[(NS, name)])
    code, out, _ = run_verify(capsys, "--kubeconfig", kubeconfig)
    assert code == 0, out
    logs = [r.query for r in api.requests if r.path.endswith("/log")]
    assert sorted(q["container"][0] for q in logs) == [TRUSTED_POD, UNTRUSTED_POD]


def test_a_log_error_other_than_not_started_is_reported_as_it_is(
    api: StandIn, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    said = f'container "{UNTRUSTED_POD}" in pod "{UNTRUSTED_POD}" is not available'
    api.cluster.overrides[f"/api/v1/namespaces/{NS}/pods/{UNTRUSTED_POD}/log"] = bad_request(said)
    started = time.monotonic()
    code, _, err = run_verify(capsys, "--kubeconfig", kubeconfig, "--wait", "30")
    assert code == 2 and time.monotonic() - started < 5  # no waiting for what will not come
    assert said in err and "HTTP 400" in err


def test_a_container_waiting_to_start_is_still_not_yet(api: StandIn, kubeconfig: str) -> None:
    manifest = untrusted(api.cluster)
    manifest["status"]["containerStatuses"] = [waiting(workload_container(manifest))]
    facts = gather(connect(kubeconfig), TARGET)
    assert facts.untrusted.kernel is None and not facts.untrusted.settled


# --- Long-running pods and log rotation ------------------------------------------------------


def test_the_pods_repeat_their_kernel_line() -> None:
    lines = pod_log("6.6.85.1-2.azl3")
    kernel_lines = [i for i, line in enumerate(lines) if line.startswith(KERNEL_LOG_PREFIX)]
    assert kernel_lines[0] == 0 and len(kernel_lines) >= 3
    assert set(lines) == {f"{KERNEL_LOG_PREFIX}6.6.85.1-2.azl3\n", ".\n"}
    gaps = {b - a for a, b in itertools.pairwise(kernel_lines)}
    assert len(gaps) == 1 and gaps.pop() <= 120  # evenly, at most every 10 min (5 s a line)
    assert "uname -r" in POD_COMMAND[2]


def rotate(api: StandIn, kernel: str = GUEST_KERNEL, keep_from: int = 250) -> None:
    """The kubelet rotated the untrusted pod's log: it serves only the newest file."""
    manifest = untrusted(api.cluster)
    manifest["status"]["containerStatuses"] = [
        running(workload_container(manifest), started_ago=LONG_AGO)
    ]
    api.cluster.logs[untrusted_log_key(api.cluster)] = "".join(pod_log(kernel)[keep_from:])


def test_a_long_running_pod_still_proves_isolation_after_rotation(
    api: StandIn, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rotate(api)
    code, out, _ = run_verify(capsys, "--kubeconfig", kubeconfig)
    assert code == 0, out
    logs = [r.query for r in api.requests if r.path.endswith("/log")]
    assert all("tailLines" in q and int(q["limitBytes"][0]) <= 16384 for q in logs)


def test_a_pod_that_never_repeats_its_line_is_still_read_from_the_start(
    api: StandIn, kubeconfig: str
) -> None:
    """Pods deployed before the line repeated: one line at the start, then only dots."""
    api.cluster.logs[untrusted_log_key(api.cluster)] = (
        f"{KERNEL_LOG_PREFIX}{GUEST_KERNEL}\n" + ".\n" * 3000
    )
    facts = gather(connect(kubeconfig), TARGET)
    assert facts.untrusted.kernel == GUEST_KERNEL


def test_a_rotated_away_kernel_line_is_explained(
    api: StandIn, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rotate(api)
    api.cluster.logs[untrusted_log_key(api.cluster)] = ".\n" * 3000  # an old pod, rotated
    code, out, _ = run_verify(capsys, "--kubeconfig", kubeconfig)
    assert code == 2
    assert "Pods still starting?" not in out
    assert "rotated" in out and "12 days" in out and "pulumi up" in out


# --- Polling cost ----------------------------------------------------------------------------


def test_wait_reads_what_cannot_change_once_and_backs_off(api: StandIn, kubeconfig: str) -> None:
    running_pod = untrusted(api.cluster)
    api.cluster.pods[(NS, UNTRUSTED_POD)] = pod_json(UNTRUSTED_POD, CLASS, KATA_NODE, "Pending")
    pod_path = f"/api/v1/namespaces/{NS}/pods/{UNTRUSTED_POD}"

    def start_on_the_sixth_poll(path: str) -> None:
        if path == pod_path and api.count(pod_path) == 5:
            api.cluster.pods[(NS, UNTRUSTED_POD)] = running_pod

    api.after_request = start_on_the_sixth_poll
    started = time.monotonic()
    facts = gather(connect(kubeconfig), TARGET, wait_seconds=30, poll_seconds=0.002)
    elapsed = time.monotonic() - started
    assert facts.untrusted.kernel == GUEST_KERNEL
    assert api.count(pod_path) == 6
    assert api.count(f"/runtimeclasses/{CLASS}") == 1
    assert api.count(f"/nodes/{KATA_NODE}") == 1 and api.count(f"/nodes/{SYSTEM_NODE}") == 1
    assert api.count(f"/pods/{TRUSTED_POD}/log") == 1  # settled once, not re-read
    assert elapsed >= 0.002 + 0.004 + 0.008 + 0.016 + 0.032  # each pause twice the one before


def test_wait_stays_bounded(
    api: StandIn, kubeconfig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    api.cluster.pods[(NS, UNTRUSTED_POD)] = pod_json(UNTRUSTED_POD, CLASS, KATA_NODE, "Pending")
    started = time.monotonic()
    code, out, _ = run_verify(
        capsys, "--kubeconfig", kubeconfig, "--wait", "0.1", "--format", "json"
    )
    assert code == 2 and 0.1 <= time.monotonic() - started < 5
    assert json.loads(out)["facts"]["waited_seconds"] >= 0.1
