"""The benchmark's yardstick must ask for the program's deployment, or its ratio means nothing."""

from __future__ import annotations

from benchmarks import yardstick
from benchmarks.same_deployment import same_deployment
from tools.harness import RunResult, run_program, stack_config


def test_yardstick_registers_what_the_program_does(dev_run: RunResult) -> None:
    yard = run_program(stack_config("dev"), stack="dev", program=yardstick.main)
    assert same_deployment(dev_run, yard) == []


def test_a_drift_is_reported(dev_run: RunResult) -> None:
    empty = run_program(stack_config("dev"), stack="dev", program=lambda: None)
    problems = same_deployment(dev_run, empty)
    assert "only the program registers kubernetes:core/v1:Pod::untrusted" in problems
