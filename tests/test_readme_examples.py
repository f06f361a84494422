"""The README's sample outputs are what the program and the CLI check really print."""

from __future__ import annotations

import re
from pathlib import Path

from support import dev_config

from sandboxing.config.stack_config import check_stack_config
from sandboxing.config.validate import errors, format_errors
from tools.harness.cli_config import cli_refusal, read_project_file
from tools.harness.stack_file import read_stack_file
from tools.repo import REPO

README = (REPO / "README.md").read_text()
SECTION = README.split("### Checked before anything is sent", 1)[1].split("\n### ", 1)[0]
BAD = {
    "kataOsSku": "Ubuntu",
    "kataNodeVmSize": "Standard_D2_v3",
    "workloadRuntime": "KataMshvVmIsolation",
}


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
