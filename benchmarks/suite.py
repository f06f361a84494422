"""The test suite in yardstick evaluations: the README's `python -m pytest` against the cold start
of the yardstick (a fresh interpreter, imports + one run), timed in turn, round after round, so
the machine's load changes hit both alike; the ratio is taken per round, then its median. Each
round's unit is the median of three cold starts, two before the suite and one after it: in
minutes on a 2-vCPU machine one cold start moved between 1.0 and 2.0 s (12% about its mean), the
suite 4-11%, so with one cold start a round's ratio was mostly the noise of its unit.

Also `python -m pytest -n 0` (one process, no workers): which of the two the README should run;
and the README's command in a fresh clone, where no repository module is compiled yet: what CI
and a first run after the README's first command pay.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.measure import (
    Child,
    fresh_clone,
    median_seconds,
    module_snippet,
    outcome,
    peak,
    pytest_summary,
    run_child,
    sec,
    table,
)

# The yardstick's cold start (a fresh interpreter: imports + one run of the dev stack), the unit
# of the suite's budget; benchmarks.evaluation compares the program's cold start with it too.
YARDSTICK_COLD = (
    "from benchmarks import yardstick\n"
    "from tools.harness import run_program, stack_config\n"
    "r = run_program(stack_config('dev'), stack='dev', program=yardstick.main)\n"
    "raise SystemExit(r.error is not None)"
)
# The budget: the suite may take this many yardstick evaluations (cold starts).
SUITE_BUDGET = 8.0
# A round's cold starts of the yardstick: this many before the suite, and one after it.
COLD_STARTS_BEFORE = 2


@dataclass
class SuiteRounds:
    yardstick: list[list[Child]]  # each round's cold starts
    suite: list[Child]  # python -m pytest (pyproject: -n auto)
    single: list[Child]  # python -m pytest -n 0

    @property
    def units(self) -> list[float]:
        """Each round's yardstick evaluation: the median of its cold starts."""
        return [median_seconds(starts) for starts in self.yardstick]

    def in_units(self, runs: list[Child]) -> list[float]:
        """Each round's run of one command in that round's unit."""
        return [run.seconds / unit for run, unit in zip(runs, self.units, strict=True)]

    @property
    def ratios(self) -> list[float]:
        return self.in_units(self.suite)

    @property
    def single_ratios(self) -> list[float]:
        return self.in_units(self.single)

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)


def suite_rounds(rounds: int, single: bool = True) -> SuiteRounds:
    """`rounds` x (yardstick cold starts, suite, a yardstick cold start, suite -n 0), in turn."""
    found = SuiteRounds([], [], [])
    for _ in range(rounds):
        starts = [run_child(YARDSTICK_COLD) for _ in range(COLD_STARTS_BEFORE)]
        found.suite.append(run_child(module_snippet("pytest")))
        starts.append(run_child(YARDSTICK_COLD))
        found.yardstick.append(starts)
        if single:
            found.single.append(run_child(module_snippet("pytest", "-n", "0")))
    return found


def rounds_table(rounds: SuiteRounds) -> str:
    """The rounds as the benchmark's table: medians, and the suite in yardstick evaluations, each
    round's too (one run of the suite a round: their spread is this machine's noise)."""
    suites, verdict = rounds.suite, "within" if rounds.ratio <= SUITE_BUDGET else "OVER"
    each = ", ".join(f"{ratio:.1f}" for ratio in rounds.ratios)
    rows = [
        [
            "yardstick cold start (fresh `python -c`, imports + one run; "
            f"{len(rounds.yardstick[0])} a round, their median the round's unit)",
            sec(statistics.median(rounds.units)),
            "1",
            "",
        ],
        [
            "`python -m pytest` (the README's; pyproject: `-n auto`)",
            sec(median_seconds(suites)),
            f"**{rounds.ratio:.1f}** (rounds: {each}), {verdict} budget {SUITE_BUDGET:.0f}",
            f"{outcome(suites)}: {pytest_summary(suites[-1].output)}",
        ],
        [
            "`python -m pytest -n 0` (one process)",
            sec(median_seconds(rounds.single)),
            f"{statistics.median(rounds.single_ratios):.1f}",
            f"{outcome(rounds.single)}: {pytest_summary(rounds.single[-1].output)}",
        ],
    ]
    header = f"test suite, {len(suites)} interleaved rounds, medians"
    return table([header, "wall time", "in yardstick evaluations (per round)", "result"], rows)


def fresh_clone_suite() -> Child | None:
    """The README's test command, with this venv, in a fresh clone of HEAD; None without git."""
    if shutil.which("git") is None:
        return None
    with tempfile.TemporaryDirectory(prefix="fresh-suite-") as scratch:
        return run_child(module_snippet("pytest"), cwd=fresh_clone(Path(scratch)))


def suite_row(what: str, run: Child) -> list[str]:
    """One run of the suite as a row of the benchmark's "for information" table."""
    summary = f"{outcome([run])}: {pytest_summary(run.output)}"
    return [f"{what}, 1 run", sec(run.seconds), peak([run]), summary]


def fresh_clone_rows(fresh: Child | None) -> list[list[str]]:
    """Its row of the benchmark's "for information" table (none without git)."""
    if fresh is None:
        return []
    title = "test suite in a fresh clone of HEAD (nothing of the repository compiled yet, as on CI)"
    return [suite_row(title, fresh)]
