"""Helpers shared by the tests; the mock engine itself lives once, in tools/harness/."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sandboxing import aks_versions
from sandboxing.config.settings import PROJECT
from tools.harness import CloudMocks, RunResult, run_program, stack_config


def dev_config(**overrides: object) -> dict[str, str]:
    """The dev stack's config with project keys replaced (None removes a key)."""
    config = stack_config("dev")
    for key, value in overrides.items():
        full = key if ":" in key else f"{PROJECT}:{key}"
        if value is None:
            config.pop(full, None)
        else:
            config[full] = value if isinstance(value, str) else json.dumps(value)
    return config


def run_plan(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`python -m tools.plan` with these arguments: exit code, stdout, stderr."""
    from tools.plan.cli import main

    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def load_yaml(text: str) -> Any:
    """`yaml.safe_load` through libyaml (the same YAML 1.1 rules, ~10x faster on the workflows
    and Pulumi.yaml than PyYAML's Python parser)."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def flat(text: str) -> str:
    """Text output with its line wrapping undone (messages wrap at 100 columns)."""
    return " ".join(text.split())


# One program run per distinct input, shared by the tests of a worker (a run costs ~0.1 s, of the
# agent-sandbox stacks ~0.6 s), kept pickled: unpickling is the caller's deep copy, twice as fast
# as copy.deepcopy. Under pytest-xdist the workers share them too, through files in a directory
# of the session's (SHARED_RUNS_DIR, set by tests/conftest.py): a run another worker already
# made is read, not made again; two workers that need one at the same moment both make it.
_SHARED: dict[tuple[Any, ...], bytes] = {}
SHARED_RUNS_DIR: Path | None = None


def _mocks_key(mocks: CloudMocks | None, preview: bool) -> tuple[Any, ...] | None:
    """What the mocks answer, as a key; None for mocks whose answers cannot be told apart."""
    if mocks is None:
        mocks = CloudMocks(preview=preview)
    if type(mocks) is not CloudMocks or mocks.invokes:
        return None
    clusters = repr(sorted(mocks.existing_clusters.items()))
    return clusters, mocks.preview, tuple(sorted(mocks.served_runtime_classes))


def _read_besides_config() -> tuple[Any, ...]:
    """What else the program reads: the Kubernetes version window, the day, and the environment
    variables that choose azure-native's cloud."""
    cloud = sorted((k, v) for k, v in os.environ.items() if k.startswith(("ARM_", "AZURE_")))
    return repr(aks_versions.current_window()), aks_versions.clock(), tuple(cloud)


def shared_run(
    config: dict[str, str],
    *,
    stack: str = "dev",
    preview: bool = False,
    mocks: CloudMocks | None = None,
) -> RunResult:
    """`run_program(config, ...)` of the real `__main__.py`, run once per worker for the same
    inputs (config, stack, preview, mocks, and what `_read_besides_config` lists); each caller
    gets its own copy, so a test may change what it got. A test that patches anything else the
    program reads calls `run_program` itself."""
    mocks_key = _mocks_key(mocks, preview)
    if mocks_key is None:
        return run_program(config, stack=stack, preview=preview, mocks=mocks)
    key = (json.dumps(config, sort_keys=True), stack, preview, mocks_key, _read_besides_config())
    if key not in _SHARED:
        path = _run_file(key)
        _SHARED[key] = _from_other_workers(path) or _made_here(path, config, stack, preview, mocks)
    shared: RunResult = pickle.loads(_SHARED[key])
    return shared


def _run_file(key: tuple[Any, ...]) -> Path | None:
    if SHARED_RUNS_DIR is None:
        return None
    return SHARED_RUNS_DIR / f"{hashlib.sha256(repr(key).encode()).hexdigest()}.pickle"


def _from_other_workers(path: Path | None) -> bytes | None:
    try:
        return path.read_bytes() if path else None
    except FileNotFoundError:
        return None


def _made_here(
    path: Path | None,
    config: dict[str, str],
    stack: str,
    preview: bool,
    mocks: CloudMocks | None,
) -> bytes:
    run = run_program(config, stack=stack, preview=preview, mocks=mocks)
    pickled = pickle.dumps(run, protocol=pickle.HIGHEST_PROTOCOL)
    if path is not None:  # written whole, then renamed: a reader never sees half of it
        partial = path.with_suffix(f".{os.getpid()}")
        partial.write_bytes(pickled)
        os.replace(partial, path)
    return pickled


def run_dev(preview: bool = False, **overrides: object) -> RunResult:
    """The dev stack with these config overrides (a shared run, see `shared_run`)."""
    return shared_run(dev_config(**overrides), preview=preview)


def run_component(program: Callable[[], object]) -> RunResult:
    """Run a small program (usually one component) under the mocks; it must not fail."""
    result = run_program({}, program=program)
    assert result.error is None, result.error
    return result


def counted_stack_traces(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """From here on, the depth of each stack trace the SDK takes, one per registration
    (pulumi/runtime/resource.py `_get_stack_trace`, which stays the SDK's own)."""
    import pulumi.runtime.resource as sdk_resource

    depths: list[int] = []
    take_trace = sdk_resource._get_stack_trace

    def counted() -> Any:
        trace = take_trace()
        depths.append(len(trace.frames))
        return trace

    monkeypatch.setattr(sdk_resource, "_get_stack_trace", counted)
    return depths


def engine_struct(inputs: dict[str, Any]) -> Any:
    """Inputs as the engine marshals them to a policy pack (a protobuf Struct).

    A value a preview cannot know becomes the sentinel string pulumi-policy recognises (the mock
    harness records it as an `Unknown` object).
    """
    from google.protobuf import struct_pb2
    from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

    from tools.harness.sdk_internals import Unknown

    def wire(value: Any) -> Any:
        if isinstance(value, Unknown):
            return UNKNOWN_STRING_VALUE
        if isinstance(value, dict):
            return {k: wire(v) for k, v in value.items()}
        if isinstance(value, list):
            return [wire(v) for v in value]
        return value

    struct = struct_pb2.Struct()
    struct.update(wire(inputs))
    return struct
