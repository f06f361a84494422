"""Benchmark of the offline evaluation. From the repo root:

    python -m benchmarks.run [--pairs 40] [--quick] [--check] [--first-command]

Measures, in one run of about three minutes (the figures in docs/benchmarks.md):
1. the program's evaluation under the mock engine (tools.harness with the dev stack, i.e. the real
   `__main__.py` with validation and components) against benchmarks/yardstick.py (the same cloud
   objects registered directly), in-process after a warm-up, interleaved A, B, A, B, ..., median
   of each, and the ratio; also the cold start of each (fresh interpreter, imports + one run);
   and the yardstick inside the program's ComponentResources (`yardstick.in_components`, the
   program's very URNs): what the component tree costs, and what the program's own code does;
2. where that time goes: both again with every resource's aliases dropped (a stack
   transformation). azure-native gives each resource one alias per past API version (~110 for
   ManagedCluster and AgentPool) and the Python SDK turns each into an alias URN through Outputs
   at construction, whatever the engine supports (pulumi/pulumi#10010);
3. a bare import of the SDKs the program uses (fresh interpreter);
4. the offline plan, `python -m tools.plan --stack dev`;
5. the test suite, `python -m pytest` (the README's command; pyproject's addopts make it -q, and
   a second -q would hide the summary line) in yardstick evaluations: rounds of (two cold starts
   of the yardstick, the suite, a third cold start, the suite with -n 0), the ratio per round
   against the median of its three cold starts (benchmarks/suite.py); and
   once with the suite's heap freezing turned off (TESTS_FREEZE_SDK_HEAP=0, see tests/conftest.py):
   what the garbage collector walking the SDKs' long-lived objects costs the suite; and once in a
   fresh clone of HEAD, as CI runs it (nothing of the repository compiled yet);
6. peak memory: VmHWM (peak RSS) of each child process, and the tracemalloc peak of one warm
   in-process evaluation (Python allocations of the evaluation alone).

7. with --first-command: the README's first command step by step in a fresh clone with empty
   caches and PyPI alone, and the pip-only command it replaced (benchmarks/first_command.py; needs
   the network, ~2 min).

Prints Markdown tables to stdout (progress goes to stderr). Exit 0; with --check, exit 1 when the
warm ratio or the suite's is over its target. Exit 2 when the yardstick no longer registers what
the program does.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

from tools.venv_check import require

if __name__ == "__main__":
    require("python -m benchmarks.run", "pulumi", "pulumi_azure_native", "pulumi_kubernetes")

from benchmarks import evaluation, first_command
from benchmarks.measure import (
    machine,
    median_seconds,
    module_snippet,
    outcome,
    peak,
    run_child,
    sec,
    table,
)
from benchmarks.suite import (
    SUITE_BUDGET,
    fresh_clone_rows,
    fresh_clone_suite,
    rounds_table,
    suite_rounds,
    suite_row,
)

STACK = evaluation.STACK


def _at_least(minimum: int) -> Callable[[str], int]:
    """An option's type: a whole number, `minimum` or more (fewer runs leave a median, a quartile
    or a round with nothing in it)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    counts = [
        ("--pairs", 2, 40, "interleaved warm runs of each"),
        ("--cold", 1, 5, "fresh-interpreter runs of each"),
        ("--plans", 1, 3, "runs of the offline plan"),
        ("--pytest", 1, 3, "rounds of (3 yardstick cold starts, suite, suite -n 0)"),
    ]
    for option, minimum, default, what in counts:
        parser.add_argument(
            option, type=_at_least(minimum), default=default, help=f"{what} (default: {default})"
        )
    parser.add_argument(
        "--first-command",
        action="store_true",
        help="also time the README's first command in a fresh clone (network, ~2 min)",
    )
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (~80 s)")
    parser.add_argument("--check", action="store_true", help="exit 1 when over the target")
    args = parser.parse_args(argv)
    if args.quick:
        args.pairs, args.cold, args.plans, args.pytest = 15, 3, 2, 1
    return args


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    began = time.perf_counter()
    host = machine()

    log("checking that the yardstick registers what the program does ...")
    registered = evaluation.compare_registrations()
    if registered.problems:
        print("The yardstick no longer matches the program; update benchmarks/yardstick.py:")
        print("\n".join(f"- {p}" for p in registered.problems))
        return 2
    measured = evaluation.measure(registered, args.pairs, args.cold, log)

    # The plan's and the suite's outcome is reported, not required: other work in the repo may
    # have them red for a while, and their time is still worth knowing.
    log(f"offline plan x{args.plans} ...")
    plans = [run_child(module_snippet("tools.plan", "--stack", STACK)) for _ in range(args.plans)]
    log(f"test suite against the yardstick's cold start, {args.pytest} rounds ...")
    rounds = suite_rounds(args.pytest)
    log("test suite without the heap freeze, then in a fresh clone ...")
    unfrozen = run_child(module_snippet("pytest"), env={"TESTS_FREEZE_SDK_HEAP": "0"})
    fresh = fresh_clone_suite()

    print(f"## Offline evaluation benchmark (stack `{STACK}`)\n")
    custom, components = registered.custom, registered.components
    print(
        f"Program: `tools.harness.run_program` on the real `__main__.py` ({custom} cloud objects "
        f"+ {components} components). Yardstick: `benchmarks/yardstick.py`, the same {custom} "
        "cloud objects with identical inputs, providers and dependencies, registered directly.\n"
    )
    print(evaluation.tables(measured))
    print()
    rows = [
        *evaluation.information_rows(measured),
        [
            f"offline plan, `python -m tools.plan --stack {STACK}` (median of {len(plans)})",
            sec(median_seconds(plans)),
            peak(plans),
            outcome(plans),
        ],
        suite_row("test suite without the heap freeze (TESTS_FREEZE_SDK_HEAP=0)", unfrozen),
        *fresh_clone_rows(fresh),
    ]
    print(table(["for information", "wall time", "peak RSS", "result"], rows))
    print()
    print(rounds_table(rounds))
    print()
    if args.first_command:
        print(first_command.report())
    print(table(["machine", ""], [[k, v] for k, v in host.items()]))
    print(f"\nBenchmark wall time: {sec(time.perf_counter() - began)}.")
    over = measured.ratio > evaluation.TARGET_RATIO or rounds.ratio > SUITE_BUDGET
    return 1 if args.check and over else 0


if __name__ == "__main__":
    sys.exit(main())
