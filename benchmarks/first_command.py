"""The README's first command, timed step by step as a fresh machine runs it.

A fresh clone (`git clone` of this repository's HEAD) in a temporary directory, caches that start
empty (pip's and uv's), and no pip configuration of this machine: `PIP_CONFIG_FILE` is the null
device, so pip reads no configuration file, and `PIP_FIND_LINKS`, `PIP_INDEX_URL` and
`PIP_EXTRA_INDEX_URL` are removed, so pip asks PyPI alone; uv reads no pip configuration anyway and
runs with `UV_NO_CONFIG=1`. What the network and PyPI's mirrors answer that day is part of it.

The steps are the README's, each timed on its own (wall time):
    venv        python3.11 -m venv venv
    bootstrap   venv/bin/pip install --require-hashes -r requirements-bootstrap.txt
    install     venv/bin/uv pip install -p venv --require-hashes --compile-bytecode
                  -r requirements-dev.txt   (resolve, download, unpack, byte-compile)
    plan        venv/bin/python -m tools.plan
and, for comparison, the command the README had before (pip alone, one download at a time,
compiling on one core): `pip install -q -r requirements-dev.txt`, then the plan.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.measure import fresh_clone, sec, table
from tools.venv_check import README_FIRST_COMMAND

# The README's first command: the install (tools.venv_check names it where a tool lacks a
# package), then the plan.
_VENV, _BOOTSTRAP, _INSTALL = README_FIRST_COMMAND.split(" && ")
UV_STEPS = (
    ("venv", _VENV),
    ("bootstrap: pip installs uv", _BOOTSTRAP),
    ("install: uv installs and byte-compiles the dev lock", _INSTALL),
    ("offline plan", "venv/bin/python -m tools.plan"),
)
PIP_STEPS = (
    ("venv", "python3.11 -m venv venv"),
    (
        "install: pip installs and byte-compiles the dev lock",
        "venv/bin/pip install -q -r requirements-dev.txt",
    ),
    ("offline plan", "venv/bin/python -m tools.plan"),
)
_MACHINE_PIP_SETTINGS = ("PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_CONSTRAINT")


@dataclass
class Step:
    name: str
    command: str
    seconds: float
    returncode: int
    tail: str  # the last lines it printed, for a failure


def fresh_machine_env(caches: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _MACHINE_PIP_SETTINGS}
    env.update(
        PIP_CONFIG_FILE=os.devnull,
        PIP_CACHE_DIR=str(caches / "pip"),
        UV_CACHE_DIR=str(caches / "uv"),
        UV_NO_CONFIG="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    env.pop("VIRTUAL_ENV", None)
    return env


def run_steps(steps: tuple[tuple[str, str], ...]) -> list[Step]:
    """The steps in a fresh clone with empty caches; stops at the first that fails."""
    done: list[Step] = []
    with tempfile.TemporaryDirectory(prefix="first-command-") as scratch:
        root = Path(scratch)
        clone = fresh_clone(root)
        env = fresh_machine_env(root)
        for name, command in steps:
            start = time.perf_counter()
            finished = subprocess.run(
                shlex.split(command),
                cwd=clone,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                check=False,
            )
            seconds = time.perf_counter() - start
            tail = "\n".join(finished.stdout.decode(errors="replace").splitlines()[-5:])
            done.append(Step(name, command, seconds, finished.returncode, tail))
            if finished.returncode != 0:
                break
    return done


def available() -> str | None:
    """Why the first command cannot be timed here, or None."""
    missing = [tool for tool in ("git", "python3.11") if shutil.which(tool) is None]
    return f"needs {', '.join(missing)} on PATH" if missing else None


def report() -> str:
    """Both commands timed, step by step, as a Markdown table (or why they were not)."""
    if reason := available():
        return f"The first command was not timed: {reason}.\n"
    print("the README's first command, then the pip-only one, in fresh clones ...", file=sys.stderr)
    rows = []
    for title, steps in (("README (uv)", UV_STEPS), ("before (pip alone)", PIP_STEPS)):
        done = run_steps(steps)
        for step in done:
            result = "exit 0" if step.returncode == 0 else f"exit {step.returncode}: {step.tail}"
            rows.append([title, step.name, sec(step.seconds), result])
        rows.append([title, "**total**", f"**{sec(sum(s.seconds for s in done))}**", ""])
    header = "first command, fresh clone, empty caches, PyPI alone"
    return table([header, "step", "wall time", "result"], rows) + "\n"


def main() -> int:
    if reason := available():
        print(f"python -m benchmarks.first_command: {reason}", file=sys.stderr)
        return 2
    for title, steps in (("uv (the README)", UV_STEPS), ("pip alone (before)", PIP_STEPS)):
        found = run_steps(steps)
        total = sum(s.seconds for s in found)
        print(f"{title}: {total:.1f} s")
        for step in found:
            print(f"  {step.seconds:6.1f} s  exit {step.returncode}  {step.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
