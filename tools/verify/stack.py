"""Read a deployed stack's outputs through the Pulumi CLI, for `python -m tools.verify --stack`.

The kubeconfig output is a secret: it goes into a private temporary file (mode 0600) that lives
only while the check runs, never into the working tree.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tools.repo import REPO
from tools.verify.facts import CannotCheckError

KUBECONFIG_OUTPUT = "kubeconfig"
# Target field -> stack output exported by __main__.py.
TARGET_OUTPUTS = {
    "namespace": "podNamespace",
    "trusted_pod": "trustedPodName",
    "untrusted_pod": "untrustedPodName",
    "runtime_class": "runtimeClassName",
}
PULUMI_TIMEOUT_SECONDS = 120


def stack_outputs(stack: str, pulumi: str = "pulumi") -> dict[str, Any]:
    """All outputs of `stack`, secrets in clear text (one CLI call instead of one per output)."""
    command = [pulumi, "stack", "output", "--json", "--show-secrets", "--stack", stack]
    try:
        done = subprocess.run(
            command,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=PULUMI_TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError:
        raise CannotCheckError(
            f"the Pulumi CLI ({pulumi}) is not installed or not on PATH: install it, or pass "
            "--kubeconfig with a kubeconfig file of the cluster"
        ) from None
    except subprocess.TimeoutExpired:
        raise CannotCheckError(
            f"`{' '.join(command)}` did not finish in {PULUMI_TIMEOUT_SECONDS} s"
        ) from None
    if done.returncode != 0:
        raise CannotCheckError(
            f"`{' '.join(command)}` failed (exit {done.returncode}): {done.stderr.strip()} "
            "(logged in with `pulumi login` to the stack's backend? Stack name right?)"
        )
    try:
        outputs = json.loads(done.stdout)
    except ValueError:
        raise CannotCheckError(
            f"`{' '.join(command)}` printed no JSON: {done.stdout[:200]!r}"
        ) from None
    if not isinstance(outputs, dict):
        raise CannotCheckError(
            f"`{' '.join(command)}` printed {type(outputs).__name__}, not an object"
        )
    return outputs


def stack_kubeconfig(outputs: dict[str, Any], stack: str) -> str:
    kubeconfig = outputs.get(KUBECONFIG_OUTPUT)
    if not isinstance(kubeconfig, str) or not kubeconfig.strip():
        raise CannotCheckError(
            f'stack "{stack}" has no {KUBECONFIG_OUTPUT} output: deploy it first (pulumi up)'
        )
    return kubeconfig


@contextmanager
def private_file(text: str, prefix: str = "kubeconfig-") -> Iterator[Path]:
    """`text` in a file only the current user can read, deleted on exit (also on errors)."""
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".yaml")
    path = Path(name)
    try:
        os.fchmod(fd, 0o600)  # mkstemp's mode already; said explicitly because it matters here
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        yield path
    finally:
        path.unlink(missing_ok=True)
