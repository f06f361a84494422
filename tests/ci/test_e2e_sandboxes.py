"""The e2e job's sandboxes on demand: the keys it sets make a valid stack for each cluster
shape (a claimable cold sandbox fits beside the warm one), and it claims after deploying."""

from __future__ import annotations

import re
import shlex

import pytest
from support import load_yaml

from sandboxing.config.validate import errors, warnings
from tools.harness import run_program, stack_config
from tools.repo import REPO

WORKFLOW = REPO / ".github" / "workflows" / "e2e.yml"
CONFIG_SET = re.compile(r'^\s*pulumi config set --stack "\$STACK" (\S+) (\S+)\s*$', re.M)


def job() -> dict:
    loaded: dict = load_yaml(WORKFLOW.read_text())["jobs"]["e2e"]
    return loaded


def configured(placement: str, system_vm_size: str) -> dict[str, str]:
    """Pulumi.e2e.yaml with the job's `pulumi config set` lines applied, for one shape."""
    step = next(s for s in job()["steps"] if s.get("name", "").startswith("Configure the stack"))
    env = {
        "PLACEMENT": placement,
        "SYSTEM_VM_SIZE": system_vm_size,
        "LOCATION": "westeurope",
        "RESOURCE_GROUP": "rg-e2e",
        "CLUSTER": "aks-e2e",
    }
    config = stack_config("e2e")
    for key, value in CONFIG_SET.findall(step["run"]):
        text = shlex.split(value)[0]
        text = re.sub(r"\$(\w+)", lambda m: env[m[1]], text)
        full = key if ":" in key else f"aks-pod-sandboxing:{key}"
        config[full] = text
    return config


@pytest.mark.parametrize(
    "shape", job()["strategy"]["matrix"]["include"], ids=lambda shape: shape["placement"]
)
def test_each_shape_turns_the_layer_on_without_a_problem(shape: dict[str, str]) -> None:
    config = configured(shape["placement"], shape["system-vm-size"])
    assert config["aks-pod-sandboxing:agentSandbox"] == "true"
    result = run_program(config, stack="e2e")
    assert result.error is None, result.error
    assert errors(result.problems) == warnings(result.problems) == []
    # No "fills the Kata pool": the cold claim has room. (The one-pool shape's systemNodeVmSize
    # is not used, as that shape's own warning says.)
    assert [w for w in result.warnings if "agentSandbox" in w] == []
    assert result.outputs["agentSandbox"].value["sandboxesThatFit"] > 1


def test_the_job_claims_after_the_isolation_check_and_keeps_the_report() -> None:
    names = [step.get("name") for step in job()["steps"]]
    claims = next(s for s in job()["steps"] if s.get("name") == "Claim a cold and a warm sandbox")
    assert names.index("Verify the isolation") < names.index(claims["name"])
    assert names.index(claims["name"]) < names.index("pulumi destroy")
    assert claims["if"] == "always() && steps.up.outcome == 'success'"
    assert '-m tools.verify --stack "$STACK" --claim' in claims["run"]
    assert '"$E2E_DIR/claims.json"' in claims["run"]
