"""`tools.verify --claim`: a sandbox claimed as a claimant would, proven a Kata VM, timed, and
the claims deleted, against the stand-in API server with the agent-sandbox controllers
(tests/sandbox_standin.py) and the real `kubernetes` client (TLS aside: a bearer token)."""

from __future__ import annotations

import argparse
import json
import threading
import time

import pytest
from kube_standin import StandIn, status_body
from sandbox_standin import CLAIMS, SandboxStandIn
from verify_cluster import HOST_KERNEL, run_verify

from sandboxing.agent_sandbox.sandboxes import COLD_POOL, WARM_POOL, sandbox_objects
from sandboxing.config.contract import default_settings
from tools.verify.cli import claim_target

NS = "sandboxes"


@pytest.fixture(autouse=True)
def _quick_pool_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    # A real pool is polled once a second; the stand-in starts its members in fractions of one.
    from tools.verify import claim

    monkeypatch.setattr(claim, "POOL_POLL_SECONDS", 0.05)


@pytest.fixture
def sandboxes(api: StandIn) -> SandboxStandIn:
    """The sandbox namespace as `pulumi up` leaves it: one warm sandbox ready, a cold pool."""
    objects = sandbox_objects(default_settings(agent_sandbox=True))
    standin = SandboxStandIn(api.cluster, NS)
    standin.add_pool(objects.template, objects.warm_pool, ready=1)
    standin.add_pool(objects.template, objects.cold_pool, ready=0)
    return standin


def check(capsys: pytest.CaptureFixture[str], kubeconfig: str, *extra: str) -> tuple[int, str]:
    code, out, err = run_verify(capsys, "--kubeconfig", kubeconfig, "--claim", *extra)
    return code, out + err


def test_a_cold_and_a_warm_claim_are_kata_vms_and_the_warm_one_is_faster(
    capsys: pytest.CaptureFixture[str], kubeconfig: str, sandboxes: SandboxStandIn
) -> None:
    sandboxes.cold_start_seconds = 0.12  # long beside a warm claim's ~10 ms
    code, out = check(capsys, kubeconfig, "--format", "json", "--wait", "20")
    report = json.loads(out)
    assert code == 0, out
    assert report["isolated"] is True
    timings = report["claimToReadySeconds"]
    assert timings["cold"] >= sandboxes.cold_start_seconds > timings["warm"]
    claims = {c["kind"]: c for c in report["facts"]["claims"]}
    assert claims["warm"]["launch_type"] == "warm" and claims["cold"]["launch_type"] == "cold"
    # Warm: a member of the pool, adopted with its pod; cold: a new sandbox named like the claim.
    assert claims["warm"]["sandbox"].startswith(f"{WARM_POOL}-")
    assert claims["cold"]["sandbox"] == claims["cold"]["claim"]
    assert claims["cold"]["pod"]["runtime_class"] == "kata-vm-isolation"
    # Cold first (it needs room the warm pool's replacement would take), and both deleted.
    assert sandboxes.deleted == [claims["cold"]["claim"], claims["warm"]["claim"]]
    assert sandboxes.claims == {} and all(c["deleted"] for c in claims.values())
    assert [c["status"] for c in report["checks"]] == ["PASS"] * 7


def test_the_text_report_names_each_claim_and_the_timings(
    capsys: pytest.CaptureFixture[str], kubeconfig: str, sandboxes: SandboxStandIn
) -> None:
    code, out = check(capsys, kubeconfig)
    assert code == 0, out
    assert f'on pool "{COLD_POOL}" gets a Ready sandbox' in out
    assert "(a new Kata VM started)" in out and "(a pool sandbox adopted)" in out
    assert 'PASS    warm sandbox pod "kata-sandbox-' in out
    assert "runs on its own kernel, not its node's" in out
    assert out.count("Claim to ready: cold ") == 1
    assert "ISOLATED: every claimed sandbox ran in its own Kata VM (exit 0)" in out


def test_a_sandbox_on_its_nodes_kernel_fails(
    capsys: pytest.CaptureFixture[str], kubeconfig: str, sandboxes: SandboxStandIn
) -> None:
    sandboxes.kernel = HOST_KERNEL  # the cold sandbox would share the node's kernel
    code, out = check(capsys, kubeconfig, "--warm-pool", "")
    assert code == 1
    assert "FAIL    " in out and "it runs on its node's kernel: no VM boundary" in out
    assert sandboxes.claims == {}


def test_a_claim_that_is_never_bound_cannot_tell_and_is_deleted(
    capsys: pytest.CaptureFixture[str], kubeconfig: str, sandboxes: SandboxStandIn
) -> None:
    code, out = check(capsys, kubeconfig, "--cold-pool", "", "--warm-pool", "no-such-pool")
    assert code == 2
    assert "UNKNOWN " in out and "WarmPoolNotFound" in out
    assert sandboxes.claims == {} and len(sandboxes.deleted) == 1


def test_a_slow_cold_start_is_reported_as_not_ready_within_the_wait(
    capsys: pytest.CaptureFixture[str], kubeconfig: str, sandboxes: SandboxStandIn
) -> None:
    sandboxes.cold_start_seconds = 3
    started = time.monotonic()
    code, out = check(capsys, kubeconfig, "--warm-pool", "", "--wait", "0.3")
    # Within the wait, not the API server's whole second (a watch's timeoutSeconds is an integer).
    assert time.monotonic() - started < 0.9
    assert code == 2
    assert "not Ready within the wait (last Ready condition: DependenciesNotReady)" in out
    assert sandboxes.claims == {}


def test_a_watch_the_api_server_does_not_answer_within_the_wait_is_named(
    api: StandIn, capsys: pytest.CaptureFixture[str], kubeconfig: str, sandboxes: SandboxStandIn
) -> None:
    def silent_watch(method: str, path: str, query: dict[str, list[str]], body: object) -> None:
        if path == CLAIMS.format(ns=NS) and query.get("watch"):
            time.sleep(0.3)  # no answer, not even the headers, for longer than the wait

    api.cluster.extensions.insert(0, silent_watch)
    code, out = check(capsys, kubeconfig, "--warm-pool", "", "--wait", "0.1")
    assert code == 2
    assert "the API server did not answer the watch within the wait" in out
    assert sandboxes.claims == {}


def test_the_claims_keep_within_the_namespaces_lifetime_or_are_refused(
    capsys: pytest.CaptureFixture[str], kubeconfig: str, sandboxes: SandboxStandIn
) -> None:
    sandboxes.max_lifetime_seconds = 60  # the policy admits less than the tool's 600 s
    code, out = check(capsys, kubeconfig)
    assert code == 2
    assert "claim-lifetime: a SandboxClaim must end" in out and sandboxes.claims == {}


def test_no_right_to_claim_is_named_with_the_command_to_test_it(
    api: StandIn, capsys: pytest.CaptureFixture[str], kubeconfig: str, sandboxes: SandboxStandIn
) -> None:
    api.cluster.overrides[CLAIMS.format(ns=NS)] = (
        403,
        status_body(403, "Forbidden", "sandboxclaims.extensions.agents.x-k8s.io is forbidden"),
    )
    code, out = check(capsys, kubeconfig)
    assert code == 2
    assert "may not create sandboxclaims.extensions.agents.x-k8s.io" in out
    assert "kubectl auth can-i create sandboxclaims.extensions.agents.x-k8s.io -n sandboxes" in out


def test_the_target_comes_from_the_stack_output_with_flags_first() -> None:
    args = argparse.Namespace(namespace=None, runtime_class=None, warm_pool=None, cold_pool="")
    outputs = {
        "runtimeClassName": "kata-mshv-vm-isolation",
        "agentSandbox": {
            "namespace": "agents",
            "warmPool": "fast",
            "coldPool": "slow",
            "maxLifetimeSeconds": 120,
        },
    }
    target = claim_target(args, outputs)
    assert (target.namespace, target.runtime_class) == ("agents", "kata-mshv-vm-isolation")
    assert target.pools == (("warm", "fast"),)  # --cold-pool '' skips the cold pool
    assert target.lifetime_seconds == 120
    defaults = claim_target(
        argparse.Namespace(namespace=None, runtime_class=None, warm_pool=None, cold_pool=None), {}
    )
    assert defaults.pools == (("cold", COLD_POOL), ("warm", WARM_POOL))
    assert defaults.namespace == "sandboxes" and defaults.lifetime_seconds == 600


def test_the_warm_claim_waits_for_a_ready_member_so_it_times_a_warm_start(
    capsys: pytest.CaptureFixture[str], kubeconfig: str, api: StandIn
) -> None:
    """Right after `pulumi up` the pool is still starting its sandbox."""
    objects = sandbox_objects(default_settings(agent_sandbox=True))
    standin = SandboxStandIn(api.cluster, NS, cold_start_seconds=0.3)
    standin.add_pool(objects.template, objects.warm_pool, ready=0)
    threading.Thread(target=standin.start_member, args=(WARM_POOL, 0.05), daemon=True).start()
    code, out = check(capsys, kubeconfig, "--cold-pool", "", "--format", "json", "--wait", "20")
    assert code == 0, out
    (claim,) = json.loads(out)["facts"]["claims"]
    assert claim["launch_type"] == "warm" and claim["seconds_to_ready"] < 0.3
