"""The first-command benchmark times the README's first command, on a fresh machine's pip."""

from __future__ import annotations

import os
import re
from pathlib import Path

from benchmarks import first_command
from tools.repo import REPO


def readme_first_command() -> str:
    text = (REPO / "README.md").read_text()
    block = re.search(r"```bash\n(python3\.11 -m venv venv .*)\n```", text)
    assert block, "the README's first command block is gone"
    return block.group(1)


def test_the_steps_are_the_readmes_first_command() -> None:
    steps = [command for _, command in first_command.UV_STEPS]
    assert " && ".join(steps) == readme_first_command()


def test_ci_installs_as_the_first_command_does() -> None:
    ci = (REPO / ".ci" / "run").read_text()
    for flags in ("--require-hashes", "-r requirements-bootstrap.txt", "--compile-bytecode"):
        assert flags in ci


def test_a_fresh_machine_reads_no_pip_setting_of_this_one(tmp_path: Path) -> None:
    env = first_command.fresh_machine_env(tmp_path)
    assert "PIP_FIND_LINKS" not in env and "PIP_EXTRA_INDEX_URL" not in env
    assert env["PIP_CONFIG_FILE"] == os.devnull
    assert env["UV_NO_CONFIG"] == "1"
    assert Path(env["PIP_CACHE_DIR"]).parent == Path(env["UV_CACHE_DIR"]).parent == tmp_path
