"""`python -m tools.plan`: the plan data, the JSON and text formats, exit codes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from support import dev_config, flat, run_dev, run_plan

import tools.plan
import tools.plan.cli
from tools.harness import OutputValue, RunResult
from tools.plan.build import SCHEMA_VERSION, build_plan
from tools.plan.recorded_values import SECRET_MASK, UNKNOWN
from tools.plan.text import render_text
from tools.repo import REPO, tracked_stacks

FORMATS = ("text", "markdown", "json")
MOCK_TOKEN = "mock-secret-token"  # what the harness's kubeconfig carries
BAD_SIZE = "Standard_B2s"  # burstable: no nested virtualization


@pytest.fixture(scope="module")
def printed(dev_run: RunResult) -> dict[str, str]:
    """What `python -m tools.plan --format <fmt>` prints for the dev stack, per format."""
    plan = build_plan(dev_run, "dev")
    return {fmt: tools.plan.cli.RENDERERS[fmt](plan) for fmt in FORMATS}


@pytest.fixture
def bad_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        tools.plan.cli, "read_stack", lambda stack: (dev_config(kataNodeVmSize=BAD_SIZE), None)
    )


def test_json_is_versioned_and_every_field_is_documented(printed: dict[str, str]) -> None:
    plan = json.loads(printed["json"])
    assert plan["schemaVersion"] == SCHEMA_VERSION == 2
    assert list(plan) == [
        "schemaVersion",
        "stack",
        "preview",
        "error",
        "errorSummary",
        "warnings",
        "existingCluster",
        "resources",
        "outputs",
        "sandboxSizing",
        "estimate",
        "diff",
        "preflight",
        "kubernetesVersions",
        "stackFileNotes",
        "policyConfig",
    ]
    doc = (REPO / "docs" / "offline-plan.md").read_text()
    documented = doc.split("## JSON fields", 1)[1]
    fields = {*plan, *plan["resources"][0], *plan["estimate"], *plan["estimate"]["criticalPath"][0]}
    for field in fields:
        assert re.search(rf"`{field}`", documented), f"{field} is not in docs/offline-plan.md"


def test_json_carries_resources_estimate_and_sizing(printed: dict[str, str]) -> None:
    plan = json.loads(printed["json"])
    assert plan["error"] == [] and plan["errorSummary"] is None
    assert [r["urn"] for r in plan["resources"]] == sorted(r["urn"] for r in plan["resources"])
    wait = next(r for r in plan["resources"] if r["name"] == "kata-runtime-class-wait")
    assert wait["operation"] == "create"
    assert wait["properties"] == {
        "class_name": "kata-vm-isolation",
        "handler": "kata",
        "timeout_seconds": 300,
    }
    reconcile = next(r for r in plan["resources"] if r["name"] == "kata-reconcile-run")
    assert reconcile["properties"]["cluster_id"].endswith("/managedClusters/aks-pod-sandboxing-dev")
    assert "__provider" not in printed["json"] and 'kubeconfig": "apiVersion' not in printed["json"]
    pool = next(r for r in plan["resources"] if r["name"] == "kata-pool")
    assert pool["properties"]["count"] == 1 and isinstance(pool["properties"]["count"], int)
    assert plan["estimate"]["summary"].endswith("= ~17 min")
    assert plan["estimate"]["criticalPath"][-1]["label"] == "Pod untrusted"
    assert plan["sandboxSizing"]["podsPerNode"] == 3
    assert plan["outputs"]["kubeconfig"] == SECRET_MASK


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_format_ever_prints_the_kubeconfig(printed: dict[str, str], fmt: str) -> None:
    out = printed[fmt]
    assert MOCK_TOKEN not in out
    assert "certificate-authority-data" not in out
    assert SECRET_MASK in out


def test_a_kubeconfig_output_is_masked_even_without_its_secret_flag() -> None:
    result = RunResult(
        resources=[],
        invokes=[],
        warnings=[],
        outputs={
            "kubeconfig": OutputValue(f"users: [{{user: {{token: {MOCK_TOKEN}}}}}]", False, True),
            "adminKubeconfigPath": OutputValue("/tmp/k", False, True),
            "clusterName": OutputValue(None, False, False),
            "ratio": OutputValue(2.0, False, True),
        },
    )
    outputs = build_plan(result, "dev")["outputs"]
    assert outputs == {
        "kubeconfig": SECRET_MASK,
        "adminKubeconfigPath": SECRET_MASK,
        "clusterName": UNKNOWN,
        "ratio": 2,
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_bad_config_exits_1_with_the_errors_in_every_format(
    capsys: pytest.CaptureFixture[str], bad_config: None, tmp_path: Path, fmt: str
) -> None:
    code, out, _ = run_plan(capsys, "--format", fmt, "--manifests", str(tmp_path / "out"))
    assert code == 1
    assert BAD_SIZE in out and "nested virtualization" in out
    assert not (tmp_path / "out").exists()  # nothing written for a plan that cannot deploy
    if fmt == "json":
        plan = json.loads(out)
        (problem,) = plan["error"]
        assert problem["key"] == "aks-pod-sandboxing:kataNodeVmSize"
        assert problem["value"] == BAD_SIZE and "nested virtualization" in problem["message"]
        assert BAD_SIZE in plan["errorSummary"]
        assert plan["resources"] == [] and plan["estimate"] is None


def test_the_example_stacks_are_there() -> None:
    assert {"dev", "onepool"} <= set(tracked_stacks())


@pytest.mark.parametrize("stack", tracked_stacks())
def test_every_stack_file_plans_offline(capsys: pytest.CaptureFixture[str], stack: str) -> None:
    code, out, _ = run_plan(capsys, "--stack", stack, "--format", "json")
    plan = json.loads(out)
    assert code == 0, plan["error"]
    assert plan["stack"] == stack
    if stack == "prod":
        # The production template's placeholders, each with what to set instead.
        warned = " ".join(plan["warnings"])
        assert len(plan["warnings"]) == 3
        assert "203.0.113.0/24 is RFC 5737 TEST-NET-3" in warned
        assert "00000000-0000-0000-0000-00000000000a: a placeholder GUID" in warned
        assert "policy/config.prod.json makes images-pinned-by-digest mandatory" in warned
        assert plan["policyConfig"] == "policy/config.prod.json"
    else:
        assert plan["warnings"] == [] and plan["policyConfig"] is None
    placement = plan["sandboxSizing"]["stackNodes"]["kataPoolPlacement"]
    pools = [r for r in plan["resources"] if r["type"].endswith(":AgentPool")]
    kata = [p for p in pools if p["properties"].get("workloadRuntime") == "KataVmIsolation"]
    assert len(kata) == (1 if placement == "dedicated" else 0)
    assert len(pools) - len(kata) == (1 if plan["sandboxSizing"]["stackNodes"]["userNodes"] else 0)


def test_unknown_stack_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_plan(capsys, "--stack", "nosuchstack")
    assert code == 2
    assert out == "" and "nosuchstack" in err


def test_cli_prints_the_plan_and_writes_manifests_apart(
    capsys: pytest.CaptureFixture[str], printed: dict[str, str], tmp_path: Path
) -> None:
    code, out, err = run_plan(capsys, "--format", "json", "--manifests", str(tmp_path))
    assert code == 0
    assert out == printed["json"] + "\n"  # stdout is the plan alone: it must parse
    assert len(list(tmp_path.glob("*.yaml"))) == 5
    assert f"wrote 5 manifests to {tmp_path}" in err


def test_text_shows_the_estimate_and_marks_the_critical_path(dev_run: RunResult) -> None:
    text = render_text(build_plan(dev_run, "dev"))
    assert "Estimated `pulumi up` from empty" in text
    assert (
        "-> AgentPool kata-pool (360s) -> ClusterReconcile kata-reconcile-run (180s) -> "
        "RuntimeClassWait kata-runtime-class-wait (5s) -> Pod untrusted (45s) = ~17 min"
    ) in flat(text)
    lines = text.splitlines()

    def timeline_line(label: str) -> str:
        return next(line for line in lines if line.endswith(f"  {label}"))

    assert timeline_line("Pod untrusted").lstrip().startswith("*")
    assert not timeline_line("Pod trusted").lstrip().startswith("*")
    assert "16:20 ->  17:05  Pod untrusted" in timeline_line("Pod untrusted")


def test_preview_is_flagged_and_unknown_values_are_marked() -> None:
    plan = build_plan(run_dev(preview=True), "dev", preview=True)
    assert plan["preview"] is True
    assert plan["outputs"]["kubeconfig"] == SECRET_MASK
    # The cluster's ARM id comes from Azure: unknown until the cluster exists.
    reconcile = next(r for r in plan["resources"] if r["name"] == "kata-reconcile-run")
    assert reconcile["properties"]["cluster_id"] == UNKNOWN
    # The class name is the wait's own input, which the engine echoes for a dynamic resource in
    # a preview (pulumi/pulumi v3.259.0 provider_plugin.go: no preview support -> the inputs as
    # state).
    untrusted = next(r for r in plan["resources"] if r["name"] == "untrusted")
    assert untrusted["properties"]["spec.runtimeClassName"] == "kata-vm-isolation"
    # The estimate does not depend on values, only on the waits.
    assert plan["estimate"]["summary"].endswith("= ~17 min")
    text, markdown = render_text(plan), tools.plan.cli.RENDERERS["markdown"](plan)
    headline = flat(text.split("\n\n", 1)[0])
    assert headline.endswith(
        "run as `pulumi preview`: values not known before apply show as (known after apply)"
    )
    assert f"cluster_id: {UNKNOWN}" in text
    assert markdown.startswith("## Offline preview: stack `dev`")
    assert f"cluster_id: {UNKNOWN}" in markdown


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_nothing_is_hidden_and_values_read_as_yaml(printed: dict[str, str], fmt: str) -> None:
    out = printed[fmt]
    assert "..." not in out
    assert "True" not in out and "False" not in out
    assert ": '" not in out and "{'" not in out and "['" not in out  # no Python reprs
    for line in (
        "agentPoolProfiles[0].vmSize: Standard_D2s_v5",
        'kubernetesVersion: "1.36"',  # a string YAML would read as a number stays quoted
        "automountServiceAccountToken: false",
        "spec.containers[0].resources.limits.memory: 1Gi",
        "spec.tolerations[0].effect: NoSchedule",
        "spec.podSelector: {}",
        "metadata.labels.pod-security.kubernetes.io/enforce: restricted",
    ):
        assert line in out, line
    if fmt == "text":
        assert "    sandboxSizing.node.vmSize: Standard_D4s_v3" in out


def test_json_properties_are_leaves(printed: dict[str, str]) -> None:
    plan = json.loads(printed["json"])
    for resource in plan["resources"]:
        for path, value in resource["properties"].items():
            assert not isinstance(value, dict | list) or value in ({}, []), (path, value)
    cluster = next(r for r in plan["resources"] if r["name"] == "cluster-aks")
    assert cluster["properties"]["agentPoolProfiles[0].vmSize"] == "Standard_D2s_v5"


def test_plan_data_is_plain_json_and_repeatable(dev_run: RunResult) -> None:
    plan = build_plan(dev_run, "dev")
    assert json.loads(json.dumps(plan)) == plan
    assert build_plan(dev_run, "dev") == plan


def test_text_is_the_default_format(
    capsys: pytest.CaptureFixture[str], printed: dict[str, str]
) -> None:
    code, out, _ = run_plan(capsys)
    assert code == 0
    assert out == printed["text"] + "\n"
    assert out.startswith("Offline plan for stack 'dev'")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_what_the_docs_commands_write_is_ignored_by_git() -> None:
    # `--format json > plan.json`, `--manifests plan-out` (README, docs/offline-plan.md).
    for path in ("plan.json", "plan-out/01-namespace-pod-sandboxing.yaml"):
        ignored = subprocess.run(["git", "check-ignore", "-q", path], cwd=REPO, check=False)
        assert ignored.returncode == 0, f"{path} is not in .gitignore"


def test_existing_cluster_on_a_stack_that_creates_its_cluster_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    described = tmp_path / "cluster.json"
    described.write_text('{"kubernetesVersion": "1.33.1", "pools": ["nodepool1"]}')
    code, out, err = run_plan(capsys, "--stack", "dev", "--existing-cluster", str(described))
    assert (code, out) == (2, "")
    assert "stack 'dev' creates its cluster (clusterMode new)" in err
    assert "drop the option, or set clusterMode: existing" in err


def test_help_lists_every_exit_code_and_default(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        tools.plan.cli.main(["--help"])
    text = capsys.readouterr().out
    for code in ("0", "1", "2", "3"):
        assert re.search(rf"^  {code}  \S", text, re.M), f"exit code {code} not explained"
    assert "(default: dev)" in text and "text (default)" in text
    doc = (REPO / "docs" / "offline-plan.md").read_text().split("## Exit codes", 1)[1]
    assert [int(c) for c in re.findall(r"^\| (\d) \|", doc, re.M)] == [0, 1, 2, 3]


LONG_LINE_ALLOWED = re.compile(r"^\s*(\S+: \S+|[+>] \S+  \S+|\S+,?|.*\s\S{60,})$")


@pytest.mark.parametrize("stack", ["dev", "prod", "tenants"])
def test_text_output_wraps_messages_at_100_columns(
    capsys: pytest.CaptureFixture[str], stack: str
) -> None:
    # Only what cannot be broken stays longer: one property with its value, one resource, one
    # dependency, or a line ending in a word of 60+ characters (a URN, an ARM id).
    _, out, _ = run_plan(capsys, "--stack", stack)
    long = [line for line in out.splitlines() if len(line) > 100]
    assert [line for line in long if not LONG_LINE_ALLOWED.match(line)] == []


def test_a_long_error_wraps_too(capsys: pytest.CaptureFixture[str], bad_config: None) -> None:
    code, out, _ = run_plan(capsys)
    assert code == 1
    assert max(len(line) for line in out.splitlines()) <= 100
