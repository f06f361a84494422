"""Session fixtures; helpers are in tests/support.py, the mock engine in tools/harness/."""

from __future__ import annotations

import gc
import os

import pytest

from sandboxing import aks_versions
from tools.harness import RunResult, run_program, stack_config

# Every test sees the day the dated Kubernetes versions were written, so none starts failing when
# they age; the tests of the staleness warning pass their own day.
aks_versions.clock = lambda: aks_versions.AS_OF


@pytest.fixture(scope="session", autouse=True)
def _frozen_sdk_heap() -> None:
    # After a first run the SDKs hold ~140k long-lived objects (pulumi_kubernetes loads core/v1
    # lazily on that run); every full GC walks them (~150 ms), dozens of times per suite.
    # Freezing them cut the suite from ~10 s to ~6.6 s (python -m benchmarks.run also times the
    # suite with TESTS_FREEZE_SDK_HEAP=0).
    if os.environ.get("TESTS_FREEZE_SDK_HEAP", "1") == "0":
        return
    run_program(stack_config("dev"))
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="session")
def dev_run() -> RunResult:
    """One whole-program run with the dev stack, shared by the read-only assertions."""
    result = run_program(stack_config("dev"))
    assert result.error is None, result.error
    return result
