"""The test suite in yardstick evaluations: the README's `python -m pytest` against the cold start
of the yardstick (a fresh interpreter, imports + one run), timed in turn, round after round, so
the machine's load changes hit both alike; the ratio is taken per round, then its median.

Also `python -m pytest -n 0` (one process, no workers): which of the two the README should run.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from benchmarks.measure import Child, module_snippet, run_child

YARDSTICK_COLD = (
    "from benchmarks import yardstick\n"
    "from tools.harness import run_program, stack_config\n"
    "r = run_program(stack_config('dev'), stack='dev', program=yardstick.main)\n"
    "raise SystemExit(r.error is not None)"
)
# The budget: the suite may take this many yardstick evaluations (cold starts).
SUITE_BUDGET = 8.0


@dataclass
class SuiteRounds:
    yardstick: list[Child]
    suite: list[Child]  # python -m pytest (pyproject: -n auto)
    single: list[Child]  # python -m pytest -n 0

    @property
    def ratios(self) -> list[float]:
        return [s.seconds / y.seconds for s, y in zip(self.suite, self.yardstick, strict=True)]

    @property
    def single_ratios(self) -> list[float]:
        return [s.seconds / y.seconds for s, y in zip(self.single, self.yardstick, strict=True)]

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)


def suite_rounds(rounds: int, single: bool = True) -> SuiteRounds:
    """`rounds` x (yardstick cold start, suite, suite -n 0), in turn."""
    found = SuiteRounds([], [], [])
    for _ in range(rounds):
        found.yardstick.append(run_child(YARDSTICK_COLD))
        found.suite.append(run_child(module_snippet("pytest")))
        if single:
            found.single.append(run_child(module_snippet("pytest", "-n", "0")))
    return found
