"""`--diff-against`: what a pull request changes, in every format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support import dev_config

import tools.plan.cli
from tools.harness import RunResult
from tools.plan.build import build_plan, plan_stack
from tools.plan.cli import main
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
        "path": "agentPoolProfiles[0].vmSize", "change": "modified",
        "old": "Standard_D2s_v5", "new": "Standard_D8s_v5",
    }  # fmt: skip
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


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_every_format_shows_exactly_the_changed_property(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    base: dict[str, Any],
    fmt: str,
) -> None:
    base_file = tmp_path / "base.json"
    base_file.write_text(json.dumps(base))
    changed = dev_config(systemNodeVmSize="Standard_D8s_v5")
    monkeypatch.setattr(tools.plan.cli, "read_stack", lambda stack: (changed, None))
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


def test_kata_size_change_replaces_the_pool_and_shows_in_the_outputs(
    base: dict[str, Any],
) -> None:
    diff = diff_plans(base, head_with(kataNodeVmSize="Standard_D8s_v3"))
    (pool,) = diff["changed"]
    assert pool["name"] == "kata-pool" and pool["effect"] == "replace"
    assert [r["path"] for r in pool["properties"]] == ["vmSize"]
    outputs = {row["path"]: (row["old"], row["new"]) for row in diff["outputs"]}
    assert outputs["sandboxSizing.node.vmSize"] == ("Standard_D4s_v3", "Standard_D8s_v3")
    assert outputs["sandboxSizing.node.vcpus"] == (4, 8)


def test_added_and_removed_resources_and_a_failed_base(base: dict[str, Any]) -> None:
    failed = {**base, "resources": [], "error": [{"key": None, "value": None, "message": "x"}]}
    diff = diff_plans(failed, base)
    assert diff["baseFailed"] is True
    assert len(diff["added"]) == sum(r["custom"] for r in base["resources"])
    assert diff_plans(base, failed)["removed"] == diff["added"]


def test_a_schema_version_1_base_is_compared_leaf_by_leaf() -> None:
    pod = {"urn": "u", "type": "kubernetes:core/v1:Pod", "name": "p", "custom": True,
           "operation": "create"}  # fmt: skip
    v1 = {"schemaVersion": 1, "resources": [
        {**pod, "properties": {"spec.containers.0.resources.limits": {"cpu": "1", "memory": "1Gi"}}}
    ]}  # fmt: skip
    v2 = {"schemaVersion": 2, "resources": [
        {**pod, "properties": {"spec.containers[0].resources.limits.cpu": "2",
                               "spec.containers[0].resources.limits.memory": "1Gi"}}
    ]}  # fmt: skip
    (changed,) = diff_plans(v1, v2)["changed"]
    assert [(r["path"], r["old"], r["new"]) for r in changed["properties"]] == [
        ("spec.containers[0].resources.limits.cpu", "1", "2")
    ]


def test_a_file_that_is_no_plan_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("[1]")
    assert main(["--diff-against", str(tmp_path / "x.json")]) == 2
    assert "not a JSON plan" in capsys.readouterr().err
