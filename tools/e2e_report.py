"""Job summary of the end-to-end workflow (.github/workflows/e2e.yml), from the files it collects.

    python -m tools.e2e_report summary DIR          # one cluster shape: verdict, phases, checks
    python -m tools.e2e_report compare DIR [DIR...] # per shape: `pulumi up` vs estimate, and
                                                    # claim-to-ready of a warm and a cold sandbox

DIR holds what one e2e job wrote: `meta.json` (shape, stack, location), `timings.jsonl` (one
{"phase", "seconds", "exitCode"} line per timed step), and when those steps got that far
`config.json` (`pulumi config --json`), `plan.json` (the offline plan's estimate for the same
stack), `verify.json` (`python -m tools.verify --format json`) and `claims.json` (`python -m
tools.verify --claim --format json`: the sandboxes on demand, claim-to-ready per pool). Missing
or unreadable files are reported as such: a failed run must still produce a summary. Standard
library only, so any Python 3.11+ can render it.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

UP_PHASE = "pulumi up"
VERDICTS = {0: "ISOLATED", 1: "NOT ISOLATED", 2: "CANNOT CHECK"}


@dataclass(frozen=True)
class Phase:
    name: str
    seconds: int
    exit_code: int


@dataclass
class Run:
    meta: dict[str, Any]
    phases: list[Phase] = field(default_factory=list)
    config: dict[str, Any] | None = None
    plan: dict[str, Any] | None = None
    verify: dict[str, Any] | None = None
    claims: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def shape(self) -> str:
        return str(self.meta.get("shape") or "?")

    def phase(self, name: str) -> Phase | None:
        return next((p for p in self.phases if p.name == name), None)

    def claim_seconds(self, kind: str) -> str:
        """Claim-to-ready of the warm or cold pool, with how it started: `0.42 s`, `-`."""
        timings = (self.claims or {}).get("claimToReadySeconds") or {}
        seconds = timings.get(kind)
        if not isinstance(seconds, (int, float)):
            return "-"
        claims = ((self.claims or {}).get("facts") or {}).get("claims") or []
        launch = next((c.get("launch_type") for c in claims if c.get("kind") == kind), None)
        started = f" ({launch} start)" if launch and launch != kind else ""
        return f"{seconds:.2f} s{started}"

    @property
    def estimate_seconds(self) -> int | None:
        estimate = (self.plan or {}).get("estimate") or {}
        total = estimate.get("totalSeconds")
        return int(total) if isinstance(total, (int, float)) else None


def _read_json(path: Path, problems: list[str]) -> Any:
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text() or "null")
    except json.JSONDecodeError as error:
        problems.append(f"{path.name} is not JSON ({error.msg})")
        return None


def load_run(directory: Path) -> Run:
    problems: list[str] = []
    meta = _read_json(directory / "meta.json", problems)
    run = Run(meta=meta if isinstance(meta, dict) else {}, problems=problems)
    timings = directory / "timings.jsonl"
    for number, line in enumerate(timings.read_text().splitlines() if timings.exists() else []):
        try:
            entry = json.loads(line)
            run.phases.append(Phase(entry["phase"], int(entry["seconds"]), int(entry["exitCode"])))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError):
            problems.append(f"timings.jsonl line {number + 1} is not a timing: {line!r}")
    for name in ("config", "plan", "verify", "claims"):
        value = _read_json(directory / f"{name}.json", problems)
        setattr(run, name, value if isinstance(value, dict) else None)
    return run


def duration(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}m {rest:02d}s" if minutes else f"{rest}s"


def verdict(run: Run) -> str:
    if run.verify is None:
        up = run.phase(UP_PHASE)
        if up is None or up.exit_code != 0:
            return "not checked: `pulumi up` did not succeed"
        return "no isolation report"
    code = run.verify.get("exitCode")
    text = VERDICTS.get(code, f"exit {code}") if isinstance(code, int) else "unreadable report"
    error = run.verify.get("error")
    return f"{text} ({error})" if error else text


def _config_rows(config: dict[str, Any]) -> list[str]:
    rows = []
    for key in sorted(config):
        entry = config[key] if isinstance(config[key], dict) else {"value": config[key]}
        value = "[secret]" if entry.get("secret") else entry.get("value", entry.get("objectValue"))
        rows.append(f"| `{key}` | `{value}` |")
    return rows


def render_summary(run: Run) -> str:
    lines = [f"## e2e: {run.shape}", ""]
    stack, location = run.meta.get("stack", "?"), run.meta.get("location", "?")
    lines += [f"Stack `{stack}` in `{location}`. Verdict: **{verdict(run)}**", ""]
    lines += ["| phase | wall time | exit |", "|---|---|---|"]
    lines += [f"| {p.name} | {duration(p.seconds)} | {p.exit_code} |" for p in run.phases]
    estimate = run.estimate_seconds
    if estimate is not None:
        lines += ["", f"Offline estimate of `pulumi up` from empty: {duration(estimate)}."]
    if run.claims is not None:
        code = run.claims.get("exitCode")
        text = VERDICTS.get(code, f"exit {code}") if isinstance(code, int) else "unreadable report"
        error = run.claims.get("error")
        lines += [
            "",
            f"Sandboxes on demand: **{text}**"
            + (f" ({error})" if error else "")
            + f"; claim to ready: warm {run.claim_seconds('warm')}, cold "
            f"{run.claim_seconds('cold')}.",
        ]
    checks = (run.verify or {}).get("checks") or []
    if checks:
        lines += ["", "| check | status | detail |", "|---|---|---|"]
        lines += [f"| {c.get('title')} | {c.get('status')} | {c.get('detail')} |" for c in checks]
    if run.config:
        lines += ["", "<details><summary>Stack config</summary>", ""]
        lines += ["| key | value |", "|---|---|", *_config_rows(run.config), "", "</details>"]
    lines += [f"- {problem}" for problem in run.problems]
    return "\n".join(lines) + "\n"


def render_comparison(runs: list[Run]) -> str:
    lines = [
        "## e2e: `pulumi up` wall time and sandbox claim-to-ready per cluster shape",
        "",
        "| shape | location | pulumi up | offline estimate | measured / estimate | verdict "
        "| warm claim | cold claim |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for run in sorted(runs, key=lambda r: r.shape):
        up, estimate = run.phase(UP_PHASE), run.estimate_seconds
        ratio = (
            f"{up.seconds / estimate:.2f}x"
            if up is not None and up.exit_code == 0 and estimate
            else "-"
        )
        measured = "-"
        if up is not None:
            measured = duration(up.seconds) + ("" if up.exit_code == 0 else " (failed)")
        lines.append(
            f"| {run.shape} | {run.meta.get('location', '?')} | "
            f"{measured} | {duration(estimate)} | {ratio} | {verdict(run)} | "
            f"{run.claim_seconds('warm')} | {run.claim_seconds('cold')} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.e2e_report",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Prints Markdown to stdout and exits 0, also for a failed run (its files are "
        "reported as missing).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    summary = commands.add_parser(
        "summary",
        help="one cluster shape: verdict, phases, checks",
        description="One e2e job's directory as a job summary: verdict, phases, checks.",
    )
    summary.add_argument("directory", type=Path, metavar="DIR", help="what one e2e job wrote")
    compare = commands.add_parser(
        "compare",
        help="`pulumi up` wall time per shape against the offline estimate",
        description="Several e2e jobs' directories: measured `pulumi up` time per cluster "
        "shape next to the offline plan's estimate.",
    )
    compare.add_argument(
        "directories", type=Path, nargs="+", metavar="DIR", help="what each e2e job wrote"
    )
    args = parser.parse_args(argv)
    if args.command == "summary":
        print(render_summary(load_run(args.directory)), end="")
    else:
        print(render_comparison([load_run(d) for d in args.directories]), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
