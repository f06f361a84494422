"""`python -m tools.verify`: options, where the kubeconfig comes from, the report, exit codes."""

from __future__ import annotations

import argparse
import json
import os
import sys
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sandboxing.agent_sandbox.outputs import OUTPUT as SANDBOX_OUTPUT
from sandboxing.agent_sandbox.sandboxes import COLD_POOL, WARM_POOL
from sandboxing.config.contract import default_settings
from sandboxing.workload import TRUSTED_POD, UNTRUSTED_POD
from tools.verify.checks import (
    CANNOT_CHECK,
    ISOLATED,
    NOT_ISOLATED,
    CheckResult,
    advice,
    decide,
    exit_code,
)
from tools.verify.claim import CLAIM_LIFETIME_SECONDS, CLAIM_TIMEOUT_SECONDS, ClaimTarget
from tools.verify.facts import CannotCheckError, ClusterFacts, Target
from tools.verify.stack import TARGET_OUTPUTS, private_file, stack_kubeconfig, stack_outputs

_DEFAULTS = default_settings()
# Names when neither a flag nor a stack output gives them: the stack contract's defaults.
DEFAULT_TARGET = Target(
    namespace=_DEFAULTS.pod_namespace,
    trusted_pod=TRUSTED_POD,
    untrusted_pod=UNTRUSTED_POD,
    runtime_class=_DEFAULTS.effective_runtime_class,
)
VERDICTS = {
    ISOLATED: "ISOLATED: the untrusted pod runs on its own kernel, apart from the trusted pod",
    NOT_ISOLATED: "NOT ISOLATED as intended: see the FAIL lines",
    CANNOT_CHECK: "CANNOT TELL (yet): see the UNKNOWN lines",
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tools.verify",
        description="Check that the untrusted pod runs in its own Kata VM (own kernel) and the "
        "trusted pod on the node's shared kernel.",
        epilog="Exit codes: 0 isolated, 1 a check failed (also a crash-looping pod), 2 cannot "
        "check (cluster unreachable, credentials or permissions, pods missing or not running "
        "yet, kernel line not in the log).",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--kubeconfig",
        metavar="PATH",
        help="kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)",
    )
    source.add_argument(
        "--stack",
        metavar="NAME",
        help="read kubeconfig, namespace, pod and runtime class names from this stack's "
        "outputs with the Pulumi CLI",
    )
    parser.add_argument("--context", metavar="NAME", help="kubeconfig context (default: current)")
    defaults = DEFAULT_TARGET
    parser.add_argument(
        "--namespace",
        metavar="NS",
        help=f"pods' namespace (default: {defaults.namespace}; with --claim the sandbox "
        f"namespace, default: {_DEFAULTS.agent_sandbox_namespace})",
    )
    parser.add_argument(
        "--claim",
        action="store_true",
        help="check instead the sandboxes on demand (agentSandbox): claim one from the cold and "
        "one from the warm pool as a claimant would, prove each runs in a Kata VM, time "
        "claim-to-ready, delete the claims (tools.verify.claim)",
    )
    parser.add_argument("--warm-pool", metavar="NAME", help="--claim: the warm pool ('' skips it)")
    parser.add_argument("--cold-pool", metavar="NAME", help="--claim: the cold pool ('' skips it)")
    parser.add_argument(
        "--tenant",
        metavar="NAME",
        help="check instead that every running pod of this tenant's namespace runs in a Kata VM "
        "on a Kata node (tools.verify.tenant)",
    )
    parser.add_argument(
        "--trusted-pod",
        metavar="NAME",
        help=f"the pod that must share the node's kernel (default: {defaults.trusted_pod})",
    )
    parser.add_argument(
        "--untrusted-pod",
        metavar="NAME",
        help=f"the pod that must run in its own Kata VM (default: {defaults.untrusted_pod})",
    )
    parser.add_argument(
        "--runtime-class",
        metavar="NAME",
        help=f"RuntimeClass the untrusted pod must use (default: {defaults.runtime_class})",
    )
    parser.add_argument(
        "--wait",
        metavar="SECONDS",
        type=float,
        default=0.0,
        help="poll up to this long until both pods are Running and logged their kernel "
        "(default: 0, check once; --claim: how long each claim may take, default "
        f"{CLAIM_TIMEOUT_SECONDS:g})",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default), for people; json, for scripts and CI: the same checks and verdict "
        "as one object (the exit code does not change)",
    )
    args = parser.parse_args(argv)
    if args.wait < 0:
        parser.error("--wait must be 0 or more seconds")
    return args


def resolve_target(args: argparse.Namespace, outputs: dict[str, Any]) -> Target:
    """Flags win over stack outputs, which win over the contract's defaults."""
    values = {}
    for field, output in TARGET_OUTPUTS.items():
        from_stack = outputs.get(output)
        values[field] = (
            getattr(args, field)
            or (from_stack if isinstance(from_stack, str) else "")
            or getattr(DEFAULT_TARGET, field)
        )
    return Target(**values)


def default_kubeconfig() -> tuple[str, str]:
    """The kubeconfig path kubectl would use, and where it came from."""
    if os.environ.get("KUBECONFIG"):
        return os.environ["KUBECONFIG"], "from $KUBECONFIG"
    return str(Path.home() / ".kube" / "config"), "the default"


def render_text(facts: ClusterFacts, results: list[CheckResult], code: int) -> str:
    lines = [f"Isolation check: API server {facts.server}, namespace {facts.namespace}"]
    if facts.waited_seconds:
        lines[0] += f" (waited {facts.waited_seconds:g} s)"
    for result in results:
        lines.append(f"{result.status:<7} {result.title}")
        lines.append(f"        {result.detail}")
        lines += [f"          {key}: {value}" for key, value in result.evidence.items()]
    lines.append(f"{VERDICTS[code]} (exit {code})")
    if code == CANNOT_CHECK and (hint := advice(facts)):
        lines.append(hint)
    return "\n".join(lines)


def render_json(facts: ClusterFacts, results: list[CheckResult], code: int) -> str:
    report = {
        "isolated": code == ISOLATED,
        "exitCode": code,
        "checks": [asdict(result) for result in results],
        "facts": asdict(facts),
    }
    return json.dumps(report, indent=2)


def connect_outputs(args: argparse.Namespace, cleanup: ExitStack) -> tuple[Any, dict[str, Any]]:
    """The API client, and the stack's outputs with --stack (else none)."""
    from tools.verify.connect import connect

    outputs: dict[str, Any] = {}
    kubeconfig, origin = (
        (args.kubeconfig, "--kubeconfig") if args.kubeconfig else (default_kubeconfig())
    )
    if args.stack:
        outputs = stack_outputs(args.stack)
        secret = stack_kubeconfig(outputs, args.stack)
        kubeconfig, origin = str(cleanup.enter_context(private_file(secret))), "--stack"
    return connect(kubeconfig, args.context, origin), outputs


def connect_target(args: argparse.Namespace, cleanup: ExitStack) -> tuple[Any, Target]:
    """The API client and the names to check, from flags, the stack or the defaults."""
    api_client, outputs = connect_outputs(args, cleanup)
    return api_client, resolve_target(args, outputs)


def claim_target(args: argparse.Namespace, outputs: dict[str, Any]) -> ClaimTarget:
    """Flags win over the stack's agentSandbox output, which wins over the contract's defaults;
    the claims live at most as long as the sandbox namespace allows."""
    layer = outputs.get(SANDBOX_OUTPUT)
    layer = layer if isinstance(layer, dict) else {}
    class_output = outputs.get(TARGET_OUTPUTS["runtime_class"])
    pools = (
        (
            "cold",
            args.cold_pool if args.cold_pool is not None else layer.get("coldPool") or COLD_POOL,
        ),
        (
            "warm",
            args.warm_pool if args.warm_pool is not None else layer.get("warmPool") or WARM_POOL,
        ),
    )
    most = int(layer.get("maxLifetimeSeconds") or CLAIM_LIFETIME_SECONDS)
    return ClaimTarget(
        namespace=args.namespace or layer.get("namespace") or _DEFAULTS.agent_sandbox_namespace,
        runtime_class=args.runtime_class
        or (class_output if isinstance(class_output, str) else "")
        or DEFAULT_TARGET.runtime_class,
        pools=tuple((kind, pool) for kind, pool in pools if pool),
        lifetime_seconds=min(most, CLAIM_LIFETIME_SECONDS),
    )


def run_claims(args: argparse.Namespace) -> int:
    """`--claim`: claim from each pool, prove the sandboxes are Kata VMs, time the claims."""
    from tools.verify.claim import gather_claims
    from tools.verify.claim_report import render

    with ExitStack() as cleanup:
        api_client, outputs = connect_outputs(args, cleanup)
        target = claim_target(args, outputs)
        facts = gather_claims(api_client, target, args.wait or CLAIM_TIMEOUT_SECONDS)
    text, code = render(facts, as_json=args.format == "json")
    print(text)
    return code


def run(args: argparse.Namespace) -> tuple[ClusterFacts, list[CheckResult]]:
    from tools.verify.read import gather

    with ExitStack() as cleanup:
        api_client, target = connect_target(args, cleanup)
        facts = gather(api_client, target, wait_seconds=args.wait)
    return facts, decide(facts)


def run_tenant(args: argparse.Namespace) -> int:
    """`--tenant NAME`: every running pod of the tenant's namespace in a Kata VM."""
    from tools.verify.tenant import check_tenant
    from tools.verify.tenant import render_text as render_tenant

    with ExitStack() as cleanup:
        api_client, target = connect_target(args, cleanup)
        report = check_tenant(api_client, args.tenant, target.runtime_class)
    as_json = json.dumps(report.as_json(), indent=2)
    print(render_tenant(report) if args.format == "text" else as_json)
    return report.exit_code


def missing_package(error: ModuleNotFoundError) -> str:
    """Pulumi builds ./venv from requirements.txt alone; say how to get what is missing."""
    return (
        f"the Python package '{(error.name or 'kubernetes').split('.')[0]}' is not installed in "
        f"this Python ({sys.executable}). Install the project's requirements: "
        f"{sys.executable} -m pip install -r requirements.txt"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        try:
            if args.tenant:
                return run_tenant(args)
            if args.claim:
                return run_claims(args)
            facts, results = run(args)
        except ModuleNotFoundError as missing:
            raise CannotCheckError(missing_package(missing)) from None
    except CannotCheckError as problem:
        if args.format == "json":
            print(json.dumps({"isolated": False, "exitCode": CANNOT_CHECK, "error": str(problem)}))
        else:
            print(f"CANNOT CHECK: {problem} (exit {CANNOT_CHECK})", file=sys.stderr)
        return CANNOT_CHECK
    code = exit_code(results)
    render = render_json if args.format == "json" else render_text
    print(render(facts, results, code))
    return code
