"""The program's evaluation against the yardstick's: warm in-process pairs, the component tree
alone, the share of the SDK's alias expansion, the cold starts, and the report's tables of them.

See benchmarks/run.py for what each measures and why; this module measures and formats, the run
decides what to run and prints.
"""

from __future__ import annotations

import copy
import statistics
from collections.abc import Callable
from dataclasses import dataclass

import pulumi

from benchmarks import yardstick
from benchmarks.measure import (
    Child,
    Series,
    interleaved_children,
    interleaved_in_process,
    median_seconds,
    ms,
    peak,
    sec,
    table,
    traced_peak_mib,
)
from benchmarks.same_deployment import same_deployment, same_tree
from benchmarks.suite import YARDSTICK_COLD
from tools.harness import RunResult, run_program, stack_config
from tools.harness.engine import repo_program, with_stack_transformation

TARGET_RATIO = 1.10
STACK = "dev"

# Child-process snippets: each pays interpreter start + imports + (for the runs) the first,
# cold evaluation, which also imports the SDK submodules the SDKs load lazily on first use.
PROGRAM_SNIPPET = (
    "from tools.harness import run_program, stack_config\n"
    f"raise SystemExit(run_program(stack_config({STACK!r})).error is not None)"
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
    return with_stack_transformation(_drop_aliases, program)


@dataclass
class Registered:
    """What one run of the program registered, and how the yardstick's runs differ from it."""

    config: dict[str, str]  # the stack's config, as all three were run with it
    custom: int  # cloud objects
    components: int  # ComponentResources
    problems: list[str]  # [] when the yardstick and its tree register what the program does


@dataclass
class Evaluation:
    registered: Registered
    warm: dict[str, Series]  # program, yardstick, tree
    floor: Series  # an empty program through the harness
    unaliased: dict[str, Series]  # program, yardstick, with every alias dropped
    traced_mib: dict[str, float]  # program, yardstick: tracemalloc peak of one warm run
    cold: dict[str, list[Child]]  # program, yardstick, bare import, interpreter

    def pair_ratio(self, a: str, b: str) -> float:
        """The median of a / b taken round by round: the warm runs of a round ran back to back,
        under the same load. The ratio of the two medians also takes in the load that moved
        from one round to the next."""
        a_runs, b_runs = self.warm[a].samples, self.warm[b].samples
        return statistics.median(x / y for x, y in zip(a_runs, b_runs, strict=True))

    @property
    def ratio(self) -> float:
        """The verdict's: program / yardstick, per pair, as the suite's ratio is per round."""
        return self.pair_ratio("program", "yardstick")

    @property
    def ratio_of_medians(self) -> float:
        return self.warm["program"].median / self.warm["yardstick"].median

    @property
    def pairs(self) -> int:
        return len(self.warm["program"].samples)

    @property
    def cold_runs(self) -> int:
        return len(self.cold["program"])


def compare_registrations() -> Registered:
    config = stack_config(STACK)
    program = run_program(config, stack=STACK)
    yard = run_program(config, stack=STACK, program=yardstick.main)
    tree = run_program(config, stack=STACK, program=yardstick.in_components)
    problems = [
        *same_deployment(program, yard),
        *same_deployment(program, tree),
        *same_tree(program, tree),
    ]
    custom = sum(r.custom for r in program.resources)
    return Registered(config, custom, len(program.resources) - custom, problems)


def measure(
    registered: Registered, pairs: int, cold_runs: int, log: Callable[[str], None]
) -> Evaluation:
    """Time the three programs warm, then without aliases, then each cold in a fresh process."""
    config = registered.config

    def run(program: Callable[[], object] | None = None) -> Callable[[], RunResult]:
        return lambda: run_program(config, stack=STACK, program=program)

    log(f"warm evaluation in-process, {pairs} interleaved pairs ...")
    variants: dict[str, Callable[[], object]] = {
        "program": run(),
        "yardstick": run(yardstick.main),
        "tree": run(yardstick.in_components),
    }
    warm = interleaved_in_process(variants, pairs)
    floor = interleaved_in_process({"empty": run(lambda: None)}, 10)["empty"]
    traced = {name: traced_peak_mib(variants[name]) for name in ("program", "yardstick")}
    log(f"the same without aliases, {pairs // 2} interleaved rounds ...")
    unaliased = interleaved_in_process(
        {
            "program": run(without_aliases(repo_program)),
            "yardstick": run(without_aliases(yardstick.main)),
        },
        pairs // 2,
    )
    log(f"cold starts, bare import, interpreter: {cold_runs} interleaved rounds ...")
    cold = interleaved_children(
        {
            "program": PROGRAM_SNIPPET,
            "yardstick": YARDSTICK_COLD,  # the unit the suite is measured in
            "bare import": BARE_IMPORT_SNIPPET,
            "interpreter": "pass",
        },
        cold_runs,
    )
    return Evaluation(registered, warm, floor, unaliased, traced, cold)


def tables(ev: Evaluation) -> str:
    """The evaluation's three tables: against the yardstick, the tree alone, aliases dropped."""
    warm = ev.warm
    verdict = "within" if ev.ratio <= TARGET_RATIO else "OVER"
    cold_ratio = median_seconds(ev.cold["program"]) / median_seconds(ev.cold["yardstick"])
    p25, p75 = warm["program"].quartiles
    y25, y75 = warm["yardstick"].quartiles
    traced = ev.traced_mib
    rows = [
        [
            f"warm evaluation, in-process, median of {ev.pairs} interleaved (p25-p75)",
            f"{ms(warm['program'].median)} ({ms(p25)}-{ms(p75)})",
            f"{ms(warm['yardstick'].median)} ({ms(y25)}-{ms(y75)})",
            f"**{ev.ratio:.2f}x** (median of per-pair ratios), {verdict} target "
            f"{TARGET_RATIO:.2f}x; ratio of the medians {ev.ratio_of_medians:.2f}x",
        ],
        [
            f"cold start: fresh `python -c`, imports + one run, median of {ev.cold_runs}",
            sec(median_seconds(ev.cold["program"])),
            sec(median_seconds(ev.cold["yardstick"])),
            f"{cold_ratio:.2f}x",
        ],
        [
            "peak RSS of that process (VmHWM, max of the runs)",
            peak(ev.cold["program"]),
            peak(ev.cold["yardstick"]),
            "",
        ],
        [
            "peak Python allocations during one warm run (tracemalloc)",
            f"{traced['program']:.1f} MiB",
            f"{traced['yardstick']:.1f} MiB",
            f"{traced['program'] / traced['yardstick']:.2f}x",
        ],
    ]
    against = table(["measurement", "program", "yardstick", "program / yardstick"], rows)
    rows = [
        [
            f"`yardstick.in_components`, warm, median of {ev.pairs} interleaved",
            ms(warm["tree"].median),
            f"{ev.pair_ratio('tree', 'yardstick'):.2f}x",
            f"{ev.pair_ratio('program', 'tree'):.2f}x",
        ]
    ]
    header = f"the yardstick inside the program's {ev.registered.components} components (same URNs)"
    columns = [header, "evaluation", "its / yardstick, per pair", "program / its, per pair"]
    tree = table(columns, rows)
    rows = [
        [
            name,
            ms(ev.unaliased[name].median),
            f"{1 - ev.unaliased[name].median / warm[name].median:.0%}",
        ]
        for name in ("program", "yardstick")
    ]
    rounds = len(ev.unaliased["program"].samples)
    header = f"aliases dropped, warm, median of {rounds} interleaved"
    aliases = table([header, "evaluation", "SDK alias expansion: share of the evaluation"], rows)
    return "\n\n".join([against, tree, aliases])


def information_rows(ev: Evaluation) -> list[list[str]]:
    """Its rows of the report's "for information" table: the harness floor, a bare import of
    the SDKs and the interpreter's start."""
    return [
        [
            "harness floor: an empty program through `run_program`, warm, median of 10",
            ms(ev.floor.median),
            "",
            "",
        ],
        [
            "bare import of pulumi, pulumi_azure_native.containerservice, "
            f"pulumi_azure_native.resources, pulumi_kubernetes (fresh process, median of "
            f"{ev.cold_runs})",
            sec(median_seconds(ev.cold["bare import"])),
            peak(ev.cold["bare import"]),
            "",
        ],
        [
            f"interpreter start, `python -c pass` (median of {ev.cold_runs})",
            sec(median_seconds(ev.cold["interpreter"])),
            peak(ev.cold["interpreter"]),
            "",
        ],
    ]
