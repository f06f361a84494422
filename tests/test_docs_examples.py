"""The sample outputs the docs show are what the program and the CLI check really print."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import dev_config

from sandboxing.config.stack_config import check_stack_config
from sandboxing.config.validate import errors, format_errors
from tools.harness.cli_config import cli_refusal, read_project_file
from tools.harness.stack_file import read_stack_file
from tools.repo import REPO

CONFIGURATION = (REPO / "docs" / "configuration.md").read_text()
SECTION = CONFIGURATION.split("\n## Checked before anything is sent\n", 1)[1].split("\n## ", 1)[0]
BAD = {"kataOsSku": "Ubuntu", "kataNodeVmSize": "Standard_D2_v3",
       "workloadRuntime": "KataMshvVmIsolation"}  # fmt: skip


def code_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```\n(.*?)```", text, re.S)]


def test_the_cli_refusal_shown_is_the_cli_checks_own(tmp_path: Path) -> None:
    lines = [f"  aks-pod-sandboxing:{key}: {value}" for key, value in BAD.items()]
    stack = tmp_path / "Pulumi.dev.yaml"
    stack.write_text("config:\n  aks-pod-sandboxing:kataNodeCount: two\n" + "\n".join(lines) + "\n")
    values = read_stack_file(stack, "aks-pod-sandboxing")
    refusal = cli_refusal("dev", read_project_file(REPO / "Pulumi.yaml"), values)
    assert refusal is not None
    assert code_blocks(SECTION)[0] == refusal.message


def test_the_programs_list_shown_is_what_the_rules_report() -> None:
    _, problems = check_stack_config(dev_config(kataNodeCount="2", **BAD))
    assert code_blocks(SECTION)[1] == format_errors(errors(problems))


# --- The README's offline plan and its diagram -------------------------------------------------

README = (REPO / "README.md").read_text()


def readme_block(after: str, fence: str = "```\n") -> str:
    """The README's first code block (opened by `fence`) after the text `after`."""
    return README.split(after, 1)[1].split(fence, 1)[1].split("```", 1)[0]


def test_the_offline_plan_excerpt_is_the_plans_own(capsys: pytest.CaptureFixture[str]) -> None:
    from tools.plan.cli import main as plan_main

    assert plan_main([]) == 0  # the README's command: venv/bin/python -m tools.plan
    printed = capsys.readouterr().out.splitlines()
    shown = readme_block("An excerpt").splitlines()
    assert shown[0] == printed[0], "the excerpt starts with the plan's headline"
    # Every line shown is one the plan prints, in the same order; `...` stands for lines left out.
    position = 0
    for line in shown:
        if line == "...":
            continue
        assert line in printed[position:], f"the plan does not print (here): {line!r}"
        position = printed.index(line, position) + 1
    assert sum(line != "..." for line in shown) >= 10


# The diagram's nodes, as the resources they stand for (`pulumi up`'s logical names).
DIAGRAM_NODES = {
    "preflight": "preflight-run", "rg": "cluster-rg", "aks": "cluster-aks", "kata": "kata-pool",
    "reconcile": "kata-reconcile-run", "wait": "kata-runtime-class-wait",
    "untrusted": "untrusted", "ns": "sandbox-namespace", "trusted": "trusted",
    "admission": "tenant-admission-policy", "tenants": "tenant-team-a-namespace",
}  # fmt: skip
EDGE = re.compile(r"^\s*(\w+)(?:\[\".*?\"\])?\s*(-->|-\.->)\s*(\w+)", re.M)


def waits_for(stack: str) -> dict[str, set[str]]:
    """Each resource's name -> the names of everything it waits for, directly or not."""
    from tools.harness import read_stack
    from tools.plan.build import plan_stack

    config, refusal = read_stack(stack)
    _, plan = plan_stack(config, stack, refusal=refusal)
    direct = {
        r["name"]: {urn.rsplit("::", 1)[1] for urn in r["dependsOn"]} for r in plan["resources"]
    }

    def closure(name: str, seen: frozenset[str] = frozenset()) -> set[str]:
        found = set(direct.get(name, ()))
        for before in direct.get(name, ()):
            if before not in seen:
                found |= closure(before, seen | {name})
        return found

    return {name: closure(name) for name in direct}


def test_the_diagram_is_the_programs_wiring() -> None:
    edges = EDGE.findall(readme_block("What `pulumi up` creates", "```mermaid\n"))
    assert len(edges) >= 10
    assert {node for a, _, b in edges for node in (a, b)} <= set(DIAGRAM_NODES)
    # Solid edges hold for the dev stack; dashed ones (tenants) for the tenants stack.
    plans = {"-->": waits_for("dev"), "-.->": waits_for("tenants")}
    for before, arrow, after in edges:
        later, earlier = DIAGRAM_NODES[after], DIAGRAM_NODES[before]
        assert earlier in plans[arrow][later], f"{after} does not wait for {before}"
    # "Nothing but the untrusted pod waits for the Kata pool" (and the steps before it).
    dev = plans["-->"]
    after_kata = {name for name, before in dev.items() if "kata-pool" in before}
    assert after_kata == {"kata-reconcile-run", "kata-runtime-class-wait", "untrusted"}
