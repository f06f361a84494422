"""How the benchmarks measure: child processes (wall time, peak RSS), warm in-process series,
the machine, and the Markdown the report is printed as."""

from __future__ import annotations

import datetime
import gc
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from tools.repo import REPO

# Peak memory of a child: VmHWM (peak RSS of its own address space), reported by the child at
# exit. Not ru_maxrss (wait4 or RUSAGE_CHILDREN): Linux keeps the peak of the pre-exec address
# space, a copy of this ~100 MiB process, in the child's ru_maxrss, so `python -c pass` measured
# that way reports ~100 MiB instead of ~9 MiB.
PEAK_MARKER = "benchmark-peak-rss-kib="
REPORT_PEAK = (
    "import atexit, os\n"
    "def _peak():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    f"            os.write(2, ('\\n{PEAK_MARKER}' + line.split()[1] + '\\n').encode())\n"
    "if os.path.exists('/proc/self/status'):\n"
    "    atexit.register(_peak)\n"
)


def module_snippet(module: str, *args: str) -> str:
    """`python -m module args` as a -c snippet, so it can carry REPORT_PEAK."""
    return (
        f"import runpy, sys\nsys.argv = {[module, *args]!r}\n"
        f"runpy.run_module({module!r}, run_name='__main__', alter_sys=True)"
    )


@dataclass
class Series:
    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def quartiles(self) -> tuple[float, float]:
        q = statistics.quantiles(self.samples, n=4)
        return q[0], q[2]


@dataclass
class Child:
    seconds: float
    peak_rss_mib: float | None  # None where /proc is missing (not Linux)
    returncode: int
    output: str


def run_child(code: str, env: dict[str, str] | None = None, cwd: Path = REPO) -> Child:
    """`python -c code` from the repo root, or `cwd` (with `env` added to the environment): wall
    time, exit code, output and peak RSS."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", REPORT_PEAK + code],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        check=False,
    )
    seconds = time.perf_counter() - start
    output = done.stdout.decode(errors="replace")
    peak = None
    if PEAK_MARKER in output:
        before, _, after = output.rpartition(PEAK_MARKER)
        peak = int(after.split()[0]) / 1024
        output = before.rstrip("\n")
    return Child(seconds, peak, done.returncode, output)


def fresh_clone(scratch: Path) -> Path:
    """A `git clone` of this repository's HEAD in `scratch`: committed files only, nothing
    compiled, no caches."""
    clone = scratch / "clone"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    return clone


def interleaved_children(snippets: dict[str, str], rounds: int) -> dict[str, list[Child]]:
    """Each snippet once per round, in turn, so load changes on the machine hit all of them."""
    runs: dict[str, list[Child]] = {name: [] for name in snippets}
    for _ in range(rounds):
        for name, code in snippets.items():
            child = run_child(code)
            if child.returncode != 0:
                raise SystemExit(f"{name} failed (exit {child.returncode}):\n{child.output}")
            runs[name].append(child)
    return runs


def interleaved_in_process(
    variants: dict[str, Callable[[], object]], rounds: int
) -> dict[str, Series]:
    """Warm, in-process timings, A, B, A, B, ...

    The SDKs leave a large long-lived heap, so a full garbage collection costs ~70-100 ms, more
    than one evaluation, and lands on whichever run crosses the threshold: with strict
    alternation that is one variant every time. So the warm heap is frozen (gc.freeze) and a
    collection runs before every sample, untimed; each run then starts from the same state and
    pays only for collecting its own garbage.
    """
    for _ in range(3):  # warm-up: lazy SDK imports, linecache, first-call caches
        for fn in variants.values():
            fn()
    gc.collect()
    gc.freeze()
    samples: dict[str, list[float]] = {name: [] for name in variants}
    try:
        for _ in range(rounds):
            for name, fn in variants.items():
                gc.collect()
                start = time.perf_counter()
                fn()
                samples[name].append(time.perf_counter() - start)
    finally:
        gc.unfreeze()
    return {name: Series(values) for name, values in samples.items()}


def traced_peak_mib(fn: Callable[[], object]) -> float:
    """Peak of Python allocations made during one warm run (tracemalloc; excludes the imports)."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def pytest_summary(output: str) -> str:
    """pytest's last line, e.g. `58 passed in 4.10s`, without the timing."""
    lines = [line.strip("= ") for line in output.strip().splitlines() if line.strip()]
    last = lines[-1] if lines else "no output"
    return last.rsplit(" in ", 1)[0]


def machine() -> dict[str, str]:
    cpu = "unknown"
    memory = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    except OSError:
        pass  # not Linux: the numbers still stand, the description is just shorter
    versions = ", ".join(
        f"{pkg} {metadata.version(pkg)}"
        for pkg in ("pulumi", "pulumi_azure_native", "pulumi_kubernetes")
    )
    return {
        "date (UTC)": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M"),
        "CPUs (nproc)": str(len(os.sched_getaffinity(0))),
        "CPU model": cpu,
        "memory": memory,
        "Python": f"{platform.python_version()} ({platform.python_implementation()})",
        "SDKs": versions,
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def sec(seconds: float) -> str:
    return f"{seconds:.2f} s"


def peak(children: Sequence[Child]) -> str:
    peaks = [c.peak_rss_mib for c in children if c.peak_rss_mib is not None]
    return f"{max(peaks):.0f} MiB" if peaks else "n/a"


def median_seconds(children: Sequence[Child]) -> float:
    return statistics.median(c.seconds for c in children)


def outcome(children: Sequence[Child]) -> str:
    failed = [c for c in children if c.returncode != 0]
    return f"{len(failed)} of {len(children)} exited non-zero" if failed else "exit 0"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
