"""An existing-cluster stack plans offline: against an assumed cluster, or a described one."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from support import dev_config, flat, run_plan

import tools.plan.build
import tools.plan.cli
from sandboxing import catalog
from tools.harness import read_stack

TEAM = {"clusterMode": "existing", "resourceGroupName": "rg-team", "clusterName": "aks-team"}


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_the_team_stack_plans_offline_and_says_what_it_assumed(
    capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    code, out, _ = run_plan(capsys, "--stack", "team", "--format", fmt)
    assert code == 0
    if fmt == "json":
        plan = json.loads(out)
        assert plan["error"] == []
        assert plan["existingCluster"] == {
            "source": "assumed",
            "assumed": True,
            "resourceGroupName": "rg-team",
            "clusterName": "aks-team",
            "kubernetesVersion": "1.27",
            "pools": ["nodepool1"],
            "entra": False,
            "kubernetesVersionReason": "the lowest version KataVmIsolation supports",
        }
        pool = next(r for r in plan["resources"] if r["name"] == "kata-pool")
        assert pool["properties"]["vmSize"] == "Standard_D4s_v5"
        return
    assert (
        "Existing cluster rg-team/aks-team ASSUMED, not looked up (no Azure offline): "
        "Kubernetes 1.27 (the lowest version KataVmIsolation supports), node pools: nodepool1, "
        "Microsoft Entra integration: off." in flat(out)
    )
    assert "ResourceNotFound" not in out


def test_the_assumption_follows_the_config() -> None:
    config = dev_config(**TEAM, kubernetesVersion="1.35", kataNodePoolName="nodepool1")
    _, plan = tools.plan.build.plan_stack(config, "team")
    assert plan["error"] == []
    assert plan["existingCluster"]["kubernetesVersion"] == "1.35"
    assert plan["existingCluster"]["kubernetesVersionReason"] == "the configured kubernetesVersion"
    assert plan["existingCluster"]["pools"] == ["nodepool2"]  # the Kata pool's name stays free


TENANTS_STACK = """config:
  azure-native:location: westeurope
  aks-pod-sandboxing:clusterMode: existing
  aks-pod-sandboxing:resourceGroupName: rg-team
  aks-pod-sandboxing:clusterName: aks-team
  aks-pod-sandboxing:tenants:
    - name: team-a
"""


def test_an_existing_cluster_stack_with_tenants_assumes_the_admission_policy_minimum(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No kubernetesVersion: the Kata minimum (1.27) would fail the tenants' own version check.
    (tmp_path / "Pulumi.teamtenants.yaml").write_text(TENANTS_STACK)
    monkeypatch.setattr(
        tools.plan.cli, "read_stack", functools.partial(read_stack, stack_dir=tmp_path)
    )
    minimum = catalog.version_text(catalog.ADMISSION_POLICY_MIN_KUBERNETES)
    assert catalog.KATA_GA.min_kubernetes < catalog.ADMISSION_POLICY_MIN_KUBERNETES
    code, out, _ = run_plan(capsys, "--stack", "teamtenants")
    assert code == 0, out
    assert (
        f"ASSUMED, not looked up (no Azure offline): Kubernetes {minimum} (the lowest version "
        "tenants need (ValidatingAdmissionPolicy v1)), node pools: nodepool1" in flat(out)
    )
    code, out, _ = run_plan(capsys, "--stack", "teamtenants", "--format", "json")
    plan = json.loads(out)
    assert code == 0 and plan["error"] == []
    assert plan["existingCluster"]["kubernetesVersion"] == minimum
    assert any(r["type"].endswith(":SandboxTenant") for r in plan["resources"])


def test_a_described_old_cluster_fails_with_the_programs_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    described = tmp_path / "cluster.json"
    described.write_text(json.dumps({"kubernetesVersion": "1.26.10", "pools": ["nodepool1"]}))
    code, out, _ = run_plan(
        capsys, "--stack", "team", "--format", "json", "--existing-cluster", str(described)
    )
    assert code == 1
    plan = json.loads(out)
    (problem,) = plan["error"]
    assert problem["key"] == "aks-pod-sandboxing:clusterName"
    assert problem["message"].startswith("runs Kubernetes 1.26.10; KataVmIsolation needs 1.27")
    assert plan["errorSummary"].startswith("1 configuration problem(s); nothing was deployed")
    assert plan["existingCluster"]["source"] == str(described)
    assert plan["existingCluster"]["assumed"] is False


def test_a_described_cluster_with_the_pool_name_taken_and_entra(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    described = tmp_path / "cluster.json"
    described.write_text(
        json.dumps(
            {"kubernetesVersion": "1.32.4", "pools": ["nodepool1", "katapool"], "entra": True}
        )
    )
    code, out, _ = run_plan(capsys, "--stack", "team", "--existing-cluster", str(described))
    assert code == 1
    assert f"as described in {described}: Kubernetes 1.32.4" in flat(out)
    assert "Microsoft Entra integration: on" in flat(out)
    assert "kataNodePoolName = 'katapool': a node pool of that name already exists" in flat(out)


@pytest.mark.parametrize(
    "content", ["not json", "{}", '{"kubernetesVersion": "1.31", "pools": [3]}']
)
def test_a_bad_cluster_file_exits_2_and_says_why(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str
) -> None:
    described = tmp_path / "cluster.json"
    described.write_text(content)
    code, out, err = run_plan(capsys, "--stack", "team", "--existing-cluster", str(described))
    assert code == 2 and out == ""
    assert f"--existing-cluster {described}" in err
