"""The workflows' shared contract: one pinned CLI, one way to reach the backend, the e2e stack."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from support import load_yaml, shared_run

from tools.harness import stack_config
from tools.repo import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
STACK_ACTION = "./.github/actions/pulumi-stack"
PULUMI_ACTION = "pulumi/actions@"
# A shell line that runs the CLI (directly or through the e2e timer), not one that mentions it.
PULUMI_COMMAND = re.compile(r'(?m)^\s*(?:\S*timed\.sh\s+"[^"]*"\s+)?pulumi\s')


def load(path: Path) -> dict[str, Any]:
    # YAML 1.1 reads the key `on` as True; the tests only look at jobs.
    data: dict[str, Any] = load_yaml(path.read_text())
    return data


def runs_pulumi(step: dict[str, Any]) -> bool:
    uses = str(step.get("uses", ""))
    return uses.startswith(PULUMI_ACTION) or bool(PULUMI_COMMAND.search(str(step.get("run", ""))))


def steps_of(path: Path) -> list[tuple[str, list[dict[str, Any]]]]:
    return [(name, job.get("steps") or []) for name, job in load(path)["jobs"].items()]


def test_the_cli_version_is_pinned_exactly_in_one_file() -> None:
    version = (REPO / ".pulumi-version").read_text().strip()
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), version
    # PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER, which the workflows rely on, came in 3.134.0.
    assert tuple(map(int, version.split("."))) >= (3, 134, 0)


def test_every_pulumi_action_step_reads_the_pinned_version_file() -> None:
    uses = []
    for path in [*WORKFLOWS, REPO / ".github" / "actions" / "pulumi-stack" / "action.yml"]:
        data = load(path)
        jobs = data.get("jobs") or {"action": {"steps": data["runs"]["steps"]}}
        for job in jobs.values():
            for step in job.get("steps") or []:
                if str(step.get("uses", "")).startswith(PULUMI_ACTION):
                    uses.append((path.name, step.get("with") or {}))
    assert len(uses) >= 4  # the install, preview, up, destroy
    for name, inputs in uses:
        assert inputs.get("pulumi-version-file") == ".pulumi-version", name
        assert "pulumi-version" not in inputs, name


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_jobs_reach_the_backend_only_through_the_stack_action(path: Path) -> None:
    for job, steps in steps_of(path):
        uses = [str(step.get("uses", "")) for step in steps]
        pulumi_steps = [i for i, step in enumerate(steps) if runs_pulumi(step)]
        if not pulumi_steps:
            continue
        assert STACK_ACTION in uses, f"{path.name}:{job} uses Pulumi without {STACK_ACTION}"
        first_pulumi = pulumi_steps[0]
        assert uses.index(STACK_ACTION) < first_pulumi, f"{path.name}:{job}"
        for step in steps:
            if str(step.get("uses", "")).startswith(PULUMI_ACTION):
                # Login and stack creation belong to the stack action alone (see its comments).
                assert not {"upsert", "secrets-provider", "cloud-url"} & set(step.get("with", {}))


def test_destroy_installs_the_venv_its_dynamic_providers_start_from() -> None:
    # destroy does not run the program, but deleting a dynamic resource starts the Python
    # provider from Pulumi.yaml's virtualenv, so it must exist before `pulumi destroy`.
    steps = load(REPO / ".github/workflows/destroy.yml")["jobs"]["destroy"]["steps"]
    names = [step.get("name", step.get("uses", "")) for step in steps]
    install = next(i for i, step in enumerate(steps) if "requirements.txt" in step.get("run", ""))
    assert "python -m venv venv" in steps[install]["run"]
    assert install < names.index("pulumi destroy")
    virtualenv = load_yaml((REPO / "Pulumi.yaml").read_text())["runtime"]["options"]
    assert virtualenv["virtualenv"] == "venv"


def test_e2e_stack_file_plans_offline_with_the_smallest_sizes() -> None:
    config = stack_config("e2e")
    assert config["aks-pod-sandboxing:systemNodeVmSize"] == "Standard_D2s_v5"
    assert config["aks-pod-sandboxing:kataNodeCount"] == "1"
    result = shared_run(config, stack="e2e")
    assert result.error is None, result.error


def test_e2e_tears_down_always_and_bounds_the_job() -> None:
    job = load(REPO / ".github/workflows/e2e.yml")["jobs"]["e2e"]
    by_name = {step.get("name"): step for step in job["steps"]}
    for name in ("pulumi destroy", "pulumi stack rm", "List resource groups this run left behind"):
        assert str(by_name[name]["if"]).startswith("always()"), name
    phase_minutes = sum(int(step.get("timeout-minutes", 0)) for step in job["steps"])
    assert phase_minutes < job["timeout-minutes"]
    assert set(job["permissions"]) == {"contents", "id-token"}
    verify = by_name["Verify the isolation"]["run"]
    assert "--wait 600 --format json" in verify


def test_ci_and_the_local_run_share_one_gate_script() -> None:
    (job,) = load(REPO / ".github/workflows/checks.yml")["jobs"].values()
    runs = [str(step.get("run", "")).strip() for step in job["steps"]]
    assert runs[-1] == ".ci/gates"
    assert ".ci/gates" in (REPO / ".ci" / "run").read_text().splitlines()[-1]
    gates = (REPO / ".ci" / "gates").read_text()
    for gate in (
        "ruff check .",
        "ruff format --check .",
        "mypy",
        "check-jsonschema",
        "zizmor",
        "python -m pytest",
    ):
        assert gate in gates, gate


def test_every_pulumi_action_is_the_same_release_pinned_by_its_commit() -> None:
    """A tag can be moved; a commit SHA cannot. One release everywhere, named in a comment."""
    pins = set()
    for path in [*WORKFLOWS, REPO / ".github" / "actions" / "pulumi-stack" / "action.yml"]:
        for line in path.read_text().splitlines():
            if PULUMI_ACTION in line:
                found = re.search(r"pulumi/actions@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$", line)
                assert found, f"{path.name}: {line.strip()}"
                pins.add(found.groups())
    assert len(pins) == 1, pins
    ((sha, tag),) = pins
    # docs/ci.md names the release and its commit, for whoever upgrades it next.
    ci = (REPO / "docs" / "ci.md").read_text()
    assert sha in ci and tag in ci
