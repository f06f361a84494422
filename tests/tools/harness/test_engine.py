"""run_program: what skipping the SDK's alias expansion and stack traces (as the tests do) leaves
unchanged, and the thread every run happens on."""

from __future__ import annotations

import dataclasses
import pickle
import traceback

import pulumi
import pulumi.runtime.resource as sdk_resource
import pytest
from support import counted_stack_traces, run_component

from tools.harness import RunResult, run_program, stack_config
from tools.harness.engine import without_type_aliases
from tools.harness.records import OutputValue


def recorded(result: RunResult) -> list[dict[str, object]]:
    """Everything recorded per resource, in URN order, dependencies sorted: the order of
    registrations and of a dependency list is the event loop's, which the expansion's own tasks
    change (the engine reads dependencies as a set)."""
    found = []
    for resource in sorted(result.resources, key=lambda r: r.urn):
        fields = dataclasses.asdict(resource)
        fields["dependencies"] = sorted(resource.dependencies)
        fields["property_dependencies"] = {
            k: sorted(v) for k, v in resource.property_dependencies.items()
        }
        found.append(fields)
    return found


def test_runs_without_type_aliases_or_stack_traces_record_what_runs_with_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The dev stack has every resource type of the program but the tenants' (Kubernetes types,
    # whose SDK declares few type aliases).
    traces = counted_stack_traces(monkeypatch)
    counted = sdk_resource._get_stack_trace
    config = stack_config("dev")
    full = run_program(config, type_aliases=True, stack_traces=True)
    assert len(traces) == len(full.resources) + 1 and all(traces)  # and the stack's
    quick = run_program(config, type_aliases=False, stack_traces=False)
    assert len(traces) == len(full.resources) + 1, "a stack trace taken without them"
    assert sdk_resource._get_stack_trace is counted  # put back after the run
    assert full.error is None and quick.error is None
    assert recorded(quick) == recorded(full)
    assert quick.outputs == full.outputs
    assert (quick.warnings, quick.invokes) == (full.warnings, full.invokes)


def test_only_the_provider_sdks_type_aliases_are_dropped() -> None:
    seen: list[object] = []

    def program() -> None:
        def keep(args: pulumi.ResourceTransformationArgs) -> None:
            seen.extend(args.opts.aliases or [])

        pulumi.runtime.register_stack_transformation(keep)
        own = pulumi.Alias(name="old-name")
        versioned = pulumi.Alias(type_="x:index/v1:Thing")
        pulumi.ComponentResource(
            "x:index:Thing", "thing", opts=pulumi.ResourceOptions(aliases=[own, versioned])
        )

    run_component(without_type_aliases(program))
    assert [getattr(a, "name", None) for a in seen] == ["old-name"]


def test_a_run_starts_a_few_frames_down_however_deep_its_caller_is() -> None:
    # The SDK walks the whole stack for each resource it registers; under pytest that was ~60
    # frames. The program's frames below the thread's start are the harness's and the SDK's.
    depths: list[int] = []

    def program() -> None:
        depths.append(len(traceback.extract_stack()))
        pulumi.ComponentResource("test:index:Probe", "probe")

    def deep(levels: int) -> RunResult:
        return deep(levels - 1) if levels else run_component(program)

    deep(100)
    (depth,) = depths
    assert depth < 30, depth


def test_a_run_starts_with_pickles_own_methods_whatever_ran_before() -> None:
    """The SDK's dynamic providers leave pickle's dict methods wrapped, one wrapper more per
    dynamic resource: in one process, ~150 runs of the dev stack ended in a RecursionError."""

    def batch_setitems() -> object:
        return vars(pickle._Pickler)["_batch_setitems"]

    original = batch_setitems()
    run_program(stack_config("dev"))  # three dynamic resources
    # Should this fail, the SDK puts pickle back itself: sdk_internals._restore_the_pickler can go.
    assert batch_setitems() is not original
    seen = []
    run_program({}, program=lambda: seen.append(batch_setitems()))
    assert seen == [original]


def test_exports_are_read_as_the_engine_would_keep_them_plain_data_as_a_copy() -> None:
    plain = {"sizing": {"podsPerNode": 3, "node": None, "zones": ["1", "2"], "ok": True}}

    def program() -> None:
        pulumi.export("plain", plain)
        pulumi.export("nested", {"name": pulumi.Output.from_input("x"), "n": [1, 2.5]})
        pulumi.export("secret", {"token": pulumi.Output.secret("s3cr3t")})
        pulumi.export("tuple", (1, "a"))

    outputs = run_component(program).outputs
    assert outputs["plain"] == OutputValue(plain, secret=False, known=True)
    assert outputs["plain"].value is not plain
    assert outputs["plain"].value["sizing"]["zones"] is not plain["sizing"]["zones"]
    assert outputs["nested"] == OutputValue({"name": "x", "n": [1, 2.5]}, False, True)
    assert outputs["secret"] == OutputValue({"token": "s3cr3t"}, secret=True, known=True)
    assert outputs["tuple"] == OutputValue((1, "a"), False, True)  # as the SDK reads it
