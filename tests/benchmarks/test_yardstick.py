"""The benchmark's yardstick must ask for the program's deployment, or its ratio means nothing."""

from __future__ import annotations

import pytest
from support import counted_stack_traces

from benchmarks import yardstick
from benchmarks.same_deployment import same_deployment, same_tree
from tools.harness import RunResult, run_program, stack_config


def test_yardstick_registers_what_the_program_does(dev_run: RunResult) -> None:
    yard = run_program(stack_config("dev"), stack="dev", program=yardstick.main)
    assert same_deployment(dev_run, yard) == []
    assert all(r.custom and "::pulumi:pulumi:Stack::" in r.parent for r in yard.resources)


def test_in_components_it_is_the_programs_whole_tree(
    dev_run: RunResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The SDK takes a stack trace of every registration except a ComponentResource made
    # directly rather than subclassed (it looks for a third `__init__` frame). Each of the
    # tree's components must be traced, as the program's are, to cost what theirs do.
    traced = counted_stack_traces(monkeypatch)
    yard = run_program(
        stack_config("dev"), stack="dev", program=yardstick.in_components, stack_traces=True
    )
    assert same_deployment(dev_run, yard) == []
    assert same_tree(dev_run, yard) == []
    assert sorted(r.urn for r in yard.resources) == sorted(r.urn for r in dev_run.resources)
    assert len(traced) == len(yard.resources) + 1  # and the stack
    assert all(traced), traced


def test_a_drift_is_reported(dev_run: RunResult) -> None:
    empty = run_program(stack_config("dev"), stack="dev", program=lambda: None)
    problems = same_deployment(dev_run, empty)
    assert "only the program registers kubernetes:core/v1:Pod::untrusted" in problems
    flat = run_program(stack_config("dev"), stack="dev", program=yardstick.main)
    problems = same_tree(dev_run, flat)
    cluster = "aks-pod-sandboxing:azure:AzureLinuxCluster::cluster"
    assert (
        f"azure-native:containerservice:ManagedCluster::cluster-aks: parent: program "
        f"{cluster!r}, yardstick ''" in problems
    )
