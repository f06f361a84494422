"""tests/work_units.py: the modules that pay one first-use cost are run by one worker together."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from _pytest.cacheprovider import Cache
from work_units import (
    SHARED_FIRST_USE,
    SharedFirstUseScheduling,
    last_failed_modules,
    pytest_xdist_auto_num_workers,
    pytest_xdist_make_scheduler,
    work_unit,
)
from xdist.remote import Producer

REPO = Path(__file__).resolve().parent.parent
TEST_FILES = sorted(p.relative_to(REPO).as_posix() for p in REPO.glob("tests/**/test_*.py"))

# What makes a module pay the cost its unit shares: running tools.verify against the stand-in
# API server (the kubernetes client), evaluating CEL (celpy), running the program with the
# agent-sandbox layer on (the agents stack, the key set, the component, or every stack file).
USES = {
    "the kubernetes client": r"\brun_verify\(",
    "CEL": r"\bcel_policy\b",
    "the agent-sandbox layer": (
        r'stack_config\("agents"\)|:agentSandbox"\] == "true"|\bAgentSandboxController\('
        r"|def test_every_stack_file_plans_offline\("
    ),
}


@pytest.mark.parametrize("unit", SHARED_FIRST_USE)
def test_every_module_that_pays_a_shared_cost_is_in_its_unit(unit: str) -> None:
    users = [f for f in TEST_FILES if re.search(USES[unit], (REPO / f).read_text())]
    members = [f for f in TEST_FILES if work_unit(f"{f}::test_x") == unit]
    assert len(users) >= 2, "nothing to share"
    assert set(users) <= set(members), set(users) - set(members)


def test_any_other_module_is_a_unit_of_its_own_as_with_loadfile() -> None:
    grouped = {f for f in TEST_FILES if work_unit(f"{f}::t") in SHARED_FIRST_USE}
    assert "tests/tools/verify/test_claim.py" in grouped
    assert "tests/sandboxing/tenants/test_admission.py" in grouped
    for path in set(TEST_FILES) - grouped:
        assert work_unit(f"{path}::test_a[x-y]") == path
    assert work_unit("tests/test_main.py::TestX::test_y") == "tests/test_main.py"


def _options(**given: object) -> Callable[..., object]:
    """`config.getoption` as pytest's: an option no plugin added is refused unless a default is
    given (pytest 9.2 _pytest/config/__init__.py `Config.getoption`)."""
    unset = object()

    def getoption(name: str, default: object = unset) -> object:
        if name in given:
            return given[name]
        if default is unset:
            raise ValueError(f"no option named {name!r}")
        return default

    return getoption


@pytest.mark.parametrize(
    ("args", "workers"),
    [
        (["tests/test_main.py"], 0),
        (["tests/test_main.py::test_a", "tests/./test_main.py::test_b[x]"], 0),
        (["tests"], None),  # pyproject's testpaths, when no path is given
        (["tests/components"], None),
        (["tests/test_main.py", "tests/test_capacity.py"], None),
    ],
)
def test_auto_runs_one_module_in_this_process_and_leaves_more_to_xdist(
    args: list[str], workers: int | None
) -> None:
    config = SimpleNamespace(
        args=args, getvalue={"dist": "loadfile"}.__getitem__, getoption=_options(lf=False)
    )
    assert pytest_xdist_auto_num_workers(config) == workers  # type: ignore[arg-type]
    # With `-p no:cacheprovider` there is no --lf option at all: the same count.
    config.getoption = _options()
    assert pytest_xdist_auto_num_workers(config) == workers  # type: ignore[arg-type]
    # Another --dist may spread one module over the workers: xdist's own count.
    config.getvalue = {"dist": "load"}.__getitem__
    assert pytest_xdist_auto_num_workers(config) is None  # type: ignore[arg-type]


def _lf_config(root: Path, failed: list[str], args: list[str], lf: bool = True) -> SimpleNamespace:
    """A config whose cache holds `failed` as the last failures, written by pytest's own Cache
    (the layout --lf reads), in a repository at `root`."""
    for nodeid in failed:
        (root / nodeid.split("::")[0]).parent.mkdir(parents=True, exist_ok=True)
        (root / nodeid.split("::")[0]).touch()
    config = SimpleNamespace(
        rootpath=root,
        args=[str(root / arg) for arg in args],
        getini={"cache_dir": ".pytest_cache"}.__getitem__,
        getoption=_options(lf=lf, cacheclear=False),
        getvalue={"dist": "loadfile"}.__getitem__,
    )
    cache = Cache(root / ".pytest_cache", config, _ispytest=True)  # type: ignore[arg-type]
    cache.set("cache/lastfailed", dict.fromkeys(failed, True))
    return config


@pytest.mark.parametrize(
    ("failed", "args", "lf", "workers"),
    [
        (["tests/test_a.py::test_x", "tests/test_a.py::test_y[1]"], ["tests"], True, 0),
        (["tests/sub/test_b.py::test_x"], ["tests/sub"], True, 0),
        (["tests/test_a.py::test_x", "tests/test_b.py::test_x"], ["tests"], True, None),
        # None of the failures is among the named tests: --lf runs them all.
        (["tests/test_a.py::test_x"], ["tests/sub"], True, None),
        ([], ["tests"], True, None),  # no failures: --lf runs everything
        (["tests/test_a.py::test_x"], ["tests"], False, None),  # without --lf
    ],
)
def test_lf_after_failures_in_one_module_runs_it_in_this_process(
    tmp_path: Path, failed: list[str], args: list[str], lf: bool, workers: int | None
) -> None:
    (tmp_path / "tests" / "sub").mkdir(parents=True)
    config = _lf_config(tmp_path, failed, args, lf)
    assert pytest_xdist_auto_num_workers(config) == workers  # type: ignore[arg-type]


def test_the_last_failures_are_read_where_pytest_keeps_them_and_only_modules_still_there(
    tmp_path: Path,
) -> None:
    config = _lf_config(tmp_path, ["tests/test_a.py::test_x", "tests/gone.py::test_y"], ["tests"])
    (tmp_path / "tests" / "gone.py").unlink()
    assert last_failed_modules(config) == {(tmp_path / "tests" / "test_a.py").resolve()}  # type: ignore[arg-type]
    (tmp_path / ".pytest_cache" / "v" / "cache" / "lastfailed").write_text("{not json")
    assert last_failed_modules(config) == set()  # type: ignore[arg-type]


@pytest.mark.parametrize("dist", ["load", "loadscope", "loadgroup", "worksteal", "each"])
def test_another_dist_on_the_command_line_is_left_to_xdist(dist: str) -> None:
    config = SimpleNamespace(getvalue=lambda name: {"dist": dist}[name])
    assert pytest_xdist_make_scheduler(config, None) is None  # type: ignore[arg-type]


class _Worker:
    """What xdist's scheduler calls on a worker (xdist/workermanage.py WorkerController)."""

    def __init__(self, name: str) -> None:
        self.name, self.sent = name, list[int]()
        self.gateway = SimpleNamespace(id=name)
        self.shutting_down = False

    def send_runtest_some(self, indices: list[int]) -> None:
        self.sent.extend(indices)

    def shutdown(self) -> None:
        self.shutting_down = True


def test_xdist_sends_each_unit_whole_to_one_worker() -> None:
    config = SimpleNamespace(
        getvalue={"dist": "loadfile", "tx": ["2*popen"]}.__getitem__,
        option=SimpleNamespace(loadscopereorder=True),  # xdist's default: largest unit first
    )
    scheduler = pytest_xdist_make_scheduler(config, Producer("test", enabled=False))  # type: ignore[arg-type]
    assert isinstance(scheduler, SharedFirstUseScheduling)
    collection = [f"{f}::test_{n}" for f in TEST_FILES for n in range(2)]
    workers = [_Worker("gw0"), _Worker("gw1")]
    for worker in workers:
        scheduler.add_node(worker)  # type: ignore[arg-type]
        scheduler.add_node_collection(worker, collection)  # type: ignore[arg-type]
    scheduler.schedule()
    while scheduler.workqueue:  # each worker finishes what it was sent, and asks for more
        for worker in workers:
            for index in list(worker.sent):
                scheduler.mark_test_complete(worker, index)  # type: ignore[arg-type]
    ran_by = {collection[i]: w.name for w in workers for i in w.sent}
    assert len(ran_by) == len(collection)
    for unit in SHARED_FIRST_USE:
        tests = [t for t in collection if work_unit(t) == unit]
        assert len({ran_by[t] for t in tests}) == 1, unit
    # The rest is spread over both workers, a file at a time.
    assert set(ran_by.values()) == {"gw0", "gw1"}
