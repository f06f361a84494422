"""The suite's benchmark: its ratio per round, and the fresh clone's row."""

from __future__ import annotations

import pytest
from markdown_table import row

from benchmarks import suite
from benchmarks.measure import Child
from benchmarks.suite import SuiteRounds, fresh_clone_rows, rounds_table


def child(seconds: float, output: str = "", returncode: int = 0) -> Child:
    return Child(seconds, 100.0, returncode, output)


def starts(*seconds: float) -> list[list[Child]]:
    """One cold start a round."""
    return [[child(s)] for s in seconds]


def test_the_ratio_is_the_median_of_each_rounds_own() -> None:
    rounds = SuiteRounds(
        yardstick=starts(1.0, 2.0, 1.0),
        suite=[child(9.0), child(10.0), child(12.0)],
        single=[child(14.0), child(30.0), child(16.0)],
    )
    assert rounds.ratios == [9.0, 5.0, 12.0]
    assert rounds.ratio == 9.0  # not 10.0 / 1.0, the ratio of the medians
    assert rounds.single_ratios == [14.0, 15.0, 16.0]


def readme_row(rounds: SuiteRounds) -> str:
    return row(rounds_table(rounds), "| `python -m pytest` (the README's")


def test_the_table_shows_each_rounds_ratio_beside_the_median() -> None:
    rounds = SuiteRounds(
        yardstick=starts(2.0, 1.0, 1.0),
        suite=[child(14.0), child(7.5, "1 passed in 7s"), child(8.0, "1525 passed in 7.9s")],
        single=[child(20.0), child(11.0), child(12.0)],
    )
    line = readme_row(rounds)
    assert "**7.5** (rounds: 7.0, 7.5, 8.0), within budget 8" in line
    assert "exit 0: 1525 passed" in line
    rounds.suite[0] = child(17.0)
    line = readme_row(rounds)
    assert "**8.0** (rounds: 8.5, 7.5, 8.0), within budget 8" in line
    rounds.suite[2] = child(9.0)
    line = readme_row(rounds)
    assert "**8.5** (rounds: 8.5, 7.5, 9.0), OVER budget 8" in line


def test_a_rounds_unit_is_the_median_of_its_cold_starts_around_the_suite(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran: list[str] = []
    seconds = iter([1.0, 1.6, 9.0, 1.2, 14.0, 1.1, 1.1, 8.8, 1.0, 13.0])

    def run_child(code: str) -> Child:
        ran.append("yardstick" if code == suite.YARDSTICK_COLD else code.split("'")[-2])
        return child(next(seconds))

    monkeypatch.setattr(suite, "run_child", run_child)
    monkeypatch.setattr(suite, "module_snippet", lambda *args: repr(list(args)))
    rounds = suite.suite_rounds(2)
    one_round = ["yardstick", "yardstick", "pytest", "yardstick", "0"]
    assert ran == one_round * 2
    assert rounds.units == [1.2, 1.1]  # not the first cold start alone, nor their mean
    assert rounds.ratios == [9.0 / 1.2, 8.8 / 1.1]
    assert rounds.single_ratios == [14.0 / 1.2, 13.0 / 1.1]
    yardstick_row = row(rounds_table(rounds), "| yardstick cold start")
    assert "3 a round" in yardstick_row and "| 1.15 s |" in yardstick_row


def test_the_fresh_clone_row_says_how_long_and_what_pytest_said() -> None:
    assert fresh_clone_rows(None) == []
    ((title, seconds, peak, result),) = fresh_clone_rows(
        child(12.345, "....\n1494 passed in 11.9s\n")
    )
    assert "fresh clone" in title and "1 run" in title
    assert (seconds, peak, result) == ("12.35 s", "100 MiB", "exit 0: 1494 passed")
    ((_, _, _, failed),) = fresh_clone_rows(child(3.0, "2 failed, 1492 passed in 3s", 1))
    assert failed == "1 of 1 exited non-zero: 2 failed, 1492 passed"
