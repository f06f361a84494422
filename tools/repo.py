"""The repository root: the Pulumi project directory (Pulumi.yaml, __main__.py, the stack files).

Free of the Pulumi SDK on purpose: the isolation check uses it and does not load the SDK.

Scans of the repository's own files (`repo_files`) skip virtualenvs: the README's setup creates
`venv` and `policy/venv`, whose site-packages are not ours to lint or parse. The stack files the
tests iterate are the tracked ones (`tracked_stacks`): a work-in-progress `Pulumi.<x>.yaml` a user
has not committed is theirs to plan, not the suite's to check.
"""

from __future__ import annotations

import fnmatch
import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# The stack files committed with the program: the fallback of `tracked_stacks` where git is
# missing (a source archive). tests/test_repo_scans.py checks it against `git ls-files`.
COMMITTED_STACKS = ("agents", "burst", "dev", "e2e", "onepool", "prod", "team", "tenants")


def is_venv(directory: Path) -> bool:
    """A virtualenv: it has `pyvenv.cfg` (PEP 405), or is named like one (`venv*`, `.venv*`)."""
    name = directory.name
    return name.startswith(("venv", ".venv")) or (directory / "pyvenv.cfg").is_file()


def repo_files(pattern: str, under: Path = REPO) -> list[Path]:
    """Files below `under` whose name matches `pattern` (`*.py`), sorted; virtualenvs, `.git`
    and caches are not entered, and symlinked directories are not followed."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(under):
        base = Path(folder)
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in (".git", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache")
            and not is_venv(base / d)
        )
        found += [base / f for f in sorted(files) if fnmatch.fnmatch(f, pattern)]
    return found


def _stack_name(file_name: str) -> str:
    return file_name[len("Pulumi.") : -len(".yaml")]


def tracked_stacks(root: Path = REPO) -> list[str]:
    """The stacks whose `Pulumi.<stack>.yaml` git tracks (and that exist), sorted; without git
    (no binary, or not a checkout), the committed ones of COMMITTED_STACKS that exist."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--", "Pulumi.*.yaml"],
            cwd=root, capture_output=True, text=True, check=True, timeout=30,
        ).stdout.split()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        listed = [f"Pulumi.{stack}.yaml" for stack in COMMITTED_STACKS]
    return sorted(
        _stack_name(name)
        for name in listed
        if "/" not in name and name.count(".") >= 2 and (root / name).is_file()
    )
