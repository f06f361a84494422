"""How much of the test suite is garbage collection: `python -m benchmarks.pytest_gc` (~40 s).

After one evaluation the SDKs hold ~140,000 long-lived, GC-tracked objects (part of them loaded
only by that first evaluation: pulumi_kubernetes imports core/v1 lazily). Every full
(generation 2) collection walks all of them and everything the suite keeps, ~150 ms each here,
and a suite that runs the program hundreds of times triggers dozens. `gc.freeze()` after a first
evaluation moves those objects out of the collector's way.

Runs the suite in fresh processes, alternating with the freeze of tests/conftest.py turned off
(TESTS_FREEZE_SDK_HEAP=0) and on, and reports wall time and the time spent in each generation's
collections (measured with gc.callbacks).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ROUNDS = 2
MARKER = "benchmark-gc-stats="
PROBE = f"""
import gc, json, sys, time, pytest
spent = {{0: [0, 0.0], 1: [0, 0.0], 2: [0, 0.0]}}
started = [0.0]
def timer(phase, info):
    if phase == "start":
        started[0] = time.perf_counter()
    else:
        spent[info["generation"]][0] += 1
        spent[info["generation"]][1] += time.perf_counter() - started[0]
gc.callbacks.append(timer)
start = time.perf_counter()
code = pytest.main(sys.argv[1:])
wall = time.perf_counter() - start
sys.stderr.write("{MARKER}" + json.dumps({{"wall": wall, "exit": int(code), "gc": spent}}) + "\\n")
"""


def run_suite(freeze: bool) -> dict:
    env = {**os.environ, "TESTS_FREEZE_SDK_HEAP": "1" if freeze else "0"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "-q"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    line = next(x for x in done.stderr.splitlines() if x.startswith(MARKER))
    stats: dict = json.loads(line[len(MARKER) :])
    return stats


def main() -> int:
    variants = {"no freeze": False, "heap frozen after a first run (default)": True}
    runs: dict[str, list[dict]] = {name: [] for name in variants}
    for _ in range(ROUNDS):
        for name, freeze in variants.items():
            runs[name].append(run_suite(freeze))
    print(f"| test suite (median of {ROUNDS}, alternating) | wall | gen 2 collections | in gen 2 "
          "| in gen 0+1 | exit |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for name, stats in runs.items():
        wall = statistics.median(s["wall"] for s in stats)
        gen2 = statistics.median(s["gc"]["2"][1] for s in stats)
        count = statistics.median(s["gc"]["2"][0] for s in stats)
        young = statistics.median(s["gc"]["0"][1] + s["gc"]["1"][1] for s in stats)
        exits = ",".join(str(s["exit"]) for s in stats)
        print(f"| {name} | {wall:.2f} s | {count:.0f} | {gen2:.2f} s | {young:.2f} s | {exits} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
