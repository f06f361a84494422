"""The Pulumi SDK internals the mock engine relies on are still there, and used nowhere else."""

from __future__ import annotations

import re

import pytest
from pulumi.runtime import rpc

from tools.harness import sdk_internals
from tools.harness.sdk_internals import internal_api_problems, sdk_version
from tools.repo import REPO, repo_files

# How a use of an SDK internal reads in source: a private name, or a module the SDK keeps private.
INTERNAL_USE = re.compile(
    r"_sync_await|_special_\w+|settings\.ROOT|SETTINGS\.|MockMonitor|runtime\.config\b"
    r"|import config as|from pulumi\.output import|from pulumi\.runtime import rpc"
    r"|pulumi\.runtime\.(rpc|stack|settings|resource)\.|get_registered_resources"
)
HOME = REPO / "tools" / "harness" / "sdk_internals.py"


def test_every_internal_the_engine_uses_is_there() -> None:
    problems = internal_api_problems()
    assert not problems, (
        f"pulumi {sdk_version()} no longer has what tools/harness/sdk_internals.py relies on: "
        + "; ".join(problems)
    )


def test_a_missing_internal_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(rpc, "_special_secret_sig")
    monkeypatch.setattr(sdk_internals.runtime_settings, "ROOT", None)
    problems = internal_api_problems()
    assert len(problems) == 2, problems
    assert problems[0] == "pulumi.runtime.settings.ROOT is a ContextVar"
    assert problems[1].startswith("pulumi.runtime.rpc._special_sig_key and _special_secret_sig")
    assert "AttributeError" in problems[1]


def test_no_other_tool_benchmark_or_test_uses_sdk_internals() -> None:
    here = __file__
    elsewhere = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for folder in ("tools", "benchmarks", "tests", "policy")
        for path in repo_files("*.py", REPO / folder)
        if path != HOME and str(path) != here
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if INTERNAL_USE.search(line)
    ]
    assert not elsewhere, "keep SDK internals in tools/harness/sdk_internals.py:\n" + "\n".join(
        elsewhere
    )
