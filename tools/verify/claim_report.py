"""The verdict of the sandbox claim check (tools.verify.claim) and its report. Pure.

Per claim: it was bound and became Ready (UNKNOWN when not: isolation cannot be told then), its
pod runs with the Kata class on a Kata node (tools.verify.checks, as for the untrusted pod), and
the pod's own kernel differs from its node's (a Kata guest kernel, not the host's). Exit codes as
the isolation check's: 0 isolated, 1 a check failed, 2 cannot tell.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from tools.verify.checks import (
    ISOLATED,
    CheckResult,
    exit_code,
    runtime_class_check,
    untrusted_pod_check,
)
from tools.verify.claim import ClaimCheckFacts, ClaimFacts

LAUNCH = {"warm": "a pool sandbox adopted", "cold": "a new Kata VM started"}


def bound_check(claim: ClaimFacts) -> CheckResult:
    title = f'claim "{claim.claim}" on pool "{claim.pool}" gets a Ready sandbox'
    evidence = {
        "sandbox": claim.sandbox or "(none)",
        "claim deleted": "yes" if claim.deleted else "no",
    }
    if claim.seconds_to_ready is None:
        return CheckResult(title, "UNKNOWN", claim.problem or "not Ready", evidence)
    launch = claim.launch_type or "unknown"
    evidence["launch type"] = launch
    detail = f"Ready {claim.seconds_to_ready:g} s after the claim ({LAUNCH.get(launch, launch)})"
    return CheckResult(title, "PASS", detail, evidence)


def guest_kernel_check(claim: ClaimFacts) -> CheckResult:
    pod = claim.pod
    assert pod is not None
    title = f'sandbox "{pod.name}" runs on its own kernel, not its node\'s'
    node_kernel = pod.node.kernel_version if pod.node else None
    evidence = {
        "sandbox kernel": pod.kernel or "(unknown)",
        f"node kernel ({pod.node_name or '-'})": node_kernel or "(unknown)",
    }
    if not pod.kernel or not node_kernel:
        missing = "the sandbox's kernel line" if not pod.kernel else "its node's kernel"
        return CheckResult(title, "UNKNOWN", f"cannot compare without {missing}", evidence)
    if pod.kernel == node_kernel:  # whole strings: see tools.verify.checks
        return CheckResult(title, "FAIL", "it runs on its node's kernel: no VM boundary", evidence)
    return CheckResult(title, "PASS", "a guest kernel of its own", evidence)


def decide_claims(facts: ClaimCheckFacts) -> list[CheckResult]:
    results = [runtime_class_check(facts.runtime_class)]
    for claim in facts.claims:
        results.append(bound_check(claim))
        if claim.pod is not None:
            role = f"{claim.kind} sandbox"
            results.append(untrusted_pod_check(claim.pod, facts.runtime_class.name, role))
            results.append(guest_kernel_check(claim))
    return results


def claim_to_ready(facts: ClaimCheckFacts) -> dict[str, float | None]:
    """Seconds from sending a claim to its Ready sandbox, by pool kind (None: never Ready)."""
    return {claim.kind: claim.seconds_to_ready for claim in facts.claims}


def render_text(facts: ClaimCheckFacts, results: list[CheckResult], code: int) -> str:
    lines = [f"Sandbox claim check: API server {facts.server}, namespace {facts.namespace}"]
    for result in results:
        lines.append(f"{result.status:<7} {result.title}")
        lines.append(f"        {result.detail}")
        lines += [f"          {key}: {value}" for key, value in result.evidence.items()]
    timings = ", ".join(
        f"{kind} {'-' if s is None else f'{s:g} s'}" for kind, s in claim_to_ready(facts).items()
    )
    lines.append(f"Claim to ready: {timings}")
    verdict = {
        ISOLATED: "ISOLATED: every claimed sandbox ran in its own Kata VM",
        1: "NOT ISOLATED as intended: see the FAIL lines",
        2: "CANNOT TELL: see the UNKNOWN lines",
    }[code]
    return "\n".join([*lines, f"{verdict} (exit {code})"])


def report_json(facts: ClaimCheckFacts, results: list[CheckResult], code: int) -> dict[str, Any]:
    return {
        "isolated": code == ISOLATED,
        "exitCode": code,
        "claimToReadySeconds": claim_to_ready(facts),
        "checks": [asdict(result) for result in results],
        "facts": asdict(facts),
    }


def render(facts: ClaimCheckFacts, as_json: bool) -> tuple[str, int]:
    results = decide_claims(facts)
    code = exit_code(results)
    if as_json:
        return json.dumps(report_json(facts, results, code), indent=2), code
    return render_text(facts, results, code), code
