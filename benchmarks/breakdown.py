"""Where the evaluation time goes: `python -m benchmarks.breakdown` (about 15 s).

Diagnostic companion of `benchmarks.run`. Times variants of one warm, in-process evaluation,
round-robin (so machine load hits all of them alike), median of each:

- the harness floor (a program that registers nothing);
- the yardstick and the program as they are;
- both again with the SDKs' aliases dropped: azure-native gives every resource one alias per
  past API version (~110 for ManagedCluster and AgentPool), and the Python SDK turns each into
  an alias URN through Outputs at construction, whatever the engine supports. An experiment,
  not a fix: it patches `pulumi.resource.Resource.__init__` for those runs only;
- both again without source positions: the SDK takes a `traceback.extract_stack()` per resource
  (checking every frame's file in linecache), so deeper call stacks (runpy, components) cost
  more. Also an experiment (patches `pulumi.runtime.resource._get_stack_trace`);
- the program's own extras in isolation: reading + validating the settings and the sizing
  arithmetic, compiling `__main__.py` (the harness runs it with runpy each time), and four bare
  ComponentResources with `register_outputs`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pulumi
import pulumi.resource
import pulumi.runtime.resource

from benchmarks import yardstick
from benchmarks.run import interleaved_in_process
from tools.harness import REPO, run_program, stack_config

ROUNDS = 25


@contextmanager
def without_aliases() -> Iterator[None]:
    original = pulumi.resource.Resource.__init__

    def init(self: Any, t: str, name: str, custom: bool = False, props: Any = None,
             opts: Any = None, *args: Any, **kwargs: Any) -> None:  # fmt: skip
        if opts is not None and opts.aliases:
            opts = opts._copy()
            opts.aliases = None
        original(self, t, name, custom, props, opts, *args, **kwargs)

    pulumi.resource.Resource.__init__ = init  # type: ignore[method-assign]
    try:
        yield
    finally:
        pulumi.resource.Resource.__init__ = original  # type: ignore[method-assign]


@contextmanager
def without_stack_traces() -> Iterator[None]:
    original = pulumi.runtime.resource._get_stack_trace
    empty = pulumi.runtime.resource.source_pb2.StackTrace
    pulumi.runtime.resource._get_stack_trace = empty
    try:
        yield
    finally:
        pulumi.runtime.resource._get_stack_trace = original


class _Bare(pulumi.ComponentResource):
    def __init__(self, name: str, outputs: int) -> None:
        super().__init__("benchmarks:x:Bare", name, None, None)
        self.register_outputs({f"o{i}": pulumi.Output.from_input(i) for i in range(outputs)})


def four_components() -> None:
    # The program's four components with as many registered outputs as each of them has.
    for i, outputs in enumerate((3, 1, 1, 3)):
        _Bare(f"c{i}", outputs)


def settings_and_sizing() -> None:
    from sandboxing.sizing import stack_sizing
    from stack_settings import load_settings

    stack_sizing(load_settings()).as_output()


def main() -> int:
    config = stack_config("dev")
    source = (REPO / "__main__.py").read_text()

    def harness(program: Callable[[], None] | None) -> Callable[[], object]:
        return lambda: run_program(config, program=program)

    def patched(patch: Callable[[], Any], fn: Callable[[], object]) -> Callable[[], object]:
        def run() -> object:
            with patch():
                return fn()

        return run

    variants: dict[str, Callable[[], object]] = {
        "harness floor (empty program)": harness(lambda: None),
        "yardstick": harness(yardstick.main),
        "yardstick, SDK aliases dropped": patched(without_aliases, harness(yardstick.main)),
        "yardstick, no source positions": patched(without_stack_traces, harness(yardstick.main)),
        "program": harness(None),
        "program, SDK aliases dropped": patched(without_aliases, harness(None)),
        "program, no source positions": patched(without_stack_traces, harness(None)),
        "settings + validation + sizing alone": harness(settings_and_sizing),
        "4 bare components + register_outputs": harness(four_components),
        "compile __main__.py (runpy, per run)": lambda: compile(source, "__main__.py", "exec"),
    }
    series = interleaved_in_process(variants, ROUNDS)
    med = {name: s.median * 1000 for name, s in series.items()}
    floor = med["harness floor (empty program)"]
    print(f"| variant (warm, in-process, median of {ROUNDS}) | ms | minus floor |")
    print("|---|---|---|")
    for name, value in med.items():
        extra = f"{value - floor:.1f}" if name.startswith(("yard", "program", "sett", "4")) else ""
        print(f"| {name} | {value:.1f} | {extra} |")
    yard, program = med["yardstick"], med["program"]
    print()
    for what, suffix in (("SDK alias expansion", "SDK aliases dropped"),
                         ("source positions", "no source positions")):  # fmt: skip
        in_yard = yard - med[f"yardstick, {suffix}"]
        in_program = program - med[f"program, {suffix}"]
        print(f"- {what}: {in_yard:.1f} ms of the yardstick ({in_yard / yard:.0%}), "
              f"{in_program:.1f} ms of the program ({in_program / program:.0%}).")  # fmt: skip
    print(f"- program - yardstick: {program - yard:.1f} ms ({program / yard:.2f}x).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
