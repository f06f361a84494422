"""Entry points run outside the project's venv say what to install, not an ImportError.

`python3 -m tools.plan` with a Python that lacks the Pulumi SDK used to end in a traceback from
deep inside the harness. Each entry point calls `require` before importing what it needs: a
lookup of each top-level module (`importlib.util.find_spec`, no import), so it costs next to
nothing where everything is installed. Standard library only.
"""

from __future__ import annotations

import importlib.util
import sys

# The README's first command ("Try it offline"): the venv every tool here runs in.
# pip installs the locked uv, uv installs the dev lock (docs/dependencies.md).
README_FIRST_COMMAND = (
    "python3.11 -m venv venv"
    " && venv/bin/pip install --require-hashes -r requirements-bootstrap.txt"
    " && venv/bin/uv pip install -p venv --require-hashes --compile-bytecode"
    " -r requirements-dev.txt"
)


def missing(modules: tuple[str, ...]) -> list[str]:
    """The modules of `modules` this Python cannot import."""
    return [name for name in modules if importlib.util.find_spec(name) is None]


def require(command: str, *modules: str, install: str = README_FIRST_COMMAND) -> None:
    """Exit 2 with what to install when this Python lacks any of `modules`."""
    absent = missing(modules)
    if not absent:
        return
    print(
        f"{command}: this Python ({sys.executable}) lacks {', '.join(absent)}.\n"
        "Run it in the project's venv; create the venv once (the README's first command):\n"
        f"    {install}\n"
        f"then run:\n"
        f"    venv/bin/{command}",
        file=sys.stderr,
    )
    raise SystemExit(2)
