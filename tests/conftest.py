"""Session fixtures; helpers are in tests/support.py, the mock engine in tools/harness/.

This file is imported by pytest-xdist's controller too, before it starts the workers: it imports
no SDK at its top (tools.harness imports pulumi and azure-native, ~0.3 s), only in fixtures.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import TYPE_CHECKING

import pytest

from sandboxing import aks_versions

if TYPE_CHECKING:
    from tools.harness import RunResult

pytest_plugins = ["work_units"]  # which tests each xdist worker runs

# The repository's compiled modules, the test modules' rewritten assertions included, are cached
# in their (git-ignored) __pycache__ directories even where PYTHONDONTWRITEBYTECODE is set, as on
# CI machines: without a cache every worker compiles and rewrites every module again on every run.
# Not under a pycache prefix: Python then reads every module's cache from the prefix only, and the
# SDKs' own, byte-compiled at install, went unused: on a fresh clone both workers compiled ~40 MB
# of SDK modules again (the suite took 16 s instead of 10 s).
sys.dont_write_bytecode = False

# Every test sees the day the dated Kubernetes versions were written, so none starts failing when
# they age; the tests of the staleness warning pass their own day.
aks_versions.clock = lambda: aks_versions.AS_OF


def _freeze_heap() -> bool:
    return os.environ.get("TESTS_FREEZE_SDK_HEAP", "1") != "0"


@pytest.hookimpl(hookwrapper=True)
def pytest_collection() -> Iterator[None]:
    """Collecting imports the SDKs and every test module: ~half a million long-lived objects,
    which each full garbage collection walked again while they were being imported (0.65 s of a
    3.3 s collection). Collecting makes next to no garbage: the collector waits until it is
    done, and what it made is frozen (never walked again)."""
    if not _freeze_heap():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.freeze()


@pytest.fixture(scope="session")
def identity() -> ModuleType:
    """azure-identity (~0.14 s to import), loaded by the worker whose tests ask for it, not while
    collecting."""
    from azure import identity

    return identity


@pytest.fixture(scope="session")
def dev_run() -> Iterator[RunResult]:
    """One whole-program run with the dev stack, shared by the read-only assertions; the
    session fails if a test changed it (take `run_dev()` for a copy of your own)."""
    from support import shared_run

    from tools.harness import stack_config

    result = shared_run(stack_config("dev"))
    assert result.error is None, result.error
    before = repr(result)
    yield result
    assert repr(result) == before, "a test changed the shared dev_run; use run_dev() instead"


@pytest.fixture(scope="session", autouse=True)
def _harness_for_tests(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Once per worker: the mock engine set up for many runs, then warmed and its heap frozen;
    then the workers share their runs (support.shared_run)."""
    import support

    import tools.harness.engine
    import tools.harness.mock_cloud
    import tools.plan.build

    # Runs skip the SDK's expansion of provider type aliases, ~60% of a run; nothing the harness
    # records depends on it (tests/tools/harness/test_engine.py runs the program both ways).
    tools.harness.engine.EXPAND_TYPE_ALIASES = False
    # Nor does the SDK take a stack trace of each registration (12-22% of what is left of a run):
    # the mock engine discards them too (the same test).
    tools.harness.engine.TAKE_STACK_TRACES = False
    # A CRD's state leaves out its schemas (~0.1 s of each run of a stack with agentSandbox):
    # the program only waits for its CRDs (components/agent_sandbox.py), reads none of them.
    tools.harness.mock_cloud.ECHO_CRD_SCHEMAS = False
    # `python -m tools.plan` in a test shares its program run with every test that runs the same
    # inputs; what it does with the run is the plan's own code.
    tools.plan.build.run_program = support.shared_run  # type: ignore[assignment]
    # After a first run the SDKs hold ~140k long-lived objects (pulumi_kubernetes loads core/v1
    # lazily on that run); every full GC walks them (~150 ms), dozens of times per suite.
    # Freezing them cut the suite from ~10 s to ~6.6 s (python -m benchmarks.run also times the
    # suite with TESTS_FREEZE_SDK_HEAP=0). The first run is the dev run the tests share.
    if _freeze_heap():
        request.getfixturevalue("dev_run")
        gc.collect()
        gc.freeze()
    # A young collection every 10,000 new container objects, not 700: runs make hundreds of
    # thousands of short-lived dicts (the CRDs' schemas most), and the collections that promoted
    # them led to full ones of the unfrozen heap, ~80 ms each, ~1.3 s of each worker's CPU. In
    # paired runs the suite took 8% less time and each worker ~10 MiB more memory at its peak.
    gc.set_threshold(10_000, 10, 10)
    # Every worker warms up with a run of its own (above); from here on a run one worker made is
    # read by the others. xdist's workers share the parent of their temporary directories, one
    # per session (pytest-xdist's docs: "Making session-scoped fixtures execute only once").
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = tmp_path_factory.getbasetemp().parent / "shared-runs"
        shared.mkdir(exist_ok=True)
        support.SHARED_RUNS_DIR = shared


@pytest.hookimpl(tryfirst=True)  # before pytest's own: they are what it skips
def pytest_unconfigure(config: pytest.Config) -> None:
    """An xdist worker ends as soon as its session has finished.

    By its first `pytest_unconfigure` the worker has sent its reports and `workerfinished` to the
    controller (pytest-xdist xdist/remote.py `pytest_sessionfinish` sets `exitstatus` in
    `config.workeroutput`, then sends them), and the controller ignores what the worker does
    after that (xdist/workermanage.py `process_from_remote`: a node that is down cannot err).
    What followed was pytest's last look for unraisable exceptions after two full garbage
    collections (_pytest/unraisableexception.py; its look after each test still runs), then the
    interpreter freeing the SDKs' large heap object by object: ~0.2-0.4 s that the controller
    spent waiting for the last worker's process (xdist/workermanage.py `teardown_nodes`). A
    worker that did not finish its session (an error in its configuration) ends as any process
    does, and the controller shows the error.
    """
    if "exitstatus" in getattr(config, "workeroutput", {}):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
