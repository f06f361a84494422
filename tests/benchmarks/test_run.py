"""The benchmark's options: a count too small to measure anything is refused up front."""

from __future__ import annotations

import pytest

from benchmarks import run


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--pytest", "0"], "argument --pytest: must be at least 1, got 0"),
        (["--pairs", "1"], "argument --pairs: must be at least 2, got 1"),
        (["--cold", "-3"], "argument --cold: must be at least 1, got -3"),
        (["--plans", "two"], "argument --plans: must be a whole number, got 'two'"),
    ],
)
def test_a_count_it_cannot_measure_with_is_refused_naming_the_option(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as refused:
        run.main(argv)
    assert refused.value.code == 2
    assert message in capsys.readouterr().err


def test_each_minimum_itself_passes() -> None:
    assert run._at_least(1)("1") == 1
    assert run._at_least(2)("2") == 2
    assert run._at_least(2)("40") == 40
