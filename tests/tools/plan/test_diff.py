"""`--diff-against`: what a pull request changes, in every format."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pytest
from support import dev_config, run_component, shared_run

import tools.plan.cli
from tools.harness import RunResult, stack_config
from tools.plan.build import build_plan, plan_stack
from tools.plan.cli import CANNOT_PLAN, PLAN_FAILED, REFUSED_CHANGES, main
from tools.plan.diff import diff_plans

CLUSTER = "azure-native:containerservice:ManagedCluster"
VM_SIZE_CHANGE = "agentPoolProfiles[0].vmSize: Standard_D2s_v5 → Standard_D8s_v5"


@pytest.fixture(scope="module")
def base(dev_run: RunResult) -> dict[str, Any]:
    return build_plan(dev_run, "dev")


def head_with(**overrides: object) -> dict[str, Any]:
    return plan_stack(dev_config(**overrides), "dev")[1]


@pytest.fixture(scope="module")
def bigger_system_pool() -> dict[str, Any]:
    return head_with(systemNodeVmSize="Standard_D8s_v5")


def test_one_changed_property_is_the_whole_diff(
    base: dict[str, Any], bigger_system_pool: dict[str, Any]
) -> None:
    diff = diff_plans(base, bigger_system_pool)
    assert diff["added"] == [] and diff["removed"] == []
    (changed,) = diff["changed"]
    assert (changed["type"], changed["name"]) == (CLUSTER, "cluster-aks")
    (row,) = changed["properties"]
    assert {k: row[k] for k in ("path", "change", "old", "new")} == {
        "path": "agentPoolProfiles[0].vmSize",
        "change": "modified",
        "old": "Standard_D2s_v5",
        "new": "Standard_D8s_v5",
    }
    # AKS cannot resize an existing pool in place: the reviewer is told, with the reason.
    assert row["effect"] == changed["effect"] == "refused"
    assert "PropertyChangeNotAllowed" in row["reason"]
    assert diff["summary"].startswith("0 to add, 0 to update, 0 to replace, 0 to remove")
    # The stack's vCPU total follows the System pool's size (D2s_v5 -> D8s_v5: 2 -> 8 vCPUs).
    assert [(o["path"], o["old"], o["new"]) for o in diff["outputs"]] == [
        ("sandboxSizing.stackNodes.vcpus", 6, 12)
    ]
    assert "1 property and 1 output(s) changed" in diff["summary"]


def test_no_change_is_an_empty_diff(base: dict[str, Any]) -> None:
    diff = diff_plans(base, base)
    assert (diff["added"], diff["removed"], diff["changed"], diff["outputs"]) == ([], [], [], [])


def head_against(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, base: dict[str, Any], **overrides: object
) -> Path:
    """`base` written as the plan to diff against, and the dev stack with `overrides` as the
    stack `python -m tools.plan` reads; returns the base plan's file."""
    base_file = tmp_path / "base.json"
    base_file.write_text(json.dumps(base))
    head = dev_config(**overrides)
    monkeypatch.setattr(tools.plan.cli, "read_stack", lambda stack: (head, None))
    return base_file


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_every_format_shows_exactly_the_changed_property(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    base: dict[str, Any],
    fmt: str,
) -> None:
    base_file = head_against(monkeypatch, tmp_path, base, systemNodeVmSize="Standard_D8s_v5")
    assert main(["--format", fmt, "--diff-against", str(base_file)]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        (resource,) = json.loads(out)["diff"]["changed"]
        assert [row["path"] for row in resource["properties"]] == ["agentPoolProfiles[0].vmSize"]
        return
    if fmt == "text":
        arrows = [line for line in out.splitlines() if "→" in line]
        assert len(arrows) == 2 and arrows[0].strip().startswith(VM_SIZE_CHANGE)
        assert arrows[1].strip() == "sandboxSizing.stackNodes.vcpus: 6 → 12"
        assert out.splitlines()[2].startswith("Changes against the base plan: 0 to add")
        return
    section = out.split("### Changes against the base branch\n\n", 1)[1].split("\n### ")[0]
    assert section.startswith("**0 to add, 0 to update, 0 to replace, 0 to remove")
    assert [line for line in section.splitlines() if line.startswith("| `")] == [
        f"| `~ {CLUSTER} cluster-aks` | update (Azure refuses it) | "
        "`agentPoolProfiles[0].vmSize` | `Standard_D2s_v5` | `Standard_D8s_v5` |",
        "| `stack output` |  | `sandboxSizing.stackNodes.vcpus` | `6` | `12` |",
    ]


def test_pod_image_change_replaces_both_pods(base: dict[str, Any]) -> None:
    diff = diff_plans(base, head_with(podImage="mcr.microsoft.com/azurelinux/base/core:3.0"))
    assert sorted(c["name"] for c in diff["changed"]) == ["trusted", "untrusted"]
    for changed in diff["changed"]:
        (row,) = changed["properties"]
        assert row["path"] == "spec.containers[0].image"
        assert changed["effect"] == row["effect"] == "replace"
        assert "forceNewProperties" in row["reason"]


def test_kata_size_change_replaces_the_pool_and_what_is_replaced_with_it(
    base: dict[str, Any],
) -> None:
    diff = diff_plans(base, head_with(kataNodeVmSize="Standard_D8s_v3"))
    changed = {c["name"]: c for c in diff["changed"]}
    pool = changed.pop("kata-pool")
    assert pool["effect"] == "replace" and pool["cause"] is None
    assert [r["path"] for r in pool["properties"]] == ["vmSize"]
    # Typical times of STEP_TIMES: the old pool deleted (300 s), the new one created (360 s).
    assert pool["seconds"] == 300 + 360
    assert (
        "its nodes are deleted with the pods on them: pod untrusted (created again"
        in (pool["podEffect"])
    )
    # Dragged along, each with its cause; nothing changed in their own properties.
    causes = {name: (c["effect"], c["cause"], c["properties"]) for name, c in changed.items()}
    assert causes == {
        "kata-reconcile-run": (
            "replace",
            "replaced with AgentPool kata-pool (its replace_with option)",
            [],
        ),
        "kata-runtime-class-wait": (
            "replace",
            "replaced with AgentPool kata-pool (its replace_with option)",
            [],
        ),
        "untrusted": (
            "replace",
            "replaced with RuntimeClassWait kata-runtime-class-wait (its replace_with option)",
            [],
        ),
    }
    assert changed["untrusted"]["podEffect"].startswith("the pod is deleted and created again")
    assert diff["summary"].startswith("0 to add, 0 to update, 4 to replace (3 dragged along)")
    # The longest chain: pool (660 s) -> reconcile (180 s) -> wait (5 s) -> pod (30 + 45 s).
    assert diff["seconds"] == 660 + 180 + 5 + 75
    outputs = {row["path"]: (row["old"], row["new"]) for row in diff["outputs"]}
    assert outputs["sandboxSizing.node.vmSize"] == ("Standard_D4s_v3", "Standard_D8s_v3")
    assert outputs["sandboxSizing.node.vcpus"] == (4, 8)


def test_a_new_cluster_name_replaces_the_cluster_and_everything_on_it(
    base: dict[str, Any],
) -> None:
    diff = diff_plans(base, head_with(clusterName="aks-pod-sandboxing-dev2"))
    changed = {c["name"]: c for c in diff["changed"]}
    cluster = changed["cluster-aks"]
    assert cluster["effect"] == "replace" and "ARM path" in cluster["properties"][0]["reason"]
    # The pool's resourceName comes from the cluster, which is deleted first (fixed name):
    assert (
        "input `resourceName` comes from ManagedCluster cluster-aks"
        in (changed["kata-pool"]["cause"])
    )
    assert "pulumi-kubernetes replaces a provider" in changed["cluster-k8s"]["cause"]
    for name in ("sandbox-namespace", "trusted", "untrusted", "sandbox-default-deny"):
        assert changed[name]["effect"] == "replace", name
    assert changed["sandbox-namespace"]["cause"] == (
        "its provider Provider(kubernetes) cluster-k8s is replaced"
    )
    assert (
        "the cluster and all its nodes are deleted with the pods on them" in (cluster["podEffect"])
    )


def test_replace_on_changes_turns_an_update_into_a_replacement() -> None:
    resource = {
        "urn": "urn:pulumi:s::p::t$x:y:Z::r",
        "type": "x:y:Z",
        "name": "r",
        "custom": True,
        "operation": "create",
        "properties": {"spec.size": 1},
    }
    head = {**resource, "properties": {"spec.size": 2}, "replaceOnChanges": ["spec"]}
    (changed,) = diff_plans({"resources": [resource]}, {"resources": [head]})["changed"]
    assert changed["effect"] == "replace"
    assert "replace_on_changes" in changed["properties"][0]["reason"]
    (plain,) = diff_plans(
        {"resources": [resource]}, {"resources": [{**head, "replaceOnChanges": []}]}
    )["changed"]
    assert plain["effect"] == "update"


def test_plans_of_two_stacks_are_matched_by_resource_and_noted(dev_run: RunResult) -> None:
    other = build_plan(shared_run(stack_config("dev"), stack="staging"), "staging")
    diff = diff_plans(build_plan(dev_run, "dev"), other)
    assert (diff["added"], diff["removed"], diff["changed"]) == ([], [], [])
    assert diff["stackNote"].startswith("the base plan is of stack 'dev', this one of stack")


def test_added_and_removed_resources_and_a_failed_base(base: dict[str, Any]) -> None:
    failed = {**base, "resources": [], "error": [{"key": None, "value": None, "message": "x"}]}
    diff = diff_plans(failed, base)
    assert diff["baseFailed"] is True
    assert len(diff["added"]) == sum(r["custom"] for r in base["resources"])
    assert all("seconds" in entry for entry in diff["added"])


def test_a_failed_head_is_not_compared(base: dict[str, Any]) -> None:
    failed = {**base, "resources": [], "error": [{"key": None, "value": None, "message": "x"}]}
    diff = diff_plans(base, failed)
    assert diff["headFailed"] is True
    assert (diff["added"], diff["removed"], diff["changed"], diff["outputs"]) == ([], [], [], [])
    assert diff["summary"].startswith("not compared: this plan failed")


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_a_bad_head_shows_its_problems_first_and_no_change(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    base: dict[str, Any],
    fmt: str,
) -> None:
    base_file = head_against(monkeypatch, tmp_path, base, kataNodeVmSize="Standard_B2s")
    assert main(["--format", fmt, "--diff-against", str(base_file)]) == PLAN_FAILED == 1
    out = capsys.readouterr().out
    if fmt == "json":
        plan = json.loads(out)
        assert plan["error"][0]["key"] == "aks-pod-sandboxing:kataNodeVmSize"
        assert plan["diff"]["removed"] == [] and plan["diff"]["headFailed"] is True
        return
    assert "to remove" not in out and "cluster-aks" not in out
    problem = out.index("Standard_B2s")
    assert problem < out.index("not compared: this plan failed")
    if fmt == "markdown":
        assert "| `aks-pod-sandboxing:kataNodeVmSize` |" in out
        assert "| - |" not in out


def test_fail_on_refused_exits_3_only_for_a_refused_change(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    base: dict[str, Any],
) -> None:
    # AKS refuses resizing a pool.
    base_file = head_against(monkeypatch, tmp_path, base, systemNodeVmSize="Standard_D8s_v5")
    args = ["--diff-against", str(base_file), "--format", "json"]
    assert main(args) == 0  # without the flag a refused change is reported, not fatal
    assert main([*args, "--fail-on-refused"]) == REFUSED_CHANGES == 3
    replaced = dev_config(kataNodeVmSize="Standard_D8s_v3")  # a replacement, not refused
    monkeypatch.setattr(tools.plan.cli, "read_stack", lambda stack: (replaced, None))
    assert main([*args, "--fail-on-refused"]) == 0
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main(["--fail-on-refused"])
    assert exited.value.code == 2
    assert "--fail-on-refused needs --diff-against" in capsys.readouterr().err


def test_a_schema_version_1_base_is_compared_leaf_by_leaf() -> None:
    pod = {
        "urn": "u",
        "type": "kubernetes:core/v1:Pod",
        "name": "p",
        "custom": True,
        "operation": "create",
    }
    v1 = {
        "schemaVersion": 1,
        "resources": [
            {
                **pod,
                "properties": {"spec.containers.0.resources.limits": {"cpu": "1", "memory": "1Gi"}},
            }
        ],
    }
    v2 = {
        "schemaVersion": 2,
        "resources": [
            {
                **pod,
                "properties": {
                    "spec.containers[0].resources.limits.cpu": "2",
                    "spec.containers[0].resources.limits.memory": "1Gi",
                },
            }
        ],
    }
    (changed,) = diff_plans(v1, v2)["changed"]
    assert [(r["path"], r["old"], r["new"]) for r in changed["properties"]] == [
        ("spec.containers[0].resources.limits.cpu", "1", "2")
    ]


def test_a_file_that_is_no_plan_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("[1]")
    assert main(["--diff-against", str(tmp_path / "x.json")]) == 2
    assert "not a JSON plan" in capsys.readouterr().err


def test_a_file_that_is_not_json_gets_a_clear_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "plan.md").write_text("## Offline plan\n")
    assert main(["--diff-against", str(tmp_path / "plan.md")]) == CANNOT_PLAN == 2
    err = capsys.readouterr().err
    assert f"--diff-against {tmp_path / 'plan.md'}: not JSON (line 1, column 1" in err
    assert "python -m tools.plan --stack <stack> --format json > plan.json" in err
    assert "Traceback" not in err and "JSONDecodeError" not in err


def test_a_resource_moved_with_an_alias_is_the_same_resource() -> None:
    old_group = "urn:pulumi:dev::aks-pod-sandboxing::test:index:Group::group"
    thing = "test:index:Thing"

    def grouped() -> None:
        group = pulumi.ComponentResource("test:index:Group", "group")
        pulumi.CustomResource(thing, "thing", {"size": 1}, pulumi.ResourceOptions(parent=group))

    def moved(*aliases: pulumi.Alias) -> Callable[[], None]:
        def program() -> None:
            pulumi.CustomResource(
                thing, "thing", {"size": 1}, pulumi.ResourceOptions(aliases=list(aliases))
            )

        return program

    base = build_plan(run_component(grouped), "dev")
    diff = diff_plans(base, build_plan(run_component(moved(pulumi.Alias(parent=old_group))), "dev"))
    assert (diff["added"], diff["removed"], diff["changed"]) == ([], [], [])
    # Without the alias the engine sees another resource: the old one deleted, a new one made.
    diff = diff_plans(base, build_plan(run_component(moved()), "dev"))
    assert [e["name"] for e in diff["added"] + diff["removed"]] == ["thing", "thing"]
