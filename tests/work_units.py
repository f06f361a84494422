"""How many workers pytest-xdist starts and how it hands them the test modules.

One module named on the command line, or `--lf` after failures in one module, runs without
workers (`pytest_xdist_auto_num_workers`). Otherwise the workers get a whole module at a time, as
`--dist loadfile` does (its module-scoped fixtures run once), except that the modules which pay
the same large cost on first use go to one worker together, so only one worker pays it:

- `tests/tools/verify/`: the official `kubernetes` client, whose CoreV1Api module takes ~0.4 s
  to import (one class of several hundred methods), besides the client's models;
- the modules that evaluate the admission policies' CEL through celpy, whose parser is built on
  first use and each expression compiled once per process (tests/cel_policy.py): the same
  policies, evaluated by six modules;
- the modules that run the program with the agent-sandbox layer on: the first such run in a
  process parses the vendored release (~0.15 s) and loads the Kubernetes SDK's classes of its
  objects, and the runs of the agents stack are shared (tests/support.py `shared_run`).

In paired runs of the whole suite on two workers the first two groups took 3-6% off its time,
the third another 2-5% (0.95x, 0.98x and 0.97x the time in three runs of eight to ten pairs);
all three as one unit took 3% more (the workers no longer even, ten pairs). pytest-xdist
3.8.0 documents `pytest_xdist_make_scheduler` for this (xdist/newhooks.py); the scheduler is its
own `LoadFileScheduling` with another `_split_scope`, the one method by which `--dist loadscope`
and `loadfile` differ (xdist/scheduler/loadfile.py). As with `loadfile`, the work units are
handed out largest first (by number of tests).
"""

from __future__ import annotations

import json
import os
from fnmatch import fnmatch
from pathlib import Path

import pytest
from xdist.remote import Producer
from xdist.scheduler import LoadFileScheduling

# A work unit's name: the test files (fnmatch patterns, from the repository root) in it.
SHARED_FIRST_USE: dict[str, tuple[str, ...]] = {
    "the kubernetes client": ("tests/tools/verify/*.py",),
    "the agent-sandbox layer": (
        "tests/test_agent_sandbox_stack.py",
        "tests/tools/plan/test_build.py",
        "tests/ci/test_e2e_sandboxes.py",
        "tests/components/test_agent_sandbox.py",
    ),
    "CEL": (
        "tests/sandboxing/*/test_*admission.py",
        "tests/sandboxing/agent_sandbox/test_sandboxes.py",
    ),
}


def work_unit(nodeid: str) -> str:
    """The work unit of a test: its group's name, else its file (as `--dist loadfile`)."""
    path = nodeid.split("::", 1)[0]
    for unit, patterns in SHARED_FIRST_USE.items():
        if any(fnmatch(path, pattern) for pattern in patterns):
            return unit
    return path


class SharedFirstUseScheduling(LoadFileScheduling):
    def _split_scope(self, nodeid: str) -> str:
        return work_unit(nodeid)


@pytest.hookimpl(optionalhook=True)  # known only while pytest-xdist is loaded
def pytest_xdist_make_scheduler(
    config: pytest.Config, log: Producer
) -> SharedFirstUseScheduling | None:
    """For `--dist loadfile` (the README's command, pyproject's addopts); any other `--dist`
    given on the command line is xdist's own."""
    if config.getvalue("dist") != "loadfile":
        return None
    return SharedFirstUseScheduling(config, log)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` with `--dist loadfile` (pyproject's addopts) runs one test module, or tests
    of one module, in this process: `loadfile` sends a module whole to one worker, so a second
    never helps, and starting workers that each collect it again only costs (`pytest
    tests/test_main.py`: 1.02 s against 1.25 s with two workers, ten pairs on two vCPUs). So
    does `--lf` when the tests that failed last are all in one module among those named.
    Anything wider, or another `--dist`, gets xdist's own number: None lets the next
    implementation, xdist/plugin.py's, answer."""
    if config.getvalue("dist") != "loadfile":
        return None
    modules = {Path(arg.split("::", 1)[0]).resolve() for arg in config.args}
    # `-p no:cacheprovider` takes --lf away: pytest's getoption then refuses the name unless
    # given a default (pytest 9.2 _pytest/config/__init__.py `Config.getoption`).
    if config.getoption("lf", False):
        failed = last_failed_modules(config)
        # --lf runs every named test when none of the failures is among them.
        if len(failed) == 1 and any(_within(next(iter(failed)), named) for named in modules):
            modules = failed
    if len(modules) == 1 and next(iter(modules)).suffix == ".py":
        return 0
    return None


def last_failed_modules(config: pytest.Config) -> set[Path]:
    """The modules, still there, of the tests that failed last: the `cache/lastfailed` value
    `--lf` reads. xdist asks for the number of workers before pytest's cache plugin is
    configured, so it is read where that plugin keeps it: `<cache_dir>/v/cache/lastfailed`,
    JSON (pytest 9.2 _pytest/cacheprovider.py, Cache.get and `_CACHE_PREFIX_VALUES`). Empty
    when there is none or it cannot be read: xdist's own count then."""
    cache_dir = config.rootpath / os.path.expanduser(os.path.expandvars(config.getini("cache_dir")))
    try:
        failed = json.loads((cache_dir / "v" / "cache" / "lastfailed").read_text())
    except (OSError, ValueError):
        return set()
    paths = {(config.rootpath / nodeid.split("::", 1)[0]).resolve() for nodeid in failed}
    return {path for path in paths if path.is_file()}


def _within(path: Path, named: Path) -> bool:
    return path == named or named in path.parents
