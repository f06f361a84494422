"""Benchmark of the offline evaluation. From the repo root:

    python -m benchmarks.run [--pairs 40] [--quick] [--check] [--first-command]

Measures, in one run of about two and a half minutes (the figures in docs/benchmarks.md):
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
   a second -q would hide the summary line) in yardstick evaluations: rounds of (the yardstick's
   cold start, the suite, the suite with -n 0), the ratio per round (benchmarks/suite.py); and
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
import copy
import statistics
import sys
import time
from collections.abc import Callable

from tools.venv_check import require

if __name__ == "__main__":
    require("python -m benchmarks.run", "pulumi", "pulumi_azure_native", "pulumi_kubernetes")

import pulumi
import pulumi.runtime

from benchmarks import first_command, yardstick
from benchmarks.measure import (
    interleaved_children,
    interleaved_in_process,
    machine,
    median_seconds,
    module_snippet,
    ms,
    outcome,
    peak,
    pytest_summary,
    run_child,
    sec,
    table,
    traced_peak_mib,
)
from benchmarks.same_deployment import same_deployment, same_tree
from benchmarks.suite import (
    SUITE_BUDGET,
    fresh_clone_rows,
    fresh_clone_suite,
    suite_rounds,
    suite_row,
)
from tools.harness import RunResult, run_program, stack_config
from tools.harness.engine import repo_program

TARGET_RATIO = 1.10
STACK = "dev"

# Child-process snippets: each pays interpreter start + imports + (for the runs) the first,
# cold evaluation, which also imports the SDK submodules the SDKs load lazily on first use.
PROGRAM_SNIPPET = (
    "from tools.harness import run_program, stack_config\n"
    f"raise SystemExit(run_program(stack_config({STACK!r})).error is not None)"
)
YARDSTICK_SNIPPET = (
    "from benchmarks import yardstick\n"
    "from tools.harness import run_program, stack_config\n"
    f"r = run_program(stack_config({STACK!r}), program=yardstick.main)\n"
    "raise SystemExit(r.error is not None)"
)
BARE_IMPORT_SNIPPET = (
    "import pulumi, pulumi_azure_native.containerservice, pulumi_azure_native.resources, "
    "pulumi_kubernetes"
)


def _drop_aliases(args: pulumi.ResourceTransformationArgs) -> pulumi.ResourceTransformationResult:
    opts = copy.copy(args.opts)
    opts.aliases = None
    return pulumi.ResourceTransformationResult(args.props, opts)


def without_aliases(program: Callable[[], object]) -> Callable[[], None]:
    """`program` with every resource's aliases dropped before the SDK expands them into URNs."""

    def run() -> None:
        pulumi.runtime.register_stack_transformation(_drop_aliases)
        program()

    return run


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


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--pairs",
        type=_at_least(2),
        default=40,
        help="interleaved warm runs of each (default: %(default)s)",
    )
    parser.add_argument(
        "--cold",
        type=_at_least(1),
        default=5,
        help="fresh-interpreter runs of each (default: %(default)s)",
    )
    parser.add_argument(
        "--plans",
        type=_at_least(1),
        default=3,
        help="runs of the offline plan (default: %(default)s)",
    )
    parser.add_argument(
        "--pytest",
        type=_at_least(1),
        default=3,
        help="rounds of (yardstick cold start, suite, suite -n 0) (default: %(default)s)",
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
    began = time.perf_counter()
    host = machine()
    config = stack_config(STACK)

    def program() -> RunResult:
        return run_program(config, stack=STACK)

    def yard() -> RunResult:
        return run_program(config, stack=STACK, program=yardstick.main)

    def tree() -> RunResult:
        return run_program(config, stack=STACK, program=yardstick.in_components)

    def empty() -> RunResult:
        return run_program(config, stack=STACK, program=lambda: None)

    log("checking that the yardstick registers what the program does ...")
    program_result, yard_result, tree_result = program(), yard(), tree()
    problems = [
        *same_deployment(program_result, yard_result),
        *same_deployment(program_result, tree_result),
        *same_tree(program_result, tree_result),
    ]
    if problems:
        print("The yardstick no longer matches the program; update benchmarks/yardstick.py:")
        print("\n".join(f"- {p}" for p in problems))
        return 2
    custom = sum(r.custom for r in program_result.resources)
    components = len(program_result.resources) - custom

    log(f"warm evaluation in-process, {args.pairs} interleaved pairs ...")
    warm = interleaved_in_process({"program": program, "yardstick": yard, "tree": tree}, args.pairs)
    floor = interleaved_in_process({"empty": empty}, 10)["empty"]
    ratio = warm["program"].median / warm["yardstick"].median
    pair_ratio = statistics.median(
        p / y for p, y in zip(warm["program"].samples, warm["yardstick"].samples, strict=True)
    )
    traced = {"program": traced_peak_mib(program), "yardstick": traced_peak_mib(yard)}
    log(f"the same without aliases, {args.pairs // 2} interleaved rounds ...")
    unaliased = interleaved_in_process(
        {
            "program": lambda: run_program(
                config, stack=STACK, program=without_aliases(repo_program)
            ),
            "yardstick": lambda: run_program(
                config, stack=STACK, program=without_aliases(yardstick.main)
            ),
        },
        args.pairs // 2,
    )

    log(f"cold starts, bare import, interpreter: {args.cold} interleaved rounds ...")
    cold = interleaved_children(
        {
            "program": PROGRAM_SNIPPET,
            "yardstick": YARDSTICK_SNIPPET,
            "bare import": BARE_IMPORT_SNIPPET,
            "interpreter": "pass",
        },
        args.cold,
    )
    for name in ("program", "yardstick", "bare import"):
        if failed := [c for c in cold[name] if c.returncode != 0]:
            print(f"The {name} cold start failed (exit {failed[0].returncode}):")
            print(failed[0].output)
            return 2

    # The plan's and the suite's outcome is reported, not required: other work in the repo may
    # have them red for a while, and their time is still worth knowing.
    log(f"offline plan x{args.plans} ...")
    plans = [run_child(module_snippet("tools.plan", "--stack", STACK)) for _ in range(args.plans)]
    log(f"test suite against the yardstick's cold start, {args.pytest} rounds ...")
    rounds = suite_rounds(args.pytest)
    suites = rounds.suite
    suite_result = pytest_summary(suites[-1].output)
    log("test suite without the heap freeze, then in a fresh clone ...")
    unfrozen = run_child(module_snippet("pytest"), env={"TESTS_FREEZE_SDK_HEAP": "0"})
    fresh = fresh_clone_suite()

    cold_ratio = median_seconds(cold["program"]) / median_seconds(cold["yardstick"])
    verdict = "within" if ratio <= TARGET_RATIO else "OVER"
    p25, p75 = warm["program"].quartiles
    y25, y75 = warm["yardstick"].quartiles
    print(f"## Offline evaluation benchmark (stack `{STACK}`)\n")
    print(
        f"Program: `tools.harness.run_program` on the real `__main__.py` ({custom} cloud objects "
        f"+ {components} components). Yardstick: `benchmarks/yardstick.py`, the same {custom} "
        "cloud objects with identical inputs, providers and dependencies, registered directly.\n"
    )
    rows = [
        [
            f"warm evaluation, in-process, median of {args.pairs} interleaved (p25-p75)",
            f"{ms(warm['program'].median)} ({ms(p25)}-{ms(p75)})",
            f"{ms(warm['yardstick'].median)} ({ms(y25)}-{ms(y75)})",
            f"**{ratio:.2f}x**, {verdict} target {TARGET_RATIO:.2f}x "
            f"(median of per-pair ratios {pair_ratio:.2f}x)",
        ],
        [
            f"cold start: fresh `python -c`, imports + one run, median of {args.cold}",
            sec(median_seconds(cold["program"])),
            sec(median_seconds(cold["yardstick"])),
            f"{cold_ratio:.2f}x",
        ],
        [
            "peak RSS of that process (VmHWM, max of the runs)",
            peak(cold["program"]),
            peak(cold["yardstick"]),
            "",
        ],
        [
            "peak Python allocations during one warm run (tracemalloc)",
            f"{traced['program']:.1f} MiB",
            f"{traced['yardstick']:.1f} MiB",
            f"{traced['program'] / traced['yardstick']:.2f}x",
        ],
    ]
    print(table(["measurement", "program", "yardstick", "program / yardstick"], rows))
    print()
    tree_ratio = warm["tree"].median / warm["yardstick"].median
    rows = [
        [
            f"`yardstick.in_components`, warm, median of {args.pairs} interleaved",
            ms(warm["tree"].median),
            f"{tree_ratio:.2f}x",
            f"{warm['program'].median / warm['tree'].median:.2f}x",
        ]
    ]
    header = f"the yardstick inside the program's {components} components (same URNs)"
    print(table([header, "evaluation", "its / yardstick", "program / its"], rows))
    print()
    rows = [
        [name, ms(unaliased[name].median), f"{1 - unaliased[name].median / warm[name].median:.0%}"]
        for name in ("program", "yardstick")
    ]
    header = f"aliases dropped, warm, median of {args.pairs // 2} interleaved"
    print(table([header, "evaluation", "SDK alias expansion: share of the evaluation"], rows))
    print()
    rows = [
        [
            "harness floor: an empty program through `run_program`, warm, median of 10",
            ms(floor.median),
            "",
            "",
        ],
        [
            "bare import of pulumi, pulumi_azure_native.containerservice, "
            f"pulumi_azure_native.resources, pulumi_kubernetes (fresh process, median of "
            f"{args.cold})",
            sec(median_seconds(cold["bare import"])),
            peak(cold["bare import"]),
            "",
        ],
        [
            f"interpreter start, `python -c pass` (median of {args.cold})",
            sec(median_seconds(cold["interpreter"])),
            peak(cold["interpreter"]),
            "",
        ],
        [
            f"offline plan, `python -m tools.plan --stack {STACK}` (median of {len(plans)})",
            sec(median_seconds(plans)),
            peak(plans),
            outcome(plans),
        ],
        suite_row("test suite without the heap freeze (TESTS_FREEZE_SDK_HEAP=0)", unfrozen),
    ]
    rows += fresh_clone_rows(fresh)
    print(table(["for information", "wall time", "peak RSS", "result"], rows))
    print()
    suite_ratio = rounds.ratio
    suite_verdict = "within" if suite_ratio <= SUITE_BUDGET else "OVER"
    yard_cold = median_seconds(rounds.yardstick)
    rows = [
        [
            "yardstick cold start (fresh `python -c`, imports + one run)",
            sec(yard_cold),
            "1",
            "",
        ],
        [
            "`python -m pytest` (the README's; pyproject: `-n auto`)",
            sec(median_seconds(suites)),
            f"**{suite_ratio:.1f}**, {suite_verdict} budget {SUITE_BUDGET:.0f}",
            f"{outcome(suites)}: {suite_result}",
        ],
        [
            "`python -m pytest -n 0` (one process)",
            sec(median_seconds(rounds.single)),
            f"{statistics.median(rounds.single_ratios):.1f}",
            f"{outcome(rounds.single)}: {pytest_summary(rounds.single[-1].output)}",
        ],
    ]
    header = f"test suite, {args.pytest} interleaved rounds, medians"
    print(table([header, "wall time", "in yardstick evaluations (per round)", "result"], rows))
    print()
    if args.first_command:
        print(first_command.report())
    print(table(["machine", ""], [[k, v] for k, v in host.items()]))
    print(f"\nBenchmark wall time: {sec(time.perf_counter() - began)}.")
    over = ratio > TARGET_RATIO or suite_ratio > SUITE_BUDGET
    return 1 if args.check and over else 0


if __name__ == "__main__":
    sys.exit(main())
