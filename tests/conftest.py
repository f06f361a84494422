"""Session fixtures; helpers are in tests/support.py, the mock engine in tools/harness.py."""

from __future__ import annotations

import pytest

from tools.harness import RunResult, run_program, stack_config


@pytest.fixture(scope="session")
def dev_run() -> RunResult:
    """One whole-program run with the dev stack, shared by the read-only assertions."""
    result = run_program(stack_config("dev"))
    assert result.error is None, result.error
    return result
