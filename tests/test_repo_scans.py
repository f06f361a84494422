"""Following the README must not break the suite: scans of the repository skip virtualenvs (the
policy pack's setup creates `policy/venv`), and tests that iterate stack files use the tracked
ones (an uncommitted work-in-progress `Pulumi.<x>.yaml` is the user's business)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import tools.repo
from tools.repo import COMMITTED_STACKS, REPO, repo_files, tracked_stacks


def test_scans_skip_every_kind_of_virtualenv(tmp_path: Path) -> None:
    policy = tmp_path / "policy"
    for folder in ("venv/lib/python3.11/site-packages/pulumi", ".venv-ci/lib", "env311/lib"):
        (policy / folder).mkdir(parents=True)
        (policy / folder / "internal.py").write_text("x = 1\n")
    (policy / "venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (policy / "env311" / "pyvenv.cfg").write_text("home = /usr/bin\n")  # named freely, still a venv
    (policy / "pack.py").write_text("y = 2\n")
    (policy / "sub").mkdir()
    (policy / "sub" / "rules.py").write_text("z = 3\n")
    assert repo_files("*.py", policy) == [policy / "pack.py", policy / "sub" / "rules.py"]


def test_a_repo_scan_would_see_a_venv_without_the_skip(tmp_path: Path) -> None:
    # The counter-check: the files are there, so the skip is what keeps them out.
    (tmp_path / "venv" / "lib").mkdir(parents=True)
    (tmp_path / "venv" / "lib" / "a.py").write_text("")
    assert len(list(tmp_path.rglob("*.py"))) == 1
    assert repo_files("*.py", tmp_path) == []


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_only_tracked_stack_files_are_iterated(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    (tmp_path / "Pulumi.yaml").write_text("name: x\n")
    subprocess.run(["git", "add", "Pulumi.dev.yaml", "Pulumi.yaml"], cwd=tmp_path, check=True)
    # A work-in-progress stack that does not even parse: not the suite's to plan.
    (tmp_path / "Pulumi.wip.yaml").write_text("config:\n  x: a: b\n")
    assert tracked_stacks(tmp_path) == ["dev"]


def test_without_git_the_committed_list_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_git(*_args: object, **_kwargs: object) -> None:
        raise FileNotFoundError("git")

    monkeypatch.setattr(tools.repo.subprocess, "run", no_git)
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    (tmp_path / "Pulumi.wip.yaml").write_text("config: {}\n")
    assert tracked_stacks(tmp_path) == ["dev"]


@pytest.mark.skipif(not (REPO / ".git").exists(), reason="needs a git checkout")
def test_the_fallback_list_is_the_committed_stacks() -> None:
    assert tracked_stacks() == sorted(COMMITTED_STACKS)


def test_no_test_scans_the_tree_or_the_stack_files_by_hand() -> None:
    # rglob enters venvs; list_stacks sees untracked stack files: use repo_files/tracked_stacks.
    by_hand = re.compile(r"\.rglob\(|list_stacks\(")
    here = Path(__file__).resolve()
    found = [
        f"{path.relative_to(REPO)}:{number}"
        for path in repo_files("*.py", REPO / "tests")
        if path.resolve() != here
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if by_hand.search(line)
    ]
    assert found == []
