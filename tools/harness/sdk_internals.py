"""Every part of the Pulumi Python SDK the mock engine uses that the SDK does not publish.

The SDK's own test helper (`pulumi.runtime.mocks`, `pulumi.runtime.test`) stops at what a unit
test of one resource needs; running a whole program repeatedly, keeping what the engine received
and reading it back needs a few internals. They are named here and nowhere else in the tools, so
an SDK upgrade that moves one breaks one module, and `internal_api_problems()` (run by
tests/tools/harness/test_sdk_internals.py) says which one and under which SDK version. Each is
imported through `_internal`, so one that is gone is reported by the canary instead of failing
this module's import. The program itself reads its config through the SDK's public API only.
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib
import inspect
import pickle
import threading
from collections.abc import Awaitable, Callable, Iterator
from importlib import metadata
from typing import Any, TypeVar

import pulumi.runtime

_GONE: list[str] = []  # internals the installed SDK no longer has, for the canary


def _internal(module: str, name: str | None = None) -> Any:
    """`module` (or its attribute `name`), or None, noted for the canary, when it is gone."""
    try:
        found = importlib.import_module(module)
        return getattr(found, name) if name else found
    except (ImportError, AttributeError) as exc:
        _GONE.append(f"{module}{'.' + name if name else ''} ({type(exc).__name__}: {exc})")
        return None


class _Absent:
    """Stands in for a class the SDK no longer has, so subclasses below still define."""


Unknown: Any = _internal("pulumi.output", "Unknown") or _Absent
runtime_config: Any = _internal("pulumi.runtime.config")
pulumi_mocks: Any = _internal("pulumi.runtime.mocks")
rpc: Any = _internal("pulumi.runtime.rpc")
runtime_resource: Any = _internal("pulumi.runtime.resource")
runtime_settings: Any = _internal("pulumi.runtime.settings")
runtime_stack: Any = _internal("pulumi.runtime.stack")
_sync_await: Any = _internal("pulumi.runtime.sync_await", "_sync_await")
_MockMonitor: Any = getattr(pulumi_mocks, "MockMonitor", None) or _Absent

T = TypeVar("T")

ROOT_STACK_TYPE = "pulumi:pulumi:Stack"  # the type token of every stack's root resource

# The engine's wire sentinel for a value not known before apply (what `pulumi up` sends); a
# preview's unknowns are deserialized to `Unknown` objects instead.
UNKNOWN: str = getattr(rpc, "UNKNOWN", "04da6b54-80e4-46f7-96ec-b56ff0331ba9")

__all__ = [
    "ROOT_STACK_TYPE",
    "UNKNOWN",
    "InterceptingMonitor",
    "Unknown",
    "exported_outputs",
    "internal_api_problems",
    "is_secret_value",
    "no_stack_config",
    "reset_engine_state",
    "run_program_function",
    "sdk_version",
    "sync_await",
    "unwrap_secret",
    "without_stack_traces",
]


def sdk_version() -> str:
    return metadata.version("pulumi")


def sync_await(awaitable: Awaitable[T]) -> T:
    """Wait for `awaitable` on the SDK's event loop from synchronous code (as `pulumi.runtime.test`
    and the mock monitor do)."""
    return _sync_await(awaitable)


def reset_engine_state() -> None:
    """A fresh engine state per run, as `pulumi.runtime.test` does: outputs left by an earlier,
    failed run would otherwise be awaited, and fail, in the next one; the root stack resource
    is created anew by `set_mocks` only when none is set."""
    runtime_settings.ROOT.set(None)
    runtime_settings.SETTINGS.outputs.clear()
    _restore_the_pickler()


# pulumi.dynamic.dynamic.serialize_provider sorts dicts by replacing two methods of
# pickle._Pickler and never puts them back: each dynamic resource wraps the last call's wrapper
# (pulumi/pulumi sdk/python/lib/pulumi/dynamic/dynamic.py, since pulumi/pulumi#9656). `pulumi up`
# runs a program once per process; a process that runs many (the tests, the benchmark) got
# slower with each run and failed after ~150 with a RecursionError. Each run starts from
# pickle's own methods, as a fresh process does.
_PICKLER_METHODS = {
    name: getattr(pickle._Pickler, name) for name in ("_batch_setitems", "save_dict")
}


def _restore_the_pickler() -> None:
    for name, method in _PICKLER_METHODS.items():
        setattr(pickle._Pickler, name, method)


def run_program_function(function: Callable[[], Any]) -> None:
    """Run `function` as the language host runs a program: inside the root stack resource,
    waiting for every output and resource registration it started."""
    sync_await(runtime_stack.run_pulumi_func(function))


@contextlib.contextmanager
def no_stack_config() -> Iterator[None]:
    """Inside: no config set by `set_all_config` (an earlier mock run leaves its own behind);
    restored on exit."""
    token = runtime_config.CONFIG.set({})
    try:
        yield
    finally:
        runtime_config.CONFIG.reset(token)


@contextlib.contextmanager
def without_stack_traces() -> Iterator[None]:
    """Inside: the SDK sends each registration with an empty stack trace and no source position,
    as it does itself when it finds no resource constructor on the stack; restored on exit.

    It takes one of every resource it registers (pulumi/runtime/resource.py `_get_stack_trace`:
    the whole stack extracted with its source lines, each frame below the resource's constructor
    made a file URI), for the engine to show where a resource was declared. The mock engine
    discards it: 12-22% of a run of the dev, tenants and agent-sandbox stacks."""
    take = runtime_resource._get_stack_trace
    runtime_resource._get_stack_trace = _empty_stack_trace
    try:
        yield
    finally:
        runtime_resource._get_stack_trace = take


def _empty_stack_trace() -> Any:
    return runtime_resource.source_pb2.StackTrace()


def exported_outputs() -> dict[str, Any]:
    """What the program passed to `pulumi.export`, by name (kept on the root stack resource)."""
    root = pulumi.runtime.get_root_resource()
    return dict(getattr(root, "outputs", None) or {})


def is_secret_value(value: Any) -> bool:
    """True for an input the engine received wrapped as a secret."""
    return isinstance(value, dict) and value.get(rpc._special_sig_key) == rpc._special_secret_sig


def unwrap_secret(value: Any) -> Any:
    return value["value"] if is_secret_value(value) else value


class _MocksSeen:
    """The mocks, keeping per thread the inputs of the resource they were last asked for: the
    monitor deserialized them from the request for the mocks, so the hooks need not again (a
    fifth of an agent-sandbox stack's run, its CRD schemas). The monitor's registrations run on
    the event loop's executor threads, several at once."""

    def __init__(self, mocks: Any) -> None:
        self._mocks = mocks
        self.seen = threading.local()

    def new_resource(self, args: Any) -> Any:
        self.seen.inputs = args.inputs
        return self._mocks.new_resource(args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._mocks, name)


class InterceptingMonitor(_MockMonitor):
    """The SDK's mock resource monitor, with a hook after each registration and each read.

    `RegisterResource` and `ReadResource` are the gRPC methods of the engine's resource monitor
    (pulumi/pulumi proto/pulumi/resource.proto) that `MockMonitor` implements; `request` is the
    protobuf request the SDK sent, `inputs` its properties as the mocks were given them (secrets
    wrapped as `is_secret_value` recognises), `state` what the mocks answered for the resource.
    """

    def __init__(self, mocks: Any) -> None:
        self._seen = _MocksSeen(mocks)
        super().__init__(self._seen)

    def RegisterResource(self, request):  # noqa: N802 (gRPC method name)
        response = super().RegisterResource(request)
        if request.type != ROOT_STACK_TYPE:
            inputs, state = self._seen.seen.inputs, self._state(response.urn)
            self.on_register(request, response.urn, response.id, inputs, state)
        return response

    def ReadResource(self, request):  # noqa: N802
        response = super().ReadResource(request)
        inputs, state = self._seen.seen.inputs, self._state(response.urn)
        self.on_read(request, response.urn, request.id, inputs, state)
        return response

    def on_register(
        self, request: Any, urn: str, id_: str, inputs: dict[str, Any], state: dict[str, Any]
    ) -> None:
        """Called for each resource registered (created), except the root stack."""

    def on_read(
        self, request: Any, urn: str, id_: str, inputs: dict[str, Any], state: dict[str, Any]
    ) -> None:
        """Called for each lookup of an existing resource (`Resource.get`)."""

    def _state(self, urn: str) -> dict[str, Any]:
        registration = self.get_registered_resources().get(urn)
        return dict(registration.state) if registration else {}


def _parameters(function: Callable[..., Any]) -> list[str]:
    return list(inspect.signature(function).parameters)


def internal_api_problems() -> list[str]:
    """What no longer matches in the installed SDK, one line per internal; [] when all is there."""
    checks: list[tuple[str, Callable[[], bool]]] = [
        (
            "pulumi.runtime.sync_await._sync_await(awaitable)",
            lambda: _parameters(_sync_await)[:1] == ["awaitable"],
        ),
        (
            "pulumi.runtime.settings.ROOT is a ContextVar",
            lambda: isinstance(runtime_settings.ROOT, contextvars.ContextVar),
        ),
        (
            "pulumi.runtime.settings.SETTINGS.outputs is a set of tasks",
            lambda: isinstance(runtime_settings.SETTINGS.outputs, set),
        ),
        (
            "pulumi.runtime.stack.run_pulumi_func(func) is a coroutine function",
            lambda: (
                inspect.iscoroutinefunction(runtime_stack.run_pulumi_func)
                and _parameters(runtime_stack.run_pulumi_func)[:1] == ["func"]
            ),
        ),
        (
            "pulumi.runtime.rpc.deserialize_properties(props_struct, ...)",
            lambda: _parameters(rpc.deserialize_properties)[:1] == ["props_struct"],
        ),
        ("pulumi.runtime.rpc.UNKNOWN is a string", lambda: isinstance(rpc.UNKNOWN, str)),
        (
            "pulumi.runtime.rpc._special_sig_key and _special_secret_sig are strings",
            lambda: (
                isinstance(rpc._special_sig_key, str) and isinstance(rpc._special_secret_sig, str)
            ),
        ),
        (
            "pulumi.runtime.stack.Stack.outputs holds the exports",
            lambda: "outputs" in inspect.get_annotations(runtime_stack.Stack),
        ),
        ("pulumi.output.Unknown is a class", lambda: inspect.isclass(Unknown)),
        (
            "pulumi.runtime.mocks.MockMonitor has RegisterResource, ReadResource and "
            "get_registered_resources",
            lambda: all(
                callable(getattr(pulumi_mocks.MockMonitor, name, None))
                for name in ("RegisterResource", "ReadResource", "get_registered_resources")
            ),
        ),
        (
            "pulumi.runtime.mocks.set_mocks(..., monitor=...)",
            lambda: "monitor" in _parameters(pulumi.runtime.set_mocks),
        ),
        (
            "pulumi.runtime.resource._get_stack_trace() returns a source_pb2.StackTrace "
            "(without_stack_traces)",
            lambda: (
                _parameters(runtime_resource._get_stack_trace) == []
                and isinstance(
                    runtime_resource._get_stack_trace(), runtime_resource.source_pb2.StackTrace
                )
            ),
        ),
        (
            "pulumi.runtime.config.CONFIG is a ContextVar (no_stack_config)",
            lambda: isinstance(getattr(runtime_config, "CONFIG", None), contextvars.ContextVar),
        ),
    ]
    problems = list(_GONE)
    for description, holds in checks:
        try:
            ok = holds()
        except Exception as exc:  # an attribute gone or renamed
            ok, description = False, f"{description} ({type(exc).__name__}: {exc})"
        if not ok:
            problems.append(description)
    return problems
