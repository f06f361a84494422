"""The subscription preflight: checked during `pulumi preview` and before `pulumi up` creates
anything, as a Pulumi dynamic resource whose provider's `check` does the checking.

Why `check`: the engine calls a provider's Check for every resource the program registers, in a
preview as in an update (pulumi/pulumi v3.259.0 pkg/resource/deploy/step_generator.go: `checkInputs`
with `AllowUnknowns: DryRun`, then `issueCheckErrors`), and a CheckFailure stops the deployment
there ("If the resource isn't valid, don't proceed any further": the step generator bails). The
Python dynamic provider server calls `ResourceProvider.check(olds, news)` and sends its
CheckFailures back (pulumi 3.272.0 pulumi/dynamic/__main__.py `Check`); the engine prints each as
"<type> resource '<name>' has a problem: <reason>" (sdk/go/common/diag/errors.go
`GetResourceInvalidError`). Everything else (the resource group, the cluster, the pools) depends on
this resource, so nothing is sent to Azure before it passed; `pulumi preview` fails in seconds
instead of `pulumi up` failing after the cluster was created.

Warnings: inside the provider process `pulumi.log` has no engine (`get_provider` configures the SDK
without one) and only prints "warning: ..." to stderr, which the engine relays as an information
line (sdk/go/common/resource/plugin/plugin.go `runtrace`). But the engine starts every provider
plugin with its own address as the first argument (`newPlugin(..., []string{host.ServerAddr()},
...)` in provider_plugin.go; both launchers pass it on, `-m pulumi.dynamic %*` on Windows and `$@`
elsewhere), and that server is the Engine service whose `Log` takes a severity: the warnings go
there, as WARNING diagnostics, and to stderr when no address arrived or the call fails.

The resource keeps its inputs (the needs, as data) in state, so the next run's `check` sees
what the last run asked for (the quota check's fallback for auto-named clusters).
"""

from __future__ import annotations

import os
import re
import sys
import uuid
from collections.abc import Sequence
from typing import Any

import pulumi
from pulumi import dynamic

from components.cluster_reconcile import MODULE
from components.former_components import former_component
from components.provider_loading import ProjectProvider

PREFLIGHT_TYPE = f"pulumi-python:dynamic/{MODULE}:SubscriptionPreflight"
# The component it sat in until December 2026 (components.former_components).
FORMER_COMPONENT = "aks-pod-sandboxing:azure:SubscriptionPreflight"
_ENGINE_ADDRESS = re.compile(r"^[\w.\-\[\]]+:\d+$")  # host:port, as the engine passes it
LOG_TIMEOUT = 10  # seconds


def engine_address(argv: Sequence[str] = ()) -> str | None:
    """The engine's address when this process is the dynamic provider (`-m pulumi.dynamic`)."""
    argv = argv or sys.argv
    if len(argv) > 1 and argv[0].endswith(os.path.join("pulumi", "dynamic", "__main__.py")):
        return argv[1] if _ENGINE_ADDRESS.match(argv[1]) else None
    return None


def warn(message: str, address: str | None) -> None:
    """A WARNING diagnostic through the engine's Log service; stderr when there is none."""
    if address:
        try:
            import grpc  # type: ignore[import-untyped]
            from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc

            with grpc.insecure_channel(address) as channel:
                request = engine_pb2.LogRequest(
                    severity=engine_pb2.WARNING,
                    message=message,
                    urn="",
                    streamId=0,
                    ephemeral=False,
                )
                engine_pb2_grpc.EngineStub(channel).Log(request, timeout=LOG_TIMEOUT)
            return
        except Exception:  # the engine went away: stderr still reaches the output
            pass
    print(f"warning: {message}", file=sys.stderr, flush=True)


def _known(value: Any) -> bool:
    """False for the engine's unknown marker anywhere in `value` (a preview's unknown input)."""
    from pulumi.runtime.rpc import UNKNOWN

    if isinstance(value, dict):
        return all(_known(v) for v in value.values())
    if isinstance(value, list):
        return all(_known(v) for v in value)
    return value != UNKNOWN


class PreflightProvider(ProjectProvider):
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.CheckResult:
        from cloud.preflight import run_preflight

        address = engine_address()
        if not _known({k: v for k, v in news.items() if not k.startswith("__")}):
            warn("preflight: skipped, an input is not known yet", address)
            return dynamic.CheckResult(news, [])
        from cloud.arm_credentials import CredentialConfigError

        try:
            report = run_preflight(news, olds or None, dict(os.environ))
        except CredentialConfigError as error:  # azure-native cannot sign in with it either
            return dynamic.CheckResult(news, [dynamic.CheckFailure("", f"preflight: {error}")])
        except Exception as error:  # a check that breaks must not block every deployment
            warn(
                f"preflight: did not complete ({type(error).__name__}: {error}); set "
                "preflight: false to skip it",
                address,
            )
            return dynamic.CheckResult(news, [])
        for message in report.warnings:
            warn(f"preflight: {message}", address)
        failures = [dynamic.CheckFailure("", f"preflight: {m}") for m in report.errors]
        return dynamic.CheckResult(news, failures)

    def create(self, props: dict[str, Any]) -> dynamic.CreateResult:
        outs = {k: v for k, v in props.items() if not k.startswith("__")}
        return dynamic.CreateResult(id_=f"preflight-{uuid.uuid4().hex}", outs=outs)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.DiffResult:
        # Nothing to change in Azure: `check` ran already; the new inputs go to state as they are.
        return dynamic.DiffResult(changes=False)


class PreflightResource(dynamic.Resource, module=MODULE, name="SubscriptionPreflight"):
    def __init__(self, name: str, props: dict[str, Any], opts: pulumi.ResourceOptions) -> None:
        super().__init__(PreflightProvider(), name, props, opts)


def subscription_preflight(name: str, needs: dict[str, Any], cloud: str) -> PreflightResource:
    """Checks the subscription for what the stack needs: `<name>-run`, what Azure work waits on.

    `needs` is sandboxing.preflight_needs' data; the subscription and tenant are azure-native's
    own (its getClientConfig), and `cloud` the cloud the program chose as azure-native does.
    """
    from pulumi_azure_native import authorization

    client = authorization.get_client_config_output()
    return PreflightResource(
        f"{name}-run",
        {
            "subscription_id": client.subscription_id,
            "tenant_id": client.tenant_id,
            "cloud": cloud,
            "needs": needs,
        },
        pulumi.ResourceOptions(aliases=[former_component(FORMER_COMPONENT, name)]),
    )
