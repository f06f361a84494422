"""The subscription preflight in the program: registered first, what Azure work waits on, its
provider's check (failures stop preview and up), and warnings sent to the engine's Log."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent import futures
from typing import Any

import grpc
import pytest
from google.protobuf import empty_pb2
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc
from support import run_dev

import cloud.preflight
from cloud.preflight import Report
from cloud.preflight_checks import Finding
from components.cluster_reconcile import RECONCILE_TYPE
from components.preflight import PREFLIGHT_TYPE, PreflightProvider, engine_address, warn
from tools.harness import RunResult
from tools.harness.mock_cloud import SUBSCRIPTION, TENANT_ID

RG = "azure-native:resources:ResourceGroup"
POOL = "azure-native:containerservice:AgentPool"


def test_the_preflight_comes_first_and_the_resource_group_waits_for_it(
    dev_run: RunResult,
) -> None:
    preflight = dev_run.one(PREFLIGHT_TYPE)
    assert dev_run.resources.index(preflight) < dev_run.resources.index(dev_run.one(RG))
    assert preflight.urn in dev_run.one(RG).dependencies
    assert preflight.inputs["subscription_id"] == SUBSCRIPTION  # azure-native's getClientConfig
    assert preflight.inputs["tenant_id"] == TENANT_ID and preflight.inputs["cloud"] == "public"
    needs = preflight.inputs["needs"]
    assert needs["location"] == "westeurope" and needs["kubernetes_version"] == "1.36"
    assert [(p["key"], p["vm_size"], p["nodes"]) for p in needs["pools"]] == [
        ("systemNodeVmSize", "Standard_D2s_v5", 1),
        ("kataNodeVmSize", "Standard_D4s_v3", 1),
    ]
    assert preflight.parent.endswith("pulumi:pulumi:Stack::aks-pod-sandboxing-dev")


def test_switched_off_nothing_waits_for_it() -> None:
    result = run_dev(preflight="false")
    assert result.error is None, result.error
    assert result.by_type(PREFLIGHT_TYPE) == []
    assert result.one(RG).dependencies == []
    assert "azure-native:authorization:getClientConfig" not in [i.token for i in result.invokes]


def test_an_existing_cluster_s_pool_waits_for_it_in_the_cluster_s_region() -> None:
    from test_existing_cluster_mode import NAME, run_existing
    from test_existing_cluster_mode import RG as GROUP

    from tools.harness import existing_cluster_state

    result = run_existing(existing_cluster_state(GROUP, NAME), **{"azure-native:location": None})
    assert result.error is None, result.error
    preflight = result.one(PREFLIGHT_TYPE)
    assert preflight.urn in result.one(POOL).dependencies
    assert preflight.inputs["needs"]["location"] == "westeurope"  # the looked-up cluster's
    assert preflight.inputs["needs"]["existing_cluster"] is True


def test_a_cloud_set_in_the_environment_reaches_the_preflight_and_the_reconcile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ARM_ENVIRONMENT", "AzureUSGovernment")
    result = run_dev(**{"azure-native:location": "usgovvirginia"})
    assert result.error is None, result.error
    assert result.one(PREFLIGHT_TYPE).inputs["cloud"] == "usgovernment"
    assert result.one(RECONCILE_TYPE).inputs["cloud"] == "usgovernment"


def test_a_cloud_the_steps_cannot_follow_is_refused_before_anything_is_registered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ARM_METADATA_HOSTNAME", "metadata.contoso.internal")
    result = run_dev()
    assert result.resources == [] and result.error is not None
    assert "aks-pod-sandboxing:preflight = true" in result.error
    assert "ARM_METADATA_HOSTNAME = 'metadata.contoso.internal'" in result.error


def test_preview_registers_it_with_its_inputs_known() -> None:
    result = run_dev(preview=True)
    assert result.error is None, result.error
    preflight = result.one(PREFLIGHT_TYPE)
    assert preflight.id == "" and preflight.inputs["subscription_id"] == SUBSCRIPTION


# --- The provider, as the engine calls it -------------------------------------------------------


class Engine(engine_pb2_grpc.EngineServicer):
    """The engine's Log service, as the engine serves it to its plugins."""

    def __init__(self) -> None:
        self.logged: list[engine_pb2.LogRequest] = []

    def Log(self, request: engine_pb2.LogRequest, context: Any) -> empty_pb2.Empty:  # noqa: N802
        self.logged.append(request)
        return empty_pb2.Empty()


@pytest.fixture
def engine() -> Iterator[tuple[Engine, str]]:
    servicer = Engine()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    engine_pb2_grpc.add_EngineServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield servicer, f"127.0.0.1:{port}"
    finally:
        server.stop(0)


def test_warnings_go_to_the_engine_as_warnings(engine: tuple[Engine, str]) -> None:
    servicer, address = engine
    warn("preflight: a warning", address)
    (logged,) = servicer.logged
    assert (logged.severity, logged.message) == (engine_pb2.WARNING, "preflight: a warning")


def test_without_an_engine_a_warning_goes_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    warn("preflight: nobody listens", "127.0.0.1:9")
    assert capsys.readouterr().err == "warning: preflight: nobody listens\n"


def test_the_engine_address_is_the_provider_process_s_first_argument() -> None:
    main = os.path.join("venv", "lib", "pulumi", "dynamic", "__main__.py")
    assert engine_address([main, "127.0.0.1:41234"]) == "127.0.0.1:41234"
    assert engine_address(["pytest", "127.0.0.1:41234"]) is None  # not the provider process
    assert engine_address([main, "--flag"]) is None


def test_check_fails_with_the_errors_and_logs_the_warnings(
    monkeypatch: pytest.MonkeyPatch, engine: tuple[Engine, str]
) -> None:
    servicer, address = engine
    seen: list[tuple[Any, Any]] = []

    def report(inputs: Any, old: Any, env: Any) -> Report:
        seen.append((inputs, old))
        return Report(
            [
                Finding("error", "quota", "vCPU quota ... 4 of 4 are free"),
                Finding("warning", "features", "feature ... NotRegistered"),
            ]
        )

    monkeypatch.setattr(cloud.preflight, "run_preflight", report)
    monkeypatch.setattr("components.preflight.engine_address", lambda: address)
    news = {"subscription_id": "s", "cloud": "public", "needs": {}, "__provider": "p"}
    result = PreflightProvider().check({}, news)
    assert result.inputs == news
    assert [(f.property, f.reason) for f in result.failures] == [
        ("", "preflight: vCPU quota ... 4 of 4 are free")
    ]
    assert [r.message for r in servicer.logged] == ["preflight: feature ... NotRegistered"]
    assert seen == [(news, None)]  # no state yet: no old inputs


def test_check_with_an_unknown_input_skips_and_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pulumi.runtime.rpc import UNKNOWN

    monkeypatch.setattr(cloud.preflight, "run_preflight", pytest.fail)
    monkeypatch.setattr("components.preflight.engine_address", lambda: None)
    result = PreflightProvider().check({}, {"subscription_id": UNKNOWN, "needs": {}})
    assert result.failures == []
    assert "preflight: skipped, an input is not known yet" in capsys.readouterr().err


def test_create_keeps_the_needs_and_a_change_is_no_update() -> None:
    props = {"subscription_id": "s", "needs": {"location": "westeurope"}, "__provider": "p"}
    created = PreflightProvider().create(props)
    assert created.id.startswith("preflight-") and created.outs == {
        "subscription_id": "s",
        "needs": {"location": "westeurope"},
    }
    assert not PreflightProvider().diff("id", props, {**props, "needs": {}}).changes


def test_an_incomplete_login_fails_and_a_broken_check_only_warns(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("components.preflight.engine_address", lambda: None)
    for name in list(os.environ):
        if name.startswith("ARM_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("ARM_CLIENT_SECRET", "s3cret")
    news = {"subscription_id": "s", "cloud": "public", "needs": {"location": "westeurope"}}
    (failure,) = PreflightProvider().check({}, news).failures
    assert "ARM_CLIENT_SECRET needs ARM_TENANT_ID" in failure.reason
    assert "s3cret" not in failure.reason

    def broken(*args: Any) -> Report:
        raise KeyError("needs")

    monkeypatch.setattr(cloud.preflight, "run_preflight", broken)
    assert PreflightProvider().check({}, news).failures == []
    assert "preflight: did not complete (KeyError: 'needs')" in capsys.readouterr().err
