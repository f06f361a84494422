"""The isolation verdict on realistic facts, and the pure helpers around it (no network)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ReadTimeoutError,
)

from sandboxing.catalog import KATA_GA, KATA_HANDLER, KATA_PREVIEW
from sandboxing.workload import KERNEL_LOG_PREFIX, TRUSTED_POD, UNTRUSTED_POD
from tools.verify.checks import (
    CANNOT_CHECK,
    ISOLATED,
    NOT_ISOLATED,
    CheckResult,
    decide,
    exit_code,
)
from tools.verify.cli import render_json, render_text
from tools.verify.diagnosis import Access, api_problem, unreachable_problem
from tools.verify.facts import (
    ClusterFacts,
    ContainerFacts,
    NodeFacts,
    PodFacts,
    RuntimeClassFacts,
    kernel_from_log,
)

NS = "pod-sandboxing"
SERVER = "https://aks-pod-sandboxing-3f2a1b.hcp.westeurope.azmk8s.io:443"
HOST_KERNEL = "6.6.85.1-2.azl3"  # Azure Linux 3 node
CBL_MARINER_KERNEL = "5.15.173.1-1.cm2"  # Azure Linux 2 node
GUEST_KERNEL = "6.1.58.mshv4-1.azl3"  # Kata guest

SYSTEM_NODE = NodeFacts(
    "aks-system-31415926-vmss000000", HOST_KERNEL, {"kubernetes.azure.com/mode": "system"}
)
KATA_NODE = NodeFacts("aks-katapool-27182818-vmss000000", HOST_KERNEL, {KATA_GA.node_label: "true"})


def running(name: str, runtime_class: str | None, node: NodeFacts, kernel: str) -> PodFacts:
    return PodFacts(name, NS, "Running", runtime_class, node.name, node, kernel)


def isolated() -> ClusterFacts:
    return ClusterFacts(
        server=SERVER,
        namespace=NS,
        runtime_class=RuntimeClassFacts(KATA_GA.runtime_class, True, KATA_HANDLER),
        trusted=running(TRUSTED_POD, None, SYSTEM_NODE, HOST_KERNEL),
        untrusted=running(UNTRUSTED_POD, KATA_GA.runtime_class, KATA_NODE, GUEST_KERNEL),
    )


def statuses(facts: ClusterFacts) -> list[str]:
    return [result.status for result in decide(facts)]


def with_untrusted(**changes: object) -> ClusterFacts:
    facts = isolated()
    return replace(facts, untrusted=replace(facts.untrusted, **changes))  # type: ignore[arg-type]


def test_isolated_pair_passes_every_check() -> None:
    results = decide(isolated())
    assert [r.status for r in results] == ["PASS"] * 4
    assert exit_code(results) == ISOLATED
    kernels = results[3].evidence
    assert kernels["untrusted pod kernel"] == GUEST_KERNEL
    assert kernels[f"untrusted pod's node kernel ({KATA_NODE.name})"] == HOST_KERNEL
    assert results[1].evidence["node Kata label"] == f"{KATA_GA.node_label}=true"
    assert results[2].evidence["node"] == SYSTEM_NODE.name


def test_one_pool_cluster_both_pods_on_one_kata_node_pass() -> None:
    # kataPoolPlacement system: the System pool runs Kata, so the trusted pod's node is a Kata
    # node too; one node, two kernels.
    labels = {"kubernetes.azure.com/mode": "system", KATA_GA.node_label: "true"}
    one_node = NodeFacts("aks-system-31415926-vmss000000", HOST_KERNEL, labels)
    facts = replace(
        isolated(),
        trusted=running(TRUSTED_POD, None, one_node, HOST_KERNEL),
        untrusted=running(UNTRUSTED_POD, KATA_GA.runtime_class, one_node, GUEST_KERNEL),
    )
    results = decide(facts)
    assert [r.status for r in results] == ["PASS"] * 4
    assert results[2].evidence["node Kata label"] == f"{KATA_GA.node_label}=true"
    # ...and one kernel on that node is still caught.
    same = replace(facts, untrusted=replace(facts.untrusted, kernel=HOST_KERNEL))
    assert statuses(same)[3] == "FAIL"


def test_same_kernel_as_the_trusted_pod_fails() -> None:
    results = decide(with_untrusted(kernel=HOST_KERNEL))
    assert [r.status for r in results] == ["PASS", "PASS", "PASS", "FAIL"]
    assert "same kernel as the trusted pod" in results[3].detail
    assert exit_code(results) == NOT_ISOLATED


def test_own_node_kernel_fails_even_when_the_trusted_node_differs() -> None:
    # The trusted pod sits on an older Azure Linux 2 node: differing from it proves nothing.
    facts = with_untrusted(kernel=HOST_KERNEL)
    cbl_node = replace(SYSTEM_NODE, kernel_version=CBL_MARINER_KERNEL)
    facts = replace(facts, trusted=running(TRUSTED_POD, None, cbl_node, CBL_MARINER_KERNEL))
    result = decide(facts)[3]
    assert (result.status, result.detail) == (
        "FAIL",
        "the untrusted pod runs on its node's kernel: no VM boundary",
    )


def test_untrusted_pod_without_runtime_class_fails() -> None:
    plain = running(UNTRUSTED_POD, None, SYSTEM_NODE, HOST_KERNEL)
    results = decide(replace(isolated(), untrusted=plain))
    assert results[1].status == "FAIL"
    assert "no runtimeClassName" in results[1].detail
    assert results[1].evidence["runtimeClassName"] == "(none)"
    assert results[3].status == "FAIL"


def test_untrusted_pod_with_another_class_fails() -> None:
    result = decide(with_untrusted(runtime_class="runc"))[1]
    assert result.status == "FAIL"
    assert f'"runc", not "{KATA_GA.runtime_class}"' in result.detail


def test_node_without_kata_label_fails() -> None:
    result = decide(with_untrusted(node=replace(KATA_NODE, labels={})))[1]
    assert result.status == "FAIL"
    assert f"carries no {KATA_GA.node_label}=true or {KATA_PREVIEW.node_label}=true" in (
        result.detail
    )
    assert result.evidence["node Kata label"] == "(none)"


def test_label_with_another_value_is_not_a_kata_node() -> None:
    node = replace(KATA_NODE, labels={KATA_GA.node_label: "false"})
    assert decide(with_untrusted(node=node))[1].status == "FAIL"


def test_preview_era_pool_passes() -> None:
    node = replace(KATA_NODE, labels={KATA_PREVIEW.node_label: "true"})
    facts = with_untrusted(node=node, runtime_class=KATA_PREVIEW.runtime_class)
    facts = replace(
        facts, runtime_class=RuntimeClassFacts(KATA_PREVIEW.runtime_class, True, KATA_HANDLER)
    )
    assert statuses(facts) == ["PASS"] * 4


def test_runtime_class_with_wrong_handler_fails() -> None:
    facts = replace(
        isolated(), runtime_class=RuntimeClassFacts(KATA_GA.runtime_class, True, "runc")
    )
    results = decide(facts)
    assert results[0].status == "FAIL"
    assert 'handler is "runc"' in results[0].detail
    assert exit_code(results) == NOT_ISOLATED


def test_missing_runtime_class_fails() -> None:
    facts = replace(isolated(), runtime_class=RuntimeClassFacts(KATA_GA.runtime_class, False))
    result = decide(facts)[0]
    assert (result.status, result.evidence) == ("FAIL", {"found": "no"})
    assert KATA_PREVIEW.runtime_class in result.detail


@pytest.mark.parametrize(
    ("guest", "node"),
    [
        ("6.1.58.mshv4-1.azl3", "6.1.58.mshv4-2.azl3"),  # same up to the release number
        ("6.6.57.mshv4", "6.6.57.mshv4-1.azl3"),  # one is a prefix/substring of the other
        ("5.15.157.mshv1-1.cm2", "5.15.157.mshv1-1.cm2+"),
    ],
)
def test_mshv_kernels_that_differ_only_partly_still_differ(guest: str, node: str) -> None:
    assert "mshv" in guest and "mshv" in node and guest != node
    facts = with_untrusted(kernel=guest, node=replace(KATA_NODE, kernel_version=node))
    facts = replace(facts, trusted=replace(facts.trusted, kernel=node))
    assert statuses(facts) == ["PASS"] * 4


def test_identical_mshv_kernels_fail() -> None:
    mshv = "6.6.57.mshv4-1.azl3"
    facts = with_untrusted(kernel=mshv, node=replace(KATA_NODE, kernel_version=mshv))
    assert statuses(facts)[3] == "FAIL"


def test_pending_untrusted_pod_cannot_be_decided_yet() -> None:
    facts = with_untrusted(phase="Pending", kernel=None, waiting="ContainerCreating")
    results = decide(facts)
    assert [r.status for r in results] == ["PASS", "UNKNOWN", "PASS", "UNKNOWN"]
    assert results[1].detail == "the untrusted pod is Pending (ContainerCreating), not Running yet"
    assert "untrusted pod's kernel (its container is not running)" in results[3].detail
    assert exit_code(results) == CANNOT_CHECK


def test_unscheduled_pod_has_no_node_evidence() -> None:
    facts = with_untrusted(phase="Pending", kernel=None, node=None, node_name=None)
    results = decide(facts)
    assert results[1].status == "UNKNOWN"
    assert results[1].evidence["node"] == "(not scheduled)"
    assert "node kernel" in results[3].detail


def test_failed_pod_fails_rather_than_waits() -> None:
    facts = with_untrusted(phase="Failed", kernel=None, waiting="Error (exit code 1)")
    result = decide(facts)[1]
    assert result.status == "FAIL"
    assert f"kubectl describe pod {UNTRUSTED_POD} -n {NS}" in result.detail


def test_trusted_pod_with_a_runtime_class_fails() -> None:
    facts = isolated()
    facts = replace(facts, trusted=replace(facts.trusted, runtime_class=KATA_GA.runtime_class))
    assert statuses(facts)[2] == "FAIL"


def test_a_failure_outweighs_an_undecided_check() -> None:
    results = [CheckResult("a", "UNKNOWN", ""), CheckResult("b", "FAIL", "")]
    assert exit_code(results) == NOT_ISOLATED


@pytest.mark.parametrize(
    ("log", "kernel"),
    [
        (f"{KERNEL_LOG_PREFIX}{GUEST_KERNEL}\n.\n.\n", GUEST_KERNEL),
        (f"{KERNEL_LOG_PREFIX}{GUEST_KERNEL}\r\n.", GUEST_KERNEL),
        (f"starting\n{KERNEL_LOG_PREFIX}{HOST_KERNEL}  \n", HOST_KERNEL),
        (
            f"{KERNEL_LOG_PREFIX}{HOST_KERNEL}\n.\n{KERNEL_LOG_PREFIX}{GUEST_KERNEL}\n.\n",
            GUEST_KERNEL,
        ),
        (".\n.\n", None),  # rotated away
        (f"{KERNEL_LOG_PREFIX}\n", None),
        ("", None),
    ],
)
def test_kernel_from_log(log: str, kernel: str | None) -> None:
    assert kernel_from_log(log) == kernel


def test_connection_problems_in_words() -> None:
    def failed(reason: Exception) -> str:
        return unreachable_problem(SERVER, MaxRetryError(None, "/api", reason), (10, 30))  # type: ignore[arg-type]

    dns = NameResolutionError("aks.invalid", None, OSError("Name or service not known"))  # type: ignore[arg-type]
    assert "host name does not resolve (DNS)" in failed(dns)
    refused = NewConnectionError(None, "[Errno 111] Connection refused")  # type: ignore[arg-type]
    assert "connection refused" in failed(refused)
    assert "apiServerAuthorizedIpRanges" in failed(ConnectTimeoutError("timed out"))
    assert "no answer within 30 s" in failed(ReadTimeoutError(None, "/api", "read timed out"))  # type: ignore[arg-type]
    assert failed(dns).startswith(f"cannot reach the Kubernetes API server at {SERVER}: ")


def test_api_problems_in_words() -> None:
    log = Access("pods", UNTRUSTED_POD, NS, subresource="log")
    assert str(log) == f'get pods/log "{UNTRUSTED_POD}" in namespace "{NS}"'
    status = json.dumps({"kind": "Status", "message": "pods is forbidden: User cannot ..."})
    forbidden = api_problem(log, SERVER, 403, "Forbidden", status)
    assert "The API server said: pods is forbidden: User cannot ..." in forbidden
    assert api_problem(log, SERVER, 500, "Internal Server Error", "boom") == (
        f'the API server answered HTTP 500 Internal Server Error to get pods/log "{UNTRUSTED_POD}"'
        f' in namespace "{NS}". The API server said: boom'
    )
    node = api_problem(Access("nodes", KATA_NODE.name), SERVER, 404, "Not Found", None)
    assert "left the cluster" in node


def test_a_crash_loop_fails_even_with_a_kernel_from_the_dead_container() -> None:
    looping = ContainerFacts(
        UNTRUSTED_POD,
        "waiting",
        ready=False,
        restart_count=4,
        reason="CrashLoopBackOff",
        last_exit="Error (exit 132)",
    )
    facts = with_untrusted(container=looping, waiting="CrashLoopBackOff")
    results = decide(facts)
    assert results[1].status == "FAIL" and exit_code(results) == NOT_ISOLATED
    assert results[1].evidence["restarts"] == "4"
    assert "--previous" in results[1].detail


def test_a_running_container_that_restarted_once_is_fine() -> None:
    restarted = ContainerFacts(UNTRUSTED_POD, "running", ready=True, restart_count=1)
    assert statuses(with_untrusted(container=restarted)) == ["PASS"] * 4


def test_text_report_lists_status_detail_and_evidence() -> None:
    facts = with_untrusted(kernel=HOST_KERNEL)
    results = decide(facts)
    text = render_text(facts, results, exit_code(results)).splitlines()
    assert text[0] == f"Isolation check: API server {SERVER}, namespace {NS}"
    assert text[-1] == "NOT ISOLATED as intended: see the FAIL lines (exit 1)"
    assert f"          untrusted pod kernel: {HOST_KERNEL}" in text
    assert sum(line.startswith(("PASS", "FAIL", "UNKNOWN")) for line in text) == 4


def test_json_report_carries_checks_and_facts() -> None:
    facts = isolated()
    results = decide(facts)
    report = json.loads(render_json(facts, results, exit_code(results)))
    assert (report["isolated"], report["exitCode"]) == (True, 0)
    assert report["checks"][3]["evidence"]["trusted pod kernel"] == HOST_KERNEL
    assert report["facts"]["untrusted"]["node"]["labels"] == {KATA_GA.node_label: "true"}
