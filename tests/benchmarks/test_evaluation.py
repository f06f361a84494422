"""The evaluation's benchmark: its ratios are taken per pair, as the suite's are per round."""

from __future__ import annotations

from markdown_table import row

from benchmarks.evaluation import TARGET_RATIO, Evaluation, Registered, tables
from benchmarks.measure import Child, Series


def evaluation(program: list[float], yardstick: list[float], tree: list[float]) -> Evaluation:
    cold = {name: [Child(1.0, 90.0, 0, "")] for name in ("program", "yardstick")}
    return Evaluation(
        registered=Registered(config={}, custom=12, components=2, problems=[]),
        warm={"program": Series(program), "yardstick": Series(yardstick), "tree": Series(tree)},
        floor=Series([0.001]),
        unaliased={"program": Series([0.05]), "yardstick": Series([0.04])},
        traced_mib={"program": 4.0, "yardstick": 4.0},
        cold=cold,
    )


def test_the_verdict_is_the_median_of_each_pairs_ratio() -> None:
    # Round 2 ran on a machine twice as slow; each pair still compares like with like.
    ev = evaluation(
        program=[0.105, 0.214, 0.108], yardstick=[0.100, 0.200, 0.100], tree=[0.1, 0.2, 0.1]
    )
    assert round(ev.ratio, 3) == 1.07  # the pairs: 1.05, 1.07, 1.08
    assert round(ev.ratio_of_medians, 3) == 1.08  # 0.108 / 0.100
    first = row(tables(ev), "| warm evaluation")
    assert "**1.07x** (median of per-pair ratios), within target 1.10x" in first
    assert "ratio of the medians 1.08x" in first


def test_over_the_target_per_pair_is_over_whatever_the_medians_say() -> None:
    ev = evaluation(
        program=[0.112, 0.224, 0.120], yardstick=[0.100, 0.200, 0.150], tree=[0.1, 0.2, 0.1]
    )
    # The pairs: 1.12, 1.12, 0.80; the medians: 0.120 / 0.150.
    assert ev.ratio > TARGET_RATIO >= ev.ratio_of_medians
    assert "**1.12x** (median of per-pair ratios), OVER target 1.10x" in tables(ev)


def test_the_component_tree_is_compared_per_pair_too() -> None:
    ev = evaluation(
        program=[0.120, 0.250, 0.130], yardstick=[0.100, 0.200, 0.150], tree=[0.105, 0.220, 0.120]
    )
    tree = row(tables(ev), "| `yardstick.in_components`")
    # Its / yardstick: 1.05, 1.10, 0.80 (the medians' ratio: 0.80); program / its: 1.143,
    # 1.136, 1.083 (the medians' ratio: 1.08).
    assert tree.endswith("| 1.05x | 1.14x |")
