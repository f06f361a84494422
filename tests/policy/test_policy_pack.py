"""The policy pack as the Pulumi CLI runs it: `python policy/` in its own process, spoken to over
the analyzer gRPC protocol.

This is what `pulumi preview --policy-pack policy` does minus the CLI: start the pack from another
working directory without PYTHONPATH (so its own sys.path set-up must find `sandboxing`), hand it
the stack config in PULUMI_CONFIG, read the port it prints, then GetAnalyzerInfo / Configure /
Analyze. One process serves the whole module (start-up is the slow part).
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc
from support import engine_struct

from tools.harness import Registered, RunResult
from tools.harness.sdk_internals import Unknown
from tools.repo import REPO

POD = "kubernetes:core/v1:Pod"
STACK_CONFIG = {"aks-pod-sandboxing:podNamespace": "team-sandbox"}


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PULUMI_CONFIG=json.dumps(STACK_CONFIG), PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, str(REPO / "policy")],
        cwd=tmp_path_factory.mktemp("elsewhere"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([process.stdout], [], [], 60)
        port = process.stdout.readline().strip() if ready and process.stdout else ""
        if not port.isdigit():
            process.kill()
            _, stderr = process.communicate(timeout=10)
            pytest.fail(f"policy pack did not start: {port!r}\n{stderr}")
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield analyzer_pb2_grpc.AnalyzerStub(channel)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()


def analyze(pack: Any, type_: str, name: str, inputs: dict[str, Any]) -> list[Any]:
    request = analyzer_pb2.AnalyzeRequest(
        type=type_,
        name=name,
        urn=f"urn:pulumi:dev::aks-pod-sandboxing::{type_}::{name}",
        properties=engine_struct(inputs),
    )
    return list(pack.Analyze(request).diagnostics)


def analyze_recorded(pack: Any, recorded: Registered) -> list[Any]:
    return analyze(pack, recorded.type, recorded.name, recorded.inputs)


def test_pack_announces_its_policies(pack: Any) -> None:
    info = pack.GetAnalyzerInfo(empty_pb2.Empty())
    assert info.name == "aks-pod-sandboxing"
    levels = {p.name: p.enforcementLevel for p in info.policies}
    assert levels == {
        "kata-pod-hardening": analyzer_pb2.MANDATORY,
        "kata-node-pools": analyzer_pb2.MANDATORY,
        "sandbox-pods-use-kata": analyzer_pb2.MANDATORY,
        "images-pinned-by-digest": analyzer_pb2.ADVISORY,
    }
    schemas = {p.name: set(p.configSchema.properties) for p in info.policies}
    assert schemas["kata-node-pools"] == {"allowUnlistedVmSize"}
    assert schemas["sandbox-pods-use-kata"] == {"sandboxNamespaces", "trustedPods"}


def test_dev_program_raises_no_mandatory_violation(pack: Any, dev_run: RunResult) -> None:
    advisory: dict[str, list[str]] = {}
    for recorded in dev_run.resources:
        if not recorded.custom or recorded.read:
            continue
        for diagnostic in analyze_recorded(pack, recorded):
            assert diagnostic.enforcementLevel == analyzer_pb2.ADVISORY, diagnostic.message
            advisory.setdefault(recorded.name, []).append(diagnostic.policyName)
    # Only the tag-pinned seed image is worth a note.
    assert advisory == {
        "trusted": ["images-pinned-by-digest"],
        "untrusted": ["images-pinned-by-digest"],
    }


def test_violations_reach_the_engine_as_mandatory(pack: Any, dev_run: RunResult) -> None:
    untrusted = dev_run.one(POD, "untrusted").inputs
    spec = {**untrusted["spec"], "hostNetwork": True}
    found = analyze(pack, POD, "untrusted", {**untrusted, "spec": spec})
    mandatory = [d for d in found if d.enforcementLevel == analyzer_pb2.MANDATORY]
    assert [d.policyName for d in mandatory] == ["kata-pod-hardening"]
    # pulumi-policy puts the policy description first, then our message.
    assert mandatory[0].message.endswith(
        "\nPod 'untrusted': hostNetwork is not allowed for a sandboxed pod"
    )


def test_stack_config_from_the_cli_names_a_sandbox_namespace(pack: Any, dev_run: RunResult) -> None:
    trusted = dev_run.one(POD, "trusted").inputs
    # Another pod without Kata, unlabelled, in the stack's podNamespace (PULUMI_CONFIG).
    pod = {
        **trusted,
        "metadata": {"name": "job", "namespace": STACK_CONFIG["aks-pod-sandboxing:podNamespace"]},
    }
    found = analyze(pack, POD, "job", pod)
    mandatory = [d for d in found if d.enforcementLevel == analyzer_pb2.MANDATORY]
    assert [d.policyName for d in mandatory] == ["sandbox-pods-use-kata"]
    assert "is in sandbox namespace 'team-sandbox'" in mandatory[0].message


def test_policy_config_as_the_cli_sends_it(pack: Any, dev_run: RunResult) -> None:
    pool = {
        **dev_run.one("azure-native:containerservice:AgentPool").inputs,
        "vmSize": "Standard_D4ls_v6",
    }
    before = analyze(pack, "azure-native:containerservice:AgentPool", "kata-pool", pool)
    assert [d.policyName for d in before] == ["kata-node-pools"]
    config = analyzer_pb2.PolicyConfig(
        enforcementLevel=analyzer_pb2.MANDATORY,
        properties=engine_struct({"allowUnlistedVmSize": True}),
    )
    pack.Configure(analyzer_pb2.ConfigureAnalyzerRequest(policyConfig={"kata-node-pools": config}))
    try:
        assert analyze(pack, "azure-native:containerservice:AgentPool", "kata-pool", pool) == []
    finally:
        pack.Configure(analyzer_pb2.ConfigureAnalyzerRequest())


def test_unknown_runtime_class_is_an_advisory_note_in_preview(
    pack: Any, dev_run: RunResult
) -> None:
    untrusted = dev_run.one(POD, "untrusted").inputs
    spec = {**untrusted["spec"], "runtimeClassName": Unknown()}
    found = analyze(pack, POD, "untrusted", {**untrusted, "spec": spec})
    assert {d.enforcementLevel for d in found} == {analyzer_pb2.ADVISORY}
    notes = sorted(d.policyName for d in found if "can't be known during preview" in d.message)
    assert notes == ["kata-pod-hardening", "sandbox-pods-use-kata"]
