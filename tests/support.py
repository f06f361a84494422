"""Helpers shared by the tests; the mock engine itself lives once, in tools/harness/."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from sandboxing.config.settings import PROJECT
from tools.harness import RunResult, run_program, stack_config


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


def flat(text: str) -> str:
    """Text output with its line wrapping undone (messages wrap at 100 columns)."""
    return " ".join(text.split())


def run_dev(preview: bool = False, **overrides: object) -> RunResult:
    return run_program(dev_config(**overrides), preview=preview)


def run_component(program: Callable[[], object]) -> RunResult:
    """Run a small program (usually one component) under the mocks; it must not fail."""
    result = run_program({}, program=program)
    assert result.error is None, result.error
    return result


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
