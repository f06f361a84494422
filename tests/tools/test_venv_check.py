"""Every entry point, run by a Python without the project's packages, says what to install
(the command the README or docs/policy-pack.md gives) instead of ending in an ImportError
traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tools.repo import REPO
from tools.venv_check import README_FIRST_COMMAND, missing

POLICY_COMMAND = (
    "python3.11 -m venv policy/venv && policy/venv/bin/pip install -r policy/requirements.txt"
)


def bare_python(*args: str) -> subprocess.CompletedProcess[str]:
    """This interpreter without site-packages (-S): the standard library and the repo only."""
    return subprocess.run(
        [sys.executable, "-S", *args], cwd=REPO, capture_output=True, text=True, timeout=60
    )


def test_the_commands_named_are_the_docs() -> None:
    assert README_FIRST_COMMAND in (REPO / "README.md").read_text()
    assert POLICY_COMMAND in (REPO / "docs" / "policy-pack.md").read_text()


@pytest.mark.parametrize(
    ("module", "needs"),
    [("tools.plan", "pulumi"), ("tools.schema", "yaml"), ("benchmarks.run", "pulumi")],
)
def test_a_tool_outside_the_venv_names_what_to_install(module: str, needs: str) -> None:
    ran = bare_python("-m", module)
    assert ran.returncode == 2, ran.stderr
    assert "Traceback" not in ran.stderr and ran.stdout == ""
    assert f"python -m {module}: this Python ({sys.executable}) lacks" in ran.stderr
    assert needs in ran.stderr.splitlines()[0]
    assert README_FIRST_COMMAND in ran.stderr
    assert f"venv/bin/python -m {module}" in ran.stderr


def test_the_policy_pack_outside_its_venv_names_its_venv() -> None:
    ran = bare_python("policy")
    assert ran.returncode == 1 and "Traceback" not in ran.stderr
    assert "lacks pulumi_policy" in ran.stderr and POLICY_COMMAND in ran.stderr


@pytest.mark.parametrize("module", ["tools.verify", "tools.e2e_report"])
def test_tools_of_the_standard_library_run_anywhere(module: str) -> None:
    ran = bare_python("-m", module, "--help")
    assert ran.returncode == 0 and "Traceback" not in ran.stderr


def test_nothing_is_missing_in_the_venv() -> None:
    assert missing(("pulumi", "pulumi_azure_native", "pulumi_kubernetes", "yaml")) == []
