"""Run the real `__main__.py` under the Pulumi mock engine and record what it would deploy.

Shared by the offline plan (`python -m tools.plan`), the benchmarks and the tests. The stack's
config is read as the Pulumi CLI reads it (tools.harness.cli_config); the cloud answers come
from tools.harness.mock_cloud.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import copy
import functools
import json
import logging
import os
import sys
import types
from collections.abc import Callable
from pathlib import Path
from types import CodeType
from typing import Any

import pulumi
import pulumi.runtime

from components.config_error import ConfigError
from sandboxing.config.settings import PROJECT
from tools.harness.cli_config import Refusal, cli_refusal, engine_config, read_project_file
from tools.harness.mock_cloud import CloudMocks
from tools.harness.recording import RecordingMonitor
from tools.harness.records import OutputValue, RunResult
from tools.harness.sdk_internals import (
    exported_outputs,
    reset_engine_state,
    run_program_function,
    sync_await,
    without_stack_traces,
)
from tools.harness.stack_file import StackValue, read_stack_file, stack_file_notes
from tools.repo import REPO


def _stack_file(stack: str, stack_dir: Path) -> Path:
    path = stack_dir / f"Pulumi.{stack}.yaml"
    if not path.exists():
        raise FileNotFoundError(f"no stack file {path.name} (stacks: {', '.join(list_stacks())})")
    return path


def _stack_values(stack: str, stack_dir: Path) -> dict[str, StackValue]:
    return read_stack_file(_stack_file(stack, stack_dir), PROJECT)


def stack_notes(stack: str = "dev", stack_dir: Path = REPO) -> list[str]:
    """What the CLI accepts in the stack file without a word but is likely a mistake (no
    `config:`, top-level keys it ignores); YamlFileError if it cannot be read at all."""
    path = _stack_file(stack, stack_dir)
    return stack_file_notes(path.read_text(), path.name)


def stack_config(stack: str = "dev", stack_dir: Path = REPO) -> dict[str, str]:
    """The stack's config as the engine hands it to the program ("ns:key" -> text): read as
    the CLI reads the file, with Pulumi.yaml's defaults for unset keys (harness.cli_config)."""
    project = read_project_file(REPO / "Pulumi.yaml")
    return engine_config(project, _stack_values(stack, stack_dir))


def stack_refusal(stack: str = "dev", stack_dir: Path = REPO) -> Refusal | None:
    """Why the CLI would refuse the stack's config before running the program, or None."""
    project = read_project_file(REPO / "Pulumi.yaml")
    return cli_refusal(stack, project, _stack_values(stack, stack_dir))


def read_stack(stack: str = "dev", stack_dir: Path = REPO) -> tuple[dict[str, str], Refusal | None]:
    """`stack_config` and `stack_refusal` together, from one read of each file."""
    project = read_project_file(REPO / "Pulumi.yaml")
    values = _stack_values(stack, stack_dir)
    return engine_config(project, values), cli_refusal(stack, project, values)


def list_stacks() -> list[str]:
    return sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in REPO.glob("Pulumi.*.yaml"))


@functools.cache
def _compiled(path: str, mtime_ns: int, size: int) -> CodeType:
    return compile(Path(path).read_bytes(), path, "exec")


def repo_program() -> None:
    """The repository's `__main__.py`, run as the Pulumi language host runs it: as
    `runpy.run_path(path, run_name="__main__")` (pulumi-language-python-exec), with the file
    compiled once per process and version of it, not on every run."""
    path = REPO / "__main__.py"
    stat = path.stat()
    code = _compiled(str(path), stat.st_mtime_ns, stat.st_size)
    module = types.ModuleType("__main__")
    module.__file__ = str(path)
    saved_main, saved_argv0 = sys.modules.get("__main__"), sys.argv[0] if sys.argv else None
    sys.modules["__main__"] = module
    if sys.argv:
        sys.argv[0] = str(path)
    try:
        exec(code, module.__dict__)
    finally:
        if saved_main is not None:
            sys.modules["__main__"] = saved_main
        if saved_argv0 is not None:
            sys.argv[0] = saved_argv0


# Whether runs let the SDK expand the type aliases a provider SDK declares for each resource
# into alias URNs, as `pulumi up` does. azure-native declares one per past API version (~110 for
# ManagedCluster and AgentPool) and the SDK turns each into a URN through Outputs at construction
# (pulumi/pulumi#10010): about 60% of an evaluation. The mock engine records no aliases, so no
# record depends on them (tests/tools/harness/test_engine.py compares both ways); the tests turn
# the expansion off (tests/conftest.py), the plan and the benchmarks keep it.
EXPAND_TYPE_ALIASES = True


# Whether runs let the SDK take a stack trace of each registration, as `pulumi up` does
# (sdk_internals.without_stack_traces). The mock engine records none, so no record depends on
# them (tests/tools/harness/test_engine.py compares both ways); the tests turn them off, the
# plan and the benchmarks keep them.
TAKE_STACK_TRACES = True


def _type_alias(alias: Any) -> bool:
    """An alias that only names another type token: what provider SDKs declare per version."""
    return (
        isinstance(alias, pulumi.Alias)
        and isinstance(alias.type_, str)
        and all(getattr(alias, f) is ... for f in ("name", "parent", "stack", "project"))
    )


def _drop_type_aliases(
    args: pulumi.ResourceTransformationArgs,
) -> pulumi.ResourceTransformationResult | None:
    aliases = args.opts.aliases or []
    kept = [a for a in aliases if not _type_alias(a)]
    if len(kept) == len(aliases):
        return None
    opts = copy.copy(args.opts)
    opts.aliases = kept or None
    return pulumi.ResourceTransformationResult(args.props, opts)


def with_stack_transformation(
    transformation: pulumi.ResourceTransformation, program: Callable[[], Any]
) -> Callable[[], None]:
    """`program`, with `transformation` applied to every resource it registers."""

    def run() -> None:
        pulumi.runtime.register_stack_transformation(transformation)
        program()

    return run


def without_type_aliases(program: Callable[[], Any]) -> Callable[[], None]:
    """`program` with the provider SDKs' type aliases dropped before the SDK expands them; the
    aliases a program declares itself (a rename, a new parent) stay."""
    return with_stack_transformation(_drop_type_aliases, program)


# The engine's log for every run: one logger, given each run's collector while it runs. (A logger
# per run would stay in logging's registry for good, and pytest's log capture walks every
# non-propagating logger at each test phase.)
_MOCK_LOGGER = logging.getLogger(f"{PROJECT}.mock")
_MOCK_LOGGER.propagate = False


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno == logging.WARNING:
            self.messages.append(record.getMessage())


def run_program(
    config: dict[str, str],
    *,
    stack: str = "dev",
    preview: bool = False,
    mocks: CloudMocks | None = None,
    program: Callable[[], Any] | None = None,
    type_aliases: bool | None = None,
    stack_traces: bool | None = None,
) -> RunResult:
    """Run the program (default: the repo's `__main__.py`) under mocks with this stack config.

    A program error (e.g. a configuration RunError) is returned in `error`, with whatever was
    registered before it, so callers can check that nothing was. `type_aliases`: whether the SDK
    expands the provider SDKs' type aliases (default: EXPAND_TYPE_ALIASES); `stack_traces`:
    whether it takes a stack trace of each registration (default: TAKE_STACK_TRACES).
    """
    return _RUNNER.submit(
        _run_here, config, stack, preview, mocks, program, type_aliases, stack_traces
    ).result()


# Every run happens on one thread of its own, started with an empty stack. The SDK takes a stack
# trace of every resource it registers (pulumi/runtime/resource.py `_get_stack_trace`: one
# pathlib URI per frame); called from deep in pytest, that walked ~60 frames each time, where
# `pulumi up`'s language host runs the program a few frames down. The thread keeps its own
# event loop and the SDK's context variables from run to run, as the main thread did.
_RUNNER = concurrent.futures.ThreadPoolExecutor(
    max_workers=1,
    thread_name_prefix="pulumi-run",
    initializer=lambda: asyncio.set_event_loop(asyncio.new_event_loop()),
)


def _run_here(
    config: dict[str, str],
    stack: str,
    preview: bool,
    mocks: CloudMocks | None,
    program: Callable[[], Any] | None,
    type_aliases: bool | None,
    stack_traces: bool | None,
) -> RunResult:
    mocks = mocks or CloudMocks(preview=preview)
    monitor = RecordingMonitor(mocks)
    collector = _WarningCollector()
    _MOCK_LOGGER.addHandler(collector)

    reset_engine_state()
    # As `pulumi up` hands the config over: the language host sets PULUMI_CONFIG, and
    # pulumi-language-python-exec reads it into the SDK (pulumi/pulumi v3.259.0
    # sdk/python/cmd/pulumi-language-python-exec).
    os.environ["PULUMI_CONFIG"] = json.dumps(config)
    pulumi.runtime.set_all_config(dict(config))
    program = program or repo_program
    if not (EXPAND_TYPE_ALIASES if type_aliases is None else type_aliases):
        program = without_type_aliases(program)
    traced = TAKE_STACK_TRACES if stack_traces is None else stack_traces
    error, problems = None, []
    with contextlib.nullcontext() if traced else without_stack_traces():
        pulumi.runtime.set_mocks(  # registers the root stack resource
            mocks,
            project=PROJECT,
            stack=stack,
            preview=preview,
            logger=_MOCK_LOGGER,
            monitor=monitor,
        )
        try:
            run_program_function(program)
        except ConfigError as exc:
            error, problems = str(exc), exc.problems
        except pulumi.RunError as exc:
            error = str(exc)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
        finally:
            os.environ.pop("PULUMI_CONFIG", None)
    outputs = _resolve_outputs()
    _drain_leftover_tasks()
    _MOCK_LOGGER.removeHandler(collector)
    return RunResult(
        monitor.registered, mocks.invokes, outputs, collector.messages, error, problems
    )


def _quiet_failed_run(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    # A failed run leaves futures whose error was already reported as the run's error.
    if context.get("message") != "Future exception was never retrieved":
        loop.default_exception_handler(context)


def _drain_leftover_tasks() -> None:
    """Finish what a failed run left pending, so it cannot leak into the next run's RPCs."""
    loop = asyncio.get_event_loop()
    loop.set_exception_handler(_quiet_failed_run)
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))


_NOT_PLAIN = object()


def _plain_copy(value: Any) -> Any:
    """A copy of `value` if it is plain data (dicts with string keys, lists, scalars) with no
    Output or awaitable anywhere in it, else _NOT_PLAIN. Such an export is its own value, known
    and not secret: `Output.from_input` would wrap each of its items in an Output of its own
    only for this reading (~0.7 ms for the `sandboxSizing` dict, ~1% of a dev evaluation)."""
    if value is None or isinstance(value, str | int | float):  # bool is an int
        return value
    if isinstance(value, list):
        items = [_plain_copy(item) for item in value]
        return _NOT_PLAIN if any(item is _NOT_PLAIN for item in items) else items
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        copied = {key: _plain_copy(item) for key, item in value.items()}
        return _NOT_PLAIN if any(item is _NOT_PLAIN for item in copied.values()) else copied
    return _NOT_PLAIN


def _resolve_outputs() -> dict[str, OutputValue]:
    """The exports' values, all awaited in one turn of the event loop (not three per export)."""

    async def resolve(value: Any) -> OutputValue:
        plain = _plain_copy(value)
        if plain is not _NOT_PLAIN:
            return OutputValue(plain, False, True)
        output = pulumi.Output.from_input(value)
        try:
            known = await output.is_known()
            secret = await output.is_secret()
            return OutputValue(await output.future() if known else None, secret, known)
        except Exception:
            return OutputValue(None, False, False)

    async def resolve_all() -> dict[str, OutputValue]:
        exported = exported_outputs()
        values = await asyncio.gather(*(resolve(v) for v in exported.values()))
        return dict(zip(exported, values, strict=True))

    return sync_await(resolve_all())
